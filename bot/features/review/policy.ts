/**
 * Who may do what in the yearly review: one declared policy per record type (platform/policy.ts),
 * used by the commands (`authorize`), the tab API (`abilitiesOf`) and the cards themselves (a card
 * shows only the buttons its viewer may use). The rules read only who the actor is, their roles and
 * whom they stand in for today.
 */
import type { Actor } from '../../platform/org/actor';
import { definePolicy } from '../../platform/policy';
import type { ReviewCycle, UnitReview } from './model';

/** The part of the platform's Actor the review's rules read. */
export type ReviewActor = Pick<Actor, 'id' | 'roles' | 'deputyFor'>;

const cycleRules = {
  open: (actor: ReviewActor) => actor.roles.includes('securityChief'),
  close: (actor: ReviewActor, cycle: ReviewCycle | undefined) =>
    actor.roles.includes('securityChief') && cycle?.status === 'open',
  viewProgress: (actor: ReviewActor) =>
    actor.roles.includes('securityChief') || actor.roles.includes('securityOfficer'),
};
export type CycleAbility = keyof typeof cycleRules;

/** The cycle's policy (opening needs no cycle yet: pass undefined). */
export const cyclePolicy = definePolicy<ReviewCycle | undefined>()(cycleRules);

export const canOnCycle = (actor: ReviewActor, ability: CycleAbility, cycle?: ReviewCycle): boolean =>
  cycleRules[ability](actor, cycle);

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

/** A unit review is decided on together with its cycle (a closed cycle allows nothing but looking). */
export interface ReviewInCycle {
  review: UnitReview;
  cycle: ReviewCycle;
}

const managerMay = (actor: ReviewActor, { review, cycle }: ReviewInCycle) =>
  cycle.status === 'open' &&
  (review.state === 'open' || review.state === 'returned') &&
  actingFor(actor, review.managerId) !== undefined;
const approverMay = (actor: ReviewActor, { review, cycle }: ReviewInCycle) =>
  cycle.status === 'open' && review.state === 'submitted' && actingFor(actor, holderOf(review)) !== undefined;

const reviewRules = {
  view: (actor: ReviewActor, { review }: ReviewInCycle) =>
    actor.roles.includes('securityChief') ||
    actor.roles.includes('securityOfficer') ||
    participants(review).some((id) => actingFor(actor, id) !== undefined),
  edit: managerMay,
  submit: managerMay,
  approve: approverMay,
  return: approverMay,
  /** Send the holder their card again (the tab's "Påminn"): the security function, while someone holds it. */
  remind: (actor: ReviewActor, { review, cycle }: ReviewInCycle) =>
    (actor.roles.includes('securityChief') || actor.roles.includes('securityOfficer')) &&
    cycle.status === 'open' &&
    holderOf(review) !== '',
};
export type ReviewAbility = keyof typeof reviewRules;

export const reviewPolicy = definePolicy<ReviewInCycle>()(reviewRules);

export const canOnReview = (
  actor: ReviewActor,
  ability: ReviewAbility,
  review: UnitReview,
  cycle: ReviewCycle,
): boolean => reviewRules[ability](actor, { review, cycle });
