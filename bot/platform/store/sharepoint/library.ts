/**
 * The DocumentStore (bot/documents/port.ts) on the site's document library (its default drive):
 * governing documents and generated reports, in folders, with their metadata in the library's Värn
 * columns (bot/platform/store/sharepoint/provisioning/schema.ts `library`).
 *
 * Put: one PUT below the simple-upload limit (250 MB in Graph's documentation), an upload session
 * above it (byte ranges in multiples of 320 KiB, in order, to the pre-authenticated upload URL,
 * which gets no Authorization header); both replace a file of the same name, which keeps its drive
 * item id. Then one PATCH of the file's list item sets every metadata column (those not given are
 * cleared, so a put means the same as on the local adapter). A crash between the two leaves the new
 * bytes with the old metadata until the next put; nothing is lost or doubled.
 *
 * Reading for knowledge import: the library's delta. The first enumeration lists every item; the
 * deltaLink it ends with is kept, and the next import asks only for what changed since (a 410
 * means the token is too old: enumerate again). Only changed files are downloaded.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  checkName,
  contentTypeOf,
  type DocumentInfo,
  type DocumentStore,
  folderSegments,
} from '../../documents/port';
import { type DocumentSource, GOVERNING_FOLDER, type SourceFile } from '../../documents/source';
import { type Graph, GraphRequestError } from '../../graph/client';
import { CONTENT_TYPE_COLUMN, columnName, libraryMetadataKeys } from './provisioning/schema';

export const SIMPLE_UPLOAD_LIMIT = 250 * 1024 * 1024;
export const CHUNK_MULTIPLE = 320 * 1024;

export interface DriveItem {
  id: string;
  name: string;
  webUrl?: string;
  eTag?: string;
  cTag?: string;
  size?: number;
  lastModifiedDateTime?: string;
  file?: { mimeType?: string };
  folder?: unknown;
  root?: unknown;
  deleted?: { state?: string };
  parentReference?: { id?: string; path?: string };
  listItem?: { fields?: Record<string, unknown> };
}

export interface LibraryOptions {
  /** Files up to this size go in one PUT; larger ones through an upload session. */
  simpleUploadLimit?: number;
  /** Bytes per upload-session request: a multiple of 320 KiB, under 60 MiB. */
  chunkSize?: number;
}

const ITEM_SELECT = 'id,name,webUrl,eTag,cTag,size,file,folder,root,deleted,parentReference';
const metadataColumns = libraryMetadataKeys.map((key) => ({ key, column: columnName(key) }));
const FIELDS_SELECT = ['Title', CONTENT_TYPE_COLUMN, ...metadataColumns.map((c) => c.column)].join(',');
const INFO_QUERY = `$select=id,name,webUrl,size,file,folder,lastModifiedDateTime,parentReference&$expand=listItem($select=id;$expand=fields($select=${FIELDS_SELECT}))`;
/** Drive item ids as Graph gives them (letters, digits, and ! - _ in some drives); anything else is not looked up. */
const ITEM_ID = /^[A-Za-z0-9!_-]{1,128}$/;

const encodePath = (segments: string[]) => segments.map(encodeURIComponent).join('/');

const notFound = (error: unknown) =>
  error instanceof GraphRequestError && (error.status === 404 || error.status === 400);

export class SharePointLibrary implements DocumentStore {
  private readonly simpleUploadLimit: number;
  private readonly chunkSize: number;

  constructor(
    private readonly graph: Graph,
    private readonly siteId: string,
    options: LibraryOptions = {},
  ) {
    this.simpleUploadLimit = options.simpleUploadLimit ?? SIMPLE_UPLOAD_LIMIT;
    this.chunkSize = options.chunkSize ?? 10 * CHUNK_MULTIPLE;
    if (this.chunkSize % CHUNK_MULTIPLE !== 0 || this.chunkSize >= 60 * 1024 * 1024) {
      throw new Error('chunkSize must be a multiple of 320 KiB and under 60 MiB');
    }
  }

  private get drive(): string {
    return `/sites/${this.siteId}/drive`;
  }

  /** The path-addressed item: `/drive/root:/a/b:` (or the root itself). */
  private pathOf(segments: string[]): string {
    return segments.length === 0 ? `${this.drive}/root` : `${this.drive}/root:/${encodePath(segments)}:`;
  }

  /** The library columns of a put: every metadata column (cleared when not given), the content type, the title. */
  private fieldsOf(contentType: string, metadata: Record<string, string>): Record<string, unknown> {
    const unknown = Object.keys(metadata).filter(
      (key) => key !== 'title' && !(libraryMetadataKeys as readonly string[]).includes(key),
    );
    if (unknown.length > 0) {
      throw new Error(
        `document metadata ${unknown.join(', ')} has no library column; declare it in bot/platform/store/sharepoint/provisioning/schema.ts`,
      );
    }
    const fields: Record<string, unknown> = {
      Title: metadata.title ?? null,
      [CONTENT_TYPE_COLUMN]: contentType,
    };
    for (const { key, column } of metadataColumns) fields[column] = metadata[key] ?? null;
    return fields;
  }

  async put(
    folder: string,
    name: string,
    bytes: Uint8Array,
    options: { contentType?: string; metadata?: Record<string, string> } = {},
  ): Promise<{ id: string; link: string }> {
    const segments = [...folderSegments(folder), checkName(name)];
    const fields = this.fieldsOf(options.contentType ?? contentTypeOf(name), options.metadata ?? {});
    return await this.graph.operation('library.put', async () => {
      const item =
        bytes.byteLength <= this.simpleUploadLimit
          ? await this.graph.request<DriveItem>('PUT', `${this.pathOf(segments)}/content`, {
              body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
              headers: { 'Content-Type': 'application/octet-stream' },
            })
          : await this.uploadInSession(segments, bytes);
      await this.graph.patch(`${this.drive}/items/${item.id}/listItem/fields`, fields);
      return { id: item.id, link: item.webUrl ?? '' };
    });
  }

  private async uploadInSession(segments: string[], bytes: Uint8Array): Promise<DriveItem> {
    const session = await this.graph.post<{ uploadUrl: string }>(
      `${this.pathOf(segments)}/createUploadSession`,
      { item: { '@microsoft.graph.conflictBehavior': 'replace' } },
    );
    let last: unknown;
    for (let start = 0; start < bytes.byteLength; start += this.chunkSize) {
      const end = Math.min(start + this.chunkSize, bytes.byteLength);
      last = await this.graph.uploadRange(
        session.uploadUrl,
        bytes.subarray(start, end),
        start,
        bytes.byteLength,
      );
    }
    return last as DriveItem;
  }

  private infoOf(item: DriveItem, folder: string): DocumentInfo {
    const fields = item.listItem?.fields ?? {};
    const metadata: Record<string, string> = {};
    if (typeof fields.Title === 'string' && fields.Title !== '') metadata.title = fields.Title;
    for (const { key, column } of metadataColumns) {
      const value = fields[column];
      if (typeof value === 'string' && value !== '') metadata[key] = value;
    }
    const stored = fields[CONTENT_TYPE_COLUMN];
    const byName = contentTypeOf(item.name);
    const contentType =
      typeof stored === 'string' && stored !== ''
        ? stored
        : byName === 'application/octet-stream'
          ? item.file?.mimeType || byName
          : byName;
    return {
      id: item.id,
      folder,
      name: item.name,
      link: item.webUrl ?? '',
      contentType,
      size: item.size ?? 0,
      modifiedAt: item.lastModifiedDateTime ?? '',
      metadata,
    };
  }

  get(id: string): Promise<{ info: DocumentInfo; bytes: Uint8Array } | undefined> {
    if (!ITEM_ID.test(id)) return Promise.resolve(undefined);
    return this.graph.operation('library.get', async () => {
      let item: DriveItem;
      try {
        item = await this.graph.get<DriveItem>(`${this.drive}/items/${id}?${INFO_QUERY}`);
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
      if (!item.file) return undefined;
      const info = this.infoOf(item, folderOfPath(item.parentReference?.path));
      try {
        return { info, bytes: await this.read(id) };
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    });
  }

  async list(folder: string): Promise<DocumentInfo[]> {
    const segments = folderSegments(folder);
    return await this.graph.operation('library.list', async () => {
      let children: DriveItem[];
      try {
        children = await this.graph.all<DriveItem>(`${this.pathOf(segments)}/children?${INFO_QUERY}`);
      } catch (error) {
        if (notFound(error)) return [];
        throw error;
      }
      return children
        .filter((item) => item.file)
        .map((item) => this.infoOf(item, segments.join('/')))
        .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
    });
  }

  /** The bytes of a file. */
  read(itemId: string): Promise<Uint8Array> {
    return this.graph.operation('library.read', () =>
      this.graph.bytes(`${this.drive}/items/${itemId}/content`),
    );
  }

  /**
   * What changed since `token` (everything when there is none): items (files and folders) changed
   * or added, ids of items deleted, the token to ask with next time, and whether this was a full
   * enumeration (no token, or the token was refused with 410).
   */
  changes(
    token?: string,
  ): Promise<{ changed: DriveItem[]; deleted: string[]; token: string; full: boolean }> {
    return this.graph.operation('library.delta', async () => {
      let next: string | undefined = token ?? `${this.drive}/root/delta?$select=${ITEM_SELECT}`;
      const changed = new Map<string, DriveItem>();
      const deleted = new Set<string>();
      for (;;) {
        let page: { value?: DriveItem[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
        try {
          page = await this.graph.get(next as string);
        } catch (error) {
          if (error instanceof GraphRequestError && error.status === 410 && token) {
            // the token is too old: enumerate everything again
            return this.changes(undefined);
          }
          throw error;
        }
        for (const item of page.value ?? []) {
          if (item.deleted) {
            changed.delete(item.id);
            deleted.add(item.id);
          } else {
            deleted.delete(item.id);
            changed.set(item.id, item);
          }
        }
        if (page['@odata.nextLink']) next = page['@odata.nextLink'];
        else
          return {
            changed: [...changed.values()],
            deleted: [...deleted],
            token: page['@odata.deltaLink'] ?? '',
            full: token === undefined,
          };
      }
    });
  }
}

/** "/drives/{id}/root:/Säkerhetsbokslut/2026" → "Säkerhetsbokslut/2026" (the root → ""). */
function folderOfPath(parentPath: string | undefined): string {
  const at = parentPath?.indexOf('root:') ?? -1;
  if (!parentPath || at < 0) return '';
  const rest = parentPath.slice(at + 'root:'.length).replace(/^\/+/, '');
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

/** What the import remembers between runs: the delta token and the library's folders. */
interface SourceState {
  token: string;
  rootId?: string;
  /** Folder id → its name and parent's id: delta gives no paths (track items by id), so paths are worked out here. */
  folders: Record<string, { name: string; parentId?: string }>;
}

/**
 * Knowledge import from the library: the governing documents are the files in the folder
 * GOVERNING_FOLDER (and below it); generated reports and anything else in the library are not.
 * Lists only the files changed since the last import, and names the removed ones (deleted, or
 * moved out of the folder). Delta gives no paths, only parent ids, so the library's folders are
 * remembered (from the first enumeration, kept up to date by each delta) beside the token, in a file
 * next to the local index; they are used only while that index has documents (a lost index means a
 * full enumeration), and saved only after an import has gone through (`commit`), so a crash
 * re-reads the same changes.
 */
export class LibrarySource implements DocumentSource {
  private pending?: { state: SourceState; removed: string[] };

  constructor(
    private readonly library: SharePointLibrary,
    private readonly stateFile: string,
    private readonly hasDocuments: () => Promise<boolean>,
    private readonly governingFolder: string = GOVERNING_FOLDER,
  ) {}

  private async saved(): Promise<SourceState | undefined> {
    if (!(await this.hasDocuments())) return undefined;
    try {
      const state = JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as SourceState;
      return typeof state.token === 'string' && state.token !== '' && state.folders ? state : undefined;
    } catch {
      return undefined;
    }
  }

  async list(): Promise<SourceFile[]> {
    const before = await this.saved();
    const { changed, deleted, token, full } = await this.library.changes(before?.token);
    const state: SourceState = {
      token,
      rootId: full ? undefined : before?.rootId,
      folders: full ? {} : { ...(before?.folders ?? {}) },
    };
    for (const id of deleted) delete state.folders[id];
    for (const item of changed) {
      if (item.root !== undefined) state.rootId = item.id;
      else if (item.folder !== undefined)
        state.folders[item.id] = { name: item.name, parentId: item.parentReference?.id };
    }
    const governing = (item: DriveItem): boolean => {
      const folders: string[] = [];
      let at = item.parentReference?.id;
      for (let depth = 0; at && at !== state.rootId && depth < 64; depth++) {
        const folder = state.folders[at];
        if (!folder) break;
        folders.unshift(folder.name);
        at = folder.parentId;
      }
      // reached the root (or, when delta never named the root, the first folder not known as a child of another)
      const top = at === state.rootId || (state.rootId === undefined && !state.folders[at ?? '']);
      return top && folders[0] === this.governingFolder;
    };
    const files = changed.filter((item) => item.file !== undefined);
    const inside = files.filter(governing);
    const outside = files.filter((item) => !governing(item));
    this.pending = {
      state,
      // deleted files, and files moved out of the governing documents (removing a key the index never had is nothing)
      removed: [...deleted, ...outside.map((item) => item.id)].map((id) => `sharepoint:${id}`),
    };
    return inside.map((item) => ({
      key: `sharepoint:${item.id}`,
      name: item.name,
      link: item.webUrl ?? '',
      read: () => this.library.read(item.id),
    }));
  }

  /** Keys of documents that left the governing documents since the last import (after `list`). */
  async removed(): Promise<string[]> {
    return this.pending?.removed ?? [];
  }

  /** Keeps the token and folders of the changes just imported. */
  commit(): void {
    if (!this.pending?.state.token) return;
    fs.mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const temporary = `${this.stateFile}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this.pending.state));
    fs.renameSync(temporary, this.stateFile);
  }
}
