/**
 * Follow-ups: the owner's card, status updates with comments, and overdue reminders (the owner
 * first, then the unit's manager) as scheduler jobs that send through the shared sender.
 * Each command reloads the record, authorizes the actor, acts with a version check and writes an
 * audit event in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import { auditEvent } from '../../../platform/audit/model';
import type { Delivery, Renderer, Sender } from '../../../platform/delivery/port';
import { badInput, notFound } from '../../../platform/errors';
import { type Lang, langOf, translator } from '../../../platform/i18n';
import type { SentMessage } from '../../../platform/messaging';
import type { Job, JobHandler, Scheduler } from '../../../platform/schedule/port';
import { type Store, VersionConflict } from '../../../platform/store';
import type { CardCopies } from '../../../platform/teams/copies';
import { isGap, type ReviewCycle, type ReviewSchedule, type UnitReview } from '../model';
import type { People } from '../people';
import { followUpJobTimes } from '../rules';
import type { FollowUps } from './index';
import { type FollowUp, type FollowUpStatus, followUpStatuses } from './model';
import { actingOnFollowUp, canMove, followUpPolicy, isFinal } from './policy';
import { followUpCard } from './present';

export const followUpKinds = {
  assign: 'followup.assign',
  overdueOwner: 'followup.overdueOwner',
  overdueManager: 'followup.overdueManager',
} as const;
export const OVERDUE_JOB = 'followup.overdue';

export interface FollowUpDeps {
  store: Store;
  people: People;
  copies: CardCopies;
  sender: Sender;
  scheduler: Scheduler;
  clock: () => Date;
  schedule: ReviewSchedule;
  teamsIdOf: (personId: string) => Promise<string | undefined>;
}

/** How often a follow-up's update is decided again after meeting someone else's write. */
const UPDATE_ATTEMPTS = 3;

export class FollowUpService implements FollowUps {
  constructor(private readonly deps: FollowUpDeps) {}

  /** The sender's renderers, one per delivery kind; each remembers the sent card so a later change updates it. */
  renderers(): Record<string, Renderer> {
    const sent = (delivery: Delivery, message: SentMessage) =>
      this.deps.copies.rememberDelivery(delivery, message);
    return {
      [followUpKinds.assign]: { render: (id, person) => this.render(id, person, 'assign'), sent },
      [followUpKinds.overdueOwner]: { render: (id, person) => this.render(id, person, 'overdueOwner'), sent },
      [followUpKinds.overdueManager]: {
        render: (id, person) => this.render(id, person, 'overdueManager'),
        sent,
      },
    };
  }

  /** The scheduler's job: an overdue follow-up's reminder. */
  jobs(): Record<string, JobHandler> {
    return { [OVERDUE_JOB]: (job) => this.overdue(job) };
  }

  /** Creates or updates the FollowUp of every gap that has one, in the review's transaction (stable ids: a resubmission updates). */
  async recordGaps(
    tx: Store,
    actorId: string,
    cycle: ReviewCycle,
    review: UnitReview,
    now: string,
  ): Promise<FollowUp[]> {
    const result: FollowUp[] = [];
    for (const area of cycle.areas) {
      for (const goal of area.goals) {
        const a = review.assessments[goal.id];
        if (!a?.followUp || !isGap(a.rating)) continue;
        const id = `${review.id}:${goal.id}`;
        const existing = await tx.followUps.get(id);
        const base = {
          what: a.followUp.what,
          ownerId: a.followUp.ownerId,
          due: a.followUp.due,
          goalText: goal.text,
          updatedAt: now,
        };
        if (existing) {
          const same =
            existing.value.what === base.what &&
            existing.value.ownerId === base.ownerId &&
            existing.value.due === base.due;
          if (same) continue;
          const next = { ...existing.value, ...base };
          await tx.followUps.update(next, existing.version);
          await tx.auditEvents.append(
            auditEvent({
              at: now,
              actorId,
              recordType: 'followUp',
              recordId: id,
              action: 'revise',
              fromState: existing.value.status,
              toState: next.status,
            }),
          );
          result.push(next);
        } else {
          const followUp: FollowUp = {
            id,
            sourceType: 'review',
            sourceId: review.id,
            goalId: goal.id,
            cycleId: cycle.id,
            unitId: review.unitId,
            unitName: review.unitName,
            managerId: review.managerId,
            status: 'open',
            notes: [],
            createdAt: now,
            ...base,
          };
          await tx.followUps.insert(followUp);
          await tx.auditEvents.append(
            auditEvent({
              at: now,
              actorId,
              recordType: 'followUp',
              recordId: id,
              action: 'create',
              toState: 'open',
            }),
          );
          result.push(followUp);
        }
      }
    }
    return result;
  }

  /** When the review is signed off: the follow-ups' owners get their card, and the overdue reminders are set. */
  async announce(batchId: string, followUps: readonly FollowUp[]): Promise<void> {
    await this.deps.sender.enqueue(
      batchId,
      followUps.map((f) => ({
        key: `followup:${f.id}:assign:${f.ownerId}:${f.due}`,
        personId: f.ownerId,
        kind: followUpKinds.assign,
        recordId: f.id,
      })),
    );
    for (const f of followUps) {
      const times = followUpJobTimes(f.due, this.deps.schedule);
      await this.deps.scheduler.schedule({
        id: `followup:${f.id}:overdue:owner`,
        kind: OVERDUE_JOB,
        dueAt: times.owner,
        payload: { followUpId: f.id, who: 'owner', due: f.due, batchId },
      });
      await this.deps.scheduler.schedule({
        id: `followup:${f.id}:overdue:manager`,
        kind: OVERDUE_JOB,
        dueAt: times.manager,
        payload: { followUpId: f.id, who: 'manager', due: f.due, batchId },
      });
    }
  }

  private async overdue(job: Job): Promise<void> {
    const stored = await this.deps.store.followUps.get(job.payload.followUpId ?? '');
    if (!stored) return;
    const f = stored.value;
    // moved on since the job was planned: a new due date plans its own jobs
    if (isFinal(f.status) || f.due !== job.payload.due) return;
    const manager = job.payload.who === 'manager';
    const personId = manager ? f.managerId : f.ownerId;
    await this.deps.sender.enqueue(job.payload.batchId ?? f.cycleId, [
      {
        key: `followup:${f.id}:overdue:${manager ? 'manager' : 'owner'}:${f.due}:${personId}`,
        personId,
        kind: manager ? followUpKinds.overdueManager : followUpKinds.overdueOwner,
        recordId: f.id,
      },
    ]);
  }

  private async render(
    followUpId: string,
    personId: string,
    purpose: 'assign' | 'overdueOwner' | 'overdueManager',
  ): Promise<object | undefined> {
    const stored = await this.deps.store.followUps.get(followUpId);
    if (!stored) return undefined;
    const f = stored.value;
    if (purpose !== 'assign' && isFinal(f.status)) return undefined;
    const lang = langOf(await this.deps.people.lang(personId));
    const t = translator(lang);
    const names = await this.deps.people.names([f.ownerId, f.managerId]);
    return this.card(lang, personId, f, {
      intro:
        purpose === 'assign'
          ? t(f.sourceType === 'report' ? 'followup.introReport' : 'followup.intro', {
              manager: names(f.managerId),
              unit: f.unitName,
            })
          : undefined,
      banner:
        purpose === 'overdueOwner'
          ? { text: t('followup.overdueOwner', { due: f.due }), color: 'Attention' }
          : purpose === 'overdueManager'
            ? {
                text: t('followup.overdueManager', { owner: names(f.ownerId), due: f.due }),
                color: 'Attention',
              }
            : undefined,
    });
  }

  private async card(
    lang: Lang,
    viewerId: string,
    f: FollowUp,
    extra: { intro?: string; banner?: { text: string; color: 'Attention' | 'Good' } } = {},
  ): Promise<object> {
    const viewer = await this.deps.people.actor(viewerId);
    const names = await this.deps.people.names([f.ownerId, f.managerId, ...f.notes.map((n) => n.actorId)]);
    const teamsId = await this.deps.teamsIdOf(viewerId);
    return followUpCard(lang, viewer, {
      followUp: f,
      names,
      refreshUserIds: teamsId ? [teamsId] : [],
      ...extra,
    });
  }

  async view(actorId: string, lang: Lang, followUpId: string): Promise<object> {
    const stored = await this.deps.store.followUps.get(followUpId);
    if (!stored) throw notFound();
    const actor = await this.deps.people.actor(actorId);
    followUpPolicy.authorize(actor, 'view', stored.value);
    return this.card(lang, actorId, stored.value);
  }

  /** The owner (or manager, or their deputy) sets the status and comments. */
  async update(
    actorId: string,
    lang: Lang,
    followUpId: string,
    input: { status?: unknown; comment?: unknown; seen?: unknown },
  ): Promise<object> {
    const { store, clock } = this.deps;
    const actor = await this.deps.people.actor(actorId);
    // a write that met someone else's (412 on SharePoint) is decided again on the record as it is now,
    // as the review's transitions are; the person's own change is not dropped
    for (let attempt = 1; ; attempt++) {
      const stored = await store.followUps.get(followUpId);
      if (!stored) throw notFound();
      const f = stored.value;
      followUpPolicy.authorize(actor, 'view', f);
      // an old card (the record moved on) or a finished follow-up: the current view, no second change
      const seenOther = attempt === 1 && typeof input.seen === 'string' && input.seen !== f.updatedAt;
      if (seenOther || isFinal(f.status)) return this.card(lang, actorId, f);
      followUpPolicy.authorize(actor, 'update', f);
      const to = followUpStatuses.find((s) => s === input.status) as FollowUpStatus | undefined;
      const comment = typeof input.comment === 'string' ? input.comment.trim().slice(0, 1000) : '';
      if (!to || !canMove(f.status, to)) throw badInput('followup.badStatus');
      if (to === f.status && comment === '') return this.card(lang, actorId, f);
      const now = clock().toISOString();
      const acting = actingOnFollowUp(actor, f) ?? {};
      const next: FollowUp = {
        ...f,
        status: to,
        updatedAt: now,
        notes: [
          ...f.notes,
          { at: now, actorId, ...acting, from: f.status, to, ...(comment ? { comment } : {}) },
        ],
      };
      let saved: FollowUp;
      try {
        saved = await store.transaction(async (tx) => {
          const result = await tx.followUps.update(next, stored.version);
          await tx.auditEvents.append({
            id: randomUUID(),
            at: now,
            actorId,
            ...acting,
            recordType: 'followUp',
            recordId: f.id,
            action: to === f.status ? 'comment' : 'status',
            fromState: f.status,
            toState: to,
            ...(comment ? { comment } : {}),
          });
          return result.value;
        });
      } catch (error) {
        if (!(error instanceof VersionConflict)) throw error;
        if (attempt >= UPDATE_ATTEMPTS)
          return this.card(lang, actorId, (await store.followUps.get(followUpId))?.value ?? f);
        continue;
      }
      await this.deps.copies.update(saved.id, async ({ personId }) =>
        this.card(langOf(await this.deps.people.lang(personId)), personId, saved),
      );
      return this.card(lang, actorId, saved);
    }
  }

  async ofCycle(cycleId: string): Promise<FollowUp[]> {
    return (await this.deps.store.followUps.find({ cycleId })).map((s) => s.value);
  }

  /**
   * Every follow-up the person may see (the security function: all; a manager: their units'; others:
   * their own), with the owner's name and what the person may do with it.
   */
  async visibleTo(
    actorId: string,
  ): Promise<(FollowUp & { ownerName: string; abilities: Record<string, boolean> })[]> {
    const actor = await this.deps.people.actor(actorId);
    const visible = (await this.deps.store.followUps.list())
      .map((s) => s.value)
      .filter((f) => followUpPolicy.can(actor, 'view', f));
    const name = await this.deps.people.names(visible.map((f) => f.ownerId));
    return visible
      .sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id))
      .map((f) => ({ ...f, ownerName: name(f.ownerId), abilities: followUpPolicy.abilitiesOf(actor, f) }));
  }

  /** Follow-ups the person owns or manages, not finished. */
  async mine(personId: string): Promise<FollowUp[]> {
    const owned = await this.deps.store.followUps.find({ ownerId: personId });
    const managed = await this.deps.store.followUps.find({ managerId: personId });
    const seen = new Set<string>();
    return [...owned, ...managed]
      .map((s) => s.value)
      .filter((f) => !isFinal(f.status) && !seen.has(f.id) && seen.add(f.id));
  }
}
