/**
 * Most real governing documents name neither an owner nor a review date in their text. The security
 * function sets them in the tab (PUT /api/governance/documents/:id): the owner's review task is scheduled
 * at the new date, a re-import and a sync keep what was set by hand, and anyone else's attempt is refused
 * with a sentence in their language and changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileSystemSource } from '../../bot/features/knowledge/source';
import { devApi, errorOf, person, type Running, root, startApp, testClock } from '../support/app';

const malin = person('Malin Forsberg'); // security chief
const lena = person('Lena Bergqvist'); // unit manager
const johanna = person('Johanna Persson'); // employee

/** The sample content plus a routine that, like most real ones, says nothing of its owner or review. */
const contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-content-'));
fs.cpSync(path.join(root, 'content'), contentDir, { recursive: true });
fs.writeFileSync(
  path.join(contentDir, 'documents', 'rutin-incidenter.md'),
  [
    'Dokumenttyp: Rutin',
    'Organisation: Region Norrviken',
    '',
    '# Rutin för incidenthantering',
    '',
    '## 1 Syfte',
    '',
    'Rutinen beskriver hur en informationssäkerhetsincident rapporteras och hanteras i Region Norrviken.',
    '',
    '## 2 Rapportera',
    '',
    'Den som upptäcker en incident rapporterar den till sin närmaste chef samma dag.',
    '',
  ].join('\n'),
);

const clock = testClock('2026-12-05T09:00:00.000Z');
let running: Running;
beforeAll(async () => {
  running = await startApp({ VARN_CONTENT_DIR: contentDir }, { clock });
  for (const member of [malin, lena]) await running.channel.installBot(member);
}, 120_000);
afterAll(async () => running?.close());

const call = (...args: Parameters<ReturnType<typeof devApi>>) => devApi(running.port)(...args);

interface Row {
  documentId: string;
  title: string;
  owner: string | null;
  ownerIds: string[];
  nextReviewDate: string | null;
  state: string;
  setByHand: { owner: boolean; date: boolean; byName: string } | null;
  abilities: { edit: boolean };
}
const listed = async (who = malin) => {
  const { json } = await call(who, 'GET', '/governance/documents');
  return json as unknown as { documents: Row[]; owners: { id: string; name: string }[] };
};
const routine = async () => (await listed()).documents.find((d) => d.title === 'Rutin för incidenthantering');

test('the security chief sees every document, also one that names no owner or review date, and may set both', async () => {
  const { documents, owners } = await listed();
  expect(documents.map((d) => [d.title, d.state, d.nextReviewDate, d.abilities.edit])).toEqual([
    ['Riktlinje för informationssäkerhet och dataskydd', 'scheduled', '2027-05-06', true],
    ['Rutin för incidenthantering', 'unscheduled', null, true],
    ['Säkerhetspolicy för Region Norrviken', 'scheduled', '2027-03-18', true],
  ]);
  // the owners to choose from hold a role beyond employee: managers are there, employees are not
  expect(owners.map((o) => o.name)).toContain('Lena Bergqvist');
  expect(owners.map((o) => o.name)).not.toContain('Johanna Persson');
});

test("setting the owner and the date schedules the owner's review task; at the date the owner gets the card", async () => {
  const id = (await routine())?.documentId ?? '';
  const set = await call(malin, 'PUT', `/governance/documents/${id}`, {
    ownerId: lena.aadObjectId,
    nextReviewDate: '2027-02-01',
  });
  expect(set.status).toBe(200);
  expect(set.json).toMatchObject({
    owner: 'Lena Bergqvist',
    ownerIds: [lena.aadObjectId],
    nextReviewDate: '2027-02-01',
    state: 'scheduled',
    setByHand: { owner: true, date: true, byName: 'Malin Forsberg' },
  });
  const job = await running.app.store.jobs.get(`governance:review:${id}:2027-02-01`);
  expect(job?.value).toMatchObject({ status: 'pending', dueAt: '2027-02-01T07:00:00.000Z' });
  const audit = await running.app.store.auditEvents.find({ recordId: id });
  expect(audit.map((e) => [e.actorId, e.action, e.comment])).toContainEqual([
    malin.aadObjectId,
    'set',
    'owner Lena Bergqvist; review 2027-02-01',
  ]);

  // a re-import and a sync (every start does both) keep what was set by hand
  const stored = (await running.app.store.documents.get(id))?.value;
  const linkBase = stored?.link.slice(0, stored.link.lastIndexOf('/')) ?? '';
  await running.app.knowledge.import(new FileSystemSource([path.join(contentDir, 'documents')], linkBase));
  await running.app.governance.sync();
  expect(await routine()).toMatchObject({ owner: 'Lena Bergqvist', nextReviewDate: '2027-02-01' });

  // moving the date moves the task
  expect(
    (await call(malin, 'PUT', `/governance/documents/${id}`, { nextReviewDate: '2027-02-15' })).status,
  ).toBe(200);
  expect((await running.app.store.jobs.get(`governance:review:${id}:2027-02-01`))?.value.status).toBe(
    'cancelled',
  );
  expect((await running.app.store.jobs.get(`governance:review:${id}:2027-02-15`))?.value.status).toBe(
    'pending',
  );

  clock.set('2027-02-15T07:00:00.000Z');
  await running.app.scheduler.runDue();
  await running.app.sender.idle();
  const cards = running.channel
    .activities(running.channel.conversationFor(lena).id)
    .filter((a) => JSON.stringify(a.attachments).includes('Rutin för incidenthantering'));
  expect(cards).toHaveLength(1);
  expect(JSON.stringify(cards[0]?.attachments)).toContain('Årlig översyn av styrande dokument');
});

test('bad input gets a clear message and changes nothing; others than the security function are refused', async () => {
  clock.set('2027-03-01T09:00:00.000Z');
  const policy = (await listed()).documents.find((d) => d.title === 'Säkerhetspolicy för Region Norrviken');
  const id = policy?.documentId ?? '';
  const before = await listed();
  const cases: [typeof malin, unknown, number, RegExp][] = [
    [malin, { nextReviewDate: '2027-02-28' }, 400, /efter i dag/],
    [malin, { nextReviewDate: '2027-02-30' }, 400, /efter i dag/],
    [malin, { ownerId: 'nobody-here' }, 400, /finns inte i organisationen/],
    [malin, {}, 400, /./],
    [malin, { ownerId: lena.aadObjectId, isAdmin: true }, 400, /./],
    [lena, { nextReviewDate: '2027-06-01' }, 403, /behörighet/],
    [johanna, { ownerId: johanna.aadObjectId }, 403, /behörighet/],
  ];
  for (const [who, body, status, message] of cases) {
    const refused = await call(who, 'PUT', `/governance/documents/${id}`, body);
    expect([body, refused.status]).toEqual([body, status]);
    expect(errorOf(refused.json)).toMatch(message);
  }
  expect(
    (await call(malin, 'PUT', '/governance/documents/no-such-document', { nextReviewDate: '2027-06-01' }))
      .status,
  ).toBe(404);
  expect(await listed()).toEqual(before);
  // an employee sees no documents to keep, and no people to choose from
  expect(await listed(johanna)).toEqual({ documents: [], owners: [] });
});
