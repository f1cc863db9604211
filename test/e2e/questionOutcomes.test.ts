/**
 * The three outcomes of a question over real HTTP (a local channel plays Teams), on the sample content:
 * answer, uncertain (the sections that may help, asking the security function first), and none (where the
 * question belongs instead, from content/channels.json). And the sample guideline's everyday questions.
 */
import { devApi, person, type Running, startApp } from '../support/app';
import { validateCard } from '../support/cards';
import { ADAPTIVE_CARD_CONTENT_TYPE, type ChannelActivity, type ChannelUser } from '../support/channel';

const johanna = person('Johanna Persson'); // employee, sv-SE
const james = person('James Whitfield'); // employee, en-US

const cardOf = (activity: ChannelActivity) =>
  activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content as
    | Record<string, unknown>
    | undefined;
const textOf = (card: unknown) => JSON.stringify(card);
const verbsOf = (card: unknown) =>
  ((card as { actions?: { verb?: string; data?: { helpful?: boolean } }[] }).actions ?? []).map((a) =>
    a.verb === 'knowledge.feedback' ? `feedback:${a.data?.helpful}` : a.verb,
  );

let running: Running;
beforeAll(async () => {
  running = await startApp();
});
afterAll(async () => running?.close());

async function ask(user: ChannelUser, text: string) {
  const mark = running.channel.mark();
  const response = await running.channel.say(user, text);
  expect(response.status).toBe(200);
  const conversation = running.channel.conversationFor(user).id;
  const card = cardOf(
    await running.channel.waitFor((a) => a.conversation?.id === conversation, { since: mark }),
  );
  expect(card).toBeDefined();
  expect(validateCard(card)).toEqual([]);
  return card as Record<string, unknown>;
}

test('when the documents answer clearly, then the card says what they say and asks for feedback before escalation', async () => {
  const card = await ask(james, 'How often is the security policy reviewed?');
  const text = textOf(card);
  expect(text).toContain('This is what the governing documents say');
  expect(text).toContain('går igenom policyn varje år');
  expect(verbsOf(card)).toEqual(['feedback:true', 'feedback:false', 'questions.escalate']);
});

test('when nothing answers clearly but sections are close, then the card says so, shows them and offers the security function first', async () => {
  const card = await ask(johanna, 'Får jag ta med jobbdatorn på semester utomlands?');
  const text = textOf(card);
  expect(text).toContain('Jag hittar inget tydligt svar, men de här avsnitten kan vara till hjälp');
  expect(text).toContain('Inför resor utomlands med regionens utrustning');
  expect(text).not.toContain('Det här säger de styrande dokumenten');
  expect(verbsOf(card)[0]).toBe('questions.escalate');
  expect(verbsOf(card)).toContain('feedback:false');
});

test('when nothing is relevant and the question belongs to HR, then the card points to the organisation’s HR channel', async () => {
  const card = await ask(johanna, 'Hur får jag ut min lön?');
  const text = textOf(card);
  expect(text).toContain('Det hittar jag inget svar på i de styrande dokumenten');
  expect(text).toContain('HR-avdelningens personalservice');
  expect(text).toContain('Telefon 4100');
  expect(text).not.toContain('servicedesk');
  expect(verbsOf(card)).toEqual(['questions.escalate']);
});

test('when nothing is relevant and no channel fits, then the card offers the security function alone', async () => {
  const card = await ask(james, 'What is on the lunch menu on Friday?');
  const text = textOf(card);
  expect(text).toContain("I can't find an answer to that in the governing documents.");
  expect(text).toContain('Would you like the security function to answer?');
  expect(verbsOf(card)).toEqual(['questions.escalate']);
});

// the sample guideline covers each of these; the card shows the passage that answers
test.each([
  [johanna, 'Vad ska jag göra om jag upptäcker en säkerhetsbrist?', 'Närmaste chef: alla risker och brister'],
  [james, 'What should I do if I notice a security deficiency?', 'rapporteras till närmaste chef'],
  [james, 'I got a suspicious e-mail asking me to log in, what should I do?', 'Bedrägliga meddelanden'],
  [johanna, 'Får jag ta med jobbdatorn på semester utomlands?', 'Inför resor utomlands'],
  [johanna, 'Får jag klistra in patientuppgifter i ChatGPT?', 'inte klistras in i AI-tjänster'],
  [james, 'How often is the security policy reviewed?', 'går igenom policyn varje år'],
])('the sample guideline answers %#: "%s"', async (user, question, passage) => {
  const text = textOf(await ask(user, question));
  expect(text).toContain(passage);
  expect(text).not.toMatch(/Det hittar jag inget svar|I can't find an answer to that/);
});

test('what the bot could not answer: the security function sees the wordings and counts, never who asked, and answers one for the next asker', async () => {
  const call = devApi(running.port);
  const malin = person('Malin Forsberg');
  // the same question again, worded without its question mark: one line, counted twice
  await ask(johanna, 'hur får jag ut min lön');
  const list = async () =>
    (await call(malin, 'GET', '/questions/unanswered')).json as {
      text: string;
      count: number;
      confidence: string;
    }[];
  const gaps = await list();
  expect(gaps.find((g) => g.text === 'hur får jag ut min lön')).toEqual({
    text: 'hur får jag ut min lön',
    count: 2,
    confidence: 'none',
    lastAsked: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
  });
  expect(gaps.map((g) => g.text)).toContain('What is on the lunch menu on Friday?');
  // questions that were answered are not there, and nothing names an asker
  expect(gaps.map((g) => g.text)).not.toContain('How often is the security policy reviewed?');
  expect(JSON.stringify(gaps)).not.toMatch(/Johanna|James|askedBy/);

  // an employee may not read the list, nor keep answers
  expect((await call(johanna, 'GET', '/questions/unanswered')).status).toBe(403);
  const forged = await call(johanna, 'POST', '/questions/curated', { question: 'lön', answer: 'Fel svar' });
  expect(forged.status).toBe(403);
  const empty = await call(malin, 'POST', '/questions/curated', {
    question: 'Hur får jag ut min lön?',
    answer: ' ',
  });
  expect(empty.status).toBe(400);
  expect(JSON.stringify(empty.json)).toContain('Skriv ett svar innan du skickar.');

  const answer =
    'Lönen betalas ut den 25:e varje månad. Frågor om din lön besvarar HR-avdelningens personalservice.';
  expect(
    (await call(malin, 'POST', '/questions/curated', { question: 'Hur får jag ut min lön?', answer })).status,
  ).toBe(201);
  // the next asker gets the security function's answer, and the line has gone from the list
  expect(textOf(await ask(johanna, 'Hur får jag ut min lön?'))).toContain(
    'Lönen betalas ut den 25:e varje månad.',
  );
  expect((await list()).map((g) => g.text)).not.toContain('hur får jag ut min lön');
});
