/**
 * The platform's own records: Teams conversations, the cards sent about a record (teams/copies.ts),
 * the audit log, the sender's deliveries and the scheduler's jobs. Declared here beside the modules that own them, not in store/ (which knows no one).
 */
import type { AuditEvent } from './audit/model';
import type { Delivery } from './delivery/port';
import type { Job } from './schedule/port';
import { appendOnlyCollection, collection } from './store/schema';
import type { SentCard } from './teams/copies';
import type { ConversationRecord } from './teams/model';

export const platformCollections = {
  conversations: collection<ConversationRecord>('conversations', ['personId']),
  sentCards: collection<SentCard>('sentCards', ['recordId']),
  auditEvents: appendOnlyCollection<AuditEvent>('auditEvents', ['recordType', 'recordId', 'actorId']),
  deliveries: collection<Delivery>('deliveries', ['batchId', 'status', 'personId']),
  jobs: collection<Job>('jobs', ['status', 'kind']),
} as const;
