/** An employee's question that went to the security function, and feedback on answers. */
export type QuestionStatus = 'open' | 'answered';

export interface Question {
  id: string;
  askedBy: string;
  askedByName: string;
  locale: string;
  text: string;
  askedAt: string;
  status: QuestionStatus;
  /** What the bot had found, for the security function's context (document titles). */
  suggestedDocuments: string[];
  answer?: string;
  answeredBy?: string;
  answeredByName?: string;
  answeredAt?: string;
  /** Kept as a curated answer that later, similar questions find first. */
  curated: boolean;
  /** Cards sent to the security function, so that all of them can be updated when one answers. */
  cards: { personId: string; conversationId: string; activityId: string }[];
}

export interface Feedback {
  id: string;
  /** The answer card's id (the turn's question), so feedback can be tied to what was shown. */
  questionId: string;
  personId: string;
  helpful: boolean;
  question: string;
  documents: string[];
  at: string;
}
