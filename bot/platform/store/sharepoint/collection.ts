/**
 * One Store collection on one SharePoint list (schema: bot/platform/store/sharepoint/provisioning/schema.ts). The record is
 * the JSON in `VarnRecord`; the version is the item's eTag; updates send it as If-Match, so a 412
 * is a VersionConflict and nothing is overwritten. Reads always name the fields they need
 * (`$select`, `expand=fields(select=…)`), filter only on indexed columns, and follow nextLink.
 */

import { type BatchRequest, Graph, GraphRequestError } from '../../graph/client';
import {
  type AppendOnly,
  type Collection,
  DuplicateId,
  RecordNotFound,
  type Stored,
  VersionConflict,
  type Where,
} from '../port';
import { type ColumnSpec, ID_COLUMN, type ListSpec, RECORD_COLUMN } from './provisioning/schema';

export interface ListItem {
  id: string;
  eTag?: string;
  fields?: Record<string, unknown>;
}

/** Where a collection lives: the Graph client, the site and the list's id. */
export interface ListAddress {
  graph: Graph;
  siteId: string;
  listId: string;
}

/** An undo step of a SharePoint "transaction" (see index.ts). */
export type Undo = () => Promise<void>;

const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

function literal(column: ColumnSpec, value: unknown): string {
  if (column.type === 'boolean' || column.type === 'number') return String(value);
  return quote(String(value));
}

/** The indexed copy of a field as SharePoint stores it. */
function cell(column: ColumnSpec, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (column.type === 'boolean') return Boolean(value);
  if (column.type === 'number') return Number(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Past the first page, id ranges are read in parallel when at least this share of the ids it spanned matched. */
const DENSE = 0.25;
/** Id ranges in the first parallel round; each round doubles, up to one $batch. */
const FIRST_ROUND = 4;
const MAX_BATCH = 20;

/** How many recently read records a list keeps for undoing a transaction's updates without a read. */
const SEEN_LIMIT = 2000;

/** Whether a write that reported failure after a retry had in fact landed: the stored record is exactly what was sent. */
const landed = <T>(stored: Stored<T> | undefined, value: T): stored is Stored<T> =>
  stored !== undefined && JSON.stringify(stored.value) === JSON.stringify(value);

export class SharePointList<T extends { id: string }> {
  /** item id of each record id seen (an item's id never changes; records are unique by id). */
  private readonly itemIds = new Map<string, string>();
  /** The last value read or written per record id and version (what a compensation restores); bounded. */
  private readonly seen = new Map<string, Stored<T>>();

  constructor(
    readonly spec: ListSpec,
    private readonly at: ListAddress,
  ) {}

  private remember(id: string, stored: Stored<T>): void {
    this.seen.delete(id);
    this.seen.set(id, stored);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.keys().next().value as string);
  }

  get listId(): string {
    return this.at.listId;
  }

  private get base(): string {
    return `/sites/${this.at.siteId}/lists/${this.at.listId}/items`;
  }

  private get graph(): Graph {
    return this.at.graph;
  }

  private readonly select = `$select=id,eTag&$expand=fields($select=${ID_COLUMN},${RECORD_COLUMN})`;

  fieldsOf(value: T): Record<string, unknown> {
    const fields: Record<string, unknown> = { [RECORD_COLUMN]: JSON.stringify(value) };
    for (const column of this.spec.columns) {
      if (column.field) fields[column.name] = cell(column, (value as Record<string, unknown>)[column.field]);
    }
    return fields;
  }

  private fromItem(item: ListItem): Stored<T> {
    const raw = item.fields?.[RECORD_COLUMN];
    if (typeof raw !== 'string')
      throw new Error(`${this.spec.displayName} item ${item.id} has no ${RECORD_COLUMN}`);
    const stored = {
      value: JSON.parse(raw) as T,
      version: String(item.eTag ?? item.fields?.['@odata.etag'] ?? ''),
    };
    this.itemIds.set(stored.value.id, item.id);
    this.remember(stored.value.id, stored);
    return stored;
  }

  /**
   * The server filters on one indexed column (Graph: "when filtering on indexed fields, the service
   * can only filter one indexed field at a time", listitem-list); every term, that one included, is
   * checked here on the records, which also keeps the Store's exact matching where SharePoint
   * compares text without regard to case.
   */
  private filterOf(where: Where<T>): { server?: string; local: [string, unknown][] } {
    const terms = Object.entries(where).filter(([, value]) => value !== undefined);
    for (const [field] of terms) {
      if (!this.spec.columns.some((c) => c.field === field)) {
        throw new Error(
          `${this.spec.key}.${field} is not indexed; declare it in store/schema.ts to filter on it`,
        );
      }
    }
    const first = terms[0];
    if (!first) return { local: [] };
    const column = this.spec.columns.find((c) => c.field === first[0]) as ColumnSpec;
    return { server: `fields/${column.name} eq ${literal(column, first[1])}`, local: terms };
  }

  async query(where: Where<T>): Promise<Stored<T>[]> {
    const { server, local } = this.filterOf(where);
    const items = await this.readAll(server);
    return items
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((item) => this.fromItem(item))
      .filter((s) => local.every(([field, value]) => (s.value as Record<string, unknown>)[field] === value));
  }

  private url(filter?: string): string {
    return `${this.base}?${this.select}${filter ? `&$filter=${encodeURIComponent(filter)}` : ''}`;
  }

  /**
   * Every item matching `filter` (and, when the matches are dense, some that do not: the caller
   * checks every term on the records). Each request filters on at most one indexed field.
   *
   * The first page comes alone (SharePoint pages in item id order). When the server says there is
   * more (nextLink) and at least a quarter of the ids the first page spanned matched, the rest is
   * read in parallel instead of page after page: ranges of item ids after the first page, each
   * about one page wide, filtered on the id alone, sent together in $batch calls, plus one
   * open-ended range after the last that says whether there is still more. The rounds grow (4, 8,
   * 16, then 20 ranges: a $batch) so that a list only a little longer than a page does not cost
   * twenty requests. A range that overflows its page is continued through its own nextLink; holes
   * in the ids (deleted items) only make some ranges come back short; nothing is skipped, because
   * the open-ended range always reaches the end. When the matches are sparse, reading every item
   * after the first match would cost more than it saves: the filtered pages are followed instead.
   */
  private async readAll(filter?: string): Promise<ListItem[]> {
    type Page = { value?: ListItem[]; '@odata.nextLink'?: string };
    const first = await this.graph.get<Page>(this.url(filter));
    const items = [...(first.value ?? [])];
    if (!first['@odata.nextLink']) return items;
    const ids = items.map((i) => Number(i.id));
    const low = Math.min(...ids);
    const high = Math.max(...ids);
    if (items.length === 0 || (filter && items.length / (high - low + 1) < DENSE)) {
      let next: string | undefined = first['@odata.nextLink'];
      while (next) {
        const page: Page = await this.graph.get<Page>(next);
        items.push(...(page.value ?? []));
        next = page['@odata.nextLink'];
      }
      return items;
    }
    // a range of as many ids as the first page had items holds at most a page (fewer where there are holes)
    const width = items.length;
    let from = high + 1;
    for (let round = 0; ; round++) {
      const ranges = Math.min(MAX_BATCH, FIRST_ROUND * 2 ** round);
      const requests: BatchRequest[] = [];
      for (let k = 0; k < ranges - 1; k++) {
        const start = from + k * width;
        requests.push({ method: 'GET', url: this.url(`id ge ${start} and id lt ${start + width}`) });
      }
      const tailFrom = from + (ranges - 1) * width;
      requests.push({ method: 'GET', url: this.url(`id ge ${tailFrom}`) });
      const pages = (await this.graph.batch(requests)).map((r, i) =>
        Graph.check<Page>(r, requests[i] as BatchRequest),
      );
      const tail = pages[pages.length - 1] as Page;
      // overflowing closed ranges: follow their nextLinks (together) until they end
      let overflow = pages.slice(0, -1);
      for (;;) {
        for (const page of overflow) items.push(...(page.value ?? []));
        const links = overflow.map((p) => p['@odata.nextLink']).filter((l): l is string => Boolean(l));
        if (links.length === 0) break;
        const more: BatchRequest[] = links.map((l) => ({ method: 'GET', url: this.graph.relative(l) }));
        overflow = (await this.graph.batch(more)).map((r, i) =>
          Graph.check<Page>(r, more[i] as BatchRequest),
        );
      }
      items.push(...(tail.value ?? []));
      if (!tail['@odata.nextLink'] || !tail.value?.length) return items;
      from = Math.max(...tail.value.map((i) => Number(i.id))) + 1;
    }
  }

  async get(id: string): Promise<Stored<T> | undefined> {
    return (await this.query({ id } as Where<T>))[0];
  }

  async insert(value: T): Promise<{ stored: Stored<T>; undo: Undo }> {
    let item: ListItem;
    const before = this.graph.metrics.current()?.requests ?? 0;
    try {
      item = await this.graph.post<ListItem>(this.base, { fields: this.fieldsOf(value) });
    } catch (error) {
      // VarnId enforces unique values: SharePoint refuses the second item with the same id
      if (!(error instanceof GraphRequestError && error.status === 409)) throw error;
      // ...unless the refused request was our own retry of a POST that had landed before its
      // 503/504 came back: then the item holding exactly this record is ours, not a duplicate
      const retried = (this.graph.metrics.current()?.requests ?? 0) - before > 1;
      const existing = retried ? await this.get(value.id) : undefined;
      if (landed(existing, value)) {
        const itemId = this.itemIds.get(value.id) as string;
        return { stored: existing, undo: () => this.graph.delete(`${this.base}/${itemId}`) };
      }
      throw new DuplicateId(this.spec.key, value.id);
    }
    const stored = { value, version: String(item.eTag ?? item.fields?.['@odata.etag'] ?? '') };
    this.itemIds.set(value.id, item.id);
    this.remember(value.id, stored);
    return { stored, undo: () => this.graph.delete(`${this.base}/${item.id}`) };
  }

  private async itemIdOf(id: string): Promise<string | undefined> {
    const known = this.itemIds.get(id);
    if (known) return known;
    await this.get(id);
    return this.itemIds.get(id);
  }

  async update(value: T, expectedVersion: string): Promise<{ stored: Stored<T>; undo: Undo }> {
    const itemId = await this.itemIdOf(value.id);
    if (!itemId) throw new RecordNotFound(this.spec.key, value.id);
    const before = this.seen.get(value.id);
    const sent = this.graph.metrics.current()?.requests ?? 0;
    let version: string | undefined;
    try {
      const answer = await this.graph.patch<Record<string, unknown>>(
        `${this.base}/${itemId}/fields`,
        this.fieldsOf(value),
        {
          'If-Match': expectedVersion,
        },
      );
      version = answer['@odata.etag'] as string | undefined;
      version ??= (await this.graph.get<ListItem>(`${this.base}/${itemId}?$select=id,eTag`)).eTag ?? '';
    } catch (error) {
      if (!(error instanceof GraphRequestError) || (error.status !== 412 && error.status !== 404))
        throw error;
      this.itemIds.delete(value.id);
      const current = await this.get(value.id);
      // our own retry of a PATCH that had landed before its 503/504 came back: done, not a conflict
      const retried = (this.graph.metrics.current()?.requests ?? 0) - sent > 2;
      if (!(retried && landed(current, value))) {
        if (!current) throw new RecordNotFound(this.spec.key, value.id);
        // 412, or 404 on an item id that is no longer this record's: someone else changed it
        throw new VersionConflict(this.spec.key, value.id);
      }
      version = current.version;
    }
    const stored = { value, version };
    this.remember(value.id, stored);
    const previous = before?.version === expectedVersion ? before.value : undefined;
    const target = this.itemIds.get(value.id) ?? itemId;
    return {
      stored,
      undo: async () => {
        if (!previous)
          throw new Error(`${this.spec.key}/${value.id}: the value before the update is not known`);
        await this.graph.patch(`${this.base}/${target}/fields`, this.fieldsOf(previous), {
          'If-Match': stored.version,
        });
      },
    };
  }

  /** The value an update with this version would replace (read now if not seen). */
  async previous(id: string, version: string): Promise<void> {
    if (this.seen.get(id)?.version !== version) await this.get(id);
  }

  async remove(id: string): Promise<Undo | undefined> {
    const itemId = await this.itemIdOf(id);
    if (!itemId) return undefined;
    const before = this.seen.get(id);
    try {
      await this.graph.delete(`${this.base}/${itemId}`);
    } catch (error) {
      if (!(error instanceof GraphRequestError && error.status === 404)) throw error;
    }
    this.itemIds.delete(id);
    this.seen.delete(id);
    return before ? async () => void (await this.insert(before.value)) : undefined;
  }

  /** Deletes the items of these records in $batch calls (the retention job's culling); returns how many were there. */
  async removeIds(ids: readonly string[]): Promise<number> {
    const known: string[] = [];
    for (const id of ids) {
      const itemId = await this.itemIdOf(id);
      if (itemId) known.push(id);
    }
    const requests: BatchRequest[] = known.map((id) => ({
      method: 'DELETE',
      url: `${this.base}/${this.itemIds.get(id)}`,
    }));
    const responses = await this.graph.batch(requests);
    responses.forEach((response, index) => {
      if (response.status !== 404) Graph.check(response, requests[index] as BatchRequest);
    });
    for (const id of known) {
      this.itemIds.delete(id);
      this.seen.delete(id);
    }
    return known.length;
  }

  async removeWhere(where: Where<T>): Promise<{ count: number; undo: Undo }> {
    if (Object.values(where).every((v) => v === undefined))
      throw new Error(`refusing to remove every record of ${this.spec.key}`);
    const doomed = await this.query(where);
    const requests: BatchRequest[] = doomed.map((s) => ({
      method: 'DELETE',
      url: `${this.base}/${this.itemIds.get(s.value.id)}`,
    }));
    const responses = await this.graph.batch(requests);
    responses.forEach((response, index) => {
      if (response.status !== 404) Graph.check(response, requests[index] as BatchRequest);
    });
    for (const s of doomed) {
      this.itemIds.delete(s.value.id);
      this.seen.delete(s.value.id);
    }
    return {
      count: doomed.length,
      undo: async () => {
        for (const s of doomed) await this.insert(s.value);
      },
    };
  }
}

/** The Collection port on a list, outside a transaction (undo steps are dropped). */
export class SharePointCollection<T extends { id: string }> implements Collection<T> {
  constructor(
    private readonly target: SharePointList<T>,
    private readonly op: <R>(name: string, work: () => Promise<R>) => Promise<R>,
    private readonly journal?: (undo: Undo) => void,
  ) {}
  private name(verb: string): string {
    return `store.${this.target.spec.key}.${verb}`;
  }
  get(id: string) {
    return this.op(this.name('get'), () => this.target.get(id));
  }
  insert(value: T) {
    return this.op(this.name('insert'), async () => {
      const { stored, undo } = await this.target.insert(value);
      this.journal?.(undo);
      return stored;
    });
  }
  update(value: T, expectedVersion: string) {
    return this.op(this.name('update'), async () => {
      if (this.journal) await this.target.previous(value.id, expectedVersion);
      const { stored, undo } = await this.target.update(value, expectedVersion);
      this.journal?.(undo);
      return stored;
    });
  }
  find(where: Where<T>) {
    return this.op(this.name('find'), () => this.target.query(where));
  }
  list() {
    return this.op(this.name('list'), () => this.target.query({}));
  }
  remove(id: string) {
    return this.op(this.name('remove'), async () => {
      const undo = await this.target.remove(id);
      if (undo) this.journal?.(undo);
    });
  }
  removeWhere(where: Where<T>) {
    return this.op(this.name('removeWhere'), async () => {
      const { count, undo } = await this.target.removeWhere(where);
      this.journal?.(undo);
      return count;
    });
  }
}

/** Append-only through the product: there is no update or delete here. */
export class SharePointLog<T extends { id: string }> implements AppendOnly<T> {
  constructor(
    private readonly target: SharePointList<T>,
    private readonly op: <R>(name: string, work: () => Promise<R>) => Promise<R>,
    private readonly journal?: (undo: Undo) => void,
  ) {}
  append(value: T) {
    return this.op(`store.${this.target.spec.key}.append`, async () => {
      const { undo } = await this.target.insert(value);
      // only a failed transaction takes its own event back; nothing else can
      this.journal?.(undo);
    });
  }
  find(where: Where<T>) {
    return this.op(`store.${this.target.spec.key}.find`, async () =>
      (await this.target.query(where)).map((s) => s.value),
    );
  }
  /** The retention job's culling: not journalled, so a failed transaction does not bring culled entries back. */
  cull(ids: readonly string[]) {
    return this.op(`store.${this.target.spec.key}.cull`, () => this.target.removeIds(ids));
  }
}
