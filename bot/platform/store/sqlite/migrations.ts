/**
 * Versioned migrations, applied in order, each in its own transaction, recorded in schema_migrations.
 * Never edit a released migration: add the next one. A migration names the collections whose tables
 * it creates; their columns come from the specs the features declare (the store knows no feature).
 */
import type { AnySpec, CollectionSpec, CollectionSpecs } from '../schema';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A collection is a table of JSON records, with a generated, indexed column per filtered field. */
export function collectionTableSql(spec: CollectionSpec<unknown>): string[] {
  const table = quote(spec.name);
  const generated = spec.indexed.map(
    (field) => `${quote(field)} GENERATED ALWAYS AS (json_extract(data, '$.${field}')) VIRTUAL`,
  );
  const columns = [
    spec.appendOnly
      ? 'seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE'
      : 'id TEXT PRIMARY KEY',
    'version INTEGER NOT NULL',
    'data TEXT NOT NULL',
    ...generated,
  ];
  const statements = [`CREATE TABLE ${table} (${columns.join(', ')})`];
  for (const field of spec.indexed) {
    statements.push(`CREATE INDEX ${quote(`${spec.name}_${field}`)} ON ${table} (${quote(field)})`);
  }
  if (spec.appendOnly) {
    statements.push(
      `CREATE TRIGGER ${quote(`${spec.name}_no_update`)} BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, 'append-only'); END`,
      `CREATE TRIGGER ${quote(`${spec.name}_no_delete`)} BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'append-only'); END`,
    );
  }
  return statements;
}

export interface Migration {
  version: number;
  name: string;
  /** The collections (by name) whose tables this migration creates. */
  tables: readonly string[];
  /** Further SQL, run after the tables are created. */
  statements?: readonly string[];
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'knowledge, questions, conversations and the audit log',
    tables: ['documents', 'passages', 'questions', 'feedback', 'conversations', 'auditEvents'],
  },
  {
    version: 2,
    name: 'deliveries of the shared sender and scheduled jobs',
    tables: ['deliveries', 'jobs'],
  },
  {
    // numbered after the issue that brought it, so that parallel features' migrations do not collide
    version: 5,
    name: 'awareness campaigns: campaigns, their recipients, named authors',
    tables: ['campaigns', 'campaignRecipients', 'campaignAuthors'],
  },
  {
    // numbered apart from the other features' migrations so that merged branches never share a number
    version: 7,
    name: 'the yearly review: cycles, unit reviews, deputies, sent cards, follow-ups',
    tables: ['reviewCycles', 'unitReviews', 'deputies', 'sentCards', 'followUps'],
  },
  {
    // numbered apart from the other features' migrations (2, 3, …) so that merged branches never share a number
    version: 9,
    name: 'governing document reviews',
    tables: ['documentReviews'],
  },
  {
    // numbered after the issue that brought it
    version: 12,
    name: 'reports of risks, deficiencies and incidents; the audit log culled only by the retention job',
    tables: ['reports'],
    statements: [
      'CREATE TABLE retention_permit (id INTEGER PRIMARY KEY)',
      'DROP TRIGGER "auditEvents_no_delete"',
      `CREATE TRIGGER "auditEvents_no_delete" BEFORE DELETE ON "auditEvents" WHEN NOT EXISTS (SELECT 1 FROM retention_permit) BEGIN SELECT RAISE(ABORT, 'append-only'); END`,
    ],
  },
];

/** The SQL of a migration, from the collected specs; a table no feature declares is a programming error. */
export function migrationSql(migration: Migration, collections: CollectionSpecs): string[] {
  const byName = new Map<string, AnySpec>(Object.values(collections).map((spec) => [spec.name, spec]));
  return migration.tables
    .flatMap((table) => {
      const spec = byName.get(table);
      if (!spec)
        throw new Error(`migration ${migration.version} creates ${table}, which no feature declares`);
      return collectionTableSql(spec as CollectionSpec<unknown>);
    })
    .concat(migration.statements ?? []);
}

/** The collections that no migration creates a table for (the store cannot open with any). */
export function collectionsWithoutTable(
  collections: CollectionSpecs,
  all: readonly Migration[] = migrations,
): string[] {
  const created = new Set(all.flatMap((m) => m.tables));
  return Object.values(collections)
    .map((spec) => spec.name)
    .filter((name) => !created.has(name));
}
