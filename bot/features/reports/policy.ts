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
import { definePolicy } from '../../platform/policy';
import type { Report } from './model';

/** How the actor acts for the report's manager: as the manager, as their deputy, or not at all. */
export function actingAsManager(actor: Actor, report: Report): { onBehalfOf?: string } | undefined {
  if (actor.id === report.managerId) return {};
  if (actor.deputyFor.includes(report.managerId)) return { onBehalfOf: report.managerId };
  return undefined;
}

const isDpo = (actor: Actor) => actor.roles.includes('dataProtectionOfficer');

/** May handle it: the manager (or deputy), and the security function once the manager handed it over. */
export function handles(actor: Actor, report: Report): boolean {
  return (
    actingAsManager(actor, report) !== undefined || (report.securityFunctionHandles && actor.securityFunction)
  );
}

/** A decision that settles the report (a hand-over to the security function leaves it for them to decide). */
export const isDecided = (report: Report) =>
  report.decision !== undefined && report.decision.kind !== 'forwarded';

const open = (report: Report) => report.state !== 'closed';

export const reportPolicy = definePolicy<Report>()({
  view: (actor, report) =>
    actor.id === report.reporterId ||
    actingAsManager(actor, report) !== undefined ||
    report.forwardedTo.includes(actor.id) ||
    actor.securityFunction ||
    (report.kind === 'personalDataIncident' && isDpo(actor)),
  acknowledge: (actor, report) => report.state === 'reported' && handles(actor, report),
  decide: (actor, report) => open(report) && !isDecided(report) && handles(actor, report),
  forward: (actor, report) =>
    open(report) && report.decision === undefined && actingAsManager(actor, report) !== undefined,
  close: (actor, report) => report.state === 'handling' && isDecided(report) && handles(actor, report),
  assessPersonalData: (actor, report) =>
    report.kind === 'personalDataIncident' && report.dpo === undefined && isDpo(actor),
  export: (actor) => actor.securityFunction,
});

export type ReportAbility = (typeof reportPolicy.abilities)[number];

export const canOnReport = reportPolicy.can;
/** The abilities that travel with a report to the tab. */
export const abilitiesOf = (actor: Actor, report: Report) => reportPolicy.abilitiesOf(actor, report);
