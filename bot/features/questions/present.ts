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
import questionTemplate from './cards/question.json';
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
    escalateFirst: canEscalate && confidence !== 'answer',
    escalateLast: canEscalate && confidence === 'answer',
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
