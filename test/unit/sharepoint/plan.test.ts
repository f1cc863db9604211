import { collections } from '../../../bot/collections';
import type { CollectionSpec } from '../../../bot/platform/store/schema';
import {
  type ActualList,
  columnTypeOf,
  plan,
} from '../../../bot/platform/store/sharepoint/provisioning/plan';
import {
  ID_COLUMN,
  library,
  listSpecOf,
  RECORD_COLUMN,
  sharePointSchema,
} from '../../../bot/platform/store/sharepoint/provisioning/schema';

const desired = sharePointSchema(collections);
const questions = desired.find((l) => l.key === 'questions');

/** The site as provisioning leaves it: every declared list with its columns. */
const provisioned = (): ActualList[] =>
  desired.map((spec, i) => ({
    id: `list-${i}`,
    displayName: spec.displayName,
    description: `Värn ${spec.key} ${spec.marker}`,
    name: spec.displayName,
    template: spec.template,
    columns: spec.columns.map((c) => ({ name: c.name, type: c.type, indexed: c.indexed })),
  }));

test('every stored collection gets a list with its record, its id and a typed, indexed column per indexed field', () => {
  const keys = desired.map((l) => l.key);
  for (const spec of Object.values(collections)) {
    if (spec.name === 'passages' || spec.name === 'documents') expect(keys).not.toContain(spec.name);
    else expect(keys).toContain(spec.name);
  }
  expect(keys).toContain('library');
  expect(questions?.columns).toEqual(
    expect.arrayContaining([
      { name: ID_COLUMN, type: 'text', indexed: true, unique: true, field: 'id' },
      { name: RECORD_COLUMN, type: 'note', indexed: false },
      { name: 'VarnStatus', type: 'text', indexed: true, field: 'status' },
      { name: 'VarnCurated', type: 'boolean', indexed: true, field: 'curated' },
    ]),
  );
});

test('a collection added to the store schema gets its list without touching infra', () => {
  const followUps: CollectionSpec<unknown> = {
    name: 'followUps',
    indexed: ['cycleId', 'status'] as never,
    types: {},
  };
  const list = listSpecOf(followUps);
  expect(list.displayName).toBe('VarnFollowUps');
  expect(list.columns.map((c) => c.name)).toEqual([ID_COLUMN, RECORD_COLUMN, 'VarnCycleId', 'VarnStatus']);
});

test('an indexed field that cannot be a column name is refused when the schema is derived, naming it', () => {
  expect(() =>
    listSpecOf({ name: 'x', indexed: ['a-very-long-field-name-that-sharepoint-truncates'] as never }),
  ).toThrow(/a-very-long-field-name/);
});

test('an empty site: every list is created; a site without a default library is reported', () => {
  const result = plan(desired, []);
  expect(result.changes.map((c) => c.kind)).toEqual(desired.filter((l) => !l.adopt).map(() => 'createList'));
  expect(result.findings).toEqual([expect.objectContaining({ kind: 'missingLibrary' })]);
});

test("the site's default library is adopted: columns added, its (localised) name left alone", () => {
  const site = provisioned();
  const docs = site.find((l) => l.template === 'documentLibrary') as ActualList;
  docs.displayName = 'Dokument';
  docs.description = '';
  docs.name = 'Shared Documents';
  docs.columns = docs.columns.filter((c) => c.name !== 'VarnOwner');
  const result = plan(desired, site);
  expect(result.changes).toEqual([
    expect.objectContaining({
      kind: 'createColumn',
      column: expect.objectContaining({ name: 'VarnOwner' }),
      backfill: false,
    }),
  ]);
});

test('a provisioned site: nothing to change', () => {
  const result = plan(desired, provisioned());
  expect(result.changes).toEqual([]);
  expect(result.findings).toEqual([]);
  expect(Object.keys(result.found).sort()).toEqual(desired.map((l) => l.key).sort());
});

test('a renamed list is recognised by its marker and named back, not duplicated', () => {
  const site = provisioned();
  const renamed = site.find((l) => l.displayName === 'VarnQuestions') as ActualList;
  renamed.displayName = 'Frågor (gamla)';
  renamed.name = 'Frgorgamla';
  const result = plan(desired, site);
  expect(result.changes).toEqual([
    expect.objectContaining({ kind: 'renameList', listId: renamed.id, displayName: 'Frågor (gamla)' }),
  ]);
  expect(result.found.questions).toBe(renamed.id);
});

test('a list renamed and stripped of its marker is still found by its URL name', () => {
  const site = provisioned();
  const renamed = site.find((l) => l.displayName === 'VarnQuestions') as ActualList;
  renamed.displayName = 'Frågor';
  renamed.description = '';
  expect(plan(desired, site).found.questions).toBe(renamed.id);
});

test('a deleted list is created again', () => {
  const site = provisioned().filter((l) => l.displayName !== 'VarnFeedback');
  expect(plan(desired, site).changes).toEqual([
    expect.objectContaining({ kind: 'createList', list: expect.objectContaining({ key: 'feedback' }) }),
  ]);
});

test('a missing column is added and filled from the records; a lost index is restored', () => {
  const site = provisioned();
  const q = site.find((l) => l.displayName === 'VarnQuestions') as ActualList;
  q.columns = q.columns.filter((c) => c.name !== 'VarnStatus');
  (q.columns.find((c) => c.name === 'VarnAskedBy') as { indexed: boolean }).indexed = false;
  const result = plan(desired, site);
  expect(result.changes).toEqual([
    expect.objectContaining({
      kind: 'createColumn',
      column: expect.objectContaining({ name: 'VarnStatus' }),
      backfill: true,
    }),
    expect.objectContaining({
      kind: 'indexColumn',
      column: expect.objectContaining({ name: 'VarnAskedBy' }),
    }),
  ]);
});

test('a retyped column is reported, not changed', () => {
  const site = provisioned();
  const q = site.find((l) => l.displayName === 'VarnQuestions') as ActualList;
  (q.columns.find((c) => c.name === 'VarnCurated') as { type: string }).type = 'text';
  const result = plan(desired, site);
  expect(result.changes).toEqual([]);
  expect(result.findings).toEqual([
    expect.objectContaining({ kind: 'retyped', column: 'VarnCurated', expected: 'boolean', actual: 'text' }),
  ]);
});

test('two lists with the same marker are reported and neither is used', () => {
  const site = provisioned();
  const copy = { ...(site.find((l) => l.displayName === 'VarnQuestions') as ActualList), id: 'copy' };
  const result = plan(desired, [...site, copy]);
  expect(result.findings).toEqual([expect.objectContaining({ kind: 'ambiguous' })]);
  expect(result.found.questions).toBeUndefined();
});

test('column types are read from the facet Graph returns', () => {
  expect(columnTypeOf({ text: { allowMultipleLines: true } })).toBe('note');
  expect(columnTypeOf({ text: {} })).toBe('text');
  expect(columnTypeOf({ boolean: {} })).toBe('boolean');
  expect(columnTypeOf({ number: {} })).toBe('number');
  expect(columnTypeOf({ dateTime: { format: 'dateTime' } })).toBe('dateTime');
  expect(columnTypeOf({ choice: {} })).toBe('other');
  expect(library.template).toBe('documentLibrary');
});
