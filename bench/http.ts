/**
 * HTTP turn throughput: 50 concurrent conversations through the local Bot Connector channel, Värn's
 * question turn next to an echo bot on the same stack (restify, the same server module, CloudAdapter,
 * TeamsActivityHandler). The two run in alternating rounds and the medians are reported, so that a busy
 * machine disturbs both alike. Prints JSON when run alone (`node dist/bench/http.js [--rounds N] [--file]`);
 * measures, never asserts.
 */

import os from 'node:os';
import path from 'node:path';
import { createApp } from '../bot/app';
import { collections } from '../bot/collections';
import { loadConfig } from '../bot/config';
import { createServer } from '../bot/platform/http/server';
import { createLogger } from '../bot/platform/logger';
import { openSqliteStore } from '../bot/platform/store/sqlite';
import { type Channel, type ChannelUser, makeUser, startChannel } from '../test/support/channel';
import { echoBot } from './echoBot';
import { concurrentTurns, rerunWithServiceFlags } from './measure';

const root = path.resolve(__dirname, '../..');
const log = createLogger('silent');
const QUESTION = 'Vem ansvarar för informationssäkerheten?';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const median = (values: number[]) => percentile(values, 50);
const round = (n: number) => Math.round(n * 1000) / 1000;

interface Round {
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerTurn: number;
}

/** One round: every conversation sends `perConversation` questions, one after another, all conversations at once. */
async function runRound(channel: Channel, users: ChannelUser[], perConversation: number): Promise<Round> {
  const cpu = process.cpuUsage();
  const { times, seconds } = await concurrentTurns(users, perConversation, (user) =>
    channel.say(user, QUESTION),
  );
  const used = process.cpuUsage(cpu);
  return {
    turnsPerSecond: times.length / seconds,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    // CPU time of this process (bot and channel) per turn: steadier than turns/s on a shared machine
    cpuMsPerTurn: (used.user + used.system) / 1000 / times.length,
  };
}

const summary = (rounds: Round[], turns: number) => ({
  turns,
  turnsPerSecond: round(median(rounds.map((r) => r.turnsPerSecond))),
  p50Ms: round(median(rounds.map((r) => r.p50Ms))),
  p99Ms: round(median(rounds.map((r) => r.p99Ms))),
  cpuMsPerTurn: round(median(rounds.map((r) => r.cpuMsPerTurn))),
  rounds: rounds.map((r) => round(r.turnsPerSecond)),
});

export async function httpBench(
  options: { conversations?: number; perConversation?: number; rounds?: number; dbPath?: string } = {},
) {
  const conversations = options.conversations ?? 50;
  const perConversation = options.perConversation ?? 10;
  const rounds = options.rounds ?? 3;

  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    VARN_CONTENT_DIR: path.join(root, 'content'),
  });
  const app = await createApp(config, {
    store: openSqliteStore(options.dbPath ?? ':memory:', collections),
    log,
  });
  const varnPort = await app.listen();
  const tenantId = app.directory.organisation.tenantId;

  // the echo turn on the same stack
  const { botAuth, adapter, bot: echo } = echoBot();
  const echoServer = createServer({
    adapter,
    botAuth,
    bot: echo,
    log,
    tabDir: path.join(root, 'tab'),
    health: async () => ({}),
  });
  await new Promise<void>((resolve) => echoServer.listen(0, '127.0.0.1', () => resolve()));
  const echoPort = (echoServer.address() as { port: number }).port;

  const users = Array.from({ length: conversations }, (_, i) => makeUser(`Bench ${i}`, { tenantId }));
  const varnChannel = await startChannel({
    botUrl: `http://127.0.0.1:${varnPort}/api/messages`,
    tenantId,
    users,
  });
  const echoChannel = await startChannel({
    botUrl: `http://127.0.0.1:${echoPort}/api/messages`,
    tenantId,
    users,
  });
  for (const user of users) {
    // warm up: every conversation once on each bot
    await varnChannel.say(user, QUESTION);
    await echoChannel.say(user, QUESTION);
  }
  const varnRounds: Round[] = [];
  const echoRounds: Round[] = [];
  const counted = { ...app.commits.counts };
  for (let r = 0; r < rounds; r++) {
    varnRounds.push(await runRound(varnChannel, users, perConversation));
    echoRounds.push(await runRound(echoChannel, users, perConversation));
  }
  // the group commit during the measured rounds: how many turns shared one transaction
  const transactions = app.commits.counts.batches - counted.batches;
  const turnsPerTransaction = (rounds * conversations * perConversation) / Math.max(1, transactions);
  await varnChannel.close();
  await echoChannel.close();
  await app.close();
  await new Promise<void>((resolve) => echoServer.close(() => resolve()));

  const varn = summary(varnRounds, conversations * perConversation);
  const echoResult = summary(echoRounds, conversations * perConversation);
  return {
    conversations,
    rounds,
    store: options.dbPath ? 'sqlite file' : 'sqlite :memory:',
    groupCommit: {
      transactions,
      writes: app.commits.counts.writes - counted.writes,
      turnsPerTransaction: round(turnsPerTransaction),
    },
    varn,
    echo: echoResult,
    throughputRatio: round(varn.turnsPerSecond / echoResult.turnsPerSecond),
    cpuRatio: round(echoResult.cpuMsPerTurn / varn.cpuMsPerTurn),
  };
}

// measured as `npm start` runs the service: with its V8 flags (package.json)
if (require.main === module && !rerunWithServiceFlags(root, __filename)) {
  const argv = process.argv.slice(2);
  const roundsAt = argv.indexOf('--rounds');
  const dbPath = argv.includes('--file')
    ? path.join(os.tmpdir(), `varn-bench-${process.pid}.sqlite`)
    : undefined;
  httpBench({ dbPath, rounds: roundsAt >= 0 ? Number(argv[roundsAt + 1]) : undefined })
    .then((result) =>
      process.stdout.write(
        `${JSON.stringify({ node: process.version, nodeFlags: process.execArgv, http: result }, null, 2)}\n`,
      ),
    )
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    });
}
