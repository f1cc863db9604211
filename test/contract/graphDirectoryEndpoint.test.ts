/**
 * The directory and Teams-app part of the local Graph endpoint (test/support/graph/directory.ts) against Microsoft
 * Graph's documented behaviour, over real HTTP with fetch, no adapter involved. Sources (microsoft-graph-docs-contrib,
 * published on learn.microsoft.com/graph/api/…):
 *   List users                     https://learn.microsoft.com/graph/api/user-list?view=graph-rest-1.0
 *   List manager                   https://learn.microsoft.com/graph/api/user-list-manager?view=graph-rest-1.0
 *   List group transitive members  https://learn.microsoft.com/graph/api/group-list-transitivemembers?view=graph-rest-1.0
 *   Install app for user           https://learn.microsoft.com/graph/api/userteamwork-post-installedapps?view=graph-rest-1.0
 *   Advanced query capabilities    https://learn.microsoft.com/graph/aad-advanced-queries
 */
import { type LocalGraph, startGraph } from '../support/graph';

// biome-ignore lint/suspicious/noExplicitAny: the test reads Graph JSON bodies structurally, as documented examples
type Json = Record<string, any>;

let graph: LocalGraph;
let token: string;

const CHIEF = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
const ADELE = '5b649834-7412-4cce-9e69-176e95a394f5';
const GUEST = '2c2ae6a1-0a4f-4c1c-9d13-3b7e2e2b7e10';
const GONE = '9b0c5f3e-41c1-4a8e-9d51-5a0f5f8b7c11';
const GROUP = '02bd9fd6-8f93-4758-87c3-1fb73740a315';
const NESTED = '4d0ef681-e88f-42a3-a2db-e6bf1e249e10';
const APP = '12345678-9abc-def0-1234-56789abcdef0';

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const url = path.startsWith('http') ? path : `${graph.url}${path}`;
  const init: RequestInit = { method, headers: { Authorization: `Bearer ${token}`, ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, text };
}
const get = (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers);
const eventual = { ConsistencyLevel: 'eventual' };

beforeAll(async () => {
  graph = await startGraph();
  token = graph.control.issueToken();
  graph.control.seedDirectory({
    users: [
      { id: CHIEF, displayName: 'Sara Chef', mail: 'sara@contoso.com', department: 'Ledning' },
      {
        id: ADELE,
        displayName: 'Adele Vance',
        mail: 'AdeleV@contoso.com',
        department: 'IT',
        managerId: CHIEF,
      },
      { id: GUEST, displayName: 'Gäst Extern', userType: 'Guest', managerId: CHIEF },
      { id: GONE, displayName: 'Slutat Person', accountEnabled: false, department: 'IT', managerId: ADELE },
    ],
    groups: [
      { id: GROUP, displayName: 'Alla', members: [CHIEF, NESTED] },
      { id: NESTED, displayName: 'Executives', members: [ADELE, GUEST, CHIEF] },
    ],
    catalogApps: [APP],
  });
});
afterAll(() => graph.close());

describe('List users (user-list)', () => {
  test('without $select only the default properties come back; accountEnabled and userType need $select', async () => {
    const res = await get('/users');
    expect(res.status).toBe(200);
    const adele = res.body.value.find((u: Json) => u.id === ADELE);
    // user-list, Example 1 response: businessPhones, displayName, givenName, jobTitle, mail, mobilePhone,
    // officeLocation, preferredLanguage, surname, userPrincipalName, id
    expect(Object.keys(adele).sort()).toEqual(
      [
        'businessPhones',
        'displayName',
        'givenName',
        'jobTitle',
        'mail',
        'mobilePhone',
        'officeLocation',
        'preferredLanguage',
        'surname',
        'userPrincipalName',
        'id',
      ].sort(),
    );
    const selected = await get('/users?$select=displayName,accountEnabled,userType');
    expect(selected.body['@odata.context']).toMatch(/#users\(displayName,accountEnabled,userType\)$/);
    expect(selected.body.value).toContainEqual({
      displayName: 'Gäst Extern',
      accountEnabled: true,
      userType: 'Guest',
    });
    expect(selected.body.value).toContainEqual({
      displayName: 'Slutat Person',
      accountEnabled: false,
      userType: 'Member',
    });
  });

  test('$top pages the list; @odata.nextLink is followed verbatim until there is none', async () => {
    const seen: string[] = [];
    let next: string | undefined = '/users?$select=id&$top=3';
    let pages = 0;
    while (next) {
      const res = await get(next);
      expect(res.status).toBe(200);
      seen.push(...res.body.value.map((u: Json) => u.id));
      next = res.body['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual([CHIEF, ADELE, GUEST, GONE].sort());
    // "$top … 1 and 999" (user-list: default page 100, maximum 999)
    expect((await get('/users?$top=1000')).status).toBe(400);
  });

  test('$filter eq on accountEnabled is a default query; ne needs ConsistencyLevel: eventual and $count=true', async () => {
    const enabled = await get('/users?$select=id&$filter=accountEnabled eq true');
    expect(enabled.status).toBe(200);
    expect(enabled.body.value.map((u: Json) => u.id)).not.toContain(GONE);
    const ne = await get("/users?$select=id&$filter=userType ne 'Guest'");
    expect(ne.status).toBe(400);
    expect(ne.body.error.code).toBe('Request_UnsupportedQuery');
    const advanced = await get("/users?$select=id&$filter=userType ne 'Guest'&$count=true", eventual);
    expect(advanced.status).toBe(200);
    expect(advanced.body['@odata.count']).toBe(3);
    expect(advanced.body.value.map((u: Json) => u.id)).not.toContain(GUEST);
  });

  test('$expand=manager($select=id) puts the direct manager on each user that has one', async () => {
    const res = await get('/users?$select=id&$expand=manager($select=id)');
    const byId = new Map(res.body.value.map((u: Json) => [u.id, u]));
    expect((byId.get(ADELE) as Json).manager).toEqual({ '@odata.type': '#microsoft.graph.user', id: CHIEF });
    expect((byId.get(CHIEF) as Json).manager).toBeUndefined();
    // "$levels … is only supported on a single user (/users/{id} or me) endpoint and not on the entire list of users"
    const levels = await get(
      '/users?$select=id&$expand=manager($levels=max;$select=id)&$count=true',
      eventual,
    );
    expect(levels.status).toBe(400);
    expect(levels.body.error.code).toBe('Request_UnsupportedQuery');
  });
});

describe('List manager (user-list-manager)', () => {
  test('GET /users/{id}/manager returns the manager as a user', async () => {
    const res = await get(`/users/${ADELE}/manager`);
    expect(res.status).toBe(200);
    expect(res.body['@odata.type']).toBe('#microsoft.graph.user');
    expect(res.body.id).toBe(CHIEF);
    expect(res.body.displayName).toBe('Sara Chef');
  });

  test('a user without a manager, or an unknown user, is 404 Request_ResourceNotFound', async () => {
    const none = await get(`/users/${CHIEF}/manager`);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('Request_ResourceNotFound');
    expect((await get('/users/00000000-0000-0000-0000-000000000000/manager')).status).toBe(404);
  });
});

describe('List group transitive members (group-list-transitivemembers)', () => {
  test('a flat list of all nested members, each once, with their @odata.type', async () => {
    const res = await get(`/groups/${GROUP}/transitiveMembers`);
    expect(res.status).toBe(200);
    const members = res.body.value.map((m: Json) => `${m['@odata.type']} ${m.id}`).sort();
    expect(members).toEqual(
      [
        `#microsoft.graph.user ${CHIEF}`,
        `#microsoft.graph.group ${NESTED}`,
        `#microsoft.graph.user ${ADELE}`,
        `#microsoft.graph.user ${GUEST}`,
      ].sort(),
    );
  });

  test('the microsoft.graph.user cast needs ConsistencyLevel: eventual and $count=true (Example 4)', async () => {
    const refused = await get(`/groups/${GROUP}/transitiveMembers/microsoft.graph.user?$select=id`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('Request_UnsupportedQuery');
    const res = await get(
      `/groups/${GROUP}/transitiveMembers/microsoft.graph.user?$count=true&$select=displayName,id`,
      eventual,
    );
    expect(res.status).toBe(200);
    expect(res.body['@odata.count']).toBe(3);
    expect(res.body.value.every((m: Json) => m['@odata.type'] === '#microsoft.graph.user')).toBe(true);
    expect(res.body.value.map((m: Json) => m.id).sort()).toEqual([CHIEF, ADELE, GUEST].sort());
  });

  test('an unknown group is 404', async () => {
    expect((await get('/groups/00000000-0000-0000-0000-000000000000/transitiveMembers')).status).toBe(404);
  });
});

describe('Install app for user (userteamwork-post-installedapps)', () => {
  const bind = (app: string) => ({
    'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${app}`,
  });

  test('201 Created with nothing in the body; installing again is 409 Conflict', async () => {
    const first = await call('POST', `/users/${ADELE}/teamwork/installedApps`, bind(APP));
    expect(first.status).toBe(201);
    expect(first.text).toBe('');
    expect(graph.control.installedApps(ADELE)).toEqual([APP]);
    const again = await call('POST', `/users/${ADELE}/teamwork/installedApps`, bind(APP));
    expect(again.status).toBe(409);
    expect(graph.control.installedApps(ADELE)).toEqual([APP]);
  });

  test('an app the policy blocks is 403; an app not in the catalog or an unknown user is 404', async () => {
    graph.control.blockApp(CHIEF, APP);
    expect((await call('POST', `/users/${CHIEF}/teamwork/installedApps`, bind(APP))).status).toBe(403);
    expect(graph.control.installedApps(CHIEF)).toEqual([]);
    const unknownApp = await call('POST', `/users/${ADELE}/teamwork/installedApps`, bind('not-in-catalog'));
    expect(unknownApp.status).toBe(404);
    const unknownUser = await call(
      'POST',
      '/users/00000000-0000-0000-0000-000000000000/teamwork/installedApps',
      bind(APP),
    );
    expect(unknownUser.status).toBe(404);
  });
});
