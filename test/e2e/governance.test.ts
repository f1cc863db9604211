/**
 * The governing documents' yearly review over real HTTP: the sample policy says "Revideras:
 * årligen" and names the security chief as its owner; at the review date (a clock the test moves)
 * the scheduler's job has the shared sender bring her the card through the local channel; she
 * answers, and the next review moves a year on. Someone else pressing the button is refused.
 */

import { person, type Running, startApp, testClock } from '../support/app';
import { validateCard } from '../support/cards';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../support/channel';

const malin = person('Malin Forsberg'); // security chief, owner of the policy ("Dokumentägare: Säkerhetschef")
const johanna = person('Johanna Persson'); // employee

const clock = testClock('2027-03-17T12:00:00.000Z');
let running: Running;
let policyId: string;
beforeAll(async () => {
  running = await startApp({}, { clock });
  for (const member of [malin, johanna]) await running.channel.installBot(member);
  const policy = (await running.app.store.documents.list()).find(
    (d) => d.value.title === 'Säkerhetspolicy för Region Norrviken',
  );
  policyId = policy?.value.id ?? '';
}, 120_000); // a cold start (importing the documents) is slow on a loaded machine
afterAll(async () => running?.close());

const review = async () => (await running.app.store.documentReviews.get(policyId))?.value;
const text = (x: unknown) => JSON.stringify(x);
const answer = (who: typeof malin, data: Record<string, unknown>) =>
  running.channel.execute(who, 'governance.answerReview', { documentId: policyId, ...data });

test('at start the sample documents are scheduled for review: at the first anniversary of adoption, for their owner', async () => {
  const reviews = (await running.app.store.documentReviews.list()).map((r) => [
    r.value.title,
    r.value.nextReviewDate,
    r.value.ownerIds,
  ]);
  expect(reviews).toEqual(
    expect.arrayContaining([
      ['Säkerhetspolicy för Region Norrviken', '2027-03-18', [malin.aadObjectId]],
      ['Riktlinje för informationssäkerhet och dataskydd', '2027-05-06', [malin.aadObjectId]],
    ]),
  );
});

test('the owner gets the card at the review date, answers, and the next review moves a year on; others are refused', async () => {
  const { app, channel } = running;
  const conversation = channel.conversationFor(malin).id;
  expect(await app.scheduler.runDue()).toBe(0);

  clock.set('2027-03-18T07:00:00.000Z'); // 08:00 in Stockholm
  expect(await app.scheduler.runDue()).toBe(1);
  await app.sender.idle();
  const sent = channel
    .activities(conversation)
    .filter((a) => text(a.attachments).includes('Årlig översyn av styrande dokument'));
  expect(sent).toHaveLength(1);
  const card = sent[0]?.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content;
  expect(validateCard(card)).toEqual([]);
  expect(text(card)).toContain('Säkerhetspolicy för Region Norrviken');
  expect(text(card)).toContain('Ingen ändring');
  expect(text(card)).toContain('Behöver revideras');
  expect(text(card)).toContain('/documents/sakerhetspolicy-region-norrviken.md');
  expect((await review())?.state).toBe('awaitingAnswer');

  // someone else presses the button: refused, nothing changes
  const refused = await answer(johanna, { outcome: 'noChange' });
  expect(text(refused.body)).toContain('Du har inte behörighet att göra detta.');
  expect((await review())?.state).toBe('awaitingAnswer');

  // "Behöver revideras" without a comment: a clear message, nothing changes
  const empty = await answer(malin, { outcome: 'needsRevision', comment: '' });
  expect(text(empty.body)).toContain('Skriv i kommentaren vad som behöver revideras.');
  expect((await review())?.state).toBe('awaitingAnswer');

  clock.set('2027-03-18T09:30:00.000Z');
  const done = await answer(malin, { outcome: 'noChange', comment: 'Policyn gäller som den är.' });
  expect(done.status).toBe(200);
  expect(text(done.body)).toContain('Ingen ändring – besvarad av Malin Forsberg 2027-03-18 10:30');
  expect(text(done.body)).toContain('Nästa översyn: 2028-03-18');
  expect(validateCard((done.body as { value?: unknown }).value)).toEqual([]);
  // the card in the chat is updated for everyone who sees it, without the buttons
  const current = channel.lastCard(conversation);
  expect(text(current)).toContain('Nästa översyn: 2028-03-18');
  expect(text(current)).not.toContain('governance.answerReview');

  // a double click (or the stale card) shows the current state and moves nothing
  const again = await answer(malin, { outcome: 'needsRevision', comment: 'Ändra avsnitt 3' });
  expect(text(again.body)).toContain('Ingen ändring – besvarad av Malin Forsberg');
  expect((await review())?.nextReviewDate).toBe('2028-03-18');
  const events = await app.store.auditEvents.find({ recordId: policyId });
  expect(
    events
      .filter((e) => e.recordType === 'documentReview')
      .map((e) => [e.action, e.actorId, e.comment ?? '']),
  ).toEqual([
    ['schedule', 'system', '2027-03-18'],
    ['open', 'system', ''],
    ['noChange', malin.aadObjectId, 'Policyn gäller som den är.'],
  ]);
  const next = await app.store.jobs.get(`governance:review:${policyId}:2028-03-18`);
  expect(next?.value).toMatchObject({ status: 'pending', dueAt: '2028-03-18T07:00:00.000Z' });
  // the reminder the unanswered review would have had is called off
  expect((await app.store.jobs.get(`governance:reminder:${policyId}:2027-03-18`))?.value.status).toBe(
    'cancelled',
  );
});

test("the tab's view: the documents the caller answers for, their next review and the last answer", async () => {
  const base = `http://127.0.0.1:${running.port}/api`;
  const tokenOf = async (who: typeof malin) => {
    const issued = await fetch(`${base}/dev/token`, {
      method: 'POST',
      body: JSON.stringify({ personId: who.aadObjectId }),
    });
    return ((await issued.json()) as { token: string }).token;
  };
  const list = async (token?: string) =>
    fetch(`${base}/governance/reviews`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  const chief = await list(await tokenOf(malin));
  expect(chief.status).toBe(200);
  const reviews = (await chief.json()) as {
    title: string;
    nextReviewDate: string;
    state: string;
    lastAnswer: { outcome: string } | null;
    abilities: { answer: boolean };
  }[];
  expect(
    reviews.map((r) => [
      r.title,
      r.nextReviewDate,
      r.state,
      r.lastAnswer?.outcome ?? null,
      r.abilities.answer,
    ]),
  ).toEqual([
    ['Riktlinje för informationssäkerhet och dataskydd', '2027-05-06', 'scheduled', null, false],
    ['Säkerhetspolicy för Region Norrviken', '2028-03-18', 'scheduled', 'noChange', false],
  ]);
  expect(await (await list(await tokenOf(johanna))).json()).toEqual([]);
  expect((await list()).status).toBe(401);
});

test('syncing again (every start does) writes nothing when nothing changed: no record, no job, no log line', async () => {
  const { app } = running;
  const count = async () =>
    (await app.store.auditEvents.find({ actorId: 'system' })).length +
    (await app.store.auditEvents.find({ actorId: 'system:scheduler' })).length;
  const before = await count();
  await app.governance.sync();
  await app.governance.sync();
  expect(await count()).toBe(before);
});
