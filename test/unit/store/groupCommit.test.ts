import { collections } from '../../../bot/collections';
import type { Question } from '../../../bot/features/questions/model';
import {
  GroupCommit,
  GroupCommitClosed,
  GroupCommitFailed,
  storeGroupCommit,
} from '../../../bot/platform/store/groupCommit';
import { openSqliteStore } from '../../../bot/platform/store/sqlite';

/** A store in memory that keeps a batch only when the whole batch succeeds (as a transaction does). */
function fakeStore() {
  const rows: string[] = [];
  const batches: string[][] = [];
  let failNext = 0;
  const group = new GroupCommit<string>(async (writes) => {
    batches.push(writes);
    await Promise.resolve();
    if (failNext > 0) {
      failNext -= 1;
      throw new Error('disk I/O error');
    }
    rows.push(...writes);
  });
  return { group, rows, batches, failOnce: () => (failNext = 1) };
}

test('writes added in the same moment share one commit, and each caller goes on only after it', async () => {
  const { group, rows, batches } = fakeStore();
  const seen: string[][] = [];
  const callers = ['a', 'b', 'c'].map((w) => group.write(w).then(() => seen.push([...rows])));
  expect(rows).toEqual([]); // nothing is committed inside the caller's own step
  await Promise.all(callers);
  expect(batches).toEqual([['a', 'b', 'c']]);
  expect(group.counts).toEqual({ batches: 1, writes: 3 });
  // every caller saw its own write (and its batch's) stored when it was released
  expect(seen).toEqual([
    ['a', 'b', 'c'],
    ['a', 'b', 'c'],
    ['a', 'b', 'c'],
  ]);
});

test('writes added while a batch commits form the next batch, committed after it, in the order they came', async () => {
  const { group, rows, batches } = fakeStore();
  const first = group.write('a');
  await new Promise((resolve) => setImmediate(resolve)); // the first batch is committing now
  const later = [group.write('b'), group.write('c')];
  await Promise.all([first, ...later]);
  expect(batches).toEqual([['a'], ['b', 'c']]);
  expect(rows).toEqual(['a', 'b', 'c']);
});

test('a caller that writes again as soon as its batch has committed gets a batch of its own', async () => {
  const { group, rows, batches } = fakeStore();
  await group.write('insert');
  await group.write('card id');
  expect(batches).toEqual([['insert'], ['card id']]);
  expect(rows).toEqual(['insert', 'card id']);
});

test('a batch never holds more than maxBatch writes', async () => {
  const batches: number[][] = [];
  const group = new GroupCommit<number>(
    async (writes) => {
      batches.push(writes);
    },
    { maxBatch: 2 },
  );
  await Promise.all([1, 2, 3, 4, 5].map((n) => group.write(n)));
  expect(batches).toEqual([[1, 2], [3, 4], [5]]);
});

test('when a batch fails, each of its writers learns it with a clear error and none of them is stored; the next batch is unaffected', async () => {
  const { group, rows, failOnce } = fakeStore();
  failOnce();
  const results = await Promise.allSettled([group.write('a'), group.write('b')]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  for (const r of results) {
    const reason = (r as PromiseRejectedResult).reason as GroupCommitFailed;
    expect(reason).toBeInstanceOf(GroupCommitFailed);
    expect(reason.message).toBe('a batch of 2 writes could not be committed; none of them was stored');
    expect(String((reason.cause as Error).message)).toBe('disk I/O error');
  }
  expect(rows).toEqual([]);
  await group.write('c');
  expect(rows).toEqual(['c']);
});

test('close commits what is waiting, then takes no more writes', async () => {
  const { group, rows } = fakeStore();
  const pending = [group.write('a'), group.write('b')];
  await group.close();
  expect(rows).toEqual(['a', 'b']);
  await Promise.all(pending);
  await expect(group.write('c')).rejects.toBeInstanceOf(GroupCommitClosed);
  expect(rows).toEqual(['a', 'b']);
});

test('written(key) waits for the writes of that key that are still in a batch, and does not throw when they failed', async () => {
  const { group, rows, failOnce } = fakeStore();
  group.write('a', 'q1').catch(() => undefined);
  await group.written('q1');
  expect(rows).toEqual(['a']);
  failOnce();
  group.write('b', 'q1').catch(() => undefined);
  await expect(group.written('q1')).resolves.toBeUndefined();
  await expect(group.written('unknown')).resolves.toBeUndefined();
  expect(rows).toEqual(['a']);
});

const question = (id: string): Question => ({
  id,
  askedBy: 'p1',
  askedByName: 'P',
  locale: 'sv-SE',
  text: 'Vem ansvarar?',
  askedAt: '2026-11-22T20:00:00.000Z',
  status: 'asked',
  shown: [],
  curated: false,
  functionCards: [],
});

test('on SQLite, a batch is one transaction: one failing write leaves none of the batch stored, and every writer is told', async () => {
  const store = openSqliteStore(':memory:', collections);
  const group = storeGroupCommit(store);
  await group.write(async (tx) => {
    await tx.questions.insert(question('taken'));
  });
  const results = await Promise.allSettled([
    group.write(async (tx) => {
      await tx.questions.insert(question('fresh'));
    }),
    group.write(async (tx) => {
      await tx.questions.insert(question('taken')); // a duplicate: the transaction fails
    }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  expect(await store.questions.get('fresh')).toBeUndefined();
  expect((await store.questions.list()).map((s) => s.value.id)).toEqual(['taken']);
  await group.close();
  await store.close();
});
