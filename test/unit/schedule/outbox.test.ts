/**
 * The scheduler's outbox: a job written by the transaction of the change that causes it exists exactly
 * when the change does, and runNow carries it out at once, once.
 */

import { collections } from '../../../bot/collections';
import { createLogger } from '../../../bot/platform/logger';
import type { Job } from '../../../bot/platform/schedule/port';
import { JobScheduler } from '../../../bot/platform/schedule/service';
import { openSqliteStore } from '../../../bot/platform/store/sqlite';

const setup = () => {
  const store = openSqliteStore(':memory:', collections);
  const scheduler = new JobScheduler({
    store,
    log: createLogger('silent'),
    clock: () => new Date('2026-11-23T08:00:00Z'),
  });
  const ran: Job[] = [];
  scheduler.register('consequences', async (job) => {
    ran.push(job);
  });
  return { store, scheduler, ran };
};
const job = {
  id: 'review:r1:after:1:0',
  kind: 'consequences',
  dueAt: '2026-11-23T08:00:00Z',
  payload: { reviewId: 'r1' },
};

test('a job scheduled in a transaction that is rolled back does not exist; one that commits does', async () => {
  const { store, scheduler } = setup();
  await expect(
    store.transaction(async (tx) => {
      await scheduler.schedule(job, { tx });
      throw new Error('the change failed');
    }),
  ).rejects.toThrow('the change failed');
  expect(await store.jobs.get(job.id)).toBeUndefined();
  await store.transaction((tx) => scheduler.schedule(job, { tx }));
  expect((await store.jobs.get(job.id))?.value).toMatchObject({
    status: 'pending',
    payload: { reviewId: 'r1' },
  });
  expect((await store.auditEvents.find({ recordId: job.id })).map((e) => e.action)).toEqual(['schedule']);
});

test('runNow runs a pending job once; a second call, or the poll, does not run it again', async () => {
  const { store, scheduler, ran } = setup();
  await store.transaction((tx) => scheduler.schedule({ ...job, dueAt: '2026-12-24T08:00:00Z' }, { tx }));
  expect(await scheduler.runNow(job.id)).toBe(true);
  expect(await scheduler.runNow(job.id)).toBe(false);
  expect(await scheduler.runDue()).toBe(0);
  expect(ran.map((j) => j.id)).toEqual([job.id]);
  expect((await store.jobs.get(job.id))?.value.status).toBe('done');
  // scheduling a done job again (a retried transaction) changes nothing
  await store.transaction((tx) => scheduler.schedule(job, { tx }));
  expect((await store.jobs.get(job.id))?.value.status).toBe('done');
});

test('a job whose process died before runNow is run by the next start (runDue)', async () => {
  const { store, scheduler, ran } = setup();
  await store.transaction((tx) => scheduler.schedule(job, { tx }));
  expect(await scheduler.runDue()).toBe(1);
  expect(ran).toHaveLength(1);
});

test('runNow does not fail its caller when the store refuses a write (another writer, or unreachable): the job stays to run later', async () => {
  const { store, scheduler, ran } = setup();
  await store.transaction((tx) => scheduler.schedule(job, { tx }));
  const transaction = store.transaction.bind(store);
  // the claim goes through (the job is held by a lease), then the write of the run's outcome fails
  store.transaction = (async () => {
    throw new Error('the store is unreachable');
  }) as typeof store.transaction;
  await expect(scheduler.runNow(job.id)).resolves.toBe(false);
  expect(ran).toHaveLength(1);
  // its outcome was not recorded: it is not done, and the lease brings it back to the scheduler
  expect((await store.jobs.get(job.id))?.value.status).not.toBe('done');
  store.transaction = transaction;
});
