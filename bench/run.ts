/**
 * npm run bench — prints JSON; measures, never asserts.
 *  - answer latency in process (p50/p99) over the sample content and a generated corpus of 1,000 documents
 *  - index build time and memory
 *  - HTTP turn throughput and p99 with 50 concurrent conversations against the local channel, next to an echo bot on the same stack
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CloudAdapter, ConfigurationServiceClientCredentialFactory, createBotFrameworkAuthenticationFromConfiguration, TeamsActivityHandler } from 'botbuilder';
import { createApp } from '../bot/app';
import { loadConfig } from '../bot/config';
import { createServer } from '../bot/http/server';
import { createLogger } from '../bot/logger';
import { openSqliteStore } from '../bot/store/sqlite';
import { makeUser, startChannel } from '../test/support/channel';
import { percentile, round } from './measure';

const root = path.resolve(__dirname, '../..');
const log = createLogger('silent');

async function turns(botUrl: string, tenantId: string, text: string, conversations: number, perConversation: number) {
  const channel = await startChannel({ botUrl, tenantId });
  const users = Array.from({ length: conversations }, (_, i) => makeUser(`Bench ${i}`, { tenantId }));
  for (const u of users.slice(0, 2)) await channel.say(u, text); // warm up
  const times: number[] = [];
  const start = performance.now();
  await Promise.all(
    users.map(async (user) => {
      for (let i = 0; i < perConversation; i++) {
        const t0 = performance.now();
        const response = await channel.say(user, text);
        if (response.status !== 200) throw new Error(`turn failed: ${response.status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await channel.close();
  return { turns: times.length, turnsPerSecond: round(times.length / seconds), p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)) };
}

async function httpBench() {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', VARN_CONTENT_DIR: path.join(root, 'content') });
  const app = await createApp(config, { store: openSqliteStore(':memory:'), log });
  const port = await app.listen();
  const tenantId = app.directory.organisation.tenantId;
  const varn = await turns(`http://127.0.0.1:${port}/api/messages`, tenantId, 'Vem ansvarar för informationssäkerheten?', 50, 10);
  await app.close();

  // the echo turn on the same stack: restify, the same server module, CloudAdapter, TeamsActivityHandler
  const adapter = new CloudAdapter(createBotFrameworkAuthenticationFromConfiguration(null, new ConfigurationServiceClientCredentialFactory({})));
  const echo = new TeamsActivityHandler();
  echo.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text}`);
    await next();
  });
  const server = createServer({ adapter, bot: echo, log, tabDir: path.join(root, 'tab'), health: async () => ({}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const echoPort = (server.address() as { port: number }).port;
  const echoResult = await turns(`http://127.0.0.1:${echoPort}/api/messages`, tenantId, 'Vem ansvarar för informationssäkerheten?', 50, 10);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { varn, echo: echoResult, throughputRatio: round(varn.turnsPerSecond / echoResult.turnsPerSecond) };
}

/** The knowledge index in a process of its own (bench/knowledge.ts), so that its memory is the index's, not the HTTP stack's. */
function knowledgeBench(): unknown {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'knowledge.js')], { encoding: 'utf8' });
  return (JSON.parse(output) as { knowledge: unknown }).knowledge;
}

async function main() {
  const knowledge = knowledgeBench();
  // `npm run bench -- --knowledge` measures the knowledge index only
  const http = process.argv.includes('--knowledge') ? undefined : await httpBench();
  process.stdout.write(`${JSON.stringify({ node: process.version, knowledge, http }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
