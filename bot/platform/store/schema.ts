/**
 * The collections Värn keeps, declared once. Each names the fields it is filtered on (indexed:
 * SQLite generated columns, SharePoint indexed columns). Record types live with their features.
 */

import type { Campaign, CampaignAuthor, CampaignRecipient } from '../../features/campaigns/model';
import type { DocumentReview } from '../../features/governance/model';
import type { DocumentRecord, Passage } from '../../features/knowledge/model';
import type { Feedback, Question } from '../../features/questions/model';
import { reportCollections } from '../../features/reports/collections';
import type { FollowUp } from '../../features/review/followups/model';
import type { Deputy, ReviewCycle, SentCard, UnitReview } from '../../features/review/model';
import type { AuditEvent } from '../audit/model';
import type { Delivery } from '../delivery/port';
import type { Job } from '../schedule/port';
import type { ConversationRecord } from '../teams/model';

/** How an indexed field is stored where the store types its columns (SharePoint); text unless said otherwise. */
export type IndexedType = 'text' | 'number' | 'boolean';

export interface CollectionSpec<T> {
  name: string;
  indexed: readonly (keyof T & string)[];
  appendOnly?: boolean;
  /** Indexed fields that are not text (numbers, booleans). */
  types?: Partial<Record<keyof T & string, IndexedType>>;
}

const spec = <T>(
  name: string,
  indexed: readonly (keyof T & string)[],
  appendOnly = false,
  types: Partial<Record<keyof T & string, IndexedType>> = {},
): CollectionSpec<T> => ({
  name,
  indexed,
  appendOnly,
  types,
});

export const collections = {
  documents: spec<DocumentRecord>('documents', ['sourceKey', 'organisation']),
  passages: spec<Passage>('passages', ['documentId']),
  questions: spec<Question>('questions', ['status', 'askedBy', 'curated'], false, { curated: 'boolean' }),
  feedback: spec<Feedback>('feedback', ['questionId', 'personId']),
  conversations: spec<ConversationRecord>('conversations', ['personId']),
  auditEvents: spec<AuditEvent>('auditEvents', ['recordType', 'recordId', 'actorId'], true),
  reviewCycles: spec<ReviewCycle>('reviewCycles', ['year', 'status']),
  unitReviews: spec<UnitReview>('unitReviews', ['cycleId', 'managerId', 'holderId', 'state']),
  deputies: spec<Deputy>('deputies', ['principalId', 'deputyId']),
  sentCards: spec<SentCard>('sentCards', ['recordId']),
  followUps: spec<FollowUp>('followUps', ['cycleId', 'ownerId', 'managerId', 'sourceId', 'status']),
  deliveries: spec<Delivery>('deliveries', ['batchId', 'status', 'personId']),
  jobs: spec<Job>('jobs', ['status', 'kind']),
  documentReviews: spec<DocumentReview>('documentReviews', ['documentId', 'state']),
  campaigns: spec<Campaign>('campaigns', ['status', 'createdBy']),
  campaignRecipients: spec<CampaignRecipient>('campaignRecipients', ['campaignId', 'personId', 'unitId']),
  campaignAuthors: spec<CampaignAuthor>('campaignAuthors', ['personId']),
  reports: reportCollections.reports,
} as const;
