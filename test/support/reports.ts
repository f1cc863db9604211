/** Helpers for the report tests: the tab API with the embedded default's own tokens, cards as users see them, a transcript. */
import fs from 'node:fs';
import type { Running, TestClock } from './app';
import { ADAPTIVE_CARD_CONTENT_TYPE, type Channel, type ChannelActivity, type ChannelUser } from './channel';

export const cardOf = (activity: ChannelActivity) =>
  activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content as
    | Record<string, unknown>
    | undefined;

export const textOf = (value: unknown) => JSON.stringify(value);

/** The verbs of a card's Action.Execute buttons, those inside Action.ShowCard included (not the refresh). */
export function verbsOf(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string') found.push(o.verb);
      for (const [k, v] of Object.entries(o)) if (k !== 'fallback' && k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return found;
}

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

/** Calls the tab API as a person, with a token from the embedded default's development sign-in. */
export function tabApi(running: Running) {
  const base = `http://127.0.0.1:${running.port}/api`;
  const tokens = new Map<string, string>();
  const tokenOf = async (user: ChannelUser) => {
    let token = tokens.get(user.aadObjectId);
    if (!token) {
      const issued = await fetch(`${base}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ personId: user.aadObjectId }),
      });
      token = ((await issued.json()) as { token: string }).token;
      tokens.set(user.aadObjectId, token);
    }
    return token;
  };
  const call = async (
    user: ChannelUser,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiAnswer> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await tokenOf(user)}`,
        'accept-language': user.locale ?? 'sv-SE',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };
  // tokens last 8 hours of the app's clock: a test that moves the clock signs in again
  return async (user: ChannelUser, method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const first = await call(user, method, path, body);
    if (first.status !== 401) return first;
    tokens.delete(user.aadObjectId);
    return call(user, method, path, body);
  };
}

/** A readable log of a journey: who did what, and who got (or saw updated) which card, at the clock's time. */
export class Transcript {
  readonly lines: string[] = [];
  private cursor = 0;
  private at = '';
  constructor(
    private readonly channel: () => Channel,
    private readonly clock: TestClock,
    private readonly people: readonly ChannelUser[],
  ) {}
  private who(conversationId: string) {
    return (
      this.people.find((u) => this.channel().conversationFor(u).id === conversationId)?.name ?? conversationId
    );
  }
  private time() {
    return new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Stockholm',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(this.clock());
  }
  skip() {
    this.cursor = this.channel().events().length;
  }
  act(user: ChannelUser | string, what: string) {
    this.flush();
    this.at = this.time();
    this.lines.push(`${this.at}  ${typeof user === 'string' ? user : user.name}: ${what}`);
  }
  flush() {
    const events = this.channel().events().slice(this.cursor);
    this.cursor += events.length;
    for (const e of events) {
      if (e.kind === 'delete') continue;
      const card = cardOf(e.activity) as { body?: { text?: string; weight?: string }[] } | undefined;
      const title = card?.body?.[0]?.text ?? e.activity.text ?? '';
      // the banner: the bold line under the title, when the card has one
      const banner = card?.body?.[1]?.weight === 'Bolder' ? card.body[1].text : undefined;
      const verb = e.kind === 'update' ? 'card updated for' : 'card sent to';
      this.lines.push(
        `${this.at}    → ${verb} ${this.who(e.conversationId)}: ${title}${banner ? ` — ${banner}` : ''}`,
      );
    }
  }
  write(file: string | undefined) {
    this.flush();
    if (file) fs.writeFileSync(file, `${this.lines.join('\n')}\n`);
  }
}
