/**
 * The stored state of the local Graph endpoint: sites, their lists (generic lists and document libraries),
 * columns, list items, drives and drive items. Plain data plus the rules SharePoint applies to it
 * (column types, read-only and required columns, eTags that change on every write, the change log that
 * drive delta reads). Handlers and test controls both go through these functions, so a change made
 * "behind the adapter's back" follows the same rules as one made over HTTP.
 */

import { randomUUID } from 'node:crypto';
import { type DirectoryState, newDirectoryState } from './directory';
import { GraphError, invalidRequest, isRecord, notFound } from './http';

export type ColumnType =
  | 'text'
  | 'number'
  | 'boolean'
  | 'dateTime'
  | 'choice'
  | 'personOrGroup'
  | 'contentType';
export const COLUMN_TYPES: ColumnType[] = ['text', 'number', 'boolean', 'dateTime', 'choice'];

export interface IdentitySet {
  user?: { displayName: string; id?: string; email?: string };
  application?: { displayName: string; id: string };
}

export interface ColumnRecord {
  id: string;
  name: string;
  displayName: string;
  description: string;
  type: ColumnType;
  /** The type facet as Graph shows it, e.g. `{ allowMultipleLines: false, maxLength: 255 }` for text. */
  facet: Record<string, unknown>;
  indexed: boolean;
  required: boolean;
  hidden: boolean;
  readOnly: boolean;
  enforceUniqueValues: boolean;
  columnGroup: string;
}

export interface ItemRecord {
  id: number;
  guid: string;
  version: number;
  fields: Record<string, unknown>;
  created: string;
  modified: string;
  createdBy: IdentitySet;
  modifiedBy: IdentitySet;
  /** For a document library item: the drive item it describes. */
  driveItemId?: string;
  /** Position in the list's change log (listItem delta). */
  seq: number;
}

export type ListTemplate = 'genericList' | 'documentLibrary';

export interface ListRecord {
  id: string;
  /** The URL name; it never changes after creation (renames change displayName only). */
  name: string;
  displayName: string;
  description: string;
  template: ListTemplate;
  created: string;
  modified: string;
  version: number;
  columns: ColumnRecord[];
  items: Map<number, ItemRecord>;
  nextItemId: number;
  createdBy: IdentitySet;
  /** Change log for listItem delta: the last sequence number, deleted items, and the oldest usable token. */
  seq: number;
  tombstones: Map<number, { seq: number; guid: string }>;
  tokenFloor: number;
}

export interface DriveItemRecord {
  id: string;
  guid: string;
  name: string;
  parentId: string | undefined;
  isFolder: boolean;
  content: Buffer;
  mimeType: string;
  version: number;
  created: string;
  modified: string;
  createdBy: IdentitySet;
  modifiedBy: IdentitySet;
  /** Position in the drive's change log (delta). */
  seq: number;
  deleted: boolean;
  listItemId?: number;
}

export interface DriveRecord {
  id: string;
  name: string;
  listId: string;
  rootId: string;
  items: Map<string, DriveItemRecord>;
  seq: number;
  /** Delta tokens issued before this sequence number are answered with 410 Gone. */
  tokenFloor: number;
}

/** Sites.Selected grants: `write` (read and write), `read` (writes → 403), `none` (everything → 403). */
export type SiteAccess = 'write' | 'read' | 'none';

export interface SiteRecord {
  id: string;
  hostname: string;
  /** Server-relative path, e.g. `/sites/varn` (`/` for the root site). */
  path: string;
  name: string;
  displayName: string;
  description: string;
  created: string;
  modified: string;
  lists: Map<string, ListRecord>;
  drive: DriveRecord;
  /** The app's Sites.Selected grant on this site. */
  access: SiteAccess;
}

export interface GraphState {
  sites: Map<string, SiteRecord>;
  /** Users, groups and Teams app installations (directory.ts). */
  directory: DirectoryState;
}

export function newState(): GraphState {
  return { sites: new Map(), directory: newDirectoryState() };
}

export const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A list item's eTag: `"{GUID},<version>"` (quotes included), as in the listitem-delta response example. */
export const itemETag = (item: ItemRecord): string => `"{${item.guid.toUpperCase()}},${item.version}"`;
/** A drive item's eTag: `"{GUID},<version>"` (driveItem and page resources in the Graph docs). */
export const driveItemETag = (item: DriveItemRecord): string =>
  `"{${item.guid.toUpperCase()}},${item.version}"`;
export const driveItemCTag = (item: DriveItemRecord): string =>
  `"c:{${item.guid.toUpperCase()}},${item.version}"`;
export const listETag = (list: ListRecord): string => `"${list.id},${list.version}"`;

// ---------------------------------------------------------------------------------------------------------------
// Columns

function column(name: string, type: ColumnType, over: Partial<ColumnRecord> = {}): ColumnRecord {
  return {
    id: randomUUID(),
    name,
    displayName: name,
    description: '',
    type,
    facet: defaultFacet(type),
    indexed: false,
    required: false,
    hidden: false,
    readOnly: false,
    enforceUniqueValues: false,
    columnGroup: 'Custom Columns',
    ...over,
  };
}

function defaultFacet(type: ColumnType): Record<string, unknown> {
  switch (type) {
    case 'text':
      return {
        allowMultipleLines: false,
        appendChangesToExistingText: false,
        linesForEditing: 0,
        maxLength: 255,
      };
    case 'number':
      return {
        decimalPlaces: 'automatic',
        displayAs: 'number',
        maximum: 1.7976931348623157e308,
        minimum: -1.7976931348623157e308,
      };
    case 'dateTime':
      return { displayAs: 'default', format: 'dateTime' };
    case 'choice':
      return { allowTextEntry: false, choices: [], displayAs: 'dropDownMenu' };
    default:
      return {};
  }
}

/**
 * Columns every list gets from its template (list-create: "new lists are created with columns defined in the
 * referenced template"). The people columns (Author, Editor) are left out so that the documented Books example,
 * whose custom column is named Author, works; fields still carry AuthorLookupId/EditorLookupId.
 */
function templateColumns(template: ListTemplate): ColumnRecord[] {
  const base = { columnGroup: '_Hidden', readOnly: true };
  const cols = [
    column('Title', 'text', { columnGroup: 'Custom Columns' }),
    column('ID', 'number', { ...base, indexed: true, displayName: 'ID' }),
    column('ContentType', 'contentType', { ...base, displayName: 'Content Type' }),
    column('Created', 'dateTime', { ...base, displayName: 'Created' }),
    column('Modified', 'dateTime', { ...base, displayName: 'Modified' }),
  ];
  if (template === 'documentLibrary')
    cols.push(
      column('FileLeafRef', 'text', { ...base, readOnly: false, required: true, displayName: 'Name' }),
    );
  else cols.push(column('Attachments', 'boolean', { ...base, displayName: 'Attachments' }));
  return cols;
}

const COLUMN_SETTABLE = [
  'displayName',
  'description',
  'indexed',
  'required',
  'hidden',
  'enforceUniqueValues',
  'columnGroup',
] as const;

/** Builds a column from a columnDefinition body (list-post-columns / list-create `columns`). */
export function columnFromDefinition(def: Record<string, unknown>): ColumnRecord {
  const name = def.name;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(name)) {
    throw invalidRequest(`Invalid column name: ${String(name)}`);
  }
  const types = COLUMN_TYPES.filter((t) => isRecord(def[t]));
  if (types.length !== 1)
    throw invalidRequest(
      `Column '${name}' must declare exactly one type facet (${COLUMN_TYPES.join(', ')}).`,
    );
  const type = types[0] as ColumnType;
  const col = column(name, type);
  col.facet = { ...defaultFacet(type), ...(def[type] as Record<string, unknown>) };
  if (type === 'choice' && !Array.isArray(col.facet.choices))
    throw invalidRequest(`Column '${name}' needs choice.choices.`);
  applyColumnPatch(col, def);
  return col;
}

export function applyColumnPatch(col: ColumnRecord, patch: Record<string, unknown>): void {
  if (patch.name !== undefined && patch.name !== col.name)
    throw invalidRequest('The name of a column cannot be changed.', 'propertyNotUpdateable');
  for (const key of COLUMN_SETTABLE) {
    const v = patch[key];
    if (v === undefined) continue;
    if (typeof v !== typeof col[key])
      throw invalidRequest(`Invalid value for ${key}.`, 'invalidParameterFormat');
    (col as unknown as Record<string, unknown>)[key] = v;
  }
  if (isRecord(patch[col.type]))
    col.facet = { ...col.facet, ...(patch[col.type] as Record<string, unknown>) };
}

export function findColumn(list: ListRecord, ref: string): ColumnRecord | undefined {
  const lower = ref.toLowerCase();
  return list.columns.find((c) => c.id === ref) ?? list.columns.find((c) => c.name.toLowerCase() === lower);
}

// ---------------------------------------------------------------------------------------------------------------
// Sites and lists

export interface NewSite {
  hostname?: string;
  path: string;
  displayName?: string;
  description?: string;
}

export function createSite(state: GraphState, spec: NewSite): SiteRecord {
  const hostname = spec.hostname ?? 'contoso.sharepoint.com';
  const path = spec.path === '' ? '/' : spec.path.startsWith('/') ? spec.path : `/${spec.path}`;
  for (const s of state.sites.values()) {
    if (s.hostname === hostname && s.path.toLowerCase() === path.toLowerCase())
      throw new Error(`site ${hostname}:${path} exists`);
  }
  const id = `${hostname},${randomUUID()},${randomUUID()}`;
  const name = path === '/' ? '' : (path.split('/').pop() ?? '');
  const now = nowIso();
  const app: IdentitySet = { user: { displayName: 'System Account' } };
  const library = newList(
    { displayName: 'Documents', name: 'Shared Documents', template: 'documentLibrary' },
    app,
  );
  const rootId = driveItemId();
  const drive: DriveRecord = {
    id: `b!${Buffer.from(randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, ''), 'hex').toString('base64url')}`,
    name: 'Documents',
    listId: library.id,
    rootId,
    items: new Map(),
    seq: 1,
    tokenFloor: 0,
  };
  drive.items.set(rootId, {
    id: rootId,
    guid: randomUUID(),
    name: 'root',
    parentId: undefined,
    isFolder: true,
    content: Buffer.alloc(0),
    mimeType: '',
    version: 1,
    created: now,
    modified: now,
    createdBy: app,
    modifiedBy: app,
    seq: 1,
    deleted: false,
  });
  const site: SiteRecord = {
    id,
    hostname,
    path,
    name,
    displayName: spec.displayName ?? (name || 'Communication site'),
    description: spec.description ?? '',
    created: now,
    modified: now,
    lists: new Map([[library.id, library]]),
    drive,
    access: 'write',
  };
  state.sites.set(id, site);
  return site;
}

export function siteWebUrl(site: SiteRecord): string {
  return `https://${site.hostname}${site.path === '/' ? '' : site.path}`;
}

/** Finds a site by id (`host,guid,guid`), by `host:/path`, by web URL, or `root`. */
export function findSite(state: GraphState, ref: string): SiteRecord | undefined {
  const direct = state.sites.get(ref);
  if (direct) return direct;
  const lower = ref.toLowerCase();
  for (const s of state.sites.values()) {
    if (s.id.toLowerCase() === lower) return s;
    if (`${s.hostname}:${s.path}`.toLowerCase() === lower) return s;
    if (siteWebUrl(s).toLowerCase() === lower.replace(/\/$/, '')) return s;
    if (lower === 'root' && s.path === '/') return s;
  }
  return undefined;
}

/** The list's URL name: the title without characters a URL segment would need to escape (ASCII letters kept). */
function urlName(displayName: string): string {
  const ascii = displayName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]/g, '');
  return ascii || `List${Date.now().toString(36)}`;
}

export function newList(
  spec: { displayName: string; name?: string; description?: string; template?: ListTemplate },
  by: IdentitySet,
): ListRecord {
  const now = nowIso();
  const template = spec.template ?? 'genericList';
  return {
    id: randomUUID(),
    name: spec.name ?? urlName(spec.displayName),
    displayName: spec.displayName,
    description: spec.description ?? '',
    template,
    created: now,
    modified: now,
    version: 1,
    columns: templateColumns(template),
    items: new Map(),
    nextItemId: 1,
    createdBy: by,
    seq: 0,
    tombstones: new Map(),
    tokenFloor: 0,
  };
}

export function findList(site: SiteRecord, ref: string): ListRecord | undefined {
  const direct = site.lists.get(ref) ?? site.lists.get(ref.toLowerCase());
  if (direct) return direct;
  const lower = ref.toLowerCase();
  for (const l of site.lists.values()) {
    if (l.id.toLowerCase() === lower || l.displayName.toLowerCase() === lower) return l;
  }
  return undefined;
}

export function requireList(site: SiteRecord, ref: string): ListRecord {
  const list = findList(site, ref);
  if (!list) throw notFound('The requested list could not be found.');
  return list;
}

export function addList(site: SiteRecord, list: ListRecord): void {
  for (const l of site.lists.values()) {
    if (l.displayName.toLowerCase() === list.displayName.toLowerCase()) {
      throw new GraphError(
        409,
        'nameAlreadyExists',
        'A list, survey, discussion board, or document library with the specified title already exists in this Web site. Please choose another title.',
      );
    }
  }
  site.lists.set(list.id, list);
}

export function touchList(list: ListRecord): void {
  list.version++;
  list.modified = nowIso();
}

// ---------------------------------------------------------------------------------------------------------------
// Items

function checkValue(col: ColumnRecord, value: unknown): unknown {
  if (value === null) {
    if (col.required) throw invalidRequest(`Field '${col.name}' is required.`);
    return null;
  }
  switch (col.type) {
    case 'text':
      if (typeof value !== 'string')
        throw invalidRequest(`Invalid value for field '${col.name}': a text value is expected.`);
      if (
        typeof col.facet.maxLength === 'number' &&
        !col.facet.allowMultipleLines &&
        value.length > col.facet.maxLength
      ) {
        throw invalidRequest(
          `The value of field '${col.name}' is longer than ${col.facet.maxLength} characters.`,
        );
      }
      return value;
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n))
        throw invalidRequest(`Invalid value for field '${col.name}': a number is expected.`);
      return n;
    }
    case 'boolean':
      if (typeof value !== 'boolean')
        throw invalidRequest(`Invalid value for field '${col.name}': a boolean is expected.`);
      return value;
    case 'dateTime': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        throw invalidRequest(`Invalid value for field '${col.name}': a date and time is expected.`);
      }
      return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'choice': {
      if (typeof value !== 'string')
        throw invalidRequest(`Invalid value for field '${col.name}': a choice is expected.`);
      const choices = Array.isArray(col.facet.choices) ? (col.facet.choices as unknown[]) : [];
      if (!col.facet.allowTextEntry && !choices.includes(value)) {
        throw invalidRequest(`The value '${value}' is not one of the choices of field '${col.name}'.`);
      }
      return value;
    }
    default:
      throw invalidRequest(`Field '${col.name}' is read-only.`);
  }
}

/** Validates a fieldValueSet against the list's columns; returns the values as stored. */
export function checkFields(list: ListRecord, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key.startsWith('@odata')) continue;
    const col = list.columns.find((c) => c.name === key);
    if (!col) throw invalidRequest(`Field '${key}' is not recognized`);
    if (col.readOnly) throw invalidRequest(`Field '${key}' is read-only`);
    out[col.name] = checkValue(col, value);
  }
  return out;
}

export function createItem(list: ListRecord, fields: Record<string, unknown>, by: IdentitySet): ItemRecord {
  const values = checkFields(list, fields);
  for (const col of list.columns) {
    if (
      col.required &&
      !col.readOnly &&
      (values[col.name] === undefined || values[col.name] === null || values[col.name] === '')
    ) {
      throw invalidRequest(`Field '${col.name}' is required.`);
    }
  }
  checkUnique(list, values, undefined);
  const now = nowIso();
  const item: ItemRecord = {
    id: list.nextItemId++,
    guid: randomUUID(),
    version: 1,
    fields: values,
    created: now,
    modified: now,
    createdBy: by,
    modifiedBy: by,
    seq: ++list.seq,
  };
  list.items.set(item.id, item);
  return item;
}

/** Removes an item, leaving a tombstone for listItem delta. */
export function deleteItem(list: ListRecord, item: ItemRecord): void {
  list.items.delete(item.id);
  list.tombstones.set(item.id, { seq: ++list.seq, guid: item.guid });
}

function checkUnique(list: ListRecord, values: Record<string, unknown>, selfId: number | undefined): void {
  for (const col of list.columns) {
    if (!col.enforceUniqueValues || values[col.name] === undefined) continue;
    for (const other of list.items.values()) {
      if (other.id !== selfId && other.fields[col.name] === values[col.name]) {
        throw new GraphError(
          409,
          'nameAlreadyExists',
          `The list item could not be added or updated because duplicate values were found in the following field(s) in the list: ${col.name}`,
        );
      }
    }
  }
}

export function updateItem(
  list: ListRecord,
  item: ItemRecord,
  fields: Record<string, unknown>,
  by: IdentitySet,
): void {
  const values = checkFields(list, fields);
  for (const [k, v] of Object.entries(values)) {
    const col = list.columns.find((c) => c.name === k);
    if (col?.required && (v === null || v === '')) throw invalidRequest(`Field '${k}' is required.`);
  }
  checkUnique(list, { ...item.fields, ...values }, item.id);
  Object.assign(item.fields, values);
  item.version++;
  item.modified = nowIso();
  item.modifiedBy = by;
  item.seq = ++list.seq;
}

export function requireItem(list: ListRecord, ref: string): ItemRecord {
  const item = /^\d+$/.test(ref) ? list.items.get(Number(ref)) : undefined;
  if (!item) throw notFound('Item not found');
  return item;
}

/** Compares an If-Match header with the item's current eTag (`*` matches anything; quotes optional). */
export function eTagMatches(header: string | undefined, current: string): boolean {
  if (header === undefined) return true;
  const strip = (s: string): string =>
    s
      .trim()
      .replace(/^W\//, '')
      .replace(/^"(.*)"$/, '$1');
  return header
    .split(/,(?=\s*(?:W\/)?")/)
    .map(strip)
    .some((tag) => tag === '*' || tag === strip(current));
}

// ---------------------------------------------------------------------------------------------------------------
// Drive items

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Drive item ids look like `01` + 32 base32 characters in SharePoint. */
export function driveItemId(): string {
  let out = '01';
  for (let i = 0; i < 32; i++) out += BASE32[Math.floor(Math.random() * 32)];
  return out;
}

export function childrenOf(drive: DriveRecord, parentId: string): DriveItemRecord[] {
  return [...drive.items.values()]
    .filter((i) => i.parentId === parentId && !i.deleted)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function childNamed(drive: DriveRecord, parentId: string, name: string): DriveItemRecord | undefined {
  const lower = name.toLowerCase();
  return childrenOf(drive, parentId).find((c) => c.name.toLowerCase() === lower);
}

export function itemPath(drive: DriveRecord, item: DriveItemRecord): string {
  const names: string[] = [];
  let cur: DriveItemRecord | undefined = item;
  while (cur && cur.parentId !== undefined) {
    names.unshift(cur.name);
    cur = drive.items.get(cur.parentId);
  }
  return `/${names.join('/')}`;
}

const INVALID_NAME = /["*:<>?/\\|]/;

export function bumpDrive(drive: DriveRecord, item: DriveItemRecord): void {
  drive.seq++;
  item.seq = drive.seq;
}

export function newDriveItem(
  drive: DriveRecord,
  parentId: string,
  name: string,
  isFolder: boolean,
  by: IdentitySet,
): DriveItemRecord {
  if (!name || INVALID_NAME.test(name) || name.length > 400)
    throw invalidRequest(`The name '${name}' contains invalid characters.`, 'invalidPath');
  const now = nowIso();
  const item: DriveItemRecord = {
    id: driveItemId(),
    guid: randomUUID(),
    name,
    parentId,
    isFolder,
    content: Buffer.alloc(0),
    mimeType: isFolder ? '' : mimeTypeOf(name),
    version: 1,
    created: now,
    modified: now,
    createdBy: by,
    modifiedBy: by,
    seq: 0,
    deleted: false,
  };
  drive.items.set(item.id, item);
  bumpDrive(drive, item);
  const parent = drive.items.get(parentId);
  if (parent) bumpDrive(drive, parent);
  return item;
}

function mimeTypeOf(name: string): string {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  const types: Record<string, string> = {
    txt: 'text/plain',
    pdf: 'application/pdf',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    json: 'application/json',
    md: 'text/markdown',
    png: 'image/png',
  };
  return types[ext] ?? 'application/octet-stream';
}
