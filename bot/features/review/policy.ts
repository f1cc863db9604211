/**
 * Who may do what in the yearly review: one declared policy per record type, used by the card
 * handlers, the tab API and the cards themselves (a card shows only the buttons its viewer may use).
 * Plain functions over plain data.
 */
import type { Role } from '../../platform/org/model';
import type { ReviewCycle, UnitReview } from './model';

export interface ReviewActor {
  id: string;
  roles: readonly Role[];
  /** The people this actor stands in for today (active deputy periods). */
  deputyFor: readonly string[];
}

export type CycleAbility = 'open' | 'close' | 'viewProgress';
export type ReviewAbility = 'view' | 'edit' | 'submit' | 'approve' | 'return';

export function canOnCycle(actor: ReviewActor, ability: CycleAbility, cycle?: ReviewCycle): boolean {
  const chief = actor.roles.includes('securityChief');
  switch (ability) {
    case 'open':
      return chief;
    case 'close':
      return chief && cycle?.status === 'open';
    case 'viewProgress':
      return chief || actor.roles.includes('securityOfficer');
  }
}

/**
 * How the actor acts for `holderId`: as themselves (`{}`), as deputy (`{ onBehalfOf }`), or not at all.
 */
export function actingFor(actor: ReviewActor, holderId: string): { onBehalfOf?: string } | undefined {
  if (holderId === '') return undefined;
  if (actor.id === holderId) return {};
  if (actor.deputyFor.includes(holderId)) return { onBehalfOf: holderId };
  return undefined;
}

/** Everyone who takes part in a unit's review: its manager, its chain and the line above it. */
export const participants = (review: UnitReview): string[] => [
  ...new Set([review.managerId, ...review.chain.map((s) => s.personId), ...review.lineIds]),
];

/** The person whose turn it is: the manager while open or returned, the step's approver while submitted. */
export function holderOf(review: Pick<UnitReview, 'state' | 'managerId' | 'chain' | 'step'>): string {
  switch (review.state) {
    case 'open':
    case 'returned':
      return review.managerId;
    case 'submitted':
      return review.chain[review.step]?.personId ?? '';
    case 'signedOff':
      return '';
  }
}

export function canOnReview(
  actor: ReviewActor,
  ability: ReviewAbility,
  review: UnitReview,
  cycle: ReviewCycle,
): boolean {
  if (ability === 'view') {
    if (actor.roles.includes('securityChief') || actor.roles.includes('securityOfficer')) return true;
    return participants(review).some((id) => actingFor(actor, id) !== undefined);
  }
  if (cycle.status !== 'open') return false;
  switch (ability) {
    case 'edit':
    case 'submit':
      return (
        (review.state === 'open' || review.state === 'returned') &&
        actingFor(actor, review.managerId) !== undefined
      );
    case 'approve':
    case 'return':
      return review.state === 'submitted' && actingFor(actor, holderOf(review)) !== undefined;
  }
}
