/**
 * Whether each unit's card reached the person whose turn it is, and reminding by hand, over real HTTP
 * through the local channel: a manager who has blocked the bot shows in the cycle's progress as "failed:
 * blocked"; once they unblock it, the security chief's reminder brings them the card with its banner;
 * a second reminder the same day sends nothing more; anyone else's attempt is refused and sends nothing.
 */
import { devApi, errorOf, person, type Running, sample, startApp, testClock } from '../support/app';

const malin = person('Malin Forsberg'); // security chief
const lena = person('Lena Bergqvist'); // manager of Akutmottagningen
const johanna = person('Johanna Persson'); // employee

const clock = testClock('2026-12-07T08:00:00.000Z');
let running: Running;
beforeAll(async () => {
  running = await startApp({}, { clock });
  for (const { name } of sample.people) await running.channel.installBot(person(name));
  running.channel.block(lena);
}, 120_000);
afterAll(async () => running?.close());

const call = (...args: Parameters<ReturnType<typeof devApi>>) => devApi(running.port)(...args);

interface UnitRow {
  reviewId: string;
  unitName: string;
  card: { status: string; reason?: string };
  abilities: { remind: boolean };
}
const units = async () => {
  const { json } = await call(malin, 'GET', '/review/cycles');
  return (json as unknown as { units: UnitRow[] }[])[0]?.units ?? [];
};
const akut = async () => (await units()).find((u) => u.unitName === 'Akutmottagningen Norrviken');
const lenaCards = () =>
  running.channel
    .activities(running.channel.conversationFor(lena).id)
    .filter((a) => JSON.stringify(a.attachments ?? []).includes('Årlig uppföljning 2026'));

test("the progress says whose card did not arrive and why; the chief's reminder brings it once they can be reached", async () => {
  expect((await call(malin, 'POST', '/review/cycles', { year: 2026, deadline: '2027-02-26' })).status).toBe(
    201,
  );
  await running.app.sender.idle();

  const all = await units();
  expect(all.length).toBeGreaterThan(5);
  expect(await akut()).toMatchObject({
    card: { status: 'failed', reason: 'blocked' },
    abilities: { remind: true },
  });
  // every other holder got theirs
  expect(all.filter((u) => u.card.status !== 'sent').map((u) => u.unitName)).toEqual([
    'Akutmottagningen Norrviken',
  ]);
  expect(lenaCards()).toHaveLength(0);

  // others may not remind: refused, nothing is sent
  const id = (await akut())?.reviewId ?? '';
  for (const who of [lena, johanna]) {
    const refused = await call(who, 'POST', `/review/reviews/${encodeURIComponent(id)}/remind`);
    expect(refused.status).toBe(403);
    expect(errorOf(refused.json)).toMatch(/behörighet/);
  }
  // what the tab is told: the chief may remind, the manager (who sees her own review) may not
  const abilitiesOf = async (who: typeof malin) =>
    ((await call(who, 'GET', `/review/reviews/${encodeURIComponent(id)}`)).json as { abilities: string[] })
      .abilities;
  expect(await abilitiesOf(malin)).toContain('remind');
  expect(await abilitiesOf(lena)).not.toContain('remind');

  running.channel.unblock(lena);
  const reminded = await call(malin, 'POST', `/review/reviews/${encodeURIComponent(id)}/remind`);
  expect(reminded.status).toBe(200);
  expect(reminded.json).toMatchObject({ reminded: true });
  await running.app.sender.idle();
  expect(await akut()).toMatchObject({ card: { status: 'sent' } });
  expect(lenaCards()).toHaveLength(1);
  expect(JSON.stringify(lenaCards()[0]?.attachments)).toContain(
    'Påminnelse från säkerhetsfunktionen: sista dag för årlig uppföljning är 2027-02-26',
  );
  const audit = await running.app.store.auditEvents.find({ recordId: id });
  expect(audit.filter((e) => e.action === 'remind').map((e) => e.actorId)).toEqual([malin.aadObjectId]);

  // a second click the same day: no second card
  const again = await call(malin, 'POST', `/review/reviews/${encodeURIComponent(id)}/remind`);
  expect(again.json).toMatchObject({ reminded: false, card: { status: 'sent' } });
  await running.app.sender.idle();
  expect(lenaCards()).toHaveLength(1);
});

test('an unknown review gets a clear 404', async () => {
  const missing = await call(malin, 'POST', '/review/reviews/no-such-review/remind');
  expect(missing.status).toBe(404);
  expect(errorOf(missing.json)).not.toMatch(/Error|undefined/);
});
