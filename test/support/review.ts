/** Acting in the yearly review as Teams would: the area cards' inputs, the buttons with the round and step the card showed. */
import type { UnitReview } from '../../bot/features/review/model';
import type { Store } from '../../bot/platform/store';
import type { BotResponse, Channel, ChannelUser } from './channel';

/** The card an invoke answered with (replacing the clicked one for the clicker), or its message. */
export const answer = (response: BotResponse) => (response.body as { type: string; value: unknown }).value;

export interface AreaValues {
  rating?: string;
  comment?: string;
  evidence?: string;
  followUpWhat?: string;
  followUpOwner?: string;
  followUpDue?: string;
  reason?: string;
}

/** The chief's open form as Teams sends it (2026, the units under Hälso- och sjukvårdsförvaltningen). */
export const openCycleForm = (overrides: Record<string, unknown> = {}) => ({
  year: '2026',
  deadline: '2026-12-15',
  scope: 'u-hsf',
  chain: 'default',
  include_ss2: 'false',
  text_kb1: 'Risk- och sårbarhetsanalys och kontinuitetsplan är aktuella och övade under året.',
  add_as: 'Alla medarbetare har gått den digitala brandskyddsutbildningen.',
  ...overrides,
});

async function stored(store: Store, id: string): Promise<UnitReview> {
  return (await store.unitReviews.get(id))?.value as UnitReview;
}

/**
 * Fills in every area as Teams would send the area card's inputs (all inputs, empty ones as "");
 * returns the answers to the saves. `opened` sees each area card as it opened.
 */
export async function fillReview(
  channel: Channel,
  store: Store,
  user: ChannelUser,
  reviewId: string,
  values: Record<string, AreaValues>,
  rest: AreaValues = { rating: 'met' },
  opened: (card: unknown) => void = () => undefined,
): Promise<unknown[]> {
  const review = await stored(store, reviewId);
  const cycle = (await store.reviewCycles.get(review.cycleId))?.value;
  const answers: unknown[] = [];
  for (const area of cycle?.areas ?? []) {
    const seen = { reviewId, areaId: area.id, round: review.round, step: review.step };
    opened(answer(await channel.execute(user, 'review.area', seen)));
    const data: Record<string, unknown> = { ...seen, back: true };
    for (const goal of area.goals) {
      const v = { ...rest, ...(values[goal.id] ?? {}) };
      data[`rating_${goal.id}`] = v.rating ?? '';
      data[`comment_${goal.id}`] = v.comment ?? '';
      data[`evidence_${goal.id}`] = v.evidence ?? '';
      data[`followUpWhat_${goal.id}`] = v.followUpWhat ?? '';
      data[`followUpOwner_${goal.id}`] = v.followUpOwner ?? '';
      data[`followUpDue_${goal.id}`] = v.followUpDue ?? '';
      data[`reason_${goal.id}`] = v.reason ?? '';
    }
    answers.push(answer(await channel.execute(user, 'review.save', data)));
  }
  return answers;
}

/** Presses a button of the review's card as it stands now (its round and step). */
export async function pressOnReview(
  channel: Channel,
  store: Store,
  user: ChannelUser,
  verb: string,
  reviewId: string,
  extra: Record<string, unknown> = {},
): Promise<BotResponse> {
  const review = await stored(store, reviewId);
  return channel.execute(user, verb, { reviewId, round: review.round, step: review.step, ...extra });
}
