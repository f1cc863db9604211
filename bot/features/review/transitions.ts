/**
 * The unit review's transitions: save a draft, submit, approve, return. Each loads the review with
 * its cycle and actor, lets the state machine decide (the caller against the declared policy, the
 * card's round and step against the record), writes the change and its AuditEvent in one
 * transaction with a version check, together with the job that carries out what follows (an outbox:
 * the next holder's card, the follow-ups' cards and overdue jobs, every earlier card updated), which
 * runs at once after the commit, or at the next start if the process dies first.
 */

import type { Outgoing } from '../../platform/delivery/port';
import { badInput, forbidden } from '../../platform/errors';
import { type Lang, langOf, translator } from '../../platform/i18n';
import type { Job } from '../../platform/schedule/port';
import { type Store, type Stored, VersionConflict } from '../../platform/store';
import { event, type ReviewContext, reviewKinds } from './context';
import { decide, type ReviewAction } from './machine';
import {
  type Area,
  type Assessment,
  NO_FOLLOW_UP,
  type Rating,
  type ReviewCycle,
  type UnitReview,
} from './model';
import type { ReviewActor } from './policy';
import { areaCard, problemTexts } from './present';
import { type AssessmentProblem, assessmentProblems, submissionProblems } from './rules';
import type { AreaValues, GoalInput, Seen } from './schema';

/** Times a transition is decided again on a record someone else wrote meanwhile, before the click is called stale. */
const MOVE_ATTEMPTS = 5;

/**
 * A transition's consequences as one job written by the transition's own transaction. Every step in it
 * is idempotent (deliveries by key, jobs by id), so a second run after a crash sends nothing twice.
 */
export const CONSEQUENCES_JOB = 'review.consequences';
const consequencesJobId = (review: UnitReview) =>
  `review:${review.id}:consequences:${review.round}:${review.step}:${review.state}`;

/** Saves one area's draft. Refused input comes back on the area card with what was typed and what is wrong. */
export async function save(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  reviewId: string,
  areaId: string,
  seen: Seen,
  input: AreaValues,
  back: boolean,
): Promise<object> {
  const loaded = await ctx.load(reviewId, actorId);
  const { stored, cycle } = loaded;
  const area = cycle.areas.find((a) => a.id === areaId);
  if (!area) throw badInput();
  const values = mergeArea(area, input, stored.value.assessments);
  const owners = await ctx.owners(stored.value);
  const isPerson = await ctx.isPerson(Object.values(values).map((a) => a.followUp?.ownerId ?? ''));
  const problems: AssessmentProblem[] = area.goals.flatMap((g) =>
    assessmentProblems(values[g.id] ?? { goalId: g.id }, ctx.today(), isPerson, true).map((problem) => ({
      goalId: g.id,
      problem,
    })),
  );
  const result = await move(
    ctx,
    loaded,
    'save',
    seen,
    (review) => ({ ...review, assessments: { ...review.assessments, ...values } }),
    { refuse: problems.length > 0 },
  );
  const areaView = { cycle, areaId, owners, today: ctx.today() };
  if (result.kind === 'stale') return ctx.card(actorId, lang, result.review, cycle);
  if (result.kind === 'refused') {
    return areaCard(lang, {
      ...areaView,
      review: stored.value,
      values: { ...stored.value.assessments, ...values },
      errors: problemTexts(lang, cycle, problems),
    });
  }
  if (back) return ctx.card(actorId, lang, result.review, cycle);
  return areaCard(lang, {
    ...areaView,
    review: result.review,
    values: result.review.assessments,
    status: translator(lang)('review.saved', {
      when: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', timeStyle: 'short' }).format(
        ctx.deps.clock(),
      ),
    }),
  });
}

/** The manager submits: the gaps' follow-ups are stored with it, the first approver gets the card. */
export async function submit(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  reviewId: string,
  seen: Seen,
): Promise<object> {
  const loaded = await ctx.load(reviewId, actorId);
  const { stored, cycle } = loaded;
  const isPerson = await ctx.isPerson(
    Object.values(stored.value.assessments).map((a) => a.followUp?.ownerId ?? ''),
  );
  const problems = submissionProblems(cycle, stored.value, ctx.today(), isPerson);
  const now = ctx.now();
  const result = await move(
    ctx,
    loaded,
    'submit',
    seen,
    (review) => ({ ...review, round: review.round + 1, submittedAt: now, returnComment: undefined }),
    {
      refuse: problems.length > 0,
      within: async (tx, review) => {
        await ctx.deps.followUps.recordGaps(tx, actorId, cycle, review, now);
      },
    },
  );
  if (result.kind === 'refused') {
    return ctx.card(actorId, lang, stored.value, cycle, {
      errors: problemTexts(lang, cycle, problems),
      errorsTitle: translator(lang)('review.notSubmitted'),
    });
  }
  if (result.kind !== 'moved') return ctx.card(actorId, lang, result.review, cycle);
  await ctx.deps.scheduler.runNow(consequencesJobId(result.review));
  return ctx.card(actorId, lang, result.review, cycle);
}

/** The step's approver (or their deputy) approves: the next step's approver gets the card, or it is signed off. */
export function approve(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  reviewId: string,
  seen: Seen,
): Promise<object> {
  return decideStep(ctx, actorId, lang, reviewId, seen, 'approve', '');
}

/** The step's approver returns it to the manager with a comment (required). */
export function returnReview(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  reviewId: string,
  seen: Seen,
  comment: string,
): Promise<object> {
  return decideStep(ctx, actorId, lang, reviewId, seen, 'return', comment.trim().slice(0, 1000));
}

async function decideStep(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  reviewId: string,
  seen: Seen,
  action: 'approve' | 'return',
  comment: string,
): Promise<object> {
  const loaded = await ctx.load(reviewId, actorId);
  const now = ctx.now();
  const step = loaded.review.chain[loaded.review.step];
  const result = await move(
    ctx,
    loaded,
    action,
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
  if (result.kind === 'moved') await ctx.deps.scheduler.runNow(consequencesJobId(result.review));
  return ctx.card(actorId, lang, result.review, loaded.cycle);
}

/**
 * One transition: decide, then write the record and its audit event in one transaction with the
 * version read. When the record was written by someone else since it was read (a VersionConflict:
 * SharePoint's 412), it is read again and the rule decided again on what is there now: if they
 * moved it on, this click is stale and it stays as they left it; if not (their write changed
 * nothing this step depends on), the change is applied to the current record. Never overwritten.
 */
async function move(
  ctx: ReviewContext,
  loaded: { stored: Stored<UnitReview>; cycle: ReviewCycle; actor: ReviewActor },
  action: ReviewAction,
  seen: Seen,
  change: (review: UnitReview, decision: { state: UnitReview['state']; onBehalfOf?: string }) => UnitReview,
  options: {
    refuse?: boolean;
    comment?: string;
    missingComment?: boolean;
    within?: (tx: Store, review: UnitReview) => Promise<void>;
  } = {},
): Promise<{ kind: 'moved' | 'stale' | 'refused'; review: UnitReview }> {
  const { actor, cycle } = loaded;
  let current = loaded.stored;
  for (let attempt = 1; ; attempt++) {
    const decision = decide(actor, action, current.value, cycle, seen);
    if (decision.kind === 'forbidden') throw forbidden();
    if (decision.kind === 'stale') return { kind: 'stale', review: current.value };
    if (options.missingComment) throw badInput('review.returnNeedsComment');
    if (options.refuse) return { kind: 'refused', review: current.value };
    const now = ctx.now();
    const next: UnitReview = {
      ...change(current.value, decision),
      state: decision.state,
      step: decision.step,
      holderId: decision.holderId,
      updatedAt: now,
    };
    try {
      const saved = await ctx.deps.store.transaction(async (tx) => {
        const result = await tx.unitReviews.update(next, current.version);
        await options.within?.(tx, next);
        // a save changes the draft only; the steps of the chain have consequences
        if (action !== 'save')
          await ctx.deps.scheduler.schedule(
            {
              id: consequencesJobId(next),
              kind: CONSEQUENCES_JOB,
              dueAt: now,
              payload: { reviewId: next.id, action },
            },
            { tx },
          );
        await tx.auditEvents.append(
          event(actor.id, 'unitReview', next.id, action, now, {
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
      current = await ctx.loadReview(next.id);
      if (attempt >= MOVE_ATTEMPTS) return { kind: 'stale', review: current.value };
    }
  }
}

/** The consequences job: what the transition named in its id causes (see CONSEQUENCES_JOB). */
export async function consequences(ctx: ReviewContext, job: Job): Promise<void> {
  const found = await ctx.deps.store.unitReviews.get(job.payload.reviewId ?? '');
  if (!found) return;
  const review = found.value;
  const cycle = await ctx.loadCycle(review.cycleId);
  // the follow-ups' owners hear of them once the review is signed off (not at submission, before anyone approved them)
  const action = job.payload.action;
  if ((action === 'submit' || action === 'approve') && review.state === 'signedOff') {
    const followUps = (await ctx.deps.store.followUps.find({ sourceId: review.id })).map((f) => f.value);
    await ctx.deps.followUps.announce(
      cycle.id,
      followUps.filter((f) => f.sourceType === 'review' && f.status === 'open'),
    );
  }
  // moved on since (someone acted on it already): that transition has its own job, with the cards it needs
  if (consequencesJobId(review) !== job.id) return;
  await afterMove(ctx, review, cycle);
}

/** After a step: the next holder's card, and every earlier card updated to the current state. */
async function afterMove(ctx: ReviewContext, review: UnitReview, cycle: ReviewCycle): Promise<void> {
  const { people, sender, copies } = ctx.deps;
  const outgoing: Outgoing[] = [];
  if (review.state === 'submitted') {
    const approver = review.chain[review.step]?.personId ?? '';
    for (const personId of [approver, ...(await people.deputiesOf(approver))]) {
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
  if (review.state === 'signedOff') {
    // the manager is told, not only shown a changed card
    outgoing.push({
      key: `review:${review.id}:signedOff:${review.round}:${review.managerId}`,
      personId: review.managerId,
      kind: reviewKinds.signedOff,
      recordId: review.id,
    });
  }
  if (outgoing.length > 0) await sender.enqueue(cycle.id, outgoing);
  await copies.update(review.id, async ({ personId }) =>
    ctx.card(personId, langOf(await people.lang(personId)), review, cycle),
  );
}

/** One area's inputs over the stored draft: what was not on the card stays as drafted. */
function mergeArea(
  area: Area,
  values: AreaValues,
  stored: Record<string, Assessment>,
): Record<string, Assessment> {
  const result: Record<string, Assessment> = {};
  for (const goal of area.goals) {
    const before = stored[goal.id] ?? { goalId: goal.id };
    const input = values[goal.id] ?? {};
    // a field the card showed and did not send was cleared; one it did not show keeps the stored draft
    const sent = (field: keyof GoalInput): string | undefined => {
      const value = input[field];
      return typeof value === 'string' ? value : input.shown ? '' : undefined;
    };
    const removed = input.followUpOwner === NO_FOLLOW_UP;
    const what = removed ? '' : (input.followUpWhat ?? '');
    const ownerId = removed ? '' : (input.followUpOwner ?? '');
    const due = removed ? '' : (input.followUpDue ?? '');
    const a: Assessment = { goalId: goal.id };
    const rating = sent('rating') ?? before.rating;
    if (rating) a.rating = rating as Rating;
    const comment = sent('comment') ?? before.comment;
    if (comment) a.comment = comment.slice(0, 1000);
    const evidence = sent('evidence') ?? before.evidence;
    if (evidence) a.evidence = evidence.slice(0, 500);
    if (what || ownerId || due) a.followUp = { what: what.slice(0, 500), ownerId, due };
    else if (!removed && !input.shown && input.followUpWhat === undefined && before.followUp)
      a.followUp = before.followUp;
    const reason = sent('reason') ?? before.reason;
    if (reason) a.reason = reason.slice(0, 500);
    result[goal.id] = a;
  }
  return result;
}
