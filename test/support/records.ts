/** Records for store tests. */

import type { Question } from '../../bot/features/questions/model';
import type { AuditEvent } from '../../bot/platform/audit/model';

export const question = (id: string, over: Partial<Question> = {}): Question => ({
  id,
  askedBy: 'p1',
  askedByName: 'P',
  locale: 'sv-SE',
  text: 'Vem ansvarar?',
  askedAt: '2026-11-22T10:00:00.000Z',
  status: 'asked',
  shown: [],
  curated: false,
  functionCards: [],
  ...over,
});

export const auditEvent = (id: string, recordId: string, action: string): AuditEvent => ({
  id,
  at: '2026-11-22T10:00:00.000Z',
  actorId: 'p1',
  recordType: 'question',
  recordId,
  action,
});
