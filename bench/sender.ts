/**
 * The shared sender at scale, through the local channel over real HTTP: 10,000 generated recipients
 * (a generated organisation), the channel enforcing Teams' limits (50 requests a second per app, the
 * per-conversation windows) and answering 2% of the calls 429 with Retry-After: 1.
 *   - existingConversations: everyone has a stored 1:1 conversation reference (one call each)
 *   - conversationsToCreate: nobody has (createConversation, then the send: two calls each)
 * Measures the achieved request rate against the limit, duplicates, lost recipients, 429s the channel
 * had to give for going over its limits (should be 0), and the process's memory (app and channel
 * share the process, so RSS covers both). Measures; never asserts.
 *
 * `node dist/bench/sender.js` runs only this; `npm run bench` runs it with the others.
 * BENCH_SENDER_RECIPIENTS changes the number of recipients (default 10000).
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createApp } from '../bot/app';
import { collections } from '../bot/collections';
import { loadConfig } from '../bot/config';
import { createLogger } from '../bot/platform/logger';
import type { OrganisationFile } from '../bot/platform/org/model';
import { openSqliteStore } from '../bot/platform/store/sqlite';
import {
  APP_LIMIT,
  type ChannelUser,
  makeUser,
  startChannel,
  TEAMS_THREAD_LIMITS,
} from '../test/support/channel';

const root = path.resolve(__dirname, '../..');
const LIMIT_PER_SECOND = APP_LIMIT.max;
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;

/** A full garbage collection, so that heap figures are what is retained rather than what awaits collection. */
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const retainedHeap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

/** The sample organisation with `count` generated employees spread over its units. */
function generatedOrganisation(count: number): { dir: string; people: OrganisationFile['people'] } {
  const sample = JSON.parse(
    fs.readFileSync(path.join(root, 'content/organisation.json'), 'utf8'),
  ) as OrganisationFile;
  const people = Array.from({ length: count }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Medarbetare ${i}`,
    unitId: sample.units[i % sample.units.length]?.id as string,
    roles: ['employee' as const],
    locale: i % 10 === 0 ? 'en-US' : 'sv-SE',
  }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-bench-sender-'));
  fs.writeFileSync(
    path.join(dir, 'organisation.json'),
    JSON.stringify({ ...sample, people: [...sample.people, ...people] }),
  );
  // the rest of the sample content the app reads at start (the review's goals, the channels)
  fs.cpSync(path.join(root, 'content/review'), path.join(dir, 'review'), { recursive: true });
  fs.copyFileSync(path.join(root, 'content/channels.json'), path.join(dir, 'channels.json'));
  return { dir, people };
}

/** A campaign-like card, rendered at send time. */
const card = (recordId: string, personId: string) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Informationsinsats: Nätfiske', weight: 'Bolder', size: 'Medium', wrap: true },
    {
      type: 'TextBlock',
      text: 'Var uppmärksam på e-post som ber dig logga in eller öppna bilagor. Rapportera misstänkta meddelanden till säkerhetsfunktionen.',
      wrap: true,
    },
    {
      type: 'FactSet',
      facts: [
        { title: 'Kampanj', value: recordId },
        { title: 'Mottagare', value: personId },
      ],
    },
  ],
  actions: [{ type: 'Action.Execute', title: 'Jag har tagit del av', verb: 'bench.ack', data: { recordId } }],
});

async function scenario(name: string, recipients: number, withConversations: boolean) {
  const { dir, people } = generatedOrganisation(recipients);
  const dbFile = path.join(dir, 'varn.sqlite');
  const channel = await startChannel({ botUrl: 'http://127.0.0.1:9/api/messages', maxMessageBytes: null });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    VARN_CONTENT_DIR: dir,
    VARN_KNOWLEDGE_DIR: path.join(root, 'content/documents'),
    VARN_DB_PATH: dbFile,
    VARN_TEAMS_SERVICE_URL: channel.serviceUrl,
  });
  const store = openSqliteStore(dbFile, collections);
  const app = await createApp(config, { store, log: createLogger('silent') });
  app.sender.register('bench.notice', { render: async (recordId, personId) => card(recordId, personId) });
  const port = await app.listen();
  channel.setBotUrl(`http://127.0.0.1:${port}/api/messages`);
  const tenantId = app.directory.organisation.tenantId;

  const users: ChannelUser[] = people.map((p) =>
    makeUser(p.name, { aadObjectId: p.id, id: `29:${p.id}`, tenantId }),
  );
  for (const user of users) channel.addUser(user);
  if (withConversations) {
    // a generated set of conversation references, as Teams would have given them
    await store.transaction(async (tx) => {
      for (const user of users) {
        const conversation = channel.conversationFor(user);
        await tx.conversations.insert({
          id: user.aadObjectId,
          personId: user.aadObjectId,
          reference: {
            channelId: 'msteams',
            serviceUrl: channel.serviceUrl,
            bot: channel.bot,
            user: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
            conversation: { ...conversation, isGroup: false, name: '' },
          },
          locale: 'sv-SE',
          updatedAt: new Date().toISOString(),
        });
      }
    });
  }
  channel.setRateLimits([...TEAMS_THREAD_LIMITS, APP_LIMIT]);
  channel.failRandomly({
    rate: 0.02,
    status: 429,
    retryAfterSeconds: 1,
    seed: 7,
    operations: ['sendToConversation', 'replyToActivity', 'createConversation'],
  });
  channel.resetStats();

  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 250);
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = retainedHeap();
  const started = performance.now();
  const batchId = `bench-${name}`;
  await app.sender.enqueue(
    batchId,
    users.map((u) => ({
      key: `${batchId}:${u.aadObjectId}`,
      personId: u.aadObjectId,
      kind: 'bench.notice',
      recordId: batchId,
    })),
  );
  const enqueueMs = performance.now() - started;
  // done when nothing of the batch is queued (idle() also returns while retries wait for their time)
  for (;;) {
    await app.sender.idle();
    if ((await store.deliveries.find({ batchId, status: 'queued' })).length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const heapAfter = retainedHeap();

  const stats = channel.stats();
  const progress = await app.sender.progress(batchId);
  const received = new Map<string, number>();
  for (const record of channel.transcript())
    received.set(record.conversationId, (received.get(record.conversationId) ?? 0) + 1);
  let duplicates = 0;
  let lost = 0;
  for (const user of users) {
    const n = received.get(channel.conversationFor(user).id) ?? 0;
    if (n === 0) lost++;
    if (n > 1) duplicates += n - 1;
  }
  // the busiest second as the channel saw it (every call counts against the 50 a second)
  const result = {
    recipients: recipients,
    enqueueMs: round(enqueueMs, 0),
    seconds: round(seconds, 1),
    requests: stats.total,
    requestsPerSecond: round(stats.total / seconds, 2),
    limitPerSecond: LIMIT_PER_SECOND,
    shareOfLimit: round(stats.total / seconds / LIMIT_PER_SECOND),
    deliveredPerSecond: round(progress.sent / seconds, 2),
    byOperation: stats.byOperation,
    injected429: stats.injectedFailures,
    throttledByChannel: stats.throttled,
    maxRequestsInOneSecond: stats.maxPerSecond,
    sent: progress.sent,
    failed: progress.failed,
    duplicates,
    lost,
    rssBeforeMb: mb(rssBefore),
    rssPeakMb: mb(rssPeak),
    // what the batch left in memory (the channel's transcript of 10,000 cards included)
    retainedHeapGrowthMb: mb(heapAfter - heapBefore),
  };
  await app.close();
  await channel.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

export async function senderBench() {
  const recipients = Number(process.env.BENCH_SENDER_RECIPIENTS ?? 10_000);
  const existingConversations = await scenario('existing', recipients, true);
  const conversationsToCreate = await scenario('create', recipients, false);
  return { existingConversations, conversationsToCreate };
}

if (require.main === module) {
  senderBench()
    .then((sender) => process.stdout.write(`${JSON.stringify({ node: process.version, sender }, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    });
}
