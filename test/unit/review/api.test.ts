/**
 * The review's face as app.ts collects it: every verb, job and renderer it declares, and the tab API
 * handing out the abilities the server enforces (so the tab can hide what would be refused).
 */

import path from 'node:path';
import { collections } from '../../../bot/collections';
import { createReviewFeature } from '../../../bot/features/review/index';
import type { Sender } from '../../../bot/platform/delivery/port';
import { createLogger } from '../../../bot/platform/logger';
import { FileDirectory } from '../../../bot/platform/org/fileDirectory';
import type { Scheduler } from '../../../bot/platform/schedule/port';
import { openSqliteStore } from '../../../bot/platform/store/sqlite';
import type { Caller } from '../../../bot/platform/teams/routes';

const root = path.resolve(__dirname, '../../..');
const directory = FileDirectory.fromFile(path.join(root, 'content/organisation.json'));
const malin = 'f914f698-58ac-45e8-bba5-493d50e811a2'; // the security chief
const erik = 'ed2e7cdf-7597-4e4b-82ac-52878d1194e7'; // a security officer
const caller = (personId: string): Caller => ({ personId, name: '', locale: 'sv-SE', lang: 'sv' });

function feature() {
  const store = openSqliteStore(':memory:', collections);
  const sender = { enqueue: async () => undefined, deliveries: async () => [] } as unknown as Sender;
  const scheduler = {
    schedule: async () => undefined,
    cancel: async () => undefined,
  } as unknown as Scheduler;
  const review = createReviewFeature({
    store,
    directory,
    messenger: { sendCard: async () => ({}), updateCard: async () => undefined } as never,
    sender,
    scheduler,
    log: createLogger('silent'),
    clock: () => new Date('2026-11-23T08:00:00Z'),
    contentDir: path.join(root, 'content'),
    schedule: { reminderDaysBefore: [14, 3], escalationDaysAfter: [1], followUpOverdueDays: [1, 8] },
    writeReport: async () => ({ docx: 'http://x/a.docx', csv: 'http://x/a.csv' }),
    teamsIdOf: async () => undefined,
  });
  return { store, review };
}

test('the face declares the verbs the cards carry, its jobs and its renderers', async () => {
  const { store, review } = feature();
  expect(review.verbs.map((v) => v.verb).sort()).toEqual(
    [
      'followup.update',
      'followup.view',
      'review.approve',
      'review.area',
      'review.close',
      'review.deputy',
      'review.openCycle',
      'review.return',
      'review.save',
      'review.submit',
      'review.view',
    ].sort(),
  );
  expect(Object.keys(review.jobs).sort()).toEqual([
    'followup.overdue',
    'review.consequences',
    'review.escalation',
    'review.reminder',
  ]);
  expect(Object.keys(review.renderers).sort()).toEqual(
    [
      'followup.assign',
      'followup.overdueManager',
      'followup.overdueOwner',
      'review.assign',
      'review.escalation',
      'review.nudge',
      'review.reminder',
      'review.returned',
      'review.signedOff',
    ].sort(),
  );
  await store.close();
});

test('when the chief and an officer list the cycles, only the chief is told she may close one', async () => {
  const { store, review } = feature();
  const route = (method: string, p: string) => {
    const found = review.api.find((r) => r.method === method && r.path === p);
    if (!found) throw new Error(`no ${method} ${p}`);
    return found;
  };
  const opened = await route('POST', '/review/cycles').handle({
    caller: caller(malin),
    params: {},
    query: {},
    body: { year: 2026, deadline: '2026-12-15', scope: { subtree: 'u-hsf' } },
  });
  expect(opened.status).toBe(201);
  const list = (personId: string) =>
    route('GET', '/review/cycles').handle({
      caller: caller(personId),
      params: {},
      query: {},
      body: undefined,
    });
  expect((await list(malin)).json).toMatchObject([{ cycle: { year: 2026 }, abilities: { close: true } }]);
  expect((await list(erik)).json).toMatchObject([{ cycle: { year: 2026 }, abilities: { close: false } }]);
  await store.close();
});
