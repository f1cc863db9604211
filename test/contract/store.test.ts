/**
 * The Store contract: one suite, the same assertions, run against every adapter: SQLite, and
 * SharePoint through the local Graph endpoint (a new, provisioned site per test).
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collections } from '../../bot/collections';
import { DuplicateId, RecordNotFound, type Store, VersionConflict } from '../../bot/platform/store';
import { openSqliteStore } from '../../bot/platform/store/sqlite';
import { migrations } from '../../bot/platform/store/sqlite/migrations';
import { type LocalGraph, startGraph } from '../support/graph';
import { auditEvent, question } from '../support/records';
import { connectTestSite } from '../support/sharepoint';

let graph: LocalGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => graph.close());

const adapters: [string, () => Promise<Store>][] = [
  ['sqlite', async () => openSqliteStore(':memory:', collections)],
  ['sharepoint', async () => (await connectTestSite(graph)).store],
];

describe.each(adapters)('%s store', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => store.close());

  test('a record reads back as written, with a version', async () => {
    const saved = await store.questions.insert(question('q1'));
    expect((await store.questions.get('q1'))?.value).toEqual(question('q1'));
    expect((await store.questions.get('q1'))?.version).toBe(saved.version);
    expect(await store.questions.get('missing')).toBeUndefined();
  });

  test('inserting an existing id fails and changes nothing', async () => {
    await store.questions.insert(question('q1'));
    await expect(store.questions.insert(question('q1', { text: 'other' }))).rejects.toBeInstanceOf(
      DuplicateId,
    );
    expect((await store.questions.get('q1'))?.value.text).toBe('Vem ansvarar?');
  });

  test('an update with a stale version is refused (If-Match) and the first writer wins', async () => {
    const first = await store.questions.insert(question('q1'));
    const a = await store.questions.update(question('q1', { status: 'escalated' }), first.version);
    await expect(
      store.questions.update(question('q1', { status: 'answered' }), first.version),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect((await store.questions.get('q1'))?.value.status).toBe('escalated');
    expect(a.version).not.toBe(first.version);
  });

  test('find filters on indexed fields, including booleans', async () => {
    await store.questions.insert(question('q1', { status: 'escalated' }));
    await store.questions.insert(question('q2', { status: 'asked', curated: true }));
    await store.questions.insert(question('q3', { status: 'escalated', askedBy: 'p2' }));
    expect((await store.questions.find({ status: 'escalated' })).map((q) => q.value.id)).toEqual([
      'q1',
      'q3',
    ]);
    expect(
      (await store.questions.find({ status: 'escalated', askedBy: 'p2' })).map((q) => q.value.id),
    ).toEqual(['q3']);
    expect((await store.questions.find({ curated: true })).map((q) => q.value.id)).toEqual(['q2']);
  });

  test('a transaction lands whole or not at all', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.questions.insert(question('q1'));
        await tx.auditEvents.append(auditEvent('e1', 'q1', 'x'));
        throw new Error('crash in the middle');
      }),
    ).rejects.toThrow('crash');
    expect(await store.questions.get('q1')).toBeUndefined();
    expect(await store.auditEvents.find({ recordId: 'q1' })).toEqual([]);
  });

  test('ids and values with quotes, ampersands, hashes and Swedish letters read back and filter exactly', async () => {
    const odd = "q'1 & #2 — Åsa's fråga?";
    await store.questions.insert(question(odd, { askedBy: "p'1&å" }));
    await store.questions.insert(question('q2', { askedBy: 'p1' }));
    expect((await store.questions.get(odd))?.value.askedBy).toBe("p'1&å");
    expect((await store.questions.find({ askedBy: "p'1&å" })).map((q) => q.value.id)).toEqual([odd]);
  });

  test('updating a record that is gone says so', async () => {
    const saved = await store.questions.insert(question('q1'));
    await store.questions.remove('q1');
    await expect(
      store.questions.update(question('q1', { status: 'escalated' }), saved.version),
    ).rejects.toBeInstanceOf(RecordNotFound);
    expect(await store.questions.get('q1')).toBeUndefined();
  });

  test('list returns every record in insertion order; removeWhere removes only the matching ones', async () => {
    for (const id of ['q1', 'q2', 'q3', 'q4'])
      await store.questions.insert(question(id, { askedBy: id === 'q3' ? 'p2' : 'p1' }));
    expect((await store.questions.list()).map((q) => q.value.id)).toEqual(['q1', 'q2', 'q3', 'q4']);
    expect(await store.questions.removeWhere({ askedBy: 'p1' })).toBe(3);
    expect((await store.questions.list()).map((q) => q.value.id)).toEqual(['q3']);
  });

  test('find refuses a field that is not indexed, and removeWhere refuses to remove everything', async () => {
    await expect(store.questions.find({ text: 'x' } as never)).rejects.toThrow(/not indexed/);
    await expect(store.questions.removeWhere({})).rejects.toThrow(/refusing/);
  });

  test("a failed update inside a transaction takes the transaction's earlier writes back", async () => {
    const first = await store.questions.insert(question('q1'));
    await store.questions.update(question('q1', { status: 'escalated' }), first.version);
    await expect(
      store.transaction(async (tx) => {
        await tx.auditEvents.append(auditEvent('e1', 'q1', 'answer'));
        await tx.questions.insert(question('q2'));
        await tx.questions.update(question('q1', { status: 'answered' }), first.version);
      }),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect((await store.questions.get('q1'))?.value.status).toBe('escalated');
    expect(await store.questions.get('q2')).toBeUndefined();
    expect(await store.auditEvents.find({ recordId: 'q1' })).toEqual([]);
  });

  test('a transaction that fails after an update leaves the record as it was', async () => {
    const first = await store.questions.insert(question('q1'));
    await expect(
      store.transaction(async (tx) => {
        await tx.questions.update(question('q1', { status: 'escalated' }), first.version);
        throw new Error('crash after the update');
      }),
    ).rejects.toThrow('crash');
    expect((await store.questions.get('q1'))?.value.status).toBe('asked');
  });

  test('the audit log is append-only', async () => {
    await store.auditEvents.append(auditEvent('e1', 'q1', 'escalate'));
    expect(await store.auditEvents.find({ recordId: 'q1' })).toHaveLength(1);
    expect('update' in store.auditEvents).toBe(false);
  });
});

test('sqlite: data survives a restart, and migrations are applied once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-store-'));
  const file = path.join(dir, 'varn.sqlite');
  const first = openSqliteStore(file, collections);
  await first.questions.insert(question('q1'));
  await first.close();
  const second = openSqliteStore(file, collections);
  expect((await second.questions.get('q1'))?.value.id).toBe('q1');
  await second.close();
  const { DatabaseSync } = require('node:sqlite');
  const db = new DatabaseSync(file);
  // each migration once, not once per start
  expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get().n).toBe(migrations.length);
  db.close();
});

test('sqlite: the audit log refuses edits and deletions even from outside the product', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-store-'));
  const file = path.join(dir, 'varn.sqlite');
  const store = openSqliteStore(file, collections);
  await store.auditEvents.append(auditEvent('e1', 'q1', 'escalate'));
  await store.close();
  const { DatabaseSync } = require('node:sqlite');
  const db = new DatabaseSync(file);
  expect(() => db.exec("UPDATE auditEvents SET data = '{}'")).toThrow(/append-only/);
  expect(() => db.exec('DELETE FROM auditEvents')).toThrow(/append-only/);
  db.close();
  const reopened = openSqliteStore(file, collections);
  expect((await reopened.auditEvents.find({ recordId: 'q1' })).map((e) => e.action)).toEqual(['escalate']);
  await reopened.close();
});
