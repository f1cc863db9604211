/** The knowledge feature's records: imported documents and their passages (derived from the library). */
import { collection } from '../../platform/store/schema';
import type { DocumentRecord, Passage } from './model';

export const knowledgeCollections = {
  documents: collection<DocumentRecord>('documents', ['sourceKey', 'organisation'], { derived: true }),
  passages: collection<Passage>('passages', ['documentId'], { derived: true }),
} as const;
