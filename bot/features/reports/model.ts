/**
 * A report (avvikelse / riskrapport): a risk, deficiency or incident an employee points out to their
 * nearest manager (the policies' duty: "påpeka brister i säkerheten … till närmsta chef"). It moves
 * through före / under / efter: reported → being handled → closed with the cause and what was learned.
 */
export const reportKinds = [
  'risk',
  'deficiency',
  'incident',
  'personalDataIncident',
  'threatOrViolence',
  'other',
] as const;
export type ReportKind = (typeof reportKinds)[number];

export const severities = ['low', 'medium', 'high'] as const;
export type Severity = (typeof severities)[number];

export const reportStates = ['reported', 'handling', 'closed'] as const;
export type ReportState = (typeof reportStates)[number];

/** What the handler decided: a follow-up (åtgärd), no action with a reason, or the security function takes it. */
export type Decision =
  | { kind: 'followUp'; followUpId: string; what: string; ownerId: string; due: string }
  | { kind: 'noAction'; reason: string }
  | { kind: 'forwarded'; comment?: string };

/** The data protection officer's assessment of a personal-data incident (GDPR art. 33). */
export interface DpoAssessment {
  outcome: 'notified' | 'notRequired';
  at: string;
  by: string;
  comment?: string;
}

export type ReportAction =
  | 'reported'
  | 'acknowledged'
  | 'decided'
  | 'forwarded'
  | 'closed'
  | 'dpoAssessed'
  | 'reminded'
  | 'escalated';

export interface ReportStep {
  at: string;
  /** Who acted; 'system' for reminders and escalations. */
  actorId: string;
  onBehalfOf?: string;
  action: ReportAction;
  comment?: string;
}

export interface Report {
  id: string;
  kind: ReportKind;
  title: string;
  description: string;
  where: string;
  /** ISO instant. */
  occurredAt: string;
  areaId: string;
  severity: Severity;
  reporterId: string;
  /** The reporter's unit when they reported (figures per unit). */
  unitId: string;
  unitName: string;
  /** The nearest manager it went to (Directory.managerOf); handles it, with their deputy. */
  managerId: string;
  /** Everyone else it was sent to: the security function, the security chief, the data protection officer. */
  forwardedTo: string[];
  /** True once the manager handed it to the security function (its members may then handle it too). */
  securityFunctionHandles: boolean;
  state: ReportState;
  /** The Stockholm year it was reported in (the säkerhetsbokslut's year). */
  year: number;
  reportedAt: string;
  /** When handling is due (reminder to the handler, then escalation one level up). */
  dueAt: string;
  acknowledgedAt?: string;
  decision?: Decision;
  decidedAt?: string;
  cause?: string;
  lessons?: string;
  closedAt?: string;
  dpo?: DpoAssessment;
  history: ReportStep[];
  updatedAt: string;
}

/** Kinds that reach the security function at once, besides the manager. */
export const toSecurityFunction: ReadonlySet<ReportKind> = new Set(['incident']);
/** Kinds (and the säkerhetsskydd area) that go to the security chief directly, with only what is needed in the card. */
export const toSecurityChief: ReadonlySet<ReportKind> = new Set(['threatOrViolence']);
/** The policy's area for säkerhetsskydd in the sample goals; a report in it is handled as sensitive. */
export const PROTECTIVE_SECURITY_AREA = 'ss';

export const isSensitive = (report: Pick<Report, 'kind' | 'areaId'>) =>
  toSecurityChief.has(report.kind) || report.areaId === PROTECTIVE_SECURITY_AREA;

/** GDPR article 33: a personal data breach is notified to the supervisory authority within 72 hours. */
export const GDPR_HOURS = 72;
