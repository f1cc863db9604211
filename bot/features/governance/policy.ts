/**
 * Who may do what with a governing document's review: one declared policy, used by the card
 * handlers (and the tab later). Only the document's owner, or the security chief, may answer.
 */
import type { DocumentReview } from './model';

export interface GovernanceActor {
  id: string;
  securityChief: boolean;
}

export type DocumentReviewAbility = 'view' | 'answer';

export function can(actor: GovernanceActor, ability: DocumentReviewAbility, review: DocumentReview): boolean {
  const responsible = review.ownerIds.includes(actor.id) || actor.securityChief;
  switch (ability) {
    case 'view':
      return responsible;
    case 'answer':
      return responsible && review.state === 'awaitingAnswer';
  }
}
