/**
 * The embedded default's document store: files in a folder under the data dir, laid out as the
 * folders say (so an administrator finds them), each described by `.meta/<id>.json`. Served at
 * /files/<id>/<name>: the link names the file by its random id, so nothing outside the store (and
 * no guessed name) can be reached through it. Writes go to a temporary file that is renamed into
 * place, so a crash never leaves half a file.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { checkName, contentTypeOf, type DocumentInfo, type DocumentStore, folderSegments } from './port';

const META = '.meta';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface MetaFile extends Omit<DocumentInfo, 'link'> {}

export class LocalDocumentStore implements DocumentStore {
  private readonly root: string;
  private queue: Promise<unknown> = Promise.resolve();

  /** `linkBase`: the public URL of the files route, e.g. http://localhost:3978/files. */
  constructor(
    root: string,
    private readonly linkBase: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.root = path.resolve(root);
  }

  private linkOf(meta: MetaFile): string {
    return `${this.linkBase}/${meta.id}/${encodeURIComponent(meta.name)}`;
  }

  private inside(...segments: string[]): string {
    const file = path.resolve(this.root, ...segments);
    if (!file.startsWith(this.root + path.sep)) throw new Error(`${file} is outside the document store`);
    return file;
  }

  private async allMeta(): Promise<MetaFile[]> {
    let entries: string[];
    try {
      entries = await fs.readdir(this.inside(META));
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw error;
    }
    const metas: MetaFile[] = [];
    for (const entry of entries) {
      if (!entry.endsWith('.json') || !ID.test(entry.slice(0, -5))) continue;
      metas.push(JSON.parse(await fs.readFile(this.inside(META, entry), 'utf8')) as MetaFile);
    }
    return metas;
  }

  private async writeAtomically(file: string, bytes: Uint8Array | string): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
    await fs.writeFile(temporary, bytes);
    await fs.rename(temporary, file);
  }

  /** One put at a time, so that two puts of the same name cannot make two ids. */
  private serial<R>(work: () => Promise<R>): Promise<R> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async put(
    folder: string,
    name: string,
    bytes: Uint8Array,
    options: { contentType?: string; metadata?: Record<string, string> } = {},
  ): Promise<{ id: string; link: string }> {
    const segments = folderSegments(folder);
    checkName(name);
    return await this.serial(async () => {
      const folderPath = segments.join('/');
      const existing = (await this.allMeta()).find((m) => m.folder === folderPath && m.name === name);
      const meta: MetaFile = {
        id: existing?.id ?? randomUUID(),
        folder: folderPath,
        name,
        contentType: options.contentType ?? contentTypeOf(name),
        size: bytes.byteLength,
        modifiedAt: this.clock().toISOString(),
        metadata: { ...(options.metadata ?? {}) },
      };
      await this.writeAtomically(this.inside(...segments, name), bytes);
      await this.writeAtomically(this.inside(META, `${meta.id}.json`), JSON.stringify(meta, null, 2));
      return { id: meta.id, link: this.linkOf(meta) };
    });
  }

  async get(id: string): Promise<{ info: DocumentInfo; bytes: Uint8Array } | undefined> {
    if (!ID.test(id)) return undefined;
    let meta: MetaFile;
    try {
      meta = JSON.parse(await fs.readFile(this.inside(META, `${id}.json`), 'utf8')) as MetaFile;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
    const file = this.inside(...folderSegments(meta.folder), checkName(meta.name));
    try {
      return { info: { ...meta, link: this.linkOf(meta) }, bytes: new Uint8Array(await fs.readFile(file)) };
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(folder: string): Promise<DocumentInfo[]> {
    const folderPath = folderSegments(folder).join('/');
    return (await this.allMeta())
      .filter((m) => m.folder === folderPath)
      .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
      .map((m) => ({ ...m, link: this.linkOf(m) }));
  }
}
