/**
 * The cards sent about a record, remembered (from the sender's `sent` callback) so that when the
 * record changes, every earlier card is updated for everyone who sees it, not only for the clicker.
 */
import type { Delivery } from '../../platform/delivery/port';
import type { Logger } from '../../platform/logger';
import type { Messenger, SentMessage } from '../../platform/messaging';
import { DuplicateId, type Store } from '../../platform/store';

export class CardCopies {
  constructor(
    private readonly store: Store,
    private readonly messenger: Messenger,
    private readonly log: Logger,
  ) {}

  async remember(delivery: Pick<Delivery, 'key' | 'recordId'>, message: SentMessage): Promise<void> {
    try {
      await this.store.sentCards.insert({ id: delivery.key, recordId: delivery.recordId, ...message });
    } catch (error) {
      if (!(error instanceof DuplicateId)) throw error;
    }
  }

  /** Replaces every remembered card of the record with the one `render` makes for its person now. */
  async update(recordId: string, render: (personId: string) => Promise<object>): Promise<number> {
    let updated = 0;
    for (const { value: copy } of await this.store.sentCards.find({ recordId })) {
      try {
        await this.messenger.updateCard(copy, await render(copy.personId));
        updated++;
      } catch (error) {
        this.log.warn({ err: error, recordId, personId: copy.personId }, 'could not update an earlier card');
      }
    }
    return updated;
  }
}
