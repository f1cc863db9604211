/**
 * The yearly review over real HTTP through the local channel: the chief opens a cycle for three
 * units, managers fill in and submit, the head of administration returns one and approves the
 * other, the manager resubmits, a deputy acts, everything is signed off, the cycle closes into the
 * säkerhetsbokslut. Refusals, stale cards, double clicks, bad input; reminders and escalations
 * under a controlled clock, across restarts.
 *
 * With REVIEW_TRANSCRIPT=<file>, the journey's transcript (who got which card when) is written there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { UnitReview } from '../../bot/features/review/model';
import { person, type Running, sample, startApp, type TestClock, testClock } from '../support/app';
import { validateCard } from '../support/cards';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type Channel,
  type ChannelActivity,
  type ChannelUser,
  startChannel,
} from '../support/channel';
import { parseCsv } from '../support/csv';
import { readDocx, rowOf, tableUnder } from '../support/docx';
import { type AreaValues, answer, fillReview, openCycleForm, pressOnReview } from '../support/review';

jest.setTimeout(300_000); // each start imports the documents; a shared machine makes that slow

const malin = person('Malin Forsberg'); // security chief
const per = person('Per Åkesson'); // head of administration, Hälso- och sjukvårdsförvaltningen
const hanna = person('Hanna Berg'); // Per's deputy
const lena = person('Lena Bergqvist'); // manager, Akutmottagningen
const mikael = person('Mikael Strand'); // manager, Medicinkliniken
const annaKarin = person('Anna-Karin Wikström'); // manager, Vårdcentralen Björkhamn
const johanna = person('Johanna Persson'); // nurse at Akutmottagningen, owner of a follow-up
const annika = person('Annika Holmberg'); // regional director
const everyone = [malin, per, hanna, lena, mikael, annaKarin, johanna, annika];

const AKUT = 'cycle-2026:u-akutmottagningen';
const MEDICIN = 'cycle-2026:u-medicinkliniken';
const BJORKHAMN = 'cycle-2026:u-vc-bjorkhamn';

const cardOf = (activity: ChannelActivity) =>
  activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content as
    | Record<string, unknown>
    | undefined;
const textOf = (value: unknown) => JSON.stringify(value);
const actionsOf = (card: unknown): { verb?: string; title?: string; data?: Record<string, unknown> }[] => {
  const found: { verb?: string; title?: string; data?: Record<string, unknown> }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute') found.push(o as never);
      for (const [k, v] of Object.entries(o)) if (k !== 'fallback' && k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return found;
};

/** A readable log of the journey: who did what, and who got (or saw updated) which card, at the clock's time. */
class Transcript {
  readonly lines: string[] = [];
  private cursor = 0;
  constructor(
    private readonly channel: () => Channel,
    private readonly clock: TestClock,
  ) {}
  private who(conversationId: string) {
    return (
      everyone.find((u) => this.channel().conversationFor(u).id === conversationId)?.name ?? conversationId
    );
  }
  private time() {
    return new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Stockholm',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(this.clock());
  }
  /** Starts after the set-up (the welcome cards of installing the app). */
  skip() {
    this.cursor = this.channel().events().length;
  }
  /** The time of the last action: what the bot sends in answer belongs to it. */
  private at = '';
  act(user: ChannelUser, what: string) {
    this.flush();
    this.at = this.time();
    this.lines.push(`${this.at}  ${user.name}: ${what}`);
  }
  flush() {
    const events = this.channel().events().slice(this.cursor);
    this.cursor += events.length;
    for (const e of events) {
      if (e.kind === 'delete') continue;
      const card = cardOf(e.activity) as { body?: { text?: string; color?: string }[] } | undefined;
      const title = card?.body?.[0]?.text ?? e.activity.text ?? '';
      const banner = card?.body?.find(
        (b) => b.color === 'Warning' || b.color === 'Attention' || b.color === 'Good',
      )?.text;
      const verb = e.kind === 'update' ? 'card updated for' : 'card sent to';
      this.lines.push(
        `${this.at}    → ${verb} ${this.who(e.conversationId)}: ${title}${banner ? ` — ${banner}` : ''}`,
      );
    }
  }
  write() {
    this.flush();
    const file = process.env.REVIEW_TRANSCRIPT;
    if (file) fs.writeFileSync(file, `${this.lines.join('\n')}\n`);
  }
}

async function stored(running: Running, id: string): Promise<UnitReview> {
  return (await running.app.store.unitReviews.get(id))?.value as UnitReview;
}

/** Fills in every area as Teams would send the area card's inputs; every area card it opens is a valid card. */
const fill = (
  running: Running,
  user: ChannelUser,
  reviewId: string,
  values: Record<string, AreaValues>,
  rest?: AreaValues,
) =>
  fillReview(running.channel, running.app.store, user, reviewId, values, rest, (card) =>
    expect(validateCard(card)).toEqual([]),
  );

const press = (
  running: Running,
  user: ChannelUser,
  verb: string,
  reviewId: string,
  extra?: Record<string, unknown>,
) => pressOnReview(running.channel, running.app.store, user, verb, reviewId, extra);

const openForm = openCycleForm;

describe('a whole cycle', () => {
  let running: Running;
  const clock = testClock('2026-11-23T08:00:00.000Z');
  const log = new Transcript(() => running.channel, clock);

  beforeAll(async () => {
    running = await startApp({}, { clock });
    for (const user of everyone) await running.channel.installBot(user);
    afterInstall = running.channel.mark();
    log.skip();
  });
  afterAll(async () => {
    log.write();
    await running?.close();
  });

  const idle = async () => {
    await running.app.sender.idle();
    log.flush();
  };
  const lastCardOf = (user: ChannelUser) =>
    running.channel.lastCard(running.channel.conversationFor(user).id);
  let afterInstall = 0;
  /** The new messages the bot posted to a person after the welcome (the sender's proactive sends, and replies). */
  const sentTo = (user: ChannelUser) =>
    running.channel
      .events()
      .slice(afterInstall)
      .filter(
        (e) =>
          e.kind !== 'update' &&
          e.kind !== 'delete' &&
          e.conversationId === running.channel.conversationFor(user).id,
      )
      .map((e) => cardOf(e.activity));

  test('the chief opens the cycle for the three units under the administration; each manager gets the review in chat', async () => {
    const { channel, app } = running;
    log.act(malin, 'skriver ”öppna uppföljning”');
    const form = await channel.say(malin, 'öppna uppföljning');
    expect(form.status).toBe(200);
    const formCard = lastCardOf(malin);
    expect(validateCard(formCard)).toEqual([]);
    expect(textOf(formCard)).toContain('Krisberedskap');
    expect(textOf(formCard)).toContain('Enheterna under Hälso- och sjukvårdsförvaltningen');

    log.act(
      malin,
      'öppnar uppföljningen 2026 för enheterna under Hälso- och sjukvårdsförvaltningen, sista dag 2026-12-15',
    );
    const opened = await channel.execute(malin, 'review.openCycle', openForm());
    expect(textOf(answer(opened))).toContain(
      'Uppföljningen 2026 är öppnad för 3 enheter med sista dag 2026-12-15',
    );
    await idle();

    for (const [manager, unit] of [
      [lena, 'Akutmottagningen Norrviken'],
      [mikael, 'Medicinkliniken, Norrvikens sjukhus'],
      [annaKarin, 'Vårdcentralen Björkhamn'],
    ] as const) {
      const card = lastCardOf(manager);
      expect(validateCard(card)).toEqual([]);
      expect(textOf(card)).toContain(`Årlig uppföljning 2026 – ${unit}`);
      expect(actionsOf(card).map((a) => a.verb)).toEqual([
        'review.area',
        'review.area',
        'review.area',
        'review.area',
        'review.area',
        'review.area',
        'review.submit',
      ]);
    }
    // the wording was adjusted, one goal dropped, one added
    const cycle = (await app.store.reviewCycles.get('cycle-2026'))?.value;
    const goals = cycle?.areas.flatMap((a) => a.goals.map((g) => g.text)) ?? [];
    expect(goals).toContain(
      'Risk- och sårbarhetsanalys och kontinuitetsplan är aktuella och övade under året.',
    );
    expect(goals).toContain('Alla medarbetare har gått den digitala brandskyddsutbildningen.');
    expect(goals).toHaveLength(12);
    expect(sentTo(per)).toEqual([]);
  });

  test('a submission with goals not yet rated is refused with the missing goals named, and nothing changes', async () => {
    log.act(mikael, 'trycker ”Skicka för godkännande” utan att ha fyllt i något');
    const refused = await press(running, mikael, 'review.submit', MEDICIN);
    const card = answer(refused);
    expect(validateCard(card)).toEqual([]);
    expect(textOf(card)).toContain('Uppföljningen kunde inte skickas');
    expect(textOf(card)).toContain('bedömning saknas');
    expect((await stored(running, MEDICIN)).state).toBe('open');
  });

  test('a gap with a half-filled follow-up, or a date in the past, is refused on the area card and nothing is saved', async () => {
    const review = await stored(running, AKUT);
    const base = { reviewId: AKUT, areaId: 'kb', round: 0, step: 0, rating_kb1: 'notMet', rating_kb2: 'met' };
    const noOwner = answer(
      await running.channel.execute(lena, 'review.save', {
        ...base,
        followUpWhat_kb1: 'Öva kontinuitetsplanen',
        followUpDue_kb1: '2027-03-31',
      }),
    );
    expect(validateCard(noOwner)).toEqual([]);
    expect(textOf(noOwner)).toContain('åtgärden behöver vad, ansvarig och datum');
    expect(textOf(noOwner)).toContain('Öva kontinuitetsplanen'); // what was typed is kept on the card
    const past = answer(
      await running.channel.execute(lena, 'review.save', {
        ...base,
        followUpWhat_kb1: 'Öva',
        followUpOwner_kb1: johanna.aadObjectId,
        followUpDue_kb1: '2026-11-01',
      }),
    );
    expect(textOf(past)).toContain('datumet för åtgärden har redan passerat');
    const after = await stored(running, AKUT);
    expect(after.assessments).toEqual(review.assessments);
    expect(after.updatedAt).toBe(review.updatedAt);
  });

  test('on the area card a cleared field stays cleared, a follow-up can be removed, and a follow-up with a reason is refused', async () => {
    const open = { reviewId: MEDICIN, areaId: 'kb', round: 0, step: 0 };
    const card = answer(await running.channel.execute(mikael, 'review.area', open));
    const saveData = actionsOf(card).find((a) => a.verb === 'review.save' && !a.data?.back)?.data ?? {};
    const ownerInput = JSON.stringify(card).match(/"id":"followUpOwner_kb1"[^\]]*\]/)?.[0] ?? '';
    expect(ownerInput).toContain('Ingen åtgärd / ta bort');
    const ownerId = [...ownerInput.matchAll(/"value":"([^"]+)"/g)].map((m) => m[1]).find((v) => v !== 'none');
    // a real client sends only the inputs that hold something, with the save button's own data
    const save = async (inputs: Record<string, string>) =>
      answer(
        await running.channel.execute(mikael, 'review.save', { ...saveData, rating_kb2: 'met', ...inputs }),
      );

    log.act(
      mikael,
      'skriver kommentar, länk och motivering på kb1 och sparar, tömmer sedan kommentar och länk',
    );
    await save({
      rating_kb1: 'partlyMet',
      comment_kb1: 'Planen övas i vår.',
      evidence_kb1: 'https://norrviken.example/plan',
      reason_kb1: 'Regionen övar planen gemensamt.',
    });
    const cleared = await save({ rating_kb1: 'partlyMet', reason_kb1: 'Regionen övar planen gemensamt.' });
    expect(textOf(cleared)).not.toContain('Planen övas i vår.');
    expect(textOf(cleared)).not.toContain('https://norrviken.example/plan');
    expect((await stored(running, MEDICIN)).assessments.kb1).toEqual({
      goalId: 'kb1',
      rating: 'partlyMet',
      reason: 'Regionen övar planen gemensamt.',
    });

    log.act(mikael, 'lägger till en åtgärd och behåller motiveringen');
    const before = await stored(running, MEDICIN);
    const followUp = {
      followUpWhat_kb1: 'Öva planen',
      followUpOwner_kb1: ownerId ?? '',
      followUpDue_kb1: '2027-03-31',
    };
    const both = await save({
      rating_kb1: 'partlyMet',
      reason_kb1: 'Regionen övar planen gemensamt.',
      ...followUp,
    });
    expect(textOf(both)).toContain(
      'välj antingen en åtgärd eller en motivering till att ingen åtgärd behövs',
    );
    expect((await stored(running, MEDICIN)).updatedAt).toBe(before.updatedAt);

    log.act(
      mikael,
      'sparar åtgärden utan motivering, väljer sedan ”Ingen åtgärd / ta bort” och skriver en motivering',
    );
    await save({ rating_kb1: 'partlyMet', ...followUp });
    expect((await stored(running, MEDICIN)).assessments.kb1?.followUp?.what).toBe('Öva planen');
    const removed = await save({
      rating_kb1: 'partlyMet',
      ...followUp,
      followUpOwner_kb1: 'none',
      reason_kb1: 'Regionen övar planen gemensamt.',
    });
    expect(textOf(removed)).not.toContain('Öva planen');
    expect((await stored(running, MEDICIN)).assessments.kb1).toEqual({
      goalId: 'kb1',
      rating: 'partlyMet',
      reason: 'Regionen övar planen gemensamt.',
    });
  });

  test('two managers submit, one with a gap and a follow-up; the head of administration and the owner get their cards', async () => {
    const { app } = running;
    clock.set('2026-11-25T09:00:00.000Z');
    log.act(
      lena,
      'fyller i alla områden; krisberedskap kb1 delvis uppfyllt, åtgärd till Johanna Persson senast 2027-03-31',
    );
    const saved = await fill(running, lena, AKUT, {
      kb1: {
        rating: 'partlyMet',
        comment: 'Planen finns men är inte övad.',
        followUpWhat: 'Öva kontinuitetsplanen vid elavbrott',
        followUpOwner: johanna.aadObjectId,
        followUpDue: '2027-03-31',
      },
      is1: { evidence: 'https://norrviken.example/klassning' },
    });
    for (const card of saved) expect(validateCard(card)).toEqual([]);
    log.act(lena, 'skickar för godkännande');
    const submitted = answer(await press(running, lena, 'review.submit', AKUT));
    expect(textOf(submitted)).toContain('Väntar på godkännande (1 av 2)');

    log.act(mikael, 'fyller i alla områden (allt uppfyllt) och skickar');
    await fill(running, mikael, MEDICIN, {});
    await press(running, mikael, 'review.submit', MEDICIN);
    await idle();

    const perCards = sentTo(per);
    expect(perCards).toHaveLength(2);
    const akutCard = perCards.find((c) => textOf(c).includes('Akutmottagningen'));
    expect(validateCard(akutCard)).toEqual([]);
    expect(textOf(akutCard)).toContain(
      'Öva kontinuitetsplanen vid elavbrott (ansvarig Johanna Persson, senast 2027-03-31)',
    );
    expect(textOf(akutCard)).toContain('Delvis uppfyllt');
    expect(actionsOf(akutCard).map((a) => a.verb)).toEqual(['review.approve', 'review.return']);

    // the owner hears of the follow-up only once the review is signed off, not before anyone approved it
    expect(textOf(sentTo(johanna))).not.toContain('har gett dig en åtgärd');
    expect(
      (await app.store.followUps.find({ ownerId: johanna.aadObjectId })).map((f) => f.value.status),
    ).toEqual(['open']);
  });

  test('a wrong user pressing approve is refused and nothing changes', async () => {
    const { app } = running;
    const before = await app.store.auditEvents.find({ recordId: AKUT });
    log.act(mikael, 'trycker ”Godkänn” på Akutmottagningens uppföljning (han har ingen roll i den)');
    const refused = await press(running, mikael, 'review.approve', AKUT);
    expect(answer(refused)).toBe('Du har inte behörighet att göra detta.');
    const refusedToo = await press(running, johanna, 'review.approve', AKUT);
    expect(answer(refusedToo)).toBe('Du har inte behörighet att göra detta.');
    expect((await stored(running, AKUT)).state).toBe('submitted');
    expect(await app.store.auditEvents.find({ recordId: AKUT })).toHaveLength(before.length);
  });

  test('the head of administration returns one with a comment (a comment is required) and approves the other with a double click', async () => {
    const { channel, app } = running;
    clock.set('2026-11-26T10:00:00.000Z');
    const noComment = await press(running, per, 'review.return', MEDICIN, { comment: '  ' });
    expect(answer(noComment)).toContain('Skriv en kommentar');
    expect((await stored(running, MEDICIN)).state).toBe('submitted');

    const mark = channel.mark();
    log.act(per, 'skickar tillbaka Medicinklinikens uppföljning: ”Beskriv hur kontinuitetsplanen övats.”');
    const returned = answer(
      await press(running, per, 'review.return', MEDICIN, {
        comment: 'Beskriv hur kontinuitetsplanen övats.',
      }),
    );
    expect(textOf(returned)).toContain('Återsänd för komplettering');
    await idle();
    // Mikael's earlier card is updated for him, and he gets a card saying why
    const mikaelConversation = channel.conversationFor(mikael).id;
    await channel.waitFor((a, e) => e.kind === 'update' && a.conversation?.id === mikaelConversation, {
      since: mark,
    });
    const toMikael = lastCardOf(mikael);
    expect(validateCard(toMikael)).toEqual([]);
    expect(textOf(toMikael)).toContain(
      'Återsänd av Per Åkesson – komplettera och skicka igen. Kommentar: ”Beskriv hur kontinuitetsplanen övats.”',
    );
    expect(actionsOf(toMikael).map((a) => a.verb)).toContain('review.submit');

    log.act(per, 'godkänner Akutmottagningens uppföljning (dubbelklick)');
    const seen = { reviewId: AKUT, round: 1, step: 0 };
    const [first, second] = await Promise.all([
      channel.execute(per, 'review.approve', seen),
      channel.execute(per, 'review.approve', seen),
    ]);
    for (const r of [first, second]) expect(textOf(answer(r))).toContain('Väntar på godkännande (2 av 2)');
    const approvals = (await app.store.auditEvents.find({ recordId: AKUT })).filter(
      (e) => e.action === 'approve',
    );
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({
      actorId: per.aadObjectId,
      fromState: 'submitted:0',
      toState: 'submitted:1',
    });
    await idle();
    expect(
      channel
        .activities(channel.conversationFor(malin).id)
        .filter((a) => textOf(cardOf(a)).includes('Akutmottagningen')),
    ).toHaveLength(1);
  });

  test('a stale card shows the current state, not a second transition', async () => {
    const { app } = running;
    const before = await app.store.auditEvents.find({ recordId: AKUT });
    log.act(per, 'trycker ”Skicka tillbaka” på sitt gamla kort för Akutmottagningen');
    const stale = answer(
      await running.channel.execute(per, 'review.return', {
        reviewId: AKUT,
        round: 1,
        step: 0,
        comment: 'För sent',
      }),
    );
    expect(validateCard(stale)).toEqual([]);
    expect(textOf(stale)).toContain('Väntar på godkännande (2 av 2)');
    expect(actionsOf(stale)).toEqual([]);
    expect(await app.store.auditEvents.find({ recordId: AKUT })).toHaveLength(before.length);
    // a refresh shows each viewer the current state with only the buttons they may use
    expect(
      actionsOf(answer(await running.channel.execute(malin, 'review.view', { reviewId: AKUT }))).map(
        (a) => a.verb,
      ),
    ).toEqual(['review.approve', 'review.return']);
    expect(actionsOf(answer(await running.channel.execute(lena, 'review.view', { reviewId: AKUT })))).toEqual(
      [],
    );
  });

  test('the manager resubmits; a deputy approves for the head of administration; the security chief signs everything off', async () => {
    const { channel, app } = running;
    clock.set('2026-11-30T08:30:00.000Z');
    log.act(mikael, 'kompletterar krisberedskap och skickar igen');
    const review = await stored(running, MEDICIN);
    await channel.execute(mikael, 'review.save', {
      reviewId: MEDICIN,
      areaId: 'kb',
      round: review.round,
      step: 0,
      rating_kb1: 'met',
      comment_kb1: 'Övad 2026-10-14 med hela kliniken.',
      rating_kb2: 'met',
    });
    await press(running, mikael, 'review.submit', MEDICIN);

    log.act(per, 'utser Hanna Berg till ersättare 2026-11-30 – 2026-12-10');
    const named = answer(
      await channel.execute(per, 'review.deputy', {
        deputyId: hanna.aadObjectId,
        from: '2026-11-30',
        to: '2026-12-10',
      }),
    );
    expect(validateCard(named)).toEqual([]);
    expect(textOf(named)).toContain('Hanna Berg är nu din ersättare');

    log.act(
      annaKarin,
      'fyller i och skickar Vårdcentralen Björkhamns uppföljning; informationssäkerhet is2 ej uppfyllt med motivering',
    );
    await fill(running, annaKarin, BJORKHAMN, {
      is2: { rating: 'notMet', reason: 'Journalsystemet byts 2027; åtgärden ligger i det projektet.' },
    });
    await press(running, annaKarin, 'review.submit', BJORKHAMN);
    await idle();
    // the deputy got the approver card too
    expect(textOf(lastCardOf(hanna))).toContain('Vårdcentralen Björkhamn');

    log.act(hanna, 'godkänner Vårdcentralen Björkhamn som ersättare för Per Åkesson');
    await press(running, hanna, 'review.approve', BJORKHAMN);
    log.act(per, 'godkänner Medicinklinikens nya inlämning');
    await press(running, per, 'review.approve', MEDICIN);
    await idle();
    const deputyStep = (await app.store.auditEvents.find({ recordId: BJORKHAMN })).find(
      (e) => e.action === 'approve',
    );
    expect(deputyStep).toMatchObject({ actorId: hanna.aadObjectId, onBehalfOf: per.aadObjectId });

    clock.set('2026-12-01T13:00:00.000Z');
    for (const id of [AKUT, MEDICIN, BJORKHAMN]) {
      log.act(malin, `godkänner ${(await stored(running, id)).unitName}`);
      const signed = answer(await press(running, malin, 'review.approve', id));
      expect(textOf(signed)).toContain('Godkänd');
    }
    await idle();
    expect((await app.store.unitReviews.find({ cycleId: 'cycle-2026' })).map((r) => r.value.state)).toEqual([
      'signedOff',
      'signedOff',
      'signedOff',
    ]);
    // Lena's first card, in her chat, now shows it signed off
    expect(textOf(lastCardOf(lena))).toContain('Godkänd');
    // signed off: the follow-up's owner gets her card now
    const followUpCard = sentTo(johanna).find((c) =>
      textOf(c).includes('Lena Bergqvist har gett dig en åtgärd'),
    );
    expect(validateCard(followUpCard)).toEqual([]);
    const audit = (await app.store.auditEvents.find({ recordId: MEDICIN })).map(
      (e) => `${e.action} ${e.fromState}→${e.toState}`,
    );
    expect(audit.filter((a) => !a.startsWith('save'))).toEqual([
      'open undefined→open',
      'submit open→submitted:0',
      'return submitted:0→returned',
      'submit returned→submitted:0',
      'approve submitted:0→submitted:1',
      'approve submitted:1→signedOff',
    ]);
  });

  test('the follow-up owner updates the status; the manager sees it', async () => {
    const { app } = running;
    const [followUp] = await app.store.followUps.find({ ownerId: johanna.aadObjectId });
    log.act(johanna, 'sätter åtgärden till ”Pågår”: ”Övning bokad 12 februari.”');
    const updated = answer(
      await running.channel.execute(johanna, 'followup.update', {
        followUpId: followUp?.value.id,
        seen: followUp?.value.updatedAt,
        status: 'inProgress',
        comment: 'Övning bokad 12 februari.',
      }),
    );
    expect(validateCard(updated)).toEqual([]);
    expect(textOf(updated)).toContain('Pågår');
    // the same click again (a stale card) changes nothing
    await running.channel.execute(johanna, 'followup.update', {
      followUpId: followUp?.value.id,
      seen: followUp?.value.updatedAt,
      status: 'done',
    });
    expect((await app.store.followUps.get(followUp?.value.id ?? ''))?.value.status).toBe('inProgress');
    log.act(lena, 'skriver ”min uppföljning”');
    await running.channel.say(lena, 'min uppföljning');
    const mine = lastCardOf(lena);
    expect(validateCard(mine)).toEqual([]);
    expect(textOf(mine)).toContain('Öva kontinuitetsplanen vid elavbrott – Pågår');
  });

  test('the chief sees the progress, closes the cycle, and the report exists with the right figures', async () => {
    const { channel, app } = running;
    clock.set('2026-12-02T09:00:00.000Z');
    log.act(malin, 'skriver ”uppföljningsläge”');
    await channel.say(malin, 'uppföljningsläge');
    const progress = lastCardOf(malin);
    expect(validateCard(progress)).toEqual([]);
    expect(textOf(progress)).toContain('2026: 3 av 3 godkända');
    const close = actionsOf(progress).find((a) => a.verb === 'review.close');
    log.act(malin, 'stänger uppföljningen 2026');
    // the first click asks: closing cannot be undone; nothing is closed yet
    const asked = answer(await channel.execute(malin, 'review.close', close?.data));
    expect(validateCard(asked)).toEqual([]);
    expect(textOf(asked)).toContain('Stängningen går inte att ångra');
    expect(textOf(asked)).toContain('Alla 3 enheter är godkända i alla led');
    expect((await app.store.reviewCycles.get('cycle-2026'))?.value.status).toBe('open');
    const confirm = actionsOf(asked).find((a) => a.verb === 'review.close');
    expect(confirm?.title).toBe('Ja, stäng uppföljningen 2026');
    const closed = answer(await channel.execute(malin, 'review.close', confirm?.data));
    expect(validateCard(closed)).toEqual([]);
    // the links in the chief's card are signed for her (the files are served to those who may read them)
    const links =
      textOf(closed).match(/http:\/\/[^ "()]+\.(docx|csv)\?exp=\d+&for=[^ "&]+&sig=[A-Za-z0-9_-]+/g) ?? [];
    expect(links).toHaveLength(2);
    log.lines.push(
      `2026-12-02 10:00    → the chief is told: ${textOf(closed).match(/Uppföljningen 2026 är stängd[^"]*/)?.[0]}`,
    );
    // the Word report: 34 of 36 rated goals met (one partly at Akutmottagningen, one not at Björkhamn)
    const docxLink = new URL(links.find((l) => l.includes('.docx?')) as string);
    expect((await fetch(`http://127.0.0.1:${running.port}${docxLink.pathname}`)).status).toBe(403);
    const docx = await fetch(`http://127.0.0.1:${running.port}${docxLink.pathname}${docxLink.search}`);
    expect(docx.status).toBe(200);
    const doc = await readDocx(new Uint8Array(await docx.arrayBuffer()));
    expect(rowOf(tableUnder(doc, 'Sammanfattning'), 'Måluppfyllelse')[1]).toBe('94 %');
    const csvLink = new URL(links.find((l) => l.includes('.csv?')) as string);
    const csv = await fetch(`http://127.0.0.1:${running.port}${csvLink.pathname}${csvLink.search}`);
    expect(csv.status).toBe(200);
    const rows = parseCsv(
      new TextDecoder().decode(new Uint8Array(await csv.arrayBuffer())).replace(/^\ufeff/, ''),
      ';',
    );
    const [header, ...data] = rows as [string[], ...string[][]];
    const col = (name: string) => header.indexOf(name);
    expect(data).toHaveLength(3 * 12);
    const row = (unit: string, goal: string) =>
      data.find((r) => r[col('Enhet')] === unit && r[col('Målsättning')]?.startsWith(goal)) as string[];
    const gap = row('Akutmottagningen Norrviken', 'Risk- och sårbarhetsanalys');
    expect(gap[col('Bedömning')]).toBe('Delvis uppfyllt');
    expect(gap[col('Åtgärd')]).toBe('Öva kontinuitetsplanen vid elavbrott');
    expect(gap[col('Ansvarig')]).toBe('Johanna Persson');
    expect(gap[col('Åtgärdens status')]).toBe('Pågår');
    expect(row('Medicinkliniken, Norrvikens sjukhus', 'Risk- och sårbarhetsanalys')[col('Returer')]).toBe(
      '1',
    );
    expect(row('Vårdcentralen Björkhamn', 'Personuppgifter')[col('Bedömning')]).toBe('Ej uppfyllt');
    expect(new Set(data.map((r) => r[col('Uppföljningens status')]))).toEqual(new Set(['Attesterad']));
    expect((await app.store.reviewCycles.get('cycle-2026'))?.value.status).toBe('closed');
    // closed: buttons are gone, a late click changes nothing
    expect(actionsOf(answer(await channel.execute(mikael, 'review.view', { reviewId: MEDICIN })))).toEqual(
      [],
    );
  });
});

describe('bad input when opening a cycle', () => {
  let running: Running;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-review-api-'));
  beforeAll(async () => {
    running = await startApp({ VARN_DATA_DIR: dataDir }, { clock: testClock('2026-11-23T08:00:00.000Z') });
    for (const user of [malin, lena, mikael, annaKarin]) await running.channel.installBot(user);
  });
  afterAll(async () => {
    await running?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test.each([
    [{ scope: 'u-finns-inte' }, 'Enheten ”u-finns-inte” finns inte i organisationen.'],
    [{ deadline: '2026-11-01' }, 'Sista dag har redan passerat. Välj ett senare datum.'],
    [{ deadline: '15/12' }, 'Ange sista dag som ett datum (ÅÅÅÅ-MM-DD).'],
    [{ year: '1999' }, 'Ange ett år mellan 2025 och 2027.'],
  ])('%j → a clear message, nothing stored', async (overrides, message) => {
    const response = await running.channel.execute(malin, 'review.openCycle', openForm(overrides));
    expect(answer(response)).toBe(message);
    expect(await running.app.store.reviewCycles.list()).toEqual([]);
    expect(await running.app.store.unitReviews.list()).toEqual([]);
  });

  test('a manager cannot open a cycle, nor get the form', async () => {
    expect(answer(await running.channel.execute(lena, 'review.openCycle', openForm()))).toBe(
      'Du har inte behörighet att göra detta.',
    );
    const asked = await running.channel.say(lena, 'öppna uppföljning');
    expect(asked.status).toBe(200);
    const reply = running.channel.activities(running.channel.conversationFor(lena).id).at(-1);
    expect(reply?.text).toBe('Du har inte behörighet att göra detta.');
  });

  test('a cycle opened twice for the same year: a clear message, nothing changes', async () => {
    await running.channel.execute(malin, 'review.openCycle', openForm());
    await running.app.sender.idle();
    const reviews = await running.app.store.unitReviews.list();
    const sent = running.channel.events().length;
    const again = await running.channel.execute(malin, 'review.openCycle', openForm({ scope: 'all' }));
    expect(answer(again)).toBe('Det finns redan en uppföljning för 2026. Ingenting har ändrats.');
    expect(await running.app.store.unitReviews.list()).toEqual(reviews);
    await running.app.sender.idle();
    expect(running.channel.events().length).toBe(sent);
  });

  test('the tab API: open (refused twice, unknown unit), list cycles with progress, a unit review as each person may see it', async () => {
    const base = `http://127.0.0.1:${running.port}/api`;
    const token = async (user: ChannelUser) => {
      const issued = await fetch(`${base}/dev/token`, {
        method: 'POST',
        body: JSON.stringify({ personId: user.aadObjectId }),
      });
      return ((await issued.json()) as { token: string }).token;
    };
    const call = async (user: ChannelUser, route: string, body?: unknown) => {
      const response = await fetch(`${base}${route}`, {
        method: body ? 'POST' : 'GET',
        headers: {
          authorization: `Bearer ${await token(user)}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return {
        status: response.status,
        json: (await response.json()) as Record<string, unknown> & { error?: { message: string } },
      };
    };
    const twice = await call(malin, '/review/cycles', {
      year: 2026,
      deadline: '2026-12-15',
      scope: { subtree: 'u-hsf' },
    });
    expect([twice.status, twice.json.error?.message]).toEqual([
      400,
      'Det finns redan en uppföljning för 2026. Ingenting har ändrats.',
    ]);
    const unknown = await call(malin, '/review/cycles', {
      year: 2027,
      deadline: '2027-02-15',
      scope: { subtree: 'u-nope' },
    });
    expect([unknown.status, unknown.json.error?.message]).toEqual([
      400,
      'Enheten ”u-nope” finns inte i organisationen.',
    ]);
    expect((await call(lena, '/review/cycles', { year: 2027, deadline: '2027-02-15' })).status).toBe(403);

    const list = await call(malin, '/review/cycles');
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject([
      { cycle: { year: 2026, status: 'open' }, progress: { units: 3, open: 3, signedOff: 0, goals: 36 } },
    ]);
    expect((await call(lena, '/review/cycles')).status).toBe(403);

    const mine = await call(lena, `/review/reviews/${encodeURIComponent(AKUT)}`);
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({
      holderId: lena.aadObjectId,
      abilities: ['edit', 'submit'],
      review: { state: 'open', unitName: 'Akutmottagningen Norrviken' },
    });
    expect((await call(johanna, `/review/reviews/${encodeURIComponent(AKUT)}`)).status).toBe(403);
    expect((await call(per, `/review/reviews/${encodeURIComponent(AKUT)}`)).json).toMatchObject({
      abilities: [],
    });
  });
});

describe('reminders and escalation under a controlled clock, across restarts', () => {
  const fredrik = person('Fredrik Nyberg'); // IT-avdelningen
  const oskar = person('Oskar Blom'); // IT-drift och support
  const goran = person('Göran Sandström'); // Fastighet
  const thomas = person('Thomas Engström'); // head of Regionservice
  const linnea = person('Linnea Hedlund'); // IT-avdelningen, owner of a follow-up
  const people = [malin, fredrik, oskar, goran, thomas, linnea];
  const clock = testClock('2026-11-23T08:00:00.000Z');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-review-'));
  const dbFile = path.join(dir, 'varn.sqlite');
  let running: Running;
  let channel: Channel | undefined;

  const start = async () => {
    channel ??= await startChannel({
      botUrl: 'http://127.0.0.1:9/api/messages',
      tenantId: sample.organisation.tenantId,
    });
    running = await startApp({ VARN_DATA_DIR: dir }, { clock, dbFile, channel });
  };
  const restart = async () => {
    await running.close();
    await start();
  };
  /** Runs what is due, lets the sender finish, and returns the cards sent since `mark` as "who: banner". */
  const due = async (mark: number) => {
    await running.app.scheduler.runDue();
    await running.app.sender.idle();
    return running.channel
      .events()
      .slice(mark)
      .filter((e) => e.kind !== 'update' && e.kind !== 'delete')
      .map((e) => {
        const who = people.find((u) => running.channel.conversationFor(u).id === e.conversationId)?.name;
        const banner =
          (cardOf(e.activity) as { body: { text: string; color?: string }[] }).body.find(
            (b) => b.color === 'Warning' || b.color === 'Attention',
          )?.text ?? '';
        return `${who}: ${banner.split(/[:.] /)[0]}`;
      })
      .sort();
  };

  beforeAll(async () => {
    await start();
    for (const user of people) await running.channel.installBot(user);
    await running.channel.execute(malin, 'review.openCycle', openForm({ scope: 'u-regionservice' }));
    await running.app.sender.idle();
  });
  afterAll(async () => {
    await running?.close();
    await channel?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('nothing before its time; the 14-day reminder at 08:00 Stockholm time to the three managers, once', async () => {
    clock.set('2026-12-01T06:59:00.000Z');
    expect(await due(running.channel.mark())).toEqual([]);
    clock.set('2026-12-01T07:00:00.000Z');
    const mark = running.channel.mark();
    expect(await due(mark)).toEqual([
      'Fredrik Nyberg: Påminnelse',
      'Göran Sandström: Påminnelse',
      'Oskar Blom: Påminnelse',
    ]);
    await restart();
    expect(await due(running.channel.mark())).toEqual([]);
  });

  test('the 3-day reminder goes to whoever holds the next step now: the approver of a submitted review', async () => {
    await fill(running, fredrik, 'cycle-2026:u-it', {
      kb1: {
        rating: 'notMet',
        followUpWhat: 'Öva reservrutinerna',
        followUpOwner: linnea.aadObjectId,
        followUpDue: '2026-12-10',
      },
    });
    await press(running, fredrik, 'review.submit', 'cycle-2026:u-it');
    await running.app.sender.idle();
    clock.set('2026-12-12T07:05:00.000Z');
    const mark = running.channel.mark();
    // not Linnea: her follow-up's review is not signed off, so she has not been given it (nor reminded of it)
    expect(await due(mark)).toEqual([
      'Göran Sandström: Påminnelse',
      'Oskar Blom: Påminnelse',
      'Thomas Engström: Påminnelse',
    ]);
    const reminder = running.channel
      .events()
      .slice(mark)
      .map((e) => cardOf(e.activity));
    for (const card of reminder) expect(validateCard(card)).toEqual([]);
  });

  test('escalation one level up after the deadline, also when it fell due while the service was down; not again after a restart', async () => {
    await running.close();
    clock.set('2026-12-16T09:30:00.000Z'); // the 1-day escalation (07:00 UTC) passed while down
    await start();
    const mark = running.channel.mark();
    expect(await due(mark)).toEqual([
      'Malin Forsberg: Försenad',
      'Thomas Engström: Försenad',
      'Thomas Engström: Försenad',
    ]);
    expect(
      textOf(
        running.channel
          .events()
          .slice(mark)
          .map((e) => cardOf(e.activity)),
      ),
    ).toContain('Nästa steg ligger hos Oskar Blom');
    await restart();
    expect(await due(running.channel.mark())).toEqual([]);
    clock.set('2026-12-17T09:30:00.000Z');
    expect(await due(running.channel.mark())).toEqual([]);
  });

  test('a follow-up in a review nobody has signed off reminds neither its owner nor the unit manager when overdue', async () => {
    clock.set('2026-12-18T08:00:00.000Z');
    expect(await due(running.channel.mark())).toEqual([]);
    await restart();
    expect(await due(running.channel.mark())).toEqual([]);
  });
});
