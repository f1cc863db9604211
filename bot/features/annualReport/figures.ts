/**
 * The figures of the säkerhetsbokslut, computed from the plain input: per unit and per area the
 * ratings, completion and goal fulfilment, returned reviews, gaps and follow-ups with status, and
 * the totals. Pure functions; the renderers only lay these out.
 *
 * Definitions (as the report states them to the board):
 * - completion (andel bedömda mål): assessed goals / goals in the cycle;
 * - fulfilment (måluppfyllelse): goals rated met / goals rated met, partly met or not met
 *   (not applicable and not assessed are left out); undefined when nothing applicable was rated;
 * - a gap (brist): a goal rated partly met or not met;
 * - a gap is unanswered when it has neither a follow-up that is still valid (not cancelled) nor a
 *   stated reason;
 * - a follow-up is overdue when it is open or in progress and its due date is before the day the
 *   report is made (Europe/Stockholm).
 */
import { formatDate } from '../../platform/i18n';
import type {
  AnnualReportInput,
  AreaInput,
  AssessmentInput,
  FollowUpInput,
  FollowUpStatus,
  GoalInput,
  Rating,
  SignOffEntry,
  UnitInput,
} from './model';

export interface RatingCounts {
  met: number;
  partlyMet: number;
  notMet: number;
  notApplicable: number;
  notAssessed: number;
}

export interface FollowUpCounts {
  total: number;
  open: number;
  inProgress: number;
  done: number;
  cancelled: number;
  overdue: number;
}

export interface FollowUpFigure extends FollowUpInput {
  unitId: string;
  unitName: string;
  goalText?: string;
  overdue: boolean;
}

export interface GapFigure {
  unitId: string;
  unitName: string;
  goal: GoalInput;
  areaName: string;
  rating: Extract<Rating, 'partlyMet' | 'notMet'>;
  comment?: string;
  reason?: string;
  followUps: FollowUpFigure[];
  /** Neither a valid follow-up nor a stated reason. */
  unanswered: boolean;
}

export interface Share {
  ratings: RatingCounts;
  /** 0..1, or undefined when no applicable goal was rated. */
  fulfilment: number | undefined;
}

export interface GoalRow {
  goal: GoalInput;
  assessment?: AssessmentInput;
}

export interface UnitFigures extends Share {
  unit: UnitInput;
  goals: number;
  assessed: number;
  /** 0..1 */
  completion: number;
  /** How many times the review was returned to the manager. */
  returned: number;
  signedOff: boolean;
  signedOffAt?: string;
  signedOffBy?: string;
  submittedAt?: string;
  byArea: (Share & { area: AreaInput })[];
  rows: GoalRow[];
  gaps: GapFigure[];
  followUps: FollowUpCounts;
  followUpItems: FollowUpFigure[];
}

export interface AreaFigures extends Share {
  area: AreaInput;
  goals: (Share & { goal: GoalInput })[];
  gaps: number;
  followUps: FollowUpCounts;
}

export interface Totals extends Share {
  units: number;
  signedOff: number;
  /** Units whose review was returned at least once. */
  returnedUnits: number;
  /** Returns counted over all units. */
  returns: number;
  goals: number;
  assessments: number;
  assessed: number;
  completion: number;
  gaps: number;
  unansweredGaps: number;
  followUps: FollowUpCounts;
  byState: Record<UnitInput['state'], number>;
}

export interface AnnualReportFigures {
  input: AnnualReportInput;
  /** The day overdue is counted against (YYYY-MM-DD, Europe/Stockholm). */
  asOf: string;
  units: UnitFigures[];
  areas: AreaFigures[];
  gaps: GapFigure[];
  followUps: FollowUpFigure[];
  totals: Totals;
}

const emptyRatings = (): RatingCounts => ({
  met: 0,
  partlyMet: 0,
  notMet: 0,
  notApplicable: 0,
  notAssessed: 0,
});
const emptyFollowUps = (): FollowUpCounts => ({
  total: 0,
  open: 0,
  inProgress: 0,
  done: 0,
  cancelled: 0,
  overdue: 0,
});

export const isGap = (rating: Rating | undefined): rating is 'partlyMet' | 'notMet' =>
  rating === 'partlyMet' || rating === 'notMet';

/** met / (met + partly met + not met); undefined when none of those. */
export function fulfilmentOf(r: RatingCounts): number | undefined {
  const applicable = r.met + r.partlyMet + r.notMet;
  return applicable === 0 ? undefined : r.met / applicable;
}

function addRating(counts: RatingCounts, rating: Rating | undefined): void {
  counts[rating ?? 'notAssessed'] += 1;
}

function addRatings(into: RatingCounts, from: RatingCounts): void {
  for (const key of Object.keys(into) as (keyof RatingCounts)[]) into[key] += from[key];
}

const share = (ratings: RatingCounts): Share => ({ ratings, fulfilment: fulfilmentOf(ratings) });

export function isOverdue(followUp: Pick<FollowUpInput, 'status' | 'due'>, asOf: string): boolean {
  const active: FollowUpStatus[] = ['open', 'inProgress'];
  return active.includes(followUp.status) && followUp.due < asOf;
}

export function countFollowUps(
  followUps: readonly Pick<FollowUpInput, 'status' | 'due'>[],
  asOf: string,
): FollowUpCounts {
  const counts = emptyFollowUps();
  for (const f of followUps) {
    counts.total += 1;
    counts[f.status] += 1;
    if (isOverdue(f, asOf)) counts.overdue += 1;
  }
  return counts;
}

function addFollowUps(into: FollowUpCounts, from: FollowUpCounts): void {
  for (const key of Object.keys(into) as (keyof FollowUpCounts)[]) into[key] += from[key];
}

/** Returns counted from the history. */
export const returnsOf = (history: readonly SignOffEntry[]): number =>
  history.filter((h) => h.action === 'returned').length;

const collator = new Intl.Collator('sv', { sensitivity: 'base', numeric: true });
const unitOrder = (a: UnitInput, b: UnitInput) => {
  const pa = [...a.line, a.name];
  const pb = [...b.line, b.name];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = collator.compare(pa[i] as string, pb[i] as string);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
};

/** The figures of one unit. */
export function unitFigures(input: AnnualReportInput, unit: UnitInput, asOf: string): UnitFigures {
  const areaName = new Map(input.areas.map((a) => [a.id, a.name]));
  const assessments = new Map(unit.assessments.map((a) => [a.goalId, a]));
  const goalText = new Map(input.goals.map((g) => [g.id, g.text]));
  const followUps: FollowUpFigure[] = unit.followUps.map((f) => ({
    ...f,
    unitId: unit.id,
    unitName: unit.name,
    goalText: f.goalId ? goalText.get(f.goalId) : undefined,
    overdue: isOverdue(f, asOf),
  }));

  const ratings = emptyRatings();
  const perArea = new Map(input.areas.map((a) => [a.id, emptyRatings()]));
  const rows: GoalRow[] = [];
  const gaps: GapFigure[] = [];
  for (const goal of input.goals) {
    const assessment = assessments.get(goal.id);
    rows.push({ goal, assessment });
    addRating(ratings, assessment?.rating);
    const areaCounts = perArea.get(goal.areaId);
    if (areaCounts) addRating(areaCounts, assessment?.rating);
    if (assessment && isGap(assessment.rating)) {
      const answering = followUps.filter((f) => f.goalId === goal.id);
      gaps.push({
        unitId: unit.id,
        unitName: unit.name,
        goal,
        areaName: areaName.get(goal.areaId) ?? '',
        rating: assessment.rating,
        comment: assessment.comment,
        reason: assessment.reason,
        followUps: answering,
        unanswered: !answering.some((f) => f.status !== 'cancelled') && !assessment.reason?.trim(),
      });
    }
  }
  const assessed = input.goals.length - ratings.notAssessed;
  // the final step's entry; a history that records it as an approval counts its last approval
  const reversed = [...unit.history].reverse();
  const signOff =
    reversed.find((h) => h.action === 'signedOff') ?? reversed.find((h) => h.action === 'approved');
  return {
    unit,
    ...share(ratings),
    goals: input.goals.length,
    assessed,
    completion: input.goals.length === 0 ? 0 : assessed / input.goals.length,
    returned: returnsOf(unit.history),
    signedOff: unit.state === 'signedOff',
    signedOffAt: unit.state === 'signedOff' ? signOff?.at : undefined,
    signedOffBy: unit.state === 'signedOff' ? signOff?.byName : undefined,
    submittedAt: unit.history.find((h) => h.action === 'submitted')?.at,
    byArea: input.areas.map((area) => ({ area, ...share(perArea.get(area.id) ?? emptyRatings()) })),
    rows,
    gaps,
    followUps: countFollowUps(followUps, asOf),
    followUpItems: followUps,
  };
}

/** Every figure of the report. */
export function computeReport(input: AnnualReportInput): AnnualReportFigures {
  const asOf = formatDate(input.generatedAt);
  const units = [...input.units].sort(unitOrder).map((unit) => unitFigures(input, unit, asOf));
  const followUps = units.flatMap((u) => u.followUpItems);
  const gaps = units.flatMap((u) => u.gaps);

  const areas: AreaFigures[] = input.areas.map((area) => {
    const areaGoals = input.goals.filter((g) => g.areaId === area.id);
    const goalIds = new Set(areaGoals.map((g) => g.id));
    const ratings = emptyRatings();
    const goals = areaGoals.map((goal) => {
      const counts = emptyRatings();
      const index = input.goals.indexOf(goal);
      for (const u of units) addRating(counts, u.rows[index]?.assessment?.rating);
      addRatings(ratings, counts);
      return { goal, ...share(counts) };
    });
    return {
      area,
      ...share(ratings),
      goals,
      gaps: gaps.filter((g) => goalIds.has(g.goal.id)).length,
      followUps: countFollowUps(
        followUps.filter((f) => f.goalId !== undefined && goalIds.has(f.goalId)),
        asOf,
      ),
    };
  });

  const ratings = emptyRatings();
  const followUpCounts = emptyFollowUps();
  const byState: Totals['byState'] = { notStarted: 0, draft: 0, inSignOff: 0, returned: 0, signedOff: 0 };
  for (const u of units) {
    addRatings(ratings, u.ratings);
    addFollowUps(followUpCounts, u.followUps);
    byState[u.unit.state] += 1;
  }
  const assessments = units.length * input.goals.length;
  const assessed = assessments - ratings.notAssessed;
  return {
    input,
    asOf,
    units,
    areas,
    gaps,
    followUps,
    totals: {
      ...share(ratings),
      units: units.length,
      signedOff: byState.signedOff,
      returnedUnits: units.filter((u) => u.returned > 0).length,
      returns: units.reduce((sum, u) => sum + u.returned, 0),
      goals: input.goals.length,
      assessments,
      assessed,
      completion: assessments === 0 ? 0 : assessed / assessments,
      gaps: gaps.length,
      unansweredGaps: gaps.filter((g) => g.unanswered).length,
      followUps: followUpCounts,
      byState,
    },
  };
}
