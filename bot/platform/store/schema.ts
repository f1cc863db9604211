/**
 * How a collection is declared. The store knows no feature: each feature declares the collections
 * of its records in its own `collections.ts` (with `collection()` or `appendOnlyCollection()`), the
 * composition level (bot/collections.ts) collects them and fills in `Collections`, and the `Store`
 * type (./index.ts) and both adapters are derived from what was collected. Each spec names the
 * fields it is filtered on (indexed: SQLite generated columns, SharePoint indexed columns).
 */
import type { AppendOnly, Collection } from './port';

/** How an indexed field is stored where the store types its columns (SharePoint); text unless said otherwise. */
export type IndexedType = 'text' | 'number' | 'boolean';

export interface CollectionSpec<T, A extends boolean = boolean> {
  name: string;
  indexed: readonly (keyof T & string)[];
  appendOnly?: A;
  /** Indexed fields that are not text (numbers, booleans). */
  types?: Partial<Record<keyof T & string, IndexedType>>;
  /**
   * Derived from the document library (the knowledge index): on SharePoint these stay in the local
   * SQLite file and have no list.
   */
  derived?: boolean;
  /** Never set: carries the record type so that the Store's member can be derived from the spec. */
  readonly record?: T;
}

export interface CollectionOptions<T> {
  types?: Partial<Record<keyof T & string, IndexedType>>;
  derived?: boolean;
}

/** A collection of versioned records. */
export const collection = <T extends { id: string }>(
  name: string,
  indexed: readonly (keyof T & string)[],
  options: CollectionOptions<T> = {},
): CollectionSpec<T, false> => ({
  name,
  indexed,
  appendOnly: false,
  types: options.types ?? {},
  ...derived(options),
});

/** A log that can only be appended to. */
export const appendOnlyCollection = <T extends { id: string }>(
  name: string,
  indexed: readonly (keyof T & string)[],
  options: CollectionOptions<T> = {},
): CollectionSpec<T, true> => ({
  name,
  indexed,
  appendOnly: true,
  types: options.types ?? {},
  ...derived(options),
});

const derived = (options: CollectionOptions<never>) => (options.derived ? { derived: true } : {});

// biome-ignore lint/suspicious/noExplicitAny: a spec of any record type
export type AnySpec = CollectionSpec<any>;
/** The collected specs by the Store member's name (bot/collections.ts). */
export type CollectionSpecs = Readonly<Record<string, AnySpec>>;

/**
 * The collections Värn keeps, by Store member: filled in by the composition (bot/collections.ts,
 * by module augmentation from the specs it collects). Empty here, because the store knows no feature.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by bot/collections.ts
export interface Collections {}

/** The Store member a spec stands for. */
export type CollectionOf<S> =
  S extends CollectionSpec<infer T extends { id: string }, true>
    ? AppendOnly<T>
    : S extends CollectionSpec<infer T extends { id: string }, false>
      ? Collection<T>
      : never;

export type StoreCollections = { [K in keyof Collections]: CollectionOf<Collections[K]> };
