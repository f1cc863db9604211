import type { Campaign, CampaignAuthor, CampaignRecipient } from '../../features/campaigns/model';
import type { DocumentReview } from '../../features/governance/model';
import type { DocumentRecord, Passage } from '../../features/knowledge/model';
import type { Feedback, Question } from '../../features/questions/model';
import type { FollowUp } from '../../features/review/followups/model';
import type { Deputy, ReviewCycle, SentCard, UnitReview } from '../../features/review/model';
import type { AuditEvent } from '../audit/model';
import type { Delivery } from '../delivery/port';
import type { Job } from '../schedule/port';
import type { ConversationRecord } from '../teams/model';
import type { AppendOnly, Collection } from './port';

export * from './port';

export interface Store {
  documents: Collection<DocumentRecord>;
  passages: Collection<Passage>;
  questions: Collection<Question>;
  feedback: Collection<Feedback>;
  conversations: Collection<ConversationRecord>;
  auditEvents: AppendOnly<AuditEvent>;
  reviewCycles: Collection<ReviewCycle>;
  unitReviews: Collection<UnitReview>;
  deputies: Collection<Deputy>;
  sentCards: Collection<SentCard>;
  followUps: Collection<FollowUp>;
  deliveries: Collection<Delivery>;
  jobs: Collection<Job>;
  documentReviews: Collection<DocumentReview>;
  campaigns: Collection<Campaign>;
  campaignRecipients: Collection<CampaignRecipient>;
  campaignAuthors: Collection<CampaignAuthor>;
  /**
   * Runs `work` as one unit: all of its writes land or none do. Work inside must only use the
   * store handed to it. (SQLite: a transaction. SharePoint has none: each write lands as it is
   * made and, when `work` throws, the writes are taken back in reverse order; a crash of the process
   * in the middle leaves the writes made so far — see store/sharepoint/index.ts.)
   */
  transaction<R>(work: (tx: Store) => Promise<R>): Promise<R>;
  /** The store's real state for /healthz (a cheap probe, and the last failure a write met); absent: not checked. */
  check?(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export interface StoreHealth {
  ok: boolean;
  /** What is wrong, e.g. "damaged: database disk image is malformed" or "full: database or disk is full". */
  problem?: string;
}
