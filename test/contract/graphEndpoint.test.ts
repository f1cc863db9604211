/**
 * The local Graph endpoint (test/support/graph) against Microsoft Graph's documented behaviour, over real HTTP
 * with fetch. The request/response examples are the ones in the documentation, with their source in a comment
 * (microsoft-graph-docs-contrib is the source of learn.microsoft.com/graph; paths given as published URLs).
 * No adapter is involved: what is checked here is the endpoint the SharePoint adapter is tested against.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import {
  CHUNK_MULTIPLE,
  HONOR_NON_INDEXED,
  type LocalGraph,
  MAX_BATCH_REQUESTS,
  MAX_FRAGMENT_BYTES,
  type SiteInfo,
  startGraph,
} from '../support/graph';

// biome-ignore lint/suspicious/noExplicitAny: the test reads Graph JSON bodies structurally, as documented examples
type Json = Record<string, any>;

let graph: LocalGraph;
let token: string;
let site: SiteInfo;

interface Call {
  status: number;
  body: Json;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Call> {
  const url = path.startsWith('http') ? path : `${graph.url}${path}`;
  const init: RequestInit = { method, headers: { Authorization: `Bearer ${token}`, ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' || Buffer.isBuffer(body) ? (body as string) : JSON.stringify(body);
    if (!headers['Content-Type'])
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: Json = {};
  if (text && (res.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text) as Json;
  else if (text) parsed = { text };
  return { status: res.status, body: parsed, headers: res.headers };
}

const get = (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers);
const sitePath = () => `/sites/${site.id}`;

function expectGraphError(res: Call, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.innerError).toEqual(
    expect.objectContaining({
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
      'request-id': expect.any(String),
      'client-request-id': expect.any(String),
    }),
  );
}

// listItem eTags as in the listitem-delta response example: "eTag": "\"{12AD05BB-59B8-43AA-9456-77C44E9BC066},756\""
const ITEM_ETAG = /^"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\},\d+"$/;

beforeAll(async () => {
  graph = await startGraph({ maxPageSize: 50, simpleUploadMaxBytes: 1024 * 1024 });
});
afterAll(async () => graph.close());
beforeEach(() => {
  graph.control.reset();
  site = graph.control.createSite({
    hostname: 'contoso.sharepoint.com',
    path: '/sites/varn',
    displayName: 'Värn',
  });
  token = graph.control.issueToken();
});

describe('sites', () => {
  // https://learn.microsoft.com/graph/api/site-getbypath — GET /sites/{hostname}:/{relative-path}
  // Response: {"id":"contoso.sharepoint.com,2C712604-…,2D2244C3-…","displayName":"OneDrive Team Site","name":"1drvteam",
  //            "createdDateTime":"2017-05-09T20:56:00Z","lastModifiedDateTime":"2017-05-09T20:56:01Z",
  //            "webUrl":"https://contoso.sharepoint.com/teams/1drvteam"}
  test('a site is found by hostname and server-relative path, and by its id, with the documented properties', async () => {
    const byPath = await get('/sites/contoso.sharepoint.com:/sites/varn');
    expect(byPath.status).toBe(200);
    expect(byPath.body).toEqual(
      expect.objectContaining({
        '@odata.context': expect.stringContaining('$metadata#sites/$entity'),
        id: expect.stringMatching(/^contoso\.sharepoint\.com,[0-9a-f-]{36},[0-9a-f-]{36}$/),
        displayName: 'Värn',
        name: 'varn',
        createdDateTime: expect.stringMatching(/Z$/),
        lastModifiedDateTime: expect.stringMatching(/Z$/),
        webUrl: 'https://contoso.sharepoint.com/sites/varn',
      }),
    );
    const byId = await get(`/sites/${byPath.body.id}`);
    expect(byId.body.id).toBe(byPath.body.id);
    const deeper = await get('/sites/contoso.sharepoint.com:/sites/varn:/lists');
    expect(deeper.status).toBe(200);
  });

  // https://learn.microsoft.com/graph/errors — {"error":{"code":"itemNotFound","message":…,"innerError":{"date","request-id","client-request-id"}}}
  test('an unknown site is 404 itemNotFound with the innerError Graph documents, echoing client-request-id', async () => {
    const res = await get('/sites/contoso.sharepoint.com:/sites/nope', { 'client-request-id': 'abc-123' });
    expectGraphError(res, 404, 'itemNotFound');
    expect(res.body.error.innerError['client-request-id']).toBe('abc-123');
    expect(res.headers.get('request-id')).toBe(res.body.error.innerError['request-id']);
  });

  test('a site the app has no Sites.Selected grant for answers 403 accessDenied until it is granted', async () => {
    graph.control.denySite(site.id);
    expectGraphError(await get(`${sitePath()}/lists`), 403, 'accessDenied');
    expectGraphError(await get(`${sitePath()}/lists/Missing/items`), 403, 'accessDenied');
    graph.control.denySite(site.id, false);
    expect((await get(`${sitePath()}/lists`)).status).toBe(200);
  });

  test('with a read-only Sites.Selected grant reads work and writes are 403 accessDenied', async () => {
    const list = graph.control.seedList(site.id, { displayName: 'T', items: [{ Title: 'a' }] });
    graph.control.setSiteAccess(site.id, 'read');
    expect((await get(`${sitePath()}/lists/${list.id}/items/1`)).status).toBe(200);
    expectGraphError(
      await call('POST', `${sitePath()}/lists/${list.id}/items`, { fields: { Title: 'b' } }),
      403,
      'accessDenied',
    );
    expectGraphError(
      await call('PATCH', `${sitePath()}/lists/${list.id}/items/1/fields`, { Title: 'c' }),
      403,
      'accessDenied',
    );
    expect(graph.control.readList(site.id, list.id).items.map((i) => i.fields.Title)).toEqual(['a']);
  });
});

describe('lists and columns', () => {
  // https://learn.microsoft.com/graph/api/list-create — the documented request:
  const books = {
    displayName: 'Books',
    columns: [
      { name: 'Author', text: {} },
      { name: 'PageCount', number: {} },
    ],
    list: { template: 'genericList' },
  };
  // Documented response: 201 {"id":"22e03ef3-…","createdDateTime":"2017-04-30T01:21:00Z","createdBy":{…},"lastModifiedDateTime":…}

  test('creating the documented Books list returns 201 with id, dates and the template columns plus the custom ones', async () => {
    const res = await call('POST', `${sitePath()}/lists`, books);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        '@odata.context': expect.stringContaining('/lists/$entity'),
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        displayName: 'Books',
        createdDateTime: expect.any(String),
        lastModifiedDateTime: expect.any(String),
        eTag: expect.any(String),
        list: expect.objectContaining({ template: 'genericList' }),
      }),
    );
    const cols = await get(`${sitePath()}/lists/${res.body.id}/columns`);
    const names = cols.body.value.map((c: Json) => c.name);
    // "If the list facet or template is unspecified, the list defaults to the genericList template, which includes a Title column."
    expect(names).toEqual(expect.arrayContaining(['Title', 'Author', 'PageCount']));
    expect(cols.body.value.find((c: Json) => c.name === 'PageCount').number).toBeDefined();
  });

  test('a list is addressed by id or display name; $select and $expand=columns shape the answer', async () => {
    const created = (await call('POST', `${sitePath()}/lists`, books)).body;
    const byName = await get(
      `${sitePath()}/lists/Books?$select=id,displayName&$expand=columns($select=name)`,
    );
    expect(byName.status).toBe(200);
    expect(byName.body.id).toBe(created.id);
    expect(byName.body.createdDateTime).toBeUndefined();
    expect(byName.body.columns.map((c: Json) => Object.keys(c))).toContainEqual(['name']);
    const all = await get(`${sitePath()}/lists?$filter=displayName eq 'Books'`);
    expect(all.body.value.map((l: Json) => l.id)).toEqual([created.id]);
    expectGraphError(await get(`${sitePath()}/lists/Nope`), 404, 'itemNotFound');
  });

  test('a second list with the same title is 409 nameAlreadyExists', async () => {
    await call('POST', `${sitePath()}/lists`, books);
    expectGraphError(await call('POST', `${sitePath()}/lists`, books), 409, 'nameAlreadyExists');
  });

  test('renaming a list changes displayName (the URL name stays); deleting it makes it 404', async () => {
    const created = (await call('POST', `${sitePath()}/lists`, books)).body;
    const renamed = await call('PATCH', `${sitePath()}/lists/${created.id}`, { displayName: 'Böcker' });
    expect(renamed.body).toEqual(expect.objectContaining({ displayName: 'Böcker', name: created.name }));
    expect(renamed.body.eTag).not.toBe(created.eTag);
    expect((await get(`${sitePath()}/lists/Böcker`)).body.id).toBe(created.id);
    expect((await call('DELETE', `${sitePath()}/lists/${created.id}`)).status).toBe(204);
    expectGraphError(await get(`${sitePath()}/lists/${created.id}`), 404, 'itemNotFound');
  });

  // https://learn.microsoft.com/graph/api/list-post-columns — documented body (the doc names the column "Title";
  // a genericList already has Title, so the same body is sent under another name):
  // {"description":"test","enforceUniqueValues":false,"hidden":false,"indexed":false,"name":"Title",
  //  "text":{"allowMultipleLines":false,"appendChangesToExistingText":false,"linesForEditing":0,"maxLength":255}}
  // Response 201: {"description":"test","displayName":"Title","enforceUniqueValues":false,"hidden":false,"id":"99ddcf45-…",
  //  "indexed":false,"name":"Title","text":{…}}
  test('the documented column body creates a column (201, displayName defaults to name); PATCH and DELETE work', async () => {
    const list = graph.control.seedList(site.id, { displayName: 'Tasks' });
    const body = {
      description: 'test',
      enforceUniqueValues: false,
      hidden: false,
      indexed: false,
      name: 'Summary',
      text: {
        allowMultipleLines: false,
        appendChangesToExistingText: false,
        linesForEditing: 0,
        maxLength: 255,
      },
    };
    const res = await call('POST', `${sitePath()}/lists/${list.id}/columns`, body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        description: 'test',
        displayName: 'Summary',
        enforceUniqueValues: false,
        hidden: false,
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        indexed: false,
        name: 'Summary',
        text: {
          allowMultipleLines: false,
          appendChangesToExistingText: false,
          linesForEditing: 0,
          maxLength: 255,
        },
      }),
    );
    for (const def of [
      { name: 'Done', boolean: {} },
      { name: 'Due', dateTime: {}, required: true },
      { name: 'Status', choice: { choices: ['open', 'done'] }, indexed: true },
    ]) {
      expect((await call('POST', `${sitePath()}/lists/${list.id}/columns`, def)).status).toBe(201);
    }
    expectGraphError(
      await call('POST', `${sitePath()}/lists/${list.id}/columns`, body),
      409,
      'nameAlreadyExists',
    );
    const patched = await call('PATCH', `${sitePath()}/lists/${list.id}/columns/Summary`, {
      displayName: 'Sammanfattning',
      indexed: true,
    });
    expect(patched.body).toEqual(
      expect.objectContaining({ name: 'Summary', displayName: 'Sammanfattning', indexed: true }),
    );
    expect((await call('DELETE', `${sitePath()}/lists/${list.id}/columns/${res.body.id}`)).status).toBe(204);
    const names = (await get(`${sitePath()}/lists/${list.id}/columns`)).body.value.map((c: Json) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Done', 'Due', 'Status']));
    expect(names).not.toContain('Summary');
  });
});

describe('list items', () => {
  let listId: string;
  beforeEach(() => {
    listId = graph.control.seedList(site.id, {
      displayName: 'Inventory',
      columns: [
        { name: 'Name', text: {} },
        { name: 'Color', text: {}, indexed: true },
        { name: 'Quantity', number: {} },
        { name: 'Weight', number: {} },
      ],
    }).id;
  });
  const items = () => `${sitePath()}/lists/${listId}/items`;

  // https://learn.microsoft.com/graph/api/listitem-create — request {"fields":{"Title":"Widget","Color":"Purple","Weight":32}}
  // response 201 {"id":"20","createdDateTime":"2016-08-30T08:26:00Z","createdBy":{…},"lastModifiedDateTime":…}
  test('creating the documented Widget item returns 201 with id, eTag, dates and its fields', async () => {
    const res = await call('POST', items(), { fields: { Title: 'Widget', Color: 'Purple', Weight: 32 } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        id: '1',
        eTag: expect.stringMatching(ITEM_ETAG),
        '@odata.etag': res.body.eTag,
        createdDateTime: expect.any(String),
        lastModifiedDateTime: expect.any(String),
        createdBy: expect.any(Object),
        fields: expect.objectContaining({ Title: 'Widget', Color: 'Purple', Weight: 32, id: '1' }),
      }),
    );
    expect(res.body.eTag.endsWith(',1"')).toBe(true);
  });

  test('an unknown field, a wrongly typed value or a body without a JSON Content-Type is 400 and creates nothing', async () => {
    expectGraphError(await call('POST', items(), { fields: { Nope: 1 } }), 400, 'invalidRequest');
    const noType = await call('POST', items(), JSON.stringify({ fields: { Name: 'x' } }), {
      'Content-Type': 'text/plain',
    });
    expectGraphError(noType, 400, 'BadRequest');
    expectGraphError(await call('POST', items(), { fields: { Quantity: 'many' } }), 400, 'invalidRequest');
    expect((await get(items())).body.value).toEqual([]);
  });

  // https://learn.microsoft.com/graph/api/listitem-list — GET …/items?expand=fields(select=Name,Color,Quantity)
  // response {"value":[{"id":"2","fields":{"Name":"Gadget","Color":"Red","Quantity":503}},
  //   {"id":"4","fields":{"Name":"Widget","Color":"Blue","Quantity":2357}},{"id":"7","fields":{"Name":"Gizmo","Color":"Green","Quantity":92}}]}
  test('expand=fields(select=…) returns exactly the selected fields, in both documented spellings', async () => {
    for (const f of [
      { Name: 'Gadget', Color: 'Red', Quantity: 503 },
      { Name: 'Widget', Color: 'Blue', Quantity: 2357 },
      { Name: 'Gizmo', Color: 'Green', Quantity: 92 },
    ]) {
      await call('POST', items(), { fields: { ...f, Weight: 1 } });
    }
    for (const q of [
      'expand=fields(select=Name,Color,Quantity)',
      '$expand=fields($select=Name,Color,Quantity)',
    ]) {
      const res = await get(`${items()}?${q}`);
      expect(res.status).toBe(200);
      expect(res.body['@odata.context']).toContain('/items');
      expect(res.body.value.map((i: Json) => ({ id: i.id, fields: strip(i.fields) }))).toEqual([
        { id: '1', fields: { Name: 'Gadget', Color: 'Red', Quantity: 503 } },
        { id: '2', fields: { Name: 'Widget', Color: 'Blue', Quantity: 2357 } },
        { id: '3', fields: { Name: 'Gizmo', Color: 'Green', Quantity: 92 } },
      ]);
    }
    const bare = await get(`${items()}?$select=id,eTag`);
    expect(Object.keys(bare.body.value[0]).sort()).toEqual(['@odata.etag', 'eTag', 'id']);
  });

  // listitem-list: "$filter (eq, ne, lt, gt, le, ge, and startswith) … When filtering on indexed fields …";
  // non-indexed columns need "Prefer: HonorNonIndexedQueriesWarningMayFailRandomly" (platform-facts §7).
  test('a filter on a non-indexed column is refused with 400 unless the Prefer header is sent; indexed columns filter freely', async () => {
    await call('POST', items(), { fields: { Name: 'A', Color: 'Red', Quantity: 1 } });
    await call('POST', items(), { fields: { Name: 'B', Color: 'Red', Quantity: 5 } });
    await call('POST', items(), { fields: { Name: 'C', Color: 'Blue', Quantity: 5 } });
    const indexed = await get(`${items()}?expand=fields&$filter=fields/Color eq 'red'`);
    expect(indexed.body.value.map((i: Json) => i.fields.Name)).toEqual(['A', 'B']);
    const refused = await get(`${items()}?expand=fields&$filter=fields/Quantity eq 5`);
    expectGraphError(refused, 400, 'invalidRequest');
    expect(refused.body.error.message).toContain(HONOR_NON_INDEXED);
    const honored = await get(
      `${items()}?expand=fields&$filter=fields/Color eq 'Red' and fields/Quantity ge 5`,
      { Prefer: HONOR_NON_INDEXED },
    );
    expect(honored.body.value.map((i: Json) => i.fields.Name)).toEqual(['B']);
    // "Both listItem properties and fields can be filtered": the item id (indexed) takes number literals.
    const range = await get(`${items()}?expand=fields&$filter=id ge 2 and id lt 3`);
    expect(range.body.value.map((i: Json) => i.fields.Name)).toEqual(['B']);
    expect((await get(`${items()}?$filter=id eq 3`)).body.value.map((i: Json) => i.id)).toEqual(['3']);
    const starts = await get(`${items()}?expand=fields&$filter=startswith(fields/Color,'Bl')`);
    expect(starts.body.value.map((i: Json) => i.fields.Name)).toEqual(['C']);
  });

  test('the server picks the page size: $top above its limit still pages, and @odata.nextLink followed verbatim returns every item once', async () => {
    graph.control.seedList(site.id, {
      displayName: 'Big',
      columns: [{ name: 'N', number: {} }],
      items: Array.from({ length: 120 }, (_, i) => ({ N: i })),
    });
    let next: string | undefined = `${sitePath()}/lists/Big/items?$top=500&expand=fields(select=N)`;
    const seen: number[] = [];
    const pageSizes: number[] = [];
    while (next) {
      const page = await get(next);
      expect(page.status).toBe(200);
      pageSizes.push(page.body.value.length);
      seen.push(...page.body.value.map((i: Json) => i.fields.N));
      next = page.body['@odata.nextLink'];
    }
    expect(pageSizes).toEqual([50, 50, 20]);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => i));
    const small = await get(`${sitePath()}/lists/Big/items?$top=7`);
    expect(small.body.value).toHaveLength(7);
    expect(small.body['@odata.nextLink']).toContain('skiptoken');
  });

  test('$orderby sorts (on indexed columns, same rule as $filter) and pages through the sorted result', async () => {
    for (const [name, color] of [
      ['a', 'Red'],
      ['b', 'blue'],
      ['c', 'Green'],
    ]) {
      await call('POST', items(), { fields: { Name: name, Color: color } });
    }
    const first = await get(`${items()}?expand=fields(select=Name)&$orderby=fields/Color desc&$top=2`);
    expect(first.body.value.map((i: Json) => i.fields.Name)).toEqual(['a', 'c']);
    const second = await get(first.body['@odata.nextLink']);
    expect(second.body.value.map((i: Json) => i.fields.Name)).toEqual(['b']);
    expect(second.body['@odata.nextLink']).toBeUndefined();
    expectGraphError(await get(`${items()}?$orderby=fields/Name`), 400, 'invalidRequest');
  });

  test('a required column must be given a value on create and cannot be cleared', async () => {
    const list = graph.control.seedList(site.id, {
      displayName: 'Req',
      columns: [{ name: 'Owner', text: {}, required: true }],
    });
    const path = `${sitePath()}/lists/${list.id}/items`;
    expectGraphError(await call('POST', path, { fields: { Title: 'x' } }), 400, 'invalidRequest');
    const created = await call('POST', path, { fields: { Title: 'x', Owner: 'eva' } });
    expect(created.status).toBe(201);
    expectGraphError(
      await call('PATCH', `${path}/${created.body.id}/fields`, { Owner: null }),
      400,
      'invalidRequest',
    );
  });

  // https://learn.microsoft.com/graph/api/listitem-delta — GET /sites/{siteId}/lists/{listId}/items/delta: pages with
  // @odata.nextLink, then @odata.deltaLink; later calls return changed items, and deleted ones as
  // {"id":"3","parentReference":{"siteId":…},"contentType":{…},"deleted":{"state":"deleted"}}; ?token=latest → [] + deltaLink;
  // 410 Gone (resyncChangesApplyDifferences …) with a Location header that starts a fresh enumeration.
  test('listItem delta enumerates, then returns only changed and deleted items since its deltaLink', async () => {
    const ids: string[] = [];
    for (const n of ['one', 'two', 'three'])
      ids.push((await call('POST', items(), { fields: { Name: n } })).body.id);
    const initial = await readDelta(`${items()}/delta?$top=2&expand=fields(select=Name)`);
    expect(initial.value.map((i) => i.fields.Name)).toEqual(['one', 'two', 'three']);
    const deltaLink = initial.deltaLink;
    expect((await readDelta(deltaLink)).value).toEqual([]);
    await call('PATCH', `${items()}/${ids[1]}/fields`, { Name: 'TWO' });
    await call('DELETE', `${items()}/${ids[2]}`);
    const changes = await readDelta(deltaLink);
    expect(changes.value).toEqual([
      expect.objectContaining({ id: ids[1], eTag: expect.stringMatching(/,2"$/) }),
      expect.objectContaining({
        id: ids[2],
        deleted: { state: 'deleted' },
        parentReference: { siteId: site.id },
      }),
    ]);
    const latest = await get(`${items()}/delta?token=latest`);
    expect(latest.body.value).toEqual([]);
    graph.control.expireDeltaTokens(site.id, listId);
    const expired = await get(latest.body['@odata.deltaLink']);
    expectGraphError(expired, 410, 'resyncRequired');
    expect(expired.headers.get('location')).toContain('/items/delta');
  });

  test('past the list view threshold a non-indexed query fails even with the Prefer header', async () => {
    const small = await startGraph({ requireAuth: false, listViewThreshold: 10 });
    try {
      const s = small.control.createSite({ path: '/sites/x' });
      small.control.seedList(s.id, {
        displayName: 'L',
        columns: [{ name: 'N', number: {} }],
        items: Array.from({ length: 11 }, (_, i) => ({ N: i })),
      });
      const res = await fetch(`${small.url}/sites/${s.id}/lists/L/items?$filter=fields/N eq 3`, {
        headers: { Prefer: HONOR_NON_INDEXED },
      });
      expect(res.status).toBe(500);
    } finally {
      await small.close();
    }
  });

  // https://learn.microsoft.com/graph/api/listitem-update — PATCH …/items/{item-id}/fields {"Color":"Fuchsia","Quantity":934}
  // response 200 {"Name":"Widget","Color":"Fuchsia","Quantity":934}; "If-Match … does not match the current eTag … 412
  // Precondition Failed … and the item will not be updated."
  test('PATCH fields with If-Match: the documented update succeeds with a new eTag; a stale eTag is 412 and changes nothing', async () => {
    const created = (
      await call('POST', items(), { fields: { Name: 'Widget', Color: 'Blue', Quantity: 2357 } })
    ).body;
    const res = await call(
      'PATCH',
      `${items()}/${created.id}/fields`,
      { Color: 'Fuchsia', Quantity: 934 },
      { 'If-Match': created.eTag },
    );
    expect(res.status).toBe(200);
    expect(strip(res.body)).toEqual(
      expect.objectContaining({ Name: 'Widget', Color: 'Fuchsia', Quantity: 934 }),
    );
    expect(res.body['@odata.etag']).toMatch(ITEM_ETAG);
    expect(res.body['@odata.etag']).not.toBe(created.eTag);
    expect(graph.control.stats().unconditionalWrites).toBe(0);
    const stale = await call(
      'PATCH',
      `${items()}/${created.id}/fields`,
      { Quantity: 1 },
      { 'If-Match': created.eTag },
    );
    expect(stale.status).toBe(412);
    const now = await get(`${items()}/${created.id}?expand=fields`);
    expect(now.body.fields.Quantity).toBe(934);
    expect(now.body.eTag).toBe(res.body['@odata.etag']);
    // Without If-Match the write goes through (last writer wins); the endpoint counts such blind writes.
    expect((await call('PATCH', `${items()}/${created.id}/fields`, { Quantity: 1 })).status).toBe(200);
    expect(graph.control.stats().unconditionalWrites).toBe(1);
  });

  test('DELETE honours If-Match: 412 on a stale eTag, 204 on the current one, then 404', async () => {
    const created = (await call('POST', items(), { fields: { Name: 'x' } })).body;
    const newer = graph.control.touchItem(site.id, listId, created.id, { Name: 'y' });
    expect(
      (await call('DELETE', `${items()}/${created.id}`, undefined, { 'If-Match': created.eTag })).status,
    ).toBe(412);
    expect((await call('DELETE', `${items()}/${created.id}`, undefined, { 'If-Match': newer })).status).toBe(
      204,
    );
    expectGraphError(await get(`${items()}/${created.id}`), 404, 'itemNotFound');
  });

  test('the race fault lets someone else write first, so an update with a just-read eTag gets 412', async () => {
    const created = (await call('POST', items(), { fields: { Name: 'x' } })).body;
    graph.control.setFaults({ raceRate: 1 });
    const res = await call(
      'PATCH',
      `${items()}/${created.id}/fields`,
      { Name: 'mine' },
      { 'If-Match': created.eTag },
    );
    expect(res.status).toBe(412);
    const stored = graph.control.readList(site.id, listId).items[0];
    expect(stored?.fields.Name).toBe('x');
    expect(stored?.lastModifiedBy.user?.displayName).toBe('Eva Exempel');
    expect(graph.control.stats().races).toBe(1);
  });
});

describe('$batch', () => {
  // https://learn.microsoft.com/graph/json-batching — {"requests":[{"id":"1","method":"GET","url":"/me/memberOf"},…,
  //  {"id":"4","url":"…","method":"POST","body":{},"headers":{"Content-Type":"application/json"}}]}
  // → 200 {"responses":[{"id":"1","status":200,"headers":{…},"body":{…}},{"id":"2","status":403,…}]}
  test('each inner request gets its own id, status, headers and body; order may differ, so ids correlate', async () => {
    const list = graph.control.seedList(site.id, { displayName: 'T', items: [{ Title: 'one' }] });
    const res = await call('POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: `/sites/${site.id}/lists/${list.id}/items?expand=fields` },
        {
          id: '2',
          method: 'POST',
          url: `/sites/${site.id}/lists/${list.id}/items`,
          body: { fields: { Title: 'two' } },
          headers: { 'Content-Type': 'application/json' },
        },
        { id: '3', method: 'GET', url: `/sites/${site.id}/lists/Missing` },
      ],
    });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.responses.map((r: Json) => [r.id, r]));
    expect(byId['1'].status).toBe(200);
    expect(byId['1'].headers['Content-Type']).toContain('application/json');
    expect(byId['1'].body.value[0].fields.Title).toBe('one');
    expect(byId['2'].status).toBe(201);
    expect(byId['2'].body.fields.Title).toBe('two');
    expect(byId['3'].status).toBe(404);
    expect(byId['3'].body.error.code).toBe('itemNotFound');
    const stats = graph.control.stats();
    expect(stats.batches).toBe(1);
    expect(stats.batchedRequests).toBe(3);
  });

  // json-batching: "JSON batch requests are currently limited to 20 individual requests"; malformed → 400.
  test(`more than ${MAX_BATCH_REQUESTS} requests, or duplicate ids, make the whole batch 400`, async () => {
    const req = (id: number) => ({ id: String(id), method: 'GET', url: `/sites/${site.id}` });
    const ok = await call('POST', '/$batch', { requests: Array.from({ length: 20 }, (_, i) => req(i)) });
    expect(ok.status).toBe(200);
    expect(ok.body.responses).toHaveLength(20);
    expectGraphError(
      await call('POST', '/$batch', { requests: Array.from({ length: 21 }, (_, i) => req(i)) }),
      400,
      'BadRequest',
    );
    expectGraphError(await call('POST', '/$batch', { requests: [req(1), req(1)] }), 400, 'BadRequest');
  });

  // json-batching: dependsOn orders requests; "If an individual request fails, any request that depends on that request
  // fails with status code 424 (Failed Dependency)."
  test('dependsOn runs requests in order, and a request depending on a failed one is 424', async () => {
    const list = graph.control.seedList(site.id, { displayName: 'T' });
    const url = `/sites/${site.id}/lists/${list.id}/items`;
    const h = { 'Content-Type': 'application/json' };
    const res = await call('POST', '/$batch', {
      requests: [
        { id: '3', dependsOn: ['2'], method: 'POST', url, body: { fields: { Title: 'third' } }, headers: h },
        { id: '1', method: 'POST', url, body: { fields: { Title: 'first' } }, headers: h },
        { id: '2', dependsOn: ['1'], method: 'POST', url, body: { fields: { Title: 'second' } }, headers: h },
        { id: '4', method: 'POST', url, body: { fields: { Nope: 1 } }, headers: h },
        { id: '5', dependsOn: ['4'], method: 'POST', url, body: { fields: { Title: 'never' } }, headers: h },
      ],
    });
    const byId = Object.fromEntries(res.body.responses.map((r: Json) => [r.id, r]));
    expect(byId['4'].status).toBe(400);
    expect(byId['5'].status).toBe(424);
    const titles = graph.control.readList(site.id, list.id).items.map((i) => i.fields.Title);
    expect(titles).toEqual(['first', 'second', 'third']);
  });

  test('a throttled inner request is a 429 with Retry-After inside a batch that returned 200', async () => {
    graph.control.failNext(1, { status: 429, retryAfterSeconds: 7, kinds: ['site'] });
    const res = await call('POST', '/$batch', {
      requests: [
        { id: 'a', method: 'GET', url: `/sites/${site.id}` },
        { id: 'b', method: 'GET', url: `/sites/${site.id}/lists` },
      ],
    });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.responses.map((r: Json) => [r.id, r]));
    expect(byId.a.status).toBe(429);
    expect(byId.a.headers['Retry-After']).toBe('7');
    expect(byId.a.body.error.code).toBe('TooManyRequests');
    expect(byId.b.status).toBe(200);
  });

  test('the batch envelope itself can be throttled, and then none of its requests ran', async () => {
    const list = graph.control.seedList(site.id, { displayName: 'T' });
    graph.control.failNext(1, { status: 429, retryAfterSeconds: 3, kinds: ['batch'] });
    const res = await call('POST', '/$batch', {
      requests: [
        {
          id: '1',
          method: 'POST',
          url: `/sites/${site.id}/lists/${list.id}/items`,
          body: { fields: { Title: 'x' } },
          headers: { 'Content-Type': 'application/json' },
        },
      ],
    });
    expectGraphError(res, 429, 'TooManyRequests');
    expect(res.headers.get('retry-after')).toBe('3');
    expect(graph.control.readList(site.id, list.id).items).toEqual([]);
  });
});

describe('throttling, latency and authentication', () => {
  // https://learn.microsoft.com/graph/throttling — sample: 429 Too Many Requests, Retry-After: 10,
  // {"error":{"code":"TooManyRequests","innerError":{"code":"429",…},"message":"Please retry again later."}}
  test('an injected 429 carries Retry-After in seconds and the documented body; 503 is serviceNotAvailable', async () => {
    graph.control.failNext(1, { status: 429, retryAfterSeconds: 10 });
    const throttled = await get(sitePath());
    expectGraphError(throttled, 429, 'TooManyRequests');
    expect(throttled.headers.get('retry-after')).toBe('10');
    expect(throttled.body.error.message).toBe('Please retry again later.');
    expect(throttled.body.error.innerError.code).toBe('429');
    graph.control.failNext(1, { status: 503, retryAfterSeconds: 2 });
    const unavailable = await get(sitePath());
    expectGraphError(unavailable, 503, 'serviceNotAvailable');
    expect(unavailable.headers.get('retry-after')).toBe('2');
    expect((await get(sitePath())).status).toBe(200);
  });

  test('a throttle rate answers about that share of requests with 429, and every throttled request is counted', async () => {
    graph.control.setFaults({ throttleRate: 0.3 });
    let throttled = 0;
    for (let i = 0; i < 100; i++) if ((await get(sitePath())).status === 429) throttled++;
    expect(throttled).toBeGreaterThan(15);
    expect(throttled).toBeLessThan(45);
    const stats = graph.control.stats();
    expect(stats.throttled).toBe(throttled);
    expect(stats.byKind.site).toBe(100);
    expect(stats.byMethodKind['GET site']).toBe(100);
  });

  // SharePoint throttling (platform-facts §7): 1 resource unit for a single-item read, 2 for a multi-item query or a
  // write; requests inside $batch count one by one; throttled requests still count.
  test('a resource-unit budget throttles by cost, counts batched requests one by one, and keeps counting throttled calls', async () => {
    const list = graph.control.seedList(site.id, { displayName: 'T', items: [{ Title: 'a' }] });
    graph.control.setFaults({ resourceUnits: { units: 6, windowSeconds: 60 } });
    const one = `${sitePath()}/lists/${list.id}/items/1`;
    expect((await get(one)).status).toBe(200);
    expect((await get(`${sitePath()}/lists/${list.id}/items`)).status).toBe(200);
    const batch = await call('POST', '/$batch', {
      requests: ['a', 'b', 'c'].map((id) => ({
        id,
        method: 'GET',
        url: `/sites/${site.id}/lists/${list.id}/items/1`,
      })),
    });
    expect(batch.status).toBe(200);
    expect(batch.body.responses.map((r: Json) => r.status).sort()).toEqual([200, 200, 200]);
    const over = await get(one);
    expectGraphError(over, 429, 'TooManyRequests');
    const wait = Number(over.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await get(one)).status).toBe(429);
    expect(graph.control.stats().resourceUnits).toBe(1 + 2 + 3 + 1 + 1);
  });

  test('the added latency delays every request', async () => {
    graph.control.setFaults({ latencyMs: 50 });
    const t0 = performance.now();
    await get(sitePath());
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
  });

  test('without a bearer token Graph answers 401 InvalidAuthenticationToken; an expired token too', async () => {
    const res = await fetch(`${graph.url}${sitePath()}`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as Json;
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.message).toBe('Access token is empty.');
    graph.control.expireTokens();
    expectGraphError(await get(sitePath()), 401, 'InvalidAuthenticationToken');
  });

  test('the client-credentials token endpoint returns access_token, expires_in and token_type, and rejects a wrong secret', async () => {
    const form = (secret: string) =>
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: graph.clientId,
        client_secret: secret,
        scope: 'https://graph.microsoft.com/.default',
      });
    const ok = await fetch(graph.tokenUrl, { method: 'POST', body: form(graph.clientSecret) });
    const tok = (await ok.json()) as Json;
    expect(tok).toEqual(
      expect.objectContaining({ token_type: 'Bearer', expires_in: 3599, access_token: expect.any(String) }),
    );
    const bad = await fetch(graph.tokenUrl, { method: 'POST', body: form('wrong') });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as Json).error).toBe('invalid_client');
    token = tok.access_token;
    expect((await get(sitePath())).status).toBe(200);
  });

  test('msal-node acquireTokenByClientCredential works against it offline, and the token opens Graph', async () => {
    const app = new ConfidentialClientApplication(graph.msalConfig());
    const result = await app.acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(result?.tokenType).toBe('Bearer');
    token = result?.accessToken ?? '';
    expect((await get(sitePath())).status).toBe(200);
    await expect(
      graph.msalNetworkClient.sendGetRequestAsync(
        'https://login.microsoftonline.com/x/v2.0/.well-known/openid-configuration',
      ),
    ).rejects.toThrow(/refused/);
    // msal caches the app token: a second call does not reach the token endpoint.
    await app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    expect(graph.control.stats()).toEqual(
      expect.objectContaining({ tokenRequests: 1, discoveryRequests: 1 }),
    );
    // Without knownAuthorities msal asks instance discovery first; that is served here too.
    const { auth, system } = graph.msalConfig();
    const discovering = new ConfidentialClientApplication({
      auth: { ...auth, knownAuthorities: [] },
      system,
    });
    const second = await discovering.acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(second?.accessToken).toEqual(expect.any(String));
    expect(graph.control.stats()).toEqual(
      expect.objectContaining({ tokenRequests: 2, discoveryRequests: 3 }),
    );
  });
});

describe('drive (document library)', () => {
  const drive = () => `/drives/${site.driveId}`;

  // https://learn.microsoft.com/graph/api/driveitem-put-content — PUT /me/drive/root:/FolderA/FileB.txt:/content,
  // body "The contents of the file goes here." → 201 {"id":"0123456789abc","name":"FileB.txt","size":35,"file":{}}
  test('the documented simple upload creates FolderA/FileB.txt (201, size 35); children and content read it back', async () => {
    const res = await call(
      'PUT',
      `${sitePath()}/drive/root:/FolderA/FileB.txt:/content`,
      'The contents of the file goes here.',
      { 'Content-Type': 'text/plain' },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        name: 'FileB.txt',
        size: 35,
        file: expect.any(Object),
      }),
    );
    expect(res.body.eTag).toMatch(/^"\{[0-9A-F-]{36}\},\d+"$/);
    const driveRes = await get(`${sitePath()}/drive`);
    expect(driveRes.body).toEqual(
      expect.objectContaining({ id: site.driveId, driveType: 'documentLibrary' }),
    );
    const root = await get(`${drive()}/root/children`);
    expect(root.body.value.map((i: Json) => i.name)).toEqual(['FolderA']);
    expect(root.body.value[0].folder.childCount).toBe(1);
    const folder = await get(`${drive()}/root:/FolderA:/children`);
    expect(folder.body.value.map((i: Json) => i.name)).toEqual(['FileB.txt']);
    const content = await fetch(`${graph.url}${drive()}/items/${res.body.id}/content`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await content.text()).toBe('The contents of the file goes here.');
    const again = await call('PUT', `${drive()}/items/${res.body.id}/content`, 'v2', {
      'Content-Type': 'text/plain',
    });
    expect(again.status).toBe(200);
    expect(again.body.eTag).not.toBe(res.body.eTag);
  });

  test('a simple upload over the limit is 413 and stores nothing: larger files need an upload session', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 1);
    const res = await call('PUT', `${drive()}/root:/big.bin:/content`, big, {
      'Content-Type': 'application/octet-stream',
    });
    expect(res.status).toBe(413);
    expect(graph.control.readFiles(site.id)).toEqual([]);
  });

  // https://learn.microsoft.com/graph/api/driveitem-createuploadsession — POST …:/{item-path}:/createUploadSession
  // {"item":{"@microsoft.graph.conflictBehavior":"rename","name":"largefile.dat"}} → {"uploadUrl","expirationDateTime"};
  // PUT uploadUrl with Content-Range → 202 {"expirationDateTime","nextExpectedRanges":["26-"]} … last range → 201 driveItem.
  // "the size of each byte range MUST be a multiple of 320 KiB"; "less than 60 MiB"; "sequentially in order";
  // "If you include the Authorization header when issuing the PUT call, it may result in an HTTP 401 Unauthorized".
  test('an upload session takes 320 KiB-multiple ranges in order and creates the file on the last range', async () => {
    const session = await call('POST', `${drive()}/root:/largefile.dat:/createUploadSession`, {
      item: { '@microsoft.graph.conflictBehavior': 'rename', name: 'largefile.dat' },
    });
    expect(session.status).toBe(200);
    expect(session.body).toEqual(
      expect.objectContaining({
        uploadUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1/),
        expirationDateTime: expect.any(String),
      }),
    );
    const url: string = session.body.uploadUrl;
    const total = CHUNK_MULTIPLE * 2 + 100;
    const bytes = Buffer.alloc(total);
    for (let i = 0; i < total; i++) bytes[i] = i % 251;
    const put = (start: number, end: number, headers: Record<string, string> = {}) =>
      fetch(url, {
        method: 'PUT',
        headers: { 'Content-Range': `bytes ${start}-${end}/${total}`, ...headers },
        body: bytes.subarray(start, end + 1),
      });

    // The documented 26-byte first fragment is not a multiple of 320 KiB: refused.
    expect((await put(0, 25)).status).toBe(400);
    expect((await put(0, CHUNK_MULTIPLE - 1, { Authorization: `Bearer ${token}` })).status).toBe(401);
    const first = await put(0, CHUNK_MULTIPLE - 1);
    expect(first.status).toBe(202);
    expect(((await first.json()) as Json).nextExpectedRanges).toEqual([`${CHUNK_MULTIPLE}-`]);
    // https://learn.microsoft.com/graph/errors — example: {"error":{"code":"invalidRange","message":"Uploaded fragment overlaps
    // with existing data.","innerError":{"request-id":…,"date":…}}}
    const overlap = await put(0, CHUNK_MULTIPLE - 1);
    expect(overlap.status).toBe(416);
    expect(((await overlap.json()) as Json).error).toEqual(
      expect.objectContaining({
        code: 'invalidRange',
        message: 'Uploaded fragment overlaps with existing data.',
      }),
    );
    expect((await put(CHUNK_MULTIPLE * 2, total - 1)).status).toBe(416);
    expect((await put(CHUNK_MULTIPLE, CHUNK_MULTIPLE * 2 - 1)).status).toBe(202);
    const last = await put(CHUNK_MULTIPLE * 2, total - 1);
    expect(last.status).toBe(201);
    expect(((await last.json()) as Json).size).toBe(total);
    const stored = graph.control.readFiles(site.id).find((f) => f.path === '/largefile.dat');
    expect(stored?.content.equals(bytes)).toBe(true);
  });

  test('a byte range of 60 MiB or more is refused (413): each request must be less than 60 MiB', async () => {
    const session = await call('POST', `${drive()}/root:/huge.bin:/createUploadSession`, {});
    const size = MAX_FRAGMENT_BYTES; // 60 MiB, a multiple of 320 KiB
    const res = await fetch(session.body.uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Range': `bytes 0-${size - 1}/${size * 2}` },
      body: Buffer.alloc(size),
    });
    expect(res.status).toBe(413);
    const ok = await fetch(session.body.uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Range': `bytes 0-${size - CHUNK_MULTIPLE - 1}/${size * 2}` },
      body: Buffer.alloc(size - CHUNK_MULTIPLE),
    });
    expect(ok.status).toBe(202);
  });

  // driveitem-createuploadsession, "Handling upload conflicts": "If a conflict occurs after the file is uploaded (for
  // example, an item with the same name was created during the upload session), an error is returned when the last byte
  // range is uploaded" → 409 {"error":{"code":"nameAlreadyExists",…}}; conflictBehavior defaults to fail; "The upload
  // session is preserved until the expiration time".
  test('a name taken during an upload session fails the last range with 409 nameAlreadyExists; the session stays', async () => {
    const session = await call('POST', `${drive()}/root:/report.txt:/createUploadSession`, {});
    graph.control.putFile(site.id, '/report.txt', 'someone else was first');
    const last = await fetch(session.body.uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Range': 'bytes 0-4/5' },
      body: 'mine!',
    });
    expect(last.status).toBe(409);
    expect(((await last.json()) as Json).error.code).toBe('nameAlreadyExists');
    expect((await fetch(session.body.uploadUrl)).status).toBe(200);
    expect(graph.control.readFiles(site.id).map((f) => f.content.toString())).toEqual([
      'someone else was first',
    ]);
  });

  test("library metadata columns are read and written through the driveItem's listItem fields", async () => {
    const lib = site.libraryListId;
    expect(
      (
        await call('POST', `${sitePath()}/lists/${lib}/columns`, {
          name: 'Classification',
          choice: { choices: ['Öppen', 'Intern'] },
        })
      ).status,
    ).toBe(201);
    const file = (
      await call('PUT', `${drive()}/root:/policy.txt:/content`, 'x', { 'Content-Type': 'text/plain' })
    ).body;
    const patched = await call('PATCH', `${drive()}/items/${file.id}/listItem/fields`, {
      Classification: 'Intern',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.Classification).toBe('Intern');
    const item = await get(`${drive()}/items/${file.id}?$expand=listItem($expand=fields)`);
    expect(item.body.listItem.fields).toEqual(
      expect.objectContaining({ Classification: 'Intern', FileLeafRef: 'policy.txt' }),
    );
    const viaList = await get(
      `${sitePath()}/lists/${lib}/items?expand=fields(select=FileLeafRef,Classification)`,
    );
    expect(viaList.body.value.map((i: Json) => strip(i.fields))).toEqual([
      { FileLeafRef: 'policy.txt', Classification: 'Intern' },
    ]);
  });

  // https://learn.microsoft.com/graph/api/driveitem-delta — pages with @odata.nextLink, then @odata.deltaLink; calling the
  // deltaLink later returns changes since; deleted items carry the deleted facet; ?token=latest → empty value + deltaLink;
  // an unusable token → 410 Gone (resync…) with a Location to start over.
  test('delta enumerates, then returns only what changed since its deltaLink, deletions included', async () => {
    graph.control.putFile(site.id, '/a.txt', 'a');
    const keepId = graph.control.putFile(site.id, '/b.txt', 'b');
    const gone = graph.control.putFile(site.id, '/c.txt', 'c');
    const initial = await readDelta(`${drive()}/root/delta?$top=2`);
    expect(initial.value.map((i) => i.name).sort()).toEqual(['a.txt', 'b.txt', 'c.txt', 'root']);
    const deltaLink = initial.deltaLink;
    expect((await readDelta(deltaLink)).value).toEqual([]);
    await call('PUT', `${drive()}/root:/d.txt:/content`, 'd', { 'Content-Type': 'text/plain' });
    expect((await call('DELETE', `${drive()}/items/${gone}`)).status).toBe(204);
    const changes = await readDelta(deltaLink);
    const changed = changes.value.filter((i: Json) => !i.root);
    expect(changed.map((i: Json) => [i.name, Boolean(i.deleted)]).sort()).toEqual([
      ['c.txt', true],
      ['d.txt', false],
    ]);
    expect(changed.find((i: Json) => i.deleted)?.deleted).toEqual({ state: 'deleted' });
    expect(changed.map((i: Json) => i.id)).not.toContain(keepId);
    const latest = await get(`${drive()}/root/delta?token=latest`);
    expect(latest.body.value).toEqual([]);
    expect(latest.body['@odata.deltaLink']).toContain('token=');
    graph.control.expireDeltaTokens(site.id);
    const expired = await get(changes.deltaLink);
    expectGraphError(expired, 410, 'resyncRequired');
    expect(expired.headers.get('location')).toContain('/root/delta');
  });
});

describe('test controls', () => {
  test("drift behind the adapter's back: a renamed list is no longer found by its old title; a deleted column vanishes from fields", async () => {
    const list = graph.control.seedList(site.id, {
      displayName: 'Risker',
      columns: [{ name: 'Owner', text: {} }],
      items: [{ Title: 'r1', Owner: 'eva' }],
    });
    graph.control.renameList(site.id, list.id, 'Risks');
    expectGraphError(await get(`${sitePath()}/lists/Risker`), 404, 'itemNotFound');
    expect((await get(`${sitePath()}/lists/${list.id}`)).body.displayName).toBe('Risks');
    expect(graph.control.addItems(site.id, list.id, [{ Title: 'r2', Owner: 'per' }])).toEqual(['2']);
    graph.control.deleteColumn(site.id, list.id, 'Owner');
    const item = await get(`${sitePath()}/lists/${list.id}/items/1?expand=fields`);
    expect(item.body.fields.Owner).toBeUndefined();
    expectGraphError(
      await call('PATCH', `${sitePath()}/lists/${list.id}/items/1/fields`, { Owner: 'x' }),
      400,
      'invalidRequest',
    );
    const stats = graph.control.stats();
    expect(stats.byMethodKind['GET list']).toBe(2);
    expect(stats.byMethodKind['PATCH itemFields']).toBe(1);
    expect(graph.control.requests().map((r) => r.kind)).toEqual(['list', 'list', 'item', 'itemFields']);
  });

  test('reset empties the state and clears faults and counts', async () => {
    graph.control.setFaults({ throttleRate: 1 });
    expect((await get(sitePath())).status).toBe(429);
    graph.control.reset();
    expect(graph.control.sites()).toEqual([]);
    expect(graph.control.stats().total).toBe(0);
    expectGraphError(await get(sitePath()), 404, 'itemNotFound');
  });
});

/** Follows @odata.nextLink verbatim until a page carries @odata.deltaLink. */
async function readDelta(first: string): Promise<{ value: Json[]; deltaLink: string }> {
  let link: string | undefined = first;
  const value: Json[] = [];
  for (;;) {
    const page = await get(link);
    expect(page.status).toBe(200);
    value.push(...page.body.value);
    link = page.body['@odata.nextLink'];
    if (!link) return { value, deltaLink: page.body['@odata.deltaLink'] };
  }
}

/** Drops the `@odata.etag` that Graph adds to every fieldValueSet. */
function strip(fields: Json): Json {
  const { '@odata.etag': _etag, ...rest } = fields;
  return rest;
}
