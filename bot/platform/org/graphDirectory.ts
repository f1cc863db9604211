/**
 * The Directory read from Entra ID through Microsoft Graph (tenant mode, VARN_DIRECTORY=graph).
 *
 * What it reads (application permissions User.Read.All and GroupMember.Read.All):
 *   GET /users?$select=id,displayName,mail,userPrincipalName,department,preferredLanguage,accountEnabled,userType
 *       &$expand=manager($select=id)&$top=999      every user with their direct manager, all pages (@odata.nextLink)
 *   GET /groups/{id}/transitiveMembers/microsoft.graph.user?$select=id&$count=true   (ConsistencyLevel: eventual,
 *       which the OData cast needs) the members of each role group and of each addressable group, nested included
 *   GET /groups/{id}?$select=id,displayName      the names of the addressable groups
 * Guests (userType Guest) and disabled accounts (accountEnabled false) are not people of the organisation: they are
 * left out everywhere. They are filtered here rather than with $filter because `ne` needs Graph's advanced queries
 * and because a disabled manager must still be walked past to the next manager up.
 *
 * Units come from the department attribute: it is what the HR feed fills in for a Swedish public organisation, it
 * is on every user already (no extra call), and Entra has no other object for the line organisation
 * (administrative units are for delegating administration, not for the org chart). A department's manager is the
 * member whose own manager is outside the department (the head; among several, the one with most people below);
 * its parent unit is the department of that head's manager; people without a department belong to the
 * organisation itself, whose manager is the person at the top of the manager chain.
 *
 * Roles come from configuration: Entra groups per role; everyone is an employee; heads of a department are unit
 * managers too.
 *
 * Everything is read at once into a snapshot kept for `refreshMs`; a refresh that fails keeps the old snapshot
 * (logged) so that a Graph outage does not empty the organisation. Concurrent readers share one refresh.
 */
import type { GraphDirectoryConfig, GroupRole } from '../../config';
import type { Graph } from '../graph';
import type { Logger } from '../logger';
import type { Directory, Person, Role, Unit } from './model';

interface GraphUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  department?: string | null;
  preferredLanguage?: string | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
  manager?: { id: string } | null;
}

interface Snapshot {
  at: number;
  people: Map<string, Person>;
  /** userId → manager id, for every user Graph listed (disabled ones too, to walk past them). */
  managers: Map<string, string>;
  units: Map<string, Unit>;
  groups: Map<string, { id: string; name: string; members: string[] }>;
}

const USER_FIELDS =
  'id,displayName,mail,userPrincipalName,department,preferredLanguage,accountEnabled,userType';
const EVENTUAL = { ConsistencyLevel: 'eventual' };

export interface GraphDirectoryOptions extends Omit<GraphDirectoryConfig, 'source'> {
  organisation: { id: string; name: string; tenantId: string };
  log?: Logger;
  now?: () => number;
}

export class GraphDirectory implements Directory {
  readonly organisation: { id: string; name: string; tenantId: string };
  private current: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;

  constructor(
    private readonly graph: Graph,
    private readonly options: GraphDirectoryOptions,
  ) {
    this.organisation = options.organisation;
  }

  async person(id: string): Promise<Person | undefined> {
    return (await this.snapshot()).people.get(id);
  }

  async withRole(role: Role): Promise<Person[]> {
    return [...(await this.snapshot()).people.values()].filter((p) => p.roles.includes(role));
  }

  async managerOf(personId: string): Promise<Person | undefined> {
    const s = await this.snapshot();
    const seen = new Set([personId]);
    let id = s.managers.get(personId);
    while (id && !seen.has(id)) {
      const manager = s.people.get(id);
      if (manager) return manager;
      seen.add(id);
      id = s.managers.get(id);
    }
    return undefined;
  }

  async units(): Promise<Unit[]> {
    return [...(await this.snapshot()).units.values()];
  }

  async membersOf(unitId: string): Promise<Person[]> {
    return [...(await this.snapshot()).people.values()].filter((p) => p.unitId === unitId);
  }

  // campaigns: audience resolution

  async everyone(): Promise<Person[]> {
    return [...(await this.snapshot()).people.values()];
  }

  async groups(): Promise<{ id: string; name: string }[]> {
    return [...(await this.snapshot()).groups.values()].map(({ id, name }) => ({ id, name }));
  }

  async groupMembers(groupId: string): Promise<string[]> {
    const s = await this.snapshot();
    const known = s.groups.get(groupId);
    if (known) return known.members;
    // a group that is not configured as addressable: read it now (people only, nested included)
    const members = await this.transitiveUserIds(groupId).catch((error: unknown) => {
      if ((error as { status?: number }).status === 404) return [];
      throw error;
    });
    return members.filter((id) => s.people.has(id));
  }

  /** Reads the directory again at the next call (the refresh interval restarts). */
  invalidate(): void {
    if (this.current) this.current = { ...this.current, at: Number.NEGATIVE_INFINITY };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async snapshot(): Promise<Snapshot> {
    const current = this.current;
    if (current && this.now() - current.at < this.options.refreshMs) return current;
    this.loading ??= this.graph
      .operation('directory.read', () => this.read())
      .then(
        (fresh) => {
          this.current = fresh;
          return fresh;
        },
        (error: unknown) => {
          if (!current) throw error;
          this.options.log?.error(
            { err: error },
            'directory: reading Entra ID failed; the previous read stays',
          );
          // try again after a tenth of the interval rather than at every call
          this.current = { ...current, at: this.now() - this.options.refreshMs * 0.9 };
          return this.current;
        },
      )
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private transitiveUserIds(groupId: string): Promise<string[]> {
    return this.graph
      .all<{ id: string }>(
        `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=id&$count=true&$top=999`,
        EVENTUAL,
      )
      .then((members) => members.map((m) => m.id));
  }

  private async read(): Promise<Snapshot> {
    const users = await this.graph.all<GraphUser>(
      `/users?$select=${USER_FIELDS}&$expand=manager($select=id)&$top=999`,
    );
    const roleGroups = Object.entries(this.options.roleGroups) as [GroupRole, string[]][];
    const roleMembers = new Map<string, Set<Role>>();
    for (const [role, groupIds] of roleGroups) {
      for (const groupId of groupIds) {
        for (const id of await this.transitiveUserIds(groupId)) {
          roleMembers.set(id, (roleMembers.get(id) ?? new Set<Role>()).add(role));
        }
      }
    }
    const { people, managers, units } = organise(users, roleMembers, this.organisation);
    const groups = new Map<string, { id: string; name: string; members: string[] }>();
    for (const groupId of this.options.groups) {
      const group = await this.graph.get<{ id: string; displayName?: string | null }>(
        `/groups/${encodeURIComponent(groupId)}?$select=id,displayName`,
      );
      const members = (await this.transitiveUserIds(groupId)).filter((id) => people.has(id));
      groups.set(groupId, { id: groupId, name: group.displayName || groupId, members });
    }
    this.options.log?.info(
      { people: people.size, units: units.size, groups: groups.size, skipped: users.length - people.size },
      'directory: read from Entra ID',
    );
    return { at: this.now(), people, managers, units, groups };
  }
}

/** Members of the organisation: enabled accounts that are not guests. */
export function isMember(user: GraphUser): boolean {
  return user.accountEnabled !== false && (user.userType ?? 'Member') !== 'Guest';
}

const departmentUnitId = (department: string): string => `department:${department.trim().toLowerCase()}`;

/**
 * People, manager links and units from the users Graph listed (no I/O; see the file header for the rules).
 */
export function organise(
  users: readonly GraphUser[],
  roleMembers: ReadonlyMap<string, ReadonlySet<Role>>,
  organisation: { id: string; name: string },
): { people: Map<string, Person>; managers: Map<string, string>; units: Map<string, Unit> } {
  const managers = new Map<string, string>();
  for (const u of users) if (u.manager?.id) managers.set(u.id, u.manager.id);
  const members = users.filter(isMember);
  const memberIds = new Set(members.map((u) => u.id));
  const rootId = organisation.id;
  const unitOf = (u: GraphUser): string => (u.department?.trim() ? departmentUnitId(u.department) : rootId);
  const unitById = new Map(members.map((u) => [u.id, unitOf(u)]));

  // the nearest enabled manager (walking past disabled accounts and guests)
  const enabledManager = (id: string): string | undefined => {
    const seen = new Set([id]);
    let m = managers.get(id);
    while (m && !seen.has(m)) {
      if (memberIds.has(m)) return m;
      seen.add(m);
      m = managers.get(m);
    }
    return undefined;
  };
  const reportsBelow = new Map<string, number>();
  for (const u of members) {
    const seen = new Set([u.id]);
    let m = enabledManager(u.id);
    while (m && !seen.has(m)) {
      reportsBelow.set(m, (reportsBelow.get(m) ?? 0) + 1);
      seen.add(m);
      m = enabledManager(m);
    }
  }
  const byMostReports = (a: string, b: string) =>
    (reportsBelow.get(b) ?? 0) - (reportsBelow.get(a) ?? 0) || a.localeCompare(b);

  // departments: the head is the member whose manager is outside the department
  const departments = new Map<string, { name: string; members: string[] }>();
  for (const u of members) {
    const unitId = unitById.get(u.id) as string;
    if (unitId === rootId) continue;
    const d = departments.get(unitId) ?? { name: (u.department as string).trim(), members: [] };
    d.members.push(u.id);
    departments.set(unitId, d);
  }
  const tops = members
    .map((u) => u.id)
    .filter((id) => !enabledManager(id))
    .sort(byMostReports);
  const rootManager = tops[0];
  const units = new Map<string, Unit>();
  if (rootManager)
    units.set(rootId, {
      id: rootId,
      name: organisation.name,
      kind: 'organisation',
      parentId: null,
      managerId: rootManager,
    });
  const heads = new Set<string>();
  for (const [unitId, d] of departments) {
    const head = d.members
      .filter((id) => {
        const m = enabledManager(id);
        return !m || unitById.get(m) !== unitId;
      })
      .sort(byMostReports)[0];
    if (!head) continue;
    heads.add(head);
    const above = enabledManager(head);
    const parent = above ? (unitById.get(above) as string) : rootId;
    units.set(unitId, {
      id: unitId,
      name: d.name,
      kind: 'unit',
      parentId: parent === unitId || !rootManager ? null : parent,
      managerId: head,
    });
  }

  const people = new Map<string, Person>();
  for (const u of members) {
    const roles = new Set<Role>(['employee', ...(roleMembers.get(u.id) ?? [])]);
    if (heads.has(u.id)) roles.add('unitManager');
    people.set(u.id, {
      id: u.id,
      name: u.displayName?.trim() || u.userPrincipalName || u.id,
      ...(u.mail || u.userPrincipalName ? { email: (u.mail || u.userPrincipalName) as string } : {}),
      unitId: units.has(unitById.get(u.id) as string) ? (unitById.get(u.id) as string) : rootId,
      roles: [...roles],
      locale: u.preferredLanguage || 'sv-SE',
    });
  }
  return { people, managers, units };
}
