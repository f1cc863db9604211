/**
 * The store knows no feature: every collection is declared by its feature and collected in
 * bot/collections.ts. Each must have what both adapters need: a SQLite migration creating its table,
 * and (unless derived from the library) a SharePoint list in the provisioned schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import { collections } from '../../../bot/collections';
import { appendOnlyCollection, collection } from '../../../bot/platform/store/schema';
import { sharePointSchema } from '../../../bot/platform/store/sharepoint/provisioning/schema';
import { openSqliteStore } from '../../../bot/platform/store/sqlite';
import { collectionsWithoutTable, migrations } from '../../../bot/platform/store/sqlite/migrations';

interface Note {
  id: string;
  topic: string;
}

test('every collected collection has a SQLite table and, unless derived, a SharePoint list', () => {
  expect(collectionsWithoutTable(collections)).toEqual([]);
  const lists = new Set(sharePointSchema(collections).map((list) => list.key));
  for (const spec of Object.values(collections)) {
    if (spec.derived) expect(lists.has(spec.name)).toBe(false);
    else expect(lists.has(spec.name)).toBe(true);
  }
});

test('a collection declared without a migration is caught, and the SQLite store refuses to open', () => {
  const withNew = { ...collections, notes: collection<Note>('notes', ['topic']) };
  expect(collectionsWithoutTable(withNew)).toEqual(['notes']);
  expect(() => openSqliteStore(':memory:', withNew)).toThrow(/no SQLite migration creates a table for notes/);
  // with its migration, the new collection works, and SharePoint provisions a list for it
  const withMigration = [...migrations, { version: 99, name: 'notes', tables: ['notes'] }];
  expect(collectionsWithoutTable(withNew, withMigration)).toEqual([]);
  expect(sharePointSchema(withNew).map((list) => list.key)).toContain('notes');
});

test('the Store has a member per collected spec: collections and append-only logs', async () => {
  const store = openSqliteStore(':memory:', collections);
  for (const [member, spec] of Object.entries(collections)) {
    const value = (store as unknown as Record<string, object | undefined>)[member] ?? {};
    expect(typeof value).toBe('object');
    expect('append' in value).toBe(spec.appendOnly === true);
  }
  expect(appendOnlyCollection<Note>('log', ['topic']).appendOnly).toBe(true);
  await store.close();
});

test('platform/store imports nothing from the features', () => {
  const dir = path.resolve(__dirname, '../../../bot/platform/store');
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(5);
  const offending = files.filter((f) =>
    /from '[./]*\/features\//.test(fs.readFileSync(path.join(dir, f), 'utf8')),
  );
  expect(offending).toEqual([]);
});
