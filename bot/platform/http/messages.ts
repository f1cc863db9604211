/**
 * POST /api/messages, hardened before botbuilder sees anything. In order, each refusal before any work:
 *  1. the embedded default (no bot identity) answers only requests addressed to this machine (Host is a
 *     loopback name, so a DNS-rebinding page is refused), 403;
 *  2. JSON only (415): a form post, which any web page can make a browser send, is refused;
 *  3. no Content-Encoding (415): restify counted compressed bytes against its limit, so a small gzip body
 *     could inflate to hundreds of megabytes;
 *  4. with a bot identity, an Authorization header must be there before the body is read (401);
 *  5. at most MAX_BODY_BYTES are read (413), the JSON parsed (400) and checked against the activity shape
 *     the bot reads (400): `locale`, `text`, `from`, `conversation`, an invoke's action…;
 *  6. the Bot Framework token is checked (401) and must vouch for the activity's serviceUrl; on the embedded
 *     default the serviceUrl must be on this machine (403), since the bot posts its replies there;
 *  7. a caller over their rate gets 429 with Retry-After.
 * Only then does botbuilder run the turn (and the bot store the conversation reference).
 * Every refusal is `{"error":{"code","message"}}`, the message in the activity's language when it gave one.
 */
import type { Activity, ActivityHandler, CloudAdapter } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type restify from 'restify';
import { z } from 'zod';
import { type Lang, langOf, type MessageKey, t } from '../i18n';
import type { Logger } from '../logger';
import { isLoopbackHostHeader, isLoopbackUrl } from './loopback';
import type { RateLimiter } from './rateLimit';

export const MAX_BODY_BYTES = 256 * 1024;

export interface MessagesDeps {
  adapter: CloudAdapter;
  botAuth: BotFrameworkAuthentication;
  bot: ActivityHandler;
  log: Logger;
  /** The bot's app id; absent on the embedded default, which then trusts this machine only. */
  appId?: string;
  rateLimit?: RateLimiter;
}

const text = (max: number) => z.string().max(max);
const account = z.looseObject({
  id: text(1000),
  name: text(1000).nullish(),
  aadObjectId: text(100).nullish(),
});
/** The parts of an activity the bot reads, with their types; anything else passes through untouched. */
const activitySchema = z.looseObject({
  type: text(100).min(1),
  id: text(1000).nullish(),
  name: text(200).nullish(),
  text: text(100_000).nullish(),
  locale: text(100).nullish(),
  serviceUrl: text(2000).min(1),
  channelId: text(100).nullish(),
  from: account,
  recipient: account.nullish(),
  conversation: z.looseObject({
    id: text(2000).min(1),
    tenantId: text(100).nullish(),
    conversationType: text(100).nullish(),
  }),
  channelData: z.record(z.string(), z.unknown()).nullish(),
  attachments: z.array(z.looseObject({ contentType: text(1000) })).nullish(),
  membersAdded: z.array(account).nullish(),
  membersRemoved: z.array(account).nullish(),
  replyToId: text(1000).nullish(),
  timestamp: text(100).nullish(),
});
/** A Universal Action: Teams always sends the action with its type; verb and data are checked by the bot. */
const cardActionValue = z.looseObject({
  action: z.looseObject({ type: text(100), verb: text(200).nullish(), data: z.unknown() }),
});

class Refusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
    readonly headers: Record<string, string> = {},
  ) {}
}

export function messagesHandler(deps: MessagesDeps): restify.RequestHandler {
  const embedded = !deps.appId;
  return async (req, res) => {
    let lang: Lang = 'sv';
    try {
      const activity = await admit(req, deps, embedded, (l) => {
        lang = l;
      });
      req.body = activity;
      await deps.adapter.process(req as never, res as never, (context) => deps.bot.run(context));
    } catch (error) {
      if (!(error instanceof Refusal)) {
        deps.log.error({ err: error }, 'an activity failed');
        if (!res.headersSent) reply(res, new Refusal(500, 'internal', 'error.internal'), lang);
        return;
      }
      deps.log.warn(
        { status: error.status, code: error.code, peer: req.socket.remoteAddress },
        'an activity was refused',
      );
      if (!res.headersSent) reply(res, error, lang);
    }
  };
}

function reply(res: restify.Response, refusal: Refusal, lang: Lang): void {
  for (const [name, value] of Object.entries(refusal.headers)) res.setHeader(name, value);
  res.status(refusal.status);
  res.json({ error: { code: refusal.code, message: t(lang, refusal.key, refusal.params) } });
}

async function admit(
  req: restify.Request,
  deps: MessagesDeps,
  embedded: boolean,
  setLang: (lang: Lang) => void,
): Promise<Activity> {
  if (embedded && !isLoopbackHostHeader(req.header('host')))
    throw new Refusal(403, 'local_only', 'messages.localOnly');
  const contentType = (req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') throw new Refusal(415, 'json_only', 'messages.jsonOnly');
  const encoding = (req.header('content-encoding') ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') throw new Refusal(415, 'encoding', 'messages.encoding');
  const authorization = req.header('authorization') ?? '';
  if (!embedded && !/^Bearer \S+$/i.test(authorization.trim()))
    throw new Refusal(401, 'unauthorized', 'messages.unauthorized');

  const declared = Number(req.header('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  const raw = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new Refusal(400, 'bad_json', 'api.badJson');
  }
  const locale = (body as { locale?: unknown } | null)?.locale;
  if (typeof locale === 'string') setLang(langOf(locale));
  const parsed = activitySchema.safeParse(body);
  if (!parsed.success) throw new Refusal(400, 'bad_activity', 'messages.badActivity');
  const activity = parsed.data;
  // the one invoke the bot answers is a Universal Action; any other (or none) would be botbuilder's 501
  if (
    activity.type === 'invoke' &&
    (activity.name !== 'adaptiveCard/action' || !cardActionValue.safeParse(activity.value).success)
  )
    throw new Refusal(400, 'bad_activity', 'messages.badActivity');

  let claims: { getClaimValue(type: string): string | null } | undefined;
  try {
    claims = (await deps.botAuth.authenticateRequest(activity as unknown as Activity, authorization))
      .claimsIdentity;
  } catch (error) {
    deps.log.warn({ err: error }, 'an activity without a valid Bot Framework token was refused');
    throw new Refusal(401, 'unauthorized', 'messages.unauthorized');
  }
  if (embedded) {
    // no token vouches for anything here: the bot would post its replies (and later proactive cards) to any URL
    if (!isLoopbackUrl(activity.serviceUrl)) throw new Refusal(403, 'local_only', 'messages.localServiceUrl');
  } else if (claims?.getClaimValue('serviceurl') !== activity.serviceUrl) {
    throw new Refusal(401, 'unauthorized', 'messages.unauthorized');
  }

  const caller = activity.from.aadObjectId ?? activity.from.id;
  const decision = deps.rateLimit?.take(`messages:${caller}`);
  if (decision && !decision.allowed)
    throw new Refusal(
      429,
      'rate_limited',
      'error.rateLimited',
      { seconds: decision.retryAfterSeconds },
      { 'retry-after': String(decision.retryAfterSeconds) },
    );
  return activity as unknown as Activity;
}

const tooLarge = () => new Refusal(413, 'too_large', 'api.tooLarge', { max: MAX_BODY_BYTES / 1024 });

/** Reads at most MAX_BODY_BYTES of the request; more is a 413 (the rest is not read). */
async function readBody(req: restify.Request): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
