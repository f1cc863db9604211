/**
 * The yearly review of a governing document (styrande dokument): at its review date the owner
 * says whether it still holds ("Ingen ändring") or needs revising ("Behöver revideras"), with a
 * comment; the answer moves the next review date on by the document's period.
 */
import type { SentMessage } from '../../platform/messaging';

export type DocumentReviewState = 'scheduled' | 'awaitingAnswer';
export const OUTCOMES = ['noChange', 'needsRevision'] as const;
export type DocumentReviewOutcome = (typeof OUTCOMES)[number];

export interface DocumentReviewAnswer {
  outcome: DocumentReviewOutcome;
  comment?: string;
  byId: string;
  byName: string;
  at: string;
  /** The review date the answer was for. */
  reviewDate: string;
}

export interface DocumentReview {
  /** The document's id. */
  id: string;
  documentId: string;
  /** Copied from the document at the last sync, for cards and logs. */
  title: string;
  link: string;
  /** The owner as the document names it ("Säkerhetschef"). */
  ownerText?: string;
  /** The people who answer: the owner as resolved in the directory, or the security chief. */
  ownerIds: string[];
  /** YYYY-MM-DD: when the review falls due (Europe/Stockholm). */
  nextReviewDate: string;
  periodYears: number;
  state: DocumentReviewState;
  /**
   * Where the open task's cards were kept before they moved to the shared `sentCards` copies
   * (platform/teams/copies.ts); still read, so that a review stored earlier updates those cards too.
   */
  cards?: SentMessage[];
  answers: DocumentReviewAnswer[];
  /**
   * What the security function set in the tab: most real policies name neither an owner nor a review date
   * in their text. A sync keeps what was set by hand over what the document says.
   */
  setByHand?: { owner: boolean; date: boolean; byId: string; byName: string; at: string };
}
