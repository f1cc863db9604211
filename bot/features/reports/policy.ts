/**
 * Need to know, as one declared policy: who may see a report and who may act on it. Used by the card
 * handlers, the tab API (which answers 404 to anyone who may not see a report, so that its existence
 * does not leak) and the cards themselves (a card shows only the buttons its viewer may use).
 * Plain functions over plain data.
 *
 * A report is visible to its reporter, the manager it went to (and their deputy today), those it was
 * forwarded to, and the security function; the data protection officer sees personal-data incidents.
 * Nobody else.
 */
import type { Actor } from '../../platform/org/actor';
import type { Report } from './model';

/** What the policy reads of the platform's Actor (platform/org/actor.ts). */
export type ReportActor = Pick<Actor, 'id' | 'roles' | 'deputyFor' | 'securityFunction'>;

export type ReportAbility =
  | 'view'
  | 'acknowledge'
  | 'decide'
  | 'forward'
  | 'close'
  | 'assessPersonalData'
  | 'export';

export const reportAbilities: readonly ReportAbility[] = [
  'view',
  'acknowledge',
  'decide',
  'forward',
  'close',
  'assessPersonalData',
  'export',
];

/** How the actor acts for the report's manager: as the manager, as their deputy, or not at all. */
export function actingAsManager(actor: ReportActor, report: Report): { onBehalfOf?: string } | undefined {
  if (actor.id === report.managerId) return {};
  if (actor.deputyFor.includes(report.managerId)) return { onBehalfOf: report.managerId };
  return undefined;
}

const isDpo = (actor: ReportActor) => actor.roles.includes('dataProtectionOfficer');

/** May handle it: the manager (or deputy), and the security function once the manager handed it over. */
export function handles(actor: ReportActor, report: Report): boolean {
  return (
    actingAsManager(actor, report) !== undefined || (report.securityFunctionHandles && actor.securityFunction)
  );
}

/** A decision that settles the report (a hand-over to the security function leaves it for them to decide). */
export const isDecided = (report: Report) =>
  report.decision !== undefined && report.decision.kind !== 'forwarded';

export function canOnReport(actor: ReportActor, ability: ReportAbility, report: Report): boolean {
  const open = report.state !== 'closed';
  switch (ability) {
    case 'view':
      return (
        actor.id === report.reporterId ||
        actingAsManager(actor, report) !== undefined ||
        report.forwardedTo.includes(actor.id) ||
        actor.securityFunction ||
        (report.kind === 'personalDataIncident' && isDpo(actor))
      );
    case 'acknowledge':
      return report.state === 'reported' && handles(actor, report);
    case 'decide':
      return open && !isDecided(report) && handles(actor, report);
    case 'forward':
      return open && report.decision === undefined && actingAsManager(actor, report) !== undefined;
    case 'close':
      return report.state === 'handling' && isDecided(report) && handles(actor, report);
    case 'assessPersonalData':
      return report.kind === 'personalDataIncident' && report.dpo === undefined && isDpo(actor);
    case 'export':
      return actor.securityFunction;
  }
}

/** The abilities that travel with a report to the tab. */
export const abilitiesOf = (actor: ReportActor, report: Report): Record<ReportAbility, boolean> =>
  Object.fromEntries(reportAbilities.map((a) => [a, canOnReport(actor, a, report)])) as Record<
    ReportAbility,
    boolean
  >;
