/**
 * The review service against small in-test fakes of the sender, the scheduler and the messenger
 * (the real ones are exercised over HTTP in test/e2e/review.test.ts): the store, the directory and
 * the rules are the real ones.
 */

import path from 'node:path';
import { collections } from '../../../bot/collections';
import type { AnnualReportInput } from '../../../bot/features/annualReport/model';
import { createReviewFeature } from '../../../bot/features/review/index';
import { areaValues } from '../../../bot/features/review/schema';
import type {
  BatchProgress,
  Delivery,
  Outgoing,
  Renderer,
  Sender,
} from '../../../bot/platform/delivery/port';
import { createLogger } from '../../../bot/platform/logger';
import type { Messenger, SentMessage } from '../../../bot/platform/messaging';
import { FileDirectory } from '../../../bot/platform/org/fileDirectory';
import type { Job, JobHandler, Scheduler } from '../../../bot/platform/schedule/port';
import { openSqliteStore } from '../../../bot/platform/store/sqlite';

const root = path.resolve(__dirname, '../../..');
const directory = FileDirectory.fromFile(path.join(root, 'content/organisation.json'));
const id = async (name: string) => {
  const all = (await Promise.all(['employee'].map((r) => directory.withRole(r as never)))).flat();
  return all.find((p) => p.name === name)?.id as string;
};

class FakeMessenger implements Messenger {
  sent: { personId: string; card: object; id: string }[] = [];
  updates: { message: SentMessage; card: object }[] = [];
  async sendCard(personId: string, card: object): Promise<SentMessage> {
    const message = { personId, conversationId: `a:${personId}`, activityId: String(this.sent.length + 1) };
    this.sent.push({ personId, card, id: message.activityId });
    return message;
  }
  async updateCard(message: SentMessage, card: object): Promise<void> {
    this.updates.push({ message, card });
  }
}

/** Sends on `idle()`, once per key, through the renderers, like the real sender minus the limits. */
class FakeSender implements Sender {
  renderers = new Map<string, Renderer>();
  queue: (Outgoing & { batchId: string })[] = [];
  keys = new Set<string>();
  constructor(private readonly messenger: FakeMessenger) {}
  register(kind: string, renderer: Renderer) {
    this.renderers.set(kind, renderer);
  }
  async enqueueWithin(_tx: unknown, batchId: string, messages: readonly Outgoing[]) {
    await this.enqueue(batchId, messages);
    return () => undefined;
  }
  async enqueue(batchId: string, messages: readonly Outgoing[]) {
    for (const m of messages) {
      if (this.keys.has(m.key)) continue;
      this.keys.add(m.key);
      this.queue.push({ ...m, batchId });
    }
  }
  async idle() {
    while (this.queue.length > 0) {
      const m = this.queue.shift() as Outgoing & { batchId: string };
      const renderer = this.renderers.get(m.kind);
      const card = await renderer?.render(m.recordId, m.personId);
      if (!card) continue;
      const message = await this.messenger.sendCard(m.personId, card);
      await renderer?.sent?.({ key: m.key, recordId: m.recordId } as Delivery, message);
    }
  }
  async cancel() {
    return 0;
  }
  async progress(): Promise<BatchProgress> {
    return { queued: 0, sent: 0, failed: 0, cancelled: 0, skipped: 0 };
  }
  async deliveries() {
    return [];
  }
  start() {}
  async stop() {}
}

class FakeScheduler implements Scheduler {
  handlers = new Map<string, JobHandler>();
  jobs = new Map<string, Job>();
  constructor(private readonly clock: () => Date) {}
  register(kind: string, handler: JobHandler) {
    this.handlers.set(kind, handler);
  }
  async schedule(job: { id: string; kind: string; dueAt: string; payload?: Record<string, string> }) {
    this.jobs.set(job.id, { ...job, payload: job.payload ?? {}, status: 'pending', attempts: 0 });
  }
  async cancel(jobId: string) {
    const job = this.jobs.get(jobId);
    if (job) job.status = 'cancelled';
  }
  async runDue() {
    let n = 0;
    for (const job of this.jobs.values()) {
      if (job.status !== 'pending' || job.dueAt > this.clock().toISOString()) continue;
      job.status = 'done';
      await this.handlers.get(job.kind)?.(job);
      n++;
    }
    return n;
  }
  async runNow(id: string) {
    const job = this.jobs.get(id);
    if (job?.status !== 'pending') return false;
    job.status = 'done';
    await this.handlers.get(job.kind)?.(job);
    return true;
  }
  start() {}
  async stop() {}
}

test('open → fill → submit → return → resubmit → approve up the chain → reminders → close', async () => {
  let now = new Date('2026-11-23T08:00:00Z');
  const clock = () => now;
  const store = openSqliteStore(':memory:', collections);
  const messenger = new FakeMessenger();
  const sender = new FakeSender(messenger);
  const scheduler = new FakeScheduler(clock);
  const reports: AnnualReportInput[] = [];
  const feature = createReviewFeature({
    store,
    directory,
    messenger,
    sender,
    scheduler,
    log: createLogger('silent'),
    clock,
    contentDir: path.join(root, 'content'),
    schedule: { reminderDaysBefore: [14, 3], escalationDaysAfter: [1], followUpOverdueDays: [1, 8] },
    writeReport: async (input) => {
      reports.push(input);
      return { docx: 'http://x/a.docx', csv: 'http://x/a.csv' };
    },
    teamsIdOf: async (personId) => `29:${personId}`,
  });
  for (const [kind, renderer] of Object.entries(feature.renderers)) sender.register(kind, renderer);
  for (const [kind, handler] of Object.entries(feature.jobs)) scheduler.register(kind, handler);
  const { review } = feature;
  const [malin, per, lena, mikael, annaKarin, johanna] = await Promise.all(
    [
      'Malin Forsberg',
      'Per Åkesson',
      'Lena Bergqvist',
      'Mikael Strand',
      'Anna-Karin Wikström',
      'Johanna Persson',
    ].map(id),
  );
  const { reviews } = await review.openCycle(malin as string, {
    year: 2026,
    deadline: '2026-12-15',
    scope: { subtree: 'u-hsf' },
    chain: feature.template.chain,
    areas: feature.template.areas,
  });
  expect(reviews.map((r) => r.chain.map((s) => s.personId))).toEqual([
    [per, malin],
    [per, malin],
    [per, malin],
  ]);
  await sender.idle();
  expect(messenger.sent.map((s) => s.personId)).toEqual([lena, mikael, annaKarin]);

  const fillAll = async (who: string, reviewId: string, overrides: Record<string, unknown> = {}) => {
    for (const area of feature.template.areas) {
      const data: Record<string, unknown> = {};
      for (const g of area.goals) data[`rating_${g.id}`] = 'met';
      const r = (await store.unitReviews.get(reviewId))?.value;
      await review.save(
        who,
        'sv',
        reviewId,
        area.id,
        { round: r?.round ?? 0, step: 0 },
        areaValues({ ...data, ...overrides }),
        true,
      );
    }
  };
  const akut = 'cycle-2026:u-akutmottagningen';
  await fillAll(lena as string, akut, {
    rating_kb1: 'notMet',
    followUpWhat_kb1: 'Öva',
    followUpOwner_kb1: johanna,
    followUpDue_kb1: '2027-01-31',
  });
  await review.submit(lena as string, 'sv', akut, { round: 0, step: 0 });
  await sender.idle();
  expect(
    messenger.sent
      .slice(3)
      .map((s) => s.personId)
      .sort(),
  ).toEqual([per]); // the follow-up's owner hears of it at sign-off, not at submission

  const updatesBefore = messenger.updates.length;
  await review.returnReview(per as string, 'sv', akut, { round: 1, step: 0 }, 'Mer om övningen');
  await sender.idle();
  // the manager's and the approver's earlier cards were updated; the manager got the returned card
  expect(
    messenger.updates
      .slice(updatesBefore)
      .map((u) => u.message.personId)
      .sort(),
  ).toEqual([lena, per].sort());
  expect(JSON.stringify(messenger.sent.at(-1)?.card)).toContain('Mer om övningen');

  await review.submit(lena as string, 'sv', akut, { round: 1, step: 0 });
  await review.approve(per as string, 'sv', akut, { round: 2, step: 0 });
  await review.approve(malin as string, 'sv', akut, { round: 2, step: 1 });
  expect((await store.unitReviews.get(akut))?.value.state).toBe('signedOff');
  await sender.idle();

  // reminders: due on 1 December at 08:00 Stockholm, to the two managers still holding their step
  now = new Date('2026-12-01T07:00:00Z');
  await scheduler.runDue();
  const before = messenger.sent.length;
  await sender.idle();
  expect(
    messenger.sent
      .slice(before)
      .map((s) => s.personId)
      .sort(),
  ).toEqual([mikael, annaKarin].sort());
  // run again: nothing more
  await scheduler.runDue();
  await sender.idle();
  expect(messenger.sent.length).toBe(before + 2);

  // the follow-up's overdue reminders: the owner the day after the due date, the manager a week later
  now = new Date('2027-02-01T07:00:00Z');
  await scheduler.runDue();
  const beforeOverdue = messenger.sent.length;
  await sender.idle();
  expect(messenger.sent.slice(beforeOverdue).map((s) => s.personId)).toContain(johanna);

  // closing while two units have not started asks first, naming them, and writes nothing
  const asked = JSON.stringify(await review.close(malin as string, 'sv', 'cycle-2026'));
  expect(asked).toContain('2 av 3 enheter är inte godkända i alla led');
  expect(asked).toContain('Vårdcentralen Björkhamn: Att fylla i');
  expect(reports).toHaveLength(0);
  const closed = await review.close(malin as string, 'sv', 'cycle-2026', true);
  expect(JSON.stringify(closed)).toContain('http://x/a.docx');
  expect(reports[0]?.units.map((u) => u.state)).toEqual(['signedOff', 'notStarted', 'notStarted']);
  expect(reports[0]?.units[0]?.history.map((h) => h.action)).toEqual([
    'submitted',
    'returned',
    'submitted',
    'approved',
    'signedOff',
  ]);
  await store.close();
});
