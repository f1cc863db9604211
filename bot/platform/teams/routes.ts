/**
 * Routing is a table: each feature registers its chat commands and card verbs (the constants live in
 * the feature's verbs.ts); the bot only collects them and dispatches.
 */
import type { Lang } from '../i18n';

/** A card verb's wire name, e.g. 'review.approve'; each feature declares its own in its verbs.ts. */
export type Verb = string;

/** Who acts, as established by the server from the activity (never from card data). */
export interface Caller {
  personId: string;
  name: string;
  locale: string;
  lang: Lang;
}

export interface VerbRoute {
  verb: Verb;
  /** Returns the card that replaces the clicked one for the caller. */
  handle(caller: Caller, data: Record<string, unknown>): Promise<object>;
}

export interface CommandRoute {
  name: string;
  /** Whole-message match, in any of the catalogue's languages. */
  matches(text: string): boolean;
  handle(caller: Caller): Promise<object>;
}

/** A command's `matches`: the whole message is one of the patterns (case-insensitive, a final . ! or ? allowed). */
export const wholeMessage = (...patterns: string[]) => {
  const re = new RegExp(`^\\s*(${patterns.join('|')})\\s*[.!?]?\\s*$`, 'i');
  return (text: string) => re.test(text);
};

/**
 * What free text (no command matched) goes to: one feature owns it (questions: it is a question).
 * Returns the card and, optionally, what to do with the sent message's id.
 */
export interface FallbackRoute {
  handle(
    caller: Caller,
    text: string,
  ): Promise<{ card: object; sent?: (activityId: string, conversationId: string) => Promise<void> }>;
}
