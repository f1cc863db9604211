/**
 * The shared sender over real HTTP: the local channel plays Teams (its connector API enforces Teams'
 * rate limits and answers 429 and 403 when told to); the app sends proactively from its worker.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from '../../bot/app';
import { collections } from '../../bot/collections';
import type { Outgoing } from '../../bot/platform/delivery/port';
import { deliveryId } from '../../bot/platform/delivery/service';
import { openSqliteStore } from '../../bot/platform/store/sqlite';
import { person, type Running, sample, startApp } from '../support/app';
import { validateCard } from '../support/cards';
import { APP_LIMIT, type Channel, type ChannelUser, makeUser, TEAMS_THREAD_LIMITS } from '../support/channel';

const KIND = 'test.notice';
const tenantId = sample.organisation.tenantId;

/** The card a feature would render: made at send time from the record id. */
const noticeCard = (recordId: string, personId: string) => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [{ type: 'TextBlock', text: `Notice ${recordId} for ${personId}`, wrap: true }],
});

function registerNotice(app: App, sent: string[] = []) {
  app.sender.register(KIND, {
    render: async (recordId, personId) => noticeCard(recordId, personId),
    sent: async (delivery) => {
      sent.push(delivery.key);
    },
  });
  return sent;
}

const outgoing = (batch: string, users: ChannelUser[], recordId = 'r1'): Outgoing[] =>
  users.map((u) => ({ key: `${batch}:${u.aadObjectId}`, personId: u.aadObjectId, kind: KIND, recordId }));

async function until(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** People in the organisation's tenant who have opened the bot (so a conversation reference is stored). */
async function installed(channel: Channel, count: number, prefix: string): Promise<ChannelUser[]> {
  const users = Array.from({ length: count }, (_, i) => makeUser(`${prefix} ${i}`, { tenantId }));
  for (const user of users) await channel.installBot(user);
  return users;
}

/** Messages each user has received since the call (the welcome cards of installing are not counted). */
function newMessages(channel: Channel, users: ChannelUser[]): () => number[] {
  const before = users.map((u) => channel.messagesTo(u));
  return () => users.map((u, i) => channel.messagesTo(u) - (before[i] as number));
}

describe('the shared sender', () => {
  let running: Running;
  const hooked: string[] = [];
  beforeAll(async () => {
    running = await startApp({}, { setup: (app) => void registerNotice(app, hooked) });
  });
  afterAll(async () => running?.close());
  beforeEach(() => {
    running.channel.setRateLimits(undefined);
    running.channel.clearFailures();
  });

  test('when a batch goes to people who have and have not talked to the bot, then each gets one card and Teams never throttles', async () => {
    const { app, channel } = running;
    const talked = [person('Erik Nordlund'), person('Sara Lindahl')];
    for (const u of talked) await channel.installBot(u);
    const never = [person('Johanna Persson'), person('James Whitfield')];
    for (const u of never) channel.addUser(u); // known to Teams, never wrote to the bot
    const before = channel.mark();
    const received = newMessages(channel, [...talked, ...never]);
    channel.setRateLimits([...TEAMS_THREAD_LIMITS, APP_LIMIT]);
    channel.resetStats();

    await app.sender.enqueue('b-mixed', outgoing('b-mixed', [...talked, ...never]));
    await app.sender.idle();

    expect(received()).toEqual([1, 1, 1, 1]);
    const cards = channel
      .events()
      .slice(before)
      .map((e) => e.activity.attachments?.[0]?.content);
    expect(cards).toHaveLength(4);
    for (const card of cards) expect(validateCard(card)).toEqual([]);
    expect(channel.stats().throttled).toBe(0);
    expect(channel.stats().byOperation.createConversation).toBe(2);
    const deliveries = await app.sender.deliveries('b-mixed');
    expect(deliveries.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(deliveries.map((d) => d.reachedBy).sort()).toEqual([
      'conversation',
      'conversation',
      'created',
      'created',
    ]);
    expect(hooked.filter((k) => k.startsWith('b-mixed:')).sort()).toEqual(
      deliveries.map((d) => d.key).sort(),
    );
  });

  test('when the same keys are enqueued again, then nobody gets a second card', async () => {
    const { app, channel } = running;
    const users = await installed(channel, 3, 'Again');
    const received = newMessages(channel, users);
    await app.sender.enqueue('b-again', outgoing('b-again', users));
    await app.sender.idle();
    await app.sender.enqueue('b-again', outgoing('b-again', users));
    await app.sender.idle();
    expect(received()).toEqual([1, 1, 1]);
    expect(await app.sender.progress('b-again')).toEqual({
      queued: 0,
      sent: 3,
      failed: 0,
      cancelled: 0,
      skipped: 0,
    });
  });

  test("when one person gets many cards, then they go no faster than Teams' limits for a conversation and none is throttled", async () => {
    const { app, channel } = running;
    const [user] = await installed(channel, 1, 'Busy');
    const u = user as ChannelUser;
    const received = newMessages(channel, [u]);
    channel.setRateLimits([...TEAMS_THREAD_LIMITS, APP_LIMIT]);
    channel.resetStats();
    const messages = Array.from({ length: 17 }, (_, i) => ({
      key: `b-busy:${i}`,
      personId: u.aadObjectId,
      kind: KIND,
      recordId: `r${i}`,
    }));
    const started = Date.now();
    await app.sender.enqueue('b-busy', messages);
    await until('17 cards', () => received()[0] === 17);
    // 8 per 2 s: the 17th card cannot go before 4 s
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
    expect(channel.stats().throttled).toBe(0);
  }, 30_000);

  test('when more people are due than 50 a second, then the app stays under 50 requests a second', async () => {
    const { app, channel } = running;
    const users = await installed(channel, 120, 'Many');
    const received = newMessages(channel, users);
    channel.setRateLimits([...TEAMS_THREAD_LIMITS, APP_LIMIT]);
    channel.resetStats();
    const started = Date.now();
    await app.sender.enqueue('b-many', outgoing('b-many', users));
    await until('120 cards', async () => (await app.sender.progress('b-many')).sent === 120);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(channel.stats().throttled).toBe(0);
    expect(received()).toEqual(users.map(() => 1));
  }, 30_000);

  test('when Teams answers 429 with Retry-After, then the card is sent again no sooner and only once', async () => {
    const { app, channel } = running;
    const [user] = await installed(channel, 1, 'Throttled');
    const u = user as ChannelUser;
    const conversationId = channel.conversationFor(u).id;
    const received = newMessages(channel, [u]);
    channel.failNext(1, {
      status: 429,
      retryAfterSeconds: 2,
      operations: ['sendToConversation', 'replyToActivity'],
    });
    const started = Date.now();
    await app.sender.enqueue('b-429', outgoing('b-429', [u]));
    await until('the card', async () => (await app.sender.progress('b-429')).sent === 1, 10_000);
    const calls = channel.requests.filter(
      // the sends of this card only (a late welcome card of installing is not one of them)
      (r) =>
        r.conversationId === conversationId &&
        JSON.stringify(r.body ?? null).includes('Notice r1') &&
        r.at >= started,
    );
    expect(calls.map((r) => r.status)).toEqual([429, 201]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect(received()).toEqual([1]);
    const [delivery] = await app.sender.deliveries('b-429');
    expect(delivery?.attempts).toBe(2);
  });

  test('when someone has blocked the bot, then the delivery is recorded as blocked and not retried', async () => {
    const { app, channel } = running;
    const blocked = person('Hanna Berg');
    const other = person('Ahmed Hassan');
    for (const u of [blocked, other]) await channel.installBot(u);
    const received = newMessages(channel, [blocked, other]);
    channel.block(blocked);
    await app.sender.enqueue('b-403', outgoing('b-403', [blocked, other]));
    await app.sender.idle();
    const byPerson = new Map((await app.sender.deliveries('b-403')).map((d) => [d.personId, d]));
    expect(byPerson.get(blocked.aadObjectId)?.status).toBe('failed');
    expect(byPerson.get(blocked.aadObjectId)?.failure?.reason).toBe('blocked');
    expect(byPerson.get(blocked.aadObjectId)?.attempts).toBe(1);
    expect(byPerson.get(other.aadObjectId)?.status).toBe('sent');
    const conversationId = channel.conversationFor(blocked).id;
    expect(
      channel.requests.filter((r) => r.conversationId === conversationId && r.status === 403),
    ).toHaveLength(1);
    expect(received()).toEqual([0, 1]);
  });

  test('when someone is not in the organisation and never talked to the bot, then the delivery fails as leftOrganisation without a call to Teams', async () => {
    const { app, channel } = running;
    const stranger = makeUser('Stranger', { tenantId });
    channel.addUser(stranger);
    channel.resetStats();
    await app.sender.enqueue('b-gone', outgoing('b-gone', [stranger]));
    await app.sender.idle();
    const [delivery] = await app.sender.deliveries('b-gone');
    expect(delivery?.status).toBe('failed');
    expect(delivery?.failure?.reason).toBe('leftOrganisation');
    expect(channel.stats().total).toBe(0);
  });

  test('when a batch is cancelled mid-way, then sending stops at once and the rest is recorded as cancelled', async () => {
    const { app, channel } = running;
    const users = await installed(channel, 60, 'Cancel');
    const received = newMessages(channel, users);
    const sentSoFar = () => received().filter((n) => n === 1).length;
    channel.setRateLimits([...TEAMS_THREAD_LIMITS, { ...APP_LIMIT, max: 10 }]);
    // the sender keeps to 50 a second; the channel's lower limit makes it retry, which slows the batch down
    await app.sender.enqueue('b-cancel', outgoing('b-cancel', users));
    await until('a few cards', async () => (await app.sender.progress('b-cancel')).sent >= 5);
    const cancelled = await app.sender.cancel('b-cancel');
    const sentAtCancel = sentSoFar();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const progress = await app.sender.progress('b-cancel');
    expect(cancelled).toBeGreaterThan(0);
    expect(progress.cancelled).toBe(cancelled);
    expect(progress.sent + progress.cancelled).toBe(60);
    const sentAfter = sentSoFar();
    expect(received().every((n) => n <= 1)).toBe(true);
    expect(sentAfter).toBe(progress.sent);
    expect(sentAfter - sentAtCancel).toBeLessThanOrEqual(16); // at most the calls already in flight
  });
});

describe('the shared sender across a restart', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-sender-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('when the service stops mid-batch and starts again on the same store, then everyone gets the card exactly once', async () => {
    const dbFile = path.join(dir, 'varn.sqlite');
    // a slow app limit so that the batch is still going when the service stops
    const sender = { rules: [{ scope: 'app' as const, windowMs: 1_000, max: 10 }] };
    const first = await startApp({}, { dbFile, sender, setup: (app) => void registerNotice(app) });
    const { channel } = first;
    const users = await installed(channel, 40, 'Restart');
    const received = newMessages(channel, users);
    await first.app.sender.enqueue('b-restart', outgoing('b-restart', users));
    await until('some cards', async () => (await first.app.sender.progress('b-restart')).sent >= 10);
    await first.app.close();
    const beforeRestart = received().filter((n) => n === 1).length;
    expect(beforeRestart).toBeLessThan(40);

    const second = await startApp({}, { dbFile, sender, channel, setup: (app) => void registerNotice(app) });
    try {
      await until('every card', async () => (await second.app.sender.progress('b-restart')).sent === 40);
      expect(received()).toEqual(users.map(() => 1));
      expect(await second.app.sender.progress('b-restart')).toEqual({
        queued: 0,
        sent: 40,
        failed: 0,
        cancelled: 0,
        skipped: 0,
      });
    } finally {
      await second.close();
      await channel.close();
    }
  }, 30_000);

  test('when a process died between claiming and recording a delivery, then the next one sends it once its lease has passed', async () => {
    const dbFile = path.join(dir, 'varn.sqlite');
    const first = await startApp({}, { dbFile, setup: (app) => void registerNotice(app) });
    const { channel } = first;
    const [user] = await installed(channel, 1, 'Crash');
    const u = user as ChannelUser;
    const received = newMessages(channel, [u]);
    await first.app.close();
    // what a crash leaves behind: queued, claimed by a process that is gone, its lease over
    const store = openSqliteStore(dbFile, collections);
    const key = `b-crash:${u.aadObjectId}`;
    await store.deliveries.insert({
      id: deliveryId(key),
      key,
      batchId: 'b-crash',
      personId: u.aadObjectId,
      kind: KIND,
      recordId: 'r1',
      status: 'queued',
      attempts: 1,
      notBefore: new Date(Date.now() - 60_000).toISOString(),
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      claim: { by: 'a-process-that-died', until: new Date(Date.now() - 1_000).toISOString() },
    });
    await store.close();

    const second = await startApp({}, { dbFile, channel, setup: (app) => void registerNotice(app) });
    try {
      await second.app.sender.idle();
      expect(received()).toEqual([1]);
      const [delivery] = await second.app.sender.deliveries('b-crash');
      expect(delivery?.status).toBe('sent');
      expect(delivery?.attempts).toBe(2);
      const audit = await second.app.store.auditEvents.find({
        recordType: 'delivery',
        recordId: deliveryId(key),
      });
      expect(audit.map((e) => e.action)).toEqual(['resume', 'sent']);
    } finally {
      await second.close();
      await channel.close();
    }
  });
});

describe('the shared sender next to conversations', () => {
  test("when people talk to the bot while a batch goes out, then the bot's replies and the batch together stay within the app's limit", async () => {
    // a small app limit, so that three replies are a large share of it
    const sender = { rules: [{ scope: 'app' as const, windowMs: 1_000, max: 4 }] };
    const running = await startApp({}, { sender, setup: (app) => void registerNotice(app) });
    const { app, channel } = running;
    try {
      const users = await installed(channel, 12, 'Talk');
      await new Promise((resolve) => setTimeout(resolve, 1_100)); // the install turns' replies leave the window
      const since = Date.now();
      await app.sender.enqueue('b-talk', outgoing('b-talk', users));
      // the sender has used its window and waits; meanwhile three people write to the bot
      await until('the first cards', () => channel.requests.filter((r) => r.at >= since).length >= 4);
      for (const user of users.slice(0, 3)) await channel.say(user, 'hjälp');
      await until('the batch', async () => (await app.sender.progress('b-talk')).sent === 12);
      const calls = channel.requests.filter((r) => r.at >= since);
      const sends = calls.filter((r) => JSON.stringify(r.body).includes('Notice '));
      expect([calls.length, sends.length]).toEqual([15, 12]);
      // the replies were not held back, and the sender made room for them: no send went into a full window
      for (const send of sends) {
        expect(calls.filter((r) => r.at <= send.at && send.at - r.at < 1_000).length).toBeLessThanOrEqual(4);
      }
    } finally {
      await running.close();
    }
  });
});
