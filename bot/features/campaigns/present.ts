/** Presenters: a campaign, a recipient's record and the viewer's abilities → cards. No I/O, no config. */
import { renderCard } from '../../platform/cards';
import type { FailureReason } from '../../platform/delivery/port';
import { formatDateTime, type Lang, type Translate, translator } from '../../platform/i18n';
import type { Unit } from '../../platform/org/model';
import { instantToStockholm } from '../../platform/time';
import composeAudienceTemplate from './cards/compose-audience.json';
import composeContentTemplate from './cards/compose-content.json';
import composeResponseTemplate from './cards/compose-response.json';
import figuresTemplate from './cards/figures.json';
import listTemplate from './cards/list.json';
import noticeTemplate from './cards/notice.json';
import previewTemplate from './cards/preview.json';
import recipientTemplate from './cards/recipient.json';
import unitTemplate from './cards/unit.json';
import {
  type Audience,
  type Campaign,
  type CampaignContent,
  type CampaignRecipient,
  MAX_QUIZ_QUESTIONS,
} from './model';
import { FAILURE_REASONS, type Figures, MAX_TITLE_CHARS, type Problem, type Tally } from './rules';

export const problemText = (t: Translate, problem: Problem): string => {
  const params = { ...problem.params };
  if (typeof params.what === 'string') params.what = t(params.what as Parameters<Translate>[0]);
  return t(problem.key, params);
};

export interface RecipientView {
  campaign: Pick<
    Campaign,
    | 'id'
    | 'title'
    | 'text'
    | 'imageUrl'
    | 'documentUrl'
    | 'documentTitle'
    | 'requiresAcknowledgement'
    | 'quiz'
    | 'status'
  >;
  /** The viewer's own record; undefined in a preview or before they answered anything. */
  recipient?: CampaignRecipient;
  reminder: boolean;
  /** Teams ids (29:…) whose clients refresh the card (the recipient's own). */
  refreshUserIds: string[];
  /**
   * The author's preview: the quiz is shown but not required and the recipients' buttons are named,
   * not offered, so that nothing in the preview blocks the author's own actions (Teams validates every
   * required input on a card before any action that does not say `associatedInputs: "none"`).
   */
  preview?: boolean;
}

/** The card a recipient sees (and, in a preview, the author). */
export function recipientCard(lang: Lang, view: RecipientView): object {
  const t = translator(lang);
  const { campaign, recipient } = view;
  const closed = campaign.status === 'closed' || campaign.status === 'cancelled';
  const quiz = campaign.quiz;
  const answered = recipient?.quiz;
  const optionLabel = (q: number, a: number | null | undefined) =>
    a === null || a === undefined ? '' : (quiz?.questions[q]?.options[a] ?? '');
  const canAcknowledge = campaign.requiresAcknowledgement && !recipient?.acknowledgedAt && !closed;
  const quizOpen = !!quiz && !answered && !closed;
  const buttons = [
    ...(canAcknowledge ? [t('campaign.acknowledge')] : []),
    ...(quizOpen ? [t('campaign.quizSubmit')] : []),
  ];
  return renderCard(recipientTemplate, {
    preview: view.preview === true,
    previewButtons: buttons.length ? t('campaign.preview.buttons', { buttons: buttons.join(', ') }) : '',
    campaignId: campaign.id,
    refreshLabel: t('campaign.refresh'),
    refreshUserIds: view.refreshUserIds.slice(0, 60),
    reminder: view.reminder && !closed,
    reminderLabel: t('campaign.reminder'),
    title: campaign.title,
    imageUrl: campaign.imageUrl ?? '',
    text: campaign.text,
    documentUrl: campaign.documentUrl ?? '',
    documentLabel: campaign.documentTitle
      ? t('campaign.document', { document: campaign.documentTitle })
      : t('campaign.documentDefault'),
    closed,
    closedText: t('campaign.closed'),
    acknowledged: !!recipient?.acknowledgedAt,
    acknowledgedText: recipient?.acknowledgedAt
      ? t('campaign.acknowledged', { when: formatDateTime(recipient.acknowledgedAt) })
      : '',
    canAcknowledge,
    acknowledgeLabel: t('campaign.acknowledge'),
    quizOpen,
    quizIntro: quiz ? t('campaign.quizIntro', { count: quiz.questions.length, passMark: quiz.passMark }) : '',
    answerRequired: t('campaign.answerRequired'),
    questions: (quiz?.questions ?? []).map((q, i) => ({
      id: `q${i + 1}`,
      text: `${i + 1}. ${q.text}`,
      choices: q.options.map((option, value) => ({ title: option, value: String(value) })),
    })),
    quizSubmitLabel: t('campaign.quizSubmit'),
    quizDone: !!quiz && !!answered,
    scoreText:
      quiz && answered
        ? t(answered.passed ? 'campaign.quizPassed' : 'campaign.quizFailed', {
            score: answered.score,
            count: quiz.questions.length,
            passMark: quiz.passMark,
          })
        : '',
    scoreColor: answered?.passed ? 'Good' : 'Attention',
    results: (answered && quiz ? quiz.questions : []).map((q, i) => {
      const given = answered?.answers[i];
      return {
        mark: given === q.correct ? '✅' : '❌',
        text: q.text,
        yourAnswer:
          given === null || given === undefined
            ? t('campaign.quizNoAnswer')
            : t('campaign.quizYourAnswer', { answer: optionLabel(i, given) }),
        correctAnswer: t('campaign.quizCorrectAnswer', { answer: optionLabel(i, q.correct) }),
        explanation: q.explanation,
      };
    }),
  });
}

export type ComposeStep = 'content' | 'response' | 'audience';
export const COMPOSE_STEPS: readonly ComposeStep[] = ['content', 'response', 'audience'];

/** Which step's inputs a problem belongs to, so the composer shows it where it can be fixed. */
export function stepOf(problem: Problem): ComposeStep {
  const field = problem.field.split('.')[0];
  if (field === 'quiz' || field === 'requiresAcknowledgement') return 'response';
  if (field === 'audience' || field === 'sendAt' || field === 'reminderAt' || field === 'closeAt')
    return 'audience';
  return 'content';
}

export interface ComposeView {
  campaignId: string;
  content: CampaignContent;
  problems: Problem[];
  units: readonly Unit[];
  groups: readonly { id: string; name: string }[];
}

/** 30,000 characters are 60 KB in UTF-16: the composer card stays under Teams' limit with the rest of it. */
const MAX_COMPOSER_TEXT = 30_000;

const emptyToNull = (s: string) => (s === '' ? null : s);

export function composeCard(lang: Lang, step: ComposeStep, view: ComposeView): object {
  const t = translator(lang);
  const { content } = view;
  const common = {
    campaignId: view.campaignId,
    heading: content.title.trim()
      ? `${t('campaign.compose.heading')}: ${content.title}`
      : t('campaign.compose.heading'),
    stepLabel: t('campaign.compose.step', {
      n: COMPOSE_STEPS.indexOf(step) + 1,
      name: t(`campaign.compose.step.${step}`),
    }),
    problems: view.problems.map((p) => ({ text: problemText(t, p) })),
    nextLabel: t('campaign.compose.next'),
    backLabel: t('campaign.compose.back'),
    previewLabel: t('campaign.compose.preview'),
  };
  if (step === 'content') {
    return renderCard(composeContentTemplate, {
      ...common,
      titleLabel: t('campaign.compose.title'),
      title: content.title,
      maxTitle: MAX_TITLE_CHARS,
      titleRequired: t('campaign.error.titleRequired'),
      textLabel: t('campaign.compose.text'),
      textHint: t('campaign.compose.textHint'),
      // a text too long for any card is shown cut, so that this card still reaches the author (the draft keeps its text)
      text:
        content.text.length > MAX_COMPOSER_TEXT
          ? `${content.text.slice(0, MAX_COMPOSER_TEXT)}…`
          : content.text,
      textRequired: t('campaign.error.textRequired'),
      imageLabel: t('campaign.compose.image'),
      imageUrl: content.imageUrl ?? '',
      documentUrlLabel: t('campaign.compose.documentUrl'),
      documentUrl: content.documentUrl ?? '',
      documentTitleLabel: t('campaign.compose.documentTitle'),
      documentTitle: content.documentTitle ?? '',
    });
  }
  if (step === 'response') {
    const questions = content.quiz?.questions ?? [];
    return renderCard(composeResponseTemplate, {
      ...common,
      acknowledgeLabel: t('campaign.compose.acknowledge'),
      acknowledge: String(content.requiresAcknowledgement),
      quizIntro: t('campaign.compose.quizIntro'),
      questionLabel: t('campaign.compose.question'),
      optionsLabel: t('campaign.compose.options'),
      correctLabel: t('campaign.compose.correct'),
      explanationLabel: t('campaign.compose.explanation'),
      slots: Array.from({ length: MAX_QUIZ_QUESTIONS }, (_, i) => {
        const q = questions[i];
        return {
          heading: t('campaign.compose.questionN', { n: i + 1 }),
          textId: `q${i + 1}text`,
          optionsId: `q${i + 1}options`,
          correctId: `q${i + 1}correct`,
          explanationId: `q${i + 1}explanation`,
          text: q?.text ?? '',
          options: q?.options.join('\n') ?? '',
          correct: q?.correct === undefined ? null : q.correct + 1,
          explanation: q?.explanation ?? '',
        };
      }),
      passMarkLabel: t('campaign.compose.passMark'),
      passMark: content.quiz ? content.quiz.passMark : null,
    });
  }
  const audience = content.audience;
  const at = (iso: string | undefined) => (iso ? instantToStockholm(iso) : { date: '', time: '' });
  const send = at(content.sendAt);
  const reminder = at(content.reminderAt[0]);
  const close = at(content.closeAt);
  return renderCard(composeAudienceTemplate, {
    ...common,
    audienceLabel: t('campaign.compose.audience'),
    audienceKind: audience.kind,
    kinds: (['everyone', 'units', 'groups', 'managers'] as const).map((kind) => ({
      title: t(`campaign.audience.${kind}`),
      value: kind,
    })),
    unitsLabel: t('campaign.compose.units'),
    units: emptyToNull(audience.kind === 'units' ? audience.unitIds.join(',') : ''),
    unitChoices: view.units.map((u) => ({ title: u.name, value: u.id })),
    subUnitsLabel: t('campaign.compose.subUnits'),
    subUnits: String(audience.kind === 'units' ? audience.includeSubUnits : true),
    groupsLabel: t('campaign.compose.groups'),
    groups: emptyToNull(audience.kind === 'groups' ? audience.groupIds.join(',') : ''),
    groupChoices: view.groups.map((g) => ({ title: g.name, value: g.id })),
    timesIntro: t('campaign.compose.times'),
    timeLabel: t('campaign.compose.time'),
    sendDateLabel: t('campaign.compose.sendDate'),
    sendDate: emptyToNull(send.date),
    sendTime: emptyToNull(send.time),
    reminderDateLabel: t('campaign.compose.reminderDate'),
    reminderDate: emptyToNull(reminder.date),
    reminderTime: emptyToNull(reminder.time),
    closeDateLabel: t('campaign.compose.closeDate'),
    closeDate: emptyToNull(close.date),
    closeTime: emptyToNull(close.time),
  });
}

export function audienceText(
  t: Translate,
  audience: Audience,
  units: readonly Unit[],
  groups: readonly { id: string; name: string }[],
): string {
  switch (audience.kind) {
    case 'everyone':
      return t('campaign.audience.everyone');
    case 'managers':
      return t('campaign.audience.managers');
    case 'units': {
      const names = audience.unitIds.map((id) => units.find((u) => u.id === id)?.name ?? id).join(', ');
      return t(audience.includeSubUnits ? 'campaign.audience.unitsWithSub' : 'campaign.audience.unitsNamed', {
        units: names,
      });
    }
    case 'groups':
      return t('campaign.audience.groupsNamed', {
        groups: audience.groupIds.map((id) => groups.find((g) => g.id === id)?.name ?? id).join(', '),
      });
  }
}

function responseText(t: Translate, campaign: Pick<Campaign, 'requiresAcknowledgement' | 'quiz'>): string {
  const count = campaign.quiz?.questions.length ?? 0;
  if (campaign.requiresAcknowledgement && campaign.quiz) return t('campaign.response.both', { count });
  if (campaign.quiz) return t('campaign.response.quiz', { count });
  return campaign.requiresAcknowledgement ? t('campaign.response.acknowledge') : t('campaign.response.none');
}

/** When the campaign went out (the moment it was handed to the sender, as every card shows it), or when it will. */
function sendFact(t: Translate, campaign: Campaign): { title: string; value: string } {
  if (campaign.dispatchedAt)
    return { title: t('campaign.fact.sentAt'), value: formatDateTime(campaign.dispatchedAt) };
  if (campaign.sendAt) return { title: t('campaign.fact.sendAt'), value: formatDateTime(campaign.sendAt) };
  return {
    title: t('campaign.fact.sendAt'),
    value: campaign.status === 'draft' ? t('campaign.fact.sendNow') : t('campaign.fact.sendingNow'),
  };
}

export interface PreviewView {
  campaign: Campaign;
  /** The card recipients get, exactly as sent (rendered by recipientCard). */
  recipientCard: object;
  recipients: number;
  problems: Problem[];
  status?: string;
  units: readonly Unit[];
  groups: readonly { id: string; name: string }[];
  abilities: { edit: boolean; send: boolean; cancel: boolean; figures: boolean };
}

/** The author's view of a campaign: facts, problems, the recipients' card inside a frame, and the next steps. */
export function previewCard(lang: Lang, view: PreviewView): object {
  const t = translator(lang);
  const { campaign } = view;
  const none = t('campaign.fact.none');
  const card = renderCard(previewTemplate, {
    heading: t('campaign.preview.heading', { title: campaign.title }),
    facts: [
      { title: t('campaign.fact.status'), value: t(`campaign.status.${campaign.status}`) },
      {
        title: t('campaign.fact.audience'),
        value: `${audienceText(t, campaign.audience, view.units, view.groups)} (${t('campaign.fact.count', { count: view.recipients })})`,
      },
      { title: t('campaign.fact.response'), value: responseText(t, campaign) },
      sendFact(t, campaign),
      {
        title: t('campaign.fact.reminders'),
        value: campaign.reminderAt.length ? campaign.reminderAt.map(formatDateTime).join(', ') : none,
      },
      {
        title: t('campaign.fact.closeAt'),
        value: campaign.closeAt ? formatDateTime(campaign.closeAt) : none,
      },
    ],
    problems: view.problems.map((p) => ({ text: problemText(t, p) })),
    status: view.status ?? '',
    recipientsSee: t('campaign.preview.recipientsSee'),
    campaignId: campaign.id,
    canEdit: view.abilities.edit,
    canSend: view.abilities.send,
    canCancel: view.abilities.cancel,
    canFigures: view.abilities.figures,
    editLabel: t('campaign.action.edit'),
    sendLabel: t('campaign.action.send'),
    cancelLabel: t('campaign.action.cancel'),
    duplicateLabel: t('campaign.action.duplicate'),
    figuresLabel: t('campaign.action.figures'),
  }) as { body: { id?: string; items?: unknown[] }[] };
  const frame = card.body.find((element) => element.id === 'recipientCard');
  if (frame) frame.items = (view.recipientCard as { body: unknown[] }).body;
  return card;
}

const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 100));

function tallyFacts(t: Translate, tally: Tally): { title: string; value: string }[] {
  const of = (n: number, total: number) =>
    t('campaign.figures.ofDelivered', { n, of: total, pct: pct(n, total) });
  const facts = [
    { title: t('campaign.figures.targeted'), value: String(tally.targeted) },
    { title: t('campaign.figures.delivered'), value: of(tally.delivered, tally.targeted) },
  ];
  if (tally.pending > 0) facts.push({ title: t('campaign.figures.pending'), value: String(tally.pending) });
  facts.push({ title: t('campaign.figures.failed'), value: String(tally.failed) });
  for (const reason of FAILURE_REASONS) {
    if (tally.failedBy[reason] > 0)
      facts.push({ title: t(`campaign.figures.failed.${reason}`), value: String(tally.failedBy[reason]) });
  }
  if (tally.notSent > 0) facts.push({ title: t('campaign.figures.notSent'), value: String(tally.notSent) });
  facts.push({ title: t('campaign.figures.acknowledged'), value: of(tally.acknowledged, tally.delivered) });
  if (tally.quizAnswered > 0) {
    facts.push({ title: t('campaign.figures.quizAnswered'), value: of(tally.quizAnswered, tally.delivered) });
    facts.push({ title: t('campaign.figures.quizPassed'), value: of(tally.quizPassed, tally.quizAnswered) });
  }
  return facts;
}

/** The campaign's state as a person reads it; a sent campaign says when it went out (the same time on every card). */
const statusText = (t: Translate, campaign: Campaign): string =>
  campaign.dispatchedAt && campaign.status !== 'draft'
    ? t('campaign.status.withTime', {
        status: t(`campaign.status.${campaign.status}`),
        when: formatDateTime(campaign.dispatchedAt),
      })
    : t(`campaign.status.${campaign.status}`);

/** How many unreached people a figures card names; the rest are counted (the CSV and the tab have them all). */
const MAX_UNREACHED_SHOWN = 30;

export function figuresCard(
  lang: Lang,
  campaign: Campaign,
  figures: Figures,
  at: string,
  unreached: readonly { name: string; reason: FailureReason }[] = [],
): object {
  const t = translator(lang);
  return renderCard(figuresTemplate, {
    unreachedLabel: t('campaign.figures.unreached'),
    unreached: unreached.slice(0, MAX_UNREACHED_SHOWN).map((u) => ({
      line: `${u.name} ${t(`campaign.figures.failed.${u.reason}`)}`,
    })),
    unreachedMore:
      unreached.length > MAX_UNREACHED_SHOWN
        ? t('campaign.figures.unreachedMore', { count: unreached.length - MAX_UNREACHED_SHOWN })
        : '',
    heading: t('campaign.figures.heading', { title: campaign.title }),
    subheading: t('campaign.figures.subheading', {
      status: statusText(t, campaign),
      when: formatDateTime(at),
    }),
    totals: tallyFacts(t, figures.total),
    perUnitLabel: t('campaign.figures.perUnit'),
    columns: {
      unit: t('campaign.figures.unit'),
      delivered: t('campaign.figures.delivered'),
      acknowledged: t('campaign.figures.acknowledged'),
      quiz: t('campaign.figures.quizPassed'),
    },
    units: figures.units.map((u) => ({
      name: u.unitName,
      delivered: `${u.delivered}/${u.targeted}`,
      acknowledged: `${u.acknowledged} (${pct(u.acknowledged, u.delivered)} %)`,
      quiz: u.quizAnswered ? `${u.quizPassed}/${u.quizAnswered}` : '–',
    })),
    overTimeLabel: t('campaign.figures.overTime'),
    days: figures.overTime.map((d) => ({
      line: t('campaign.figures.day', {
        day: d.day,
        delivered: d.delivered,
        acknowledged: d.acknowledged,
        quiz: d.quizAnswered,
      }),
    })),
    refreshLabel: t('campaign.figures.refresh'),
    refreshVerb: 'campaigns.figures',
    campaignId: campaign.id,
  });
}

export function listCard(lang: Lang, campaigns: readonly { campaign: Campaign; tally?: Tally }[]): object {
  const t = translator(lang);
  return renderCard(listTemplate, {
    heading: t('campaign.list.heading'),
    empty: t('campaign.list.empty'),
    campaigns: campaigns.map(({ campaign: c, tally }) => ({
      id: c.id,
      title: c.title || '–',
      line: t('campaign.list.line', {
        status: t(`campaign.status.${c.status}`),
        when: formatDateTime(c.dispatchedAt ?? c.sendAt ?? c.updatedAt),
      }),
      figures: tally
        ? t('campaign.list.figures', {
            delivered: tally.delivered,
            targeted: tally.targeted,
            acknowledged: tally.acknowledged,
            failed: tally.failed,
          })
        : '',
    })),
    openLabel: t('campaign.list.open'),
    newLabel: t('campaign.list.new'),
  });
}

export function unitCard(
  lang: Lang,
  unitNames: readonly string[],
  campaigns: readonly { campaign: Campaign; tally: Tally }[],
): object {
  const t = translator(lang);
  return renderCard(unitTemplate, {
    heading: t('campaign.unit.heading', { units: unitNames.join(', ') }),
    empty: t('campaign.unit.empty'),
    campaigns: campaigns.map(({ campaign, tally }) => ({
      title: campaign.title,
      facts: tallyFacts(t, tally),
    })),
  });
}

export function noticeCard(title: string, text = ''): object {
  return renderCard(noticeTemplate, { title, text });
}
