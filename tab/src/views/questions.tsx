/**
 * Frågor: the escalated questions waiting for the security function; answer one (and keep it as a curated
 * answer). Below, what the bot could not answer (the wordings and how often, never who asked): writing an
 * answer to one keeps it as the security function's answer that the next such question gets.
 */
import { Button, Checkbox, Field, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { formatDate } from '../i18n';
import { allows, DataTable, Notice, Problem, Section, Show, useLoad, type ViewProps } from '../ui';
import type { QuestionRow } from './types';

export default function Questions({ api, t, lang }: ViewProps) {
  const [loaded, reload] = useLoad(() => api.get<QuestionRow[]>('/questions'), [api]);
  const [status, setStatus] = useState<string | undefined>();
  return (
    <>
      {status && <Notice intent="success">{status}</Notice>}
      <Section title={t('questions.queue')}>
        <Show t={t} loaded={loaded}>
          {(questions) =>
            questions.length === 0 ? (
              <p>{t('questions.none')}</p>
            ) : (
              <ul className="varn-list">
                {questions
                  .filter((q) => allows(q, 'answer', true))
                  .map((q) => (
                    <li key={q.id}>
                      <AnswerForm
                        {...{ api, t, lang }}
                        question={q}
                        onAnswered={() => {
                          setStatus(t('questions.sent', { name: q.askedByName }));
                          reload();
                        }}
                      />
                    </li>
                  ))}
              </ul>
            )
          }
        </Show>
      </Section>
      <Gaps {...{ api, t, lang }} onKept={setStatus} />
    </>
  );
}

interface Gap {
  text: string;
  count: number;
  confidence: 'none' | 'uncertain';
  lastAsked: string;
}

function Gaps({
  api,
  t,
  lang,
  onKept,
}: Pick<ViewProps, 'api' | 't' | 'lang'> & { onKept: (s: string) => void }) {
  const [loaded, reload] = useLoad(() => api.get<Gap[]>('/questions/unanswered'), [api]);
  const [writing, setWriting] = useState<string | undefined>();
  return (
    <Section title={t('questions.gaps')}>
      <p>{t('questions.gapsIntro')}</p>
      <Show t={t} loaded={loaded}>
        {(gaps) => (
          <>
            <DataTable
              caption={t('questions.gaps')}
              rows={gaps}
              rowKey={(g) => g.text}
              empty={t('questions.noGaps')}
              columns={[
                { key: 'text', title: t('col.question'), cell: (g) => g.text },
                { key: 'count', title: t('questions.times'), cell: (g) => String(g.count) },
                {
                  key: 'outcome',
                  title: t('questions.outcome'),
                  cell: (g) =>
                    t(g.confidence === 'none' ? 'questions.outcomeNone' : 'questions.outcomeUncertain'),
                },
                { key: 'last', title: t('questions.lastAsked'), cell: (g) => formatDate(lang, g.lastAsked) },
                {
                  key: 'write',
                  title: t('questions.write'),
                  cell: (g) => (
                    <Button size="small" onClick={() => setWriting(g.text)}>
                      {t('questions.writeFor', { question: g.text })}
                    </Button>
                  ),
                },
              ]}
            />
            {writing !== undefined && (
              <CurateForm
                key={writing}
                {...{ api, t }}
                question={writing}
                onCancel={() => setWriting(undefined)}
                onKept={() => {
                  setWriting(undefined);
                  onKept(t('questions.kept'));
                  reload();
                }}
              />
            )}
          </>
        )}
      </Show>
    </Section>
  );
}

function CurateForm({
  api,
  t,
  question: asked,
  onCancel,
  onKept,
}: Pick<ViewProps, 'api' | 't'> & { question: string; onCancel: () => void; onKept: () => void }) {
  const [question, setQuestion] = useState(asked);
  const [answer, setAnswer] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  return (
    <form
      className="varn-form"
      aria-label={t('questions.writeFor', { question: asked })}
      onSubmit={async (event) => {
        event.preventDefault();
        setProblem(undefined);
        try {
          await api.send('POST', '/questions/curated', { question, answer });
          onKept();
        } catch (error) {
          setProblem(error instanceof Error ? error.message : String(error));
        }
      }}
    >
      {problem && <Problem t={t} message={problem} />}
      <Field label={t('questions.curatedQuestion')} required>
        <Textarea value={question} onChange={(_e, d) => setQuestion(d.value)} resize="vertical" />
      </Field>
      <Field label={t('questions.curatedAnswer')} required>
        <Textarea value={answer} onChange={(_e, d) => setAnswer(d.value)} resize="vertical" />
      </Field>
      <div className="varn-row">
        <Button appearance="primary" type="submit" disabled={!question.trim() || !answer.trim()}>
          {t('questions.keepAnswer')}
        </Button>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}

function AnswerForm({
  api,
  t,
  lang,
  question,
  onAnswered,
}: Pick<ViewProps, 'api' | 't' | 'lang'> & { question: QuestionRow; onAnswered: () => void }) {
  const [answer, setAnswer] = useState('');
  const [keep, setKeep] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <article className="varn-card" aria-label={question.text}>
      <h3>{question.text}</h3>
      <p>
        {t('col.askedBy')}: {question.askedByName}, {formatDate(lang, question.askedAt)}
      </p>
      <form
        className="varn-form"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setProblem(undefined);
          try {
            await api.send('POST', `/questions/${question.id}/answer`, { answer, keep });
            onAnswered();
          } catch (error) {
            setProblem(error instanceof Error ? error.message : String(error));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Field label={t('questions.answerLabel', { name: question.askedByName })}>
          <Textarea value={answer} onChange={(_e, d) => setAnswer(d.value)} resize="vertical" />
        </Field>
        <Checkbox
          checked={keep}
          onChange={(_e, d) => setKeep(d.checked === true)}
          label={t('questions.keep')}
        />
        {problem && <Problem t={t} message={problem} />}
        <div>
          <Button appearance="primary" type="submit" disabled={busy}>
            {t('questions.send')}
          </Button>
        </div>
      </form>
    </article>
  );
}
