/**
 * The Messenger and Conversations ports on botbuilder: proactive 1:1 sends, card updates and new 1:1
 * conversations through the CloudAdapter. botbuilder's errors leave here as ChannelCallFailed (HTTP
 * status, Teams error code, Retry-After), so that no feature sees a botbuilder type.
 */
import {
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
  type createBotFrameworkAuthenticationFromConfiguration,
  MessageFactory,
  TurnContext,
} from 'botbuilder';
import { attachment } from '../cards';
import {
  ChannelCallFailed,
  type Conversations,
  type Messenger,
  NotReachable,
  type SentMessage,
} from '../messaging';
import type { ConversationBook } from './conversations';

export class TeamsMessenger implements Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly book: ConversationBook,
  ) {}

  private async reference(personId: string): Promise<Partial<ConversationReference>> {
    const record = await this.book.find(personId);
    if (!record)
      throw new NotReachable(personId, 'the app is not installed for this person (no conversation yet)');
    // stored without an activity id: a plain send, not a reply to an earlier activity
    return record.reference;
  }

  async sendCard(personId: string, card: object): Promise<SentMessage> {
    const reference = await this.reference(personId);
    let sent: SentMessage | undefined;
    await channelCall('send', () =>
      this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        const response = await context.sendActivity(MessageFactory.attachment(attachment(card)));
        sent = { personId, conversationId: context.activity.conversation.id, activityId: response?.id ?? '' };
      }),
    );
    if (!sent?.activityId) throw new Error(`sending to ${personId} returned no activity id`);
    return sent;
  }

  async updateCard(message: SentMessage, card: object): Promise<void> {
    const reference = await this.reference(message.personId);
    await channelCall('update', () =>
      this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        await context.updateActivity({
          ...MessageFactory.attachment(attachment(card)),
          id: message.activityId,
          conversation: context.activity.conversation,
        });
      }),
    );
  }
}

/**
 * New 1:1 conversations: `createConversationAsync` with the person's aadObjectId as the member and
 * the organisation's tenant (Teams needs `tenantId` and the tenant in the channel data), on the
 * tenant's service URL as learned from any stored conversation reference (else the configured default).
 */
export class TeamsConversations implements Conversations {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly book: ConversationBook,
    private readonly tenantId: string,
    private readonly defaultServiceUrl: string,
  ) {}

  async has(personId: string): Promise<boolean> {
    return (await this.book.find(personId)) !== undefined;
  }

  async open(personId: string): Promise<void> {
    const serviceUrl = (await this.book.serviceUrl()) ?? this.defaultServiceUrl;
    const parameters = {
      isGroup: false,
      bot: { id: `28:${this.appId}`, name: '' },
      members: [{ id: personId, name: '' }],
      tenantId: this.tenantId,
      channelData: { tenant: { id: this.tenantId } },
    } as ConversationParameters;
    let reference: Partial<ConversationReference> | undefined;
    await channelCall('createConversation', () =>
      this.adapter.createConversationAsync(
        this.appId,
        'msteams',
        serviceUrl,
        undefined as unknown as string,
        parameters,
        async (context) => {
          reference = TurnContext.getConversationReference(context.activity);
        },
      ),
    );
    if (!reference?.conversation?.id)
      throw new Error(`creating a conversation with ${personId} returned no conversation id`);
    const { activityId: _none, user: _unknown, ...rest } = reference;
    await this.book.remember(personId, {
      ...rest,
      conversation: { ...reference.conversation, conversationType: 'personal', tenantId: this.tenantId },
    });
  }
}

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { status?: number; headers?: { get?(name: string): string | undefined } };
}

/** Runs one botbuilder call and turns its error into ChannelCallFailed. */
async function channelCall<R>(operation: ChannelCallFailed['operation'], work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    throw toChannelCallFailed(operation, error);
  }
}

export function toChannelCallFailed(
  operation: ChannelCallFailed['operation'],
  error: unknown,
): ChannelCallFailed {
  const e = (error ?? {}) as RestErrorLike;
  const status = e.statusCode ?? e.response?.status;
  return new ChannelCallFailed(
    operation,
    status,
    status === undefined ? undefined : e.code,
    retryAfterMs(e.response?.headers?.get?.('retry-after')),
    e.message ?? String(error),
  );
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

type BotFrameworkAuthentication = ReturnType<typeof createBotFrameworkAuthenticationFromConfiguration>;

/** The Azure pipeline inside botbuilder's ConnectorClient (@azure/core-rest-pipeline), as far as we touch it. */
interface ConnectorPipeline {
  removePolicy(policy: { name: string }): unknown;
  addPolicy(
    policy: {
      name: string;
      sendRequest(request: unknown, next: (request: unknown) => Promise<unknown>): Promise<unknown>;
    },
    options?: { afterPhase?: 'Retry' },
  ): void;
}

type ConnectorFactory = ReturnType<BotFrameworkAuthentication['createConnectorFactory']>;

/**
 * Changes the HTTP pipeline of every connector client the authentication hands out: for proactive
 * calls (createConnectorFactory) and for turns (the factory that comes with authenticateRequest).
 */
function eachConnector(
  auth: BotFrameworkAuthentication,
  change: (pipeline: ConnectorPipeline) => void,
): BotFrameworkAuthentication {
  const adjusted = (factory: ConnectorFactory): ConnectorFactory => ({
    create: async (serviceUrl: string, audience?: string) => {
      const client = await factory.create(serviceUrl, audience);
      const pipeline = (client as unknown as { client?: { pipeline?: ConnectorPipeline } }).client?.pipeline;
      if (!pipeline)
        throw new Error('the connector client has no HTTP pipeline to adjust (botbuilder changed)');
      change(pipeline);
      return client;
    },
  });
  const createConnectorFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (
    identity: Parameters<BotFrameworkAuthentication['createConnectorFactory']>[0],
  ) => adjusted(createConnectorFactory(identity));
  const authenticateRequest = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (
    ...args: Parameters<BotFrameworkAuthentication['authenticateRequest']>
  ) => {
    const result = await authenticateRequest(...args);
    return result.connectorFactory
      ? { ...result, connectorFactory: adjusted(result.connectorFactory) }
      : result;
  };
  return auth;
}

/**
 * The authentication for the sender's own CloudAdapter: connector clients without the Azure
 * pipeline's retry policy, so that every call the app makes passes the sender's rate windows and a
 * 429 reaches the sender (which retries it, counted) instead of being retried unseen.
 */
export function withoutConnectorRetries(auth: BotFrameworkAuthentication): BotFrameworkAuthentication {
  return eachConnector(auth, (pipeline) => pipeline.removePolicy({ name: 'defaultRetryPolicy' }));
}

/**
 * The authentication for the turn adapter: its calls (replies inside a turn, the questions feature's
 * notices, each retry included) are counted in the app's rate window, so that the sender leaves room
 * for them under the 50 a second. They are counted, never delayed.
 */
export function countingConnectorCalls(
  auth: BotFrameworkAuthentication,
  count: () => () => void,
): BotFrameworkAuthentication {
  return eachConnector(auth, (pipeline) =>
    pipeline.addPolicy(
      {
        name: 'varnCountCalls',
        sendRequest: async (request, next) => {
          const done = count();
          try {
            return await next(request);
          } finally {
            done();
          }
        },
      },
      { afterPhase: 'Retry' },
    ),
  );
}
