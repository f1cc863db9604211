import type { ConversationReference } from 'botbuilder';

/** How to reach a person in 1:1 chat proactively: the conversation reference Teams gave us. */
export interface ConversationRecord {
  id: string;
  personId: string;
  reference: Partial<ConversationReference>;
  locale?: string;
  updatedAt: string;
}
