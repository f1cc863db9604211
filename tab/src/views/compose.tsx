/**
 * The parts of a new campaign beyond its text: who gets it (everyone, the managers, or chosen units), when
 * it goes (now, or at a day and time in Stockholm), and a quiz (2–5 questions, each with its right answer
 * and a pass mark). The server checks all of it again and says what is wrong, field by field.
 */
import { Button, Checkbox, Field, Input, Radio, RadioGroup, Select } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Api } from '../api';
import { stockholmInstant } from '../i18n';
import type { ViewProps } from '../ui';

export type AudienceKind = 'managers' | 'everyone' | 'units';

export interface Extras {
  audience: AudienceKind;
  unitIds: string[];
  includeSubUnits: boolean;
  /** '' sends when the author presses send. */
  sendDay: string;
  sendTime: string;
  quiz: boolean;
  questions: { text: string; options: string[]; correct?: number }[];
  passMark: number;
}

export const noExtras = (): Extras => ({
  audience: 'managers',
  unitIds: [],
  includeSubUnits: true,
  sendDay: '',
  sendTime: '08:00',
  quiz: false,
  questions: [blankQuestion(), blankQuestion()],
  passMark: 2,
});

const OPTIONS = 4;
const MAX_QUESTIONS = 5;
const blankQuestion = () => ({ text: '', options: Array.from({ length: OPTIONS }, () => '') });

/** The API's fields for the extras: an unknown time is left for the server to name, never guessed. */
export function contentOf(extras: Extras) {
  const audience =
    extras.audience === 'units'
      ? { kind: 'units' as const, unitIds: extras.unitIds, includeSubUnits: extras.includeSubUnits }
      : { kind: extras.audience };
  const sendAt = extras.sendDay
    ? (stockholmInstant(extras.sendDay, extras.sendTime) ?? 'invalid')
    : undefined;
  const quiz = extras.quiz
    ? {
        passMark: extras.passMark,
        questions: extras.questions.map((q) => {
          // blank options are left out; the right answer's index follows its option
          const kept = q.options.map((text, i) => ({ text: text.trim(), i })).filter((o) => o.text);
          const correct = kept.findIndex((o) => o.i === q.correct);
          return {
            text: q.text,
            options: kept.map((o) => o.text),
            ...(correct >= 0 ? { correct } : {}),
            explanation: '',
          };
        }),
      }
    : undefined;
  return { audience, ...(sendAt ? { sendAt } : {}), ...(quiz ? { quiz } : {}) };
}

export function ComposeExtras({
  api,
  t,
  extras,
  onChange,
}: Pick<ViewProps, 't'> & { api: Api; extras: Extras; onChange: (extras: Extras) => void }) {
  const [units, setUnits] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    if (extras.audience === 'units' && units.length === 0)
      void api
        .get<{ units: { id: string; name: string }[] }>('/campaigns/choices')
        .then((c) => setUnits(c.units));
  }, [api, extras.audience, units.length]);
  const set = (change: Partial<Extras>) => onChange({ ...extras, ...change });
  const setQuestion = (i: number, change: Partial<Extras['questions'][number]>) =>
    set({ questions: extras.questions.map((q, k) => (k === i ? { ...q, ...change } : q)) });
  return (
    <>
      <Field label={t('campaigns.audience')}>
        <Select
          value={extras.audience}
          onChange={(_e, d) =>
            set({
              audience: d.value === 'everyone' ? 'everyone' : d.value === 'units' ? 'units' : 'managers',
            })
          }
        >
          <option value="managers">{t('campaigns.audienceManagers')}</option>
          <option value="everyone">{t('campaigns.audienceEveryone')}</option>
          <option value="units">{t('campaigns.audienceUnits')}</option>
        </Select>
      </Field>
      {extras.audience === 'units' && (
        <fieldset className="varn-fieldset">
          <legend>{t('campaigns.units')}</legend>
          {units.map((u) => (
            <Checkbox
              key={u.id}
              label={u.name}
              checked={extras.unitIds.includes(u.id)}
              onChange={(_e, d) =>
                set({
                  unitIds: d.checked ? [...extras.unitIds, u.id] : extras.unitIds.filter((id) => id !== u.id),
                })
              }
            />
          ))}
          <Checkbox
            label={t('campaigns.includeSubUnits')}
            checked={extras.includeSubUnits}
            onChange={(_e, d) => set({ includeSubUnits: d.checked === true })}
          />
        </fieldset>
      )}
      <fieldset className="varn-fieldset">
        <legend>{t('campaigns.when')}</legend>
        <div className="varn-row">
          <Field label={t('campaigns.sendDay')} hint={t('campaigns.sendDayHint')}>
            <Input
              value={extras.sendDay}
              placeholder="2027-01-15"
              onChange={(_e, d) => set({ sendDay: d.value })}
            />
          </Field>
          <Field label={t('campaigns.sendTime')}>
            <Input
              value={extras.sendTime}
              placeholder="08:00"
              onChange={(_e, d) => set({ sendTime: d.value })}
            />
          </Field>
        </div>
      </fieldset>
      <Checkbox
        checked={extras.quiz}
        onChange={(_e, d) => set({ quiz: d.checked === true })}
        label={t('campaigns.addQuiz')}
      />
      {extras.quiz && (
        <fieldset className="varn-fieldset">
          <legend>{t('campaigns.quiz')}</legend>
          {extras.questions.map((q, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the questions are edited in place and never reordered
            <fieldset key={i} className="varn-fieldset">
              <legend>{t('campaigns.quizQuestion', { n: i + 1 })}</legend>
              <Field label={t('campaigns.quizText', { n: i + 1 })}>
                <Input value={q.text} onChange={(_e, d) => setQuestion(i, { text: d.value })} />
              </Field>
              {q.options.map((option, k) => (
                <Field
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed number of option fields
                  key={k}
                  label={t('campaigns.quizOption', { n: i + 1, k: k + 1 })}
                >
                  <Input
                    value={option}
                    onChange={(_e, d) =>
                      setQuestion(i, { options: q.options.map((o, m) => (m === k ? d.value : o)) })
                    }
                  />
                </Field>
              ))}
              <Field label={t('campaigns.quizCorrect', { n: i + 1 })}>
                <RadioGroup
                  layout="horizontal"
                  value={q.correct === undefined ? '' : String(q.correct)}
                  onChange={(_e, d) => setQuestion(i, { correct: Number(d.value) })}
                >
                  {q.options.map((_o, k) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed number of options
                    <Radio key={k} value={String(k)} label={t('campaigns.quizOptionShort', { k: k + 1 })} />
                  ))}
                </RadioGroup>
              </Field>
            </fieldset>
          ))}
          <div className="varn-row">
            {extras.questions.length < MAX_QUESTIONS && (
              <Button onClick={() => set({ questions: [...extras.questions, blankQuestion()] })}>
                {t('campaigns.quizAdd')}
              </Button>
            )}
            <Field label={t('campaigns.passMark')}>
              <Input
                type="number"
                min={1}
                max={extras.questions.length}
                value={String(extras.passMark)}
                onChange={(_e, d) => set({ passMark: Number(d.value) || 0 })}
              />
            </Field>
          </div>
        </fieldset>
      )}
    </>
  );
}
