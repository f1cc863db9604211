/**
 * Who may do what with a governing document's review: one declared policy, used by the card
 * handlers, the cards and the tab API. Only the document's owner, or the security chief, may answer;
 * the security function keeps owners and review dates.
 */
import { type Actor, hasRole } from '../../platform/org/actor';
import { definePolicy } from '../../platform/policy';
import type { DocumentReview } from './model';

const responsible = (actor: Actor, review: DocumentReview) =>
  review.ownerIds.includes(actor.id) || hasRole(actor, 'securityChief');

export const documentReviewPolicy = definePolicy<DocumentReview>()({
  view: responsible,
  answer: (actor, review) => responsible(actor, review) && review.state === 'awaitingAnswer',
  /** Set the owner and the next review date (in the tab): the security function. */
  edit: (actor) => actor.securityFunction,
});

export type DocumentReviewAbility = (typeof documentReviewPolicy.abilities)[number];
