/**
 * The document store: where generated files (the säkerhetsbokslut as .docx and CSV) and governing
 * documents are kept and linked from. Adapters: local.ts (a folder under the data dir, served at
 * /files; the embedded default) and the SharePoint document library (Graph drive items; a later
 * adapter: simple upload up to 250 MB, an upload session beyond, and metadata as list-item fields).
 *
 * A folder is a path of plain segments ("reports/2026"); putting a name that already exists in
 * the folder replaces the file and keeps its id (SharePoint: conflictBehavior=replace).
 */
import { AppError } from '../errors';

export interface DocumentInfo {
  /** Opaque: a UUID locally, the drive item id in SharePoint. */
  id: string;
  folder: string;
  name: string;
  /** A link that opens the file for people who may see it (webUrl in SharePoint). */
  link: string;
  contentType: string;
  size: number;
  /** ISO time of the last put. */
  modifiedAt: string;
  /** Plain fields such as year, kind, owner (SharePoint: library columns). */
  metadata: Record<string, string>;
}

export interface DocumentStore {
  /** Stores the bytes (replacing a file of the same name in the folder) and returns where it is. */
  put(
    folder: string,
    name: string,
    bytes: Uint8Array,
    options?: { contentType?: string; metadata?: Record<string, string> },
  ): Promise<{ id: string; link: string }>;
  get(id: string): Promise<{ info: DocumentInfo; bytes: Uint8Array } | undefined>;
  /** The files directly in a folder, by name. */
  list(folder: string): Promise<DocumentInfo[]>;
}

/**
 * Names both adapters accept: no path separators or traversal, nothing SharePoint refuses
 * (" * : < > ? / \ | # %, control characters, a leading or trailing space or dot), at most 128
 * characters a segment.
 */
const BAD_NAME = /["*:<>?/\\|#%\p{Cc}]/u;
export function checkName(name: string): string {
  if (
    name === '' ||
    name.length > 128 ||
    BAD_NAME.test(name) ||
    /^[\s.]|[\s.]$/.test(name) ||
    name.startsWith('~$')
  ) {
    throw new AppError({
      id: 'bad_document_name',
      status: 400,
      messageKey: 'documents.badName',
      params: { name },
    });
  }
  return name;
}

/** "reports/2026" → ["reports", "2026"]; every segment is checked like a name. */
export function folderSegments(folder: string): string[] {
  const segments = folder.split('/').filter((s) => s !== '');
  for (const s of segments) checkName(s);
  return segments;
}

/** Content types by file extension, for stored files and the files the service serves. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

export function contentTypeOf(name: string): string {
  const ext = /\.[^.]+$/.exec(name.toLowerCase())?.[0] ?? '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}
