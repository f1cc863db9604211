/**
 * A follow-up (åtgärd): an action with an owner, a due date and a status, born from a gap in a
 * unit's review or from a report's decision (bot/features/reports: source "report", id `report:<reportId>`,
 * cycleId `report:<year>`, the report's title as goalText, no goal).
 */
export const followUpStatuses = ['open', 'inProgress', 'done', 'cancelled'] as const;
export type FollowUpStatus = (typeof followUpStatuses)[number];

export interface FollowUpNote {
  at: string;
  actorId: string;
  onBehalfOf?: string;
  from: FollowUpStatus;
  to: FollowUpStatus;
  comment?: string;
}

export interface FollowUp {
  /** `<reviewId>:<goalId>` for a review gap: stable, so a resubmission updates rather than duplicates. */
  id: string;
  sourceType: 'review' | 'report';
  sourceId: string;
  goalId: string;
  cycleId: string;
  unitId: string;
  unitName: string;
  /** The goal's text, as the review assessed it. */
  goalText: string;
  what: string;
  ownerId: string;
  /** The unit's manager: told when the owner lets it run late. */
  managerId: string;
  /** yyyy-mm-dd */
  due: string;
  status: FollowUpStatus;
  notes: FollowUpNote[];
  createdAt: string;
  updatedAt: string;
}
