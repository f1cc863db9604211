/** A governing document (styrande dokument) as imported, and its passages. */
export type DocumentType =
  | 'policy'
  | 'strategi'
  | 'riktlinje'
  | 'rutin'
  | 'tillämpningsanvisning'
  | 'handlingsplan'
  | 'beslut'
  | 'övrigt';

export interface DocumentMetadata {
  title: string;
  organisation?: string;
  documentType?: DocumentType;
  adoptedBy?: string;
  adoptedDate?: string;
  caseNumber?: string;
  /** As written: a person, or a role such as "Säkerhetschef". */
  owner?: string;
  validUntil?: string;
  /** When the document is next reviewed, as written: a date ("2027-03-18") or a period ("årligen"). */
  nextReview?: string;
}

export interface DocumentRecord extends DocumentMetadata {
  id: string;
  /** Where it came from, stable across re-imports (file name, or the library item's id). */
  sourceKey: string;
  fileName: string;
  /** A link that opens the document (file URL locally, webUrl in SharePoint). */
  link: string;
  contentHash: string;
  importedAt: string;
  passageCount: number;
}

export interface Passage {
  id: string;
  documentId: string;
  ordinal: number;
  /** The nearest heading, with its number ("2.2 Principer för säkerhetsarbetet"); empty before the first. */
  section: string;
  /** Headings from the top down to `section`. */
  sectionPath: string[];
  text: string;
}

/** One block of a parsed document, in reading order. */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'item'; text: string };

export interface ParsedDocument {
  metadata: DocumentMetadata;
  blocks: Block[];
}
