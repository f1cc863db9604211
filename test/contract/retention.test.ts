/**
 * Retention (gallring) on both stores: records past their time are culled, the others kept, and one
 * audit event says what was culled (counts and types, not contents). The same job, the same records,
 * on SQLite and on SharePoint through the local Graph endpoint.
 */
import { collections } from '../../bot/collections';
import type { Campaign, CampaignRecipient } from '../../bot/features/campaigns/model';
import type { Report } from '../../bot/features/reports/model';
import { RetentionJob } from '../../bot/features/reports/retention';
import { createLogger } from '../../bot/platform/logger';
import type { Scheduler } from '../../bot/platform/schedule/port';
import type { Store } from '../../bot/platform/store';
import { openSqliteStore } from '../../bot/platform/store/sqlite';
import { type LocalGraph, startGraph } from '../support/graph';
import { auditEvent, question } from '../support/records';
import { connectTestSite } from '../support/sharepoint';

jest.setTimeout(120_000);

let graph: LocalGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => graph.close());

const NOW = new Date('2029-03-01T02:00:00.000Z');

const report = (id: string, over: Partial<Report>): Report => ({
  id,
  kind: 'deficiency',
  title: 'Trasigt lås',
  description: 'Dörren går inte i lås.',
  where: '',
  occurredAt: '2026-01-10T08:00:00.000Z',
  areaId: 'as',
  severity: 'low',
  reporterId: 'p1',
  unitId: 'u1',
  unitName: 'Enheten',
  managerId: 'm1',
  forwardedTo: [],
  securityFunctionHandles: false,
  state: 'closed',
  year: 2026,
  reportedAt: '2026-01-10T08:00:00.000Z',
  dueAt: '2026-01-17T08:00:00.000Z',
  closedAt: '2026-02-01T08:00:00.000Z',
  history: [],
  updatedAt: '2026-02-01T08:00:00.000Z',
  ...over,
});

const campaign = (id: string, createdAt: string) =>
  ({ id, createdAt, status: 'closed', createdBy: 'c1' }) as unknown as Campaign;
const recipient = (campaignId: string, personId: string, answeredAt?: string): CampaignRecipient => ({
  id: `${campaignId}:${personId}`,
  campaignId,
  personId,
  unitId: 'u1',
  acknowledgedAt: '2026-03-01T08:00:00.000Z',
  ...(answeredAt ? { quiz: { answers: [1, 0], score: 2, passed: true, answeredAt } } : {}),
});

const noScheduler = { schedule: async () => undefined } as unknown as Scheduler;

async function seed(store: Store) {
  // two years after closing (rule: 2y): the old one goes, the recent one and the open one stay
  await store.reports.insert(report('old', { closedAt: '2027-01-15T08:00:00.000Z' }));
  await store.reports.insert(report('recent', { closedAt: '2028-06-01T08:00:00.000Z' }));
  await store.reports.insert(report('open', { state: 'handling', closedAt: undefined }));
  await store.sentCards.insert({
    id: 'card-old',
    recordId: 'old',
    personId: 'm1',
    conversationId: 'a:1',
    activityId: '1',
  });
  // questions (rule: 1y from asking), with their feedback
  await store.questions.insert(question('q-old', { askedAt: '2027-11-01T10:00:00.000Z' }));
  await store.questions.insert(question('q-new', { askedAt: '2028-12-01T10:00:00.000Z' }));
  await store.feedback.insert({
    id: 'f1',
    questionId: 'q-old',
    personId: 'p1',
    helpful: true,
    at: '2027-11-01T10:01:00.000Z',
  });
  // quiz answers (rule: 6m from answering): the acknowledgement stays
  await store.campaigns.insert(campaign('c-old', '2028-01-01T08:00:00.000Z'));
  await store.campaignRecipients.insert(recipient('c-old', 'p1', '2028-01-05T08:00:00.000Z'));
  await store.campaignRecipients.insert(recipient('c-old', 'p2'));
  await store.campaigns.insert(campaign('c-new', '2029-01-10T08:00:00.000Z'));
  await store.campaignRecipients.insert(recipient('c-new', 'p1', '2029-01-12T08:00:00.000Z'));
  // the audit log (rule: 3y)
  await store.auditEvents.append({
    ...auditEvent('e-old', 'q-old', 'escalate'),
    at: '2025-06-01T08:00:00.000Z',
  });
  await store.auditEvents.append({
    ...auditEvent('e-new', 'q-new', 'escalate'),
    at: '2028-06-01T08:00:00.000Z',
  });
}

const adapters: [string, () => Promise<Store>][] = [
  ['sqlite', async () => openSqliteStore(':memory:', collections)],
  ['sharepoint', async () => (await connectTestSite(graph)).store],
];

describe.each(adapters)('%s store', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => store.close());

  test('records past their time are culled, others kept, and the audit event says what was culled', async () => {
    await seed(store);
    const job = new RetentionJob({
      store,
      scheduler: noScheduler,
      clock: () => NOW,
      log: createLogger('silent'),
      rules: {
        reports: { amount: 2, unit: 'y' },
        questions: { amount: 1, unit: 'y' },
        quizAnswers: { amount: 6, unit: 'm' },
        auditEvents: { amount: 3, unit: 'y' },
      },
    });
    expect(await job.cull()).toEqual({ reports: 1, questions: 1, quizAnswers: 1, auditEvents: 1 });

    expect((await store.reports.list()).map((s) => s.value.id).sort()).toEqual(['open', 'recent']);
    expect(await store.sentCards.find({ recordId: 'old' })).toEqual([]);
    expect((await store.questions.list()).map((s) => s.value.id)).toEqual(['q-new']);
    expect(await store.feedback.find({ questionId: 'q-old' })).toEqual([]);
    const recipients = new Map((await store.campaignRecipients.list()).map((s) => [s.value.id, s.value]));
    expect(recipients.get('c-old:p1')?.quiz).toBeUndefined();
    expect(recipients.get('c-old:p1')?.acknowledgedAt).toBe('2026-03-01T08:00:00.000Z');
    expect(recipients.get('c-new:p1')?.quiz?.score).toBe(2);

    const log = await store.auditEvents.find({});
    expect(log.map((e) => e.id)).not.toContain('e-old');
    expect(log.map((e) => e.id)).toContain('e-new');
    const [culled] = await store.auditEvents.find({ recordType: 'retention' });
    expect(culled).toMatchObject({
      actorId: 'system',
      action: 'cull',
      recordId: '2029-03-01',
      comment: 'reports=1; questions=1; quizAnswers=1; auditEvents=1',
    });
    // counts and types only: nothing of what the culled records said
    expect(JSON.stringify(culled)).not.toMatch(/lås|Vem ansvarar/);

    // a second run finds nothing more
    expect(await job.cull()).toEqual({ reports: 0, questions: 0, quizAnswers: 0, auditEvents: 0 });
  });

  test('"never" keeps a type for good', async () => {
    await seed(store);
    const job = new RetentionJob({
      store,
      scheduler: noScheduler,
      clock: () => NOW,
      log: createLogger('silent'),
      rules: { reports: 'never', questions: 'never', quizAnswers: 'never', auditEvents: 'never' },
    });
    expect(await job.cull()).toEqual({ reports: 0, questions: 0, quizAnswers: 0, auditEvents: 0 });
    expect(await store.reports.list()).toHaveLength(3);
    expect(await store.auditEvents.find({ recordId: 'q-old' })).toHaveLength(1);
  });
});
