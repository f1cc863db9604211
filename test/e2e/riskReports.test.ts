/**
 * Reports of risks, deficiencies and incidents over real HTTP through the local channel and the tab API:
 * an employee reports a deficiency in chat; his manager and her deputy get the card; a colleague, another
 * unit's manager and a forged card action see or change nothing; the manager acknowledges, decides a
 * follow-up (the review's follow-ups, source "report") and closes with a lesson; the reporter hears each
 * step. A personal-data incident reaches the data protection officer with the 72-hour clock, reminded
 * under a controlled clock. Overdue handling reminds the manager, then goes one level up the line.
 * A personal identity number is refused, and so is bad input, with nothing stored. The year's figures.
 *
 * With REPORT_TRANSCRIPT=<file>, the journey's transcript (who got which card when) is written there.
 */
import type { FollowUp } from '../../bot/features/review/followups/model';
import { person, type Running, startApp, testClock } from '../support/app';
import { validateCard } from '../support/cards';
import type { ChannelUser } from '../support/channel';
import { readDocx, tableUnder } from '../support/docx';
import { Transcript, tabApi, textOf, verbsOf } from '../support/reports';
import { answer, openCycleForm } from '../support/review';

jest.setTimeout(300_000);

const ahmed = person('Ahmed Hassan'); // employee, Akutmottagningen: reports
const james = person('James Whitfield'); // his colleague (en-US): must see nothing
const lena = person('Lena Bergqvist'); // manager, Akutmottagningen: handles
const hanna = person('Hanna Berg'); // Lena's deputy this week
const johanna = person('Johanna Persson'); // owner of the follow-up
const mikael = person('Mikael Strand'); // another unit's manager (Medicinkliniken)
const priya = person('Priya Raman'); // employee, Medicinkliniken (en-US): a personal-data incident
const jonas = person('Jonas Ekström'); // data protection officer
const malin = person('Malin Forsberg'); // security chief
const per = person('Per Åkesson'); // head of administration: the line above Lena
const erik = person('Erik Nordlund'); // security officer
const everyone = [ahmed, james, lena, hanna, johanna, mikael, priya, jonas, malin, per, erik];

const deficiencyForm = {
  kind: 'deficiency',
  title: 'Dörren till läkemedelsrummet går inte i lås',
  description:
    'Låset fastnar och dörren står på glänt. Jag har satt upp en lapp och sagt till i receptionen.',
  where: 'Akutmottagningen, korridor B',
  occurredDate: '2026-11-23',
  occurredTime: '07:30',
  area: 'as',
  severity: 'medium',
};

describe('a report from chat to closed, and a personal-data incident from the tab', () => {
  let running: Running;
  let api: ReturnType<typeof tabApi>;
  const tokenFor = async (user: ChannelUser) => {
    const issued = await fetch(`http://127.0.0.1:${running.port}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personId: user.aadObjectId }),
    });
    return ((await issued.json()) as { token: string }).token;
  };
  const clock = testClock('2026-11-23T08:00:00.000Z');
  const log = new Transcript(() => running.channel, clock, everyone);
  let reportId = '';
  let afterInstall = 0;

  beforeAll(async () => {
    running = await startApp({}, { clock });
    for (const user of everyone) await running.channel.installBot(user);
    afterInstall = running.channel.mark();
    api = tabApi(running);
    log.skip();
  });
  afterAll(async () => {
    log.write(process.env.REPORT_TRANSCRIPT);
    await running?.close();
  });

  const idle = async () => {
    await running.app.sender.idle();
    log.flush();
  };
  const lastCardOf = (user: ChannelUser) =>
    running.channel.lastCard(running.channel.conversationFor(user).id);
  /** The cards the bot created in a person's chat since the app was installed (sends, not updates). */
  const sentTo = (user: ChannelUser) =>
    running.channel
      .events()
      .slice(afterInstall)
      .filter(
        (e) =>
          (e.kind === 'send' || e.kind === 'create' || e.kind === 'reply') &&
          e.conversationId === running.channel.conversationFor(user).id,
      );
  const reportCount = async () => (await running.app.store.reports.list()).length;
  const seenOf = async (id: string) => (await running.app.store.reports.get(id))?.value.updatedAt ?? '';

  test('the employee writes "rapportera" and gets a short form that warns what never to write and says to call 112', async () => {
    log.act(lena, 'names Hanna Berg her deputy 2026-11-23 – 2026-11-30');
    const named = await running.channel.execute(lena, 'review.deputy', {
      deputyId: hanna.aadObjectId,
      from: '2026-11-23',
      to: '2026-11-30',
    });
    expect(textOf(answer(named))).toContain('Hanna Berg');

    log.act(ahmed, 'writes "rapportera"');
    await running.channel.say(ahmed, 'rapportera');
    const form = lastCardOf(ahmed);
    expect(validateCard(form)).toEqual([]);
    expect(textOf(form)).toContain('Ring 112 först');
    expect(textOf(form)).toContain('säkerhetsskyddsklassificerade uppgifter');
    expect(textOf(form)).toContain('personnummer');
    expect(textOf(form)).toContain('Allmän säkerhet och brandskydd');
    expect(verbsOf(form)).toEqual(['reports.create']);
    // the help card offers it too
    log.act(ahmed, 'writes "hjälp"');
    await running.channel.say(ahmed, 'hjälp');
    expect(verbsOf(lastCardOf(ahmed))).toContain('reports.form');
  });

  test('a personal identity number in the text is refused with a request to remove it, and nothing is stored', async () => {
    for (const number of ['811218-9876', '19811218-9876', '8112189876', '701063-2391']) {
      const refused = answer(
        await running.channel.execute(ahmed, 'reports.create', {
          ...deficiencyForm,
          description: `Patienten ${number} fick fel nyckel.`,
        }),
      );
      expect(validateCard(refused)).toEqual([]);
      expect(textOf(refused)).toContain('verkar innehålla ett personnummer');
      expect(textOf(refused)).toContain('Patienten'); // the person's own words are kept on the form
    }
    const viaApi = await api(ahmed, 'POST', '/reports', {
      kind: 'incident',
      title: 'Fel journal',
      description: 'Journalen för 811218-9876 skrevs ut på fel skrivare.',
      where: '',
      occurredAt: '2026-11-23T07:00:00Z',
      area: 'is',
      severity: 'low',
    });
    expect(viaApi.status).toBe(400);
    expect(viaApi.body.error?.message).toContain('personnummer');
    expect(await reportCount()).toBe(0);
    expect(sentTo(lena)).toHaveLength(0);
  });

  test('the employee sends the deficiency: his manager and her deputy get the card, he is told where it went', async () => {
    log.act(ahmed, 'reports a deficiency: "Dörren till läkemedelsrummet går inte i lås"');
    const sent = answer(await running.channel.execute(ahmed, 'reports.create', deficiencyForm));
    expect(validateCard(sent)).toEqual([]);
    expect(textOf(sent)).toContain('Din rapport har gått till Lena Bergqvist');
    const [stored] = await running.app.store.reports.list();
    reportId = stored?.value.id ?? '';
    expect(stored?.value).toMatchObject({
      kind: 'deficiency',
      reporterId: ahmed.aadObjectId,
      managerId: lena.aadObjectId,
      unitId: 'u-akutmottagningen',
      state: 'reported',
      occurredAt: '2026-11-23T06:30:00.000Z', // 07:30 Stockholm time
    });
    await idle();
    for (const handler of [lena, hanna]) {
      const card = lastCardOf(handler);
      expect(validateCard(card)).toEqual([]);
      expect(textOf(card)).toContain('Brist: Dörren till läkemedelsrummet går inte i lås');
      expect(textOf(card)).toContain('Ahmed Hassan har rapporterat det här till dig');
      expect(verbsOf(card)).toEqual(['reports.acknowledge', 'reports.decide', 'reports.forward']);
    }
    // a deficiency is the manager's: the security function and others get nothing in chat
    for (const other of [malin, jonas, mikael, james, per, erik]) expect(sentTo(other)).toHaveLength(0);
  });

  test('a colleague and another unit’s manager cannot see it anywhere, and a forged card action changes nothing', async () => {
    for (const outsider of [james, mikael]) {
      expect((await api(outsider, 'GET', `/reports/${reportId}`)).status).toBe(404);
      const listed = await api(outsider, 'GET', '/reports');
      expect(listed.status).toBe(200);
      expect(textOf(listed.body)).not.toContain(reportId);
      const viewed = await running.channel.execute(outsider, 'reports.view', { reportId });
      expect(typeof answer(viewed)).toBe('string');
      expect(textOf(answer(viewed))).not.toContain('läkemedelsrummet');
      // a forged action with the card's own data (the right id, the right version)
      for (const verb of ['reports.acknowledge', 'reports.close']) {
        const forged = await running.channel.execute(outsider, verb, {
          reportId,
          seen: await seenOf(reportId),
          cause: 'x',
          lessons: 'y',
        });
        expect(typeof answer(forged)).toBe('string');
      }
      const decided = await api(outsider, 'POST', `/reports/${reportId}/decide`, {
        decision: 'noAction',
        reason: 'Inget att göra',
      });
      expect(decided.status).toBe(404);
    }
    expect((await running.app.store.reports.get(reportId))?.value.state).toBe('reported');
    expect((await running.app.store.reports.get(reportId))?.value.history).toHaveLength(1);
    // the reporter himself sees it, with no handling abilities
    const own = await api(ahmed, 'GET', `/reports/${reportId}`);
    expect(own.status).toBe(200);
    expect(own.body.abilities).toMatchObject({ view: true, acknowledge: false, decide: false, close: false });
  });

  test('the manager acknowledges, decides a follow-up and closes with a lesson; the reporter hears each step', async () => {
    log.act(lena, 'acknowledges the report');
    const acknowledged = answer(
      await running.channel.execute(lena, 'reports.acknowledge', { reportId, seen: await seenOf(reportId) }),
    );
    expect(textOf(acknowledged)).toContain('Hanteras');
    await idle();
    expect(textOf(lastCardOf(ahmed))).toContain('Lena Bergqvist har tagit emot din rapport');
    // the deputy's copy of the card no longer offers what is done
    expect(verbsOf(lastCardOf(hanna))).toEqual(['reports.decide', 'reports.forward']);

    // a second click on the old card: the current card, no second step
    const again = await running.channel.execute(lena, 'reports.acknowledge', { reportId, seen: 'old' });
    expect(textOf(answer(again))).toContain('Hanteras');
    expect((await running.app.store.reports.get(reportId))?.value.history).toHaveLength(2);

    log.act(
      lena,
      'decides a follow-up: "Byt låscylinder och kontrollera övriga dörrar", Johanna Persson, 2026-12-15',
    );
    const decided = answer(
      await running.channel.execute(lena, 'reports.decide', {
        reportId,
        seen: await seenOf(reportId),
        decision: 'followUp',
        what: 'Byt låscylinder och kontrollera övriga dörrar',
        ownerId: johanna.aadObjectId,
        due: '2026-12-15',
        reason: '',
      }),
    );
    expect(validateCard(decided)).toEqual([]);
    expect(verbsOf(decided)).toEqual(['reports.close']);
    await idle();
    const followUp = (await running.app.store.followUps.get(`report:${reportId}`))?.value as FollowUp;
    expect(followUp).toMatchObject({
      sourceType: 'report',
      sourceId: reportId,
      ownerId: johanna.aadObjectId,
      managerId: lena.aadObjectId,
      due: '2026-12-15',
      status: 'open',
    });
    const ownerCard = lastCardOf(johanna);
    expect(textOf(ownerCard)).toContain('Åtgärd efter en rapport');
    expect(textOf(ownerCard)).toContain('Byt låscylinder');
    expect(verbsOf(ownerCard)).toContain('followup.update');
    expect(textOf(lastCardOf(ahmed))).toContain('Lena Bergqvist har beslutat om din rapport');

    log.act(hanna, 'closes it for Lena: cause and lessons learned');
    const closed = answer(
      await running.channel.execute(hanna, 'reports.close', {
        reportId,
        seen: await seenOf(reportId),
        cause: 'Låscylindern var sliten och ingen hade felanmält den.',
        lessons: 'Dörrar till läkemedelsrum kontrolleras vid varje skyddsrond.',
      }),
    );
    expect(textOf(closed)).toContain('Avslutad');
    await idle();
    const report = (await running.app.store.reports.get(reportId))?.value;
    expect(report?.state).toBe('closed');
    expect(report?.history.at(-1)).toMatchObject({
      actorId: hanna.aadObjectId,
      onBehalfOf: lena.aadObjectId,
      action: 'closed',
    });
    expect(textOf(lastCardOf(ahmed))).toContain('Hanna Berg har avslutat din rapport');
    expect(textOf(lastCardOf(ahmed))).toContain('Dörrar till läkemedelsrum kontrolleras');
    // the reporter got one card for the report and one per step: acknowledged, decided, closed (after the form and help)
    const updates = sentTo(ahmed).filter((e) => textOf(e.activity).includes('din rapport'));
    expect(updates).toHaveLength(3);
    // the audit trail has every step
    const trail = await running.app.store.auditEvents.find({ recordType: 'report', recordId: reportId });
    expect(trail.map((e) => e.action)).toEqual(['reported', 'acknowledged', 'decided', 'closed']);
    // nothing more to do on a closed report
    const late = await api(lena, 'POST', `/reports/${reportId}/close`, { cause: 'a', lessons: 'b' });
    expect(late.status).toBe(409);
  });

  test('a personal-data incident from the tab reaches the DPO at once with the 72-hour clock, and its reminder fires', async () => {
    log.act(priya, 'reports a personal data incident from the tab');
    const created = await api(priya, 'POST', '/reports', {
      kind: 'personalDataIncident',
      title: 'Discharge letter e-mailed to the wrong patient',
      description: 'A discharge letter went to a patient with the same surname. The recipient called us.',
      where: 'Medicinkliniken',
      occurredAt: '2026-11-23T07:15:00+01:00',
      area: 'is',
      severity: 'high',
    });
    expect(created.status).toBe(201);
    expect(typeof created.body.id).toBe('string');
    expect(created.body).toMatchObject({
      kind: 'personalDataIncident',
      managerId: mikael.aadObjectId,
      state: 'reported',
    });
    expect(created.body.abilities).toMatchObject({ view: true, decide: false });
    const id = created.body.id as string;
    await idle();
    const dpoCard = lastCardOf(jonas);
    expect(validateCard(dpoCard)).toEqual([]);
    expect(textOf(dpoCard)).toContain('inom 72 timmar');
    expect(textOf(dpoCard)).toContain('2026-11-26 09:00'); // 72 hours from 09:00 Stockholm time
    expect(verbsOf(dpoCard)).toContain('reports.assessPersonalData');
    expect(textOf(lastCardOf(mikael))).toContain('Personuppgiftsincident');
    // Lena (another unit) does not see it; the DPO does
    expect((await api(lena, 'GET', `/reports/${id}`)).status).toBe(404);
    expect((await api(jonas, 'GET', `/reports/${id}`)).status).toBe(200);

    clock.advance(47 * 3_600_000);
    log.act('Värn', 'the clock has moved 47 hours: no reminder yet');
    await running.app.scheduler.runDue();
    await idle();
    const before = sentTo(jonas).length;
    clock.advance(3_600_000);
    log.act('Värn', '48 hours: the reminder is due');
    await running.app.scheduler.runDue();
    await idle();
    expect(sentTo(jonas)).toHaveLength(before + 1);
    expect(textOf(lastCardOf(jonas))).toContain(
      '72-timmarsfristen för personuppgiftsincidenten går ut 2026-11-26 09:00',
    );

    log.act(jonas, 'records: notified to IMY');
    const assessed = await api(jonas, 'POST', `/reports/${id}/personal-data-assessment`, {
      outcome: 'notified',
      comment: 'Anmäld till IMY.',
    });
    expect(assessed.status).toBe(200);
    expect(assessed.body.dpo).toMatchObject({ outcome: 'notified', by: jonas.aadObjectId });
    expect(
      (await api(mikael, 'POST', `/reports/${id}/personal-data-assessment`, { outcome: 'notified' })).status,
    ).toBe(409);
  });

  test('unhandled: the manager is reminded when handling is due, then the line above is told', async () => {
    clock.set('2026-11-26T08:00:00.000Z');
    log.act(ahmed, 'reports a risk that nobody handles');
    const created = await api(ahmed, 'POST', '/reports', {
      kind: 'risk',
      title: 'Reservkraften är inte provkörd i år',
      description: 'Enligt loggboken har reservaggregatet inte provkörts sedan januari.',
      where: '',
      occurredAt: '2026-11-26T07:00:00Z',
      area: 'kb',
      severity: 'high',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await idle();
    expect((await api(per, 'GET', `/reports/${id}`)).status).toBe(404);
    const lenaBefore = sentTo(lena).length;
    clock.advance(7 * 86_400_000);
    log.act('Värn', 'seven days later: handling is due');
    await running.app.scheduler.runDue();
    await idle();
    expect(sentTo(lena).length).toBeGreaterThan(lenaBefore);
    expect(textOf(lastCardOf(lena))).toContain('väntar på beslut');
    expect(sentTo(per)).toHaveLength(0);
    clock.advance(7 * 86_400_000);
    log.act('Värn', 'seven more days: still undecided');
    await running.app.scheduler.runDue();
    await idle();
    // (the personal-data incident Mikael never decided on goes up to Per as well)
    const toPer = sentTo(per).map((e) => textOf(e.activity));
    expect(toPer.filter((card) => card.includes('Reservkraften'))).toHaveLength(1);
    expect(toPer.every((card) => card.includes('väntar på beslut'))).toBe(true);
    // told about it, the line above may now see it
    expect((await api(per, 'GET', `/reports/${id}`)).status).toBe(200);
  });

  test('bad input: a clear message in the caller’s language, and nothing stored', async () => {
    const good = {
      kind: 'risk',
      title: 'Trasig belysning på parkeringen',
      description: 'Två lyktstolpar är släckta.',
      where: 'Parkeringen',
      occurredAt: '2026-12-01T18:00:00Z',
      area: 'as',
      severity: 'low',
    };
    const count = await reportCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, kind: undefined }, 'Välj vilken typ av rapport det är'],
      [{ ...good, kind: 'rumour' }, 'Välj vilken typ av rapport det är'],
      [{ ...good, occurredAt: '2027-06-01T10:00:00Z' }, 'Tidpunkten ligger i framtiden'],
      [{ ...good, occurredAt: 'igår' }, 'Ange när det hände'],
      [{ ...good, area: 'xx' }, 'Välj ett av policyns säkerhetsområden'],
      [{ ...good, description: 'a'.repeat(4001) }, 'högst 4000 tecken'],
      [{ ...good, title: '' }, 'Skriv en rubrik'],
      [{ ...good, severity: 'extreme' }, 'låg, medel eller hög'],
    ];
    for (const [body, message] of cases) {
      const refused = await api(ahmed, 'POST', '/reports', body);
      expect(refused.status).toBe(400);
      expect(refused.body.error?.message).toContain(message);
    }
    const english = await api(james, 'POST', '/reports', { ...good, area: 'xx' });
    expect(english.body.error?.message).toBe("Choose one of the policy's security areas.");
    expect((await api(ahmed, 'POST', '/reports', [1, 2])).status).toBe(400);
    // the same from the card: the form again, with the problem named
    const future = answer(
      await running.channel.execute(ahmed, 'reports.create', {
        ...deficiencyForm,
        occurredDate: '2027-01-10',
      }),
    );
    expect(textOf(future)).toContain('Tidpunkten ligger i framtiden');
    expect(await reportCount()).toBe(count);
  });

  test('the year’s figures: the chief sees the whole organisation, a manager his units, an employee nothing', async () => {
    const chief = await api(malin, 'GET', '/reports/figures?year=2026');
    expect(chief.status).toBe(200);
    expect(chief.body).toMatchObject({
      year: 2026,
      total: 3,
      closed: 1,
      byKind: { deficiency: 1, personalDataIncident: 1, risk: 1, incident: 0 },
      bySeverity: { low: 0, medium: 1, high: 2 },
    });
    expect(chief.body.significant).toEqual([
      expect.objectContaining({
        title: 'Dörren till läkemedelsrummet går inte i lås',
        lessons: expect.stringContaining('skyddsrond'),
      }),
    ]);
    const perView = await api(per, 'GET', '/reports/figures?year=2026');
    expect(perView.body).toMatchObject({ total: 3 });
    const lenaView = await api(lena, 'GET', '/reports/figures?year=2026');
    expect(lenaView.body).toMatchObject({ total: 2, byKind: { personalDataIncident: 0 } });
    expect((await api(james, 'GET', '/reports/figures?year=2026')).status).toBe(403);
    // the security function lists every report; the DPO only the personal-data incident (and nothing else)
    expect(((await api(malin, 'GET', '/reports')).body as unknown as unknown[]).length).toBe(3);
    const dpoList = (await api(jonas, 'GET', '/reports')).body as unknown as { kind: string }[];
    expect(dpoList.map((r) => r.kind)).toEqual(['personalDataIncident']);
  });

  test('the security function exports one report with its full history, as JSON and as a document to review for secrecy', async () => {
    const json = await api(malin, 'GET', `/records/report/${reportId}/export`);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      type: 'report',
      id: reportId,
      record: { title: deficiencyForm.title },
    });
    expect(
      (json.body.history as { action: string; actorName: string }[]).map(
        (h) => `${h.actorName}: ${h.action}`,
      ),
    ).toEqual([
      'Ahmed Hassan: reported',
      'Lena Bergqvist: acknowledged',
      'Lena Bergqvist: decided',
      'Hanna Berg: closed',
    ]);
    expect(json.body.related).toEqual([
      expect.objectContaining({ type: 'followUp', id: `report:${reportId}` }),
    ]);
    const docx = await fetch(
      `http://127.0.0.1:${running.port}/api/records/report/${reportId}/export?format=docx`,
      {
        headers: { authorization: `Bearer ${await tokenFor(malin)}` },
      },
    );
    expect(docx.status).toBe(200);
    const doc = await readDocx(new Uint8Array(await docx.arrayBuffer()));
    expect(doc.text).toContain('sekretessprövas');
    expect(doc.text).toContain('Hanna Berg');
    // nobody else may export, not even the reporter or the manager
    for (const other of [ahmed, lena, james])
      expect((await api(other, 'GET', `/records/report/${reportId}/export`)).status).toBe(403);
    expect((await api(malin, 'GET', '/records/report/missing/export')).status).toBe(404);
    expect((await api(malin, 'GET', `/records/campaignX/${reportId}/export`)).status).toBe(404);
  });

  test('closing the yearly review writes the year’s reports into the säkerhetsbokslut', async () => {
    log.act(malin, 'opens the yearly review 2026 and closes it into the säkerhetsbokslut');
    await running.channel.say(malin, 'öppna uppföljning');
    answer(await running.channel.execute(malin, 'review.openCycle', openCycleForm()));
    await idle();
    // the chat's close asks first; this is the confirmation's button
    const closed = answer(
      await running.channel.execute(malin, 'review.close', { cycleId: 'cycle-2026', confirm: 'true' }),
    );
    const link = (textOf(closed).match(/http:\/\/[^ "()]+\.docx(\?[^ "()\]]*)?/g) ?? [])[0] as string;

    // the link in the card is signed for the chief (files need a right to read them)
    const { pathname, search } = new URL(link);
    const file = await fetch(`http://127.0.0.1:${running.port}${pathname}${search}`);
    const doc = await readDocx(new Uint8Array(await file.arrayBuffer()));
    expect(doc.headings).toContain('Rapporterade risker, brister och incidenter');
    expect(doc.text).toContain('3 rapporter under året, varav 1 avslutade.');
    const byKind = tableUnder(doc, 'Per typ');
    expect(byKind).toContainEqual(['Brist', '1']);
    expect(byKind).toContainEqual(['Personuppgiftsincident', '1']);
    expect(byKind).toContainEqual(['Risk', '1']);
    expect(tableUnder(doc, 'Per enhet')).toContainEqual(['Akutmottagningen Norrviken', '2', '1']);
    const lessons = tableUnder(doc, 'Årets viktigaste händelser och lärdomar');
    expect(textOf(lessons)).toContain('Dörrar till läkemedelsrum kontrolleras vid varje skyddsrond.');
  });

  test('a threat goes to the security chief directly with only what is needed in chat; handed to the security function, an officer decides', async () => {
    log.act(ahmed, 'reports a threat');
    const sent = answer(
      await running.channel.execute(ahmed, 'reports.create', {
        ...deficiencyForm,
        kind: 'threatOrViolence',
        title: 'Anhörig hotade personal',
        description: 'En anhörig hotade en sjuksköterska i väntrummet och sa att han skulle vänta vid bilen.',
        area: 'ps',
        severity: 'high',
      }),
    );
    expect(textOf(sent)).toContain('och säkerhetschefen');
    await idle();
    const id = (await running.app.store.reports.find({ reporterId: ahmed.aadObjectId }))
      .map((s) => s.value)
      .find((r) => r.kind === 'threatOrViolence')?.id as string;
    for (const recipient of [malin, lena]) {
      const card = lastCardOf(recipient);
      expect(validateCard(card)).toEqual([]);
      expect(textOf(card)).toContain('Hot eller våld – rapport');
      expect(textOf(card)).not.toContain('väntrummet');
      expect(verbsOf(card)).toContain('reports.view');
    }
    const details = answer(
      await running.channel.execute(malin, 'reports.view', { reportId: id, details: true }),
    );
    expect(textOf(details)).toContain('väntrummet');

    log.act(lena, 'hands it to the security function');
    await running.channel.execute(lena, 'reports.forward', { reportId: id, seen: await seenOf(id) });
    await idle();
    expect(verbsOf(lastCardOf(erik))).toEqual(['reports.decide', 'reports.view']);
    expect(textOf(lastCardOf(ahmed))).toContain('har lämnat din rapport till säkerhetsfunktionen');
    log.act(erik, 'decides: no further action, a police report has been made');
    const decided = await api(erik, 'POST', `/reports/${id}/decide`, {
      decision: 'noAction',
      reason: 'Polisanmälan gjord; skyddsåtgärder enligt rutinen för hot och våld.',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.abilities).toMatchObject({ close: true, decide: false });
    expect((await api(james, 'GET', `/reports/${id}`)).status).toBe(404);
  });
});
