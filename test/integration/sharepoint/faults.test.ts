/**
 * Graph discipline under faults: Retry-After is honoured, throttled requests inside a $batch are
 * sent again, and a whole sequence of store operations run with 10% of requests answered 429/503
 * and 1% of updates racing another writer ends in the same state as the run without faults:
 * nothing lost, nothing doubled.
 */
import type { Question } from '../../../bot/features/questions/model';
import { type Collection, type Store, VersionConflict } from '../../../bot/platform/store';
import { type LocalGraph, startGraph } from '../../support/graph';
import { question as record } from '../../support/records';
import { connectTestSite } from '../../support/sharepoint';

let graph: LocalGraph;
beforeAll(async () => {
  graph = await startGraph({ seed: 7 });
});
afterAll(async () => graph.close());
afterEach(() =>
  graph.control.setFaults({ throttleRate: 0, unavailableRate: 0, raceRate: 0, retryAfterSeconds: 1 }),
);

const question = (id: string, over: Partial<Question> = {}): Question =>
  record(id, { askedBy: `p${Number(id.slice(1)) % 5}`, text: `Fråga ${id}`, ...over });

test('a 429 is retried after the Retry-After the server gave, and counted', async () => {
  const { store, graph: client } = await connectTestSite(graph);
  await store.questions.insert(question('q1'));
  graph.control.failNext(1, { status: 429, retryAfterSeconds: 2 });
  const started = Date.now();
  const found = await client.operation('test.get', () => store.questions.get('q1'));
  expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  expect(found?.value.id).toBe('q1');
  expect(client.metrics.snapshot()['test.get']).toEqual({ requests: 2, throttled: 1, batched: 0 });
  await store.close();
});

test('throttled requests inside a $batch are sent again on their own; none is lost or doubled', async () => {
  const { store, graph: client } = await connectTestSite(graph);
  for (let i = 0; i < 30; i++) await store.questions.insert(question(`q${i}`));
  graph.control.setFaults({ throttleRate: 0.3, retryAfterSeconds: 0 });
  // a removal of 24 records: two $batch calls, about a third of their inner requests answered 429
  expect(await store.questions.removeWhere({ status: 'asked' })).toBe(30);
  graph.control.setFaults({ throttleRate: 0 });
  expect(await store.questions.list()).toEqual([]);
  expect(client.metrics.snapshot()['store.questions.removeWhere']?.throttled).toBeGreaterThan(0);
  await store.close();
});

test('a write that landed but whose answer was lost (503 after processing) is neither doubled nor called a conflict', async () => {
  const { store, site } = await connectTestSite(graph);
  const saved = await store.questions.insert(question('q1'));
  // the endpoint processes the next POST and PATCH of an item, but their answers never arrive
  const real = globalThis.fetch;
  let lose = 2;
  globalThis.fetch = async (input, init) => {
    const response = await real(input, init);
    const method = String(init?.method ?? 'GET').toUpperCase();
    if (lose > 0 && (method === 'POST' || method === 'PATCH') && String(input).includes('/items')) {
      lose -= 1;
      const lost = { error: { code: 'serviceNotAvailable', message: 'the answer was lost' } };
      return new Response(JSON.stringify(lost), {
        status: 503,
        headers: { 'Retry-After': '0', 'Content-Type': 'application/json' },
      });
    }
    return response;
  };
  try {
    await store.questions.insert(question('q2'));
    await store.questions.update(question('q1', { status: 'escalated' }), saved.version);
  } finally {
    globalThis.fetch = real;
  }
  expect(lose).toBe(0);
  expect((await store.questions.list()).map((q) => [q.value.id, q.value.status])).toEqual([
    ['q1', 'escalated'],
    ['q2', 'asked'],
  ]);
  expect(graph.control.readList(site.id, 'VarnQuestions').items).toHaveLength(2);
  await store.close();
});

/** Re-reads and re-applies a change until it lands (the domain's answer to a VersionConflict). */
async function mutate(
  store: Store,
  id: string,
  change: (q: Question) => Question,
  event?: string,
): Promise<void> {
  for (;;) {
    const current = await store.questions.get(id);
    if (!current) throw new Error(`${id} is gone`);
    try {
      await store.transaction(async (tx) => {
        await tx.questions.update(change(current.value), current.version);
        if (event) {
          await tx.auditEvents.append({
            id: `${id}:${event}`,
            at: 'now',
            actorId: 'p0',
            recordType: 'question',
            recordId: id,
            action: event,
          });
        }
      });
      return;
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
    }
  }
}

/** An update without a transaction: re-read and re-apply on a conflict. */
async function change<T extends { id: string }>(
  collection: Collection<T>,
  id: string,
  apply: (value: T) => T,
): Promise<void> {
  for (;;) {
    const current = await collection.get(id);
    if (!current) throw new Error(`${id} is gone`);
    try {
      await collection.update(apply(current.value), current.version);
      return;
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
    }
  }
}

/** The sequence: asked, escalated and answered questions, feedback, conversations, removals. */
async function journey(store: Store): Promise<void> {
  for (let i = 0; i < 120; i++) await store.questions.insert(question(`q${i}`));
  for (let i = 0; i < 120; i++)
    await mutate(store, `q${i}`, (q) => ({ ...q, status: 'escalated', escalatedAt: 'then' }), 'escalate');
  for (let i = 0; i < 120; i += 2) {
    await mutate(
      store,
      `q${i}`,
      (q) => ({ ...q, status: 'answered', answer: `Svar ${i}`, curated: i % 8 === 0 }),
      'answer',
    );
  }
  for (let i = 0; i < 20; i++) {
    await store.feedback.insert({
      id: `f${i}`,
      questionId: `q${i}`,
      personId: `p${i % 5}`,
      helpful: i % 3 === 0,
      at: 'now',
    });
  }
  for (let i = 0; i < 10; i++) {
    await store.conversations.insert({
      id: `c${i}`,
      personId: `p${i}`,
      reference: { conversation: { id: `conv${i}` } as never },
      updatedAt: 'now',
    });
  }
  for (let i = 0; i < 10; i++) {
    const found = (await store.conversations.find({ personId: `p${i}` }))[0];
    if (found) await change(store.conversations, found.value.id, (c) => ({ ...c, locale: 'en-US' }));
  }
  await store.feedback.removeWhere({ personId: 'p1' });
}

async function endState(store: Store) {
  return {
    questions: (await store.questions.list()).map((s) => s.value),
    curated: (await store.questions.find({ curated: true })).map((s) => s.value.id),
    feedback: (await store.feedback.list()).map((s) => s.value),
    conversations: (await store.conversations.list()).map((s) => s.value),
    audit: await store.auditEvents.find({ recordType: 'question' }),
  };
}

test('the same sequence with 10% of requests throttled or unavailable and 1% of updates racing ends in the same state', async () => {
  const calm = await connectTestSite(graph);
  await journey(calm.store);
  const expected = await endState(calm.store);
  await calm.store.close();

  const stormy = await connectTestSite(graph);
  graph.control.resetStats();
  graph.control.setFaults({
    throttleRate: 0.05,
    unavailableRate: 0.05,
    raceRate: 0.01,
    retryAfterSeconds: 0,
  });
  await journey(stormy.store);
  const stats = graph.control.stats();
  graph.control.setFaults({ throttleRate: 0, unavailableRate: 0, raceRate: 0 });
  expect(stats.races).toBeGreaterThanOrEqual(1);
  expect(stats.throttled + stats.unavailable).toBeGreaterThan(10);
  expect(await endState(stormy.store)).toEqual(expected);
  expect(expected.questions).toHaveLength(120);
  expect(expected.audit).toHaveLength(180);
  expect(expected.feedback).toHaveLength(16);
  // nothing doubled on the site itself: one item per record
  for (const [list, count] of [
    ['VarnQuestions', 120],
    ['VarnAuditEvents', 180],
    ['VarnFeedback', 16],
    ['VarnConversations', 10],
  ] as const) {
    expect(graph.control.readList(stormy.site.id, list).items).toHaveLength(count);
  }
  await stormy.store.close();
}, 60_000);
