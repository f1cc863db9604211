/** Conversation references, kept per person so that the bot can write to them later (proactive 1:1). */
import type { ConversationReference } from 'botbuilder';
import type { Store } from '../store';
import type { ConversationRecord } from './model';

export class ConversationBook {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
  ) {}

  async remember(personId: string, reference: Partial<ConversationReference>, locale?: string): Promise<void> {
    if (reference.conversation?.conversationType && reference.conversation.conversationType !== 'personal') return;
    const record: ConversationRecord = { id: personId, personId, reference, locale, updatedAt: this.clock().toISOString() };
    const existing = await this.store.conversations.get(personId);
    if (!existing) {
      await this.store.conversations.insert(record).catch(async () => this.remember(personId, reference, locale));
      return;
    }
    const same = JSON.stringify(existing.value.reference) === JSON.stringify(reference) && existing.value.locale === locale;
    if (!same) await this.store.conversations.update(record, existing.version).catch(() => undefined);
  }

  async find(personId: string): Promise<ConversationRecord | undefined> {
    return (await this.store.conversations.get(personId))?.value;
  }
}
