import type { StoreCollections } from './schema';

export * from './port';
export type { CollectionSpec, CollectionSpecs, Collections } from './schema';
export { appendOnlyCollection, collection } from './schema';

/**
 * The store: one member per collection the features declared (derived from the collected specs, see
 * ./schema.ts and bot/collections.ts), and a transaction.
 */
export interface Store extends StoreCollections {
  /**
   * Runs `work` as one unit: all of its writes land or none do. Work inside must only use the
   * store handed to it. (SQLite: a transaction. SharePoint has none: each write lands as it is
   * made and, when `work` throws, the writes are taken back in reverse order; a crash of the process
   * in the middle leaves the writes made so far — see store/sharepoint/index.ts.)
   */
  transaction<R>(work: (tx: Store) => Promise<R>): Promise<R>;
  /** The store's real state for /healthz (a cheap probe, and the last failure a write met); absent: not checked. */
  check?(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export interface StoreHealth {
  ok: boolean;
  /** What is wrong, e.g. "damaged: database disk image is malformed" or "full: database or disk is full". */
  problem?: string;
}
