/**
 * The document library (the site's default drive): governing documents and generated reports,
 * with their metadata in the library's Värn columns (infra/sharepoint/schema.ts `library`).
 *
 * Upload: one PUT below the simple-upload limit (250 MB in Graph's documentation), an upload
 * session above it (byte ranges in multiples of 320 KiB, in order, to the pre-authenticated
 * upload URL, which gets no Authorization header).
 *
 * Reading for knowledge import: the library's delta. The first enumeration lists every file; the
 * deltaLink it ends with is kept, and the next import asks only for what changed since (a 410
 * means the token is too old: enumerate again). Only changed files are downloaded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { library } from '../../../infra/sharepoint/schema';
import { type DocumentKind, type DocumentStore, folderOf, type StoredDocument } from '../../documents/port';
import { type Graph, GraphRequestError } from '../../graph/client';
import type { DocumentMetadata } from '../../knowledge/model';
import type { DocumentSource, SourceFile } from '../../knowledge/source';

export const SIMPLE_UPLOAD_LIMIT = 250 * 1024 * 1024;
export const CHUNK_MULTIPLE = 320 * 1024;

export interface DriveItem {
  id: string;
  name: string;
  webUrl?: string;
  eTag?: string;
  cTag?: string;
  size?: number;
  file?: { mimeType?: string };
  folder?: unknown;
  deleted?: { state?: string };
  parentReference?: { id?: string };
}

export type LibraryMetadata = Partial<DocumentMetadata> & { kind?: DocumentKind };

export interface LibraryOptions {
  /** Files up to this size go in one PUT; larger ones through an upload session. */
  simpleUploadLimit?: number;
  /** Bytes per upload-session request: a multiple of 320 KiB, under 60 MiB. */
  chunkSize?: number;
}

const ITEM_SELECT = 'id,name,webUrl,eTag,cTag,size,file,folder,deleted,parentReference';

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

  private pathOf(folder: string, name: string): string {
    const parts = [...folder.split('/').filter(Boolean), name].map(encodeURIComponent);
    return `${this.drive}/root:/${parts.join('/')}:`;
  }

  async save(
    kind: DocumentKind,
    name: string,
    bytes: Uint8Array,
    metadata: Partial<DocumentMetadata> = {},
  ): Promise<StoredDocument> {
    const item = await this.upload(folderOf[kind], name, bytes, { ...metadata, kind });
    return { id: item.id, name: item.name, link: item.webUrl ?? '' };
  }

  /** Uploads (or replaces) a file and sets its metadata columns; returns the drive item. */
  upload(
    folder: string,
    name: string,
    bytes: Uint8Array,
    metadata: LibraryMetadata = {},
  ): Promise<DriveItem> {
    return this.graph.operation('library.upload', async () => {
      const item =
        bytes.byteLength <= this.simpleUploadLimit
          ? await this.graph.request<DriveItem>('PUT', `${this.pathOf(folder, name)}/content`, {
              body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
              headers: { 'Content-Type': 'application/octet-stream' },
            })
          : await this.uploadInSession(folder, name, bytes);
      const fields: Record<string, unknown> = {};
      for (const column of library.columns) {
        const value = column.field ? (metadata as Record<string, unknown>)[column.field] : undefined;
        if (value !== undefined) fields[column.name] = value;
      }
      if (metadata.title) fields.Title = metadata.title;
      if (Object.keys(fields).length > 0)
        await this.graph.patch(`${this.drive}/items/${item.id}/listItem/fields`, fields);
      return item;
    });
  }

  private async uploadInSession(folder: string, name: string, bytes: Uint8Array): Promise<DriveItem> {
    const session = await this.graph.post<{ uploadUrl: string }>(
      `${this.pathOf(folder, name)}/createUploadSession`,
      {
        item: { '@microsoft.graph.conflictBehavior': 'replace' },
      },
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

  /** The id of a top-level folder, or undefined when there is none. */
  async folderId(name: string): Promise<string | undefined> {
    try {
      return (await this.graph.get<DriveItem>(`${this.pathOf('', name)}?$select=id`)).id;
    } catch (error) {
      if (error instanceof GraphRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  read(itemId: string): Promise<Uint8Array> {
    return this.graph.operation('library.read', () =>
      this.graph.bytes(`${this.drive}/items/${itemId}/content`),
    );
  }

  /**
   * What changed since `token` (every file when there is none): files changed or added, ids of
   * files deleted, and the token to ask with next time.
   */
  changes(token?: string): Promise<{ changed: DriveItem[]; deleted: string[]; token: string }> {
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
          } else if (item.file) {
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
          };
      }
    });
  }
}

/**
 * Knowledge import from the library: lists only the files changed since the last import, and
 * names the removed ones. The delta token is kept in a file beside the local index; it is used
 * only while that index has documents (a lost index means a full enumeration), and it is saved
 * only after an import has gone through (`commit`), so a crash re-reads the same changes.
 */
export class LibrarySource implements DocumentSource {
  private pending?: { token: string; deleted: string[] };

  constructor(
    private readonly library: SharePointLibrary,
    private readonly tokenFile: string,
    private readonly hasDocuments: () => Promise<boolean>,
  ) {}

  private async savedToken(): Promise<string | undefined> {
    if (!(await this.hasDocuments())) return undefined;
    try {
      return fs.readFileSync(this.tokenFile, 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async list(): Promise<SourceFile[]> {
    const { changed, deleted, token } = await this.library.changes(await this.savedToken());
    this.pending = { token, deleted };
    // generated reports live in the library too, but they are not governing documents; delta gives
    // no parentReference.path (Graph: track items by id), so the reports folder is known by its id
    const reports = await this.library.folderId(folderOf.report);
    const governing = changed.filter((item) => !reports || item.parentReference?.id !== reports);
    return governing.map((item) => ({
      key: `sharepoint:${item.id}`,
      name: item.name,
      link: item.webUrl ?? '',
      read: () => this.library.read(item.id),
    }));
  }

  /** Keys of documents deleted from the library since the last import (after `list`). */
  async removed(): Promise<string[]> {
    return (this.pending?.deleted ?? []).map((id) => `sharepoint:${id}`);
  }

  /** Keeps the token of the changes just imported. */
  commit(): void {
    if (!this.pending?.token) return;
    fs.mkdirSync(path.dirname(this.tokenFile), { recursive: true });
    fs.writeFileSync(this.tokenFile, this.pending.token);
  }
}
