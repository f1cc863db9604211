import { createLogger } from '../../../bot/logger';
import { WriteBehind } from '../../../bot/questions/writeBehind';

interface Rec {
  id: string;
  n: number;
}
const log = createLogger('silent');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(fail = 0) {
  const batches: Rec[][] = [];
  let failures = fail;
  const buffer = new WriteBehind<Rec>(
    async (records) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('store unavailable');
      }
      batches.push(records);
    },
    log,
    { delayMs: 20, maxBatch: 3, maxHoldMs: 150 },
  );
  return { buffer, batches };
}

test('records added close together are written in one batch after the delay, not one by one', async () => {
  const { buffer, batches } = setup();
  buffer.add({ id: 'a', n: 1 });
  buffer.add({ id: 'b', n: 1 });
  expect(batches).toEqual([]);
  await sleep(60);
  expect(batches).toEqual([
    [
      { id: 'a', n: 1 },
      { id: 'b', n: 1 },
    ],
  ]);
});

test('a full batch is written at once', async () => {
  const { buffer, batches } = setup();
  for (const id of ['a', 'b', 'c']) buffer.add({ id, n: 1 });
  await buffer.settle('c');
  expect(batches.map((b) => b.map((r) => r.id))).toEqual([['a', 'b', 'c']]);
});

test('settling a pending record writes it before the action goes on; a change before that is part of the write', async () => {
  const { buffer, batches } = setup();
  buffer.add({ id: 'a', n: 1 });
  expect(buffer.change('a', (r) => ({ ...r, n: 2 }))).toBe(true);
  expect(buffer.change('unknown', (r) => r)).toBe(false);
  await buffer.settle('a');
  expect(batches).toEqual([[{ id: 'a', n: 2 }]]);
  await buffer.settle('a'); // already written: nothing more
  expect(batches).toHaveLength(1);
});

test('when the store fails, the records stay pending, the action learns it, and a later write succeeds', async () => {
  const { buffer, batches } = setup(1);
  buffer.add({ id: 'a', n: 1 });
  await expect(buffer.settle('a')).rejects.toThrow('store unavailable');
  expect(buffer.size).toBe(1);
  await buffer.flush();
  expect(batches).toEqual([[{ id: 'a', n: 1 }]]);
  expect(buffer.size).toBe(0);
});

test('a held record waits for its release and is written once, complete; one never released is written after maxHoldMs', async () => {
  const { buffer, batches } = setup();
  buffer.add({ id: 'a', n: 1 }, { hold: true });
  buffer.add({ id: 'b', n: 1 }, { hold: true });
  await sleep(60);
  expect(batches).toEqual([]);
  expect(buffer.change('a', (r) => ({ ...r, n: 2 }))).toBe(true);
  await sleep(60);
  expect(batches).toEqual([[{ id: 'a', n: 2 }]]);
  await sleep(150);
  expect(batches).toEqual([[{ id: 'a', n: 2 }], [{ id: 'b', n: 1 }]]);
});

test('settling a held record writes it at once', async () => {
  const { buffer, batches } = setup();
  buffer.add({ id: 'a', n: 1 }, { hold: true });
  await buffer.settle('a');
  expect(batches).toEqual([[{ id: 'a', n: 1 }]]);
});
