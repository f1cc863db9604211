/** The embedded default's document store: files under the data directory, metadata beside them as JSON. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentMetadata } from '../knowledge/model';
import { type DocumentKind, type DocumentStore, folderOf, type StoredDocument } from './port';

export class LocalDocumentStore implements DocumentStore {
  constructor(private readonly dir: string) {}

  async save(
    kind: DocumentKind,
    name: string,
    bytes: Uint8Array,
    metadata: Partial<DocumentMetadata> = {},
  ): Promise<StoredDocument> {
    if (name !== path.basename(name) || name.startsWith('.')) throw new Error(`not a file name: ${name}`);
    const folder = path.join(this.dir, folderOf[kind]);
    await fs.mkdir(folder, { recursive: true });
    const file = path.join(folder, name);
    await fs.writeFile(file, bytes);
    await fs.writeFile(`${file}.metadata.json`, JSON.stringify({ kind, ...metadata }, null, 2));
    return { id: `${kind}/${name}`, name, link: pathToFileURL(file).href };
  }
}
