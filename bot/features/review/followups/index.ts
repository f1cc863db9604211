/**
 * Follow-ups (åtgärder) as the review's commands see them: the one small interface review/ uses.
 * Follow-ups stay a part of the review (they are born from its gaps and share its people, card
 * copies and schedule) but keep their own records, policy, card, verbs, renderers and jobs; the
 * review's commands know only this.
 */
import type { Store } from '../../../platform/store';
import type { ReviewCycle, UnitReview } from '../model';
import type { FollowUp } from './model';

export type { FollowUp } from './model';

export interface FollowUps {
  /** Inside the submission's transaction: creates or revises the follow-up of every gap that names one. */
  recordGaps(
    tx: Store,
    actorId: string,
    cycle: ReviewCycle,
    review: UnitReview,
    now: string,
  ): Promise<FollowUp[]>;
  /** After the submission committed: the owners' cards and the overdue reminders. */
  announce(batchId: string, followUps: readonly FollowUp[]): Promise<void>;
  /** The follow-ups the person owns or manages, not finished ("min uppföljning"). */
  mine(personId: string): Promise<FollowUp[]>;
  /** Every follow-up born in the cycle, for its säkerhetsbokslut. */
  ofCycle(cycleId: string): Promise<FollowUp[]>;
}

export { FollowUpService, followUpKinds, OVERDUE_JOB } from './service';
