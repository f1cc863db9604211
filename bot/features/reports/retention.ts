/**
 * Retention (gallring) per record type, as a public body keeps its records: a scheduled job, once a day
 * at 03:00 Stockholm time, culls what has passed its time on whichever store is configured and writes one
 * audit event saying what was culled (counts and types, never contents). "never" keeps a type for good.
 *
 *   reports       closed reports, counted from when they were closed (open ones are never culled)
 *   questions     questions to the bot, from when they were asked (with their feedback)
 *   quizAnswers   a campaign recipient's quiz answers, from when they were given (the acknowledgement stays)
 *   auditEvents   the audit log, from each event's time; the job's own events are culled by the same rule
 *
 * Which records are past their time is a plain function (`expired`); the job only reads and removes.
 */

import type { Config, Retention } from '../../config';
import { auditEvent } from '../../platform/audit/model';
import type { Logger } from '../../platform/logger';
import type { Job, Scheduler } from '../../platform/schedule/port';
import type { Store } from '../../platform/store';
import { stockholmDay, stockholmToInstant } from '../../platform/time';

export type { Retention };
export type RetentionRules = Config['retention'];

export type CullCounts = Record<keyof RetentionRules, number>;

export const RETENTION_JOB = 'retention.cull';

/** The instant before which a record of this type has passed its time, or undefined for "never". */
export function cutoffOf(now: Date, retention: Retention): string | undefined {
  if (retention === 'never') return undefined;
  const d = new Date(now.getTime());
  if (retention.unit === 'd') d.setUTCDate(d.getUTCDate() - retention.amount);
  if (retention.unit === 'm') d.setUTCMonth(d.getUTCMonth() - retention.amount);
  if (retention.unit === 'y') d.setUTCFullYear(d.getUTCFullYear() - retention.amount);
  return d.toISOString();
}

/** Past its time: the record's date is known and before the cutoff. */
export const expired = (at: string | undefined, cutoff: string | undefined): boolean =>
  cutoff !== undefined && at !== undefined && at < cutoff;

export class RetentionJob {
  constructor(
    private readonly deps: {
      store: Store;
      scheduler: Scheduler;
      clock: () => Date;
      log: Logger;
      rules: RetentionRules;
    },
  ) {}

  /**
   * Plans the next run (03:00 Stockholm time, the next day): idempotent, called at start and after each
   * run. With every type kept for good there is nothing to run, and nothing is planned.
   */
  async planNext(): Promise<void> {
    if (Object.values(this.deps.rules).every((r) => r === 'never')) return;
    const now = this.deps.clock();
    const tomorrow = stockholmDay(new Date(now.getTime() + 86_400_000));
    await this.deps.scheduler.schedule({
      id: `retention:${tomorrow}`,
      kind: RETENTION_JOB,
      dueAt: stockholmToInstant(tomorrow, '03:00') as string,
    });
  }

  async run(_job?: Job): Promise<CullCounts> {
    const counts = await this.cull();
    await this.planNext();
    return counts;
  }

  /** Culls every type past its time; writes one audit event with the counts. */
  async cull(): Promise<CullCounts> {
    const { store, clock, rules } = this.deps;
    const now = clock();
    const cut = {
      reports: cutoffOf(now, rules.reports),
      questions: cutoffOf(now, rules.questions),
      quizAnswers: cutoffOf(now, rules.quizAnswers),
      auditEvents: cutoffOf(now, rules.auditEvents),
    };
    const counts: CullCounts = { reports: 0, questions: 0, quizAnswers: 0, auditEvents: 0 };

    if (cut.reports)
      for (const { value: report } of await store.reports.find({ state: 'closed' })) {
        if (!expired(report.closedAt, cut.reports)) continue;
        await store.sentCards.removeWhere({ recordId: report.id });
        await store.reports.remove(report.id);
        counts.reports++;
      }

    if (cut.questions)
      for (const { value: question } of await store.questions.list()) {
        if (!expired(question.askedAt, cut.questions)) continue;
        await store.feedback.removeWhere({ questionId: question.id });
        await store.questions.remove(question.id);
        counts.questions++;
      }

    if (cut.quizAnswers)
      for (const { value: campaign } of await store.campaigns.list()) {
        // a campaign created after the cutoff cannot have answers older than it
        if (!expired(campaign.createdAt, cut.quizAnswers)) continue;
        for (const stored of await store.campaignRecipients.find({ campaignId: campaign.id })) {
          const { quiz, ...rest } = stored.value;
          if (!quiz || !expired(quiz.answeredAt, cut.quizAnswers)) continue;
          await store.campaignRecipients.update(rest, stored.version);
          counts.quizAnswers++;
        }
      }

    if (cut.auditEvents) {
      const old = (await store.auditEvents.find({})).filter((e) => expired(e.at, cut.auditEvents));
      counts.auditEvents = await store.auditEvents.cull(old.map((e) => e.id));
    }

    await store.auditEvents.append(
      auditEvent({
        at: now.toISOString(),
        actorId: 'system',
        recordType: 'retention',
        recordId: stockholmDay(now),
        action: 'cull',
        comment: Object.entries(counts)
          .map(([type, n]) => `${type}=${n}`)
          .join('; '),
      }),
    );
    this.deps.log.info({ counts }, 'retention: culled what had passed its time');
    return counts;
  }
}
