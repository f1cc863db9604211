/**
 * The campaign rules as plain functions over plain data (no I/O): validation, audience resolution,
 * quiz scoring, who still has to be reminded, and the figures per campaign and unit.
 */
import type { Delivery, FailureReason } from '../../platform/delivery/port';
import type { MessageKey } from '../../platform/i18n';
import { withSubUnits } from '../../platform/org/actor';
import type { Person, Unit } from '../../platform/org/model';
import { stockholmDay } from '../../platform/time';
import {
  type Audience,
  type Campaign,
  type CampaignContent,
  type CampaignRecipient,
  hasTakenIn,
  MAX_OPTIONS,
  MAX_QUIZ_QUESTIONS,
  MIN_QUIZ_QUESTIONS,
  type Quiz,
} from './model';

export const MAX_TITLE_CHARS = 120;
export const MAX_EXPLANATION_CHARS = 500;
export const MAX_REMINDERS = 3;
/** Teams takes bot messages up to about 100 KB (UTF-16); cards are kept under 80 KB. */
export const MAX_CARD_BYTES = 80 * 1024;

export interface Problem {
  /** The field the author has to change, e.g. "text", "quiz.1.correct", "audience". */
  field: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** The bytes Teams counts for a card (UTF-16). */
export const cardBytes = (card: object): number => Buffer.byteLength(JSON.stringify(card), 'utf16le');

/** Markdown that an Adaptive Card TextBlock does not show: headings, images, tables, code blocks, HTML. */
const UNSUPPORTED_MARKDOWN: { pattern: RegExp; what: MessageKey }[] = [
  { pattern: /^\s{0,3}#{1,6}\s/m, what: 'campaign.markdown.heading' },
  { pattern: /!\[[^\]]*\]\(/, what: 'campaign.markdown.image' },
  { pattern: /^\s*\|.*\|\s*$/m, what: 'campaign.markdown.table' },
  { pattern: /```/, what: 'campaign.markdown.code' },
  { pattern: /<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i, what: 'campaign.markdown.html' },
];

/**
 * An external link a recipient's Teams client opens: https only, a host name or public address (not this
 * machine, the local network or link-local addresses such as the cloud metadata service), no credentials.
 */
export const isWebUrl = (value: string): boolean => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || (!host.includes('.') && !host.includes(':')))
    return false;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return !(
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  // IPv6 literals: loopback, link-local, unique-local and IPv4-mapped ones are refused
  if (host.includes(':')) return !/^(::1?$|fe[89ab]|f[cd]|::ffff:)/.test(host);
  return true;
};

export interface ValidationContext {
  now: Date;
  /** The size of the recipient card rendered from this content (the largest language). */
  cardBytes: number;
  /** Known unit and group ids, so that an audience naming something that does not exist is caught. */
  unitIds: ReadonlySet<string>;
  groupIds: ReadonlySet<string>;
}

/** Everything wrong with a campaign's content, in the order an author reads the composer. */
export function validateContent(content: CampaignContent, context: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  const title = content.title.trim();
  if (title === '') problems.push({ field: 'title', key: 'campaign.error.titleRequired' });
  else if (title.length > MAX_TITLE_CHARS)
    problems.push({ field: 'title', key: 'campaign.error.titleTooLong', params: { max: MAX_TITLE_CHARS } });
  if (content.text.trim() === '') problems.push({ field: 'text', key: 'campaign.error.textRequired' });
  for (const { pattern, what } of UNSUPPORTED_MARKDOWN) {
    if (pattern.test(content.text))
      problems.push({ field: 'text', key: 'campaign.error.markdown', params: { what } });
  }
  if (context.cardBytes > MAX_CARD_BYTES) {
    problems.push({
      field: 'text',
      key: 'campaign.error.tooLarge',
      params: { kb: Math.ceil(context.cardBytes / 1024), max: MAX_CARD_BYTES / 1024 },
    });
  }
  if (content.imageUrl && !isWebUrl(content.imageUrl))
    problems.push({ field: 'imageUrl', key: 'campaign.error.imageUrl' });
  if (content.documentUrl && !isWebUrl(content.documentUrl))
    problems.push({ field: 'documentUrl', key: 'campaign.error.documentUrl' });
  if (content.quiz) problems.push(...validateQuiz(content.quiz));
  problems.push(...validateAudience(content.audience, context));
  problems.push(...validateTimes(content, context.now));
  return problems;
}

export function validateQuiz(quiz: Quiz): Problem[] {
  const problems: Problem[] = [];
  const count = quiz.questions.length;
  if (count < MIN_QUIZ_QUESTIONS || count > MAX_QUIZ_QUESTIONS) {
    problems.push({
      field: 'quiz',
      key: 'campaign.error.quizCount',
      params: { min: MIN_QUIZ_QUESTIONS, max: MAX_QUIZ_QUESTIONS },
    });
  }
  quiz.questions.forEach((question, i) => {
    const n = i + 1;
    if (question.text.trim() === '')
      problems.push({ field: `quiz.${n}.text`, key: 'campaign.error.questionText', params: { n } });
    const options = question.options.map((o) => o.trim());
    if (options.length < 2 || options.length > MAX_OPTIONS || options.some((o) => o === '')) {
      problems.push({
        field: `quiz.${n}.options`,
        key: 'campaign.error.questionOptions',
        params: { n, max: MAX_OPTIONS },
      });
    }
    if (
      question.correct === undefined ||
      !Number.isInteger(question.correct) ||
      question.correct < 0 ||
      question.correct >= options.length
    ) {
      problems.push({ field: `quiz.${n}.correct`, key: 'campaign.error.noCorrectAnswer', params: { n } });
    }
    if (question.explanation.length > MAX_EXPLANATION_CHARS) {
      problems.push({
        field: `quiz.${n}.explanation`,
        key: 'campaign.error.explanationTooLong',
        params: { n, max: MAX_EXPLANATION_CHARS },
      });
    }
  });
  if (count > 0 && (!Number.isInteger(quiz.passMark) || quiz.passMark < 1 || quiz.passMark > count)) {
    problems.push({ field: 'quiz.passMark', key: 'campaign.error.passMark', params: { max: count } });
  }
  return problems;
}

function validateAudience(
  audience: Audience,
  context: Pick<ValidationContext, 'unitIds' | 'groupIds'>,
): Problem[] {
  if (audience.kind === 'units') {
    if (audience.unitIds.length === 0) return [{ field: 'audience', key: 'campaign.error.noUnits' }];
    if (audience.unitIds.some((id) => !context.unitIds.has(id)))
      return [{ field: 'audience', key: 'campaign.error.unknownUnit' }];
  }
  if (audience.kind === 'groups') {
    if (audience.groupIds.length === 0) return [{ field: 'audience', key: 'campaign.error.noGroups' }];
    if (audience.groupIds.some((id) => !context.groupIds.has(id)))
      return [{ field: 'audience', key: 'campaign.error.unknownGroup' }];
  }
  return [];
}

function validateTimes(content: CampaignContent, now: Date): Problem[] {
  const problems: Problem[] = [];
  const at = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
  const send = at(content.sendAt);
  const close = at(content.closeAt);
  if (content.sendAt !== undefined && (send === undefined || Number.isNaN(send)))
    problems.push({ field: 'sendAt', key: 'campaign.error.badTime' });
  else if (send !== undefined && send < now.getTime())
    problems.push({ field: 'sendAt', key: 'campaign.error.sendInPast' });
  const start = send ?? now.getTime();
  if (content.closeAt !== undefined && (close === undefined || Number.isNaN(close)))
    problems.push({ field: 'closeAt', key: 'campaign.error.badTime' });
  else if (close !== undefined && close <= start)
    problems.push({ field: 'closeAt', key: 'campaign.error.closeBeforeSend' });
  if (content.reminderAt.length > MAX_REMINDERS)
    problems.push({
      field: 'reminderAt',
      key: 'campaign.error.tooManyReminders',
      params: { max: MAX_REMINDERS },
    });
  for (const reminder of content.reminderAt) {
    const when = Date.parse(reminder);
    if (Number.isNaN(when)) problems.push({ field: 'reminderAt', key: 'campaign.error.badTime' });
    else if (when <= start || (close !== undefined && when >= close))
      problems.push({ field: 'reminderAt', key: 'campaign.error.reminderOutside' });
  }
  if (content.reminderAt.length > 0 && !content.requiresAcknowledgement && !content.quiz) {
    problems.push({ field: 'reminderAt', key: 'campaign.error.reminderWithoutResponse' });
  }
  return problems;
}

export interface OrganisationSnapshot {
  units: readonly Unit[];
  people: readonly Person[];
  /** Transitive member ids of the groups the audience names. */
  groupMembers: ReadonlyMap<string, readonly string[]>;
}

/** The people an audience reaches, each once, in the directory's order. */
export function resolveAudience(audience: Audience, org: OrganisationSnapshot): Person[] {
  switch (audience.kind) {
    case 'everyone':
      return [...org.people];
    case 'units': {
      const units = audience.includeSubUnits
        ? withSubUnits(audience.unitIds, org.units)
        : new Set(audience.unitIds);
      return org.people.filter((p) => units.has(p.unitId));
    }
    case 'groups': {
      const ids = new Set(audience.groupIds.flatMap((g) => org.groupMembers.get(g) ?? []));
      return org.people.filter((p) => ids.has(p.id));
    }
    case 'managers': {
      const managers = new Set(org.units.map((u) => u.managerId));
      return org.people.filter((p) => managers.has(p.id));
    }
  }
}

/** Scores answers (option indices, null for unanswered) against the quiz. */
export function scoreQuiz(
  quiz: Quiz,
  answers: readonly (number | null)[],
): { score: number; passed: boolean } {
  const score = quiz.questions.reduce(
    (sum, q, i) => sum + (answers[i] !== null && answers[i] === q.correct ? 1 : 0),
    0,
  );
  return { score, passed: score >= quiz.passMark };
}

/** Who gets a reminder: recipients whose message arrived and who have not yet done what it asks. */
export function needsReminder(
  campaign: Pick<Campaign, 'requiresAcknowledgement' | 'quiz'>,
  recipients: readonly CampaignRecipient[],
  deliveries: readonly Delivery[],
): string[] {
  const arrived = new Set(deliveries.filter((d) => d.status === 'sent').map((d) => d.personId));
  return recipients.filter((r) => arrived.has(r.personId) && !hasTakenIn(campaign, r)).map((r) => r.personId);
}

export const FAILURE_REASONS: readonly FailureReason[] = [
  'blocked',
  'notInstalled',
  'leftOrganisation',
  'noConversation',
  'other',
];

export interface Tally {
  targeted: number;
  delivered: number;
  /** Still waiting in the sender's queue. */
  pending: number;
  failed: number;
  failedBy: Record<FailureReason, number>;
  /** Not sent because the campaign was cancelled or closed first. */
  notSent: number;
  acknowledged: number;
  quizAnswered: number;
  quizPassed: number;
  /** quizPassed / quizAnswered, or null before anyone answered. */
  passRate: number | null;
}

export interface UnitTally extends Tally {
  unitId: string;
  unitName: string;
}

export interface DayPoint {
  /** Stockholm calendar day. */
  day: string;
  /** Cumulative counts at the end of that day. */
  delivered: number;
  acknowledged: number;
  quizAnswered: number;
}

export interface Figures {
  total: Tally;
  units: UnitTally[];
  overTime: DayPoint[];
}

const emptyTally = (): Tally => ({
  targeted: 0,
  delivered: 0,
  pending: 0,
  failed: 0,
  failedBy: { blocked: 0, notInstalled: 0, leftOrganisation: 0, noConversation: 0, other: 0 },
  notSent: 0,
  acknowledged: 0,
  quizAnswered: 0,
  quizPassed: 0,
  passRate: null,
});

function add(tally: Tally, recipient: CampaignRecipient, delivery: Delivery | undefined): void {
  tally.targeted += 1;
  const status = delivery?.status ?? 'queued';
  if (status === 'sent') tally.delivered += 1;
  else if (status === 'queued') tally.pending += 1;
  else if (status === 'failed') {
    tally.failed += 1;
    tally.failedBy[delivery?.failure?.reason ?? 'other'] += 1;
  } else tally.notSent += 1;
  if (recipient.acknowledgedAt) tally.acknowledged += 1;
  if (recipient.quiz) {
    tally.quizAnswered += 1;
    if (recipient.quiz.passed) tally.quizPassed += 1;
  }
  tally.passRate = tally.quizAnswered === 0 ? null : tally.quizPassed / tally.quizAnswered;
}

/**
 * The figures of a campaign: in total, per unit (the unit each recipient belonged to when the
 * campaign went out; units without recipients are left out), and cumulatively per day.
 * `deliveries` are the campaign message's deliveries (not the reminders').
 */
export function computeFigures(
  recipients: readonly CampaignRecipient[],
  deliveries: readonly Delivery[],
  units: readonly Unit[],
): Figures {
  const byPerson = new Map(deliveries.map((d) => [d.personId, d]));
  const unitNames = new Map(units.map((u) => [u.id, u.name]));
  const total = emptyTally();
  const perUnit = new Map<string, UnitTally>();
  for (const recipient of recipients) {
    const delivery = byPerson.get(recipient.personId);
    add(total, recipient, delivery);
    let unit = perUnit.get(recipient.unitId);
    if (!unit) {
      unit = {
        unitId: recipient.unitId,
        unitName: unitNames.get(recipient.unitId) ?? recipient.unitId,
        ...emptyTally(),
      };
      perUnit.set(recipient.unitId, unit);
    }
    add(unit, recipient, delivery);
  }
  const order = new Map(units.map((u, i) => [u.id, i]));
  const unitList = [...perUnit.values()].sort(
    (a, b) => (order.get(a.unitId) ?? 1e9) - (order.get(b.unitId) ?? 1e9),
  );
  return { total, units: unitList, overTime: overTime(recipients, deliveries) };
}

function overTime(recipients: readonly CampaignRecipient[], deliveries: readonly Delivery[]): DayPoint[] {
  const events: { day: string; field: 'delivered' | 'acknowledged' | 'quizAnswered' }[] = [];
  const targeted = new Set(recipients.map((r) => r.personId));
  for (const d of deliveries)
    if (d.status === 'sent' && d.sentAt && targeted.has(d.personId))
      events.push({ day: stockholmDay(d.sentAt), field: 'delivered' });
  for (const r of recipients) {
    if (r.acknowledgedAt) events.push({ day: stockholmDay(r.acknowledgedAt), field: 'acknowledged' });
    if (r.quiz) events.push({ day: stockholmDay(r.quiz.answeredAt), field: 'quizAnswered' });
  }
  const days = [...new Set(events.map((e) => e.day))].sort();
  const running = { delivered: 0, acknowledged: 0, quizAnswered: 0 };
  return days.map((day) => {
    for (const e of events) if (e.day === day) running[e.field] += 1;
    return { day, ...running };
  });
}
