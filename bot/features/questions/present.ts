/** Presenters: a question and the viewer's abilities → card data. No I/O, no config. */
import { renderCard } from '../../platform/cards';
import { formatDateTime, type Lang, translator } from '../../platform/i18n';
import type { Actor } from '../../platform/org/actor';
import type { AnswerView } from '../knowledge/answer';
import answerTemplate from './cards/answer.json';
import deliveredTemplate from './cards/delivered.json';
import questionTemplate from './cards/question.json';
import type { Question } from './model';
import { questionPolicy } from './policy';

export const MAX_ANSWER_CHARS = 2000;

export interface AnswerCardInput {
  question: Question;
  answers: AnswerView[];
  curated: { text: string }[];
  summary?: string;
  abstainReason?: 'no-match' | 'other-organisation' | 'empty';
  organisation: string;
  /** A status line (feedback thanks, escalation sent). */
  status?: string;
  feedbackGiven: boolean;
}

export function answerCard(lang: Lang, actor: Actor, input: AnswerCardInput): object {
  const t = translator(lang);
  const { question } = input;
  const abstained = input.answers.length === 0 && input.curated.length === 0;
  return renderCard(answerTemplate, {
    title: abstained ? t('abstain.title') : t('answer.title'),
    curatedLabel: t('answer.curated'),
    curated: input.curated,
    summaryLabel: t('answer.summary'),
    summary: input.summary ?? '',
    answers: input.answers.map((a) => ({
      text: a.text,
      source: a.section
        ? t('answer.source', { document: a.title, section: a.section })
        : t('answer.sourceNoSection', { document: a.title }),
      link: a.link,
    })),
    openLabel: t('answer.open'),
    abstained,
    abstainBody:
      input.abstainReason === 'other-organisation'
        ? t('abstain.otherOrganisation', { organisations: input.organisation })
        : t('abstain.body'),
    status: input.status ?? statusLine(lang, question),
    canFeedback: !abstained && !input.feedbackGiven && questionPolicy.can(actor, 'feedback', question),
    yesLabel: t('answer.yes'),
    noLabel: t('answer.no'),
    canEscalate: questionPolicy.can(actor, 'escalate', question),
    escalateLabel: t('answer.escalate'),
    questionId: question.id,
  });
}

function statusLine(lang: Lang, question: Question): string {
  const t = translator(lang);
  if (question.status === 'escalated') return t('escalate.sent');
  if (question.status === 'answered') {
    return t('question.answeredBy', {
      name: question.answeredByName ?? '',
      when: formatDateTime(question.answeredAt ?? question.askedAt),
    });
  }
  return '';
}

export function questionCard(lang: Lang, actor: Actor, question: Question, refreshUserIds: string[]): object {
  const t = translator(lang);
  return renderCard(questionTemplate, {
    title: t('question.cardTitle'),
    refreshLabel: t('question.cardTitle'),
    refreshUserIds: refreshUserIds.slice(0, 60),
    question: question.text,
    fromLabel: t('question.fromLabel'),
    askedBy: question.askedByName,
    askedLabel: t('question.askedLabel'),
    askedAt: formatDateTime(question.askedAt),
    statusLabel: t('question.statusLabel'),
    status: question.status === 'answered' ? t('question.status.answered') : t('question.status.open'),
    shownLabel: t('question.shownLabel'),
    shown: question.shown.map((s) => ({ documentTitle: s.documentTitle, text: truncate(s.text, 200) })),
    answered: question.status === 'answered',
    answerText: t('question.answer', { answer: question.answer ?? '' }),
    answeredByText: t('question.answeredBy', {
      name: question.answeredByName ?? '',
      when: question.answeredAt ? formatDateTime(question.answeredAt) : '',
    }),
    canAnswer: questionPolicy.can(actor, 'answer', question),
    answerLabel: t('question.answerLabel'),
    answerPlaceholder: t('question.answerPlaceholder'),
    answerRequired: t('error.answerRequired'),
    maxAnswer: MAX_ANSWER_CHARS,
    keepLabel: t('question.keep'),
    sendLabel: t('question.send'),
    questionId: question.id,
  });
}

export function deliveredCard(lang: Lang, question: Question): object {
  const t = translator(lang);
  return renderCard(deliveredTemplate, {
    title: t('question.answerToEmployee'),
    question: t('question.yourQuestion', { question: question.text }),
    answer: question.answer ?? '',
    answeredBy: t('question.answeredBy', {
      name: question.answeredByName ?? '',
      when: question.answeredAt ? formatDateTime(question.answeredAt) : '',
    }),
  });
}

const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
