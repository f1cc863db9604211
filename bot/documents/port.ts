/**
 * Where documents the product keeps are stored: governing documents and generated reports (the
 * annual report for the board). SharePoint: the site's document library, with the metadata in its
 * columns (bot/store/sharepoint/library.ts); embedded: files in the data directory (local.ts).
 */
import type { DocumentMetadata } from '../knowledge/model';

export type DocumentKind = 'governing' | 'report';

export interface StoredDocument {
  id: string;
  name: string;
  /** Opens the document (webUrl in SharePoint, a file URL locally). */
  link: string;
}

export interface DocumentStore {
  /** Stores (or replaces) `name` among the documents of its kind. */
  save(
    kind: DocumentKind,
    name: string,
    bytes: Uint8Array,
    metadata?: Partial<DocumentMetadata>,
  ): Promise<StoredDocument>;
}

/** The library folder of each kind; knowledge import reads only the governing documents. */
export const folderOf: Record<DocumentKind, string> = { governing: 'Styrande dokument', report: 'Rapporter' };
