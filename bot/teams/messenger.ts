/** The Messenger port on botbuilder: proactive 1:1 sends and card updates through the CloudAdapter. */
import { type CloudAdapter, type ConversationReference, MessageFactory } from 'botbuilder';
import { attachment } from '../cards';
import { type Messenger, NotReachable, type SentMessage } from '../messaging';
import type { ConversationBook } from './conversations';

export class TeamsMessenger implements Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly book: ConversationBook,
  ) {}

  private async reference(personId: string): Promise<Partial<ConversationReference>> {
    const record = await this.book.find(personId);
    if (!record) throw new NotReachable(personId, 'the app is not installed for this person (no conversation yet)');
    // stored without an activity id: a plain send, not a reply to an earlier activity
    return record.reference;
  }

  async sendCard(personId: string, card: object): Promise<SentMessage> {
    const reference = await this.reference(personId);
    let sent: SentMessage | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      const response = await context.sendActivity(MessageFactory.attachment(attachment(card)));
      sent = { personId, conversationId: context.activity.conversation.id, activityId: response?.id ?? '' };
    });
    if (!sent?.activityId) throw new Error(`sending to ${personId} returned no activity id`);
    return sent;
  }

  async updateCard(message: SentMessage, card: object): Promise<void> {
    const reference = await this.reference(message.personId);
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      await context.updateActivity({ ...MessageFactory.attachment(attachment(card)), id: message.activityId, conversation: context.activity.conversation });
    });
  }
}
