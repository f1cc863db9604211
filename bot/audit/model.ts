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
