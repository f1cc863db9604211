/** The yearly review's records and its follow-ups'. */
import { collection } from '../../platform/store/schema';
import type { FollowUp } from './followups/model';
import type { Deputy, ReviewCycle, UnitReview } from './model';

export const reviewCollections = {
  reviewCycles: collection<ReviewCycle>('reviewCycles', ['year', 'status']),
  unitReviews: collection<UnitReview>('unitReviews', ['cycleId', 'managerId', 'holderId', 'state']),
  deputies: collection<Deputy>('deputies', ['principalId', 'deputyId']),
  followUps: collection<FollowUp>('followUps', ['cycleId', 'ownerId', 'managerId', 'sourceId', 'status']),
} as const;
