/** Frågor: the escalated questions waiting for the security function; answer one (and keep it as a curated answer). */
import { Button, Checkbox, Field, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { formatDate } from '../i18n';
import { allows, Notice, Problem, Section, Show, useLoad, type ViewProps } from '../ui';
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
    </>
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
