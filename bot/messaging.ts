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
  constructor(readonly personId: string, reason: string) {
    super(`cannot reach ${personId}: ${reason}`);
    this.name = 'NotReachable';
  }
}
