/**
 * What every review command shares: its ports, loading a review with its cycle and the actor, and
 * the review card as a viewer should see it now. Commands (open.ts, transitions.ts, closing.ts,
 * viewing.ts, deputies.ts, jobs.ts) are functions over this context.
 */
import { type AuditEvent, auditEvent } from '../../platform/audit/model';
import type { Sender } from '../../platform/delivery/port';
import { notFound } from '../../platform/errors';
import type { Lang } from '../../platform/i18n';
import type { Logger } from '../../platform/logger';
import type { Actor } from '../../platform/org/actor';
import type { Directory, Person } from '../../platform/org/model';
import type { Scheduler } from '../../platform/schedule/port';
import type { Store, Stored } from '../../platform/store';
import type { CardCopies } from '../../platform/teams/copies';
import type { AnnualReportInput } from '../annualReport/model';
import type { FollowUps } from './followups';
import type { GoalTemplate, ReviewCycle, ReviewSchedule, UnitReview } from './model';
import type { People } from './people';
import { reviewCard } from './present';

/** The sender's delivery kinds of the review's cards (renderers in jobs.ts). */
export const reviewKinds = {
  assign: 'review.assign',
  returned: 'review.returned',
  reminder: 'review.reminder',
  /** A reminder the security function sent by hand (the tab's "Påminn"). */
  nudge: 'review.nudge',
  escalation: 'review.escalation',
  signedOff: 'review.signedOff',
} as const;
export type Purpose = keyof typeof reviewKinds;

/** The annual report (säkerhetsbokslut) writer the closing step calls; returns the links to where it was stored. */
export type AnnualReportWriter = (input: AnnualReportInput) => Promise<{ docx: string; csv: string }>;

export interface ReviewDeps {
  store: Store;
  directory: Directory;
  people: People;
  copies: CardCopies;
  sender: Sender;
  scheduler: Scheduler;
  followUps: FollowUps;
  log: Logger;
  clock: () => Date;
  template: GoalTemplate;
  schedule: ReviewSchedule;
  writeReport: AnnualReportWriter;
  teamsIdOf: (personId: string) => Promise<string | undefined>;
}

export type Banner = { text: string; color: 'Attention' | 'Warning' | 'Good' | 'Default' };

/** A unit review as loaded for a command: the stored record (with its version), its cycle, the actor. */
export interface Loaded {
  stored: Stored<UnitReview>;
  review: UnitReview;
  cycle: ReviewCycle;
  actor: Actor;
}

export class ReviewContext {
  constructor(readonly deps: ReviewDeps) {}

  async loadReview(id: string): Promise<Stored<UnitReview>> {
    const stored = await this.deps.store.unitReviews.get(id);
    if (!stored) throw notFound();
    return stored;
  }

  async loadCycle(id: string): Promise<ReviewCycle> {
    const stored = await this.deps.store.reviewCycles.get(id);
    if (!stored) throw notFound();
    return stored.value;
  }

  /** The review, its cycle and who acts (with the people they stand in for today). */
  async load(reviewId: string, actorId: string): Promise<Loaded> {
    const stored = await this.loadReview(reviewId);
    const cycle = await this.loadCycle(stored.value.cycleId);
    return { stored, review: stored.value, cycle, actor: await this.actor(actorId) };
  }

  actor(personId: string): Promise<Actor> {
    return this.deps.people.actor(personId);
  }

  today(): string {
    return this.deps.people.today();
  }

  now(): string {
    return this.deps.clock().toISOString();
  }

  async isPerson(ids: Iterable<string>): Promise<(id: string) => boolean> {
    const known = new Set<string>();
    for (const id of ids) if (await this.deps.directory.person(id)) known.add(id);
    return (id) => known.has(id);
  }

  /** Who may own a follow-up of the unit: its manager first, then its members. */
  async owners(review: UnitReview): Promise<Person[]> {
    const members = await this.deps.directory.membersOf(review.unitId);
    const manager = await this.deps.directory.person(review.managerId);
    return manager ? [manager, ...members.filter((m) => m.id !== manager.id)] : members;
  }

  /** The review card as `viewerId` should see it now. */
  async card(
    viewerId: string,
    lang: Lang,
    review: UnitReview,
    cycle: ReviewCycle,
    extra: { banner?: Banner; errors?: string[]; errorsTitle?: string } = {},
  ): Promise<object> {
    const viewer = await this.deps.people.actor(viewerId);
    const ids = [
      review.managerId,
      ...review.chain.map((s) => s.personId),
      ...review.signOffs.flatMap((s) => [s.actorId, s.onBehalfOf ?? '']),
      ...Object.values(review.assessments).map((a) => a.followUp?.ownerId ?? ''),
    ].filter(Boolean);
    const names = await this.deps.people.names(ids);
    const teamsId = await this.deps.teamsIdOf(viewerId);
    return reviewCard(lang, viewer, {
      cycle,
      review,
      names,
      refreshUserIds: teamsId ? [teamsId] : [],
      ...extra,
    });
  }
}

export function event(
  actorId: string,
  recordType: string,
  recordId: string,
  action: string,
  at: string,
  extra: Partial<AuditEvent> = {},
): AuditEvent {
  return auditEvent({ at, actorId, recordType, recordId, action, ...extra });
}
