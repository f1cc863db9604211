/** The governing documents' yearly review. */
import { collection } from '../../platform/store/schema';
import type { DocumentReview } from './model';

export const governanceCollections = {
  documentReviews: collection<DocumentReview>('documentReviews', ['documentId', 'state']),
} as const;
