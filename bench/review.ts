/**
 * The yearly review at scale (prints JSON; measures, never asserts):
 *  - a cycle of 300 units with 25 goals: time from the chief's "open" to the last manager's first
 *    card, through the local channel enforcing Teams' limits (per conversation 7/1 s, 8/2 s, 60/30 s,
 *    1800/h; 50 requests a second per app), and the achieved rate against the platform's ~50/s;
 *  - store operations of one manager's submission (saving six areas, then submitting);
 *  - memory (RSS and heap) before and after the fan-out.
 *
 * Run alone with `npm run --silent build && node dist/bench/review.js`, or as part of `npm run bench`.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../bot/app';
import { collections } from '../bot/collections';
import { loadConfig } from '../bot/config';
import type { GoalTemplate } from '../bot/features/review/model';
import { createLogger } from '../bot/platform/logger';
import type { OrganisationFile } from '../bot/platform/org/model';
import type { Store } from '../bot/platform/store';
import { openSqliteStore } from '../bot/platform/store/sqlite';
import { makeUser, startChannel, TEAMS_THREAD_LIMITS } from '../test/support/channel';

const root = path.resolve(__dirname, '../..');
const UNITS = 300;
const GOALS = 25;
const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;

/** A generated organisation: a region, 10 administrations (with heads), 290 units under them. */
function organisation(): OrganisationFile {
  const tenantId = '9b3c2f4e-0000-4000-8000-000000000001';
  const person = (i: number, roles: OrganisationFile['people'][number]['roles'], unitId: string) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Chef ${i}`,
    unitId,
    roles,
    locale: 'sv-SE',
  });
  const units: OrganisationFile['units'] = [];
  const people: OrganisationFile['people'] = [];
  people.push({ ...person(0, ['employee', 'securityChief', 'unitManager'], 'u-0'), name: 'Säkerhetschefen' });
  units.push({
    id: 'u-0',
    name: 'Regionen',
    kind: 'organisation',
    parentId: null,
    managerId: people[0]?.id as string,
  });
  for (let a = 1; a <= 10; a++) {
    people.push(person(a, ['employee', 'unitManager', 'headOfAdministration'], `u-${a}`));
    units.push({
      id: `u-${a}`,
      name: `Förvaltning ${a}`,
      kind: 'administration',
      parentId: 'u-0',
      managerId: people[a]?.id as string,
    });
  }
  for (let u = 11; u < UNITS + 11 - 11; u++) {
    people.push(person(u, ['employee', 'unitManager'], `u-${u}`));
    units.push({
      id: `u-${u}`,
      name: `Enhet ${u}`,
      kind: 'unit',
      parentId: `u-${1 + (u % 10)}`,
      managerId: people[people.length - 1]?.id as string,
    });
  }
  return { organisation: { id: 'bench', name: 'Bänkregionen', tenantId }, units, people, groups: [] };
}

function goals(): GoalTemplate {
  const areas = ['ps', 'kb', 'cf', 'is', 'ss', 'as'];
  return {
    source: 'bench',
    chain: ['headOfAdministration', 'securityChief'],
    areas: areas.map((id, a) => ({
      id,
      name: { sv: `Område ${a + 1}`, en: `Area ${a + 1}` },
      goals: Array.from({ length: GOALS }, (_, g) => g)
        .filter((g) => g % areas.length === a)
        .map((g) => ({
          id: `${id}${g}`,
          text: `Målsättning ${g + 1}: verksamheten har en aktuell, känd och övad rutin för det här området.`,
        })),
    })),
  };
}

/** Counts every store call by collection and method, transactions included. */
function counting(store: Store, counts: Map<string, number>): Store {
  const wrapCollection = (name: string, target: object) =>
    new Proxy(target, {
      get(t, prop) {
        const value = Reflect.get(t, prop) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const key = `${name}.${String(prop)}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  const wrap = (s: Store): Store =>
    new Proxy(s, {
      get(t, prop) {
        const value = Reflect.get(t, prop) as unknown;
        if (prop === 'transaction') {
          return <R>(work: (tx: Store) => Promise<R>) => {
            counts.set('transaction', (counts.get('transaction') ?? 0) + 1);
            return t.transaction((tx) => work(wrap(tx)));
          };
        }
        if (value && typeof value === 'object') return wrapCollection(String(prop), value);
        return value;
      },
    });
  return wrap(store);
}

export async function reviewBench() {
  const log = createLogger('silent');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-bench-review-'));
  const org = organisation();
  fs.mkdirSync(path.join(dir, 'review'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'organisation.json'), JSON.stringify(org));
  fs.writeFileSync(path.join(dir, 'review', 'goals.json'), JSON.stringify(goals()));
  const counts = new Map<string, number>();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    VARN_CONTENT_DIR: dir,
    VARN_DATA_DIR: dir,
    VARN_KNOWLEDGE_DIR: path.join(root, 'content/documents'),
  });
  const store = counting(openSqliteStore(path.join(dir, 'varn.sqlite'), collections), counts);
  const app = await createApp(config, { store, log, clock: () => new Date('2026-11-23T08:00:00Z') });
  const port = await app.listen();
  const channel = await startChannel({
    botUrl: `http://127.0.0.1:${port}/api/messages`,
    tenantId: org.organisation.tenantId,
  });
  const users = org.people.map((p) =>
    makeUser(p.name, {
      aadObjectId: p.id,
      id: `29:${p.id}`,
      tenantId: org.organisation.tenantId,
      locale: p.locale,
    }),
  );
  for (const user of users) await channel.installBot(user);
  const chief = users[0] as (typeof users)[number];

  // Teams' limits, enforced by the channel: per conversation, and 50 requests a second for the app
  channel.setRateLimits([
    ...TEAMS_THREAD_LIMITS,
    {
      windowSeconds: 1,
      max: 50,
      scope: 'global',
      operations: ['sendToConversation', 'replyToActivity', 'updateActivity', 'createConversation'],
    },
  ]);
  channel.resetStats();
  global.gc?.();
  const before = process.memoryUsage();
  const mark = channel.mark();
  const start = performance.now();
  await channel.execute(chief, 'review.openCycle', {
    year: '2026',
    deadline: '2026-12-15',
    scope: 'all',
    chain: 'default',
  });
  const openedMs = performance.now() - start;
  await app.sender.idle();
  const fanOutMs = performance.now() - start;
  const after = process.memoryUsage();
  const sent = channel
    .events()
    .slice(mark)
    .filter((e) => e.kind !== 'update' && e.kind !== 'delete');
  const firstAt = sent[0]?.at ?? 0;
  const lastAt = sent[sent.length - 1]?.at ?? 0;
  const stats = channel.stats();
  const reviews = await app.store.unitReviews.find({ cycleId: 'cycle-2026' });
  const progress = await app.sender.progress('cycle-2026');
  const cardBytes = Math.max(
    ...sent.map((e) =>
      Buffer.byteLength(JSON.stringify(e.activity.attachments?.[0]?.content ?? {}), 'utf16le'),
    ),
  );

  // one manager's submission: six area saves, then submit (the store calls of each)
  channel.setRateLimits(undefined);
  const review = reviews.find((r) => r.value.unitId === 'u-20')?.value;
  const manager = users.find((u) => u.aadObjectId === review?.managerId) as (typeof users)[number];
  const cycle = (await app.store.reviewCycles.get('cycle-2026'))?.value;
  counts.clear();
  for (const area of cycle?.areas ?? []) {
    const data: Record<string, unknown> = {
      reviewId: review?.id,
      areaId: area.id,
      round: 0,
      step: 0,
      back: true,
    };
    for (const g of area.goals) data[`rating_${g.id}`] = 'met';
    await channel.execute(manager, 'review.save', data);
  }
  const saveOps = Object.fromEntries([...counts.entries()].sort());
  const saveTotal = [...counts.values()].reduce((a, b) => a + b, 0);
  counts.clear();
  const submitStart = performance.now();
  await channel.execute(manager, 'review.submit', { reviewId: review?.id, round: 0, step: 0 });
  const submitMs = performance.now() - submitStart;
  // the submission's own calls, and then the sender's delivery of the approver's card
  await app.sender.idle();
  const submitOps = Object.fromEntries([...counts.entries()].sort());
  const submitTotal = [...counts.values()].reduce((a, b) => a + b, 0);

  await channel.close();
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const spanS = (lastAt - firstAt) / 1000;
  return {
    units: reviews.length,
    goals: cycle?.areas.reduce((n, a) => n + a.goals.length, 0),
    fanOut: {
      firstCardsSent: sent.length,
      delivered: progress,
      openCommandMs: Math.round(openedMs),
      untilLastCardMs: Math.round(fanOutMs),
      // over the whole time from the chief's click to the last card; and between the first and the last card
      // (n - 1 intervals; Teams' limit is a sliding window, so this can read a little above 50 while no second holds more)
      achievedPerSecond: Math.round((sent.length / (fanOutMs / 1000)) * 10) / 10,
      firstToLastCardPerSecond: Math.round(((sent.length - 1) / Math.max(spanS, 0.001)) * 10) / 10,
      platformLimitPerSecond: 50,
      channelRequestsPerSecondMax: stats.maxPerSecond,
      throttled429: stats.throttled,
      largestCardKb: Math.round(cardBytes / 102.4) / 10,
    },
    submission: {
      storeOpsSavingSixAreas: saveTotal,
      storeOpsSubmitAndApproverCard: submitTotal,
      submitMs: Math.round(submitMs),
      submitOpsByCall: submitOps,
      saveOpsByCall: saveOps,
    },
    memory: {
      rssBeforeMb: mb(before.rss),
      rssAfterMb: mb(after.rss),
      heapUsedBeforeMb: mb(before.heapUsed),
      heapUsedAfterMb: mb(after.heapUsed),
    },
  };
}

if (require.main === module) {
  reviewBench()
    .then((result) =>
      process.stdout.write(`${JSON.stringify({ node: process.version, review: result }, null, 2)}\n`),
    )
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    });
}
