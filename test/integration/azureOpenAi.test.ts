/**
 * The Azure OpenAI adapter against a local server that speaks the same REST shape (test/support/azureOpenAi.ts).
 */

import type { RankedPassage } from '../../bot/features/knowledge/searchIndex';
import {
  AzureOpenAiClient,
  type AzureOpenAiSettings,
  cleanPhrasing,
  EmbeddingReranker,
  GroundedSummariser,
} from '../../bot/platform/ai/azureOpenAi';
import { type AzureOpenAiServer, startAzureOpenAi } from '../support/azureOpenAi';

const deployments = { embeddings: 'emb-3-small', chat: 'gpt-4o-mini-eu' };
let fake: AzureOpenAiServer;
let settings: AzureOpenAiSettings;

beforeAll(async () => {
  fake = await startAzureOpenAi({ apiKey: 'test-key', deployments });
  settings = {
    endpoint: fake.endpoint,
    apiKey: 'test-key',
    embeddingDeployment: deployments.embeddings,
    chatDeployment: deployments.chat,
    apiVersion: '2024-10-21',
  };
});
afterAll(async () => fake?.close());
beforeEach(() => {
  fake.clearEmbeddings();
  fake.requests.length = 0;
  fake.onChat((messages) => `Echo: ${String(messages.at(-1)?.content)}`);
});

const candidate = (id: string, text: string, score: number): RankedPassage => ({
  passage: { id, documentId: 'd', ordinal: 0, section: '3 Ansvar', sectionPath: ['3 Ansvar'], text },
  document: {
    id: 'd',
    sourceKey: 'd',
    fileName: 'policy.md',
    title: 'Säkerhetspolicy',
    link: '',
    contentHash: '',
    importedAt: '',
    passageCount: 2,
  },
  score,
  coverage: 1,
  knownCoverage: 1,
});

const lexicalFirst = candidate('a', 'Säkerhetschefen samordnar säkerhetsarbetet i regionen.', 2);
const meaningFirst = candidate('b', 'Varje chef ansvarar för informationssäkerheten i sin verksamhet.', 1);

test('re-ranking by embeddings: the passage closest in meaning moves up, and the call has the REST shape', async () => {
  const question = 'Vem har ansvaret för att data skyddas på min enhet?';
  fake.setEmbedding(question, fake.embed(meaningFirst.passage.text));
  const reranker = new EmbeddingReranker(new AzureOpenAiClient(settings), deployments.embeddings);
  const ranked = await reranker.rerank(question, [lexicalFirst, meaningFirst]);
  expect(ranked.map((c) => c.passage.id)).toEqual(['b', 'a']);
  const [call] = fake.requests;
  expect(call).toMatchObject({
    operation: 'embeddings',
    deployment: deployments.embeddings,
    apiVersion: '2024-10-21',
    authorized: true,
    status: 200,
  });
  expect((call?.body as { input: string[] } | undefined)?.input).toEqual([
    question,
    lexicalFirst.passage.text,
    meaningFirst.passage.text,
  ]);
});

test('passage embeddings are cached: asking again embeds only the question', async () => {
  const reranker = new EmbeddingReranker(new AzureOpenAiClient(settings), deployments.embeddings);
  await reranker.rerank('Vem ansvarar?', [lexicalFirst, meaningFirst]);
  await reranker.rerank('Vem har ansvaret?', [meaningFirst, lexicalFirst]);
  expect(fake.requests.map((r) => (r.body as { input: string[] }).input)).toEqual([
    ['Vem ansvarar?', lexicalFirst.passage.text, meaningFirst.passage.text],
    ['Vem har ansvaret?'],
  ]);
  expect(reranker.cached).toBe(2);
});

test('retrieval by meaning: every passage is embedded once, in batches; the nearest are found without a shared word', async () => {
  const reranker = new EmbeddingReranker(new AzureOpenAiClient(settings), deployments.embeddings);
  const passages = Array.from({ length: 40 }, (_, i) => ({
    id: `p${i}`,
    text: `Avsnitt ${i} om ämne nummer ${i}.`,
  }));
  await reranker.index(passages);
  expect(fake.requests.map((r) => (r.body as { input: string[] }).input.length)).toEqual([32, 8]);
  // unchanged texts are not embedded again
  await reranker.index(passages);
  expect(fake.requests).toHaveLength(2);
  fake.setEmbedding('Helt andra ord', fake.embed('Avsnitt 17 om ämne nummer 17.'));
  const near = await reranker.nearest('Helt andra ord', 3);
  expect(near[0]).toEqual({ id: 'p17', similarity: expect.closeTo(1, 5) });
  expect(near).toHaveLength(3);
});

test('a 429 with a short Retry-After is waited out and retried once', async () => {
  fake.failNext(1, { status: 429, retryAfterSeconds: 1, operation: 'embeddings' });
  const reranker = new EmbeddingReranker(new AzureOpenAiClient(settings), deployments.embeddings);
  const started = Date.now();
  const ranked = await reranker.rerank('Vem ansvarar?', [lexicalFirst, meaningFirst]);
  expect(ranked).toHaveLength(2);
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
});

test('a 429 with a long Retry-After fails at once, and the service is left alone for that long', async () => {
  fake.failNext(1, { status: 429, retryAfterSeconds: 60 });
  const client = new AzureOpenAiClient(settings);
  const started = Date.now();
  await expect(client.embed(['x'])).rejects.toThrow(/429/);
  // far below the 60 s it was asked to wait (and the 2 s it would wait at most), with room for a loaded machine
  expect(Date.now() - started).toBeLessThan(2000);
  await expect(client.embed(['x'])).rejects.toThrow(/paused/);
  expect(fake.requests).toHaveLength(1);
});

test('a slow answer times out instead of holding the reply', async () => {
  fake.onChat(() => new Promise((resolve) => setTimeout(() => resolve('för sent'), 1500)));
  const summariser = new GroundedSummariser(new AzureOpenAiClient(settings, { chatTimeoutMs: 200 }));
  const started = Date.now();
  await expect(
    summariser.summarise(
      'Vem ansvarar?',
      [{ doc: 'p.md', title: 'P', section: '', text: 'Chefen.', link: '', score: 1 }],
      'sv',
    ),
  ).rejects.toThrow(/no answer within 200 ms/);
  expect(Date.now() - started).toBeLessThan(1000);
});

test('the phrasing prompt gives the quotes as the only source and forbids anything else; NO_ANSWER shows nothing', async () => {
  let seen: { role: string; content: unknown }[] = [];
  fake.onChat((messages) => {
    seen = messages;
    return 'Enligt [policyn](https://example.com) ansvarar **varje chef** för informationssäkerheten.';
  });
  const summariser = new GroundedSummariser(new AzureOpenAiClient(settings));
  const view = {
    doc: 'policy.md',
    title: 'Säkerhetspolicy',
    section: '3 Ansvar',
    text: meaningFirst.passage.text,
    link: '',
    score: 1,
  };
  const phrased = await summariser.summarise('Vem ansvarar för informationssäkerheten?', [view], 'sv');
  expect(phrased).toBe('Enligt policyn ansvarar varje chef för informationssäkerheten.');
  expect(String(seen[0]?.content)).toMatch(/only source/);
  expect(String(seen[0]?.content)).toMatch(/Do not add/);
  expect(String(seen[0]?.content)).toContain('Svara på svenska.');
  expect(String(seen[1]?.content)).toContain('[1] Säkerhetspolicy – 3 Ansvar');
  expect(String(seen[1]?.content)).toContain(meaningFirst.passage.text);
  expect((fake.requests[0]?.body as { temperature: number } | undefined)?.temperature).toBe(0);

  fake.onChat(() => 'NO_ANSWER');
  expect(await summariser.summarise('Hur byter jag lösenord?', [view], 'en')).toBeUndefined();
});

test('cleaning the phrasing: no links or markdown, bounded length', () => {
  expect(cleanPhrasing('Se ![bild](x.png) och https://evil.example/a för **mer**')).toBe(
    'Se bild och för mer',
  );
  expect(cleanPhrasing('x'.repeat(900))?.length).toBe(700);
  expect(cleanPhrasing('   ')).toBeUndefined();
});
