/**
 * The one way to remember the cards sent about a record and to update every copy when the record
 * changes, for everyone who sees it, not only for the clicker. Copies live in the `sentCards`
 * collection, one per message, keyed so that remembering twice is harmless (a delivery key, or the
 * message's own ids). Records written before this mechanism kept their copies on themselves
 * (`Question.askerCard/functionCards`, `DocumentReview.cards`): the feature hands those in as
 * `legacy` and they are updated too, once each.
 */
import type { Logger } from '../logger';
import type { Messenger, SentMessage } from '../messaging';
import { DuplicateId, type Stored } from '../store/port';

export interface SentCard extends SentMessage {
  /** The delivery key, or `<recordId>:<kind>:<activityId>` for a card sent in a turn. */
  id: string;
  recordId: string;
  /** Which of the record's cards this is, when a record has more than one kind (the asker's, the function's). */
  kind?: string;
}

/** Where copies are kept: the store's `sentCards`, or the same collection inside a transaction. */
export interface SentCardsHolder {
  sentCards: {
    insert(card: SentCard): Promise<unknown>;
    find(where: { recordId: string }): Promise<Stored<SentCard>[]>;
  };
}

export interface CardCopiesDeps {
  store: SentCardsHolder;
  messenger: Messenger;
  log: Logger;
}

export const sentCardId = (recordId: string, kind: string, message: SentMessage): string =>
  `${recordId}:${kind}:${message.activityId}`;

export class CardCopies {
  constructor(private readonly deps: CardCopiesDeps) {}

  /**
   * Remembers a card sent about `recordId`; pass the transaction as `into` to commit it with the
   * change that sent it. A copy already remembered (same id) is left as it is.
   */
  async remember(
    recordId: string,
    message: SentMessage,
    options: { id?: string; kind?: string; into?: SentCardsHolder } = {},
  ): Promise<void> {
    const { id, kind, into = this.deps.store } = options;
    const card: SentCard = {
      id: id ?? sentCardId(recordId, kind ?? 'card', message),
      recordId,
      personId: message.personId,
      conversationId: message.conversationId,
      activityId: message.activityId,
      ...(kind ? { kind } : {}),
    };
    try {
      await into.sentCards.insert(card);
    } catch (error) {
      if (!(error instanceof DuplicateId)) throw error;
    }
  }

  /** Remembers a card the sender delivered (its `sent` callback): the delivery key is the copy's id. */
  rememberDelivery(
    delivery: { key: string; recordId: string },
    message: SentMessage,
    kind?: string,
  ): Promise<void> {
    return this.remember(delivery.recordId, message, { id: delivery.key, ...(kind ? { kind } : {}) });
  }

  /** Every copy of the record's cards: the remembered ones and the legacy ones, each message once. */
  async copiesOf(
    recordId: string,
    legacy: readonly (SentMessage & { kind?: string })[] = [],
  ): Promise<SentCard[]> {
    const copies = (await this.deps.store.sentCards.find({ recordId })).map((s) => s.value);
    const seen = new Set(copies.map((c) => `${c.conversationId}\n${c.activityId}`));
    for (const old of legacy) {
      const key = `${old.conversationId}\n${old.activityId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      copies.push({ ...old, id: sentCardId(recordId, old.kind ?? 'card', old), recordId });
    }
    return copies;
  }

  /**
   * Replaces every copy with the card `render` makes for it now (undefined leaves that copy alone).
   * A copy that cannot be updated is logged and the others still are; returns how many were updated.
   */
  async update(
    recordId: string,
    render: (copy: SentCard) => Promise<object | undefined>,
    legacy: readonly (SentMessage & { kind?: string })[] = [],
  ): Promise<number> {
    let updated = 0;
    for (const copy of await this.copiesOf(recordId, legacy)) {
      try {
        const card = await render(copy);
        if (!card) continue;
        await this.deps.messenger.updateCard(copy, card);
        updated++;
      } catch (error) {
        this.deps.log.warn(
          { err: error, recordId, personId: copy.personId, kind: copy.kind },
          'could not update an earlier card',
        );
      }
    }
    return updated;
  }
}
