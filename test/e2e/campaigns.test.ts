/**
 * Awareness campaigns over real HTTP: a local channel plays Teams (activities POSTed to
 * /api/messages; the bot's cards received at the channel's serviceUrl). The app runs under a
 * controlled clock (it runs on from the time a test sets, so that the sender's backoff still passes);
 * the shared sender and scheduler are the app's own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recipientId } from '../../bot/features/campaigns/model';
import type { Figures } from '../../bot/features/campaigns/rules';
import { TEAMS_RATE_RULES } from '../../bot/platform/delivery/limits';
import { person, type Running, sample, startApp } from '../support/app';
import { validateCard } from '../support/cards';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  APP_LIMIT,
  type ChannelActivity,
  type ChannelUser,
  TEAMS_THREAD_LIMITS,
} from '../support/channel';

const malin = person('Malin Forsberg'); // security chief
const johanna = person('Johanna Persson'); // employee, Akutmottagningen
const james = person('James Whitfield'); // employee, Akutmottagningen, en-US; has blocked the app
const ahmed = person('Ahmed Hassan'); // employee, Akutmottagningen
const lena = person('Lena Bergqvist'); // manager of Akutmottagningen
const mikael = person('Mikael Strand'); // manager of Medicinkliniken
const priya = person('Priya Raman'); // employee, Medicinkliniken, en-US
const elin = person('Elin Sundberg');
const per = person('Per Åkesson'); // head of Hälso- och sjukvårdsförvaltningen
const hanna = person('Hanna Berg');
const annaKarin = person('Anna-Karin Wikström'); // has removed the app
const maria = person('Maria Öberg'); // has never talked to the bot: the sender creates the conversation
const kristina = person('Kristina Jönsson'); // employee outside the audience

type Card = Record<string, unknown> & {
  body?: unknown[];
  actions?: { verb?: string; title?: string; data?: Record<string, unknown> }[];
};
const cardOf = (a: ChannelActivity) =>
  a.attachments?.find((x) => x.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content as Card | undefined;
const textOf = (x: unknown) => JSON.stringify(x);

/** The app's clock: set to a time, it runs on from there. */
let offset = 0;
const setNow = (iso: string) => {
  offset = Date.parse(iso) - Date.now();
};
setNow('2026-11-23T08:00:00Z'); // 09:00 in Stockholm
let running: Running;

/** Every card the bot sends or answers with is checked the way Teams' renderer would. */
const seen: unknown[] = [];
function valid<T>(card: T): T {
  expect(validateCard(card)).toEqual([]);
  seen.push(card);
  return card;
}

async function run(user: ChannelUser, verb: string, data: Record<string, unknown>) {
  const response = await running.channel.execute(user, verb, data);
  expect(response.status).toBe(200);
  const body = response.body as { type: string; value: unknown };
  if (body.type === ADAPTIVE_CARD_CONTENT_TYPE)
    return { card: valid(body.value as Card), text: textOf(body.value) };
  return { card: undefined, text: String(body.value) };
}

async function command(user: ChannelUser, text: string): Promise<Card> {
  const mark = running.channel.mark();
  await running.channel.say(user, text);
  const conversation = running.channel.conversationFor(user).id;
  const reply = await running.channel.waitFor((a) => a.conversation?.id === conversation, { since: mark });
  return valid(cardOf(reply) as Card);
}

/** The campaign cards a person has received (the original message and any reminders), newest version of each. */
const campaignCards = (user: ChannelUser, title: string) =>
  running.channel
    .activities(running.channel.conversationFor(user).id)
    .map(cardOf)
    .filter(
      (c): c is Card =>
        !!c &&
        (c.refresh as { action?: { verb?: string } } | undefined)?.action?.verb === 'campaigns.view' &&
        textOf(c.body).includes(title),
    );

const campaigns = () => {
  const service = running.app.campaigns;
  if (!service) throw new Error('the app has no campaigns service');
  return service;
};

/** The tab API over HTTP, with the embedded default's own sign-in (a token per call, under the app clock). */
async function api(user: ChannelUser, method: string, path: string, body?: unknown) {
  const base = `http://127.0.0.1:${running.port}/api`;
  const issued = await fetch(`${base}/dev/token`, {
    method: 'POST',
    body: JSON.stringify({ personId: user.aadObjectId }),
  });
  const { token } = (await issued.json()) as { token: string };
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'accept-language': user.locale ?? 'sv-SE',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  const json =
    response.headers.get('content-type')?.includes('json') && text
      ? (JSON.parse(text) as Record<string, unknown>)
      : undefined;
  return { status: response.status, headers: response.headers, bytes, json };
}

/** Messages the bot wrote since `mark` (proactive sends reach the channel as sends or replies). */
const messagesSince = (mark: number) =>
  running.channel
    .events()
    .slice(mark)
    .filter((e) => e.kind === 'send' || e.kind === 'reply');

/** Runs the jobs that are due and waits until the sender has nothing queued (retries included). */
const settle = async () => {
  await running.app.scheduler.runDue();
  for (
    let waited = 0;
    (await running.app.store.deliveries.find({ status: 'queued' })).length > 0;
    waited += 50
  ) {
    if (waited > 20_000) throw new Error('the sender did not finish');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await running.app.sender.idle();
};

beforeAll(async () => {
  running = await startApp(
    { VARN_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'varn-campaigns-')) },
    {
      clock: () => new Date(Date.now() + offset),
      // a slow app-wide rate (5 a second instead of Teams' 50), so that a cancel lands mid-send
      sender: {
        rules: [
          ...TEAMS_RATE_RULES.filter((r) => r.scope !== 'app'),
          { scope: 'app', windowMs: 1_000, max: 5 },
        ],
      },
    },
  );
  // the channel enforces Teams' limits: per conversation, and 50 requests a second for the app
  running.channel.setRateLimits([...TEAMS_THREAD_LIMITS, APP_LIMIT]);
  // Maria is in the tenant but has never opened the app
  running.channel.addUser(maria);
  // everyone has opened the app, except Maria (the sender opens a chat with her); James has blocked the bot;
  // Anna-Karin has removed the app
  for (const p of sample.people) {
    if (p.name !== 'Maria Öberg')
      await running.channel.installBot(person(p.name), { events: ['installationUpdate'] });
  }
  running.channel.block(james);
  await running.channel.uninstallBot(annaKarin, { events: ['installationUpdate'] });
}, 120_000);
afterAll(async () => running?.close());

const TITLE = 'Så skyddar du patientuppgifter';
const QUIZ = {
  q1text: 'Får du titta i journalen för en patient du inte vårdar?',
  q1options: 'Ja, om jag är nyfiken\nNej, bara med vårdrelation',
  q1correct: '2',
  q1explanation: 'Du får bara läsa journaler för patienter du har en vårdrelation med.',
  q2text: 'Vart rapporterar du en säkerhetsbrist?',
  q2options: 'Till närmaste chef\nIngenstans\nTill en kollega',
  q2correct: '1',
  q2explanation: 'Policyn säger att brister rapporteras till närmaste chef.',
};

describe('a campaign to Hälso- och sjukvårdsförvaltningen with its units', () => {
  let campaignId = '';
  let previewFrame: unknown[] = [];

  test('the chief composes it in three steps and previews the card recipients will see', async () => {
    const start = await command(malin, 'ny kampanj');
    expect(textOf(start)).toContain('Steg 1 av 3');

    const step2 = await run(malin, 'campaigns.compose', {
      campaignId: '',
      step: 'content',
      goto: 'response',
      title: TITLE,
      text: 'Alla som arbetar i vården har **tystnadsplikt**.\n\n- Läs bara journaler du behöver\n- Lås skärmen när du går',
      documentUrl: 'https://norrviken.sharepoint.com/sites/sakerhet/Styrande%20dokument/sakerhetspolicy.md',
      documentTitle: 'Säkerhetspolicy för Region Norrviken',
    });
    expect(step2.text).toContain('Steg 2 av 3');
    const [draft] = await running.app.store.campaigns.find({ createdBy: malin.aadObjectId });
    expect(draft?.value.status).toBe('draft');
    campaignId = draft?.value.id ?? '';

    const step3 = await run(malin, 'campaigns.compose', {
      campaignId,
      step: 'response',
      goto: 'audience',
      acknowledge: 'true',
      passMark: '2',
      ...QUIZ,
    });
    expect(step3.text).toContain('Steg 3 av 3');
    expect(step3.text).toContain('Akutmottagningen Norrviken'); // the units to choose from

    const preview = await run(malin, 'campaigns.compose', {
      campaignId,
      step: 'audience',
      goto: 'preview',
      audienceKind: 'units',
      units: 'u-hsf',
      subUnits: 'true',
      reminderDate: '2026-11-25',
      reminderTime: '09:00',
      closeDate: '2026-11-30',
      closeTime: '17:00',
    });
    expect(preview.text).toContain('Förhandsvisning: Så skyddar du patientuppgifter');
    expect(preview.text).toContain('11 personer');
    expect(preview.text).toContain('2026-11-25 09:00'); // the reminder, in Stockholm time
    expect(preview.text).toContain('Jag har tagit del av');
    const frame = ((preview.card?.body ?? []) as { id?: string; items?: unknown[] }[]).find(
      (e) => e.id === 'recipientCard',
    );
    previewFrame = frame?.items ?? [];
    expect(previewFrame.length).toBeGreaterThan(3);
    const stored = (await running.app.store.campaigns.get(campaignId))?.value;
    expect(stored?.quiz?.questions.map((q) => q.correct)).toEqual([1, 0]);
    expect(stored?.reminderAt).toEqual(['2026-11-25T08:00:00.000Z']);
  });

  test('someone who is not an author cannot send it; nothing is sent', async () => {
    const mark = running.channel.mark();
    const refused = await run(johanna, 'campaigns.send', { campaignId });
    expect(refused.card).toBeUndefined();
    expect(refused.text).toContain('Bara säkerhetschefen');
    await settle();
    expect((await running.app.store.campaigns.get(campaignId))?.value.status).toBe('draft');
    expect(messagesSince(mark)).toEqual([]);
  });

  test('the chief sends it: each reachable recipient gets one card (a new chat where needed), a 429 is retried, the blocked and the uninstalled are recorded', async () => {
    running.channel.failNext(1, {
      status: 429,
      retryAfterSeconds: 1,
      operations: ['sendToConversation', 'replyToActivity'],
    });
    const sent = await run(malin, 'campaigns.send', { campaignId });
    expect(sent.text).toContain('Kampanjen skickas nu till 11 personer');
    await settle();

    const reached = [per, hanna, lena, johanna, ahmed, mikael, priya, elin, maria];
    for (const user of reached) {
      const cards = campaignCards(user, TITLE);
      expect(cards).toHaveLength(1);
      valid(cards[0]);
    }
    for (const user of [james, annaKarin, kristina, malin])
      expect(campaignCards(user, TITLE)).toHaveLength(0);
    // what Johanna got is what the preview showed, except that the preview's quiz does not hold the
    // chief's own buttons hostage (not required) and names the recipients' buttons instead of offering them
    const got = campaignCards(johanna, TITLE)[0]?.body as unknown[];
    const required = (body: unknown[]) => JSON.stringify(body).match(/"isRequired":true/g)?.length ?? 0;
    expect(required(got)).toBe(2);
    expect(required(previewFrame)).toBe(0);
    const shown = (body: unknown[]) =>
      (
        JSON.parse(JSON.stringify(body, (k, v) => (k === 'isRequired' ? undefined : v))) as Record<
          string,
          unknown
        >[]
      )
        .filter((e) => e.type !== 'ActionSet' || !JSON.stringify(e).includes('"verb"'))
        .filter((e) => !String(e.text ?? '').startsWith('Mottagarna får knapparna'));
    expect(shown(got)).toEqual(shown(previewFrame));
    // Priya reads English
    expect(textOf(campaignCards(priya, TITLE)[0])).toContain('I have read this');

    const deliveries = await running.app.sender.deliveries(campaignId);
    const failures = Object.fromEntries(
      deliveries.filter((d) => d.status === 'failed').map((d) => [d.personId, d.failure?.reason]),
    );
    expect(failures).toEqual({ [james.aadObjectId]: 'blocked', [annaKarin.aadObjectId]: 'notInstalled' });
    expect(deliveries.find((d) => d.personId === maria.aadObjectId)?.reachedBy).toBe('created');
    expect(running.channel.requests.some((r) => r.injected && r.status === 429)).toBe(true);
    // the sender kept within Teams' limits: the channel never had to throttle it
    expect(running.channel.stats().throttled).toBe(0);
  });

  test('"Jag har tagit del av" records once and updates the card; a forged acknowledgement changes nothing', async () => {
    const first = await run(johanna, 'campaigns.acknowledge', { campaignId });
    expect(first.text).toMatch(/Du tog del av detta 2026-11-23 09:0\d/);
    expect(first.text).not.toContain('campaigns.acknowledge');
    const second = await run(johanna, 'campaigns.acknowledge', { campaignId });
    expect(second.text).toContain('Du tog del av detta');
    const audit = await running.app.store.auditEvents.find({
      recordId: recipientId(campaignId, johanna.aadObjectId),
    });
    expect(audit.map((e) => e.action)).toEqual(['acknowledge']);

    // Kristina was not sent the campaign and tries to acknowledge it for Hanna
    const forged = await run(kristina, 'campaigns.acknowledge', { campaignId, personId: hanna.aadObjectId });
    expect(forged.text).toContain('Det här kortet skickades inte till dig');
    expect(
      (await running.app.store.campaignRecipients.get(recipientId(campaignId, hanna.aadObjectId)))?.value
        .acknowledgedAt,
    ).toBeUndefined();
    expect(
      await running.app.store.campaignRecipients.get(recipientId(campaignId, kristina.aadObjectId)),
    ).toBeUndefined();
    // Elin, a recipient, names Hanna in the card data: only Elin's own record can change
    await run(elin, 'campaigns.acknowledge', { campaignId, personId: hanna.aadObjectId });
    expect(
      (await running.app.store.campaignRecipients.get(recipientId(campaignId, hanna.aadObjectId)))?.value
        .acknowledgedAt,
    ).toBeUndefined();
    expect(
      (await running.app.store.campaignRecipients.get(recipientId(campaignId, elin.aadObjectId)))?.value
        .acknowledgedAt,
    ).toBeDefined();
    // the chief pressing the preview's button is told it is a preview
    expect((await run(malin, 'campaigns.acknowledge', { campaignId })).text).toContain('förhandsvisning');
  });

  test('the quiz records answers and score once and shows the explanations', async () => {
    const passed = await run(lena, 'campaigns.quiz', { campaignId, q1: '1', q2: '0' });
    expect(passed.text).toContain('Du fick 2 av 2 rätt – godkänt!');
    expect(passed.text).toContain('Du får bara läsa journaler för patienter du har en vårdrelation med.');
    await run(lena, 'campaigns.acknowledge', { campaignId });

    const failed = await run(ahmed, 'campaigns.quiz', { campaignId, q1: '0', q2: '0' });
    expect(failed.text).toContain('Du fick 1 av 2 rätt – inte godkänt');
    expect(failed.text).toContain('Rätt svar: Nej, bara med vårdrelation');
    await run(ahmed, 'campaigns.acknowledge', { campaignId });
    // a second attempt does not change the recorded score
    const again = await run(ahmed, 'campaigns.quiz', { campaignId, q1: '1', q2: '0' });
    expect(again.text).toContain('Du fick 1 av 2 rätt');

    const english = await run(priya, 'campaigns.quiz', { campaignId, q1: '1', q2: '2' });
    expect(english.text).toContain('You got 1 of 2 right');
    // an answer that does not fit the question changes nothing
    const bad = await run(mikael, 'campaigns.quiz', { campaignId, q1: '7', q2: '0' });
    expect(bad.text).toContain('Svaret passar inte frågorna');
    expect(
      (await running.app.store.campaignRecipients.get(recipientId(campaignId, mikael.aadObjectId)))?.value
        .quiz,
    ).toBeUndefined();
    await run(mikael, 'campaigns.quiz', { campaignId, q1: '1', q2: '0' });
  });

  test('the figures per unit are right, and the CSV says the same', async () => {
    const { figures } = await campaigns().figures(malin.aadObjectId, campaignId);
    const row = (unitId: string) => figures.units.find((u) => u.unitId === unitId);
    expect(figures.total).toMatchObject({
      targeted: 11,
      delivered: 9,
      failed: 2,
      acknowledged: 4,
      quizAnswered: 4,
      quizPassed: 2,
    });
    expect(figures.total.failedBy).toMatchObject({ blocked: 1, notInstalled: 1 });
    expect(row('u-akutmottagningen')).toMatchObject({
      targeted: 4,
      delivered: 3,
      failed: 1,
      acknowledged: 3,
      quizAnswered: 2,
      quizPassed: 1,
    });
    expect(row('u-akutmottagningen')?.failedBy.blocked).toBe(1);
    expect(row('u-medicinkliniken')).toMatchObject({
      targeted: 3,
      delivered: 3,
      acknowledged: 1,
      quizAnswered: 2,
      quizPassed: 1,
    });
    expect(row('u-vc-bjorkhamn')).toMatchObject({ targeted: 2, delivered: 1, failed: 1 });
    expect(row('u-vc-bjorkhamn')?.failedBy.notInstalled).toBe(1);
    expect(row('u-hsf')).toMatchObject({ targeted: 2, delivered: 2, acknowledged: 0 });
    expect(figures.overTime).toEqual([{ day: '2026-11-23', delivered: 9, acknowledged: 4, quizAnswered: 4 }]);

    const card = await run(malin, 'campaigns.figures', { campaignId });
    expect(card.text).toContain('Akutmottagningen Norrviken');
    expect(card.text).toContain('– har blockerat appen');
    // and who: the author can follow them up
    expect(card.text).toContain('James Whitfield – har blockerat appen');
    // when it went out and when counted, in Stockholm time (the app clock runs on from 09:00 with the wall clock)
    expect(card.text).toMatch(/Skickad 2026-11-23 09:0\d · siffrorna 2026-11-23 09:0\d/);
    // Johanna may not see the figures
    expect((await run(johanna, 'campaigns.figures', { campaignId })).text).toContain('Bara säkerhetschefen');

    const response = await api(malin, 'GET', `/campaigns/${campaignId}/figures.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toContain('sa-skyddar-du-patientuppgifter.csv');
    expect((await api(johanna, 'GET', `/campaigns/${campaignId}/figures.csv`)).status).toBe(403);
    const bytes = response.bytes;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    const lines = csv.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      'Enhets-id,Enhet,Målgrupp,Levererade,I kö,Misslyckade,Misslyckade: blockerat appen,Misslyckade: appen inte installerad,Misslyckade: lämnat organisationen,Misslyckade: ingen konversation,Misslyckade: annat,Inte skickade (avbrutet/avslutat),Kvitterade,Kvitterade (% av levererade),Quiz besvarade,Quiz godkända,Quiz godkända (% av besvarade)',
    );
    expect(lines).toContain('u-akutmottagningen,Akutmottagningen Norrviken,4,3,0,1,1,0,0,0,0,0,3,100,2,1,50');
    expect(lines).toContain('u-vc-bjorkhamn,Vårdcentralen Björkhamn,2,1,0,1,0,1,0,0,0,0,0,0,0,0,');
    expect(lines).toContain(',Totalt,11,9,0,2,1,1,0,0,0,0,4,44,4,2,50');
    expect(lines.filter((l) => l !== '')).toHaveLength(1 + figures.units.length + 1);
  });

  test('a manager asks "Hur ligger min enhet till?" and sees their own unit only', async () => {
    const card = await command(lena, 'Hur ligger min enhet till?');
    const text = textOf(card);
    expect(text).toContain('Så ligger Akutmottagningen Norrviken till');
    expect(text).toContain('"title":"Målgrupp","value":"4"');
    expect(text).toContain('3 av 3 (100 %)'); // acknowledged of delivered
    // Per manages the whole administration: its units are counted together
    expect(textOf(await command(per, 'hur ligger min enhet till'))).toContain(
      '"title":"Målgrupp","value":"11"',
    );
    expect(textOf(await command(johanna, 'Hur ligger min enhet till?'))).toContain(
      'Du är inte chef för någon enhet',
    );
  });

  test('the reminder reaches exactly those who have not yet taken the message in', async () => {
    setNow('2026-11-25T07:59:00Z');
    await settle();
    expect(
      (await running.app.sender.deliveries(campaignId)).filter((d) => d.kind === 'campaign.reminder'),
    ).toEqual([]);
    setNow('2026-11-25T08:00:00Z');
    await settle();
    const reminded = (await running.app.sender.deliveries(campaignId))
      .filter((d) => d.kind === 'campaign.reminder' && d.status === 'sent')
      .map((d) => d.personId);
    // done: Lena and Ahmed (acknowledged and answered); Johanna and Elin acknowledged but have no quiz answer; Mikael and Priya answered but did not acknowledge
    const expected = [per, hanna, johanna, mikael, priya, elin, maria].map((u) => u.aadObjectId);
    expect(reminded.sort()).toEqual(expected.sort());
    for (const user of [per, hanna, johanna, mikael, priya, elin, maria]) {
      const cards = campaignCards(user, TITLE);
      expect(cards).toHaveLength(2);
      expect(textOf(valid(cards[1]))).toMatch(/Påminnelse|Reminder/);
    }
    for (const user of [lena, ahmed, james, annaKarin])
      expect(campaignCards(user, TITLE).length).toBeLessThanOrEqual(1);
    // Johanna's reminder shows her acknowledgement and asks only for the quiz
    const johannaReminder = textOf(campaignCards(johanna, TITLE)[1]);
    expect(johannaReminder).toContain('Du tog del av detta');
    expect(johannaReminder).toContain('campaigns.quiz');
    expect(johannaReminder).not.toContain('"verb":"campaigns.acknowledge"');
    // running the job again sends nothing twice
    await campaigns().remind(campaignId, 0);
    await running.app.sender.idle();
    expect(campaignCards(per, TITLE)).toHaveLength(2);
  });

  test('at the close time the campaign closes and takes no more answers', async () => {
    setNow('2026-11-30T16:00:00Z');
    await settle();
    expect((await running.app.store.campaigns.get(campaignId))?.value.status).toBe('closed');
    const late = await run(hanna, 'campaigns.acknowledge', { campaignId });
    expect(late.text).toContain('Kampanjen är avslutad');
    expect(
      (await running.app.store.campaignRecipients.get(recipientId(campaignId, hanna.aadObjectId)))?.value
        .acknowledgedAt,
    ).toBeUndefined();
    const refreshed = await run(hanna, 'campaigns.view', { campaignId });
    expect(refreshed.text).toContain('Kampanjen är avslutad.');
    expect(refreshed.text).not.toContain('campaigns.acknowledge');
  });
});

describe('bad input gets a clear message and sends nothing', () => {
  let campaignId = '';
  const draft = () => running.app.store.campaigns.get(campaignId);
  let sendsBefore = 0;

  beforeAll(async () => {
    setNow('2026-12-01T08:00:00Z');
    sendsBefore = running.channel.mark();
    await run(malin, 'campaigns.compose', {
      campaignId: '',
      step: 'content',
      goto: 'response',
      title: 'Lösenord',
      text: 'Byt lösenord.',
    });
    const all = await running.app.store.campaigns.find({ createdBy: malin.aadObjectId });
    campaignId = all.find((c) => c.value.title === 'Lösenord')?.value.id ?? '';
  });

  test('text over the card size limit', async () => {
    const result = await run(malin, 'campaigns.compose', {
      campaignId,
      step: 'content',
      goto: 'response',
      title: 'Lösenord',
      text: 'Lång text. '.repeat(4000),
    });
    expect(result.text).toMatch(/Kortet blir \d+ kB men Teams tar högst 80 kB/);
    expect((await draft())?.value.text).toBe('Byt lösenord.');
  });

  test('Markdown the card cannot show', async () => {
    const result = await run(malin, 'campaigns.compose', {
      campaignId,
      step: 'content',
      goto: 'response',
      title: 'Lösenord',
      text: '# Rubrik\n\nByt lösenord.',
    });
    expect(result.text).toContain('Texten innehåller rubriker (#)');
    expect((await draft())?.value.text).toBe('Byt lösenord.');
  });

  test('a quiz without a correct answer', async () => {
    const result = await run(malin, 'campaigns.compose', {
      campaignId,
      step: 'response',
      goto: 'audience',
      acknowledge: 'true',
      ...QUIZ,
      q2correct: '',
    });
    expect(result.text).toContain('Fråga 2 saknar ett rätt svar');
    expect((await draft())?.value.quiz).toBeUndefined();
  });

  test('a send time that has passed', async () => {
    const result = await run(malin, 'campaigns.compose', {
      campaignId,
      step: 'audience',
      goto: 'preview',
      audienceKind: 'everyone',
      sendDate: '2026-11-30',
      sendTime: '10:00',
    });
    expect(result.text).toContain('Sändningstiden har redan passerat');
    expect((await draft())?.value.sendAt).toBeUndefined();
  });

  test('an empty audience', async () => {
    const saved = await run(malin, 'campaigns.compose', {
      campaignId,
      step: 'audience',
      goto: 'preview',
      audienceKind: 'groups',
      groups: 'g-nya-skyddsombud',
    });
    expect(saved.text).toContain('Målgruppen är tom');
    const send = await run(malin, 'campaigns.send', { campaignId });
    expect(send.text).toContain('Målgruppen är tom');
    expect((await draft())?.value.status).toBe('draft');
    const noUnits = await run(malin, 'campaigns.compose', {
      campaignId,
      step: 'audience',
      goto: 'preview',
      audienceKind: 'units',
      units: '',
    });
    expect(noUnits.text).toContain('Välj minst en enhet');
  });

  afterAll(async () => {
    await settle();
    // the composer's answers are invoke responses: no message went to anyone
    expect(messagesSince(sendsBefore)).toEqual([]);
  });
});

describe('a campaign scheduled for later, under the app clock', () => {
  test('is sent at its time and not before; a draft can be duplicated', async () => {
    setNow('2026-12-02T08:00:00Z');
    const service = campaigns();
    const { campaign } = await service.create(malin.aadObjectId, {
      title: 'Krisberedskap inför jul',
      text: 'Vet du var krisplanen finns?',
      requiresAcknowledgement: true,
      audience: { kind: 'groups', groupIds: ['g-krisledning'] },
      sendAt: '2026-12-03T07:00:00.000Z',
      reminderAt: [],
    });
    const id = campaign?.id ?? '';
    const sent = await run(malin, 'campaigns.send', { campaignId: id });
    expect(sent.text).toContain('Kampanjen skickas 2026-12-03 08:00');
    expect((await service.load(id)).value.status).toBe('scheduled');
    setNow('2026-12-03T06:59:00Z');
    await settle();
    expect(await running.app.sender.deliveries(id)).toEqual([]);
    setNow('2026-12-03T07:00:00Z');
    await settle();
    const delivered = (await running.app.sender.deliveries(id)).filter((d) => d.status === 'sent');
    expect(delivered).toHaveLength(5); // Krisledningsgruppen
    expect(campaignCards(per, 'Krisberedskap inför jul')).toHaveLength(1);
    // sending it again changes nothing
    expect((await run(malin, 'campaigns.send', { campaignId: id })).text).toContain('redan skickad');

    const copy = await run(malin, 'campaigns.duplicate', { campaignId: id });
    expect(copy.text).toContain('Det här är en kopia av \\"Krisberedskap inför jul\\"');
    const drafts = (await running.app.store.campaigns.find({ status: 'draft' })).filter(
      (c) => c.value.duplicatedFrom === id,
    );
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.value.sendAt).toBeUndefined();
  });
});

describe('cancel mid-send', () => {
  test('stops further sends promptly; what was sent stays counted', async () => {
    setNow('2026-12-04T08:00:00Z');
    const service = campaigns();
    const { campaign } = await service.create(malin.aadObjectId, {
      title: 'Fel utskick',
      text: 'Det här skulle inte ut till alla.',
      requiresAcknowledgement: false,
      audience: { kind: 'everyone' },
      reminderAt: [],
    });
    const id = campaign?.id ?? '';
    // Teams throttles: at most 2 sends a second in total
    running.channel.setRateLimits([
      { windowSeconds: 1, max: 2, scope: 'global', operations: ['sendToConversation'] },
    ]);
    try {
      await service.send(malin.aadObjectId, id);
      const mark = running.channel.mark();
      await running.app.scheduler.runDue();
      const sentSoFar = async () =>
        (await running.app.sender.deliveries(id)).filter((d) => d.status === 'sent').length;
      for (let waited = 0; (await sentSoFar()) < 3; waited += 50) {
        expect(waited).toBeLessThan(10_000);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const cancelled = await run(malin, 'campaigns.cancel', { campaignId: id });
      expect(cancelled.text).toContain('Kampanjen är avbruten');
      const atCancel = messagesSince(mark).length;
      await running.app.sender.idle();
      const after = messagesSince(mark).length;
      expect(after - atCancel).toBeLessThanOrEqual(1); // at most the one already on its way
      const { figures } = await service.figures(malin.aadObjectId, id);
      expect(figures.total.targeted).toBe(sample.people.length);
      expect(figures.total.delivered).toBe(after);
      expect(figures.total.notSent).toBeGreaterThanOrEqual(10);
      expect(figures.total.delivered + figures.total.failed + figures.total.notSent).toBe(
        sample.people.length,
      );
      expect((await service.load(id)).value.status).toBe('cancelled');
    } finally {
      running.channel.clearFailures();
    }
  });
});

test('the chief lists the campaigns; an employee may not', async () => {
  const list = textOf(await command(malin, 'kampanjer'));
  expect(list).toContain('Så skyddar du patientuppgifter');
  expect(list).toContain('Avslutad');
  expect(textOf(await command(johanna, 'kampanjer'))).toContain('Bara säkerhetschefen');
  expect(seen.length).toBeGreaterThan(30);
});

describe('the tab API', () => {
  const erik = person('Erik Nordlund'); // security officer, not an author until the chief names him
  const body = {
    title: 'Skärmlås',
    text: 'Lås skärmen med **Windows + L** när du lämnar datorn.',
    requiresAcknowledgement: true,
    audience: { kind: 'managers' },
    reminderAt: [],
  };

  test('compose, edit, preview, send and duplicate; bad input gets the reason and changes nothing', async () => {
    setNow('2026-12-05T08:00:00Z');
    expect((await api(johanna, 'POST', '/campaigns', body)).status).toBe(403);
    expect((await api(malin, 'POST', '/campaigns', { title: 'Skärmlås' })).status).toBe(400);
    const noCorrect = await api(malin, 'POST', '/campaigns', {
      ...body,
      quiz: {
        questions: [
          { text: 'Hur låser du?', options: ['Windows + L', 'Alt + F4'], explanation: '' },
          { text: 'När?', options: ['Alltid', 'Ibland'], correct: 0, explanation: '' },
        ],
        passMark: 2,
      },
    });
    expect(noCorrect.status).toBe(400);
    expect(textOf(noCorrect.json)).toContain('Fråga 1 saknar ett rätt svar');

    const created = await api(malin, 'POST', '/campaigns', body);
    expect(created.status).toBe(201);
    const id = (created.json?.campaign as { id: string } | undefined)?.id ?? '';
    const past = await api(malin, 'PUT', `/campaigns/${id}`, { ...body, sendAt: '2026-12-05T07:00:00Z' });
    expect(past.status).toBe(400);
    expect(textOf(past.json)).toContain('Sändningstiden har redan passerat');
    expect((await campaigns().load(id)).value.sendAt).toBeUndefined();
    const empty = await api(malin, 'PUT', `/campaigns/${id}`, {
      ...body,
      audience: { kind: 'groups', groupIds: ['g-nya-skyddsombud'] },
    });
    expect(empty.status).toBe(200);
    const refusedEmpty = await api(malin, 'POST', `/campaigns/${id}/send`);
    expect(refusedEmpty.status).toBe(400);
    expect(textOf(refusedEmpty.json)).toContain('Målgruppen är tom');
    expect((await api(malin, 'PUT', `/campaigns/${id}`, body)).status).toBe(200);

    const preview = await api(malin, 'GET', `/campaigns/${id}/preview`);
    expect(preview.status).toBe(200);
    const card = valid(preview.json?.card);
    expect(textOf(card)).toContain('Windows + L');
    expect(textOf(card)).toContain('Jag har tagit del av');

    expect((await api(johanna, 'POST', `/campaigns/${id}/send`)).status).toBe(403);
    expect((await campaigns().load(id)).value.status).toBe('draft');
    const sent = await api(malin, 'POST', `/campaigns/${id}/send`);
    expect(sent.status).toBe(200);
    expect(sent.json?.recipients).toBe(sample.people.filter((p) => p.roles.includes('unitManager')).length);
    await settle();
    expect(campaignCards(lena, 'Skärmlås')).toHaveLength(1);
    expect(campaignCards(johanna, 'Skärmlås')).toHaveLength(0);
    expect((await api(malin, 'PUT', `/campaigns/${id}`, body)).status).toBe(409);

    const figures = await api(malin, 'GET', `/campaigns/${id}/figures`);
    const total = (figures.json?.figures as Figures | undefined)?.total;
    // every manager but Anna-Karin, who has removed the app
    expect(total?.delivered).toBe(Number(sent.json?.recipients) - 1);
    expect(total?.failedBy.notInstalled).toBe(1);
    const copy = await api(malin, 'POST', `/campaigns/${id}/duplicate`);
    expect(copy.status).toBe(201);
    expect((copy.json?.campaign as { duplicatedFrom?: string } | undefined)?.duplicatedFrom).toBe(id);

    const mine = await api(lena, 'GET', '/my-unit/campaigns');
    expect(textOf(mine.json)).toContain('Skärmlås');
    expect((await api(johanna, 'GET', '/my-unit/campaigns')).status).toBe(403);
  });

  test('the chief names an author, who may then compose; only the chief may name authors', async () => {
    expect((await api(erik, 'POST', '/campaigns', body)).status).toBe(403);
    expect((await api(erik, 'PUT', `/campaign-authors/${erik.aadObjectId}`)).status).toBe(403);
    expect((await api(malin, 'PUT', `/campaign-authors/${erik.aadObjectId}`)).status).toBe(204);
    expect((await api(erik, 'POST', '/campaigns', body)).status).toBe(201);
    const audit = await running.app.store.auditEvents.find({ recordId: erik.aadObjectId });
    expect(audit.map((e) => [e.action, e.actorId])).toEqual([['name-author', malin.aadObjectId]]);
    expect((await api(malin, 'DELETE', `/campaign-authors/${erik.aadObjectId}`)).status).toBe(204);
    expect((await api(erik, 'POST', '/campaigns', body)).status).toBe(403);
  });

  const abilitiesIn = (json: Record<string, unknown> | undefined) =>
    (json?.campaign as { abilities?: Record<string, boolean> } | undefined)?.abilities;

  test('each campaign goes to the tab with what the caller may do with it now, so the tab hides what the server would refuse', async () => {
    setNow('2026-12-05T08:00:00Z');
    const created = await api(malin, 'POST', '/campaigns', { ...body, title: 'Lösenord' });
    const draft = created.json?.campaign as { id: string; abilities: Record<string, boolean> };
    expect(draft.abilities).toEqual({
      edit: true,
      duplicate: true,
      preview: true,
      send: true,
      cancel: true,
      seeFigures: true,
    });
    const sent = await api(malin, 'POST', `/campaigns/${draft.id}/send`);
    expect(abilitiesIn(sent.json)).toMatchObject({
      edit: false,
      send: false,
      cancel: true,
      duplicate: true,
    });
    // what the tab says it may not do, the server refuses
    expect((await api(malin, 'PUT', `/campaigns/${draft.id}`, body)).status).toBe(409);
    const listed = await api(malin, 'GET', '/campaigns');
    const inList = (
      (listed.json?.campaigns ?? []) as { id: string; abilities: Record<string, boolean> }[]
    ).find((c) => c.id === draft.id);
    expect(inList?.abilities).toMatchObject({ edit: false, send: false, cancel: true });
    const cancelled = await api(malin, 'POST', `/campaigns/${draft.id}/cancel`);
    expect(abilitiesIn(cancelled.json)).toMatchObject({
      edit: false,
      send: false,
      cancel: false,
      seeFigures: true,
    });
    await settle();
  });
});
