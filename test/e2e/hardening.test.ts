/**
 * What the attack on Värn found (issue 14), replayed over real HTTP against the running app: each test
 * is an attack that got through before and is refused now, with nothing changed.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { LinkSigner } from '../../bot/platform/http/links';
import { person, type Running, sample, startApp } from '../support/app';
import { ADAPTIVE_CARD_CONTENT_TYPE, type ChannelActivity, makeUser } from '../support/channel';

jest.setTimeout(120_000);

const malin = person('Malin Forsberg'); // the security chief
const johanna = person('Johanna Persson');
const tenantId = sample.organisation.tenantId;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** One request with exactly these headers (fetch cannot set Host). */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = {};
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const cardOf = (activity: ChannelActivity) =>
  activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content;

let running: Running;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-hardening-'));
  running = await startApp({ VARN_DATA_DIR: dataDir, VARN_RATE_LIMIT_PER_MINUTE: '0' });
  for (const member of [malin, johanna]) await running.channel.installBot(member);
});
afterAll(async () => running?.close());

/** A Teams-shaped activity from the user, with fields overridden as an attacker would send them. */
const activityFrom = (user = malin, over: Record<string, unknown> = {}) => ({
  ...running.channel.buildActivity(user, { type: 'message', text: 'uppföljningsläge' }),
  ...over,
});

describe('the embedded default trusts this machine only', () => {
  test('a message whose Host is not this machine (DNS rebinding) is refused, and nothing is answered', async () => {
    const before = running.channel.events().length;
    const response = await raw(running.port, {
      path: '/api/messages',
      headers: { host: 'evil.example:3978', 'content-type': 'application/json' },
      body: JSON.stringify(activityFrom()),
    });
    expect(response.status).toBe(403);
    expect(response.json.error?.message).toContain('den här datorn');
    expect(running.channel.events().length).toBe(before);
  });

  test('a form post (which any web page can make a browser send) is refused with 415', async () => {
    const response = await raw(running.port, {
      path: '/api/messages',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `payload=${encodeURIComponent(JSON.stringify(activityFrom()))}`,
    });
    expect(response.status).toBe(415);
    expect(response.json.error?.code).toBe('json_only');
  });

  test("an activity as the chief with another machine's serviceUrl sends nothing there and moves none of her conversations", async () => {
    const stored = (await running.app.store.conversations.get(malin.aadObjectId as string))?.value.reference;
    let reached = 0;
    const attacker = http.createServer((_req, res) => {
      reached += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.2', resolve));
    const port = (attacker.address() as { port: number }).port;
    try {
      for (const serviceUrl of [`http://10.0.0.66:${port}/`, 'https://attacker.example/']) {
        for (const type of ['message', 'conversationUpdate']) {
          const response = await running.channel.send(activityFrom(malin, { type, serviceUrl }));
          expect([type, response.status]).toEqual([type, 403]);
        }
      }
      expect(reached).toBe(0);
      expect(
        (await running.app.store.conversations.get(malin.aadObjectId as string))?.value.reference,
      ).toEqual(stored);
    } finally {
      await new Promise((resolve) => attacker.close(resolve));
    }
  });

  test('the development sign-in refuses a request whose Host is not this machine', async () => {
    const body = JSON.stringify({ personId: malin.aadObjectId });
    const rebound = await raw(running.port, {
      path: '/api/dev/token',
      headers: { host: 'rebind.evil.example', 'content-type': 'application/json' },
      body,
    });
    expect(rebound.status).toBe(403);
    expect(rebound.json).not.toHaveProperty('token');
    const local = await raw(running.port, {
      path: '/api/dev/token',
      headers: { host: `localhost:${running.port}`, 'content-type': 'application/json' },
      body,
    });
    expect(local.status).toBe(200);
  });
});

describe('bodies', () => {
  test('a gzip body is refused before it is inflated (it would be 25 MB)', async () => {
    const bomb = gzipSync(Buffer.from(`{"type":"message","text":"${'a'.repeat(25 * 1024 * 1024)}"}`));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const rss = process.memoryUsage().rss;
    const response = await raw(running.port, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(response.status).toBe(415);
    expect(response.json.error?.code).toBe('encoding');
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024);
  });

  test('a body past 256 kB gets 413', async () => {
    const response = await raw(running.port, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activityFrom(malin, { text: 'x'.repeat(300 * 1024) })),
    });
    expect(response.status).toBe(413);
  });

  test('wrongly typed fields get 400 with a message, never a 5xx or the text of an exception', async () => {
    const cases: Record<string, unknown>[] = [
      activityFrom(malin, { locale: { x: 1 } }),
      activityFrom(malin, { text: 42 }),
      activityFrom(malin, { text: { a: 1 } }),
      activityFrom(malin, { text: ['hej'] }),
      activityFrom(malin, { type: 'invoke', name: 'adaptiveCard/action', value: {} }),
      activityFrom(malin, { type: 'invoke', name: 'adaptiveCard/action', value: { action: 'x' } }),
      activityFrom(malin, { from: 'malin' }),
      activityFrom(malin, { conversation: null }),
    ];
    for (const activity of cases) {
      const response = await running.channel.send(activity as ChannelActivity);
      expect([JSON.stringify(activity).slice(0, 60), response.status]).toEqual([
        JSON.stringify(activity).slice(0, 60),
        400,
      ]);
      const message = (response.body as { error?: { message?: string } }).error?.message ?? '';
      expect(message).toMatch(/kunde inte läsas|could not be read/);
      expect(message).not.toMatch(/TypeError|Cannot read|undefined|at /);
    }
  });
});

describe('files need a right to read them', () => {
  let file: { id: string; link: string };
  beforeAll(async () => {
    file = await running.app.documents.put(
      'Säkerhetsbokslut/2026',
      'säkerhetsbokslut-2026.csv',
      Buffer.from('a;b\n'),
      {
        contentType: 'text/csv',
      },
    );
  });
  const pathOf = (link: string) => new URL(link).pathname + new URL(link).search;
  const tokenFor = async (personId: string) => {
    const issued = await fetch(`http://127.0.0.1:${running.port}/api/dev/token`, {
      method: 'POST',
      body: JSON.stringify({ personId }),
    });
    return ((await issued.json()) as { token: string }).token;
  };

  test('the säkerhetsbokslut is not served to anyone who has the plain link', async () => {
    const response = await raw(running.port, { method: 'GET', path: pathOf(file.link) });
    expect(response.status).toBe(403);
    expect(response.text).toContain('Länken har gått ut eller gäller inte');
  });

  test("with the tab's token: the chief reads it, an employee does not; each download is an audit event", async () => {
    const chief = await raw(running.port, {
      method: 'GET',
      path: pathOf(file.link),
      headers: { authorization: `Bearer ${await tokenFor(malin.aadObjectId as string)}` },
    });
    expect(chief.status).toBe(200);
    expect(chief.text).toBe('a;b\n');
    const employee = await raw(running.port, {
      method: 'GET',
      path: pathOf(file.link),
      headers: { authorization: `Bearer ${await tokenFor(johanna.aadObjectId as string)}` },
    });
    expect(employee.status).toBe(403);
    const events = await running.app.store.auditEvents.find({ recordId: file.id });
    expect(events.map((e) => [e.actorId, e.action, e.comment])).toEqual([
      [malin.aadObjectId, 'downloaded', 'tab'],
    ]);
  });

  test('a signed link works until it expires; an altered one never', async () => {
    const signer = new LinkSigner(path.join(dataDir, 'link-signing-key'), 60_000);
    const signed = signer.sign(file.link, malin.aadObjectId);
    expect((await raw(running.port, { method: 'GET', path: pathOf(signed) })).status).toBe(200);
    const tampered = signed.replace(/exp=\d+/, (m) => `exp=${Number(m.slice(4)) + 86_400}`);
    expect((await raw(running.port, { method: 'GET', path: pathOf(tampered) })).status).toBe(403);
    const expired = new LinkSigner(path.join(dataDir, 'link-signing-key'), -1000).sign(file.link);
    expect((await raw(running.port, { method: 'GET', path: pathOf(expired) })).status).toBe(403);
  });

  test("an answer card's link to a governing document is signed for the asker and opens; the plain link does not", async () => {
    const mark = running.channel.mark();
    await running.channel.say(johanna, 'Vad ska jag göra om jag ser en brist i säkerheten?');
    const conversation = running.channel.conversationFor(johanna).id;
    const reply = await running.channel.waitFor((a) => a.conversation?.id === conversation, { since: mark });
    const links = JSON.stringify(cardOf(reply)).match(/http:\/\/localhost:\d+\/documents\/[^"\s)]+/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link).toMatch(new RegExp(`\\?exp=\\d+&for=${johanna.aadObjectId}&sig=`));
      const opened = await raw(running.port, { method: 'GET', path: pathOf(link) });
      expect(opened.status).toBe(200);
      expect(opened.text).toContain('Säkerhetspolicy');
      expect((await raw(running.port, { method: 'GET', path: new URL(link).pathname })).status).toBe(403);
      // it opens at the quoted section: a readable page (not Markdown) with the section's anchor, and no script
      const anchor = new URL(link).hash.slice(1);
      expect(anchor).toMatch(/^avsnitt-[a-z0-9-]+$/);
      expect(opened.headers['content-type']).toContain('text/html');
      expect(opened.headers['content-security-policy']).toContain("default-src 'none'");
      expect(opened.text).toContain(`<section id="${anchor}">`);
      expect(opened.text).toMatch(/<html lang="sv">/);
      expect(opened.text.match(/<h1>/g)).toHaveLength(1);
      expect(opened.text).not.toMatch(/<script|^#+ /m);
    }
  });
});

describe('people outside the directory (a guest of the tenant)', () => {
  const guest = makeUser('Gästen Konsult', {
    aadObjectId: '0b0b0b0b-0000-4000-8000-00000000abcd',
    tenantId,
    locale: 'sv-SE',
  });

  test('may ask and read the answer, but neither escalate nor run commands, as in the tab', async () => {
    await running.channel.installBot(guest);
    const mark = running.channel.mark();
    await running.channel.say(guest, 'Får jag ta med mig min privata dator till jobbet?');
    const conversation = running.channel.conversationFor(guest).id;
    const reply = await running.channel.waitFor((a) => a.conversation?.id === conversation, { since: mark });
    const card = cardOf(reply) as { actions?: { verb?: string; data?: Record<string, unknown> }[] };
    expect(JSON.stringify(card)).toContain('styrande dokumenten');
    const escalate = card.actions?.find((a) => a.verb === 'questions.escalate');
    const questions = (await running.app.store.questions.list()).filter(
      (q) => q.value.status === 'escalated',
    );
    const refused = await running.channel.execute(guest, 'questions.escalate', escalate?.data ?? {});
    expect(JSON.stringify(refused.body)).toContain('Du finns inte i organisationens katalog');
    expect(
      (await running.app.store.questions.list()).filter((q) => q.value.status === 'escalated'),
    ).toHaveLength(questions.length);
    const command = running.channel.mark();
    await running.channel.say(guest, 'öppna uppföljning');
    const answer = await running.channel.waitFor((a) => a.conversation?.id === conversation, {
      since: command,
    });
    expect(answer.text).toContain('Du finns inte i organisationens katalog');
  });
});

test('per caller, /api/messages and the tab API answer 429 with Retry-After past the rate', async () => {
  const limited = await startApp({ VARN_RATE_LIMIT_PER_MINUTE: '3' });
  try {
    await limited.channel.installBot(johanna); // a conversationUpdate and an installationUpdate: 2
    expect((await limited.channel.say(johanna, 'hjälp')).status).toBe(200); // 3
    const over = await limited.channel.say(johanna, 'hjälp');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // another person is not held up by her
    expect((await limited.channel.say(malin, 'hjälp')).status).toBe(200);

    const base = `http://127.0.0.1:${limited.port}/api`;
    const { token } = (await (
      await fetch(`${base}/dev/token`, {
        method: 'POST',
        body: JSON.stringify({ personId: malin.aadObjectId }),
      })
    ).json()) as { token: string };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
      statuses.push(response.status);
      retryAfter = response.headers.get('retry-after');
      if (response.status === 429)
        expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
          'för många',
        );
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  } finally {
    await limited.close();
  }
});
