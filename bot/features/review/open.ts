/** Opening the year's cycle: the chief's form, then one UnitReview per participating unit, the schedule, the first cards. */
import { badInput } from '../../platform/errors';
import { type Lang, translator } from '../../platform/i18n';
import type { Unit } from '../../platform/org/model';
import { DuplicateId } from '../../platform/store';
import { event, type ReviewContext, reviewKinds } from './context';
import { cycleIdOf, type ReviewCycle, reviewId, type UnitReview } from './model';
import { cyclePolicy } from './policy';
import { listCard, openCard } from './present';
import { cycleJobs, lineAbove, participatingUnits, resolveChain } from './rules';
import { DAY, type OpenCycleInput } from './schema';

/** The opening form, for the chief. */
export async function openForm(ctx: ReviewContext, actorId: string, lang: Lang): Promise<object> {
  cyclePolicy.authorize(await ctx.actor(actorId), 'open', undefined);
  return openCard(lang, {
    template: ctx.deps.template,
    units: await ctx.deps.directory.units(),
    today: ctx.today(),
    year: Number(ctx.today().slice(0, 4)),
  });
}

/** Opens the year's cycle: one UnitReview per participating unit, the schedule, the first cards. */
export async function openCycle(
  ctx: ReviewContext,
  actorId: string,
  input: OpenCycleInput,
): Promise<{ cycle: ReviewCycle; reviews: UnitReview[] }> {
  const { store, directory } = ctx.deps;
  cyclePolicy.authorize(await ctx.actor(actorId), 'open', undefined);
  const today = ctx.today();
  const thisYear = Number(today.slice(0, 4));
  if (!Number.isInteger(input.year) || input.year < thisYear - 1 || input.year > thisYear + 1) {
    throw badInput('review.open.badYear', { min: thisYear - 1, max: thisYear + 1 });
  }
  if (!DAY.test(input.deadline) || Number.isNaN(Date.parse(input.deadline)))
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
  const now = ctx.now();
  const cycle: ReviewCycle = {
    id,
    year: input.year,
    organisation: directory.organisation.id,
    status: 'open',
    deadline: input.deadline,
    areas,
    chain: input.chain,
    unitIds: chosen.map((u) => u.id),
    schedule: ctx.deps.schedule,
    openedBy: actorId,
    openedAt: now,
  };
  const reviews = chosen.map((unit) => newReview(cycle, unit, org, now));
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
  for (const job of cycleJobs(cycle)) await ctx.deps.scheduler.schedule(job);
  await ctx.deps.sender.enqueue(
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

/** Opens from the chief's form and says so on the card. */
export async function openFromForm(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  input: OpenCycleInput,
): Promise<object> {
  const { cycle, reviews } = await openCycle(ctx, actorId, input);
  const t = translator(lang);
  return listCard(
    t('review.cycleTitle', { year: cycle.year }),
    [t('review.open.done', { year: cycle.year, units: reviews.length, deadline: cycle.deadline })],
    [],
  );
}

function newReview(
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
