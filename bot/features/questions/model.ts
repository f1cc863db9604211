import type { SentMessage } from '../../platform/messaging';

/**
 * A question an employee asked the bot. It stays private to the asker until they escalate it;
 * then the security function sees it, answers, and may keep the answer as a curated one.
 */
export type QuestionStatus = 'asked' | 'escalated' | 'answered';

export interface ShownAnswer {
  documentTitle: string;
  section: string;
  text: string;
  /** Where "Öppna dokumentet" led (at the section); kept so the card keeps its links after feedback. */
  link?: string;
}

export interface Question {
  id: string;
  askedBy: string;
  askedByName: string;
  locale: string;
  text: string;
  askedAt: string;
  status: QuestionStatus;
  /** What the bot showed (quotes), for the security function's context. */
  shown: ShownAnswer[];
  /** How sure the bot was: answer, uncertain (the quotes may help), none (nothing relevant). */
  confidence?: 'answer' | 'uncertain' | 'none';
  /** The security function's kept answers the card showed first (so the card keeps them after feedback). */
  curatedShown?: string[];
  /** The AI phrasing shown above the quotes (only with Azure OpenAI configured). */
  summary?: string;
  escalatedAt?: string;
  answer?: string;
  answeredBy?: string;
  answeredByName?: string;
  answeredAt?: string;
  /** Kept as a curated answer that later, similar questions find first. */
  curated: boolean;
  /**
   * Where the asker's card and the security function's cards were kept before they moved to the
   * shared `sentCards` copies (platform/teams/copies.ts); still read, so that a question stored
   * earlier updates those cards too when it is answered.
   */
  askerCard?: SentMessage;
  functionCards?: SentMessage[];
}

export interface Feedback {
  id: string;
  questionId: string;
  personId: string;
  helpful: boolean;
  at: string;
}
