/**
 * The yearly security report (säkerhetsbokslut, `AnnualReport`): what goes in is plain data the
 * review cycle hands over when it closes; no store, no Teams, no clock. The figures are computed
 * from it by pure functions (figures.ts) and rendered as .docx and CSV (docx.ts, csv.ts).
 */

/** A goal's rating: uppfyllt / delvis uppfyllt / ej uppfyllt / ej tillämpligt. */
export type Rating = 'met' | 'partlyMet' | 'notMet' | 'notApplicable';
export const RATINGS: readonly Rating[] = ['met', 'partlyMet', 'notMet', 'notApplicable'];

/** A follow-up's (åtgärd) status. */
export type FollowUpStatus = 'open' | 'inProgress' | 'done' | 'cancelled';
export const FOLLOW_UP_STATUSES: readonly FollowUpStatus[] = ['open', 'inProgress', 'done', 'cancelled'];

/**
 * Where a unit's review stands when the report is made, as the board reads it. The review's own
 * state machine maps onto these: not begun (open, nothing rated), a draft (open, some ratings),
 * somewhere in the sign-off chain (submitted), returned to the manager, or signed off by the last
 * step of the chain.
 */
export type UnitReportState = 'notStarted' | 'draft' | 'inSignOff' | 'returned' | 'signedOff';
export const UNIT_REPORT_STATES: readonly UnitReportState[] = [
  'notStarted',
  'draft',
  'inSignOff',
  'returned',
  'signedOff',
];

/** One step of a unit's history: submitted, approved at a step, returned with a comment, signed off. */
export type SignOffAction = 'submitted' | 'approved' | 'returned' | 'signedOff';

export interface SignOffEntry {
  action: SignOffAction;
  /** ISO time. */
  at: string;
  /** Who acted (name as the board reads it). */
  byName: string;
  /** Set when a deputy (ersättare) acted for someone. */
  onBehalfOfName?: string;
  comment?: string;
}

export interface AreaInput {
  id: string;
  name: string;
}

export interface GoalInput {
  id: string;
  areaId: string;
  text: string;
}

export interface AssessmentInput {
  goalId: string;
  /** Missing: the goal was not assessed. */
  rating?: Rating;
  comment?: string;
  evidenceLink?: string;
  /** Why a gap has no follow-up (the stated reason). */
  reason?: string;
}

export interface FollowUpInput {
  id: string;
  /** The goal whose gap it answers; missing for a follow-up not tied to one goal. */
  goalId?: string;
  what: string;
  ownerName: string;
  /** ISO date (YYYY-MM-DD). */
  due: string;
  status: FollowUpStatus;
  comment?: string;
}

export interface UnitInput {
  id: string;
  name: string;
  /** The line above the unit, top first (e.g. ["Region Norrviken", "Hälso- och sjukvårdsförvaltningen"]). */
  line: string[];
  managerName: string;
  state: UnitReportState;
  /** In time order. */
  history: SignOffEntry[];
  assessments: AssessmentInput[];
  followUps: FollowUpInput[];
}

/**
 * The year's reports of risks, deficiencies and incidents (bot/features/reports hands them over as
 * figures: counts per kind, severity, area and unit, how many were closed and how fast, and the closed
 * reports that matter most with their cause and lessons). Kinds and severities are the reports' own ids.
 */
export interface ReportsYearInput {
  total: number;
  closed: number;
  /** Median days from reported to closed. */
  medianDaysToClose?: number;
  byKind: Record<string, number>;
  bySeverity: Record<string, number>;
  byArea: { areaId: string; count: number; closed: number }[];
  byUnit: { unitId: string; unitName: string; count: number; closed: number }[];
  significant: {
    title: string;
    kind: string;
    unitName: string;
    occurredAt: string;
    cause?: string;
    lessons?: string;
  }[];
}

export interface AnnualReportInput {
  organisation: string;
  year: number;
  /** ISO date (YYYY-MM-DD). */
  deadline: string;
  /** ISO times. */
  openedAt: string;
  closedAt?: string;
  /** When the report is made; overdue follow-ups are counted against it. ISO time. */
  generatedAt: string;
  /** Who made it (the security chief's name). */
  preparedBy?: string;
  areas: AreaInput[];
  goals: GoalInput[];
  units: UnitInput[];
  /** The year's reports of risks, deficiencies and incidents; absent when the report feature is not there. */
  reports?: ReportsYearInput;
}
