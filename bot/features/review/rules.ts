/**
 * The review's rules as plain functions: is an assessment complete, who signs which unit's review,
 * which units take part, when reminders and escalations fall due, and who an escalation goes to.
 */
import type { OrganisationFile, Person, Unit } from '../../platform/org/model';
import { addDays, stockholmTime } from '../../platform/time';
import {
  type Assessment,
  type ChainRole,
  type ChainStep,
  isGap,
  type ReviewCycle,
  type ReviewSchedule,
  type UnitReview,
} from './model';
import { holderOf } from './policy';

export type AssessmentProblem = {
  goalId: string;
  problem:
    | 'missingRating'
    | 'gapNeedsFollowUpOrReason'
    | 'followUpIncomplete'
    | 'dueInPast'
    | 'unknownOwner'
    | 'badEvidence'
    | 'followUpAndReason';
};

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * What is wrong with one goal's assessment. `draft` tolerates what a submission needs (a rating,
 * a follow-up or reason for a gap) but never a half-filled follow-up, a due date in the past or a
 * bad link: those are refused even in a draft.
 */
export function assessmentProblems(
  a: Assessment,
  today: string,
  isPerson: (id: string) => boolean,
  draft: boolean,
): AssessmentProblem['problem'][] {
  const problems: AssessmentProblem['problem'][] = [];
  if (!draft && !a.rating) problems.push('missingRating');
  const f = a.followUp;
  if (f) {
    if (!f.what || !f.ownerId || !f.due) problems.push('followUpIncomplete');
    else if (!isPerson(f.ownerId)) problems.push('unknownOwner');
    else if (f.due < today) problems.push('dueInPast');
  }
  if (!draft && isGap(a.rating) && !f && !a.reason) problems.push('gapNeedsFollowUpOrReason');
  if (f && a.reason) problems.push('followUpAndReason');
  if (a.evidence && !isHttpUrl(a.evidence)) problems.push('badEvidence');
  return problems;
}

/** Every problem that stops a submission, goal by goal in the cycle's order. */
export function submissionProblems(
  cycle: ReviewCycle,
  review: UnitReview,
  today: string,
  isPerson: (id: string) => boolean,
): AssessmentProblem[] {
  return cycle.areas.flatMap((area) =>
    area.goals.flatMap((goal) =>
      assessmentProblems(review.assessments[goal.id] ?? { goalId: goal.id }, today, isPerson, false).map(
        (problem) => ({ goalId: goal.id, problem }),
      ),
    ),
  );
}

/** A unit and the ones below it. */
export function subtree(units: readonly Unit[], rootId: string): Unit[] {
  const result: Unit[] = [];
  const visit = (id: string) => {
    const unit = units.find((u) => u.id === id);
    if (!unit) return;
    result.push(unit);
    for (const child of units.filter((u) => u.parentId === id)) visit(child.id);
  };
  visit(rootId);
  return result;
}

/** The units taking part: every unit whose manager is a known person, or the units under a chosen one. */
export function participatingUnits(
  org: Pick<OrganisationFile, 'units' | 'people'>,
  scope: 'all' | { subtree: string },
): Unit[] | undefined {
  const known = (u: Unit) => org.people.some((p) => p.id === u.managerId);
  if (scope === 'all') return org.units.filter(known);
  if (!org.units.some((u) => u.id === scope.subtree)) return undefined;
  return subtree(org.units, scope.subtree)
    .filter((u) => u.id !== scope.subtree)
    .filter(known);
}

/** The managers above a unit, nearest first (skipping the unit's own manager). */
export function lineAbove(units: readonly Unit[], unit: Unit): string[] {
  const ids: string[] = [];
  let parent = unit.parentId ? units.find((u) => u.id === unit.parentId) : undefined;
  while (parent) {
    if (parent.managerId !== unit.managerId && !ids.includes(parent.managerId)) ids.push(parent.managerId);
    parent = parent.parentId ? units.find((u) => u.id === parent?.parentId) : undefined;
  }
  return ids;
}

/**
 * The sign-off chain of one unit's review. Roles resolve through the line organisation; a step
 * that resolves to nobody, to the unit's own manager or to the previous step's person is left out.
 */
export function resolveChain(
  org: Pick<OrganisationFile, 'units' | 'people'>,
  unit: Unit,
  roles: readonly ChainRole[],
): ChainStep[] {
  const line = lineAbove(org.units, unit);
  const person = (id: string) => org.people.find((p) => p.id === id);
  const hasRole = (p: Person | undefined, role: Person['roles'][number]) => !!p && p.roles.includes(role);
  const resolve = (role: ChainRole): string | undefined => {
    switch (role) {
      case 'lineManager':
        return line[0];
      case 'headOfAdministration':
        return [unit.managerId, ...line].find((id) => hasRole(person(id), 'headOfAdministration'));
      case 'securityChief':
        return org.people.find((p) => p.roles.includes('securityChief'))?.id;
      case 'regionalDirector':
        return org.people.find((p) => p.roles.includes('regionalDirector'))?.id;
    }
  };
  const chain: ChainStep[] = [];
  for (const role of roles) {
    const id = resolve(role);
    if (!id || id === unit.managerId || chain.some((s) => s.personId === id)) continue;
    chain.push({ role, personId: id });
  }
  if (chain.length === 0 && line[0]) chain.push({ role: 'lineManager', personId: line[0] });
  return chain;
}

// ---- time: deadlines are days in Europe/Stockholm ----

export const NOTIFY_HOUR = 8;

export interface PlannedJob {
  id: string;
  kind: 'review.reminder' | 'review.escalation';
  dueAt: string;
  payload: Record<string, string>;
}

/** The cycle's reminders (before the deadline) and escalations (after it), at 08:00 Stockholm time. */
export function cycleJobs(cycle: Pick<ReviewCycle, 'id' | 'deadline' | 'schedule'>): PlannedJob[] {
  const { schedule } = cycle;
  return [
    ...schedule.reminderDaysBefore.map((days) => ({
      id: `review:${cycle.id}:reminder:${days}d`,
      kind: 'review.reminder' as const,
      dueAt: stockholmTime(addDays(cycle.deadline, -days), NOTIFY_HOUR).toISOString(),
      payload: { cycleId: cycle.id, label: `${days}d` },
    })),
    ...schedule.escalationDaysAfter.map((days) => ({
      id: `review:${cycle.id}:escalation:${days}d`,
      kind: 'review.escalation' as const,
      dueAt: stockholmTime(addDays(cycle.deadline, days), NOTIFY_HOUR).toISOString(),
      payload: { cycleId: cycle.id, label: `${days}d` },
    })),
  ];
}

/** When an overdue follow-up's reminders fall due: the owner's, then the manager's. */
export function followUpJobTimes(due: string, schedule: ReviewSchedule): { owner: string; manager: string } {
  const [ownerDays, managerDays] = schedule.followUpOverdueDays;
  return {
    owner: stockholmTime(addDays(due, ownerDays), NOTIFY_HOUR).toISOString(),
    manager: stockholmTime(addDays(due, managerDays), NOTIFY_HOUR).toISOString(),
  };
}

/** One level up the line from whoever holds the review's next step; undefined at the top. */
export function escalationTarget(review: UnitReview): string | undefined {
  const holder = holderOf(review);
  if (holder === '') return undefined;
  if (review.state === 'open' || review.state === 'returned')
    return review.chain[0]?.personId ?? review.lineIds[0];
  const next = review.chain[review.step + 1]?.personId;
  if (next) return next;
  const top = review.lineIds[review.lineIds.length - 1];
  return top && top !== holder ? top : undefined;
}

export interface Progress {
  units: number;
  open: number;
  returned: number;
  submitted: number;
  signedOff: number;
  /** Goals rated, over all units. */
  rated: number;
  goals: number;
}

export function progressOf(cycle: ReviewCycle, reviews: readonly UnitReview[]): Progress {
  const goalIds = cycle.areas.flatMap((a) => a.goals.map((g) => g.id));
  const count = (state: UnitReview['state']) => reviews.filter((r) => r.state === state).length;
  return {
    units: reviews.length,
    open: count('open'),
    returned: count('returned'),
    submitted: count('submitted'),
    signedOff: count('signedOff'),
    rated: reviews.reduce((n, r) => n + goalIds.filter((id) => r.assessments[id]?.rating).length, 0),
    goals: goalIds.length * reviews.length,
  };
}
