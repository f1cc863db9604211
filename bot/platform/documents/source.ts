/**
 * Where governing documents come from, behind a port the knowledge import reads: files on disk
 * (features/knowledge/source.ts) or the SharePoint document library (store/sharepoint/library.ts).
 */

/**
 * Where governing documents are kept in a document library (the SharePoint library's folder the
 * knowledge import reads; generated reports live in their own folders and are not imported).
 */
export const GOVERNING_FOLDER = 'Styrande dokument';

export interface SourceFile {
  /** Stable across re-imports: the same key replaces the same document. */
  key: string;
  name: string;
  /** A link that opens the document. */
  link: string;
  read(): Promise<Uint8Array>;
}

export interface DocumentSource {
  /** The files to import: every file, or (a source that knows what changed) only the changed ones. */
  list(): Promise<SourceFile[]>;
  /** Keys of documents that left the source since the last import (asked after `list`). */
  removed?(): Promise<string[]>;
}
