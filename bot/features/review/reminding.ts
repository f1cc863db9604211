/**
 * Did the card reach the person whose turn it is, and reminding them by hand. The sender keeps a
 * Delivery per card (platform/delivery): the latest one to a review's holder says whether their card
 * went out, waits (queued, retrying), or failed for good and why (blocked the bot, no app installed,
 * left the organisation). The security function sees that per unit in the tab and can send the holder
 * the card again with a reminder banner: once a day per review and holder, through the sender, so it
 * survives a restart and keeps to Teams' limits.
 */
import type { Delivery, FailureReason } from '../../platform/delivery/port';
import { stockholmDay } from '../../platform/time';
import { event, type ReviewContext, reviewKinds } from './context';
import type { UnitReview } from './model';
import { holderOf, reviewPolicy } from './policy';

export interface CardState {
  /** `none`: nobody holds the review (signed off), or no card has been sent to the holder yet. */
  status: 'sent' | 'queued' | 'failed' | 'none';
  reason?: FailureReason;
  /** When it was sent, or when the last attempt was made. */
  at?: string;
}

/** The holder's card for each review, from the cycle's deliveries (a plain function: tested without I/O). */
export function cardStates(
  reviews: readonly UnitReview[],
  deliveries: readonly Delivery[],
): Map<string, CardState> {
  const latest = new Map<string, Delivery>();
  for (const d of deliveries) {
    if (d.status === 'cancelled' || d.status === 'skipped') continue;
    const key = `${d.recordId}\n${d.personId}`;
    const seen = latest.get(key);
    if (!seen || d.createdAt > seen.createdAt || (d.createdAt === seen.createdAt && d.key > seen.key))
      latest.set(key, d);
  }
  const states = new Map<string, CardState>();
  for (const review of reviews) {
    const holder = holderOf(review);
    const d = holder ? latest.get(`${review.id}\n${holder}`) : undefined;
    states.set(
      review.id,
      !d
        ? { status: 'none' }
        : d.status === 'failed'
          ? { status: 'failed', reason: d.failure?.reason ?? 'other', at: d.sentAt ?? d.createdAt }
          : d.status === 'sent'
            ? { status: 'sent', at: d.sentAt }
            : { status: 'queued', at: d.createdAt },
    );
  }
  return states;
}

/** The card state of every review of a cycle. */
export async function cycleCardStates(
  ctx: ReviewContext,
  cycleId: string,
  reviews: readonly UnitReview[],
): Promise<Map<string, CardState>> {
  return cardStates(reviews, await ctx.deps.sender.deliveries(cycleId));
}

/**
 * The security function reminds the holder by hand: the review card again, with a banner that says who
 * reminds. The audit event and the delivery commit together. A second reminder the same day is the same
 * delivery (its key names the day): `reminded` is false and nothing more is sent.
 */
export async function remindByHand(
  ctx: ReviewContext,
  actorId: string,
  reviewId: string,
): Promise<{ reminded: boolean; card: CardState }> {
  const { review, cycle, actor } = await ctx.load(reviewId, actorId);
  reviewPolicy.authorize(actor, 'remind', { review, cycle });
  const holder = holderOf(review);
  const key = `review:${review.id}:nudge:${stockholmDay(ctx.deps.clock())}:${holder}`;
  const before = await ctx.deps.sender.deliveries(cycle.id);
  if (before.some((d) => d.key === key))
    return { reminded: false, card: cardStates([review], before).get(review.id) ?? { status: 'none' } };
  const now = ctx.now();
  let wake = () => {};
  await ctx.deps.store.transaction(async (tx) => {
    await tx.auditEvents.append(
      event(actorId, 'unitReview', review.id, 'remind', now, {
        fromState: review.state,
        toState: review.state,
      }),
    );
    wake = await ctx.deps.sender.enqueueWithin(tx, cycle.id, [
      { key, personId: holder, kind: reviewKinds.nudge, recordId: review.id },
    ]);
  });
  wake();
  // the newest delivery to the holder is this one, waiting for the sender
  return { reminded: true, card: { status: 'queued', at: now } };
}
