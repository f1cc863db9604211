/**
 * The governing document's yearly review, service level: the real store (SQLite in memory), the
 * sample organisation, a controlled clock, and in-test fakes for the scheduler, the sender and
 * Teams (they keep what they are given, and send what the sender would).
 */

import path from 'node:path';
import { collections } from '../../../bot/collections';
import { GovernanceService, REVIEW_JOB } from '../../../bot/features/governance/service';
import type { DocumentRecord } from '../../../bot/features/knowledge/model';
import type {
  BatchProgress,
  Delivery,
  Outgoing,
  Renderer,
  Sender,
} from '../../../bot/platform/delivery/port';
import { AppError } from '../../../bot/platform/errors';
import { createLogger } from '../../../bot/platform/logger';
import type { Messenger, SentMessage } from '../../../bot/platform/messaging';
import { FileDirectory } from '../../../bot/platform/org/fileDirectory';
import type { Job, JobHandler, Scheduler } from '../../../bot/platform/schedule/port';
import type { Store } from '../../../bot/platform/store';
import { openSqliteStore } from '../../../bot/platform/store/sqlite';
import { validateCard } from '../../support/cards';

const directory = FileDirectory.fromFile(path.resolve(__dirname, '../../../content/organisation.json'));
const MALIN = 'f914f698-58ac-45e8-bba5-493d50e811a2'; // security chief
const ANNIKA = 'f836a46f-fbb1-45b3-8efe-34482bf2bb7a'; // regional director
const JOHANNA = '85dcbc82-e8c9-4466-beda-96647ff4461e'; // employee

class FakeScheduler implements Scheduler {
  handlers = new Map<string, JobHandler>();
  jobs = new Map<string, Job>();
  register(kind: string, handler: JobHandler) {
    this.handlers.set(kind, handler);
  }
  async schedule(job: { id: string; kind: string; dueAt: string; payload?: Record<string, string> }) {
    const existing = this.jobs.get(job.id);
    if (existing && existing.status !== 'pending') return;
    this.jobs.set(job.id, { ...job, payload: job.payload ?? {}, status: 'pending', attempts: 0 });
  }
  async cancel(id: string) {
    this.jobs.delete(id);
  }
  /** Runs the pending jobs due at `now`. */
  async runAt(now: Date) {
    let ran = 0;
    for (const job of [...this.jobs.values()]) {
      if (job.status !== 'pending' || job.dueAt > now.toISOString()) continue;
      await this.handlers.get(job.kind)?.(job);
      job.status = 'done';
      ran++;
    }
    return ran;
  }
  async runNow(id: string) {
    const job = this.jobs.get(id);
    if (job?.status !== 'pending') return false;
    job.status = 'done';
    await this.handlers.get(job.kind)?.(job);
    return true;
  }
  runDue = async () => 0;
  start() {}
  async stop() {}
}

class FakeTeams implements Messenger {
  sent: { personId: string; card: object; message: SentMessage }[] = [];
  updates: { message: SentMessage; card: object }[] = [];
  async sendCard(personId: string, card: object) {
    const message = { personId, conversationId: `a:${personId}`, activityId: `m${this.sent.length + 1}` };
    this.sent.push({ personId, card, message });
    return message;
  }
  async updateCard(message: SentMessage, card: object) {
    this.updates.push({ message, card });
  }
}

/** Keeps deliveries by key (the same key twice is one delivery) and sends them when told. */
class FakeSender implements Sender {
  renderers = new Map<string, Renderer>();
  queue = new Map<string, Delivery>();
  constructor(private readonly teams: FakeTeams) {}
  register(kind: string, renderer: Renderer) {
    this.renderers.set(kind, renderer);
  }
  async enqueueWithin(_tx: unknown, batchId: string, messages: readonly Outgoing[]) {
    await this.enqueue(batchId, messages);
    return () => undefined;
  }
  async enqueue(batchId: string, messages: readonly Outgoing[]) {
    for (const m of messages) {
      if (this.queue.has(m.key)) continue;
      this.queue.set(m.key, {
        ...m,
        id: m.key,
        batchId,
        status: 'queued',
        attempts: 0,
        notBefore: '',
        createdAt: '',
      });
    }
  }
  async drain() {
    for (const d of this.queue.values()) {
      if (d.status !== 'queued') continue;
      const renderer = this.renderers.get(d.kind);
      const card = await renderer?.render(d.recordId, d.personId);
      if (!card) {
        d.status = 'skipped';
        continue;
      }
      const message = await this.teams.sendCard(d.personId, card);
      d.status = 'sent';
      await renderer?.sent?.(d, message);
    }
  }
  async cancel() {
    return 0;
  }
  async progress(): Promise<BatchProgress> {
    return { queued: 0, sent: 0, failed: 0, cancelled: 0, skipped: 0 };
  }
  async deliveries(batchId: string) {
    return [...this.queue.values()].filter((d) => d.batchId === batchId);
  }
  async idle() {}
  start() {}
  async stop() {}
}

const policyDocument = (over: Partial<DocumentRecord> = {}): DocumentRecord => ({
  id: 'doc-policy',
  sourceKey: 'file:policy.md',
  fileName: 'policy.md',
  link: 'http://localhost:3978/documents/policy.md',
  contentHash: 'h',
  importedAt: '2026-11-01T00:00:00Z',
  passageCount: 10,
  title: 'Säkerhetspolicy för Region Norrviken',
  documentType: 'policy',
  adoptedBy: 'Regionfullmäktige',
  adoptedDate: '2025-03-18',
  caseNumber: 'RN 2024/01187',
  owner: 'Säkerhetschef',
  nextReview: 'årligen',
  ...over,
});

let store: Store;
let now: Date;
let scheduler: FakeScheduler;
let teams: FakeTeams;
let sender: FakeSender;
let service: GovernanceService;

beforeEach(async () => {
  store = openSqliteStore(':memory:', collections);
  now = new Date('2026-11-22T09:00:00Z');
  scheduler = new FakeScheduler();
  teams = new FakeTeams();
  sender = new FakeSender(teams);
  service = new GovernanceService({
    store,
    directory,
    sender,
    scheduler,
    messenger: teams,
    log: createLogger('silent'),
    clock: () => now,
    teamsIdOf: async (id) => `29:${id}`,
  });
  service.register();
  await store.documents.insert(policyDocument());
});
afterEach(async () => store.close());

const texts = (card: object) => JSON.stringify(card);
const actionsOf = (card: object) =>
  (
    (card as { actions?: { type: string; title: string; verb?: string; data?: Record<string, unknown> }[] })
      .actions ?? []
  ).filter((a) => a.type === 'Action.Execute');
const events = () => store.auditEvents.find({ recordId: 'doc-policy' });

/** A guideline the regional director owns, its review opened and its cards sent. */
async function openReviewOwnedByRegionalDirector() {
  await store.documents.insert(
    policyDocument({
      id: 'doc-rd',
      sourceKey: 'file:rd.md',
      title: 'Riktlinje för kontinuitet',
      owner: 'Regiondirektören',
    }),
  );
  await service.sync();
  await arrive('2027-03-18T07:00:00Z');
}

/** Moves the clock to 08:00 Stockholm on `date`, runs due jobs and sends what they queued. */
async function arrive(iso: string) {
  now = new Date(iso);
  await scheduler.runAt(now);
  await sender.drain();
}

test('sync schedules the review at the first anniversary of adoption, for the owner the document names', async () => {
  expect(await service.sync()).toEqual({ scheduled: 1, skipped: [] });
  const review = (await store.documentReviews.get('doc-policy'))?.value;
  expect(review).toMatchObject({
    nextReviewDate: '2027-03-18',
    periodYears: 1,
    state: 'scheduled',
    ownerIds: [MALIN],
    ownerText: 'Säkerhetschef',
  });
  expect([...scheduler.jobs.values()].map((j) => [j.kind, j.dueAt, j.payload])).toEqual([
    [REVIEW_JOB, '2027-03-18T07:00:00.000Z', { documentId: 'doc-policy', date: '2027-03-18' }],
  ]);
  expect((await events()).map((e) => [e.action, e.actorId, e.toState])).toEqual([
    ['schedule', 'system', 'scheduled'],
  ]);
  // a second start with the same document writes nothing
  await service.sync();
  expect((await events()).length).toBe(1);
});

test('a document that says nothing about review is left alone', async () => {
  await store.documents.insert(
    policyDocument({ id: 'doc-other', sourceKey: 'file:o.md', title: 'Rutin X', nextReview: undefined }),
  );
  expect((await service.sync()).skipped).toEqual(['Rutin X']);
  expect(await store.documentReviews.get('doc-other')).toBeUndefined();
});

test('at the review date the owner gets the card; the owner answers "Ingen ändring" and the next review moves a year on', async () => {
  await service.sync();
  await arrive('2027-03-18T06:59:00Z');
  expect(teams.sent).toEqual([]);
  await arrive('2027-03-18T07:00:00Z');
  expect(teams.sent.map((s) => s.personId)).toEqual([MALIN]);
  const card = teams.sent[0]?.card as object;
  expect(validateCard(card)).toEqual([]);
  expect(texts(card)).toContain('Årlig översyn av styrande dokument');
  expect(texts(card)).toContain('Säkerhetspolicy för Region Norrviken');
  expect(texts(card)).toContain('RN 2024/01187');
  expect(texts(card)).toContain('Det är dags att se över dokumentet (översyn 2027-03-18).');
  expect(actionsOf(card).map((a) => [a.title, a.verb, a.data?.outcome])).toEqual([
    ['Ingen ändring', 'governance.answerReview', 'noChange'],
    ['Behöver revideras', 'governance.answerReview', 'needsRevision'],
  ]);
  expect((card as { refresh: { userIds: string[] } }).refresh.userIds).toEqual([`29:${MALIN}`]);

  now = new Date('2027-03-19T10:00:00Z');
  const after = await service.answer(MALIN, 'sv', 'doc-policy', {
    outcome: 'noChange',
    comment: '  Gäller som den är. ',
  });
  expect(validateCard(after)).toEqual([]);
  expect(texts(after)).toContain('Ingen ändring – besvarad av Malin Forsberg 2027-03-19 11:00');
  expect(texts(after)).toContain('Kommentar: Gäller som den är.');
  expect(texts(after)).toContain('Nästa översyn: 2028-03-18');
  expect(actionsOf(after)).toEqual([]);

  const review = (await store.documentReviews.get('doc-policy'))?.value;
  expect(review).toMatchObject({ state: 'scheduled', nextReviewDate: '2028-03-18' });
  expect(review?.answers).toEqual([
    {
      outcome: 'noChange',
      comment: 'Gäller som den är.',
      byId: MALIN,
      byName: 'Malin Forsberg',
      at: '2027-03-19T10:00:00.000Z',
      reviewDate: '2027-03-18',
    },
  ]);
  const answer = (await events()).find((e) => e.action === 'noChange');
  expect(answer).toMatchObject({
    actorId: MALIN,
    recordType: 'documentReview',
    fromState: 'awaitingAnswer',
    toState: 'scheduled',
    comment: 'Gäller som den är.',
  });
  expect(scheduler.jobs.get('governance:review:doc-policy:2028-03-18')?.dueAt).toBe(
    '2028-03-18T07:00:00.000Z',
  );
  // the card in the owner's chat is updated for everyone who sees it
  expect(
    teams.updates.map((u) => [u.message.activityId, texts(u.card).includes('Nästa översyn: 2028-03-18')]),
  ).toEqual([['m1', true]]);
});

test('a double click, or a stale card, moves the date once and shows the current state', async () => {
  await service.sync();
  await arrive('2027-03-18T07:00:00Z');
  await service.answer(MALIN, 'sv', 'doc-policy', { outcome: 'noChange' });
  const again = await service.answer(MALIN, 'sv', 'doc-policy', {
    outcome: 'needsRevision',
    comment: 'Ändra avsnitt 3',
  });
  expect(texts(again)).toContain('Ingen ändring – besvarad av Malin Forsberg');
  expect((await store.documentReviews.get('doc-policy'))?.value.nextReviewDate).toBe('2028-03-18');
  expect((await events()).filter((e) => e.fromState === 'awaitingAnswer').length).toBe(1);
});

test('only the owner or the security chief may answer; anyone else is refused and nothing changes', async () => {
  await openReviewOwnedByRegionalDirector();
  expect(teams.sent.map((s) => s.personId).sort()).toEqual([ANNIKA, MALIN].sort());

  const refused = service.answer(JOHANNA, 'sv', 'doc-rd', { outcome: 'noChange' });
  await expect(refused).rejects.toMatchObject({ status: 403, messageKey: 'error.forbidden' });
  await expect(service.view(JOHANNA, 'sv', 'doc-rd')).rejects.toBeInstanceOf(AppError);
  expect((await store.documentReviews.get('doc-rd'))?.value.state).toBe('awaitingAnswer');

  // the chief may answer a document someone else owns
  const viewed = await service.view(MALIN, 'sv', 'doc-rd');
  expect(actionsOf(viewed).length).toBe(2);
});

test('"Behöver revideras" needs a comment; with one, the security chief is told', async () => {
  await openReviewOwnedByRegionalDirector();
  const sentBefore = teams.sent.length;

  await expect(
    service.answer(ANNIKA, 'sv', 'doc-rd', { outcome: 'needsRevision', comment: '   ' }),
  ).rejects.toMatchObject({
    status: 400,
    messageKey: 'governance.commentRequired',
  });
  await expect(
    service.answer(ANNIKA, 'sv', 'doc-rd', { outcome: 'needsRevision', comment: 'x'.repeat(1001) }),
  ).rejects.toMatchObject({
    messageKey: 'governance.commentTooLong',
  });
  expect((await store.documentReviews.get('doc-rd'))?.value.state).toBe('awaitingAnswer');

  const card = await service.answer(ANNIKA, 'en', 'doc-rd', {
    outcome: 'needsRevision',
    comment: 'Ny lag om cybersäkerhet',
  });
  expect(texts(card)).toContain('Needs revision – answered by Annika Holmberg');
  await sender.drain();
  const notice = teams.sent.slice(sentBefore);
  expect(notice.map((s) => s.personId)).toEqual([MALIN]);
  expect(texts(notice[0]?.card as object)).toContain('Behöver revideras – besvarad av Annika Holmberg');
  expect(validateCard(notice[0]?.card)).toEqual([]);
});

test('a job that runs again (a crash, a restart) sends nothing twice; a stale job does nothing', async () => {
  await service.sync();
  await arrive('2027-03-18T07:00:00Z');
  await service.open('doc-policy', '2027-03-18');
  await sender.drain();
  expect(teams.sent.length).toBe(1);
  expect((await events()).filter((e) => e.action === 'open').length).toBe(1);
  await service.open('doc-policy', '2026-03-18');
  await service.open('no-such-document', '2027-03-18');
  await sender.drain();
  expect(teams.sent.length).toBe(1);
});

test('a card still waiting in the queue when the owner has answered is not sent', async () => {
  await store.documents.insert(
    policyDocument({ id: 'doc-rd', sourceKey: 'file:rd.md', title: 'Riktlinje', owner: 'Regiondirektören' }),
  );
  await service.sync();
  now = new Date('2027-03-18T07:00:00Z');
  await scheduler.runAt(now); // queued, not yet sent
  await service.answer(MALIN, 'sv', 'doc-rd', { outcome: 'noChange' });
  await sender.drain();
  expect(teams.sent.filter((s) => s.personId === ANNIKA)).toEqual([]);
});

test('a revised document naming a later date moves the waiting review to it', async () => {
  await service.sync();
  const stored = await store.documents.get('doc-policy');
  if (!stored) throw new Error('missing');
  await store.documents.update({ ...stored.value, nextReview: '2027-06-01' }, stored.version);
  await service.sync();
  expect((await store.documentReviews.get('doc-policy'))?.value.nextReviewDate).toBe('2027-06-01');
  expect(scheduler.jobs.has('governance:review:doc-policy:2027-06-01')).toBe(true);
  expect(scheduler.jobs.has('governance:review:doc-policy:2027-03-18')).toBe(false);
});

test('unanswered after 14 days, the owner gets the card again and the security chief with it; an answered review gets nothing', async () => {
  await openReviewOwnedByRegionalDirector(); // opens the policy (owner: the chief) and the guideline (owner: the regional director)
  expect(teams.sent.length).toBe(2);
  await service.answer(MALIN, 'sv', 'doc-policy', { outcome: 'noChange' });
  await arrive('2027-03-31T07:00:00Z');
  expect(teams.sent.length).toBe(2);
  await arrive('2027-04-01T06:00:00Z'); // 08:00 Stockholm, summer time, 14 days on
  expect(
    teams.sent
      .slice(2)
      .map((s) => s.personId)
      .sort(),
  ).toEqual([ANNIKA, MALIN].sort());
  expect(teams.sent.slice(2).every((s) => texts(s.card).includes('Riktlinje för kontinuitet'))).toBe(true);
  // the reminder job running again sends nothing twice
  await service.remind('doc-rd', '2027-03-18');
  await sender.drain();
  expect(teams.sent.length).toBe(4);
});

test('a review stored with its cards on the record (before the shared copies) still updates those cards, and a new period starts clean', async () => {
  await service.sync();
  await arrive('2027-03-18T07:00:00Z');
  expect(teams.sent.map((s) => s.message.activityId)).toEqual(['m1']);
  // as the review was stored before: the card's place kept on the record itself
  const stored = await store.documentReviews.get('doc-policy');
  if (!stored) throw new Error('missing');
  await store.documentReviews.update(
    { ...stored.value, cards: [{ personId: MALIN, conversationId: `a:${MALIN}`, activityId: 'old-card' }] },
    stored.version,
  );
  await service.answer(MALIN, 'sv', 'doc-policy', { outcome: 'noChange' });
  expect(
    teams.updates.map((u) => [u.message.activityId, texts(u.card).includes('Nästa översyn: 2028-03-18')]),
  ).toEqual([
    ['m1', true],
    ['old-card', true],
  ]);
  // next year's answer updates next year's card only
  await arrive('2028-03-18T07:00:00Z');
  teams.updates = [];
  await service.answer(MALIN, 'sv', 'doc-policy', { outcome: 'noChange' });
  expect(teams.updates.map((u) => u.message.activityId)).toEqual(['m2']);
  expect((await store.documentReviews.get('doc-policy'))?.value.cards).toBeUndefined();
});
