/**
 * Who is acting: the one shape every policy reads, built in one place from the directory (roles,
 * the units a person manages), the configured security function, the deputy periods in force today,
 * and the grants features keep for people (a campaign author named by the security chief). Card data
 * never feeds it: the id comes from the authenticated activity or token.
 */
import { stockholmDay } from '../time';
import type { Directory, Role, Unit } from './model';

export interface Actor {
  id: string;
  roles: readonly Role[];
  /** Member of the security function: the configured people, or the security chief's and officers' roles. */
  securityFunction: boolean;
  /** The people this actor stands in for today (active deputy periods). */
  deputyFor: readonly string[];
  /** The units the person manages, with every unit below them. */
  managedUnits: ReadonlySet<string>;
  /** Grants features keep for the person, named `<feature>.<grant>` (e.g. 'campaigns.author'). */
  grants: ReadonlySet<string>;
}

export const hasRole = (actor: Pick<Actor, 'roles'>, role: Role): boolean => actor.roles.includes(role);

/** The deputy periods as stored (yyyy-mm-dd, both days included); any collection with this query fits. */
export interface DeputyPeriods {
  find(filter: { deputyId: string }): Promise<{ value: { principalId: string; from: string; to: string } }[]>;
}

/** A feature's grants for a person (e.g. campaigns: 'campaigns.author' when named). */
export type GrantSource = (personId: string) => Promise<readonly string[]>;

export interface ActorsDeps {
  directory: Directory;
  clock: () => Date;
  /** Configured members of the security function; empty means the security roles. */
  securityFunctionIds?: readonly string[];
  deputies?: DeputyPeriods;
  grants?: readonly GrantSource[];
}

/** The units under `unitIds` (themselves included), following parentId down the line organisation. */
export function withSubUnits(unitIds: readonly string[], units: readonly Unit[]): Set<string> {
  const result = new Set(unitIds);
  let grew = true;
  while (grew) {
    grew = false;
    for (const unit of units) {
      if (unit.parentId && result.has(unit.parentId) && !result.has(unit.id)) {
        result.add(unit.id);
        grew = true;
      }
    }
  }
  return result;
}

/** The units a person manages, with everything below them. */
export const unitsOfManager = (personId: string, units: readonly Unit[]): Set<string> =>
  withSubUnits(
    units.filter((u) => u.managerId === personId).map((u) => u.id),
    units,
  );

/** A deputy period is active on `today` (both days included). */
export const activeOn = (today: string, period: { from: string; to: string }): boolean =>
  period.from <= today && today <= period.to;

export class Actors {
  constructor(private readonly deps: ActorsDeps) {}

  /** The security function's members: the configured people, else everyone with a security role. */
  async securityFunction(): Promise<string[]> {
    const { securityFunctionIds = [], directory } = this.deps;
    if (securityFunctionIds.length > 0) return [...securityFunctionIds];
    const people = [
      ...(await directory.withRole('securityChief')),
      ...(await directory.withRole('securityOfficer')),
    ];
    return [...new Set(people.map((p) => p.id))];
  }

  /** The actor for an authenticated person id; someone outside the directory has no roles and no grants. */
  async of(personId: string): Promise<Actor> {
    const { directory, deputies, grants = [], clock } = this.deps;
    const person = await directory.person(personId);
    const today = stockholmDay(clock());
    const deputyFor = deputies
      ? (await deputies.find({ deputyId: personId }))
          .map((d) => d.value)
          .filter((d) => activeOn(today, d))
          .map((d) => d.principalId)
      : [];
    const granted = new Set<string>();
    if (person) for (const source of grants) for (const grant of await source(personId)) granted.add(grant);
    return {
      id: personId,
      roles: person?.roles ?? [],
      securityFunction: (await this.securityFunction()).includes(personId),
      deputyFor,
      managedUnits: person ? unitsOfManager(personId, await directory.units()) : new Set(),
      grants: granted,
    };
  }
}
