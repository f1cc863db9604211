/**
 * The closing step's mapping: a cycle's records → the säkerhetsbokslut's plain input
 * (reports/model.ts). Pure; the service hands in names, the line above each unit and the log.
 */
import type { AuditEvent } from '../../platform/audit/model';
import type { AnnualReportInput, SignOffEntry, UnitReportState } from '../annualReport/model';
import type { FollowUp } from './followups';
import type { ReviewCycle, UnitReview } from './model';

export interface ReportContext {
  organisation: string;
  generatedAt: string;
  names: (personId: string) => string;
  /** Names of the units above a unit, top first. */
  lineOf: (unitId: string) => string[];
  /** The review's audit events, in order. */
  eventsOf: (reviewId: string) => AuditEvent[];
}

export function reportState(review: UnitReview): UnitReportState {
  switch (review.state) {
    case 'open':
      return Object.values(review.assessments).some((a) => a.rating || a.comment) ? 'draft' : 'notStarted';
    case 'submitted':
      return 'inSignOff';
    case 'returned':
      return 'returned';
    case 'signedOff':
      return 'signedOff';
  }
}

function history(events: AuditEvent[], names: (id: string) => string): SignOffEntry[] {
  const entries: SignOffEntry[] = [];
  for (const e of events) {
    const action =
      e.action === 'submit'
        ? 'submitted'
        : e.action === 'approve'
          ? e.toState === 'signedOff'
            ? 'signedOff'
            : 'approved'
          : e.action === 'return'
            ? 'returned'
            : undefined;
    if (!action) continue;
    entries.push({
      action,
      at: e.at,
      byName: names(e.actorId),
      ...(e.onBehalfOf ? { onBehalfOfName: names(e.onBehalfOf) } : {}),
      ...(e.comment ? { comment: e.comment } : {}),
    });
  }
  return entries;
}

export function toReportInput(
  cycle: ReviewCycle,
  reviews: readonly UnitReview[],
  followUps: readonly FollowUp[],
  context: ReportContext,
): AnnualReportInput {
  const goals = cycle.areas.flatMap((a) => a.goals.map((g) => ({ id: g.id, areaId: a.id, text: g.text })));
  return {
    organisation: context.organisation,
    year: cycle.year,
    deadline: cycle.deadline,
    openedAt: cycle.openedAt,
    ...(cycle.closedAt ? { closedAt: cycle.closedAt } : {}),
    generatedAt: context.generatedAt,
    ...(cycle.closedBy ? { preparedBy: context.names(cycle.closedBy) } : {}),
    areas: cycle.areas.map((a) => ({ id: a.id, name: a.name.sv })),
    goals,
    units: reviews.map((review) => ({
      id: review.unitId,
      name: review.unitName,
      line: context.lineOf(review.unitId),
      managerName: context.names(review.managerId),
      state: reportState(review),
      history: history(context.eventsOf(review.id), context.names),
      assessments: goals
        .map((g) => review.assessments[g.id])
        .filter((a) => a !== undefined)
        .map((a) => ({
          goalId: a.goalId,
          ...(a.rating ? { rating: a.rating } : {}),
          ...(a.comment ? { comment: a.comment } : {}),
          ...(a.evidence ? { evidenceLink: a.evidence } : {}),
          ...(a.reason ? { reason: a.reason } : {}),
        })),
      followUps: followUps
        .filter((f) => f.sourceId === review.id)
        .map((f) => {
          const last = f.notes[f.notes.length - 1]?.comment;
          return {
            id: f.id,
            goalId: f.goalId,
            what: f.what,
            ownerName: context.names(f.ownerId),
            due: f.due,
            status: f.status,
            ...(last ? { comment: last } : {}),
          };
        }),
    })),
  };
}
