/**
 * The Store contract. Every adapter runs these: SQLite now; the SharePoint adapter (through the
 * local Graph endpoint) joins the same list.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Question } from '../../bot/questions/model';
import { DuplicateId, type Store, VersionConflict } from '../../bot/store';
import { openSqliteStore } from '../../bot/store/sqlite';
import { migrations } from '../../bot/store/sqlite/migrations';

const adapters: [string, () => Store][] = [['sqlite', () => openSqliteStore(':memory:')]];

const question = (id: string, over: Partial<Question> = {}): Question => ({
  id,
  askedBy: 'p1',
  askedByName: 'P',
  locale: 'sv-SE',
  text: 'Vem ansvarar?',
  askedAt: '2026-11-22T10:00:00.000Z',
  status: 'asked',
  shown: [],
  curated: false,
  functionCards: [],
  ...over,
});

describe.each(adapters)('%s store', (_name, open) => {
  let store: Store;
  beforeEach(() => {
    store = open();
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
    await expect(store.questions.insert(question('q1', { text: 'other' }))).rejects.toBeInstanceOf(DuplicateId);
    expect((await store.questions.get('q1'))?.value.text).toBe('Vem ansvarar?');
  });

  test('an update with a stale version is refused (If-Match) and the first writer wins', async () => {
    const first = await store.questions.insert(question('q1'));
    const a = await store.questions.update(question('q1', { status: 'escalated' }), first.version);
    await expect(store.questions.update(question('q1', { status: 'answered' }), first.version)).rejects.toBeInstanceOf(VersionConflict);
    expect((await store.questions.get('q1'))?.value.status).toBe('escalated');
    expect(a.version).not.toBe(first.version);
  });

  test('find filters on indexed fields, including booleans', async () => {
    await store.questions.insert(question('q1', { status: 'escalated' }));
    await store.questions.insert(question('q2', { status: 'asked', curated: true }));
    await store.questions.insert(question('q3', { status: 'escalated', askedBy: 'p2' }));
    expect((await store.questions.find({ status: 'escalated' })).map((q) => q.value.id)).toEqual(['q1', 'q3']);
    expect((await store.questions.find({ status: 'escalated', askedBy: 'p2' })).map((q) => q.value.id)).toEqual(['q3']);
    expect((await store.questions.find({ curated: true })).map((q) => q.value.id)).toEqual(['q2']);
  });

  test('a transaction lands whole or not at all', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.questions.insert(question('q1'));
        await tx.auditEvents.append({ id: 'e1', at: 'now', actorId: 'p1', recordType: 'question', recordId: 'q1', action: 'x' });
        throw new Error('crash in the middle');
      }),
    ).rejects.toThrow('crash');
    expect(await store.questions.get('q1')).toBeUndefined();
    expect(await store.auditEvents.find({ recordId: 'q1' })).toEqual([]);
  });

  test('the audit log is append-only', async () => {
    await store.auditEvents.append({ id: 'e1', at: 'now', actorId: 'p1', recordType: 'question', recordId: 'q1', action: 'escalate' });
    expect(await store.auditEvents.find({ recordId: 'q1' })).toHaveLength(1);
    expect('update' in store.auditEvents).toBe(false);
  });
});

test('sqlite: data survives a restart, and migrations are applied once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-store-'));
  const file = path.join(dir, 'varn.sqlite');
  const first = openSqliteStore(file);
  await first.questions.insert(question('q1'));
  await first.close();
  const second = openSqliteStore(file);
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
  const store = openSqliteStore(file);
  await store.auditEvents.append({ id: 'e1', at: 'now', actorId: 'p1', recordType: 'question', recordId: 'q1', action: 'escalate' });
  await store.close();
  const { DatabaseSync } = require('node:sqlite');
  const db = new DatabaseSync(file);
  expect(() => db.exec("UPDATE auditEvents SET data = '{}'")).toThrow(/append-only/);
  expect(() => db.exec('DELETE FROM auditEvents')).toThrow(/append-only/);
  db.close();
  const reopened = openSqliteStore(file);
  expect((await reopened.auditEvents.find({ recordId: 'q1' })).map((e) => e.action)).toEqual(['escalate']);
  await reopened.close();
});
