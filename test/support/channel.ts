/**
 * A local Microsoft Teams channel for end-to-end tests, over real HTTP on 127.0.0.1.
 *
 * It plays the Bot Connector: it POSTs Teams-shaped activities to the bot's `/api/messages`,
 * and it serves the connector REST API the bot calls back on `serviceUrl`
 * (platform-facts.md §2 and §10; paths from botframework-connector's
 * `connectorApi/operations/conversations.ts`; error codes from msteams-docs
 * `bots/how-to/conversations/conversation-messages.md`, "Status codes from bot conversational APIs";
 * create-conversation rules from microsoft/teams.net `core/docs/CreateConversation-API-Behavior.md`).
 * Nothing here calls anything but the bot URL it is given.
 *
 * API
 *   startChannel({ botUrl, users?, tenantId?, bot?, maxMessageBytes?, botTimeoutMs?, authorization? }): Promise<Channel>
 *   makeUser(name, overrides?): ChannelUser                     a Teams user with a 29: id and an aadObjectId
 *
 *   channel.serviceUrl                    "http://127.0.0.1:<port>/"
 *   channel.bot                           { id: "28:bot", name }
 *   channel.addUser(user) / channel.users()
 *   channel.conversationFor(user)         stable 1:1 { id: "a:…", conversationType: "personal", tenantId }
 *   channel.buildActivity(user, partial)  a Teams-shaped activity from user to bot (not sent)
 *   channel.say(user, text, opts?)        message → { status, body, text, activity }
 *   channel.invoke(user, name, value, opts?)   invoke → { status, body (the InvokeResponse body), … }
 *   channel.execute(user, verb, data, opts?)   shorthand for invoke "adaptiveCard/action" with Action.Execute
 *   channel.installBot(user, opts?) / channel.uninstallBot(user, opts?)   conversationUpdate + installationUpdate
 *   channel.block(user) / channel.unblock(user)   bot sends to the user's chat get 403 ConversationBlockedByUser
 *   channel.send(activity, opts?)         POST any activity to the bot
 *   channel.post(rawBody, headers?)       POST raw text/JSON to the bot (malformed-request tests)
 *
 *   channel.activities(convId?)           current versions of the bot's messages (not deleted), in send order
 *   channel.transcript(convId?)           StoredActivity records (history of versions, deleted flag, replyToId)
 *   channel.events()                      every outgoing operation (create/send/reply/update/delete), in order
 *   channel.mark()                        a cursor for waitFor({ since })
 *   channel.waitFor(pred, { timeoutMs?, since? })  first outgoing event whose activity matches (past ones included)
 *   channel.lastCard(convId)              content of the newest adaptive card attachment (after updates)
 *   channel.requests                      every HTTP request the bot made to the channel
 *   channel.warnings                      oddities noticed in the bot's requests (e.g. card version > 1.5)
 *
 *   channel.failNext(n, { status=429, retryAfterSeconds?, code?, message?, operations? }) / channel.clearFailures()
 *   channel.failRandomly({ rate, seed?, status=429, retryAfterSeconds?, operations? } | undefined)   a share of calls fails (seeded)
 *   channel.setRateLimits(rules | undefined)   simulate Teams' per-thread throttling (TEAMS_THREAD_LIMITS, APP_LIMIT)
 *   channel.messagesTo(user)              how many messages the bot created in the user's 1:1 (sends, replies, create with activity)
 *   channel.setBotUrl(url)                point the channel at a restarted bot
 *   channel.stats() / channel.resetStats()
 *   channel.close()
 *
 * Botbuilder behaviour this relies on (botbuilder 4.23.3, CloudAdapter):
 *   - `adapter.process` awaits the whole turn before answering, so when `say()` resolves every reply the bot
 *     sent inside the turn is already recorded here. Invoke answers carry the InvokeResponse status and body.
 *   - Replies inside a turn go to POST /v3/conversations/{conv}/activities/{incomingActivityId} (replyToId set);
 *     proactive sends without an activityId go to POST /v3/conversations/{conv}/activities.
 *   - The connector client (@azure/core-client pipeline) retries 429/5xx itself, honouring Retry-After.
 *   - With an empty MicrosoftAppId the adapter skips inbound auth and sends no Authorization header; this channel
 *     accepts any header or none, and records it in `requests`.
 */

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------------------------------------------
// Types

/** A loosely typed Bot Framework activity; the fields the channel reads are declared. */
export interface ChannelActivity {
  type: string;
  id?: string;
  name?: string;
  text?: string;
  textFormat?: string;
  value?: unknown;
  replyToId?: string;
  timestamp?: string;
  channelId?: string;
  serviceUrl?: string;
  locale?: string;
  from?: ChannelAccount;
  recipient?: ChannelAccount;
  conversation?: ConversationAccount;
  attachments?: Attachment[];
  entities?: Record<string, unknown>[];
  channelData?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ChannelAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
  [key: string]: unknown;
}

export interface ConversationAccount {
  id: string;
  conversationType?: string;
  tenantId?: string;
  isGroup?: boolean;
  [key: string]: unknown;
}

export interface Attachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
  [key: string]: unknown;
}

/** A Teams user as the channel knows them. `id` is the 29: MRI the bot sees in `from.id`. */
export interface ChannelUser {
  id: string;
  aadObjectId: string;
  name: string;
  tenantId: string;
  locale?: string;
  timezone?: string;
  givenName?: string;
  surname?: string;
  email?: string;
  userPrincipalName?: string;
}

export interface PersonalConversation {
  id: string;
  conversationType: 'personal';
  tenantId: string;
}

/** The connector operations, named as botframework-connector names them. */
export type ConnectorOperation =
  | 'getConversations'
  | 'createConversation'
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'getConversationMembers'
  | 'getConversationMember'
  | 'getConversationPagedMembers'
  | 'getActivityMembers'
  | 'unknown';

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  operation: ConnectorOperation;
  conversationId?: string;
  activityId?: string;
  authorization?: string;
  body: unknown;
  status: number;
  responseBody: unknown;
  injected: boolean;
}

export type OutgoingKind = 'create' | 'send' | 'reply' | 'update' | 'delete';

export interface OutgoingEvent {
  seq: number;
  at: number;
  kind: OutgoingKind;
  conversationId: string;
  activityId: string;
  /** The activity as stored after this operation (for `delete`, the last version). */
  activity: ChannelActivity;
}

export interface StoredActivity {
  id: string;
  conversationId: string;
  /** How it first arrived. */
  kind: 'create' | 'send' | 'reply';
  replyToId?: string;
  /** Current version (what a Teams user would now see). */
  activity: ChannelActivity;
  /** Every version, oldest first; `history[history.length - 1]` equals `activity`. */
  history: ChannelActivity[];
  deleted: boolean;
  sentAt: number;
  updatedAt: number;
}

export interface BotResponse {
  status: number;
  /** Parsed JSON body, or the raw text if it was not JSON, or undefined when empty. */
  body: unknown;
  text: string;
  headers: Headers;
  /** The activity that was sent to the bot. */
  activity: ChannelActivity;
}

export interface RawResponse {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

export interface ActivityOptions {
  /** Overrides the 1:1 conversation (e.g. to test a conversation the channel does not know). */
  conversation?: ConversationAccount;
  id?: string;
  replyToId?: string;
  locale?: string;
  timestamp?: Date;
  value?: unknown;
  attachments?: Attachment[];
  entities?: Record<string, unknown>[];
  /** Merged over the default `{ tenant: { id } }`. */
  channelData?: Record<string, unknown>;
  /** Any further fields, merged last (may override everything above). */
  extra?: Record<string, unknown>;
  /** Extra HTTP headers for this request. */
  headers?: Record<string, string>;
}

export interface InstallOptions {
  /** Which events to send, in order. Default: conversationUpdate then installationUpdate. */
  events?: ('conversationUpdate' | 'installationUpdate')[];
}

export interface FailureOptions {
  status?: number;
  retryAfterSeconds?: number;
  code?: string;
  message?: string;
  /** Only requests for these operations consume the failure; others pass. Default: all. */
  operations?: ConnectorOperation[];
}

export interface RandomFailureOptions extends Omit<FailureOptions, 'code' | 'message'> {
  /** Share of matching calls that fail, 0..1. */
  rate: number;
  /** Seed of the deterministic random sequence. Default 1. */
  seed?: number;
}

export interface RateLimitRule {
  windowSeconds: number;
  max: number;
  /** 'conversation' counts per conversation id (Teams' "per bot per thread"); 'global' counts all calls. */
  scope: 'conversation' | 'global';
  operations: ConnectorOperation[];
}

export interface ChannelStats {
  total: number;
  byOperation: Partial<Record<ConnectorOperation, number>>;
  byStatus: Record<string, number>;
  injectedFailures: number;
  throttled: number;
  /** Calls per whole second since the channel started (second 0 = start), only seconds with calls. */
  perSecond: { second: number; count: number }[];
  maxPerSecond: number;
  /** The highest number of calls in any one second, per conversation. */
  maxPerSecondByConversation: Record<string, number>;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Only events with seq >= since (see `mark()`). */
  since?: number;
}

export interface StartChannelOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  botUrl: string;
  users?: ChannelUser[];
  /** Default tenant for `makeUser`-less setups; users carry their own tenantId. */
  tenantId?: string;
  bot?: { id: string; name: string };
  /** Teams rejects bot messages over about 100 KB (UTF-16) with 413 MessageSizeTooBig. `null` disables. */
  maxMessageBytes?: number | null;
  /** How long to wait for the bot to answer an incoming activity. Default 15 s. */
  botTimeoutMs?: number;
  /** Authorization header to send to the bot (e.g. a test JWT). Default: none, as with auth disabled. */
  authorization?: string | (() => string | Promise<string>);
}

export interface Channel {
  readonly serviceUrl: string;
  readonly port: number;
  readonly bot: { id: string; name: string };
  readonly requests: RecordedRequest[];
  readonly warnings: string[];
  addUser(user: ChannelUser): void;
  users(): ChannelUser[];
  conversationFor(user: ChannelUser): PersonalConversation;
  buildActivity(
    user: ChannelUser,
    partial: Partial<ChannelActivity> & { type: string },
    opts?: ActivityOptions,
  ): ChannelActivity;
  say(user: ChannelUser, text: string, opts?: ActivityOptions): Promise<BotResponse>;
  invoke(user: ChannelUser, name: string, value: unknown, opts?: ActivityOptions): Promise<BotResponse>;
  execute(user: ChannelUser, verb: string, data?: unknown, opts?: ActivityOptions): Promise<BotResponse>;
  installBot(user: ChannelUser, opts?: InstallOptions): Promise<BotResponse[]>;
  uninstallBot(user: ChannelUser, opts?: InstallOptions): Promise<BotResponse[]>;
  block(user: ChannelUser): void;
  unblock(user: ChannelUser): void;
  send(activity: ChannelActivity, opts?: { headers?: Record<string, string> }): Promise<BotResponse>;
  post(rawBody: string | object, headers?: Record<string, string>): Promise<RawResponse>;
  activities(conversationId?: string): ChannelActivity[];
  transcript(conversationId?: string): StoredActivity[];
  events(): OutgoingEvent[];
  mark(): number;
  waitFor(
    predicate: (activity: ChannelActivity, event: OutgoingEvent) => boolean,
    opts?: WaitOptions,
  ): Promise<ChannelActivity>;
  lastCard(conversationId: string): Record<string, unknown> | undefined;
  failNext(n: number, opts?: FailureOptions): void;
  clearFailures(): void;
  failRandomly(opts: RandomFailureOptions | undefined): void;
  messagesTo(user: ChannelUser): number;
  setBotUrl(url: string): void;
  setRateLimits(rules: RateLimitRule[] | undefined): void;
  stats(): ChannelStats;
  resetStats(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Constants

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const DEFAULT_TENANT_ID = '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f';
export const DEFAULT_BOT = { id: '28:bot', name: 'Värn' } as const;

/** Teams' documented limits per bot per thread for sends (platform-facts.md §3), as channel rate-limit rules. */
export const TEAMS_THREAD_LIMITS: RateLimitRule[] = [
  [1, 7],
  [2, 8],
  [30, 60],
  [3600, 1800],
].map(([windowSeconds, max]) => ({
  windowSeconds: windowSeconds as number,
  max: max as number,
  scope: 'conversation' as const,
  operations: [
    'sendToConversation',
    'replyToActivity',
    'updateActivity',
    'deleteActivity',
    'createConversation',
  ] as ConnectorOperation[],
}));

/** Teams' limit per app and tenant: 50 requests a second, every connector call counted. */
export const APP_LIMIT: RateLimitRule = {
  windowSeconds: 1,
  max: 50,
  scope: 'global',
  operations: [
    'getConversations',
    'createConversation',
    'sendToConversation',
    'replyToActivity',
    'updateActivity',
    'deleteActivity',
    'getConversationMembers',
    'getConversationMember',
    'getConversationPagedMembers',
    'getActivityMembers',
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** Builds a Teams-like user. Ids are random unless given. */
export function makeUser(name: string, overrides: Partial<ChannelUser> = {}): ChannelUser {
  const [givenName, ...rest] = name.split(' ');
  const slug = name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');
  return {
    id: `29:${randomBytes(33).toString('base64url')}`,
    aadObjectId: randomUUID(),
    name,
    tenantId: DEFAULT_TENANT_ID,
    locale: 'sv-SE',
    timezone: 'Europe/Stockholm',
    givenName: givenName ?? name,
    surname: rest.join(' '),
    email: `${slug}@example.org`,
    userPrincipalName: `${slug}@example.org`,
    ...overrides,
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function teamsError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): HttpError {
  return new HttpError(status, code, message, headers);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseMaybeJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function adaptiveCardOf(activity: ChannelActivity): Record<string, unknown> | undefined {
  const attachments = activity.attachments ?? [];
  for (let i = attachments.length - 1; i >= 0; i--) {
    const a = attachments[i];
    if (a && a.contentType === ADAPTIVE_CARD_CONTENT_TYPE && isRecord(a.content)) return a.content;
  }
  return undefined;
}

function summarize(activity: ChannelActivity): string {
  const card = adaptiveCardOf(activity);
  const text = typeof activity.text === 'string' ? JSON.stringify(activity.text.slice(0, 80)) : '';
  return `${activity.type}${text ? ` ${text}` : ''}${card ? ' [adaptive card]' : ''}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Routing table for the connector API (method + path pattern → operation)

interface RouteMatch {
  operation: ConnectorOperation;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
}

const ROUTES: {
  method: string;
  pattern: RegExp;
  operation: ConnectorOperation;
  params: ('conversationId' | 'activityId' | 'memberId')[];
}[] = [
  { method: 'GET', pattern: /^\/v3\/conversations\/?$/, operation: 'getConversations', params: [] },
  { method: 'POST', pattern: /^\/v3\/conversations\/?$/, operation: 'createConversation', params: [] },
  {
    method: 'POST',
    pattern: /^\/v3\/conversations\/([^/]+)\/activities\/?$/,
    operation: 'sendToConversation',
    params: ['conversationId'],
  },
  {
    method: 'GET',
    pattern: /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)\/members\/?$/,
    operation: 'getActivityMembers',
    params: ['conversationId', 'activityId'],
  },
  {
    method: 'POST',
    pattern: /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)\/?$/,
    operation: 'replyToActivity',
    params: ['conversationId', 'activityId'],
  },
  {
    method: 'PUT',
    pattern: /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)\/?$/,
    operation: 'updateActivity',
    params: ['conversationId', 'activityId'],
  },
  {
    method: 'DELETE',
    pattern: /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)\/?$/,
    operation: 'deleteActivity',
    params: ['conversationId', 'activityId'],
  },
  {
    method: 'GET',
    pattern: /^\/v3\/conversations\/([^/]+)\/members\/?$/,
    operation: 'getConversationMembers',
    params: ['conversationId'],
  },
  {
    method: 'GET',
    pattern: /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)\/?$/,
    operation: 'getConversationMember',
    params: ['conversationId', 'memberId'],
  },
  {
    method: 'GET',
    pattern: /^\/v3\/conversations\/([^/]+)\/pagedmembers\/?$/,
    operation: 'getConversationPagedMembers',
    params: ['conversationId'],
  },
];

function matchRoute(method: string, path: string): RouteMatch {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const match: RouteMatch = { operation: route.operation };
    route.params.forEach((name, i) => {
      const raw = m[i + 1];
      if (raw !== undefined) match[name] = decodeURIComponent(raw);
    });
    return match;
  }
  return { operation: 'unknown' };
}

// ---------------------------------------------------------------------------------------------------------------
// The channel

interface ConversationRecord {
  id: string;
  tenantId: string;
  userId: string;
}

interface PendingFailure {
  remaining: number;
  status: number;
  retryAfterSeconds: number | undefined;
  code: string;
  message: string;
  operations: ConnectorOperation[] | undefined;
}

const DEFAULT_FAILURE_CODES: Record<number, [string, string]> = {
  403: ['ConversationBlockedByUser', 'User blocked the conversation with the bot.'],
  404: ['ConversationNotFound', 'Conversation not found.'],
  412: ['PreconditionFailed', 'Precondition failed, please try again.'],
  413: ['MessageSizeTooBig', 'Message size too large.'],
  429: ['Throttled', 'Too many requests.'],
  500: ['ServiceError', 'Internal server error.'],
  502: ['ServiceError', 'Service dependency issue.'],
  503: ['ServiceUnavailable', 'Service is unavailable.'],
  504: ['GatewayTimeout', 'Gateway Timeout.'],
};

export async function startChannel(options: StartChannelOptions): Promise<Channel> {
  const localBotUrl = (url: string): URL => {
    const parsed = new URL(url);
    if (parsed.hostname !== '127.0.0.1' && parsed.hostname !== 'localhost' && parsed.hostname !== '[::1]') {
      throw new Error(`startChannel: botUrl must be on localhost, got ${url}`);
    }
    return parsed;
  };
  let botUrl = localBotUrl(options.botUrl);
  const bot = options.bot ?? { ...DEFAULT_BOT };
  const maxMessageBytes = options.maxMessageBytes === undefined ? 100 * 1024 : options.maxMessageBytes;
  const botTimeoutMs = options.botTimeoutMs ?? 15_000;
  const startedAt = Date.now();

  const usersById = new Map<string, ChannelUser>();
  const conversations = new Map<string, ConversationRecord>();
  const conversationByUser = new Map<string, string>();
  const uninstalled = new Set<string>();
  const blocked = new Set<string>();
  const stored = new Map<string, StoredActivity>(); // key: `${conversationId}\n${activityId}`
  const storedOrder: StoredActivity[] = [];
  const outgoing: OutgoingEvent[] = [];
  const requests: RecordedRequest[] = [];
  const warnings: string[] = [];
  const failures: PendingFailure[] = [];
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let rateLimits: RateLimitRule[] | undefined;
  // accepted calls per conversation ('' = calls without one) and in total, oldest first, for the rate limits
  let acceptedByConversation = new Map<string, { at: number; operation: ConnectorOperation }[]>();
  let acceptedAll: { at: number; operation: ConnectorOperation }[] = [];
  let randomFailure: (RandomFailureOptions & { next: () => number }) | undefined;
  let statsSince = 0; // index into `requests`
  let idCounter = Date.now();

  const nextMessageId = (): string => String(++idCounter);

  const usersByAad = new Map<string, ChannelUser>();
  function addUser(user: ChannelUser): void {
    usersById.set(user.id, user);
    usersByAad.set(user.aadObjectId, user);
  }
  for (const u of options.users ?? []) addUser(u);

  function findUser(idOrAad: string): ChannelUser | undefined {
    return usersById.get(idOrAad) ?? usersByAad.get(idOrAad);
  }

  function conversationFor(user: ChannelUser): PersonalConversation {
    if (!usersById.has(user.id)) addUser(user);
    let id = conversationByUser.get(user.id);
    if (!id) {
      const digest = createHash('sha256').update(`${user.tenantId}|${user.id}|${bot.id}`).digest('base64url');
      id = `a:1${digest}${randomBytes(8).toString('base64url')}`;
      conversationByUser.set(user.id, id);
      conversations.set(id, { id, tenantId: user.tenantId, userId: user.id });
    }
    return { id, conversationType: 'personal', tenantId: user.tenantId };
  }

  function teamsMember(user: ChannelUser): Record<string, unknown> {
    return {
      id: user.id,
      name: user.name,
      aadObjectId: user.aadObjectId,
      givenName: user.givenName ?? null,
      surname: user.surname ?? null,
      email: user.email ?? null,
      userPrincipalName: user.userPrincipalName ?? null,
      tenantId: user.tenantId,
      userRole: 'user',
    };
  }

  // ----- activities to the bot -----

  function buildActivity(
    user: ChannelUser,
    partial: Partial<ChannelActivity> & { type: string },
    opts: ActivityOptions = {},
  ): ChannelActivity {
    const conversation = opts.conversation ?? conversationFor(user);
    const timestamp = (opts.timestamp ?? new Date()).toISOString();
    const locale = opts.locale ?? user.locale ?? 'en-US';
    const activity: ChannelActivity = {
      ...partial,
      type: partial.type,
      id: opts.id ?? partial.id ?? nextMessageId(),
      timestamp,
      localTimestamp: timestamp,
      channelId: 'msteams',
      serviceUrl,
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: bot.id, name: bot.name },
      conversation: { ...conversation },
      entities: opts.entities ?? [
        {
          type: 'clientInfo',
          locale,
          country: locale.split('-')[1] ?? 'SE',
          platform: 'Web',
          timezone: user.timezone ?? 'Europe/Stockholm',
        },
      ],
      channelData: {
        tenant: { id: conversation.tenantId ?? user.tenantId },
        ...(partial.channelData ?? {}),
        ...(opts.channelData ?? {}),
      },
      locale,
      localTimezone: user.timezone ?? 'Europe/Stockholm',
    };
    if (opts.replyToId !== undefined) activity.replyToId = opts.replyToId;
    if (opts.value !== undefined) activity.value = opts.value;
    if (opts.attachments !== undefined) activity.attachments = opts.attachments;
    return { ...activity, ...(opts.extra ?? {}) };
  }

  async function authorizationHeader(): Promise<Record<string, string>> {
    const a = options.authorization;
    if (a === undefined) return {};
    return { authorization: typeof a === 'string' ? a : await a() };
  }

  async function postToBot(body: string, headers: Record<string, string>): Promise<RawResponse> {
    const res = await fetch(botUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(await authorizationHeader()),
        ...headers,
      },
      body,
      signal: AbortSignal.timeout(botTimeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: parseMaybeJson(text), text, headers: res.headers };
  }

  async function send(
    activity: ChannelActivity,
    opts: { headers?: Record<string, string> } = {},
  ): Promise<BotResponse> {
    const conv = activity.conversation;
    const teamsHeaders: Record<string, string> = {
      'x-ms-conversation-id': conv?.id ?? '',
      'x-ms-tenant-id': conv?.tenantId ?? '',
    };
    const raw = await postToBot(JSON.stringify(activity), { ...teamsHeaders, ...(opts.headers ?? {}) });
    return { ...raw, activity };
  }

  async function say(user: ChannelUser, text: string, opts: ActivityOptions = {}): Promise<BotResponse> {
    const activity = buildActivity(user, { type: 'message', text, textFormat: 'plain' }, opts);
    return send(activity, opts.headers ? { headers: opts.headers } : {});
  }

  async function invoke(
    user: ChannelUser,
    name: string,
    value: unknown,
    opts: ActivityOptions = {},
  ): Promise<BotResponse> {
    const invokeId = opts.id ?? `f:${randomBytes(12).toString('hex')}`;
    const channelData: Record<string, unknown> = { source: { name: 'message' } };
    if (opts.replyToId !== undefined) channelData.legacy = { replyToId: opts.replyToId };
    const activity = buildActivity(
      user,
      { type: 'invoke', name, value },
      { ...opts, id: invokeId, channelData: { ...channelData, ...(opts.channelData ?? {}) } },
    );
    return send(activity, opts.headers ? { headers: opts.headers } : {});
  }

  async function execute(
    user: ChannelUser,
    verb: string,
    data: unknown = {},
    opts: ActivityOptions = {},
  ): Promise<BotResponse> {
    return invoke(
      user,
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      opts,
    );
  }

  async function installBot(user: ChannelUser, opts: InstallOptions = {}): Promise<BotResponse[]> {
    uninstalled.delete(user.id);
    const results: BotResponse[] = [];
    for (const kind of opts.events ?? ['conversationUpdate', 'installationUpdate']) {
      const partial: ChannelActivity =
        kind === 'conversationUpdate'
          ? { type: 'conversationUpdate', membersAdded: [{ id: bot.id }] }
          : { type: 'installationUpdate', action: 'add' };
      results.push(await send(buildActivity(user, partial)));
    }
    return results;
  }

  async function uninstallBot(user: ChannelUser, opts: InstallOptions = {}): Promise<BotResponse[]> {
    const results: BotResponse[] = [];
    for (const kind of opts.events ?? ['installationUpdate', 'conversationUpdate']) {
      const partial: ChannelActivity =
        kind === 'conversationUpdate'
          ? { type: 'conversationUpdate', membersRemoved: [{ id: bot.id }] }
          : { type: 'installationUpdate', action: 'remove' };
      results.push(await send(buildActivity(user, partial)));
    }
    uninstalled.add(user.id);
    return results;
  }

  async function post(rawBody: string | object, headers: Record<string, string> = {}): Promise<RawResponse> {
    return postToBot(typeof rawBody === 'string' ? rawBody : JSON.stringify(rawBody), headers);
  }

  // ----- the connector API the bot calls -----

  function recordOutgoing(kind: OutgoingKind, record: StoredActivity): void {
    const event: OutgoingEvent = {
      seq: outgoing.length,
      at: Date.now(),
      kind,
      conversationId: record.conversationId,
      activityId: record.id,
      activity: clone(record.activity),
    };
    outgoing.push(event);
    emitter.emit('outgoing', event);
  }

  function checkActivityBody(body: unknown): ChannelActivity {
    if (!isRecord(body) || typeof body.type !== 'string') {
      throw teamsError(400, 'BadArgument', 'Activity must be a JSON object with a type.');
    }
    const activity = body as ChannelActivity;
    if (maxMessageBytes !== null) {
      const utf16Bytes = JSON.stringify(activity).length * 2;
      if (utf16Bytes > maxMessageBytes) throw teamsError(413, 'MessageSizeTooBig', 'Message size too large.');
    }
    for (const a of activity.attachments ?? []) {
      if (a.contentType !== ADAPTIVE_CARD_CONTENT_TYPE) continue;
      if (!isRecord(a.content)) {
        warnings.push(`adaptive card attachment without an object content (activity ${activity.id ?? '?'})`);
        continue;
      }
      if (a.content.type !== 'AdaptiveCard')
        warnings.push(`adaptive card content.type is ${String(a.content.type)}`);
      const version = Number(a.content.version);
      if (!Number.isFinite(version) || version > 1.5)
        warnings.push(`adaptive card version ${String(a.content.version)} (Teams supports ≤ 1.5)`);
    }
    return activity;
  }

  function requireConversation(conversationId: string | undefined): ConversationRecord {
    const conv = conversationId === undefined ? undefined : conversations.get(conversationId);
    if (!conv) throw teamsError(404, 'ConversationNotFound', 'Conversation not found.');
    return conv;
  }

  function requireWritable(conv: ConversationRecord): void {
    if (uninstalled.has(conv.userId))
      throw teamsError(403, 'BotNotInConversationRoster', "The bot isn't part of the conversation roster.");
    if (blocked.has(conv.userId))
      throw teamsError(403, 'ConversationBlockedByUser', 'User blocked the conversation with the bot.');
  }

  function storeNew(
    kind: StoredActivity['kind'],
    conversationId: string,
    activity: ChannelActivity,
    replyToId?: string,
  ): StoredActivity {
    const id = nextMessageId();
    const version: ChannelActivity = { ...clone(activity), id };
    if (!version.conversation) version.conversation = { id: conversationId };
    const now = Date.now();
    const record: StoredActivity = {
      id,
      conversationId,
      kind,
      activity: version,
      history: [version],
      deleted: false,
      sentAt: now,
      updatedAt: now,
    };
    if (replyToId !== undefined) record.replyToId = replyToId;
    if (version.conversation.id !== conversationId) {
      warnings.push(
        `activity ${id} posted to ${conversationId} but its conversation.id is ${version.conversation.id}`,
      );
    }
    stored.set(`${conversationId}\n${id}`, record);
    storedOrder.push(record);
    recordOutgoing(kind, record);
    return record;
  }

  function requireStored(conversationId: string, activityId: string | undefined): StoredActivity {
    const record = activityId === undefined ? undefined : stored.get(`${conversationId}\n${activityId}`);
    if (!record || record.deleted)
      throw teamsError(404, 'ActivityNotFoundInConversation', 'Conversation not found.');
    return record;
  }

  type Handler = (
    match: RouteMatch,
    body: unknown,
    query: URLSearchParams,
  ) => { status: number; body?: unknown };

  const handlers: Record<Exclude<ConnectorOperation, 'unknown'>, Handler> = {
    getConversations: () => ({
      status: 200,
      body: {
        conversations: [...conversations.values()].map((c) => {
          const user = usersById.get(c.userId);
          return { id: c.id, members: user ? [teamsMember(user)] : [] };
        }),
      },
    }),

    createConversation: (_m, body) => {
      if (!isRecord(body)) throw teamsError(400, 'BadSyntax', 'Incorrect conversation creation parameters');
      const tenantId = body.tenantId;
      if (typeof tenantId !== 'string' || tenantId === '') {
        throw teamsError(
          400,
          'BadSyntax',
          'Incorrect conversation creation parameters: tenantId is required',
        );
      }
      const members = Array.isArray(body.members) ? (body.members as unknown[]) : [];
      if (body.isGroup === true || members.length !== 1) {
        throw teamsError(400, 'BadSyntax', 'Incorrect conversation creation parameters');
      }
      const member = members[0];
      const memberId = isRecord(member) && typeof member.id === 'string' ? member.id : '';
      const user = findUser(memberId);
      if (!user || user.tenantId !== tenantId)
        throw teamsError(400, 'BadArgument', 'Invalid user identity in provided tenant');
      if (uninstalled.has(user.id))
        throw teamsError(403, 'ForbiddenOperationException', "Bot isn't installed in user's personal scope");
      const conversation = conversationFor(user);
      const initial = body.activity;
      if (initial !== undefined) {
        const activity = checkActivityBody(initial);
        requireWritable(requireConversation(conversation.id));
        storeNew('create', conversation.id, { ...activity, conversation: { ...conversation } });
      }
      return { status: 201, body: { id: conversation.id } };
    },

    sendToConversation: (m, body) => {
      const conv = requireConversation(m.conversationId);
      const activity = checkActivityBody(body);
      requireWritable(conv);
      const record = storeNew(
        'send',
        conv.id,
        activity,
        typeof activity.replyToId === 'string' ? activity.replyToId : undefined,
      );
      return { status: 201, body: { id: record.id } };
    },

    replyToActivity: (m, body) => {
      const conv = requireConversation(m.conversationId);
      const activity = checkActivityBody(body);
      requireWritable(conv);
      const record = storeNew('reply', conv.id, activity, m.activityId);
      return { status: 201, body: { id: record.id } };
    },

    updateActivity: (m, body) => {
      const conv = requireConversation(m.conversationId);
      const activity = checkActivityBody(body);
      requireWritable(conv);
      const record = requireStored(conv.id, m.activityId);
      const version: ChannelActivity = { ...clone(activity), id: record.id };
      if (!version.conversation) version.conversation = { id: conv.id };
      record.activity = version;
      record.history.push(version);
      record.updatedAt = Date.now();
      recordOutgoing('update', record);
      return { status: 200, body: { id: record.id } };
    },

    deleteActivity: (m) => {
      const conv = requireConversation(m.conversationId);
      requireWritable(conv);
      const record = requireStored(conv.id, m.activityId);
      record.deleted = true;
      record.updatedAt = Date.now();
      recordOutgoing('delete', record);
      return { status: 200 };
    },

    getConversationMembers: (m) => {
      const conv = requireConversation(m.conversationId);
      const user = usersById.get(conv.userId);
      return { status: 200, body: user ? [teamsMember(user)] : [] };
    },

    getActivityMembers: (m) => {
      const conv = requireConversation(m.conversationId);
      const user = usersById.get(conv.userId);
      return { status: 200, body: user ? [teamsMember(user)] : [] };
    },

    getConversationMember: (m) => {
      const conv = requireConversation(m.conversationId);
      const user = m.memberId === undefined ? undefined : findUser(m.memberId);
      if (!user || user.id !== conv.userId)
        throw teamsError(404, 'MemberNotFoundInConversation', 'Member not found');
      return { status: 200, body: teamsMember(user) };
    },

    getConversationPagedMembers: (m, _body, query) => {
      const conv = requireConversation(m.conversationId);
      const all = [...usersById.values()].filter((u) => u.id === conv.userId).map(teamsMember);
      const pageSize = Math.max(1, Number(query.get('pageSize') ?? '') || 200);
      const start = Number(query.get('continuationToken') ?? '0') || 0;
      const page = all.slice(start, start + pageSize);
      const next = start + pageSize < all.length ? String(start + pageSize) : undefined;
      return {
        status: 200,
        body: next === undefined ? { members: page } : { members: page, continuationToken: next },
      };
    },
  };

  function takeInjectedFailure(operation: ConnectorOperation): PendingFailure | undefined {
    const failure = failures.find(
      (f) => f.remaining > 0 && (!f.operations || f.operations.includes(operation)),
    );
    if (!failure) return undefined;
    failure.remaining -= 1;
    return failure;
  }

  function checkRateLimits(match: RouteMatch): void {
    if (!rateLimits || rateLimits.length === 0) return;
    const now = Date.now();
    const longest = (scope: RateLimitRule['scope']) =>
      Math.max(0, ...(rateLimits ?? []).filter((r) => r.scope === scope).map((r) => r.windowSeconds * 1000));
    const prune = (list: { at: number }[], horizonMs: number) => {
      let drop = 0;
      while (drop < list.length && now - (list[drop] as { at: number }).at >= horizonMs) drop++;
      if (drop > 0) list.splice(0, drop);
    };
    prune(acceptedAll, longest('global'));
    const mine = acceptedByConversation.get(match.conversationId ?? '');
    if (mine) prune(mine, longest('conversation'));
    for (const rule of rateLimits) {
      if (!rule.operations.includes(match.operation)) continue;
      // a call without a conversation (creating one) is not a call on any thread: only global rules count it
      if (rule.scope === 'conversation' && match.conversationId === undefined) continue;
      const windowMs = rule.windowSeconds * 1000;
      const list = rule.scope === 'global' ? acceptedAll : (mine ?? []);
      let count = 0;
      let oldest = now;
      for (let i = list.length - 1; i >= 0; i--) {
        const a = list[i] as { at: number; operation: ConnectorOperation };
        if (now - a.at >= windowMs) break;
        if (!rule.operations.includes(a.operation)) continue;
        count++;
        oldest = a.at;
      }
      if (count >= rule.max) {
        const retryAfter = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
        throw teamsError(429, 'Throttled', 'Too many requests.', { 'retry-after': String(retryAfter) });
      }
    }
  }

  function recordAccepted(entry: RecordedRequest, match: RouteMatch): void {
    const call = { at: entry.at, operation: match.operation };
    acceptedAll.push(call);
    const key = match.conversationId ?? '';
    const list = acceptedByConversation.get(key);
    if (list) list.push(call);
    else acceptedByConversation.set(key, [call]);
  }

  function takeRandomFailure(operation: ConnectorOperation): PendingFailure | undefined {
    const f = randomFailure;
    if (!f || (f.operations && !f.operations.includes(operation))) return undefined;
    if (f.next() >= f.rate) return undefined;
    const status = f.status ?? 429;
    const [code, message] = DEFAULT_FAILURE_CODES[status] ?? ['ServiceError', `Injected failure ${status}.`];
    return {
      remaining: 0,
      status,
      retryAfterSeconds: f.retryAfterSeconds ?? (status === 429 ? 1 : undefined),
      code,
      message,
      operations: f.operations,
    };
  }

  function errorBody(err: HttpError): unknown {
    return { error: { code: err.code, message: err.message } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', serviceUrl);
    const method = req.method ?? 'GET';
    const match = matchRoute(method, url.pathname);
    const text = await readBody(req);
    const entry: RecordedRequest = {
      at: Date.now(),
      method,
      path: url.pathname + url.search,
      operation: match.operation,
      body: undefined,
      status: 0,
      responseBody: undefined,
      injected: false,
    };
    if (match.conversationId !== undefined) entry.conversationId = match.conversationId;
    if (match.activityId !== undefined) entry.activityId = match.activityId;
    if (typeof req.headers.authorization === 'string') entry.authorization = req.headers.authorization;
    requests.push(entry);

    let status: number;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      if (text !== '') {
        try {
          entry.body = JSON.parse(text) as unknown;
        } catch {
          entry.body = text;
          throw teamsError(400, 'BadSyntax', 'Request body is not valid JSON.');
        }
      }
      if (match.operation === 'unknown')
        throw teamsError(404, 'NotFound', `No connector route for ${method} ${url.pathname}`);
      const failure = takeInjectedFailure(match.operation) ?? takeRandomFailure(match.operation);
      if (failure) {
        entry.injected = true;
        const h: Record<string, string> = {};
        if (failure.retryAfterSeconds !== undefined) h['retry-after'] = String(failure.retryAfterSeconds);
        throw teamsError(failure.status, failure.code, failure.message, h);
      }
      checkRateLimits(match);
      const result = handlers[match.operation](match, entry.body, url.searchParams);
      status = result.status;
      body = result.body;
      recordAccepted(entry, match);
    } catch (err) {
      if (err instanceof HttpError) {
        status = err.status;
        body = errorBody(err);
        headers = err.headers;
      } else {
        status = 500;
        body = { error: { code: 'ServiceError', message: err instanceof Error ? err.message : String(err) } };
      }
    }
    entry.status = status;
    entry.responseBody = body;
    const payload = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'content-length': String(Buffer.byteLength(payload)),
      'ms-cv': randomBytes(12).toString('base64'),
    });
    res.end(payload);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'ServiceError', message: String(err) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const serviceUrl = `http://127.0.0.1:${port}/`;

  // ----- inspection and waiting -----

  function activities(conversationId?: string): ChannelActivity[] {
    return storedOrder
      .filter((r) => !r.deleted && (conversationId === undefined || r.conversationId === conversationId))
      .map((r) => clone(r.activity));
  }

  function transcript(conversationId?: string): StoredActivity[] {
    return storedOrder
      .filter((r) => conversationId === undefined || r.conversationId === conversationId)
      .map((r) => clone(r));
  }

  function waitFor(
    predicate: (activity: ChannelActivity, event: OutgoingEvent) => boolean,
    opts: WaitOptions = {},
  ): Promise<ChannelActivity> {
    const timeoutMs = opts.timeoutMs ?? 2_000;
    const since = opts.since ?? 0;
    for (const event of outgoing.slice(since)) {
      if (predicate(event.activity, event)) return Promise.resolve(clone(event.activity));
    }
    return new Promise<ChannelActivity>((resolve, reject) => {
      const listener = (event: OutgoingEvent): void => {
        let matched = false;
        try {
          matched = predicate(event.activity, event);
        } catch (err) {
          cleanup();
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        if (matched) {
          cleanup();
          resolve(clone(event.activity));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = outgoing
          .slice(since)
          .slice(-10)
          .map((e) => `  #${e.seq} ${e.kind} ${e.conversationId}/${e.activityId}: ${summarize(e.activity)}`)
          .join('\n');
        reject(
          new Error(
            `channel.waitFor: no matching activity from the bot within ${timeoutMs} ms. Last outgoing events:\n${seen || '  (none)'}`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        emitter.off('outgoing', listener);
      };
      emitter.on('outgoing', listener);
    });
  }

  function lastCard(conversationId: string): Record<string, unknown> | undefined {
    for (let i = storedOrder.length - 1; i >= 0; i--) {
      const r = storedOrder[i];
      if (!r || r.deleted || r.conversationId !== conversationId) continue;
      const card = adaptiveCardOf(r.activity);
      if (card) return clone(card);
    }
    return undefined;
  }

  // ----- faults and stats -----

  function failNext(n: number, opts: FailureOptions = {}): void {
    const status = opts.status ?? 429;
    const [defaultCode, defaultMessage] = DEFAULT_FAILURE_CODES[status] ?? [
      'ServiceError',
      `Injected failure ${status}.`,
    ];
    failures.push({
      remaining: n,
      status,
      retryAfterSeconds: opts.retryAfterSeconds ?? (status === 429 ? 1 : undefined),
      code: opts.code ?? defaultCode,
      message: opts.message ?? defaultMessage,
      operations: opts.operations,
    });
  }

  function stats(): ChannelStats {
    const window = requests.slice(statsSince);
    const byOperation: Partial<Record<ConnectorOperation, number>> = {};
    const byStatus: Record<string, number> = {};
    const perSecondMap = new Map<number, number>();
    const perConvSecond = new Map<string, number>();
    for (const r of window) {
      byOperation[r.operation] = (byOperation[r.operation] ?? 0) + 1;
      byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1;
      const second = Math.floor((r.at - startedAt) / 1000);
      perSecondMap.set(second, (perSecondMap.get(second) ?? 0) + 1);
      if (r.conversationId !== undefined) {
        const key = `${r.conversationId}\n${second}`;
        perConvSecond.set(key, (perConvSecond.get(key) ?? 0) + 1);
      }
    }
    const maxPerSecondByConversation: Record<string, number> = {};
    for (const [key, count] of perConvSecond) {
      const conv = key.split('\n')[0] ?? '';
      maxPerSecondByConversation[conv] = Math.max(maxPerSecondByConversation[conv] ?? 0, count);
    }
    const perSecond = [...perSecondMap.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([second, count]) => ({ second, count }));
    return {
      total: window.length,
      byOperation,
      byStatus,
      injectedFailures: window.filter((r) => r.injected).length,
      throttled: window.filter((r) => r.status === 429 && !r.injected).length,
      perSecond,
      maxPerSecond: perSecond.reduce((m, s) => Math.max(m, s.count), 0),
      maxPerSecondByConversation,
    };
  }

  async function close(): Promise<void> {
    emitter.removeAllListeners();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  return {
    serviceUrl,
    port,
    bot,
    requests,
    warnings,
    addUser,
    users: () => [...usersById.values()],
    conversationFor,
    buildActivity,
    say,
    invoke,
    execute,
    installBot,
    uninstallBot,
    block: (user) => {
      blocked.add(user.id);
    },
    unblock: (user) => {
      blocked.delete(user.id);
    },
    send,
    post,
    activities,
    transcript,
    events: () => outgoing.map((e) => clone(e)),
    mark: () => outgoing.length,
    waitFor,
    lastCard,
    failNext,
    clearFailures: () => {
      failures.length = 0;
    },
    setRateLimits: (rules) => {
      rateLimits = rules;
      acceptedByConversation = new Map();
      acceptedAll = [];
    },
    failRandomly: (opts) => {
      if (!opts) {
        randomFailure = undefined;
        return;
      }
      let seed = opts.seed ?? 1;
      // mulberry32: a small, deterministic sequence
      const next = () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      randomFailure = { ...opts, next };
    },
    messagesTo: (user) => {
      const conversationId = conversationByUser.get(user.id);
      return conversationId === undefined
        ? 0
        : storedOrder.filter((r) => r.conversationId === conversationId).length;
    },
    setBotUrl: (url) => {
      botUrl = localBotUrl(url);
    },
    stats,
    resetStats: () => {
      statsSince = requests.length;
    },
    close,
  };
}
