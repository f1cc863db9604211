/**
 * Reading past the first page of a SharePoint list: every record comes back once, whatever the
 * density of the matches or the holes in the item ids, and no request filters on more than one
 * indexed field (Graph's listitem-list: "when filtering on indexed fields, the service can only
 * filter one indexed field at a time"). Pages of 10 items, so that a few dozen records need many.
 */
import type { Question } from '../../../bot/features/questions/model';
import type { Store } from '../../../bot/platform/store';
import { type LocalGraph, type RecordedGraphRequest, startGraph } from '../../support/graph';
import { question as record } from '../../support/records';
import { connectTestSite } from '../../support/sharepoint';

let graph: LocalGraph;
let store: Store;
let site: { id: string };
beforeAll(async () => {
  graph = await startGraph({ maxPageSize: 10, defaultPageSize: 10, batchResponseOrder: 'shuffled' });
  const connection = await connectTestSite(graph);
  store = connection.store;
  site = connection.site;
  // 95 questions: every 8th escalated, the rest asked; a third by p1
  for (let i = 0; i < 95; i++) {
    await store.questions.insert(
      record(`q${String(i).padStart(3, '0')}`, {
        status: i % 8 === 0 ? 'escalated' : 'asked',
        askedBy: i % 3 === 0 ? 'p1' : 'p2',
      }),
    );
  }
}, 60_000);
afterAll(async () => {
  await store.close();
  await graph.close();
});

/** The distinct fields a recorded items query filters on: `id` or a column. */
function filteredFields(request: RecordedGraphRequest): Set<string> {
  const filter = new URLSearchParams(request.query).get('$filter') ?? '';
  const fields = new Set<string>();
  for (const m of filter.matchAll(/\bfields\/(\w+)|\b(id)\s+(?:eq|ne|lt|le|gt|ge)\b/g))
    fields.add(m[1] ?? (m[2] as string));
  return fields;
}

async function reading<R>(work: () => Promise<R>) {
  graph.control.resetStats();
  const result = await work();
  const queries = graph.control
    .requests()
    .filter((r) => r.method === 'GET' && r.kind === 'items' && r.status === 200);
  return { result, queries, stats: graph.control.stats() };
}

const ids = (records: { value: Question }[]) => records.map((s) => s.value.id);
const expected = (keep: (i: number) => boolean) =>
  Array.from({ length: 95 }, (_, i) => i)
    .filter(keep)
    .map((i) => `q${String(i).padStart(3, '0')}`);

test('the whole list: every record once, in order, read in parallel id ranges', async () => {
  const { result, queries, stats } = await reading(() => store.questions.list());
  expect(ids(result)).toEqual(expected(() => true));
  expect(queries.length).toBeGreaterThan(1);
  for (const q of queries) expect(filteredFields(q).size).toBeLessThanOrEqual(1);
  // the first page alone, then the ranges in $batch calls: far fewer round trips than ten pages one by one
  expect(stats.batches).toBeGreaterThan(0);
  expect(stats.httpRequests).toBeLessThan(6);
});

test('dense matches (seven in eight): the column on the first request only, then id ranges; exactly the matches', async () => {
  const { result, queries } = await reading(() => store.questions.find({ status: 'asked' }));
  expect(ids(result)).toEqual(expected((i) => i % 8 !== 0));
  expect(queries.length).toBeGreaterThan(1);
  for (const q of queries) expect(filteredFields(q).size).toBeLessThanOrEqual(1);
  expect(queries.filter((q) => filteredFields(q).has('VarnStatus'))).toHaveLength(1);
});

test('sparse matches (one in eight, over one page): the filtered pages followed, one indexed field each', async () => {
  const { result, queries } = await reading(() => store.questions.find({ status: 'escalated' }));
  expect(ids(result)).toEqual(expected((i) => i % 8 === 0));
  // twelve matches: two filtered pages, one after the other
  expect(queries.map((q) => [...filteredFields(q)])).toEqual([['VarnStatus'], ['VarnStatus']]);
  const byP1 = await reading(() => store.questions.find({ status: 'escalated', askedBy: 'p1' }));
  expect(ids(byP1.result)).toEqual(expected((i) => i % 8 === 0 && i % 3 === 0));
  for (const q of byP1.queries) expect([...filteredFields(q)]).toEqual(['VarnStatus']);
});

test('holes in the ids (deleted items) skip nothing', async () => {
  const list = graph.control.readList(site.id, 'VarnQuestions');
  for (const item of list.items.filter((_, n) => n % 7 === 3 || (n > 30 && n < 52)))
    graph.control.deleteItem(site.id, 'VarnQuestions', item.id);
  const left = new Set(
    graph.control
      .readList(site.id, 'VarnQuestions')
      .items.map((i) => JSON.parse(String(i.fields.VarnRecord)).id as string),
  );
  const { result, queries } = await reading(() => store.questions.find({ status: 'asked' }));
  expect(ids(result)).toEqual(expected((i) => i % 8 !== 0).filter((id) => left.has(id)));
  for (const q of queries) expect(filteredFields(q).size).toBeLessThanOrEqual(1);
});
