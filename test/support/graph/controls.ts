/**
 * Test controls of the local Graph endpoint: seed sites, lists and files; change things "behind the adapter's
 * back" (drift, another writer); switch faults and permissions; read the stored state and the request counts.
 * Nothing here goes through HTTP, so nothing here is counted as a request.
 */
import { type AuthOptions, issueToken, type TokenStore } from './auth';
import type { HandlerContext } from './context';
import type { DirectoryGroup, DirectoryUser } from './directory';
import { writeFile } from './drive';
import type { FailNextOptions, FaultInjector, GraphFaults } from './faults';
import { fieldsJson, removeColumn } from './lists';
import {
  addList,
  applyColumnPatch,
  childNamed,
  columnFromDefinition,
  createItem,
  createSite,
  deleteItem,
  findColumn,
  findSite,
  type IdentitySet,
  itemETag,
  itemPath,
  type ListRecord,
  newDriveItem,
  newList,
  newState,
  requireItem,
  requireList,
  type SiteAccess,
  type SiteRecord,
  siteWebUrl,
  touchList,
  updateItem,
} from './model';
import type { GraphStats, RecordedGraphRequest, StatsRecorder } from './stats';

export interface SiteSpec {
  path: string;
  hostname?: string;
  displayName?: string;
  description?: string;
}

export interface SiteInfo {
  id: string;
  hostname: string;
  path: string;
  /** `hostname:/path`, the form GET /sites/{hostname}:/{path} takes. */
  byPath: string;
  webUrl: string;
  driveId: string;
  libraryListId: string;
}

export interface SeedList {
  displayName: string;
  description?: string;
  /** columnDefinition bodies, e.g. { name: 'Status', choice: { choices: ['open', 'done'] }, indexed: true }. */
  columns?: Record<string, unknown>[];
  items?: Record<string, unknown>[];
}

export interface ListInfo {
  id: string;
  name: string;
  displayName: string;
  itemIds: string[];
}

export interface ColumnSnapshot {
  id: string;
  name: string;
  displayName: string;
  type: string;
  indexed: boolean;
  required: boolean;
  readOnly: boolean;
}

export interface ItemSnapshot {
  id: string;
  eTag: string;
  version: number;
  /** Column values as Graph returns them in `fields` (includes id, Created, Modified, …). */
  fields: Record<string, unknown>;
  createdBy: IdentitySet;
  lastModifiedBy: IdentitySet;
}

export interface ListSnapshot {
  id: string;
  name: string;
  displayName: string;
  template: string;
  columns: ColumnSnapshot[];
  items: ItemSnapshot[];
}

export interface FileSnapshot {
  id: string;
  path: string;
  size: number;
  content: Buffer;
  eTag: string;
  fields: Record<string, unknown>;
}

export interface GraphControl {
  createSite(spec: SiteSpec): SiteInfo;
  seedList(site: string, spec: SeedList): ListInfo;
  putFile(site: string, path: string, content: Buffer | string, fields?: Record<string, unknown>): string;
  renameList(site: string, list: string, displayName: string): void;
  deleteList(site: string, list: string): void;
  addColumn(site: string, list: string, definition: Record<string, unknown>): void;
  renameColumn(site: string, list: string, column: string, displayName: string): void;
  deleteColumn(site: string, list: string, column: string): void;
  setColumnIndexed(site: string, list: string, column: string, indexed: boolean): void;
  /** Someone else updates the item (its eTag changes); `fields` optional. Returns the new eTag. */
  touchItem(site: string, list: string, itemId: string, fields?: Record<string, unknown>): string;
  deleteItem(site: string, list: string, itemId: string): void;
  denySite(site: string, denied?: boolean): void;
  setSiteAccess(site: string, access: SiteAccess): void;
  /** Someone else adds items to a list; returns their ids. */
  addItems(site: string, list: string, items: Record<string, unknown>[]): string[];
  setFaults(faults: Partial<GraphFaults>): void;
  failNext(n: number, options?: FailNextOptions): void;
  expireTokens(): void;
  /** Delta links issued so far (for the drive, or for the list's items) now answer 410 Gone. */
  expireDeltaTokens(site: string, list?: string): void;
  issueToken(): string;
  stats(): GraphStats;
  resetStats(): void;
  requests(): RecordedGraphRequest[];
  readList(site: string, list: string): ListSnapshot;
  readFiles(site: string): FileSnapshot[];
  sites(): SiteInfo[];
  /** Adds users (with their manager), groups (members: user or group ids) and app catalog ids to the directory. */
  seedDirectory(seed: { users?: DirectoryUser[]; groups?: DirectoryGroup[]; catalogApps?: string[] }): void;
  /** Someone changes a user in Entra behind the app's back (e.g. disables the account or moves department). */
  updateUser(id: string, change: Partial<DirectoryUser>): void;
  /** The tenant's app permission policy blocks the app for the user: installing it answers 403. */
  blockApp(userId: string, appId: string): void;
  /** Catalog app ids installed in the user's personal scope. */
  installedApps(userId: string): string[];
  reset(): void;
}

export interface ControlDeps {
  ctx: HandlerContext;
  faults: FaultInjector;
  stats: StatsRecorder;
  tokens: TokenStore;
  auth: AuthOptions;
  origin: string;
}

export function createControl({ ctx, faults, stats, tokens, auth, origin }: ControlDeps): GraphControl {
  const someoneElse: IdentitySet = ctx.someoneElse;
  function site(ref: string): SiteRecord {
    const s = findSite(ctx.state, ref);
    if (!s) throw new Error(`local Graph: no site ${ref}`);
    return s;
  }

  function siteInfo(s: SiteRecord): SiteInfo {
    return {
      id: s.id,
      hostname: s.hostname,
      path: s.path,
      byPath: `${s.hostname}:${s.path}`,
      webUrl: siteWebUrl(s),
      driveId: s.drive.id,
      libraryListId: s.drive.listId,
    };
  }

  function list(siteRef: string, listRef: string): { s: SiteRecord; l: ListRecord } {
    const s = site(siteRef);
    return { s, l: requireList(s, listRef) };
  }

  function column(l: ListRecord, ref: string) {
    const c = findColumn(l, ref);
    if (!c) throw new Error(`local Graph: no column ${ref} in ${l.displayName}`);
    return c;
  }

  const control: GraphControl = {
    createSite(spec) {
      return siteInfo(createSite(ctx.state, spec));
    },
    seedList(siteRef, spec) {
      const s = site(siteRef);
      const l = newList({ displayName: spec.displayName, description: spec.description }, someoneElse);
      for (const def of spec.columns ?? []) l.columns.push(columnFromDefinition(def));
      addList(s, l);
      const itemIds = (spec.items ?? []).map((fields) => String(createItem(l, fields, someoneElse).id));
      return { id: l.id, name: l.name, displayName: l.displayName, itemIds };
    },
    putFile(siteRef, path, content, fields) {
      const s = site(siteRef);
      const names = path.split('/').filter(Boolean);
      const fileName = names.pop();
      if (!fileName) throw new Error('local Graph: putFile needs a file name');
      let parent = s.drive.items.get(s.drive.rootId);
      for (const n of names) {
        if (!parent) break;
        parent = childNamed(s.drive, parent.id, n) ?? newDriveItem(s.drive, parent.id, n, true, someoneElse);
      }
      if (!parent) throw new Error('local Graph: no root folder');
      const [item] = writeFile(
        { ...ctx, caller: someoneElse },
        s,
        parent,
        fileName,
        Buffer.isBuffer(content) ? content : Buffer.from(content),
        'replace',
      );
      if (fields && item.listItemId !== undefined) {
        const lib = requireList(s, s.drive.listId);
        const li = requireItem(lib, String(item.listItemId));
        updateItem(lib, li, fields, someoneElse);
      }
      return item.id;
    },
    renameList(siteRef, listRef, displayName) {
      const { l } = list(siteRef, listRef);
      l.displayName = displayName;
      touchList(l);
    },
    deleteList(siteRef, listRef) {
      const { s, l } = list(siteRef, listRef);
      s.lists.delete(l.id);
    },
    addColumn(siteRef, listRef, definition) {
      const { l } = list(siteRef, listRef);
      l.columns.push(columnFromDefinition(definition));
      touchList(l);
    },
    renameColumn(siteRef, listRef, col, displayName) {
      const { l } = list(siteRef, listRef);
      applyColumnPatch(column(l, col), { displayName });
      touchList(l);
    },
    deleteColumn(siteRef, listRef, col) {
      const { l } = list(siteRef, listRef);
      removeColumn(l, column(l, col));
    },
    setColumnIndexed(siteRef, listRef, col, indexed) {
      const { l } = list(siteRef, listRef);
      column(l, col).indexed = indexed;
      touchList(l);
    },
    touchItem(siteRef, listRef, itemId, fields = {}) {
      const { l } = list(siteRef, listRef);
      const item = requireItem(l, itemId);
      updateItem(l, item, fields, someoneElse);
      return itemETag(item);
    },
    deleteItem(siteRef, listRef, itemId) {
      const { l } = list(siteRef, listRef);
      deleteItem(l, requireItem(l, itemId));
    },
    denySite(siteRef, denied = true) {
      site(siteRef).access = denied ? 'none' : 'write';
    },
    setSiteAccess(siteRef, access) {
      site(siteRef).access = access;
    },
    addItems(siteRef, listRef, items) {
      const { l } = list(siteRef, listRef);
      return items.map((fields) => String(createItem(l, fields, someoneElse).id));
    },
    setFaults(partial) {
      faults.set(partial);
    },
    failNext(n, opts = {}) {
      faults.failNext(n, opts);
    },
    expireTokens() {
      for (const t of tokens.tokens.values()) t.expiresAt = 0;
    },
    expireDeltaTokens(siteRef, listRef) {
      const s = site(siteRef);
      if (listRef !== undefined) {
        const l = requireList(s, listRef);
        l.tokenFloor = ++l.seq;
        return;
      }
      s.drive.tokenFloor = s.drive.seq + 1;
      s.drive.seq++;
    },
    issueToken() {
      return issueToken(tokens, auth, origin).token;
    },
    stats() {
      return stats.snapshot(faults.unitsSpent);
    },
    resetStats() {
      stats.reset();
      faults.unitsSpent = 0;
    },
    requests() {
      return stats.requests();
    },
    readList(siteRef, listRef) {
      const { l } = list(siteRef, listRef);
      return {
        id: l.id,
        name: l.name,
        displayName: l.displayName,
        template: l.template,
        columns: l.columns.map((c) => ({
          id: c.id,
          name: c.name,
          displayName: c.displayName,
          type: c.type,
          indexed: c.indexed,
          required: c.required,
          readOnly: c.readOnly,
        })),
        items: [...l.items.values()]
          .sort((a, b) => a.id - b.id)
          .map((i) => {
            const { '@odata.etag': _etag, ...fields } = fieldsJson(l, i);
            return {
              id: String(i.id),
              eTag: itemETag(i),
              version: i.version,
              fields,
              createdBy: i.createdBy,
              lastModifiedBy: i.modifiedBy,
            };
          }),
      };
    },
    readFiles(siteRef) {
      const s = site(siteRef);
      const lib = requireList(s, s.drive.listId);
      return [...s.drive.items.values()]
        .filter((i) => !i.deleted && !i.isFolder)
        .map((i) => {
          const li = i.listItemId === undefined ? undefined : lib.items.get(i.listItemId);
          const { '@odata.etag': _etag, ...fields } = li ? fieldsJson(lib, li) : {};
          return {
            id: i.id,
            path: itemPath(s.drive, i),
            size: i.content.length,
            content: Buffer.from(i.content),
            eTag: `"{${i.guid.toUpperCase()}},${i.version}"`,
            fields,
          };
        })
        .sort((a, b) => a.path.localeCompare(b.path));
    },
    sites() {
      return [...ctx.state.sites.values()].map(siteInfo);
    },
    seedDirectory({ users = [], groups = [], catalogApps = [] }) {
      const d = ctx.state.directory;
      for (const u of users) d.users.set(u.id, { ...u });
      for (const g of groups) d.groups.set(g.id, { ...g, members: [...g.members] });
      for (const a of catalogApps) d.catalogApps.add(a);
    },
    updateUser(id, change) {
      const user = ctx.state.directory.users.get(id);
      if (!user) throw new Error(`local Graph: no user ${id}`);
      Object.assign(user, change);
    },
    blockApp(userId, appId) {
      const d = ctx.state.directory;
      d.blocked.set(userId, new Set([...(d.blocked.get(userId) ?? []), appId]));
    },
    installedApps(userId) {
      return [...(ctx.state.directory.installed.get(userId) ?? [])];
    },
    reset() {
      ctx.state = newState();
      ctx.uploads.sessions.clear();
      faults.reset();
      stats.reset();
    },
  };
  return control;
}
