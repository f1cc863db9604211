/**
 * The state machine of a unit's review, as plain functions: which action leads from which state to
 * which, and who may take it. Every change in the service goes through `decide`.
 *
 *   open ──submit──▶ submitted(step 0) ──approve──▶ submitted(step 1) … ──approve (last step)──▶ signedOff
 *     ▲                 │ return                        │ return
 *     └── save          ▼                               ▼
 *                    returned ──submit──▶ submitted(step 0)   (save keeps open/returned as they are)
 */
import type { ReviewCycle, ReviewState, UnitReview } from './model';
import { actingFor, canOnReview, holderOf, type ReviewAbility, type ReviewActor } from './policy';

export const reviewActions = ['save', 'submit', 'approve', 'return'] as const;
export type ReviewAction = (typeof reviewActions)[number];

const abilityOf: Record<ReviewAction, ReviewAbility> = {
  save: 'edit',
  submit: 'submit',
  approve: 'approve',
  return: 'return',
};

/** The declared table: from which states each action may be taken. */
export const reviewTransitions: Record<
  ReviewAction,
  { from: readonly ReviewState[]; by: 'manager' | 'stepHolder' }
> = {
  save: { from: ['open', 'returned'], by: 'manager' },
  submit: { from: ['open', 'returned'], by: 'manager' },
  approve: { from: ['submitted'], by: 'stepHolder' },
  return: { from: ['submitted'], by: 'stepHolder' },
};

export type Decision =
  /** The action moves the record (or, for save, keeps its state): write it. */
  | {
      kind: 'move';
      from: string;
      to: string;
      state: ReviewState;
      step: number;
      holderId: string;
      onBehalfOf?: string;
    }
  /** The record has moved on since the actor's card (or the cycle closed): show the current view. */
  | { kind: 'stale' }
  /** The actor may not take this step: refuse, change nothing. */
  | { kind: 'forbidden' };

/** A state as the audit log writes it: `submitted:1` names the step. */
export const stateLabel = (state: ReviewState, step: number) =>
  state === 'submitted' ? `submitted:${step}` : state;

/** The state after `action`, or undefined when the action is not allowed from the current state. */
export function nextState(
  review: Pick<UnitReview, 'state' | 'step' | 'chain'>,
  action: ReviewAction,
): { state: ReviewState; step: number } | undefined {
  if (!reviewTransitions[action].from.includes(review.state)) return undefined;
  switch (action) {
    case 'save':
      return { state: review.state, step: 0 };
    case 'submit':
      return review.chain.length === 0 ? { state: 'signedOff', step: 0 } : { state: 'submitted', step: 0 };
    case 'approve':
      return review.step + 1 < review.chain.length
        ? { state: 'submitted', step: review.step + 1 }
        : { state: 'signedOff', step: review.step };
    case 'return':
      return { state: 'returned', step: 0 };
  }
}

/**
 * Decides an action by an actor. `seen` is the state and step the clicked card showed: a card that
 * no longer matches the record is stale, so a double click or an old card never moves it twice.
 */
export function decide(
  actor: ReviewActor,
  action: ReviewAction,
  review: UnitReview,
  cycle: ReviewCycle,
  seen?: { round: number; step: number },
): Decision {
  if (!canOnReview(actor, 'view', review, cycle)) return { kind: 'forbidden' };
  if (cycle.status !== 'open') return { kind: 'stale' };
  if (seen && (seen.round !== review.round || seen.step !== review.step)) return { kind: 'stale' };
  const next = nextState(review, action);
  if (!next) return { kind: 'stale' };
  if (!canOnReview(actor, abilityOf[action], review, cycle)) return { kind: 'forbidden' };
  const holder = holderOf(review);
  const acting = actingFor(actor, holder) ?? {};
  const after = { ...review, ...next };
  return {
    kind: 'move',
    from: stateLabel(review.state, review.step),
    to: stateLabel(next.state, next.step),
    state: next.state,
    step: next.step,
    holderId: holderOf(after),
    ...acting,
  };
}
