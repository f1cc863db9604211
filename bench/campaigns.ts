/**
 * Campaign-level figures (npm run --silent build && node dist/bench/campaigns.js [recipients]); prints JSON,
 * measures, never asserts. The sending itself (rates, retries, resume) is the shared sender's
 * benchmark; here the shared sender is not started (its Delivery records are written, then marked
 * sent as its worker would), so what is timed is the campaign's own work on the embedded store (SQLite on disk):
 *  - dispatch: resolving the audience from a generated organisation, one CampaignRecipient per person, the hand-off to the sender
 *  - acknowledgements and quiz answers through the service (each: reload, authorize, versioned write, audit event)
 *  - figures per unit, the CSV export, and choosing who gets a reminder
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { collections } from '../bot/collections';
import { CampaignService } from '../bot/features/campaigns/service';
import { DeliveryService } from '../bot/platform/delivery/service';
import { createLogger } from '../bot/platform/logger';
import { FileDirectory } from '../bot/platform/org/fileDirectory';
import type { OrganisationFile } from '../bot/platform/org/model';
import { JobScheduler } from '../bot/platform/schedule/service';
import { openSqliteStore } from '../bot/platform/store/sqlite';

const recipients = Number(process.argv[2] ?? 10_000);
const round = (n: number) => Math.round(n * 10) / 10;
const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

/** An organisation of `people` employees in 10 administrations of 10 units each. */
function organisation(people: number): OrganisationFile {
  const units: OrganisationFile['units'] = [
    { id: 'u-root', name: 'Regionen', kind: 'organisation', parentId: null, managerId: 'p-0' },
  ];
  for (let a = 0; a < 10; a++) {
    units.push({
      id: `u-${a}`,
      name: `Förvaltning ${a}`,
      kind: 'administration',
      parentId: 'u-root',
      managerId: `p-${a + 1}`,
    });
    for (let u = 0; u < 10; u++)
      units.push({
        id: `u-${a}-${u}`,
        name: `Enhet ${a}.${u}`,
        kind: 'unit',
        parentId: `u-${a}`,
        managerId: `p-${11 + a * 10 + u}`,
      });
  }
  const leaves = units.filter((u) => u.kind === 'unit');
  const list: OrganisationFile['people'] = Array.from({ length: people }, (_, i) => ({
    id: `p-${i}`,
    name: `Person ${i}`,
    unitId: i === 0 ? 'u-root' : i <= 10 ? `u-${i - 1}` : (leaves[i % leaves.length]?.id ?? 'u-root'),
    roles: i === 0 ? ['employee', 'securityChief'] : ['employee'],
    locale: i % 7 === 0 ? 'en-US' : 'sv-SE',
  }));
  return {
    organisation: { id: 'bench', name: 'Benchregionen', tenantId: 'bench' },
    units,
    people: list,
    groups: [],
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-bench-campaigns-'));
  const store = openSqliteStore(path.join(dir, 'varn.sqlite'), collections);
  const directory = new FileDirectory(organisation(recipients));
  const log = createLogger('silent');
  const never = async () => {
    throw new Error('the bench does not send');
  };
  const sender = new DeliveryService({
    store,
    messenger: { sendCard: never, updateCard: never },
    conversations: { has: async () => true, open: never },
    installer: { ensureInstalled: async () => ({ installed: true, now: false }) },
    directory,
    log,
    clock: () => new Date(),
  });
  const service = new CampaignService({
    store,
    directory,
    sender,
    // never started: the bench runs the dispatch and reminder itself
    scheduler: new JobScheduler({ store, log, clock: () => new Date() }),
    clock: () => new Date(),
    log,
    teamsIdOf: async () => undefined,
  });
  service.register();
  const chief = 'p-0';
  const { campaign } = await service.create(chief, {
    title: 'Informationssäkerhet för alla',
    text: 'Läs riktlinjen och svara på två frågor.',
    requiresAcknowledgement: true,
    quiz: {
      questions: [
        { text: 'Får du dela ditt lösenord?', options: ['Ja', 'Nej'], correct: 1, explanation: 'Aldrig.' },
        {
          text: 'Vart rapporterar du en brist?',
          options: ['Till närmaste chef', 'Ingenstans'],
          correct: 0,
          explanation: 'Policyn.',
        },
      ],
      passMark: 2,
    },
    audience: { kind: 'everyone' },
    reminderAt: [],
  });
  if (!campaign) throw new Error('the bench campaign did not validate');
  const rssBefore = process.memoryUsage().rss;

  await service.send(chief, campaign.id);
  let start = performance.now();
  await service.dispatch(campaign.id);
  const dispatchMs = performance.now() - start;
  const handedOver = (await sender.progress(campaign.id)).queued;
  // what the sender's worker would do: every message delivered
  const sentAt = new Date().toISOString();
  await store.transaction(async (tx) => {
    for (const d of await tx.deliveries.find({ batchId: campaign.id }))
      await tx.deliveries.update({ ...d.value, status: 'sent', sentAt }, d.version);
  });

  const sample = Math.min(2000, recipients);
  const ackTimes: number[] = [];
  const quizTimes: number[] = [];
  for (let i = 1; i < sample; i++) {
    const who = `p-${i}`;
    let t0 = performance.now();
    await service.acknowledge(who, 'sv', campaign.id);
    ackTimes.push(performance.now() - t0);
    if (i % 2 === 0) {
      t0 = performance.now();
      await service.answerQuiz(who, 'sv', campaign.id, [1, i % 4 === 0 ? 0 : 1]);
      quizTimes.push(performance.now() - t0);
    }
  }

  start = performance.now();
  const { figures } = await service.figures(chief, campaign.id);
  const figuresMs = performance.now() - start;
  start = performance.now();
  const csv = await service.csv(chief, 'sv', campaign.id);
  const csvMs = performance.now() - start;
  start = performance.now();
  await service.remind(campaign.id, 0);
  const remindMs = performance.now() - start;
  const reminded = (await sender.deliveries(campaign.id)).filter(
    (d) => d.kind === 'campaign.reminder',
  ).length;

  process.stdout.write(
    `${JSON.stringify(
      {
        node: process.version,
        recipients,
        units: figures.units.length,
        dispatch: {
          ms: round(dispatchMs),
          recipientsPerSecond: Math.round(recipients / (dispatchMs / 1000)),
          deliveriesHandedToSender: handedOver,
        },
        acknowledge: {
          count: ackTimes.length,
          p50Ms: round(percentile(ackTimes, 50)),
          p99Ms: round(percentile(ackTimes, 99)),
        },
        quiz: {
          count: quizTimes.length,
          p50Ms: round(percentile(quizTimes, 50)),
          p99Ms: round(percentile(quizTimes, 99)),
        },
        figures: {
          ms: round(figuresMs),
          acknowledged: figures.total.acknowledged,
          quizPassed: figures.total.quizPassed,
          quizAnswered: figures.total.quizAnswered,
        },
        csv: { ms: round(csvMs), bytes: csv.bytes.length, rows: figures.units.length + 2 },
        reminder: { ms: round(remindMs), reminded },
        rssMb: mb(process.memoryUsage().rss),
        rssGrowthMb: mb(process.memoryUsage().rss - rssBefore),
      },
      null,
      2,
    )}\n`,
  );
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
