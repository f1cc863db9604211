/**
 * The Store port: named collections of plain records, each with an opaque version
 * (an integer in SQLite, the eTag in SharePoint). Updates name the version they read;
 * a mismatch is a VersionConflict and nothing is written (If-Match semantics).
 * Adapters: sqlite/ (embedded default); a SharePoint adapter passes the same contract tests.
 */
export interface Stored<T> {
  value: T;
  version: string;
}

export type Where<T> = Partial<{
  [K in keyof T]: T[K] extends string | number | boolean | null | undefined ? T[K] : never;
}>;

export interface Collection<T extends { id: string }> {
  get(id: string): Promise<Stored<T> | undefined>;
  /** Fails with DuplicateId when the id exists. */
  insert(value: T): Promise<Stored<T>>;
  /** Writes only when the stored version equals `expectedVersion`; otherwise VersionConflict. */
  update(value: T, expectedVersion: string): Promise<Stored<T>>;
  /** Equality on indexed fields only (SharePoint can filter only on indexed columns). */
  find(where: Where<T>): Promise<Stored<T>[]>;
  list(): Promise<Stored<T>[]>;
  remove(id: string): Promise<void>;
  removeWhere(where: Where<T>): Promise<number>;
}

/** Append-only: the log cannot be edited through the product. */
export interface AppendOnly<T extends { id: string }> {
  append(value: T): Promise<void>;
  find(where: Where<T>): Promise<T[]>;
  /**
   * Removes these entries for good. Only the retention job (gallring, bot/features/reports/retention.ts)
   * calls this, for entries past their retention time; returns how many were removed.
   */
  cull(ids: readonly string[]): Promise<number>;
}

export class VersionConflict extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`${collection}/${id} was changed by someone else`);
    this.name = 'VersionConflict';
  }
}

export class DuplicateId extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`${collection}/${id} already exists`);
    this.name = 'DuplicateId';
  }
}

export class RecordNotFound extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`${collection}/${id} does not exist`);
    this.name = 'RecordNotFound';
  }
}
