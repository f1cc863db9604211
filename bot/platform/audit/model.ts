import { randomUUID } from 'node:crypto';

/** Who did what, when, to which record. Append-only (spårbarhet). */
export interface AuditEvent {
  id: string;
  at: string;
  actorId: string;
  /** Set when a deputy acted for someone else. */
  onBehalfOf?: string;
  recordType: string;
  recordId: string;
  action: string;
  fromState?: string;
  toState?: string;
  comment?: string;
}

/** A new audit event with its own id; fields given as undefined are left out of the record. */
export function auditEvent(fields: Omit<AuditEvent, 'id'>): AuditEvent {
  const event = { id: randomUUID() } as AuditEvent;
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (event as unknown as Record<string, unknown>)[key] = value;
  }
  return event;
}
