/**
 * The persistent scheduler in the running app, with a clock the test moves and a SQLite file that a
 * second app opens as the first one restarted. The job sends a card through the shared sender, so
 * what is checked is what a person would notice: the card arrives once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from '../../bot/app';
import type { Job } from '../../bot/platform/schedule/port';
import { person, startApp, testClock } from '../support/app';
import type { Channel } from '../support/channel';

const erik = person('Erik Nordlund');

/** A reminder job as a feature would write one: it enqueues one card with a stable key. */
function registerReminder(app: App, runs: Job[]) {
  app.sender.register('test.reminder', {
    render: async (recordId) => ({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: `Påminnelse ${recordId}`, wrap: true }],
    }),
  });
  app.scheduler.register('test.remind', async (job) => {
    runs.push(job);
    const personId = job.payload.personId as string;
    await app.sender.enqueue(job.id, [
      { key: `${job.id}:${personId}`, personId, kind: 'test.reminder', recordId: job.id },
    ]);
  });
}

const cardsTo = (channel: Channel, text: string) =>
  channel
    .activities(channel.conversationFor(erik).id)
    .filter((a) => JSON.stringify(a.attachments ?? []).includes(text)).length;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-scheduler-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An app on a SQLite file with one reminder job for Erik; `restart()` opens a second app on the same file. */
async function withReminder(id: string, dueAt: string) {
  const dbFile = path.join(dir, 'varn.sqlite');
  const clock = testClock('2026-11-23T08:00:00.000Z');
  const runs: Job[] = [];
  const first = await startApp({}, { dbFile, clock, setup: (app) => registerReminder(app, runs) });
  const { channel } = first;
  await channel.installBot(erik);
  await first.app.scheduler.schedule({
    id,
    kind: 'test.remind',
    dueAt,
    payload: { personId: erik.aadObjectId },
  });
  const restart = () => startApp({}, { dbFile, clock, channel, setup: (app) => registerReminder(app, runs) });
  return { first, channel, clock, runs, restart };
}

test('when a job falls due, then it runs once, and not again after a restart', async () => {
  const { first, channel, clock, runs, restart } = await withReminder(
    'review:2026:remind:7d',
    '2026-11-24T08:00:00.000Z',
  );

  expect(await first.app.scheduler.runDue()).toBe(0);
  clock.advance(24 * 3600_000);
  expect(await first.app.scheduler.runDue()).toBe(1);
  expect(await first.app.scheduler.runDue()).toBe(0);
  await first.app.sender.idle();
  expect(cardsTo(channel, 'Påminnelse review:2026:remind:7d')).toBe(1);
  await first.app.close();

  const second = await restart();
  try {
    expect(await second.app.scheduler.runDue()).toBe(0);
    await second.app.sender.idle();
    expect(runs).toHaveLength(1);
    expect(cardsTo(channel, 'Påminnelse review:2026:remind:7d')).toBe(1);
    const [job] = (await second.app.store.jobs.find({ kind: 'test.remind' })).map((j) => j.value);
    expect(job?.status).toBe('done');
    expect(job?.doneAt).toBe('2026-11-24T08:00:00.000Z');
  } finally {
    await second.close();
    await channel.close();
  }
});

test('when a job fell due while the service was down, then it runs when the service starts', async () => {
  const { first, channel, clock, runs, restart } = await withReminder(
    'campaign:c1:remind',
    '2026-11-23T12:00:00.000Z',
  );
  await first.app.close();

  clock.advance(2 * 24 * 3600_000); // down over the weekend
  const second = await restart();
  try {
    // start() ran the due jobs already; runDue waits for that run and finds nothing left
    expect(await second.app.scheduler.runDue()).toBe(0);
    expect(runs.map((j) => j.id)).toEqual(['campaign:c1:remind']);
    await second.app.sender.idle();
    expect(cardsTo(channel, 'Påminnelse campaign:c1:remind')).toBe(1);
  } finally {
    await second.close();
    await channel.close();
  }
});

test('when a run crashed, then the job runs again once its lease has passed; a failing job is retried, then recorded as failed', async () => {
  const clock = testClock('2026-11-23T08:00:00.000Z');
  const running = await startApp({}, { clock });
  const { app } = running;
  try {
    let calls = 0;
    app.scheduler.register('test.flaky', async () => {
      calls++;
      throw new Error('the directory did not answer');
    });
    // what a crash mid-run leaves: running, with a lease that has passed
    await app.store.jobs.insert({
      id: 'crashed',
      kind: 'test.flaky',
      dueAt: '2026-11-23T07:00:00.000Z',
      payload: {},
      status: 'running',
      attempts: 1,
      leaseUntil: '2026-11-23T07:30:00.000Z',
    });
    expect(await app.scheduler.runDue()).toBe(1);
    expect(calls).toBe(1);
    expect((await app.store.jobs.get('crashed'))?.value).toMatchObject({
      status: 'pending',
      attempts: 2,
      lastError: 'the directory did not answer',
    });
    expect(await app.scheduler.runDue()).toBe(0); // backing off
    clock.advance(3 * 60_000);
    expect(await app.scheduler.runDue()).toBe(1);
    expect((await app.store.jobs.get('crashed'))?.value).toMatchObject({ status: 'failed', attempts: 3 });
    clock.advance(3600_000);
    expect(await app.scheduler.runDue()).toBe(0);
    expect(calls).toBe(2);
    const audit = await app.store.auditEvents.find({ recordType: 'job', recordId: 'crashed' });
    expect(audit.map((e) => e.action)).toEqual(['retry', 'fail']);
  } finally {
    await running.close();
  }
});

test('when a pending job is cancelled or scheduled again, then it runs at the new time or not at all', async () => {
  const clock = testClock('2026-11-23T08:00:00.000Z');
  const running = await startApp({}, { clock });
  const { app } = running;
  try {
    const ran: string[] = [];
    app.scheduler.register('test.note', async (job) => {
      ran.push(job.id);
    });
    await app.scheduler.schedule({ id: 'a', kind: 'test.note', dueAt: '2026-11-23T09:00:00.000Z' });
    await app.scheduler.schedule({ id: 'b', kind: 'test.note', dueAt: '2026-11-23T09:00:00.000Z' });
    await app.scheduler.schedule({ id: 'a', kind: 'test.note', dueAt: '2026-11-23T11:00:00.000Z' });
    await app.scheduler.cancel('b');
    clock.set('2026-11-23T10:00:00.000Z');
    expect(await app.scheduler.runDue()).toBe(0);
    clock.set('2026-11-23T11:00:00.000Z');
    expect(await app.scheduler.runDue()).toBe(1);
    expect(ran).toEqual(['a']);
    await app.scheduler.schedule({ id: 'a', kind: 'test.note', dueAt: '2026-11-23T12:00:00.000Z' });
    clock.set('2026-11-23T13:00:00.000Z');
    expect(await app.scheduler.runDue()).toBe(0); // done stays done: scheduling is idempotent
    await expect(
      app.scheduler.schedule({ id: 'c', kind: 'test.note', dueAt: 'next tuesday' }),
    ).rejects.toThrow(/not a time/);
  } finally {
    await running.close();
  }
});
