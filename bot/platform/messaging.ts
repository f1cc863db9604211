/**
 * The Messenger port: how features reach people in Teams without knowing botbuilder.
 * Adapter: teams/messenger.ts (proactive 1:1 through the CloudAdapter).
 */
export interface SentMessage {
  personId: string;
  conversationId: string;
  activityId: string;
}

export interface Messenger {
  /** Sends a card to a person's 1:1 chat with the bot. Fails with NotReachable when the app is not installed for them. */
  sendCard(personId: string, card: object): Promise<SentMessage>;
  /** Replaces an earlier card for everyone who sees it. */
  updateCard(message: SentMessage, card: object): Promise<void>;
}

export class NotReachable extends Error {
  constructor(
    readonly personId: string,
    reason: string,
  ) {
    super(`cannot reach ${personId}: ${reason}`);
    this.name = 'NotReachable';
  }
}

/**
 * What the channel answered when a call failed, without botbuilder types: the HTTP status, the
 * Teams error code (e.g. ConversationBlockedByUser) and Retry-After, so that the sender can tell
 * "try again later" (429, 412, 502, 504) from "this person cannot be reached" (403, 404).
 * `status` is undefined when no answer came (a network error or a timeout).
 */
export class ChannelCallFailed extends Error {
  constructor(
    readonly operation: 'createConversation' | 'send' | 'update',
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly retryAfterMs: number | undefined,
    detail: string,
  ) {
    super(
      `${operation} failed${status === undefined ? '' : ` with ${status}`}${code ? ` ${code}` : ''}: ${detail}`,
    );
    this.name = 'ChannelCallFailed';
  }
}

/** Opening a 1:1 chat with someone who has never written to the bot (the sender's reach step). */
export interface Conversations {
  /** Whether a 1:1 conversation reference is stored for the person (no call to Teams). */
  has(personId: string): Promise<boolean>;
  /** Creates the 1:1 conversation in the organisation's tenant and stores its reference. One call to Teams. */
  open(personId: string): Promise<void>;
}

/**
 * Installing the app in a person's personal scope, which a 1:1 conversation needs. Production:
 * Graph `POST /users/{id}/teamwork/installedApps`; the embedded default counts the sample
 * organisation's people as installed.
 */
export interface AppInstaller {
  ensureInstalled(
    personId: string,
  ): Promise<{ installed: true; now: boolean } | { installed: false; detail: string }>;
}
