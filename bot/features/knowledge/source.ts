/**
 * Where governing documents come from, behind a port: a folder or files on disk here; the
 * SharePoint document library in production (platform/store/sharepoint/library.ts, LibrarySource).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentSource, SourceFile } from '../../platform/documents/source';

export { type DocumentSource, GOVERNING_FOLDER, type SourceFile } from '../../platform/documents/source';

/** Files and folders on disk (folders are read recursively; hidden files are skipped). */
export class FileSystemSource implements DocumentSource {
  /** `linkBase`: documents are linked as {linkBase}/{file name} (served by the service); otherwise as file URLs. */
  constructor(
    private readonly paths: string[],
    private readonly linkBase?: string,
  ) {}

  async list(): Promise<SourceFile[]> {
    const files: string[] = [];
    for (const p of this.paths) await collect(path.resolve(p), files);
    return files.sort().map((file) => ({
      key: `file:${path.basename(file)}`,
      name: path.basename(file),
      link: this.linkBase
        ? `${this.linkBase}/${encodeURIComponent(path.basename(file))}`
        : pathToFileURL(file).href,
      read: async () => new Uint8Array(await fs.readFile(file)),
    }));
  }
}

async function collect(p: string, into: string[]): Promise<void> {
  const stat = await fs.stat(p);
  if (stat.isDirectory()) {
    for (const entry of await fs.readdir(p)) {
      if (entry.startsWith('.') || entry.toLowerCase() === 'readme.md') continue;
      await collect(path.join(p, entry), into);
    }
  } else {
    // unsupported files are listed too, so that the import names them instead of skipping them silently
    into.push(p);
  }
}
