/**
 * Optional semantic ranking over real HTTP: the app configured with an Azure OpenAI deployment (a local
 * server with the same REST shape), asked through the local Teams channel.
 */

import { person, type Running, startApp } from '../support/app';
import { type AzureOpenAiServer, startAzureOpenAi } from '../support/azureOpenAi';
import { validateCard } from '../support/cards';
import { ADAPTIVE_CARD_CONTENT_TYPE, type ChannelActivity } from '../support/channel';

const johanna = person('Johanna Persson'); // sv-SE
const james = person('James Whitfield'); // en-US
const deployments = { embeddings: 'text-embedding-3-small', chat: 'gpt-4o-mini' };

let fake: AzureOpenAiServer;
let running: Running;

beforeAll(async () => {
  fake = await startAzureOpenAi({ apiKey: 'k-123', deployments });
  running = await startApp({
    AZURE_OPENAI_ENDPOINT: fake.endpoint,
    AZURE_OPENAI_API_KEY: 'k-123',
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: deployments.embeddings,
    AZURE_OPENAI_CHAT_DEPLOYMENT: deployments.chat,
  });
});
afterAll(async () => {
  await running?.close();
  await fake?.close();
});

const cardText = (activity: ChannelActivity) =>
  JSON.stringify(activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content);

async function ask(user: typeof johanna, text: string) {
  const mark = running.channel.mark();
  expect((await running.channel.say(user, text)).status).toBe(200);
  const conversation = running.channel.conversationFor(user).id;
  return running.channel.waitFor((a) => a.conversation?.id === conversation, { since: mark });
}

test('with a deployment configured, the card shows the AI phrasing, labelled as such, and the quotes it came from', async () => {
  fake.onChat((messages) => {
    const quotes = String(messages[1]?.content);
    return quotes.includes('närmaste chef')
      ? 'Brister i säkerheten ska du påtala för din närmaste chef.'
      : 'NO_ANSWER';
  });
  const reply = await ask(johanna, 'Vad ska jag göra om jag ser en brist i säkerheten?');
  const text = cardText(reply);
  expect(text).toContain('Sammanfattning (formulerad av AI utifrån citaten nedan – kontrollera mot källan):');
  expect(text).toContain('Brister i säkerheten ska du påtala för din närmaste chef.');
  expect(text).toContain('Säkerhetspolicy för Region Norrviken'); // the quotes' source is still shown
  expect(text).toMatch(/”[^”]*närmaste chef[^”]*”/); // and the quote itself
  expect(validateCard(JSON.parse(text))).toEqual([]);
  expect(fake.requests.map((r) => r.operation)).toEqual(expect.arrayContaining(['embeddings', 'chat']));
  expect(fake.requests.every((r) => r.authorized && r.apiVersion === '2024-10-21')).toBe(true);
});

test('in English, the phrasing is asked for in English and labelled in English', async () => {
  let system = '';
  fake.onChat((messages) => {
    system = String(messages[0]?.content);
    return 'Report security deficiencies to your nearest manager.';
  });
  const text = cardText(await ask(james, 'Who should I report a security deficiency to?'));
  expect(system).toContain('Answer in English.');
  expect(text).toContain('Summary (written by AI from the quotes below – check against the source):');
  expect(text).toContain('Report security deficiencies to your nearest manager.');
});

test('when the model finds no answer in the quotes, only the quotes are shown', async () => {
  fake.onChat(() => 'NO_ANSWER');
  // a question the words alone answer confidently, so that only the model's verdict is at stake
  const text = cardText(await ask(johanna, 'Vad ska jag göra om jag ser en brist i säkerheten?'));
  expect(text).not.toContain('formulerad av AI');
  expect(text).toContain('Det här säger de styrande dokumenten');
});

const isJudge = (messages: { content: unknown }[]) =>
  String(messages[0]?.content).includes('Reply with exactly YES');

test('when the chat deployment judges that the passages do not answer, the card is not a confident answer', async () => {
  const judged: string[] = [];
  fake.onChat((messages) => {
    if (!isJudge(messages)) return 'NO_ANSWER';
    judged.push(String(messages[1]?.content));
    return 'NO';
  });
  const text = cardText(await ask(johanna, 'Vad ska jag göra om jag ser en brist i säkerheten?'));
  expect(judged[0]).toContain('Question: Vad ska jag göra om jag ser en brist i säkerheten?');
  expect(text).toContain('Jag hittar inget tydligt svar, men de här avsnitten kan vara till hjälp');
  expect(text).toMatch(/närmaste chef/); // the passages are still shown
});

test('when the chat deployment judges that they answer, the card says what the documents say', async () => {
  fake.onChat((messages) => (isJudge(messages) ? 'YES' : 'NO_ANSWER'));
  const text = cardText(await ask(johanna, 'Vad ska jag göra om jag ser en brist i säkerheten?'));
  expect(text).toContain('Det här säger de styrande dokumenten');
});

test('retrieval by meaning: a question that shares no word with the documents finds the passage closest in meaning, as one that may help', async () => {
  fake.onChat(() => 'NO_ANSWER');
  // every passage was embedded once, after the load
  await running.app.knowledge.embedded;
  const passages = (await running.app.store.passages.list()).map((p) => p.value);
  const target = passages.find((p) => p.text.includes('AI-tjänster'));
  expect(target).toBeDefined();
  const embedded = fake.requests
    .filter((r) => r.operation === 'embeddings')
    .flatMap((r) => (r.body as { input: string[] }).input);
  expect(embedded).toEqual(expect.arrayContaining([target?.text]));

  // words alone find nothing here; the deployment's vector for the question is the passage's own
  const question = 'blorfa snirk tjommel vrups?';
  const before = cardText(await ask(johanna, 'plimsa drovk henzel?'));
  expect(before).toContain('Det hittar jag inget svar på i de styrande dokumenten');
  fake.setEmbedding(question, fake.embed(target?.text ?? ''));
  const text = cardText(await ask(johanna, question));
  expect(text).toContain('Jag hittar inget tydligt svar, men de här avsnitten kan vara till hjälp');
  expect(text).toContain('AI-tjänster');
  fake.clearEmbeddings();
});

test('when Azure OpenAI fails, the answer still comes from the offline ranking, without a phrasing', async () => {
  fake.onChat(() => 'Detta ska inte synas.');
  fake.failNext(10, 500);
  const before = fake.requests.length;
  const text = cardText(await ask(johanna, 'Vad ska jag göra om jag ser en brist i säkerheten?'));
  expect(text).toContain('Det här säger de styrande dokumenten');
  expect(text).toMatch(/närmaste chef/);
  expect(text).not.toContain('Detta ska inte synas.');
  expect(text).not.toContain('formulerad av AI');
  // after the failure the service is left alone for a while: the next question makes no call at all
  const during = fake.requests.length;
  expect(during).toBeGreaterThan(before);
  const next = cardText(await ask(johanna, 'Vad ska jag göra om jag ser en brist i säkerheten?'));
  expect(next).toContain('Det här säger de styrande dokumenten');
  expect(fake.requests.length).toBe(during);
});
