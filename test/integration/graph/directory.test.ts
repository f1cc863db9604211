/**
 * The Graph directory (bot/org/graphDirectory.ts) and the Graph app installer (bot/teams/graphInstaller.ts)
 * against the local Graph endpoint, through the app's Graph client (msal-node token, retry policy): an
 * organisation of 2,100 users (three pages of 999), with guests, disabled accounts, departments, nested groups.
 */
import type { Graph } from '../../../bot/platform/graph';
import { GraphDirectory } from '../../../bot/platform/org/graphDirectory';
import { GraphAppInstaller } from '../../../bot/platform/teams/graphInstaller';
import { type DirectoryUser, type LocalGraph, startGraph } from '../../support/graph';
import { testGraph } from '../../support/sharepoint';

let graph: LocalGraph;
let client: Graph;

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const DIRECTOR = id(1);
const IT_HEAD = id(2);
const HR_HEAD = id(3);
const SECURITY_CHIEF = id(4);
const DISABLED_MANAGER = id(5);
const UNDER_DISABLED = id(6);
const GUEST = id(7);
const DISABLED = id(8);
const NESTED_MEMBER = id(9);
const ROLE_GROUP = 'aaaaaaaa-0000-4000-8000-000000000001';
const INNER_GROUP = 'aaaaaaaa-0000-4000-8000-000000000002';
const AUDIENCE = 'aaaaaaaa-0000-4000-8000-000000000003';
const APP = 'bbbbbbbb-0000-4000-8000-000000000001';
const organisation = { id: 'org', name: 'Region Exempel', tenantId: 'tenant' };

function users(): DirectoryUser[] {
  const list: DirectoryUser[] = [
    { id: DIRECTOR, displayName: 'Dora Direktör', department: 'Ledning' },
    { id: IT_HEAD, displayName: 'Ivar IT-chef', department: 'IT', managerId: DIRECTOR },
    { id: HR_HEAD, displayName: 'Hanna HR-chef', department: 'HR', managerId: DIRECTOR },
    { id: SECURITY_CHIEF, displayName: 'Siv Säkerhetschef', department: 'Ledning', managerId: DIRECTOR },
    {
      id: DISABLED_MANAGER,
      displayName: 'Ulf Slutat',
      department: 'IT',
      managerId: IT_HEAD,
      accountEnabled: false,
    },
    { id: UNDER_DISABLED, displayName: 'Olle Kvar', department: 'IT', managerId: DISABLED_MANAGER },
    { id: GUEST, displayName: 'Greta Gäst', userType: 'Guest', managerId: IT_HEAD },
    {
      id: DISABLED,
      displayName: 'Dan Avstängd',
      department: 'HR',
      accountEnabled: false,
      managerId: HR_HEAD,
    },
    { id: NESTED_MEMBER, displayName: 'Nils Nästlad', department: 'HR', managerId: HR_HEAD },
  ];
  // 2,091 more people in IT and HR: 2,100 users, so three pages of 999
  for (let n = 10; n <= 2100; n++)
    list.push({
      id: id(n),
      displayName: `Person ${n}`,
      department: n % 2 ? 'IT' : 'HR',
      managerId: n % 2 ? IT_HEAD : HR_HEAD,
    });
  return list;
}

let now = 0;
const directory = (over: Partial<ConstructorParameters<typeof GraphDirectory>[1]> = {}) =>
  new GraphDirectory(client, {
    organisation,
    roleGroups: { securityChief: [ROLE_GROUP] },
    groups: [AUDIENCE],
    refreshMs: 60_000,
    now: () => now,
    ...over,
  });

beforeAll(async () => {
  graph = await startGraph();
  client = testGraph(graph, { byPath: 'contoso.sharepoint.com:/sites/x' });
});
beforeEach(() => {
  graph.control.reset();
  graph.control.seedDirectory({
    users: users(),
    groups: [
      // the security chief's role group holds the chief and, through a nested group, one more person and a guest
      { id: ROLE_GROUP, displayName: 'Värn säkerhetschefer', members: [SECURITY_CHIEF, INNER_GROUP] },
      { id: INNER_GROUP, displayName: 'Ställföreträdare', members: [NESTED_MEMBER, GUEST] },
      { id: AUDIENCE, displayName: 'Alla chefer', members: [IT_HEAD, HR_HEAD, ROLE_GROUP, DISABLED] },
    ],
    catalogApps: [APP],
  });
});
afterAll(() => graph.close());

describe('GraphDirectory', () => {
  test('everyone: every page followed, guests and disabled accounts left out', async () => {
    const people = await directory().everyone();
    expect(people).toHaveLength(2100 - 3);
    const ids = new Set(people.map((p) => p.id));
    for (const left of [GUEST, DISABLED, DISABLED_MANAGER]) expect(ids.has(left)).toBe(false);
    expect(await directory().person(GUEST)).toBeUndefined();
    const usersCalls = graph.control.requests().filter((r) => r.kind === 'users' && r.status === 200);
    expect(usersCalls.length).toBe(2 * 3); // two directories, three pages each
    expect(new URLSearchParams(usersCalls[0]?.query).get('$select')).toBe(
      'id,displayName,mail,userPrincipalName,department,preferredLanguage,accountEnabled,userType',
    );
  });

  test('managers: the Graph manager, walking past a disabled one to the next manager up', async () => {
    const d = directory();
    expect((await d.managerOf(IT_HEAD))?.id).toBe(DIRECTOR);
    expect((await d.managerOf(UNDER_DISABLED))?.id).toBe(IT_HEAD);
    expect(await d.managerOf(DIRECTOR)).toBeUndefined();
  });

  test('units from the department attribute: heads manage them, the organisation above', async () => {
    const units = await directory().units();
    const byName = new Map(units.map((u) => [u.name, u]));
    expect(byName.get('Region Exempel')).toMatchObject({
      kind: 'organisation',
      managerId: DIRECTOR,
      parentId: null,
    });
    expect(byName.get('IT')).toMatchObject({ managerId: IT_HEAD, parentId: byName.get('Ledning')?.id });
    expect(byName.get('HR')).toMatchObject({ managerId: HR_HEAD, parentId: byName.get('Ledning')?.id });
    expect(byName.get('Ledning')).toMatchObject({ managerId: DIRECTOR, parentId: 'org' });
    const hr = await directory().membersOf(byName.get('HR')?.id as string);
    expect(hr.map((p) => p.id)).toContain(NESTED_MEMBER);
    expect(hr.map((p) => p.id)).not.toContain(DISABLED);
    expect((await directory().withRole('unitManager')).map((p) => p.id).sort()).toEqual(
      [DIRECTOR, IT_HEAD, HR_HEAD].sort(),
    );
  });

  test('roles from configured groups, nested members included, guests not', async () => {
    const chiefs = await directory().withRole('securityChief');
    expect(chiefs.map((p) => p.id).sort()).toEqual([SECURITY_CHIEF, NESTED_MEMBER].sort());
    expect((await directory().person(IT_HEAD))?.roles).toEqual(
      expect.arrayContaining(['employee', 'unitManager']),
    );
  });

  test('groups: the configured ones by name; members through nested groups, no guests or disabled accounts', async () => {
    const d = directory();
    expect(await d.groups()).toEqual([{ id: AUDIENCE, name: 'Alla chefer' }]);
    expect((await d.groupMembers(AUDIENCE)).sort()).toEqual(
      [IT_HEAD, HR_HEAD, SECURITY_CHIEF, NESTED_MEMBER].sort(),
    );
    // a group not configured as addressable is read when asked for
    expect((await d.groupMembers(INNER_GROUP)).sort()).toEqual([NESTED_MEMBER]);
    expect(await d.groupMembers('cccccccc-0000-4000-8000-000000000000')).toEqual([]);
  });

  test('cached for the refresh interval, then read again (someone disabled in Entra drops out)', async () => {
    now = 0;
    const d = directory();
    expect(await d.person(IT_HEAD)).toBeDefined();
    graph.control.resetStats();
    graph.control.updateUser(IT_HEAD, { accountEnabled: false });
    now = 59_000;
    expect(await d.person(IT_HEAD)).toBeDefined();
    expect(graph.control.requests()).toHaveLength(0);
    now = 61_000;
    const [a, b] = await Promise.all([d.person(IT_HEAD), d.everyone()]);
    expect(a).toBeUndefined();
    expect(b.map((p) => p.id)).not.toContain(IT_HEAD);
    // the two readers shared one read: three pages of users
    expect(graph.control.requests().filter((r) => r.kind === 'users')).toHaveLength(3);
    // IT's people now report past their disabled head to the director
    expect((await d.managerOf(id(11)))?.id).toBe(DIRECTOR);
  });

  test('a failed refresh keeps the previous read', async () => {
    now = 0;
    const d = directory({ groups: [] });
    expect(await d.everyone()).toHaveLength(2097);
    graph.control.reset(); // the users are gone: every read is now a 404 for the role group
    now = 120_000;
    expect(await d.everyone()).toHaveLength(2097);
  });
});

describe('GraphAppInstaller', () => {
  const installer = () => new GraphAppInstaller(client, APP, graph.origin);

  test('installs the app (201), and an app already installed (409) is success too', async () => {
    expect(await installer().ensureInstalled(IT_HEAD)).toEqual({ installed: true, now: true });
    expect(graph.control.installedApps(IT_HEAD)).toEqual([APP]);
    expect(await installer().ensureInstalled(IT_HEAD)).toEqual({ installed: true, now: false });
    expect(graph.control.installedApps(IT_HEAD)).toEqual([APP]);
  });

  test('a policy that blocks the app (403) and an unknown user (404) are outcomes the sender records', async () => {
    graph.control.blockApp(HR_HEAD, APP);
    const blocked = await installer().ensureInstalled(HR_HEAD);
    expect(blocked).toEqual({ installed: false, detail: expect.stringContaining('403') });
    const unknown = await installer().ensureInstalled('cccccccc-0000-4000-8000-000000000000');
    expect(unknown).toEqual({ installed: false, detail: expect.stringContaining('404') });
    expect(graph.control.installedApps(HR_HEAD)).toEqual([]);
  });

  test('throttling is retried by the Graph client; the install happens once', async () => {
    graph.control.failNext(2, { status: 429, retryAfterSeconds: 0 });
    expect(await installer().ensureInstalled(SECURITY_CHIEF)).toEqual({ installed: true, now: true });
    expect(graph.control.installedApps(SECURITY_CHIEF)).toEqual([APP]);
  });
});
