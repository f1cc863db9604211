/** Presenters: a question and the viewer's abilities → card data. No I/O, no config. */
import { renderCard } from '../../platform/cards';
import { formatDateTime, type Lang, translator } from '../../platform/i18n';
import type { Actor } from '../../platform/org/actor';
import type { AnswerView } from '../knowledge/answer';
import type { Channel } from '../knowledge/channels';
import type { Confidence } from '../knowledge/decision';
import type { SearchResult } from '../knowledge/searchIndex';
import answerTemplate from './cards/answer.json';
import deliveredTemplate from './cards/delivered.json';
import openTemplate from './cards/open.json';
import questionTemplate from './cards/question.json';
import undeliveredTemplate from './cards/undelivered.json';
import type { Question } from './model';
import { questionPolicy } from './policy';

export const MAX_ANSWER_CHARS = 2000;

export interface AnswerCardInput {
  question: Question;
  answers: AnswerView[];
  curated: { text: string }[];
  summary?: string;
  /** answer: the passages answer; uncertain: they may help; none: nothing relevant (the default when nothing is shown). */
  confidence?: Confidence;
  abstainReason?: SearchResult['reason'];
  /** Where a question the documents cannot answer belongs instead (configured channels), best first. */
  channels?: Channel[];
  organisation: string;
  /** A status line (feedback thanks, escalation sent). */
  status?: string;
  feedbackGiven: boolean;
  /** The asker said the answer did not help (👎): the security function is offered first. */
  unhelpful?: boolean;
}

export function answerCard(lang: Lang, actor: Actor, input: AnswerCardInput): object {
  const t = translator(lang);
  const { question } = input;
  const confidence: Confidence = input.answers.length === 0 ? 'none' : (input.confidence ?? 'answer');
  const curatedOnly = confidence === 'none' && input.curated.length > 0;
  const abstained = confidence === 'none' && !curatedOnly;
  const channels = abstained ? (input.channels ?? []) : [];
  const title = curatedOnly
    ? t('answer.curated')
    : confidence === 'answer'
      ? t('answer.title')
      : confidence === 'uncertain'
        ? t('uncertain.title')
        : t('abstain.title');
  const abstainBody =
    input.abstainReason === 'other-organisation'
      ? t('abstain.otherOrganisation', { organisations: input.organisation })
      : channels.length > 0
        ? t('abstain.orEscalate')
        : input.abstainReason === 'answer-type'
          ? t('abstain.answerType')
          : t('abstain.body');
  const canEscalate = questionPolicy.can(actor, 'escalate', question);
  return renderCard(answerTemplate, {
    title,
    curatedLabel: t('answer.curated'),
    curated: input.curated,
    showCuratedLabel: !curatedOnly,
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
    abstainBody,
    elsewhere: channels.length > 0 ? t('abstain.elsewhere') : '',
    channels: channels.map((c) => ({
      name: lang === 'en' ? (c.nameEn ?? c.name) : c.name,
      contact: [
        c.phone ? t('channel.phone', { phone: c.phone }) : '',
        c.email ? t('channel.email', { email: c.email }) : '',
      ]
        .filter(Boolean)
        .join(' · '),
      url: c.url ?? '',
    })),
    channelOpenLabel: t('channel.open'),
    status: input.status ?? statusLine(lang, question),
    canFeedback: !abstained && !input.feedbackGiven && questionPolicy.can(actor, 'feedback', question),
    yesLabel: t('answer.yes'),
    noLabel: t('answer.no'),
    // when nothing answers clearly, asking the security function is the first thing offered
    escalateFirst: canEscalate && (confidence !== 'answer' || input.unhelpful === true),
    escalateLast: canEscalate && confidence === 'answer' && input.unhelpful !== true,
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

/** An escalated question in the security function's list, with where its cards stand. */
export interface OpenQuestion {
  question: Question;
  sent: number;
  queued: number;
  /** Members whose card could not be delivered. */
  failedNames: string[];
}

export function openQuestionsCard(lang: Lang, questions: readonly OpenQuestion[]): object {
  const t = translator(lang);
  return renderCard(openTemplate, {
    title: t('questions.open.title', { count: questions.length }),
    empty: t('questions.open.empty'),
    answerLabel: t('questions.open.answer'),
    questions: questions.map(({ question, sent, queued, failedNames }) => ({
      id: question.id,
      text: truncate(question.text, 300),
      asked: t('questions.open.asked', {
        name: question.askedByName,
        when: formatDateTime(question.escalatedAt ?? question.askedAt),
      }),
      delivery:
        sent > 0
          ? t('questions.open.delivered', { count: sent })
          : queued > 0
            ? t('questions.open.queued')
            : t('questions.open.undelivered', { names: failedNames.join(', ') || '–' }),
      deliveryColor: sent > 0 ? 'Default' : queued > 0 ? 'Default' : 'Attention',
    })),
  });
}

/** To the asker, when no member of the security function could be reached. */
export function undeliveredCard(lang: Lang, question: Question): object {
  const t = translator(lang);
  return renderCard(undeliveredTemplate, {
    title: t('questions.undelivered.title'),
    question: t('question.yourQuestion', { question: truncate(question.text, 300) }),
    body: t('questions.undelivered.body'),
  });
}

const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
