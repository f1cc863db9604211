/**
 * The built service (`node dist/bot/main.js`, made by `npm test`'s build step) as a child process on a
 * SQLite file, talking to the local channel over real HTTP: a campaign to a couple of thousand generated
 * recipients is sent, the process is killed with SIGKILL in the middle of the send, and a new process on
 * the same file finishes the batch. Nobody is left out; a duplicate is possible only for a delivery that
 * was in flight at the kill (claimed, not recorded), and the test measures how many there were.
 *
 * The kill falls in the worst place on purpose: the channel kills the process from inside its handler of
 * the KILL_AFTER-th card, after the card has arrived and before Teams' answer reaches the service, so at
 * least that delivery is one the new process cannot know arrived.
 *
 * Can the in-flight window be closed or narrowed? Decision: no; the sender keeps it as it is.
 * - Closing it needs knowing, after the crash, whether a claimed card arrived. Teams has no idempotency key
 *   and the Bot Connector no call to read a chat's messages (Graph's chat messages need the protected
 *   Chat.Read.All application permission, which Microsoft must approve, for a handful of cards a crash).
 *   Recording "sent" before Teams answers would turn a crash during the call into a silent loss; the claim
 *   already is the "about to send" record. So the new process resends: for a security programme's card a
 *   possible duplicate is better than a possible loss (a graceful stop, SIGTERM, resends nobody).
 * - Fewer deliveries in flight (lower concurrency) would not narrow the real window. A card is duplicated
 *   only when the crash falls between Teams accepting it and the outcome's write (the answer's way back
 *   plus one SQLite commit); the cards in that state at any moment are the send rate times that time
 *   (Little's law), whatever the concurrency. Most claims at a kill are waiting for their turn in the rate
 *   windows or creating the conversation, and those are resent without a duplicate (here: 15-16 claimed,
 *   1-2 duplicated). Only a slower send would narrow it, at the cost of the 50 calls a second.
 * So the bound asserted here is the honest one: duplicates ≤ deliveries claimed but not recorded at the kill.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collections } from '../../bot/collections';
import type { Delivery } from '../../bot/platform/delivery/port';
import { openSqliteStore } from '../../bot/platform/store/sqlite';
import { person, root, sample } from '../support/app';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type ChannelActivity,
  type OutgoingEvent,
  startChannel,
} from '../support/channel';
import { GENERATED_UNIT, generatedOrganisation, until } from '../support/generated';

const RECIPIENTS = 2_000;
/** Cards that reach the channel before the first process is killed. */
const KILL_AFTER = 400;
const TITLE = 'Välkommen som vikarie';
const tenantId = sample.organisation.tenantId;
const malin = person('Malin Forsberg');
const main = path.join(root, 'dist/bot/main.js');

interface Service {
  child: ChildProcess;
  port: number;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The service's log lines (pino JSON), parsed. */
  logs: { msg?: string; level?: number }[];
}

/** Starts `node dist/bot/main.js` with only the given environment; resolves when it listens. */
function startService(env: Record<string, string>, cwd: string): Promise<Service> {
  const child = spawn(process.execPath, [main], {
    cwd, // no .env there
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Service['logs'] = [];
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let rest = '';
    // the pipe is always drained, or a chatty child would block on a full pipe
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; level?: number; port?: number };
          logs.push(entry);
          if (entry.msg?.startsWith('Värn listens') && entry.port)
            resolve({ child, port: entry.port, exited, logs });
        } catch {
          logs.push({ msg: line });
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    void exited.then((code) =>
      reject(new Error(`the service exited (${code}) before it listened:\n${stderr.slice(-2_000)}`)),
    );
  });
}

const isCampaignCard = (a: ChannelActivity): boolean =>
  JSON.stringify(
    a.attachments?.find((x) => x.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content ?? '',
  ).includes(TITLE);

/** The deliveries of the batch as the SQLite file has them now (a short-lived second connection). */
async function deliveriesIn(dbFile: string, batchId: string): Promise<Delivery[]> {
  const store = openSqliteStore(dbFile, collections);
  try {
    return (await store.deliveries.find({ batchId })).map((d) => d.value);
  } finally {
    await store.close();
  }
}

test(`when the service is killed mid-send to ${RECIPIENTS} people and started again, then everyone gets the card and only deliveries in flight at the kill may come twice`, async () => {
  if (!fs.existsSync(main))
    throw new Error(`${main} is missing: run the tests with npm test (it builds first)`);
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-campaign-kill-'));
  const users = generatedOrganisation(path.join(dir, 'content'), RECIPIENTS, { documents: true });
  const dbFile = path.join(dir, 'varn.sqlite');
  const channel = await startChannel({ botUrl: 'http://127.0.0.1:9/api/messages', tenantId });
  const env = {
    VARN_CONTENT_DIR: path.join(dir, 'content'),
    VARN_DATA_DIR: path.join(dir, 'data'),
    VARN_DB_PATH: dbFile,
    VARN_TEAMS_SERVICE_URL: channel.serviceUrl,
    VARN_SCHEDULER_POLL_SECONDS: '1',
    VARN_SENDER_LEASE_SECONDS: '5',
  };
  const services: Service[] = [];
  try {
    for (const u of users) channel.addUser(u);
    const recipientChats = new Set(users.map((u) => channel.conversationFor(u).id));
    /** A new message with the campaign's card in a recipient's 1:1 chat (a proactive message arrives as a reply, kind `reply`). */
    const isRecipientCard = (e: OutgoingEvent): boolean =>
      e.kind !== 'update' &&
      e.kind !== 'delete' &&
      recipientChats.has(e.conversationId) &&
      isCampaignCard(e.activity);
    const first = await startService(env, dir);
    services.push(first);
    channel.setBotUrl(`http://127.0.0.1:${first.port}/api/messages`);

    // Malin composes the campaign in her chat with the bot and sends it (the app's real rates: 50 calls a second)
    await channel.installBot(malin, { events: ['installationUpdate'] });
    const execute = async (data: Record<string, unknown>, verb = 'campaigns.compose') => {
      const response = await channel.execute(malin, verb, data);
      expect(response.status).toBe(200);
      return JSON.stringify(response.body);
    };
    await execute({
      campaignId: '',
      step: 'content',
      goto: 'response',
      title: TITLE,
      text: 'Läs **säkerhetspolicyn** innan första passet.',
    });
    const store = openSqliteStore(dbFile, collections);
    const [draft] = await store.campaigns.find({ createdBy: malin.aadObjectId });
    await store.close();
    const campaignId = draft?.value.id ?? '';
    expect(
      await execute({
        campaignId,
        step: 'audience',
        goto: 'preview',
        audienceKind: 'units',
        units: GENERATED_UNIT,
        subUnits: 'false',
      }),
    ).toContain(`${RECIPIENTS} personer`);

    // the KILL_AFTER-th card is killed in flight: SIGKILL from inside the channel's handler, before it answers
    let cards = 0;
    const killed = channel.waitFor(
      (_activity, event) => {
        if (!isRecipientCard(event)) return false;
        if (++cards < KILL_AFTER) return false;
        first.child.kill('SIGKILL');
        return true;
      },
      { since: channel.mark(), timeoutMs: 120_000 },
    );
    expect(await execute({ campaignId }, 'campaigns.send')).toContain(
      `Kampanjen skickas nu till ${RECIPIENTS} personer`,
    );
    await killed;
    expect(await first.exited).toBeNull(); // killed by the signal, no graceful stop
    const killedAt = Date.now();

    const cardsPerConversation = () => {
      const counts = new Map<string, number>();
      for (const e of channel.events())
        if (isRecipientCard(e)) counts.set(e.conversationId, (counts.get(e.conversationId) ?? 0) + 1);
      return users.map((u) => counts.get(channel.conversationFor(u).id) ?? 0);
    };
    const beforeKill = cardsPerConversation();
    const cardsBeforeKill = beforeKill.reduce((a, b) => a + b, 0);
    const atKill = await deliveriesIn(dbFile, campaignId);
    const inFlight = atKill.filter((d) => d.status === 'queued' && d.claim !== undefined);
    const recordedSent = atKill.filter((d) => d.status === 'sent').length;
    expect(atKill).toHaveLength(RECIPIENTS);
    expect(beforeKill.filter((n) => n > 1)).toEqual([]);
    // every recorded send arrived; the cards that arrived without a record are among the deliveries in flight
    expect(recordedSent).toBeLessThanOrEqual(cardsBeforeKill);
    expect(cardsBeforeKill - recordedSent).toBeGreaterThanOrEqual(1);
    expect(cardsBeforeKill - recordedSent).toBeLessThanOrEqual(inFlight.length);
    expect(cardsBeforeKill).toBeLessThan(RECIPIENTS);

    // a new process on the same file resumes: the unclaimed at once, the claimed when their 5-second lease ends
    const second = await startService(env, dir);
    services.push(second);
    channel.setBotUrl(`http://127.0.0.1:${second.port}/api/messages`);
    await until(
      'every recipient to be reached and every delivery recorded',
      async () =>
        cardsPerConversation().every((n) => n > 0) &&
        (await deliveriesIn(dbFile, campaignId)).every((d) => d.status !== 'queued'),
      150_000,
    );
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const final = await deliveriesIn(dbFile, campaignId);
    expect(final.filter((d) => d.status !== 'sent' || d.claim !== undefined)).toEqual([]);
    const counts = cardsPerConversation();
    expect(counts.filter((n) => n === 0)).toEqual([]); // none left out
    const duplicates = counts.reduce((sum, n) => sum + (n - 1), 0);
    expect(duplicates).toBeLessThanOrEqual(inFlight.length);
    // each resent claim was noticed and logged by the new process
    const resumed = second.logs.filter(
      (l) => l.msg === 'resending a delivery a stopped process had claimed',
    ).length;
    expect(resumed).toBe(inFlight.length);

    console.info(
      JSON.stringify({
        recipients: RECIPIENTS,
        cardsBeforeKill,
        recordedSentAtKill: recordedSent,
        inFlightAtKill: inFlight.length,
        duplicates,
        resumeSeconds: (Date.now() - killedAt) / 1000,
        totalSeconds: (Date.now() - started) / 1000,
      }),
    );
  } finally {
    for (const s of services)
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await channel.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);
