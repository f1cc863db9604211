/**
 * Versioned migrations, applied in order, each in its own transaction, recorded in schema_migrations.
 * Never edit a released migration: add the next one.
 */
import { type CollectionSpec, collections } from '../schema';

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
  statements: string[];
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'knowledge, questions, conversations and the audit log',
    statements: [
      collections.documents,
      collections.passages,
      collections.questions,
      collections.feedback,
      collections.conversations,
      collections.auditEvents,
    ].flatMap((spec) => collectionTableSql(spec as CollectionSpec<unknown>)),
  },
  {
    version: 2,
    name: 'deliveries of the shared sender and scheduled jobs',
    statements: [collections.deliveries, collections.jobs].flatMap((spec) =>
      collectionTableSql(spec as CollectionSpec<unknown>),
    ),
  },
  {
    // numbered after the issue that brought it, so that parallel features' migrations do not collide
    version: 5,
    name: 'awareness campaigns: campaigns, their recipients, named authors',
    statements: [collections.campaigns, collections.campaignRecipients, collections.campaignAuthors].flatMap(
      (spec) => collectionTableSql(spec as CollectionSpec<unknown>),
    ),
  },
  {
    // numbered apart from the other features' migrations so that merged branches never share a number
    version: 7,
    name: 'the yearly review: cycles, unit reviews, deputies, sent cards, follow-ups',
    statements: [
      collections.reviewCycles,
      collections.unitReviews,
      collections.deputies,
      collections.sentCards,
      collections.followUps,
    ].flatMap((spec) => collectionTableSql(spec as CollectionSpec<unknown>)),
  },
  {
    // numbered apart from the other features' migrations (2, 3, …) so that merged branches never share a number
    version: 9,
    name: 'governing document reviews',
    statements: collectionTableSql(collections.documentReviews as CollectionSpec<unknown>),
  },
  {
    // numbered after the issue that brought it
    version: 12,
    name: 'reports of risks, deficiencies and incidents; the audit log culled only by the retention job',
    statements: [
      ...collectionTableSql(collections.reports as CollectionSpec<unknown>),
      'CREATE TABLE retention_permit (id INTEGER PRIMARY KEY)',
      'DROP TRIGGER "auditEvents_no_delete"',
      `CREATE TRIGGER "auditEvents_no_delete" BEFORE DELETE ON "auditEvents" WHEN NOT EXISTS (SELECT 1 FROM retention_permit) BEGIN SELECT RAISE(ABORT, 'append-only'); END`,
    ],
  },
];
