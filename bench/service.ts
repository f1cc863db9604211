/**
 * The service as it runs, against its anchor: Värn (`node dist/bot/main.js`, the embedded default, with
 * `npm start`'s V8 flags) and a bare echo bot on the same stack (bench/echoBot.ts, the same flags), each in a
 * process of its own; the load generator (the local channel) is this process. Prints JSON; measures, never
 * asserts. `npm run build && node dist/bench/service.js [--starts N] [--rounds N]`.
 *  - start: from spawning the process to the first 200 from /healthz. Värn's first start imports the sample
 *    content into a new data folder; its restarts find it there. Medians of N starts of each, alternating.
 *  - idle RSS a second after start; RSS at its highest under load (sampled every 50 ms)
 *  - turns: 50 concurrent conversations, 10 questions each, a warm-up round of each and then rounds alternating
 *    between the two (5 unless given); turns/s and p50/p99 latency of a question turn (Värn answers from the
 *    documents; echo repeats the text)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileDirectory } from '../bot/platform/org/fileDirectory';
import { type Channel, type ChannelUser, makeUser, startChannel } from '../test/support/channel';
import { concurrentTurns, mb, percentile, round, serviceNodeFlags } from './measure';

const root = path.resolve(__dirname, '../..');
const QUESTION = 'Vem ansvarar för informationssäkerheten?';
const CONVERSATIONS = 50;
const PER_CONVERSATION = 10;
const median = (values: number[]) => percentile(values, 50);

interface Running {
  child: ChildProcess;
  port: number;
  startMs: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The process's resident memory now, in kilobytes (/proc/<pid>/status VmRSS). */
function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
}

async function healthy(child: ChildProcess, port: number, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process ended (${child.exitCode}) before /healthz`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`no /healthz on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function start(bot: 'varn' | 'echo', dataDir: string): Promise<Running> {
  const port = await freePort();
  const script = bot === 'varn' ? path.join(root, 'dist/bot/main.js') : path.join(__dirname, 'echoBot.js');
  const began = performance.now();
  const child = spawn(process.execPath, [...serviceNodeFlags(root), script], {
    cwd: dataDir, // no .env there
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      VARN_CONTENT_DIR: path.join(root, 'content'),
      VARN_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await healthy(child, port, began + 60_000);
  return { child, port, startMs: performance.now() - began };
}

async function stop(running: Running): Promise<void> {
  const closed = new Promise((resolve) => running.child.once('close', resolve));
  running.child.kill('SIGTERM');
  await closed;
}

/** One round: every conversation asks `perConversation` questions, one after another, all at once. */
async function round1(channel: Channel, users: ChannelUser[], perConversation: number, pid: number) {
  let peakKb = rssKb(pid);
  const sampler = setInterval(() => {
    peakKb = Math.max(peakKb, rssKb(pid));
  }, 50);
  const { times, seconds } = await concurrentTurns(users, perConversation, (user) =>
    channel.say(user, QUESTION),
  );
  clearInterval(sampler);
  return {
    turnsPerSecond: times.length / seconds,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    peakKb,
  };
}

async function serviceBench(options: { starts: number; rounds: number }) {
  const dataDir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `varn-bench-${name}-`));
  const varnData = dataDir('varn');
  const echoData = dataDir('echo');
  // start-up: a first start of each (Värn imports its content), then restarts, alternating
  const first = { varn: 0, echo: 0 };
  const starts = { varn: [] as number[], echo: [] as number[] };
  const idle = { varn: [] as number[], echo: [] as number[] };
  for (let i = 0; i <= options.starts; i++) {
    for (const bot of ['varn', 'echo'] as const) {
      const running = await start(bot, bot === 'varn' ? varnData : echoData);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (i === 0) first[bot] = running.startMs;
      else {
        starts[bot].push(running.startMs);
        idle[bot].push(rssKb(running.child.pid as number) * 1024);
      }
      await stop(running);
    }
  }

  // turns: both running, the channel here
  const { tenantId } = FileDirectory.fromFile(path.join(root, 'content/organisation.json')).organisation;
  const users = Array.from({ length: CONVERSATIONS }, (_, i) => makeUser(`Bench ${i}`, { tenantId }));
  const bots = {
    varn: await start('varn', varnData),
    echo: await start('echo', echoData),
  };
  const channels = {
    varn: await startChannel({ botUrl: `http://127.0.0.1:${bots.varn.port}/api/messages`, tenantId, users }),
    echo: await startChannel({ botUrl: `http://127.0.0.1:${bots.echo.port}/api/messages`, tenantId, users }),
  };
  // warm up: one whole round of each, not counted (the first round after a start runs before the JIT has
  // compiled the turn's code, and was the slowest of every run for both bots)
  for (const bot of ['varn', 'echo'] as const)
    await round1(channels[bot], users, PER_CONVERSATION, bots[bot].child.pid as number);
  const rounds = {
    varn: [] as Awaited<ReturnType<typeof round1>>[],
    echo: [] as Awaited<ReturnType<typeof round1>>[],
  };
  for (let r = 0; r < options.rounds; r++)
    for (const bot of ['varn', 'echo'] as const)
      rounds[bot].push(await round1(channels[bot], users, PER_CONVERSATION, bots[bot].child.pid as number));
  for (const bot of ['varn', 'echo'] as const) {
    await channels[bot].close();
    await stop(bots[bot]);
  }
  for (const dir of [varnData, echoData]) fs.rmSync(dir, { recursive: true, force: true });

  const summary = (bot: 'varn' | 'echo') => ({
    firstStartMs: round(first[bot]),
    startMs: round(median(starts[bot])),
    starts: starts[bot].map(round),
    idleRssMb: mb(median(idle[bot])),
    turnsPerSecond: round(median(rounds[bot].map((r) => r.turnsPerSecond))),
    p50Ms: round(median(rounds[bot].map((r) => r.p50Ms))),
    p99Ms: round(median(rounds[bot].map((r) => r.p99Ms))),
    rounds: rounds[bot].map((r) => round(r.turnsPerSecond)),
    peakRssUnderLoadMb: mb(Math.max(...rounds[bot].map((r) => r.peakKb)) * 1024),
  });
  const varn = summary('varn');
  const echo = summary('echo');
  return {
    turns: CONVERSATIONS * PER_CONVERSATION,
    varn,
    echo,
    // the goals: start ≤ 1.5 × echo; throughput ≥ 0.8 × echo; p99 ≤ 1.25 × echo
    startRatio: round(varn.startMs / echo.startMs),
    throughputRatio: round(varn.turnsPerSecond / echo.turnsPerSecond),
    p99Ratio: round(varn.p99Ms / echo.p99Ms),
  };
}

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
serviceBench({ starts: option('--starts', 5), rounds: option('--rounds', 5) })
  .then((service) =>
    process.stdout.write(
      `${JSON.stringify({ node: process.version, cpus: os.cpus().length, service }, null, 2)}\n`,
    ),
  )
  .catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
