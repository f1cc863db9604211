/**
 * The SharePoint schema, declared once and used by provisioning and by the SharePoint adapter.
 * It is derived from the collection specs the features declare (collected in bot/collections.ts),
 * so a collection added there gets its list here without anyone editing this file:
 *
 * - one generic list per collection, recognised by a marker in its description (`[varn:<name>]`)
 *   and by its URL name, so a list an administrator renamed is still ours and is not duplicated;
 * - `VarnId`: the record id, indexed and unique (lookups by id, no duplicate on a retried insert);
 * - `VarnRecord`: the whole record as JSON in a multi-line text column (the truth the adapter reads);
 * - one typed, indexed column per indexed field (`VarnStatus`, …): copies the adapter writes from
 *   the record, kept only so that `$filter` runs on indexed columns.
 *
 * Knowledge passages and the import bookkeeping of documents are not lists: they are a derived
 * index rebuilt from the document library (the truth for governing documents, with their metadata
 * in library columns). Storing hundreds of passage fragments per policy in SharePoint would cost
 * two resource units per item on every re-import, fill the customer's search and retention with
 * copies of text that already lives in the library, and add nothing that a rebuild cannot
 * restore. They stay in the local SQLite cache of the service; a lost cache is a full re-import.
 * Their specs say so (`derived: true`).
 */
import type { CollectionSpec, CollectionSpecs, IndexedType } from '../../schema';

export type ColumnType = IndexedType | 'note' | 'dateTime';

export interface ColumnSpec {
  /** The column's internal (API) name. */
  name: string;
  type: ColumnType;
  indexed: boolean;
  unique?: boolean;
  /** The record field it copies, for indexed columns. */
  field?: string;
}

export interface ListSpec {
  /** The Store collection (or 'library'). */
  key: string;
  displayName: string;
  /** Written into the description when the list is created; how the list is found after a rename. */
  marker: string;
  template: 'genericList' | 'documentLibrary';
  /** The URL name, when it differs from the display name. */
  urlName?: string;
  /** A list the site already has (the default document library): columns are added, it is never created or renamed. */
  adopt?: boolean;
  columns: ColumnSpec[];
  appendOnly: boolean;
}

export const ID_COLUMN = 'VarnId';
export const RECORD_COLUMN = 'VarnRecord';

/** SharePoint keeps at most 32 characters of a column's internal name. */
const MAX_NAME = 32;

export function columnName(field: string): string {
  const name = `Varn${field.charAt(0).toUpperCase()}${field.slice(1)}`;
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name) || name.length > MAX_NAME) {
    throw new Error(
      `the indexed field "${field}" cannot be a SharePoint column name (letters and digits, at most ${MAX_NAME - 4} characters)`,
    );
  }
  return name;
}

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

export const markerOf = (key: string): string => `[varn:${key}]`;

export function listSpecOf(spec: CollectionSpec<unknown>): ListSpec {
  const types = (spec.types ?? {}) as Record<string, IndexedType | undefined>;
  return {
    key: spec.name,
    displayName: `Varn${pascal(spec.name)}`,
    marker: markerOf(spec.name),
    template: 'genericList',
    appendOnly: spec.appendOnly === true,
    columns: [
      { name: ID_COLUMN, type: 'text', indexed: true, unique: true, field: 'id' },
      { name: RECORD_COLUMN, type: 'note', indexed: false },
      ...spec.indexed
        .filter((field) => field !== 'id')
        .map((field) => ({
          name: columnName(field),
          type: types[field] ?? 'text',
          indexed: true,
          field,
        })),
    ],
  };
}

/**
 * The metadata keys a DocumentStore put may carry (bot/documents/port.ts: "plain fields such as
 * year, kind, owner"), each kept in its own library column so that people see, sort and filter
 * them in SharePoint: the annual report's (kind, year, organisation, language) and a governing
 * document's (its front page: type, adopted by and when, case number, owner, validity, next
 * review). Text columns, because the values are plain strings as written ("årligen" is a valid
 * next review). `title` goes to the library's own Title column. A key not declared here is
 * refused by name, so nothing a caller stores is silently dropped.
 */
export const libraryMetadataKeys = [
  'kind',
  'year',
  'language',
  'organisation',
  'documentType',
  'adoptedBy',
  'adoptedDate',
  'caseNumber',
  'owner',
  'validUntil',
  'nextReview',
] as const;

/** The content type a put was given (SharePoint keeps only its own, derived from the name). */
export const CONTENT_TYPE_COLUMN = 'VarnContentType';

/**
 * The document library: governing documents and generated reports, with their metadata as columns.
 * It is the site's default library (URL name "Shared Documents", shown as "Documents" or
 * "Dokument"): Värn adds its columns and leaves its name alone. A dedicated site for the security
 * programme is the expected setup, so the library is the programme's.
 */
export const library: ListSpec = {
  key: 'library',
  displayName: 'Documents',
  urlName: 'Shared Documents',
  adopt: true,
  marker: markerOf('library'),
  template: 'documentLibrary',
  appendOnly: false,
  columns: [
    ...libraryMetadataKeys.map((field) => ({
      name: columnName(field),
      type: 'text' as const,
      indexed: field === 'kind',
      field,
    })),
    { name: CONTENT_TYPE_COLUMN, type: 'text', indexed: false },
  ],
};

/** Every list Värn needs, derived from the Store's collections. */
export function sharePointSchema(collections: CollectionSpecs): ListSpec[] {
  const specs = Object.values(collections) as CollectionSpec<unknown>[];
  return [...specs.filter((s) => !s.derived).map(listSpecOf), library];
}
