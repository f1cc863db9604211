/**
 * The outbox of the yearly review, killed on purpose: UNITS managers submit their reviews (each with a gap
 * and its follow-up) at the same moment to the built service (`node dist/bot/main.js`) on a SQLite file,
 * and the process is SIGKILLed at a different point in each round (a delay after the presses, the n-th
 * answer, or inside the channel's handler of the n-th approver card). A new process on the same file must then, for every review the store has
 * as submitted, deliver the approver's card and keep both overdue jobs of its follow-up; a review whose
 * submission did not commit stays as it was (its manager saw no answer and submits again). Before the
 * outbox, the card and the jobs were queued in transactions of their own after the submission's, and a kill
 * in between lost them for good.
 *
 * Each round starts from a copy of one prepared file (the cycle open, every review filled in), so the
 * rounds differ only in where the kill falls (killPlan). KILL_ROUNDS (default 8) sets how many.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collections } from '../../bot/collections';
import type { UnitReview } from '../../bot/features/review/model';
import { openSqliteStore } from '../../bot/platform/store/sqlite';
import { person, root, sample } from '../support/app';
import { ADAPTIVE_CARD_CONTENT_TYPE, type ChannelUser, makeUser, startChannel } from '../support/channel';
import { until } from '../support/generated';
import { fillReview, openCycleForm } from '../support/review';

const UNITS = 12;
const ROUNDS = Number(process.env.KILL_ROUNDS ?? 8);
const tenantId = sample.organisation.tenantId;
const malin = person('Malin Forsberg');
const per = person('Per Åkesson'); // head of administration: the first approver of every unit under u-hsf
const main = path.join(root, 'dist/bot/main.js');

interface Service {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

function startService(env: Record<string, string>, cwd: string): Promise<Service> {
  const child = spawn(process.execPath, [main], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let rest = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg?.startsWith('Värn listens') && entry.port)
            resolve({ child, port: entry.port, exited });
        } catch {}
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    void exited.then((code) =>
      reject(new Error(`the service exited (${code}) before it listened:\n${stderr.slice(-2000)}`)),
    );
  });
}

/** The organisation plus UNITS generated units under Hälso- och sjukvårdsförvaltningen, each with its manager. */
function organisation(dir: string): ChannelUser[] {
  const data = JSON.parse(fs.readFileSync(path.join(root, 'content/organisation.json'), 'utf8')) as {
    units: Record<string, unknown>[];
    people: Record<string, unknown>[];
  };
  const managers = Array.from({ length: UNITS }, (_, i) => makeUser(`Chef ${i}`, { tenantId }));
  managers.forEach((m, i) => {
    data.units.push({
      id: `u-gen-${i}`,
      name: `Enhet ${String(i).padStart(2, '0')}`,
      kind: 'unit',
      parentId: 'u-hsf',
      managerId: m.aadObjectId,
    });
    data.people.push({
      id: m.aadObjectId,
      name: m.name,
      unitId: `u-gen-${i}`,
      roles: ['unitManager'],
      locale: 'sv-SE',
    });
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'organisation.json'), JSON.stringify(data));
  fs.cpSync(path.join(root, 'content/review'), path.join(dir, 'review'), { recursive: true });
  fs.cpSync(path.join(root, 'content/documents'), path.join(dir, 'documents'), { recursive: true });
  return managers;
}

async function records(dbFile: string) {
  const store = openSqliteStore(dbFile, collections);
  try {
    return {
      reviews: (await store.unitReviews.list()).map((r) => r.value as UnitReview),
      followUps: (await store.followUps.list()).map((f) => f.value),
      jobs: (await store.jobs.list()).map((j) => j.value),
      deliveries: (await store.deliveries.list()).map((d) => d.value),
    };
  } finally {
    await store.close();
  }
}

/** Where round r's kill falls: a delay after the presses, the n-th answer, or inside the n-th approver card's arrival. */
function killPlan(round: number): { kind: 'delay' | 'answers' | 'card'; n: number } {
  const plans = [
    { kind: 'delay', n: 5 },
    { kind: 'card', n: 1 },
    { kind: 'answers', n: 1 },
    { kind: 'card', n: 2 },
    { kind: 'delay', n: 150 },
    { kind: 'card', n: 4 },
    { kind: 'answers', n: 4 },
    { kind: 'card', n: 7 },
  ] as const;
  return plans[round % plans.length] as { kind: 'delay' | 'answers' | 'card'; n: number };
}

jest.setTimeout(30 * 60_000);

test(`when ${UNITS} managers submit at once and the service is killed at ${ROUNDS} points, then every committed submission has its approver's card and its overdue jobs after a restart`, async () => {
  if (!fs.existsSync(main))
    throw new Error(`${main} is missing: run the tests with npm test (it builds first)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-review-kill-'));
  const managers = organisation(path.join(dir, 'content'));
  const prepared = path.join(dir, 'prepared.sqlite');
  const channel = await startChannel({ botUrl: 'http://127.0.0.1:9/api/messages', tenantId });
  for (const m of [...managers, per]) channel.addUser(m);
  const envFor = (dbFile: string) => ({
    VARN_CONTENT_DIR: path.join(dir, 'content'),
    VARN_DATA_DIR: path.join(dir, 'data'),
    VARN_DB_PATH: dbFile,
    VARN_TEAMS_SERVICE_URL: channel.serviceUrl,
    VARN_SCHEDULER_POLL_SECONDS: '1',
    VARN_SCHEDULER_LEASE_SECONDS: '3',
    VARN_SENDER_LEASE_SECONDS: '3',
    VARN_RATE_LIMIT_PER_MINUTE: '0',
  });
  const services: Service[] = [];
  const figures: Record<string, number | string>[] = [];
  try {
    // prepared once: the cycle open and every generated unit's review filled in, one gap with its follow-up
    const setup = await startService(envFor(prepared), dir);
    services.push(setup);
    channel.setBotUrl(`http://127.0.0.1:${setup.port}/api/messages`);
    await channel.installBot(malin, { events: ['installationUpdate'] });
    expect(
      (await channel.execute(malin, 'review.openCycle', openCycleForm({ deadline: '2027-12-15' }))).status,
    ).toBe(200);
    const store = openSqliteStore(prepared, collections);
    const reviewOf = new Map<string, string>();
    for (const m of managers) {
      const [review] = await store.unitReviews.find({ managerId: m.aadObjectId as string });
      if (!review) throw new Error(`no review for ${m.name}`);
      reviewOf.set(m.aadObjectId as string, review.value.id);
      const cycle = (await store.reviewCycles.get(review.value.cycleId))?.value;
      const firstGoal = cycle?.areas[0]?.goals[0]?.id as string;
      await fillReview(channel, store, m, review.value.id, {
        [firstGoal]: {
          rating: 'notMet',
          comment: 'Övningen blev inte av.',
          followUpWhat: 'Öva kontinuitetsplanen',
          followUpOwner: m.aadObjectId,
          followUpDue: '2027-03-31',
        },
      });
    }
    await store.close();
    setup.child.kill('SIGTERM');
    expect(await setup.exited).toBe(0);

    for (let round = 0; round < ROUNDS; round++) {
      const dbFile = path.join(dir, `round-${round}.sqlite`);
      fs.copyFileSync(prepared, dbFile);
      const service = await startService(envFor(dbFile), dir);
      services.push(service);
      channel.setBotUrl(`http://127.0.0.1:${service.port}/api/messages`);
      const mark = channel.mark();
      // everyone presses "Skicka in" at once; where the kill falls differs per round (killPlan)
      const plan = killPlan(round);
      const kill = () => service.child.kill('SIGKILL');
      let answered = 0;
      let cardsSeen = 0;
      const perChat = channel.conversationFor(per).id;
      if (plan.kind === 'delay') setTimeout(kill, plan.n);
      const cardKill =
        plan.kind === 'card'
          ? channel
              .waitFor(
                (_a, e) => {
                  if (e.kind === 'update' || e.kind === 'delete' || e.conversationId !== perChat)
                    return false;
                  cardsSeen += 1;
                  if (cardsSeen < plan.n) return false;
                  kill(); // inside the channel's handler: the card is here, Teams' answer is not back yet
                  return true;
                },
                { since: mark, timeoutMs: 60_000 },
              )
              .catch(() => undefined)
          : Promise.resolve();
      const submits = managers.map((m) =>
        channel
          .execute(m, 'review.submit', { reviewId: reviewOf.get(m.aadObjectId as string), round: 0, step: 0 })
          .then(() => {
            answered += 1;
            if (plan.kind === 'answers' && answered === plan.n) kill();
          })
          .catch(() => undefined),
      );
      await Promise.all(submits);
      if (plan.kind === 'card') await Promise.race([cardKill, new Promise((r) => setTimeout(r, 20_000))]);
      if (service.child.exitCode === null && service.child.signalCode === null) kill(); // the point was never reached
      expect(await service.exited).toBeNull();
      const atKill = await records(dbFile);
      const submitted = atKill.reviews.filter(
        (r) => r.unitId.startsWith('u-gen-') && r.state === 'submitted',
      );
      // assign cards claimed by the killed process but not recorded: these may come twice (the sender's documented window)
      const inFlightAtKill = atKill.deliveries.filter(
        (d) => d.kind === 'review.assign' && d.status === 'queued' && d.claim !== undefined,
      ).length;
      const pendingAtKill = atKill.jobs.filter(
        (j) => j.kind === 'review.consequences' && j.status !== 'done',
      ).length;

      const again = await startService(envFor(dbFile), dir);
      services.push(again);
      channel.setBotUrl(`http://127.0.0.1:${again.port}/api/messages`);
      const approverCards = () => {
        const chat = channel.conversationFor(per).id;
        return channel
          .events()
          .slice(mark)
          .filter((e) => e.kind !== 'update' && e.kind !== 'delete' && e.conversationId === chat)
          .map((e) =>
            JSON.stringify(
              e.activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content ??
                '',
            ),
          );
      };
      const cardsFor = (review: UnitReview) =>
        approverCards().filter((c) => c.includes(review.unitName)).length;
      await until(
        `round ${round}: the approver's card of every submitted review, and every consequence done`,
        async () => {
          const now = await records(dbFile);
          return (
            submitted.every((r) => cardsFor(r) > 0) &&
            now.jobs.filter((j) => j.kind === 'review.consequences').every((j) => j.status === 'done')
          );
        },
        90_000,
      );
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);

      const after = await records(dbFile);
      const lost: string[] = [];
      for (const review of after.reviews.filter((r) => r.unitId.startsWith('u-gen-'))) {
        if (review.state !== 'submitted') {
          expect([review.unitName, review.state]).toEqual([review.unitName, 'open']); // never committed: as it was
          continue;
        }
        const delivered = after.deliveries.filter(
          (d) => d.recordId === review.id && d.kind === 'review.assign' && d.personId === per.aadObjectId,
        );
        if (delivered.length !== 1 || delivered[0]?.status !== 'sent')
          lost.push(`${review.unitName}: approver card`);
        // submitted, not signed off: the follow-up is stored, its owner is neither told nor reminded yet
        for (const f of after.followUps.filter((x) => x.sourceId === review.id))
          for (const who of ['owner', 'manager'])
            if (after.jobs.some((j) => j.id === `followup:${f.id}:overdue:${who}`))
              lost.push(`${review.unitName}: overdue job (${who}) before sign-off`);
        if (after.followUps.filter((x) => x.sourceId === review.id).length !== 1)
          lost.push(`${review.unitName}: follow-up`);
      }
      expect(lost).toEqual([]);
      const duplicates = after.reviews
        .filter((r) => r.state === 'submitted' && r.unitId.startsWith('u-gen-'))
        .reduce((sum, r) => sum + Math.max(0, cardsFor(r) - 1), 0);
      expect(duplicates).toBeLessThanOrEqual(inFlightAtKill);
      figures.push({
        round,
        killAt: `${plan.kind} ${plan.n}`,
        answeredBeforeKill: Math.min(answered, managers.length),
        submittedAtKill: submitted.length,
        consequencesPendingAtKill: pendingAtKill,
        submittedAfter: after.reviews.filter((r) => r.unitId.startsWith('u-gen-') && r.state === 'submitted')
          .length,
        assignCardsInFlightAtKill: inFlightAtKill,
        approverCardDuplicates: duplicates,
      });
    }
    process.stdout.write(`${JSON.stringify({ reviewKill: { units: UNITS, rounds: figures } })}\n`);
    // across the rounds the kill fell both before and after submissions committed, with consequences pending
    expect(figures.some((f) => Number(f.consequencesPendingAtKill) > 0)).toBe(true);
  } finally {
    for (const s of services)
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await channel.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
