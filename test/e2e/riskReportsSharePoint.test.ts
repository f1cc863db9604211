/**
 * The report's journey on SharePoint through the local Graph endpoint (test/support/graph): the same
 * steps and checks as on SQLite (riskReports.test.ts, shorter), then retention culls the closed report
 * from its list once its time has passed, with the audit event, while the open one stays.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../bot/app';
import { collections } from '../../bot/collections';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/platform/logger';
import { listSpecOf } from '../../bot/platform/store/sharepoint/provisioning/schema';
import { person, type Running, root, sample, testClock } from '../support/app';
import { type ChannelUser, startChannel } from '../support/channel';
import { type LocalGraph, startGraph } from '../support/graph';
import { tabApi, textOf, verbsOf } from '../support/reports';
import { answer } from '../support/review';
import { sharePointEnv } from '../support/sharepoint';

jest.setTimeout(300_000);

const ahmed = person('Ahmed Hassan');
const james = person('James Whitfield');
const lena = person('Lena Bergqvist');
const hanna = person('Hanna Berg');
const johanna = person('Johanna Persson');
const priya = person('Priya Raman');
const jonas = person('Jonas Ekström');
const everyone = [ahmed, james, lena, hanna, johanna, priya, jonas];

let graph: LocalGraph;
let running: Running;
let siteId = '';
const clock = testClock('2026-11-23T08:00:00.000Z');

beforeAll(async () => {
  graph = await startGraph({ seed: 12 });
  const site = graph.control.createSite({ path: '/sites/reports' });
  siteId = site.id;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    VARN_CONTENT_DIR: path.join(root, 'content'),
    VARN_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'varn-reports-sp-')),
    VARN_SHAREPOINT_PROVISION: 'true',
    VARN_SCHEDULER_POLL_SECONDS: '3600',
    // closed reports are kept 30 days here, so that the test can watch them go
    VARN_RETENTION_REPORTS: '30d',
    VARN_RETENTION_QUESTIONS: 'never',
    VARN_RETENTION_QUIZ_ANSWERS: 'never',
    VARN_RETENTION_AUDIT: 'never',
    ...sharePointEnv(graph, site),
  });
  const app = await createApp(config, {
    log: createLogger('silent'),
    clock,
    graph: { networkClient: graph.msalNetworkClient },
  });
  const port = await app.listen();
  const channel = await startChannel({
    botUrl: `http://127.0.0.1:${port}/api/messages`,
    tenantId: sample.organisation.tenantId,
  });
  for (const user of everyone) await channel.installBot(user);
  running = {
    app,
    channel,
    port,
    close: async () => {
      await channel.close();
      await app.close();
    },
  };
});
afterAll(async () => {
  await running?.close();
  await graph?.close();
});

const lastCardOf = (user: ChannelUser) => running.channel.lastCard(running.channel.conversationFor(user).id);
const idle = () => running.app.sender.idle();
const items = (collection: 'reports' | 'auditEvents' | 'followUps') =>
  graph.control.readList(siteId, listSpecOf(collections[collection] as never).displayName).items;

test('on SharePoint: reported, handled by manager and deputy, closed with a lesson, reporter told; outsiders see nothing; the DPO’s 72 hours; retention', async () => {
  const { channel, app } = running;
  const api = tabApi(running);
  await channel.execute(lena, 'review.deputy', {
    deputyId: hanna.aadObjectId,
    from: '2026-11-23',
    to: '2026-11-30',
  });

  // a personal identity number is refused, nothing stored
  const refused = answer(
    await channel.execute(ahmed, 'reports.create', {
      kind: 'deficiency',
      title: 'Fel brev',
      description: 'Brevet till 19811218-9876 hamnade fel.',
      occurredDate: '2026-11-23',
      occurredTime: '07:00',
      area: 'is',
      severity: 'low',
    }),
  );
  expect(textOf(refused)).toContain('personnummer');
  expect(items('reports')).toHaveLength(0);

  const sent = answer(
    await channel.execute(ahmed, 'reports.create', {
      kind: 'deficiency',
      title: 'Dörren till läkemedelsrummet går inte i lås',
      description: 'Låset fastnar och dörren står på glänt.',
      where: 'Korridor B',
      occurredDate: '2026-11-23',
      occurredTime: '07:30',
      area: 'as',
      severity: 'medium',
    }),
  );
  expect(textOf(sent)).toContain('Din rapport har gått till Lena Bergqvist');
  await idle();
  const [stored] = await app.store.reports.list();
  const reportId = stored?.value.id as string;
  for (const handler of [lena, hanna])
    expect(verbsOf(lastCardOf(handler))).toEqual([
      'reports.acknowledge',
      'reports.decide',
      'reports.forward',
    ]);
  expect((await api(james, 'GET', `/reports/${reportId}`)).status).toBe(404);
  const forged = await channel.execute(james, 'reports.acknowledge', {
    reportId,
    seen: stored?.value.updatedAt,
  });
  expect(typeof answer(forged)).toBe('string');

  const seen = async () => (await app.store.reports.get(reportId))?.value.updatedAt;
  await channel.execute(lena, 'reports.acknowledge', { reportId, seen: await seen() });
  await channel.execute(lena, 'reports.decide', {
    reportId,
    seen: await seen(),
    decision: 'followUp',
    what: 'Byt låscylinder',
    ownerId: johanna.aadObjectId,
    due: '2026-12-15',
  });
  await idle();
  expect(textOf(lastCardOf(johanna))).toContain('Åtgärd efter en rapport');
  await channel.execute(hanna, 'reports.close', {
    reportId,
    seen: await seen(),
    cause: 'Sliten låscylinder.',
    lessons: 'Dörrar till läkemedelsrum kontrolleras vid varje skyddsrond.',
  });
  await idle();
  expect(textOf(lastCardOf(ahmed))).toContain('Hanna Berg har avslutat din rapport');
  const updates = channel
    .activities(channel.conversationFor(ahmed).id)
    .filter((a) => textOf(a).includes('din rapport'));
  expect(updates).toHaveLength(3);
  expect(
    (await app.store.auditEvents.find({ recordType: 'report', recordId: reportId })).map((e) => e.action),
  ).toEqual(['reported', 'acknowledged', 'decided', 'closed']);
  // one list item per record
  expect(items('reports')).toHaveLength(1);
  expect(items('followUps')).toHaveLength(1);

  // the personal-data incident: the DPO at once, reminded at 48 hours
  const pdi = await api(priya, 'POST', '/reports', {
    kind: 'personalDataIncident',
    title: 'Discharge letter to the wrong patient',
    description: 'Sent to a patient with the same surname.',
    where: '',
    occurredAt: '2026-11-23T07:15:00Z',
    area: 'is',
    severity: 'high',
  });
  expect(pdi.status).toBe(201);
  await idle();
  expect(textOf(lastCardOf(jonas))).toContain('inom 72 timmar');
  clock.advance(48 * 3_600_000);
  await app.scheduler.runDue();
  await idle();
  expect(textOf(lastCardOf(jonas))).toContain('72-timmarsfristen');

  // retention: 30 days after closing, the closed report leaves its list; the open one stays
  clock.set('2027-01-10T08:00:00.000Z');
  await app.scheduler.runDue();
  await idle();
  expect(await app.store.reports.get(reportId)).toBeUndefined();
  expect(items('reports')).toHaveLength(1);
  expect((await app.store.reports.list()).map((s) => s.value.kind)).toEqual(['personalDataIncident']);
  // the nightly job also ran on 2026-11-24 (while the clock moved through the 48 hours) and culled nothing then
  const runs = await app.store.auditEvents.find({ recordType: 'retention' });
  expect(runs.map((e) => e.comment)).toEqual([
    'reports=0; questions=0; quizAnswers=0; auditEvents=0',
    'reports=1; questions=0; quizAnswers=0; auditEvents=0',
  ]);
});
