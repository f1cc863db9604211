/** Conversation references, kept per person so that the bot can write to them later (proactive 1:1). */
import type { ConversationReference } from 'botbuilder';
import { DuplicateId, type Store, VersionConflict } from '../store';
import type { ConversationRecord } from './model';

export class ConversationBook {
  private learnedServiceUrl: string | undefined;
  /** What this process last stored or read per person, so that an unchanged conversation costs no store call at all. */
  private readonly known = new Map<string, string>();
  /** The locale Teams last sent per person, read from the store once and kept current by remember(). */
  private locales: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
  ) {}

  /** The person's Teams user id (for mentions), from their stored conversation. */
  async teamsIdOf(personId: string): Promise<string | undefined> {
    return (await this.find(personId))?.reference.user?.id;
  }

  /**
   * Keeps the person's 1:1 reference. The reference is stored without the turn's activity id, so an
   * unchanged conversation costs no write, and once this process has seen it, no read either.
   */
  async remember(
    personId: string,
    turnReference: Partial<ConversationReference>,
    locale?: string,
  ): Promise<void> {
    if (
      turnReference.conversation?.conversationType &&
      turnReference.conversation.conversationType !== 'personal'
    )
      return;
    const { activityId: _turn, ...reference } = turnReference;
    if (reference.serviceUrl) this.learnedServiceUrl = reference.serviceUrl;
    const fingerprint = JSON.stringify([reference, locale ?? null]);
    if (this.known.get(personId) === fingerprint) return;
    const record: ConversationRecord = {
      id: personId,
      personId,
      reference,
      locale,
      updatedAt: this.clock().toISOString(),
    };
    const existing = await this.store.conversations.get(personId);
    try {
      if (!existing) await this.store.conversations.insert(record);
      else if (JSON.stringify([existing.value.reference, existing.value.locale ?? null]) !== fingerprint) {
        await this.store.conversations.update(record, existing.version);
      }
    } catch (error) {
      // a concurrent turn of the same person stored a reference just now; it is as fresh as ours
      if (!(error instanceof DuplicateId || error instanceof VersionConflict)) throw error;
    }
    this.known.set(personId, fingerprint);
    if (locale) (await this.localeMap()).set(personId, locale);
  }

  /** The locale Teams last sent for the person (undefined before they ever wrote to the bot). */
  async localeOf(personId: string): Promise<string | undefined> {
    return (await this.localeMap()).get(personId);
  }

  private localeMap(): Promise<Map<string, string>> {
    this.locales ??= this.store.conversations.list().then(
      (records) =>
        new Map(
          records.filter((r) => r.value.locale).map((r) => [r.value.personId, r.value.locale as string]),
        ),
      (error: unknown) => {
        this.locales = undefined;
        throw error;
      },
    );
    return this.locales;
  }

  async find(personId: string): Promise<ConversationRecord | undefined> {
    return (await this.store.conversations.get(personId))?.value;
  }

  /**
   * The tenant's Bot Connector service URL, learned from the conversation references Teams gave us
   * (every 1:1 of the tenant carries the same one); undefined before anyone has talked to the bot.
   */
  async serviceUrl(): Promise<string | undefined> {
    if (this.learnedServiceUrl) return this.learnedServiceUrl;
    for (const record of await this.store.conversations.list()) {
      if (record.value.reference.serviceUrl) {
        this.learnedServiceUrl = record.value.reference.serviceUrl;
        break;
      }
    }
    return this.learnedServiceUrl;
  }
}
