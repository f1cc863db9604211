/**
 * The embedded default: the Store on node:sqlite (WAL, one connection, synchronous calls behind the
 * async port). Writes outside a transaction wait for an open transaction to end, so a rollback
 * never takes someone else's write with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { Store } from '..';
import {
  type AppendOnly,
  type Collection,
  DuplicateId,
  RecordNotFound,
  type Stored,
  VersionConflict,
  type Where,
} from '../port';
import type { AnySpec, CollectionSpec, CollectionSpecs } from '../schema';
import { collectionsWithoutTable, migrationSql, migrations } from './migrations';

interface Row {
  id: string;
  version: number;
  data: string;
}

class Gate {
  private open: Promise<void> | undefined;
  /** The open transaction, if any. Writers check it and write in the same tick, so none lands inside another's transaction. */
  current(): Promise<void> | undefined {
    return this.open;
  }
  async wait(): Promise<void> {
    while (this.open) await this.open;
  }
  async hold<R>(work: () => Promise<R>): Promise<R> {
    // checked and taken in the same tick: two transactions that waited together must not both begin
    while (this.open) await this.open;
    let release!: () => void;
    this.open = new Promise((resolve) => {
      release = resolve;
    });
    try {
      return await work();
    } finally {
      this.open = undefined;
      release();
    }
  }
}

function whereSql<T>(spec: CollectionSpec<T>, where: Where<T>): { sql: string; params: SQLInputValue[] } {
  const clauses: string[] = [];
  const params: SQLInputValue[] = [];
  for (const [field, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (!spec.indexed.includes(field as keyof T & string)) {
      throw new Error(`${spec.name}.${field} is not indexed; declare it in store/schema.ts to filter on it`);
    }
    clauses.push(`"${field}" = ?`);
    params.push(typeof value === 'boolean' ? Number(value) : (value as SQLInputValue));
  }
  return { sql: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Prepared statements, kept per connection: preparing costs more than running a small statement. */
const prepared = new WeakMap<DatabaseSync, Map<string, StatementSync>>();
function statement(db: DatabaseSync, sql: string): StatementSync {
  let cache = prepared.get(db);
  if (!cache) {
    cache = new Map();
    prepared.set(db, cache);
  }
  let found = cache.get(sql);
  if (!found) {
    found = db.prepare(sql);
    cache.set(sql, found);
  }
  return found;
}

const toStored = <T>(row: Row): Stored<T> => ({
  value: JSON.parse(row.data) as T,
  version: String(row.version),
});

class SqliteCollection<T extends { id: string }> implements Collection<T> {
  constructor(
    private readonly db: DatabaseSync,
    private readonly spec: CollectionSpec<T>,
    /** The open transaction to wait for, if any (checked again after waiting: another may have begun). */
    private readonly ready: () => Promise<void> | undefined,
  ) {}

  private get table() {
    return `"${this.spec.name}"`;
  }

  async get(id: string): Promise<Stored<T> | undefined> {
    for (let open = this.ready(); open; open = this.ready()) await open;
    const row = statement(this.db, `SELECT id, version, data FROM ${this.table} WHERE id = ?`).get(id) as
      | Row
      | undefined;
    return row ? toStored<T>(row) : undefined;
  }

  async insert(value: T): Promise<Stored<T>> {
    for (let open = this.ready(); open; open = this.ready()) await open;
    try {
      statement(this.db, `INSERT INTO ${this.table} (id, version, data) VALUES (?, 1, ?)`).run(
        value.id,
        JSON.stringify(value),
      );
    } catch (error) {
      // (not `instanceof Error`: node:sqlite's errors may come from another realm, as under jest)
      if (/UNIQUE constraint failed/.test(String((error as { message?: unknown }).message))) {
        throw new DuplicateId(this.spec.name, value.id);
      }
      throw error;
    }
    return { value, version: '1' };
  }

  async update(value: T, expectedVersion: string): Promise<Stored<T>> {
    for (let open = this.ready(); open; open = this.ready()) await open;
    const next = Number(expectedVersion) + 1;
    const result = statement(
      this.db,
      `UPDATE ${this.table} SET data = ?, version = ? WHERE id = ? AND version = ?`,
    ).run(JSON.stringify(value), next, value.id, Number(expectedVersion));
    if (result.changes === 0) {
      const exists = statement(this.db, `SELECT 1 FROM ${this.table} WHERE id = ?`).get(value.id);
      if (!exists) throw new RecordNotFound(this.spec.name, value.id);
      throw new VersionConflict(this.spec.name, value.id);
    }
    return { value, version: String(next) };
  }

  async find(where: Where<T>): Promise<Stored<T>[]> {
    for (let open = this.ready(); open; open = this.ready()) await open;
    const { sql, params } = whereSql(this.spec, where);
    const rows = statement(this.db, `SELECT id, version, data FROM ${this.table}${sql} ORDER BY rowid`).all(
      ...params,
    ) as unknown as Row[];
    return rows.map((row) => toStored<T>(row));
  }

  async list(): Promise<Stored<T>[]> {
    return this.find({});
  }

  async remove(id: string): Promise<void> {
    for (let open = this.ready(); open; open = this.ready()) await open;
    statement(this.db, `DELETE FROM ${this.table} WHERE id = ?`).run(id);
  }

  async removeWhere(where: Where<T>): Promise<number> {
    for (let open = this.ready(); open; open = this.ready()) await open;
    const { sql, params } = whereSql(this.spec, where);
    if (!sql) throw new Error(`refusing to remove every record of ${this.spec.name}`);
    return Number(statement(this.db, `DELETE FROM ${this.table}${sql}`).run(...params).changes);
  }
}

class SqliteLog<T extends { id: string }> implements AppendOnly<T> {
  constructor(
    private readonly db: DatabaseSync,
    private readonly spec: CollectionSpec<T>,
    /** The open transaction to wait for, if any (checked again after waiting: another may have begun). */
    private readonly ready: () => Promise<void> | undefined,
  ) {}
  async append(value: T): Promise<void> {
    for (let open = this.ready(); open; open = this.ready()) await open;
    statement(this.db, `INSERT INTO "${this.spec.name}" (id, version, data) VALUES (?, 1, ?)`).run(
      value.id,
      JSON.stringify(value),
    );
  }
  async find(where: Where<T>): Promise<T[]> {
    for (let open = this.ready(); open; open = this.ready()) await open;
    const { sql, params } = whereSql(this.spec, where);
    const rows = statement(
      this.db,
      `SELECT id, version, data FROM "${this.spec.name}"${sql} ORDER BY seq`,
    ).all(...params) as unknown as Row[];
    return rows.map((row) => JSON.parse(row.data) as T);
  }
  async cull(ids: readonly string[]): Promise<number> {
    for (let open = this.ready(); open; open = this.ready()) await open;
    if (ids.length === 0) return 0;
    // the log's delete trigger lets a row go only while the retention job holds its permit (migration 12)
    this.db.exec('SAVEPOINT cull');
    try {
      statement(this.db, 'INSERT INTO retention_permit (id) VALUES (1)').run();
      let removed = 0;
      for (const id of ids)
        removed += Number(statement(this.db, `DELETE FROM "${this.spec.name}" WHERE id = ?`).run(id).changes);
      statement(this.db, 'DELETE FROM retention_permit').run();
      this.db.exec('RELEASE cull');
      return removed;
    } catch (error) {
      this.db.exec('ROLLBACK TO cull');
      this.db.exec('RELEASE cull');
      throw error;
    }
  }
}

export function migrate(db: DatabaseSync, collections: CollectionSpecs): number[] {
  const missing = collectionsWithoutTable(collections);
  if (missing.length > 0)
    throw new Error(
      `no SQLite migration creates a table for ${missing.join(', ')}: add one in migrations.ts`,
    );
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const done = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const statement of migrationSql(migration, collections)) db.exec(statement);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
      db.exec('COMMIT');
      applied.push(migration.version);
    } catch (error) {
      db.exec('ROLLBACK');
      throw new Error(
        `migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return applied;
}

/**
 * Opens (and migrates) the SQLite store at `file`, or in memory for ':memory:', with a table for each
 * of the collected `collections` (bot/collections.ts).
 */
export function openSqliteStore(file: string, collections: CollectionSpecs): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON',
  );
  migrate(db, collections);
  const gate = new Gate();

  const specs = Object.entries(collections) as [string, AnySpec][];
  const build = (ready: () => Promise<void> | undefined): Omit<Store, 'transaction' | 'close'> =>
    Object.fromEntries(
      specs.map(([member, spec]) => [
        member,
        spec.appendOnly ? new SqliteLog(db, spec, ready) : new SqliteCollection(db, spec, ready),
      ]),
    ) as unknown as Omit<Store, 'transaction' | 'close'>;

  let closed = false;
  const outside = build(() => gate.current());
  const inside = build(() => undefined);
  const store: Store = {
    ...outside,
    transaction: (work) =>
      gate.hold(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const txStore: Store = {
            ...inside,
            transaction: (nested) => nested(txStore),
            close: store.close,
          };
          const result = await work(txStore);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: async () => {
      if (closed) return;
      await gate.wait();
      closed = true;
      db.close();
    },
  };
  return store;
}
