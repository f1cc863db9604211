/**
 * Signed links to the files this service serves (generated reports at /files/…, governing documents at
 * /documents/…). A chat card cannot carry the tab's token, so every such link that leaves in a bot message
 * is signed on its way out (a botbuilder middleware on the adapters): `?exp=<unix seconds>&for=<person>&sig=…`,
 * an HMAC-SHA256 over the path, the expiry and the person, with a key kept in the data directory. A link
 * that is unsigned, altered or past its expiry is refused; the tab reads the same files with its token.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Middleware, TurnContext } from 'botbuilder';
import { EXIT, StartupError } from '../errors';

export class LinkSigner {
  private key: Buffer | undefined;

  constructor(
    private readonly keyFile: string,
    /** How long a signed link holds. */
    private readonly lifetimeMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Loads the key, creating it on first use; a damaged key file stops the start, naming it. */
  load(): Buffer {
    if (this.key) return this.key;
    if (fs.existsSync(this.keyFile)) {
      const text = fs.readFileSync(this.keyFile, 'utf8').trim();
      if (!/^[0-9a-f]{64}$/.test(text))
        throw new StartupError(
          `${this.keyFile}: the link signing key is damaged (expected 64 hexadecimal characters); delete the file to create a new one (links already sent in chat stop working)`,
          { exitCode: EXIT.ioError },
        );
      this.key = Buffer.from(text, 'hex');
    } else {
      this.key = randomBytes(32);
      fs.mkdirSync(path.dirname(this.keyFile), { recursive: true });
      fs.writeFileSync(this.keyFile, this.key.toString('hex'), { mode: 0o600 });
    }
    return this.key;
  }

  private mac(pathname: string, exp: string, person: string): string {
    return createHmac('sha256', this.load()).update(`${pathname}\n${exp}\n${person}`).digest('base64url');
  }

  /** The URL with its signature; `personId` is the person it is sent to (named in the download's audit event). */
  sign(url: string, personId = ''): string {
    const parsed = new URL(url);
    const exp = String(Math.floor((this.clock().getTime() + this.lifetimeMs) / 1000));
    const query = new URLSearchParams({ exp });
    if (personId) query.set('for', personId);
    query.set('sig', this.mac(parsed.pathname, exp, personId));
    return `${parsed.origin}${parsed.pathname}?${query.toString()}${parsed.hash}`;
  }

  /** The person a valid, unexpired signature names ('' when it names none); undefined when it is not valid. */
  verify(pathname: string, query: URLSearchParams): string | undefined {
    const exp = query.get('exp') ?? '';
    const sig = query.get('sig') ?? '';
    const person = query.get('for') ?? '';
    if (!/^\d{1,12}$/.test(exp) || Number(exp) * 1000 < this.clock().getTime()) return undefined;
    const expected = Buffer.from(this.mac(pathname, exp, person));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected) ? person : undefined;
  }
}

/**
 * Signs, in any JSON-like value, the links to `publicUrl`/files/… and `publicUrl`/documents/…, for the
 * person named: the bot's messages (below) and the tab API's responses (the tab's links then open in a
 * browser tab without the token, like a chat card's) use the same walk.
 */
export function linkSigning(
  signer: LinkSigner,
  publicUrl: string,
): (value: unknown, person: string) => unknown {
  const base = publicUrl.replace(/\/$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    `${base}/(?:files|documents)/[^\\s"'<>()\\[\\]?#]+(?:\\?[^\\s"'<>()\\[\\]#]*)?`,
    'g',
  );
  const signAll = (text: string, person: string) =>
    text.replace(pattern, (link) => signer.sign(link.split('?')[0] as string, person));
  const walk = (value: unknown, person: string): unknown => {
    if (typeof value === 'string') return value.includes('/') ? signAll(value, person) : value;
    if (Array.isArray(value)) return value.map((item) => walk(item, person));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = walk(item, person);
      return out;
    }
    return value;
  };
  return walk;
}

/**
 * A middleware that signs, in every outgoing activity (sends, updates, invoke responses), the links to
 * `publicUrl`/files/… and `publicUrl`/documents/…, for the person the conversation is with.
 */
export function signLinksMiddleware(signer: LinkSigner, publicUrl: string): Middleware {
  const walk = linkSigning(signer, publicUrl);
  const signAll = (text: string, person: string) => walk(text, person) as string;
  // in a turn the sender; in a proactive send the continuation's `from` is the reference's user
  const personOf = (context: TurnContext): string =>
    (context.activity.from as { aadObjectId?: string } | undefined)?.aadObjectId ?? '';
  return {
    onTurn: async (context, next) => {
      const person = personOf(context);
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        for (const activity of activities) {
          if (activity.text) activity.text = signAll(activity.text, person);
          if (activity.attachments) activity.attachments = walk(activity.attachments, person) as never;
          if (activity.value !== undefined) activity.value = walk(activity.value, person);
        }
        return nextSend();
      });
      context.onUpdateActivity(async (_ctx, activity, nextUpdate) => {
        if (activity.text) activity.text = signAll(activity.text, person);
        if (activity.attachments) activity.attachments = walk(activity.attachments, person) as never;
        return nextUpdate();
      });
      await next();
    },
  };
}
