/**
 * The employee-asks journey over real HTTP: a local channel plays Teams (activities POSTed to
 * /api/messages, the bot's replies received at the channel's serviceUrl).
 */

import { collections } from '../../bot/collections';
import type { Store } from '../../bot/platform/store';
import { openSqliteStore } from '../../bot/platform/store/sqlite';
import { person, type Running, startApp } from '../support/app';
import { validateCard } from '../support/cards';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type ChannelActivity,
  type ChannelUser,
  makeUser,
} from '../support/channel';

const johanna = person('Johanna Persson'); // employee, sv-SE
const james = person('James Whitfield'); // employee, en-US
const erik = person('Erik Nordlund'); // security officer
const sara = person('Sara Lindahl'); // security officer
const malin = person('Malin Forsberg'); // security chief

const cardOf = (activity: ChannelActivity) =>
  activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content as
    | Record<string, unknown>
    | undefined;
const textOf = (card: unknown) => JSON.stringify(card);
/** The card an invoke response carries (Universal Actions: `{ statusCode, type, value }`). */
const cardIn = (body: unknown) => (body as { value?: unknown }).value;
const actionsOf = (card: unknown) =>
  (card as { actions?: { verb?: string; data?: Record<string, unknown> }[] }).actions ?? [];

let running: Running;
beforeAll(async () => {
  running = await startApp();
  // Malin has never opened a chat with Värn: her escalation cards need a chat the sender creates
  for (const member of [erik, sara]) await running.channel.installBot(member);
});
afterAll(async () => running?.close());

async function ask(user: ChannelUser, text: string) {
  const mark = running.channel.mark();
  const response = await running.channel.say(user, text);
  expect(response.status).toBe(200);
  const conversation = running.channel.conversationFor(user).id;
  const reply = await running.channel.waitFor((a) => a.conversation?.id === conversation, { since: mark });
  return reply;
}

test('when an employee asks in Swedish, then the answer card quotes the policy with its section and a link', async () => {
  const reply = await ask(johanna, 'Vad ska jag göra om jag ser en brist i säkerheten?');
  const card = cardOf(reply);
  expect(card).toBeDefined();
  const text = textOf(card);
  expect(text).toContain('Det här säger de styrande dokumenten');
  expect(text).toMatch(/närmaste chef/);
  expect(text).toContain('Säkerhetspolicy för Region Norrviken');
  expect(text).toContain('Fråga säkerhetsfunktionen');
  expect(text).toMatch(/http:\/\/localhost:\d+\/documents\/sakerhetspolicy-region-norrviken\.md/);
  expect(validateCard(card)).toEqual([]);
});

test('when an English-speaking employee asks in English, then the card is in English and quotes the Swedish text', async () => {
  const reply = await ask(james, 'Who should I report a security deficiency to?');
  const text = textOf(cardOf(reply));
  // in English, whether the documents answer clearly or the sections only may help
  expect(text).toMatch(
    /This is what the governing documents say|I can't find a clear answer, but these sections may help/,
  );
  expect(text).toContain('Ask the security function');
  expect(text).toMatch(/rapporter|närmaste chef/);
});

test('when nothing in the documents answers, then the bot says so plainly and offers escalation', async () => {
  const reply = await ask(johanna, 'Vad blir det för lunch i personalmatsalen på fredag?');
  const card = cardOf(reply);
  expect(textOf(card)).toContain('Det hittar jag inget svar på i de styrande dokumenten');
  expect(actionsOf(card).map((a) => a.verb)).toEqual(['questions.escalate']);
});

test('when the employee presses 👍, then the feedback is recorded and the card thanks them', async () => {
  const reply = await ask(johanna, 'Hur ofta följs säkerhetsarbetet upp?');
  const feedback = actionsOf(cardOf(reply)).find(
    (a) => a.verb === 'knowledge.feedback' && a.data?.helpful === true,
  );
  expect(feedback).toBeDefined();
  const response = await running.channel.execute(johanna, 'knowledge.feedback', feedback?.data, {
    replyToId: reply.id,
  });
  expect(response.status).toBe(200);
  expect(textOf(response.body)).toContain('Tack för ditt svar');
  const stored = await running.app.store.feedback.find({ personId: johanna.aadObjectId });
  expect(stored.map((f) => f.value.helpful)).toContain(true);
  // the card keeps its quotes and its links to the documents; the feedback buttons have gone
  const before = cardOf(reply);
  // each link is signed afresh: compared by the document and the section it opens at
  const links = (card: unknown) =>
    [...textOf(card).matchAll(/\/documents\/([^"?#\s]+)[^"#\s]*(#avsnitt-[a-z0-9-]+)/g)].map(
      (m) => `${m[1]}${m[2]}`,
    );
  expect(links(response.body).length).toBeGreaterThan(0);
  expect(links(response.body)).toEqual(links(before));
  const quotes = (card: unknown) =>
    textOf(card)
      .match(/"text":"[^"]{40,}"/g)
      ?.filter((q) => !q.includes('Tack')) ?? [];
  expect(quotes(response.body)).toEqual(quotes(before));
  expect(actionsOf(cardIn(response.body)).map((a) => a.verb)).not.toContain('knowledge.feedback');
});

test('when the employee presses 👎, then the card keeps its quotes and offers the security function first', async () => {
  const reply = await ask(johanna, 'Hur ofta följs säkerhetsarbetet upp?');
  const no = actionsOf(cardOf(reply)).find(
    (a) => a.verb === 'knowledge.feedback' && a.data?.helpful === false,
  );
  expect(no).toBeDefined();
  const response = await running.channel.execute(johanna, 'knowledge.feedback', no?.data, {
    replyToId: reply.id,
  });
  expect(textOf(response.body)).toContain('Vill du att säkerhetsfunktionen svarar i stället?');
  expect(actionsOf(cardIn(response.body)).map((a) => a.verb)[0]).toBe('questions.escalate');
  expect(textOf(response.body)).toMatch(/\/documents\/[^"\s]+#avsnitt-/);
  // sending it on from there reaches the security function's queue
  const escalated = await running.channel.execute(
    johanna,
    'questions.escalate',
    actionsOf(cardIn(response.body))[0]?.data,
    {
      replyToId: reply.id,
    },
  );
  expect(textOf(escalated.body)).toContain('Din fråga är sparad hos säkerhetsfunktionen');
  const question = await running.app.store.questions.get(String(no?.data?.questionId));
  expect(question?.value.status).toBe('escalated');
});

test('escalation: the security function gets the question, a non-member is refused, a member answers, the employee receives it', async () => {
  const { channel, app } = running;
  const reply = await ask(johanna, 'Får jag ta med mig min privata dator till jobbet och koppla in den?');
  const escalate = actionsOf(cardOf(reply)).find((a) => a.verb === 'questions.escalate');
  expect(escalate).toBeDefined();
  const questionId = String(escalate?.data?.questionId);

  const mark = channel.mark();
  const escalated = await channel.execute(johanna, 'questions.escalate', escalate?.data, {
    replyToId: reply.id,
  });
  expect(textOf(escalated.body)).toContain('Din fråga är sparad hos säkerhetsfunktionen');
  const erikConversation = channel.conversationFor(erik).id;
  const toErik = await channel.waitFor((a) => a.conversation?.id === erikConversation, { since: mark });
  expect(textOf(cardOf(toErik))).toContain('Får jag ta med mig min privata dator');
  await channel.waitFor((a) => a.conversation?.id === channel.conversationFor(sara).id, { since: mark });
  // Malin never wrote to Värn: the sender opened the chat, and the card is there too
  const toMalin = await channel.waitFor(
    (a) =>
      a.conversation?.id === channel.conversationFor(malin).id &&
      textOf(cardOf(a)).includes('Får jag ta med mig min privata dator'),
    { since: mark },
  );
  expect(actionsOf(cardOf(toMalin)).map((a) => a.verb)).toEqual(['questions.answer']);
  await app.sender.idle();

  // a second press sends nothing more
  const before = channel.events().length;
  await channel.execute(johanna, 'questions.escalate', escalate?.data, { replyToId: reply.id });
  expect(channel.events().filter((e) => e.kind === 'send' || e.kind === 'reply').length).toBe(
    channel
      .events()
      .slice(0, before)
      .filter((e) => e.kind === 'send' || e.kind === 'reply').length,
  );

  // James is not in the security function: refused, nothing changes
  const forged = await channel.execute(james, 'questions.answer', {
    questionId,
    answer: 'Visst, kör på!',
    keep: 'true',
  });
  expect(textOf(forged.body)).toContain('You are not allowed to do this');
  expect((await app.store.questions.get(questionId))?.value.status).toBe('escalated');

  // Erik answers and keeps it as a curated answer
  const answerMark = channel.mark();
  const answered = await channel.execute(
    erik,
    'questions.answer',
    {
      questionId,
      answer:
        'Nej. Privata datorer får inte anslutas till regionens nät. Kontakta IT-avdelningen för en tjänstedator.',
      keep: 'true',
    },
    { replyToId: toErik.id },
  );
  expect(textOf(answered.body)).toContain('Besvarad av Erik Nordlund');
  const delivered = await channel.waitFor(
    (a) =>
      a.conversation?.id === channel.conversationFor(johanna).id &&
      textOf(cardOf(a)).includes('Säkerhetsfunktionen har svarat'),
    { since: answerMark },
  );
  expect(textOf(cardOf(delivered))).toContain('Privata datorer får inte anslutas');
  // Sara's copy of the question card is updated for her too
  await channel.waitFor(
    (a, e) => e.kind === 'update' && a.conversation?.id === channel.conversationFor(sara).id,
    { since: answerMark },
  );
  const audit = await app.store.auditEvents.find({ recordId: questionId });
  expect(audit.map((e) => [e.action, e.actorId])).toEqual([
    ['escalate', johanna.aadObjectId],
    ['answer-and-curate', erik.aadObjectId],
  ]);

  // a later, similar question finds the curated answer first
  const later = await ask(james, 'kan jag koppla in min privata dator på jobbet?');
  expect(textOf(cardOf(later))).toContain('Privata datorer får inte anslutas');
});

test('when a member answers an already answered question, then the current card comes back and nothing changes', async () => {
  const { channel, app } = running;
  const reply = await ask(johanna, 'Vem betalar om jag tappar bort min tjänstetelefon på semestern?');
  const escalate = actionsOf(cardOf(reply)).find((a) => a.verb === 'questions.escalate');
  const questionId = String(escalate?.data?.questionId);
  await channel.execute(johanna, 'questions.escalate', escalate?.data);
  await channel.execute(sara, 'questions.answer', { questionId, answer: 'Kontakta din chef.' });
  const second = await channel.execute(erik, 'questions.answer', { questionId, answer: 'Ett annat svar.' });
  expect(textOf(second.body)).toContain('Kontakta din chef.');
  expect((await app.store.questions.get(questionId))?.value.answer).toBe('Kontakta din chef.');
});

test('when no member of the security function can be reached, the employee is told so and the question stands in their list of open questions', async () => {
  const { channel, app } = running;
  for (const member of [erik, sara, malin]) channel.block(member);
  try {
    const reply = await ask(johanna, 'Får jag låna ut mitt passerkort till en kollega över helgen?');
    const escalate = actionsOf(cardOf(reply)).find((a) => a.verb === 'questions.escalate');
    const mark = channel.mark();
    await channel.execute(johanna, 'questions.escalate', escalate?.data, { replyToId: reply.id });
    const told = await channel.waitFor(
      (a) =>
        a.conversation?.id === channel.conversationFor(johanna).id &&
        textOf(cardOf(a)).includes('har inte nått säkerhetsfunktionen'),
      { since: mark },
    );
    expect(textOf(cardOf(told))).toContain('lista över obesvarade frågor');
    expect(validateCard(cardOf(told))).toEqual([]);
  } finally {
    for (const member of [erik, sara, malin]) channel.unblock(member);
  }
  await app.sender.idle();
  // Erik asks for the open questions: this one says its card reached nobody, and he can answer it from there
  const list = await ask(erik, 'obesvarade frågor');
  const text = textOf(cardOf(list));
  expect(text).toContain('Får jag låna ut mitt passerkort');
  expect(text).toContain('Kortet kom inte fram till någon');
  expect(text).toContain('Malin Forsberg');
  // an employee has no such list
  expect((await ask(johanna, 'obesvarade frågor')).text).toMatch(/behörighet|inte tillåtet|får inte/i);
});

describe('bad input', () => {
  test('an empty message gets a polite prompt', async () => {
    const reply = await ask(johanna, '   ');
    expect(reply.text).toContain('Skriv en fråga om säkerhet');
  });

  test('a very long message gets a polite limit, in the user language', async () => {
    const reply = await ask(james, 'security '.repeat(200));
    expect(reply.text).toContain('The question is too long');
  });

  test('malformed activities get 400, not 500', async () => {
    expect((await running.channel.post('{not json', { 'content-type': 'application/json' })).status).toBe(
      400,
    );
    expect((await running.channel.post({ text: 'no type' })).status).toBe(400);
    expect((await running.channel.post([1, 2])).status).toBe(400);
  });

  test('card submits with missing or forged fields get a clear message and change nothing', async () => {
    const missing = await running.channel.execute(johanna, 'questions.escalate', {});
    expect(textOf(missing.body)).toContain('Det gick inte att tolka');
    const unknown = await running.channel.execute(johanna, 'questions.delete', {
      questionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(textOf(unknown.body)).toContain('Den här knappen känner jag inte igen');
    const nobody = await running.channel.execute(johanna, 'questions.escalate', {
      questionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(textOf(nobody.body)).toContain('finns inte');
  });

  test("someone else pressing an employee's escalate button is refused and nothing is sent", async () => {
    const reply = await ask(johanna, 'Vad gäller för att jobba på tåget med känsliga uppgifter?');
    const escalate = actionsOf(cardOf(reply)).find((a) => a.verb === 'questions.escalate');
    const refused = await running.channel.execute(james, 'questions.escalate', escalate?.data);
    expect(textOf(refused.body)).toContain('You are not allowed');
    expect((await running.app.store.questions.get(String(escalate?.data?.questionId)))?.value.status).toBe(
      'asked',
    );
  });

  test('a user from another tenant is refused', async () => {
    const outsider = makeUser('Eve Outsider', { tenantId: '11111111-1111-4111-8111-111111111111' });
    const reply = await ask(outsider, 'Vem ansvarar för säkerheten?');
    expect(reply.text).toContain('Du har inte behörighet');
    expect(reply.attachments ?? []).toHaveLength(0);
  });
});

test('the welcome message and "hjälp" say what the bot can do', async () => {
  const newcomer = person('Hanna Berg'); // an employee
  const mark = running.channel.mark();
  await running.channel.installBot(newcomer);
  const welcome = await running.channel.waitFor(
    (a) => a.conversation?.id === running.channel.conversationFor(newcomer).id,
    { since: mark },
  );
  expect(textOf(cardOf(welcome))).toContain('Hej! Jag är Värn');
  // installing sends an installationUpdate and a conversationUpdate: one welcome, not two
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(
    running.channel
      .activities(running.channel.conversationFor(newcomer).id)
      .filter((a) => textOf(cardOf(a)).includes('Hej! Jag är Värn')),
  ).toHaveLength(1);
  // an employee reads an employee's commands, not the manager's or the security chief's
  const help = await ask(newcomer, 'hjälp');
  expect(textOf(cardOf(help))).toContain('Det här kan jag');
  expect(textOf(cardOf(help))).not.toContain('min uppföljning');
  expect(textOf(cardOf(help))).not.toContain('öppna uppföljning');
  expect(textOf(cardOf(help))).not.toContain('ny kampanj');
  // the security chief reads hers
  const chiefHelp = textOf(cardOf(await ask(malin, 'hjälp')));
  expect(chiefHelp).toContain('öppna uppföljning');
  expect(chiefHelp).toContain('ny kampanj');
  expect(chiefHelp).toContain('obesvarade frågor');
});

test('every card the bot sent in these journeys parses in adaptivecards 1.5 and stays under 80 KB', () => {
  const cards = running.channel
    .activities()
    .map(cardOf)
    .filter((c): c is Record<string, unknown> => !!c);
  expect(cards.length).toBeGreaterThan(8);
  for (const card of cards) expect(validateCard(card)).toEqual([]);
});

test('when the answer card arrives, its question is already stored, and once the turn is done so is where its card is', async () => {
  const { app } = running;
  const mark = running.channel.mark();
  const conversation = running.channel.conversationFor(johanna).id;
  // read the store the moment the card reaches the channel, before the turn has ended
  const seen = running.channel
    .waitFor((a) => a.conversation?.id === conversation, { since: mark })
    .then(async (reply) => {
      const questionId = String(
        actionsOf(cardOf(reply)).find((a) => a.verb === 'questions.escalate')?.data?.questionId,
      );
      return { reply, questionId, stored: (await app.store.questions.get(questionId))?.value };
    });
  expect((await running.channel.say(johanna, 'Vem ansvarar för säkerhetsskyddet?')).status).toBe(200);
  const { reply, questionId, stored } = await seen;
  expect(stored).toMatchObject({
    id: questionId,
    text: 'Vem ansvarar för säkerhetsskyddet?',
    status: 'asked',
  });
  expect((await app.store.sentCards.find({ recordId: questionId })).map((c) => c.value)).toEqual([
    expect.objectContaining({ kind: 'asker', activityId: reply.id }),
  ]);
});

test('when the question cannot be stored, the employee is told so in their language, gets no answer, and nothing is stored', async () => {
  const inner = openSqliteStore(':memory:', collections);
  let failing = false;
  // the store fails inside the transaction, after the question's insert: the rollback must take it back
  const store: Store = {
    ...inner,
    transaction: (work) =>
      inner.transaction(async (tx) => {
        const result = await work(tx);
        if (failing) throw new Error('disk I/O error');
        return result;
      }),
  };
  const broken = await startApp({}, { store });
  try {
    const conversation = broken.channel.conversationFor(johanna).id;
    failing = true;
    const mark = broken.channel.mark();
    expect((await broken.channel.say(johanna, 'Vem ansvarar för informationssäkerheten?')).status).toBe(200);
    const reply = await broken.channel.waitFor((a) => a.conversation?.id === conversation, { since: mark });
    expect(cardOf(reply)).toBeUndefined();
    expect(reply.text).toBe(
      'Jag kunde inte spara din fråga just nu, så jag har inte svarat på den. Ställ frågan igen om en stund.',
    );
    expect(await inner.questions.list()).toEqual([]);

    failing = false;
    const again = broken.channel.mark();
    await broken.channel.say(johanna, 'Vem ansvarar för informationssäkerheten?');
    const answer = await broken.channel.waitFor((a) => a.conversation?.id === conversation, { since: again });
    expect(textOf(cardOf(answer))).toContain('Det här säger de styrande dokumenten');
    expect((await inner.questions.list()).map((q) => q.value.text)).toEqual([
      'Vem ansvarar för informationssäkerheten?',
    ]);
  } finally {
    await broken.close();
  }
});

test('a question stored before the shared card copies (its cards kept on the record) still has its cards updated when answered', async () => {
  const { app, channel } = running;
  // a card in Johanna's chat that no copy in sentCards knows about for this question
  const older = await ask(johanna, 'Vem ansvarar för informationssäkerheten?');
  const reply = await ask(johanna, 'Får jag använda ett eget USB-minne?');
  const questionId = String(
    actionsOf(cardOf(reply)).find((a) => a.verb === 'questions.escalate')?.data?.questionId,
  );
  const stored = await app.store.questions.get(questionId);
  if (!stored) throw new Error('the question is not stored');
  // as it was stored before: the asker's card on the record only
  await app.store.questions.update(
    {
      ...stored.value,
      status: 'escalated',
      escalatedAt: new Date().toISOString(),
      askerCard: {
        personId: johanna.aadObjectId,
        conversationId: channel.conversationFor(johanna).id,
        activityId: older.id ?? '',
      },
      functionCards: [],
    },
    stored.version,
  );
  const mark = channel.mark();
  await channel.execute(erik, 'questions.answer', {
    questionId,
    answer: 'Nej, använd regionens krypterade minnen.',
  });
  const updated = (id: string | undefined) =>
    channel.waitFor(
      (a, e) =>
        e.kind === 'update' && a.conversation?.id === channel.conversationFor(johanna).id && a.id === id,
      { since: mark },
    );
  // the card kept on the record, and the one remembered as a copy
  await updated(older.id);
  await updated(reply.id);
});
