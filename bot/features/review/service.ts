/**
 * The yearly review: open a cycle, fill in and submit a unit's assessment, approve or return it up
 * the chain, remind and escalate on schedule, close the cycle into the annual report.
 *
 * Every command is parse → load → authorize → act → present: it reloads the records from the store,
 * decides with the state machine (the caller's aadObjectId against the declared policy, the card's
 * round and step against the record), writes the change and its AuditEvent in one transaction with a
 * version check, then sends what follows through the shared sender and updates earlier cards.
 */
import { randomUUID } from 'node:crypto';
import { type AuditEvent, auditEvent } from '../../platform/audit/model';
import type { Delivery, Outgoing, Sender } from '../../platform/delivery/port';
import { AppError, badInput, forbidden, notFound } from '../../platform/errors';
import { type Lang, langOf, type MessageKey, translator } from '../../platform/i18n';
import type { Logger } from '../../platform/logger';
import type { SentMessage } from '../../platform/messaging';
import type { Directory, Unit } from '../../platform/org/model';
import type { Job, Scheduler } from '../../platform/schedule/port';
import { DuplicateId, type Store, type Stored, VersionConflict } from '../../platform/store';
import type { AnnualReportInput } from '../annualReport/model';
import type { CardCopies } from './copies';
import type { FollowUp } from './followups/model';
import type { FollowUpService } from './followups/service';
import { decide, type ReviewAction } from './machine';
import {
  type Area,
  type Assessment,
  type ChainRole,
  cycleIdOf,
  type GoalTemplate,
  isGap,
  type ReviewCycle,
  type ReviewSchedule,
  reviewId,
  type UnitReview,
} from './model';
import type { People } from './people';
import { canOnCycle, canOnReview, holderOf } from './policy';
import {
  areaCard,
  chainPresets,
  deputyCard,
  type ListItem,
  listCard,
  openCard,
  problemTexts,
  progressLines,
  reviewCard,
  stateText,
} from './present';
import { toReportInput } from './report';
import {
  type AssessmentProblem,
  assessmentProblems,
  cycleJobs,
  escalationTarget,
  lineAbove,
  participatingUnits,
  progressOf,
  resolveChain,
  submissionProblems,
} from './rules';

export const reviewKinds = {
  assign: 'review.assign',
  returned: 'review.returned',
  reminder: 'review.reminder',
  escalation: 'review.escalation',
} as const;
type Purpose = keyof typeof reviewKinds;

/** The annual report (säkerhetsbokslut) writer the closing step calls; returns the links to where it was stored. */
export type AnnualReportWriter = (input: AnnualReportInput) => Promise<{ docx: string; csv: string }>;

export interface ReviewDeps {
  store: Store;
  directory: Directory;
  people: People;
  copies: CardCopies;
  sender: Sender;
  scheduler: Scheduler;
  followUps: FollowUpService;
  log: Logger;
  clock: () => Date;
  template: GoalTemplate;
  schedule: ReviewSchedule;
  writeReport: AnnualReportWriter;
  teamsIdOf: (personId: string) => Promise<string | undefined>;
}

/** What opening a cycle needs, from the card form or the tab API. */
export interface OpenCycleInput {
  year: number;
  deadline: string;
  scope: 'all' | { subtree: string };
  chain: ChainRole[];
  areas: Area[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Times a transition is decided again on a record someone else wrote meanwhile, before the click is called stale. */
const MOVE_ATTEMPTS = 5;

/**
 * A transition's consequences (the next holder's card, the follow-ups' cards and overdue jobs, the card
 * copies updated) as one job written by the transition's own transaction (an outbox): carried out at once
 * after the commit, and by the next start if the process dies first. Every step in it is idempotent
 * (deliveries by key, jobs by id), so a second run sends nothing twice.
 */
const CONSEQUENCES_JOB = 'review.consequences';
const consequencesJobId = (review: UnitReview) =>
  `review:${review.id}:consequences:${review.round}:${review.step}:${review.state}`;

export class ReviewService {
  constructor(private readonly deps: ReviewDeps) {
    const remember = {
      sent: (delivery: Delivery, message: SentMessage) => deps.copies.remember(delivery, message),
    };
    for (const purpose of Object.keys(reviewKinds) as Purpose[]) {
      deps.sender.register(reviewKinds[purpose], {
        render: (id, person) => this.render(id, person, purpose),
        ...remember,
      });
    }
    deps.scheduler.register('review.reminder', (job) => this.remind(job));
    deps.scheduler.register('review.escalation', (job) => this.escalate(job));
    deps.scheduler.register(CONSEQUENCES_JOB, (job) => this.consequences(job));
  }

  // ---- loading ----

  private async loadReview(id: string): Promise<Stored<UnitReview>> {
    const stored = await this.deps.store.unitReviews.get(id);
    if (!stored) throw notFound();
    return stored;
  }

  private async loadCycle(id: string): Promise<ReviewCycle> {
    const stored = await this.deps.store.reviewCycles.get(id);
    if (!stored) throw notFound();
    return stored.value;
  }

  private today(): string {
    return this.deps.people.today();
  }

  private async isPerson(ids: Iterable<string>): Promise<(id: string) => boolean> {
    const known = new Set<string>();
    for (const id of ids) if (await this.deps.directory.person(id)) known.add(id);
    return (id) => known.has(id);
  }

  // ---- cards ----

  /** The review card as `viewerId` should see it now. */
  async card(
    viewerId: string,
    lang: Lang,
    review: UnitReview,
    cycle: ReviewCycle,
    extra: {
      banner?: { text: string; color: 'Attention' | 'Warning' | 'Good' | 'Default' };
      errors?: string[];
      errorsTitle?: string;
    } = {},
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

  private async render(id: string, personId: string, purpose: Purpose): Promise<object | undefined> {
    const stored = await this.deps.store.unitReviews.get(id);
    if (!stored) return undefined;
    const review = stored.value;
    const cycle = await this.loadCycle(review.cycleId);
    if (cycle.status === 'closed') return undefined;
    const lang = langOf(await this.deps.people.lang(personId));
    const t = translator(lang);
    const holder = holderOf(review);
    if (purpose === 'reminder') {
      // still theirs (or their principal's)?
      const actor = await this.deps.people.actor(personId);
      if (holder === '' || (holder !== personId && !actor.deputyFor.includes(holder))) return undefined;
      return this.card(personId, lang, review, cycle, {
        banner: { text: t('review.reminderBanner', { deadline: cycle.deadline }), color: 'Warning' },
      });
    }
    if (purpose === 'escalation') {
      if (holder === '') return undefined;
      const names = await this.deps.people.names([holder]);
      return this.card(personId, lang, review, cycle, {
        banner: {
          text: t('review.escalationBanner', {
            unit: review.unitName,
            deadline: cycle.deadline,
            holder: names(holder),
          }),
          color: 'Attention',
        },
      });
    }
    return this.card(personId, lang, review, cycle);
  }

  // ---- opening ----

  async openForm(actorId: string, lang: Lang): Promise<object> {
    const actor = await this.deps.people.actor(actorId);
    if (!canOnCycle(actor, 'open')) throw forbidden();
    return openCard(lang, {
      template: this.deps.template,
      units: await this.deps.directory.units(),
      today: this.today(),
      year: Number(this.today().slice(0, 4)),
    });
  }

  /** Reads the opening form's fields into an OpenCycleInput; bad input is an AppError with a clear message. */
  fromForm(data: Record<string, unknown>): OpenCycleInput {
    const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string).trim() : '');
    const year = Number(data.year);
    const preset = chainPresets(this.deps.template.chain).find((p) => p.id === (text('chain') || 'default'));
    if (!preset) throw badInput('review.open.badChain');
    const scopeValue = text('scope') || 'all';
    let extra = 0;
    const areas: Area[] = this.deps.template.areas.map((area) => ({
      id: area.id,
      name: area.name,
      goals: [
        ...area.goals
          .filter((g) => data[`include_${g.id}`] !== false && data[`include_${g.id}`] !== 'false')
          .map((g) => ({ id: g.id, text: text(`text_${g.id}`) || g.text })),
        ...text(`add_${area.id}`)
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '')
          .map((line) => ({ id: `${area.id}x${++extra}`, text: line.slice(0, 500) })),
      ],
    }));
    return {
      year,
      deadline: text('deadline'),
      scope: scopeValue === 'all' ? 'all' : { subtree: scopeValue },
      chain: preset.roles,
      areas,
    };
  }

  /** Opens the year's cycle: one UnitReview per participating unit, the schedule, the first cards. */
  async openCycle(
    actorId: string,
    input: OpenCycleInput,
  ): Promise<{ cycle: ReviewCycle; reviews: UnitReview[] }> {
    const { store, directory, clock } = this.deps;
    const actor = await this.deps.people.actor(actorId);
    if (!canOnCycle(actor, 'open')) throw forbidden();
    const today = this.today();
    const thisYear = Number(today.slice(0, 4));
    if (!Number.isInteger(input.year) || input.year < thisYear - 1 || input.year > thisYear + 1) {
      throw badInput('review.open.badYear', { min: thisYear - 1, max: thisYear + 1 });
    }
    if (!DATE.test(input.deadline) || Number.isNaN(Date.parse(input.deadline)))
      throw badInput('review.open.badDeadline');
    if (input.deadline < today) throw badInput('review.open.deadlinePast');
    const areas = input.areas.filter((a) => a.goals.length > 0);
    if (areas.length === 0) throw badInput('review.open.noGoals');
    const units = await directory.units();
    const people = await Promise.all(
      [...new Set(units.map((u) => u.managerId))].map((id) => directory.person(id)),
    );
    const org = {
      units,
      people: [
        ...people.filter((p) => p !== undefined),
        ...(await directory.withRole('securityChief')),
        ...(await directory.withRole('regionalDirector')),
        ...(await directory.withRole('headOfAdministration')),
      ],
    };
    const chosen = participatingUnits(org, input.scope);
    if (!chosen)
      throw badInput('review.open.unknownUnit', {
        unit: typeof input.scope === 'object' ? input.scope.subtree : '',
      });
    if (chosen.length === 0) throw badInput('review.open.noUnits');
    const id = cycleIdOf(input.year);
    if (await store.reviewCycles.get(id)) throw badInput('review.open.exists', { year: input.year });
    const now = clock().toISOString();
    const cycle: ReviewCycle = {
      id,
      year: input.year,
      organisation: directory.organisation.id,
      status: 'open',
      deadline: input.deadline,
      areas,
      chain: input.chain,
      unitIds: chosen.map((u) => u.id),
      schedule: this.deps.schedule,
      openedBy: actorId,
      openedAt: now,
    };
    const reviews = chosen.map((unit) => this.newReview(cycle, unit, org, now));
    try {
      await store.transaction(async (tx) => {
        await tx.reviewCycles.insert(cycle);
        await tx.auditEvents.append(event(actorId, 'reviewCycle', id, 'open', now, { toState: 'open' }));
        for (const review of reviews) {
          await tx.unitReviews.insert(review);
          await tx.auditEvents.append(
            event(actorId, 'unitReview', review.id, 'open', now, { toState: 'open' }),
          );
        }
      });
    } catch (error) {
      if (error instanceof DuplicateId) throw badInput('review.open.exists', { year: input.year });
      throw error;
    }
    for (const job of cycleJobs(cycle)) await this.deps.scheduler.schedule(job);
    await this.deps.sender.enqueue(
      cycle.id,
      reviews.map((r) => ({
        key: `review:${r.id}:assign:0:${r.managerId}`,
        personId: r.managerId,
        kind: reviewKinds.assign,
        recordId: r.id,
      })),
    );
    return { cycle, reviews };
  }

  private newReview(
    cycle: ReviewCycle,
    unit: Unit,
    org: Parameters<typeof resolveChain>[0],
    now: string,
  ): UnitReview {
    return {
      id: reviewId(cycle.id, unit.id),
      cycleId: cycle.id,
      unitId: unit.id,
      unitName: unit.name,
      managerId: unit.managerId,
      chain: resolveChain(org, unit, cycle.chain),
      lineIds: lineAbove(org.units, unit),
      state: 'open',
      step: 0,
      round: 0,
      holderId: unit.managerId,
      assessments: {},
      signOffs: [],
      updatedAt: now,
    };
  }

  async openFromForm(actorId: string, lang: Lang, data: Record<string, unknown>): Promise<object> {
    const { cycle, reviews } = await this.openCycle(actorId, this.fromForm(data));
    const t = translator(lang);
    return listCard(
      t('review.cycleTitle', { year: cycle.year }),
      [t('review.open.done', { year: cycle.year, units: reviews.length, deadline: cycle.deadline })],
      [],
    );
  }

  // ---- the manager ----

  async view(actorId: string, lang: Lang, id: string): Promise<object> {
    const { value: review } = await this.loadReview(id);
    const cycle = await this.loadCycle(review.cycleId);
    const actor = await this.deps.people.actor(actorId);
    if (!canOnReview(actor, 'view', review, cycle)) throw forbidden();
    return this.card(actorId, lang, review, cycle);
  }

  private async owners(review: UnitReview): Promise<import('../../platform/org/model').Person[]> {
    const members = await this.deps.directory.membersOf(review.unitId);
    const manager = await this.deps.directory.person(review.managerId);
    const all = manager ? [manager, ...members.filter((m) => m.id !== manager.id)] : members;
    return all;
  }

  async area(
    actorId: string,
    lang: Lang,
    id: string,
    areaId: string,
    seen: { round: number; step: number },
  ): Promise<object> {
    const { value: review } = await this.loadReview(id);
    const cycle = await this.loadCycle(review.cycleId);
    const actor = await this.deps.people.actor(actorId);
    if (!canOnReview(actor, 'view', review, cycle)) throw forbidden();
    if (!cycle.areas.some((a) => a.id === areaId)) throw badInput();
    if (!canOnReview(actor, 'edit', review, cycle) || seen.round !== review.round)
      return this.card(actorId, lang, review, cycle);
    return areaCard(lang, {
      cycle,
      review,
      areaId,
      values: review.assessments,
      owners: await this.owners(review),
      today: this.today(),
    });
  }

  /** Saves one area's draft. Refused input comes back on the area card with what was typed and what is wrong. */
  async save(
    actorId: string,
    lang: Lang,
    id: string,
    areaId: string,
    seen: { round: number; step: number },
    data: Record<string, unknown>,
    back: boolean,
  ): Promise<object> {
    const stored = await this.loadReview(id);
    const cycle = await this.loadCycle(stored.value.cycleId);
    const area = cycle.areas.find((a) => a.id === areaId);
    if (!area) throw badInput();
    const values = readArea(area, data, stored.value.assessments);
    const owners = await this.owners(stored.value);
    const isPerson = await this.isPerson(Object.values(values).map((a) => a.followUp?.ownerId ?? ''));
    const problems: AssessmentProblem[] = area.goals.flatMap((g) =>
      assessmentProblems(values[g.id] ?? { goalId: g.id }, this.today(), isPerson, true).map((problem) => ({
        goalId: g.id,
        problem,
      })),
    );
    const result = await this.move(
      actorId,
      'save',
      stored,
      cycle,
      seen,
      (review) => ({ ...review, assessments: { ...review.assessments, ...values } }),
      {
        refuse: problems.length > 0,
      },
    );
    if (result.kind !== 'moved' && result.kind !== 'refused')
      return this.card(actorId, lang, result.review, cycle);
    if (result.kind === 'refused') {
      return areaCard(lang, {
        cycle,
        review: stored.value,
        areaId,
        values: { ...stored.value.assessments, ...values },
        owners,
        today: this.today(),
        errors: problemTexts(lang, cycle, problems),
      });
    }
    if (back) return this.card(actorId, lang, result.review, cycle);
    const t = translator(lang);
    return areaCard(lang, {
      cycle,
      review: result.review,
      areaId,
      values: result.review.assessments,
      owners,
      today: this.today(),
      status: t('review.saved', {
        when: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', timeStyle: 'short' }).format(
          this.deps.clock(),
        ),
      }),
    });
  }

  async submit(
    actorId: string,
    lang: Lang,
    id: string,
    seen: { round: number; step: number },
  ): Promise<object> {
    const stored = await this.loadReview(id);
    const cycle = await this.loadCycle(stored.value.cycleId);
    const isPerson = await this.isPerson(
      Object.values(stored.value.assessments).map((a) => a.followUp?.ownerId ?? ''),
    );
    const problems = submissionProblems(cycle, stored.value, this.today(), isPerson);
    const now = this.deps.clock().toISOString();
    const result = await this.move(
      actorId,
      'submit',
      stored,
      cycle,
      seen,
      (review) => ({ ...review, round: review.round + 1, submittedAt: now, returnComment: undefined }),
      {
        refuse: problems.length > 0,
        within: async (tx, review) => {
          await this.storeFollowUps(tx, actorId, cycle, review, now);
        },
      },
    );
    const t = translator(lang);
    if (result.kind === 'refused') {
      return this.card(actorId, lang, stored.value, cycle, {
        errors: problemTexts(lang, cycle, problems),
        errorsTitle: t('review.notSubmitted'),
      });
    }
    if (result.kind !== 'moved') return this.card(actorId, lang, result.review, cycle);
    await this.deps.scheduler.runNow(consequencesJobId(result.review));
    return this.card(actorId, lang, result.review, cycle);
  }

  /** Creates or updates the FollowUp of every gap that has one (stable ids: a resubmission updates). */
  private async storeFollowUps(
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
            event(actorId, 'followUp', id, 'revise', now, {
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
          await tx.auditEvents.append(event(actorId, 'followUp', id, 'create', now, { toState: 'open' }));
          result.push(followUp);
        }
      }
    }
    return result;
  }

  // ---- the approvers ----

  async approve(
    actorId: string,
    lang: Lang,
    id: string,
    seen: { round: number; step: number },
  ): Promise<object> {
    return this.decideStep(actorId, lang, id, seen, 'approve', '');
  }

  async returnReview(
    actorId: string,
    lang: Lang,
    id: string,
    seen: { round: number; step: number },
    comment: string,
  ): Promise<object> {
    return this.decideStep(actorId, lang, id, seen, 'return', comment.trim().slice(0, 1000));
  }

  private async decideStep(
    actorId: string,
    lang: Lang,
    id: string,
    seen: { round: number; step: number },
    action: 'approve' | 'return',
    comment: string,
  ): Promise<object> {
    const stored = await this.loadReview(id);
    const cycle = await this.loadCycle(stored.value.cycleId);
    const now = this.deps.clock().toISOString();
    const step = stored.value.chain[stored.value.step];
    const result = await this.move(
      actorId,
      action,
      stored,
      cycle,
      seen,
      (review, decision) => ({
        ...review,
        signOffs: [
          ...review.signOffs,
          {
            step: review.step,
            role: step?.role ?? 'lineManager',
            decision: action === 'approve' ? 'approved' : 'returned',
            actorId,
            ...(decision.onBehalfOf ? { onBehalfOf: decision.onBehalfOf } : {}),
            at: now,
            ...(comment ? { comment } : {}),
          },
        ],
        ...(decision.state === 'signedOff' ? { signedOffAt: now } : {}),
        ...(action === 'return' ? { returnComment: comment } : {}),
      }),
      { comment, missingComment: action === 'return' && comment === '' },
    );
    if (result.kind === 'moved') await this.deps.scheduler.runNow(consequencesJobId(result.review));
    return this.card(actorId, lang, result.review, cycle);
  }

  /**
   * One transition: decide, then write the record and its audit event in one transaction with the
   * version read. When the record was written by someone else since it was read (a VersionConflict:
   * SharePoint's 412), it is read again and the rule decided again on what is there now: if they
   * moved it on, this click is stale and it stays as they left it; if not (their write changed
   * nothing this step depends on), the change is applied to the current record. Never overwritten.
   */
  private async move(
    actorId: string,
    action: ReviewAction,
    stored: Stored<UnitReview>,
    cycle: ReviewCycle,
    seen: { round: number; step: number },
    change: (review: UnitReview, decision: { state: UnitReview['state']; onBehalfOf?: string }) => UnitReview,
    options: {
      refuse?: boolean;
      comment?: string;
      missingComment?: boolean;
      within?: (tx: Store, review: UnitReview) => Promise<void>;
    } = {},
  ): Promise<{ kind: 'moved' | 'stale' | 'refused'; review: UnitReview }> {
    const actor = await this.deps.people.actor(actorId);
    let current = stored;
    for (let attempt = 1; ; attempt++) {
      const decision = decide(actor, action, current.value, cycle, seen);
      if (decision.kind === 'forbidden') throw forbidden();
      if (decision.kind === 'stale') return { kind: 'stale', review: current.value };
      if (options.missingComment) throw badInput('review.returnNeedsComment');
      if (options.refuse) return { kind: 'refused', review: current.value };
      const now = this.deps.clock().toISOString();
      const next: UnitReview = {
        ...change(current.value, decision),
        state: decision.state,
        step: decision.step,
        holderId: decision.holderId,
        updatedAt: now,
      };
      try {
        const saved = await this.deps.store.transaction(async (tx) => {
          const result = await tx.unitReviews.update(next, current.version);
          await options.within?.(tx, next);
          // a save changes the draft only; the steps of the chain have consequences
          if (action !== 'save')
            await this.deps.scheduler.schedule(
              {
                id: consequencesJobId(next),
                kind: CONSEQUENCES_JOB,
                dueAt: now,
                payload: { reviewId: next.id, action },
              },
              { tx },
            );
          await tx.auditEvents.append(
            event(actorId, 'unitReview', next.id, action, now, {
              fromState: decision.from,
              toState: decision.to,
              ...(decision.onBehalfOf ? { onBehalfOf: decision.onBehalfOf } : {}),
              ...(options.comment ? { comment: options.comment } : {}),
            }),
          );
          return result.value;
        });
        return { kind: 'moved', review: saved };
      } catch (error) {
        if (!(error instanceof VersionConflict)) throw error;
        current = await this.loadReview(next.id);
        if (attempt >= MOVE_ATTEMPTS) return { kind: 'stale', review: current.value };
      }
    }
  }

  /** The consequences job: what the transition named in its id causes (see CONSEQUENCES_JOB). */
  private async consequences(job: Job): Promise<void> {
    const stored = await this.deps.store.unitReviews.get(job.payload.reviewId ?? '');
    if (!stored) return;
    const review = stored.value;
    const cycle = await this.loadCycle(review.cycleId);
    if (job.payload.action === 'submit') {
      const followUps = (await this.deps.store.followUps.find({ sourceId: review.id })).map((f) => f.value);
      await this.deps.followUps.announce(
        cycle.id,
        followUps.filter((f) => f.sourceType === 'review' && f.status === 'open'),
      );
    }
    // moved on since (someone acted on it already): that transition has its own job, with the cards it needs
    if (consequencesJobId(review) !== job.id) return;
    await this.afterMove(review, cycle);
  }

  /** After a step: the next holder's card, and every earlier card updated to the current state. */
  private async afterMove(review: UnitReview, cycle: ReviewCycle): Promise<void> {
    const outgoing: Outgoing[] = [];
    if (review.state === 'submitted') {
      const approver = review.chain[review.step]?.personId ?? '';
      for (const personId of [approver, ...(await this.deps.people.deputiesOf(approver))]) {
        outgoing.push({
          key: `review:${review.id}:assign:${review.round}:${review.step + 1}:${personId}`,
          personId,
          kind: reviewKinds.assign,
          recordId: review.id,
        });
      }
    }
    if (review.state === 'returned') {
      outgoing.push({
        key: `review:${review.id}:returned:${review.round}:${review.managerId}`,
        personId: review.managerId,
        kind: reviewKinds.returned,
        recordId: review.id,
      });
    }
    if (outgoing.length > 0) await this.deps.sender.enqueue(cycle.id, outgoing);
    await this.deps.copies.update(review.id, async (personId) =>
      this.card(personId, langOf(await this.deps.people.lang(personId)), review, cycle),
    );
  }

  // ---- reminders and escalations (scheduler jobs) ----

  /** Reminders before the deadline: whoever holds the next step, and their deputies. */
  private remind(job: Job): Promise<void> {
    return this.notifyCycle(job, 'reminder', async (review) => {
      const holder = holderOf(review);
      return holder === '' ? [] : [holder, ...(await this.deps.people.deputiesOf(holder))];
    });
  }

  /** Escalations after the deadline: one level up the line from whoever holds the next step. */
  private escalate(job: Job): Promise<void> {
    return this.notifyCycle(job, 'escalation', async (review) => {
      const target = escalationTarget(review);
      return target ? [target] : [];
    });
  }

  /** One card per review and recipient, keyed by the job, so a re-run or a restart sends nothing twice. */
  private async notifyCycle(
    job: Job,
    purpose: 'reminder' | 'escalation',
    recipients: (review: UnitReview) => Promise<string[]>,
  ): Promise<void> {
    const cycle = await this.deps.store.reviewCycles.get(job.payload.cycleId ?? '');
    if (cycle?.value.status !== 'open') return;
    const outgoing: Outgoing[] = [];
    for (const { value: review } of await this.deps.store.unitReviews.find({ cycleId: cycle.value.id })) {
      for (const personId of await recipients(review)) {
        outgoing.push({
          key: `review:${review.id}:${purpose}:${job.payload.label}:${personId}`,
          personId,
          kind: reviewKinds[purpose],
          recordId: review.id,
        });
      }
    }
    await this.deps.sender.enqueue(cycle.value.id, outgoing);
  }

  // ---- the chief: progress and closing ----

  async cycles(actorId: string): Promise<{ cycle: ReviewCycle; reviews: UnitReview[] }[]> {
    const actor = await this.deps.people.actor(actorId);
    if (!canOnCycle(actor, 'viewProgress')) throw forbidden();
    const cycles = (await this.deps.store.reviewCycles.list())
      .map((s) => s.value)
      .sort((a, b) => b.year - a.year);
    const result: { cycle: ReviewCycle; reviews: UnitReview[] }[] = [];
    for (const cycle of cycles) {
      result.push({
        cycle,
        reviews: (await this.deps.store.unitReviews.find({ cycleId: cycle.id })).map((s) => s.value),
      });
    }
    return result;
  }

  async progressCard(actorId: string, lang: Lang): Promise<object> {
    const t = translator(lang);
    const all = await this.cycles(actorId);
    if (all.length === 0) return listCard(t('review.progress.title'), [t('review.progress.none')], []);
    const actor = await this.deps.people.actor(actorId);
    const names = await this.deps.people.names(
      all.flatMap(({ reviews }) => reviews.map((r) => holderOf(r))).filter(Boolean),
    );
    const items: ListItem[] = [];
    for (const { cycle, reviews } of all) {
      if (cycle.status === 'closed') {
        items.push({
          text: t('review.progress.closedLine', {
            year: cycle.year,
            when: cycle.closedAt ? cycle.closedAt.slice(0, 10) : '',
            docx: cycle.report?.docx ?? '',
          }),
          bold: true,
        });
        continue;
      }
      items.push({
        text: progressLines(lang, cycle, progressOf(cycle, reviews)),
        bold: true,
        details: reviews.map((r) => {
          const holder = holderOf(r);
          return t('review.progress.unitLine', {
            unit: r.unitName,
            state: stateText(lang, r),
            holder: holder ? names(holder) : '–',
          });
        }),
        action: canOnCycle(actor, 'close', cycle)
          ? {
              label: t('review.progress.close', { year: cycle.year }),
              verb: 'review.close',
              data: { cycleId: cycle.id },
            }
          : undefined,
      });
    }
    return listCard(t('review.progress.title'), [], items);
  }

  /** Closes the cycle and writes the annual report; the chief is told where it is. */
  async close(actorId: string, lang: Lang, cycleId: string): Promise<object> {
    const { store, clock } = this.deps;
    const t = translator(lang);
    const stored = await store.reviewCycles.get(cycleId);
    if (!stored) throw notFound();
    const actor = await this.deps.people.actor(actorId);
    if (!canOnCycle(actor, 'viewProgress')) throw forbidden();
    if (stored.value.status === 'closed') {
      return listCard(
        t('review.cycleTitle', { year: stored.value.year }),
        [t('review.close.alreadyClosed', { year: stored.value.year })],
        [],
      );
    }
    if (!canOnCycle(actor, 'close', stored.value)) throw forbidden();
    const now = clock().toISOString();
    const reviews = (await store.unitReviews.find({ cycleId })).map((s) => s.value);
    const followUps = (await store.followUps.find({ cycleId })).map((s) => s.value);
    const names = await this.deps.people.names([
      actorId,
      ...reviews.flatMap((r) => [
        r.managerId,
        ...r.chain.map((s) => s.personId),
        ...r.signOffs.flatMap((s) => [s.actorId, s.onBehalfOf ?? '']),
      ]),
      ...followUps.map((f) => f.ownerId),
    ]);
    const units = await this.deps.directory.units();
    const events = new Map<string, AuditEvent[]>();
    for (const r of reviews) events.set(r.id, await store.auditEvents.find({ recordId: r.id }));
    const closing: ReviewCycle = { ...stored.value, status: 'closed', closedBy: actorId, closedAt: now };
    const report = await this.deps.writeReport(
      toReportInput(closing, reviews, followUps, {
        organisation: this.deps.directory.organisation.name,
        generatedAt: now,
        names,
        lineOf: (unitId) => {
          const unit = units.find((u) => u.id === unitId);
          const line: string[] = [];
          let parent = unit?.parentId ? units.find((u) => u.id === unit.parentId) : undefined;
          while (parent) {
            line.unshift(parent.name);
            parent = parent.parentId ? units.find((u) => u.id === parent?.parentId) : undefined;
          }
          return line;
        },
        eventsOf: (id) => events.get(id) ?? [],
      }),
    );
    let closed: ReviewCycle;
    try {
      closed = await store.transaction(async (tx) => {
        const saved = await tx.reviewCycles.update({ ...closing, report }, stored.version);
        await tx.auditEvents.append(
          event(actorId, 'reviewCycle', cycleId, 'close', now, { fromState: 'open', toState: 'closed' }),
        );
        return saved.value;
      });
    } catch (error) {
      if (error instanceof VersionConflict) return this.close(actorId, lang, cycleId);
      throw error;
    }
    for (const job of cycleJobs(closed)) await this.deps.scheduler.cancel(job.id);
    return listCard(
      t('review.cycleTitle', { year: closed.year }),
      [t('review.close.done', { year: closed.year, docx: report.docx, csv: report.csv })],
      [],
    );
  }

  // ---- "min uppföljning" ----

  async mine(actorId: string, lang: Lang): Promise<object> {
    const t = translator(lang);
    const actor = await this.deps.people.actor(actorId);
    const reviews = new Map<string, UnitReview>();
    for (const id of [actorId, ...actor.deputyFor]) {
      for (const s of await this.deps.store.unitReviews.find({ managerId: id }))
        reviews.set(s.value.id, s.value);
      for (const s of await this.deps.store.unitReviews.find({ holderId: id }))
        reviews.set(s.value.id, s.value);
    }
    const items: ListItem[] = [];
    for (const review of reviews.values()) {
      const cycle = await this.loadCycle(review.cycleId);
      if (cycle.status !== 'open') continue;
      items.push({
        text: t('review.mine.reviewLine', {
          unit: review.unitName,
          year: cycle.year,
          state: stateText(lang, review),
        }),
        bold: holderOf(review) === actorId || actor.deputyFor.includes(holderOf(review)),
        action: { label: t('review.mine.open'), verb: 'review.view', data: { reviewId: review.id } },
      });
    }
    for (const f of await this.deps.followUps.mine(actorId)) {
      items.push({
        text: t('review.mine.followUpLine', {
          what: f.what,
          status: t(`followup.status.${f.status}` as MessageKey),
          due: f.due,
        }),
        action: { label: t('review.mine.open'), verb: 'followup.view', data: { followUpId: f.id } },
      });
    }
    return listCard(t('review.mine.title'), items.length === 0 ? [t('review.mine.none')] : [], items);
  }

  // ---- deputies ----

  async deputyForm(actorId: string, lang: Lang, status?: { text: string; good: boolean }): Promise<object> {
    const person = await this.deps.directory.person(actorId);
    if (!person) throw forbidden();
    const today = this.today();
    const mine = (await this.deps.store.deputies.find({ principalId: actorId }))
      .map((d) => d.value)
      .filter((d) => d.to >= today);
    const names = await this.deps.people.names(mine.map((d) => d.deputyId));
    const colleagues = (
      await Promise.all(
        (await this.deps.directory.units()).map((u) => this.deps.directory.person(u.managerId)),
      )
    )
      .filter((p) => p !== undefined && p.id !== actorId)
      .filter(
        (p, i, all) => all.findIndex((q) => q?.id === p?.id) === i,
      ) as import('../../platform/org/model').Person[];
    return deputyCard(lang, {
      people: [
        ...(await this.deps.directory.membersOf(person.unitId)).filter((p) => p.id !== actorId),
        ...colleagues,
      ].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i),
      current: mine.map((d) => ({ name: names(d.deputyId), from: d.from, to: d.to })),
      today,
      status,
    });
  }

  /** Names a deputy for a period. Anyone may name one; it matters where they hold a step. */
  async setDeputy(
    actorId: string,
    lang: Lang,
    input: { deputyId: string; from: string; to: string },
  ): Promise<object> {
    const t = translator(lang);
    if (!(await this.deps.directory.person(actorId))) throw forbidden();
    if (input.deputyId === actorId) throw badInput('review.deputy.self');
    const deputy = await this.deps.directory.person(input.deputyId);
    if (!deputy) throw badInput('review.deputy.unknown');
    if (!DATE.test(input.from) || !DATE.test(input.to) || input.to < input.from || input.to < this.today())
      throw badInput('review.deputy.badPeriod');
    const now = this.deps.clock().toISOString();
    const record = {
      id: randomUUID(),
      principalId: actorId,
      deputyId: input.deputyId,
      from: input.from,
      to: input.to,
      createdAt: now,
    };
    await this.deps.store.transaction(async (tx) => {
      await tx.deputies.insert(record);
      await tx.auditEvents.append(
        event(actorId, 'deputy', record.id, 'name', now, {
          comment: `${input.deputyId} ${input.from}–${input.to}`,
        }),
      );
    });
    return this.deputyForm(actorId, lang, {
      text: t('review.deputy.saved', { name: deputy.name, from: input.from, to: input.to }),
      good: true,
    });
  }

  /** A unit review's state for the tab API, if the caller may see it. */
  async reviewState(
    actorId: string,
    id: string,
  ): Promise<{
    review: UnitReview;
    cycle: Pick<ReviewCycle, 'id' | 'year' | 'deadline' | 'status'>;
    holderId: string;
    abilities: string[];
  }> {
    const { value: review } = await this.loadReview(id);
    const cycle = await this.loadCycle(review.cycleId);
    const actor = await this.deps.people.actor(actorId);
    if (!canOnReview(actor, 'view', review, cycle)) throw forbidden();
    const abilities = (['edit', 'submit', 'approve', 'return'] as const).filter((a) =>
      canOnReview(actor, a, review, cycle),
    );
    return {
      review,
      cycle: { id: cycle.id, year: cycle.year, deadline: cycle.deadline, status: cycle.status },
      holderId: holderOf(review),
      abilities,
    };
  }
}

/** Reads one area's inputs (rating_<goal>, comment_<goal>, …) over the stored draft. */
export function readArea(
  area: Area,
  data: Record<string, unknown>,
  stored: Record<string, Assessment>,
): Record<string, Assessment> {
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string).trim() : undefined);
  const result: Record<string, Assessment> = {};
  for (const goal of area.goals) {
    const before = stored[goal.id] ?? { goalId: goal.id };
    const rating = text(`rating_${goal.id}`);
    const what = text(`followUpWhat_${goal.id}`) ?? '';
    const ownerId = text(`followUpOwner_${goal.id}`) ?? '';
    const due = text(`followUpDue_${goal.id}`) ?? '';
    const a: Assessment = { goalId: goal.id };
    const r = rating === undefined ? before.rating : rating;
    if (r === 'met' || r === 'partlyMet' || r === 'notMet' || r === 'notApplicable') a.rating = r;
    else if (r) throw new AppError({ id: 'bad_input', status: 400, messageKey: 'error.badInput' });
    const comment = text(`comment_${goal.id}`) ?? before.comment;
    if (comment) a.comment = comment.slice(0, 1000);
    const evidence = text(`evidence_${goal.id}`) ?? before.evidence;
    if (evidence) a.evidence = evidence.slice(0, 500);
    if (what || ownerId || due) a.followUp = { what: what.slice(0, 500), ownerId, due };
    else if (data[`followUpWhat_${goal.id}`] === undefined && before.followUp) a.followUp = before.followUp;
    const reason = text(`reason_${goal.id}`) ?? before.reason;
    if (reason) a.reason = reason.slice(0, 500);
    result[goal.id] = a;
  }
  return result;
}

function event(
  actorId: string,
  recordType: string,
  recordId: string,
  action: string,
  at: string,
  extra: Partial<AuditEvent> = {},
): AuditEvent {
  return auditEvent({ at, actorId, recordType, recordId, action, ...extra });
}
