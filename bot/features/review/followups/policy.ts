/**
 * Follow-ups: who may see and update one, and which status may follow which. Plain functions.
 *
 *   open ⇄ inProgress ──▶ done
 *     └────────┴────────▶ cancelled          (done and cancelled are final)
 */
import type { Actor } from '../../../platform/org/actor';
import { definePolicy } from '../../../platform/policy';
import type { FollowUp, FollowUpStatus } from './model';

/** The part of the platform's Actor the follow-ups' rules read. */
export type FollowUpActor = Pick<Actor, 'id' | 'roles' | 'deputyFor'>;

export const followUpTransitions: Record<FollowUpStatus, readonly FollowUpStatus[]> = {
  open: ['inProgress', 'done', 'cancelled'],
  inProgress: ['open', 'done', 'cancelled'],
  done: [],
  cancelled: [],
};

export const isFinal = (status: FollowUpStatus) => followUpTransitions[status].length === 0;

/** How the actor acts on the follow-up: as owner or manager, as their deputy, or not at all. */
export function actingOnFollowUp(
  actor: FollowUpActor,
  followUp: FollowUp,
): { onBehalfOf?: string } | undefined {
  if (actor.id === followUp.ownerId || actor.id === followUp.managerId) return {};
  const principal = [followUp.ownerId, followUp.managerId].find((id) => actor.deputyFor.includes(id));
  return principal ? { onBehalfOf: principal } : undefined;
}

const followUpRules = {
  view: (actor: FollowUpActor, followUp: FollowUp) =>
    actingOnFollowUp(actor, followUp) !== undefined ||
    actor.roles.includes('securityChief') ||
    actor.roles.includes('securityOfficer'),
  update: (actor: FollowUpActor, followUp: FollowUp) =>
    actingOnFollowUp(actor, followUp) !== undefined && !isFinal(followUp.status),
};
export type FollowUpAbility = keyof typeof followUpRules;

export const followUpPolicy = definePolicy<FollowUp>()(followUpRules);

export const canOnFollowUp = (actor: FollowUpActor, ability: FollowUpAbility, followUp: FollowUp): boolean =>
  followUpRules[ability](actor, followUp);

/** May the status move from `from` to `to`? A comment without a status change keeps the status. */
export const canMove = (from: FollowUpStatus, to: FollowUpStatus) =>
  from === to ? !isFinal(from) : followUpTransitions[from].includes(to);

/** Overdue on `today`: past its due day and not finished. */
export const isOverdue = (followUp: Pick<FollowUp, 'due' | 'status'>, today: string) =>
  followUp.due < today && !isFinal(followUp.status);
