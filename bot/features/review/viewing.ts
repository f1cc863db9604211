/** Looking at a review: its card, one area's form, its state for the tab, and "min uppföljning". */
import { badInput } from '../../platform/errors';
import { type Lang, type MessageKey, translator } from '../../platform/i18n';
import type { ReviewContext } from './context';
import type { ReviewCycle, UnitReview } from './model';
import { canOnReview, holderOf, reviewPolicy } from './policy';
import { areaCard, type ListItem, listCard, stateText } from './present';
import type { Seen } from './schema';
import { verbs } from './verbs';

export async function view(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  reviewId: string,
): Promise<object> {
  const { review, cycle, actor } = await ctx.load(reviewId, actorId);
  reviewPolicy.authorize(actor, 'view', { review, cycle });
  return ctx.card(actorId, lang, review, cycle);
}

/** One area's form; the review card instead when the viewer may not edit or the card is from an earlier round. */
export async function area(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  reviewId: string,
  areaId: string,
  seen: Seen,
): Promise<object> {
  const { review, cycle, actor } = await ctx.load(reviewId, actorId);
  reviewPolicy.authorize(actor, 'view', { review, cycle });
  if (!cycle.areas.some((a) => a.id === areaId)) throw badInput();
  if (!canOnReview(actor, 'edit', review, cycle) || seen.round !== review.round)
    return ctx.card(actorId, lang, review, cycle);
  return areaCard(lang, {
    cycle,
    review,
    areaId,
    values: review.assessments,
    owners: await ctx.owners(review),
    today: ctx.today(),
  });
}

/** A unit review's state for the tab API, if the caller may see it. */
export async function reviewState(
  ctx: ReviewContext,
  actorId: string,
  reviewId: string,
): Promise<{
  review: UnitReview;
  cycle: Pick<ReviewCycle, 'id' | 'year' | 'deadline' | 'status'>;
  holderId: string;
  abilities: string[];
}> {
  const { review, cycle, actor } = await ctx.load(reviewId, actorId);
  reviewPolicy.authorize(actor, 'view', { review, cycle });
  const may = reviewPolicy.abilitiesOf(actor, { review, cycle }, [
    'edit',
    'submit',
    'approve',
    'return',
    'remind',
  ]);
  const abilities = (Object.keys(may) as (keyof typeof may)[]).filter((a) => may[a]);
  return {
    review,
    cycle: { id: cycle.id, year: cycle.year, deadline: cycle.deadline, status: cycle.status },
    holderId: holderOf(review),
    abilities,
  };
}

/** "min uppföljning": the open reviews the person manages or holds (or their principal's), and their follow-ups. */
export async function mine(ctx: ReviewContext, actorId: string, lang: Lang): Promise<object> {
  const { store } = ctx.deps;
  const t = translator(lang);
  const actor = await ctx.actor(actorId);
  const reviews = new Map<string, UnitReview>();
  for (const id of [actorId, ...actor.deputyFor]) {
    for (const s of await store.unitReviews.find({ managerId: id })) reviews.set(s.value.id, s.value);
    for (const s of await store.unitReviews.find({ holderId: id })) reviews.set(s.value.id, s.value);
  }
  const items: ListItem[] = [];
  for (const review of reviews.values()) {
    const cycle = await ctx.loadCycle(review.cycleId);
    if (cycle.status !== 'open') continue;
    items.push({
      text: t('review.mine.reviewLine', {
        unit: review.unitName,
        year: cycle.year,
        state: stateText(lang, review),
      }),
      bold: holderOf(review) === actorId || actor.deputyFor.includes(holderOf(review)),
      action: { label: t('review.mine.open'), verb: verbs.reviewView, data: { reviewId: review.id } },
    });
  }
  for (const f of await ctx.deps.followUps.mine(actorId)) {
    items.push({
      text: t('review.mine.followUpLine', {
        what: f.what,
        status: t(`followup.status.${f.status}` as MessageKey),
        due: f.due,
      }),
      action: { label: t('review.mine.open'), verb: verbs.followUpView, data: { followUpId: f.id } },
    });
  }
  return listCard(t('review.mine.title'), items.length === 0 ? [t('review.mine.none')] : [], items);
}

/** The reviews of the units the person manages and those waiting for their signature, newest cycle first. */
export async function reviewsFor(
  ctx: ReviewContext,
  actorId: string,
): Promise<{ review: UnitReview; cycle: ReviewCycle }[]> {
  const { store } = ctx.deps;
  const found = new Map<string, UnitReview>();
  for (const s of [
    ...(await store.unitReviews.find({ managerId: actorId })),
    ...(await store.unitReviews.find({ holderId: actorId })),
  ])
    found.set(s.value.id, s.value);
  const result: { review: UnitReview; cycle: ReviewCycle }[] = [];
  for (const review of found.values()) result.push({ review, cycle: await ctx.loadCycle(review.cycleId) });
  return result.sort(
    (a, b) => b.cycle.year - a.cycle.year || a.review.unitName.localeCompare(b.review.unitName),
  );
}
