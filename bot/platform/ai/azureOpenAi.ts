/**
 * Optional semantic ranking, judging and phrasing with the customer's own Azure OpenAI deployment (an adapter
 * for the knowledge service's Reranker, Judge and Summariser ports). Without it everything works offline; with it,
 * any failure (timeout, 429 beyond a short wait, 5xx, bad answer) falls back to the offline ranking and
 * the quotes alone — the knowledge service logs it and carries on.
 *
 * REST (Azure OpenAI inference, GA api-version 2024-10-21), `api-key` header:
 *   POST {endpoint}/openai/deployments/{deployment}/embeddings?api-version=…         { input: string[] }
 *   POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…   { messages, temperature, max_tokens }
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { AnswerView } from '../../features/knowledge/answer';
import type { RankedPassage } from '../../features/knowledge/searchIndex';
import type { Judge, Reranker, Summariser } from '../../features/knowledge/service';
import type { Lang } from '../i18n';

export interface AzureOpenAiSettings {
  endpoint: string;
  apiKey: string;
  embeddingDeployment: string;
  chatDeployment?: string;
  apiVersion: string;
}

export interface ClientOptions {
  /** Per request; the employee is waiting for the reply. */
  embeddingsTimeoutMs: number;
  chatTimeoutMs: number;
  /** A 429 whose Retry-After is at most this long is waited out and retried once; a longer one fails at once. */
  maxRetryWaitMs: number;
  /** After a failure, calls are skipped (offline ranking only) for this long, or for the Retry-After if longer. */
  pauseAfterFailureMs: number;
}

const defaults: ClientOptions = {
  embeddingsTimeoutMs: 4000,
  chatTimeoutMs: 8000,
  maxRetryWaitMs: 2000,
  pauseAfterFailureMs: 30_000,
};

export class AzureOpenAiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AzureOpenAiError';
  }
}

const embeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});
const chatResponse = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
});
const errorBody = z.object({
  error: z.object({ code: z.string().nullable().optional(), message: z.string().optional() }),
});

function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The REST calls, with timeouts, one short wait on 429 and a pause after failures. */
export class AzureOpenAiClient {
  private pausedUntil = 0;
  private readonly options: ClientOptions;

  constructor(
    private readonly settings: AzureOpenAiSettings,
    options: Partial<ClientOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...defaults, ...options };
  }

  async embed(inputs: string[]): Promise<number[][]> {
    const body = embeddingsResponse.parse(
      await this.post(
        this.settings.embeddingDeployment,
        'embeddings',
        { input: inputs },
        this.options.embeddingsTimeoutMs,
      ),
    );
    const vectors: number[][] = [];
    for (const item of body.data) vectors[item.index] = item.embedding;
    if (vectors.length !== inputs.length || vectors.some((v) => v === undefined)) {
      throw new AzureOpenAiError(200, `embeddings: ${body.data.length} vectors for ${inputs.length} inputs`);
    }
    return vectors;
  }

  async chat(
    messages: { role: 'system' | 'user'; content: string }[],
    maxTokens: number,
  ): Promise<string | undefined> {
    const deployment = this.settings.chatDeployment;
    if (!deployment) throw new AzureOpenAiError(0, 'no chat deployment configured');
    const body = chatResponse.parse(
      await this.post(
        deployment,
        'chat/completions',
        { messages, temperature: 0, max_tokens: maxTokens },
        this.options.chatTimeoutMs,
      ),
    );
    const [choice] = body.choices;
    // a cut-off or filtered answer is not shown
    if (choice?.finish_reason && choice.finish_reason !== 'stop') return undefined;
    return choice?.message.content ?? undefined;
  }

  private async post(
    deployment: string,
    operation: string,
    payload: object,
    timeoutMs: number,
  ): Promise<unknown> {
    if (this.now() < this.pausedUntil) throw new AzureOpenAiError(0, 'paused after an earlier failure');
    const url = `${this.settings.endpoint.replace(/\/+$/, '')}/openai/deployments/${encodeURIComponent(deployment)}/${operation}?api-version=${encodeURIComponent(this.settings.apiVersion)}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'api-key': this.settings.apiKey, 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        this.pause();
        throw new AzureOpenAiError(
          0,
          `${operation}: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message}`,
        );
      }
      if (response.ok) return (await response.json()) as unknown;
      const wait = retryAfterMs(response.headers);
      const parsed = errorBody.safeParse(await response.json().catch(() => undefined));
      const detail = parsed.success
        ? `${parsed.data.error.code ?? ''} ${parsed.data.error.message ?? ''}`.trim()
        : '';
      if (
        response.status === 429 &&
        attempt === 0 &&
        wait !== undefined &&
        wait <= this.options.maxRetryWaitMs
      ) {
        await sleep(wait);
        continue;
      }
      // a bad request (e.g. the content filter) concerns this input only; anything else says the service is unwell
      if (response.status !== 400) this.pause(wait);
      throw new AzureOpenAiError(
        response.status,
        `${operation}: HTTP ${response.status} ${detail}`.trim(),
        wait,
      );
    }
  }

  private pause(retryAfter = 0): void {
    this.pausedUntil = this.now() + Math.max(this.options.pauseAfterFailureMs, retryAfter);
  }
}

/** Cosine similarity; vectors of different lengths (a changed model behind the same deployment) are an error. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cosine: length ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Passages per embeddings request when the passages are embedded after a load. */
const EMBED_BATCH = 32;

/**
 * Retrieval and re-ranking by meaning. After each load every passage is embedded once (`index`), so that
 * `nearest` finds passages that share no word with the question. Re-ranking blends each candidate's lexical
 * score and the cosine of its embedding with the question's (both scaled to 0..1 over the candidates), so a
 * passage the lexical ranking liked does not vanish because of one vector. Embeddings are kept in memory,
 * keyed by the hash of the deployment and the text (a changed passage gets a new one), up to `maxCached`
 * (20,000 passages: about 120 MB at 1,536 dimensions); beyond that the oldest go and `nearest` skips them.
 */

export class EmbeddingReranker implements Reranker {
  private readonly cache = new Map<string, Float32Array>();

  constructor(
    private readonly client: AzureOpenAiClient,
    private readonly deployment: string,
    private readonly options: { semanticWeight: number; maxCached: number } = {
      semanticWeight: 0.6,
      maxCached: 20_000,
    },
  ) {}

  private key(text: string): string {
    return createHash('sha256').update(this.deployment).update('\0').update(text).digest('base64url');
  }

  /** The passages retrieval by meaning searches: their ids and the cache keys of their texts. */
  private passages: { id: string; key: string }[] = [];
  /** The last question's vector: `nearest` and `rerank` of one question embed it once. */
  private lastQuestion: { text: string; vector: number[] } | undefined;

  private async questionVector(question: string): Promise<number[]> {
    if (this.lastQuestion?.text !== question)
      this.lastQuestion = { text: question, vector: (await this.client.embed([question]))[0] as number[] };
    return this.lastQuestion.vector;
  }

  /** Embeds every passage not yet embedded, in batches; a changed text gets a new vector. */
  async index(passages: readonly { id: string; text: string }[]): Promise<void> {
    const keyed = passages.map((p) => ({ id: p.id, key: this.key(p.text), text: p.text }));
    const missing = [...new Map(keyed.filter((p) => !this.cache.has(p.key)).map((p) => [p.key, p.text]))];
    for (let i = 0; i < missing.length; i += EMBED_BATCH) {
      const batch = missing.slice(i, i + EMBED_BATCH);
      const vectors = await this.client.embed(batch.map(([, text]) => text));
      for (const [j, [key]] of batch.entries()) this.remember(key, vectors[j] as number[]);
    }
    this.passages = keyed.map(({ id, key }) => ({ id, key }));
  }

  /** The passages closest in meaning to the question, best first (only those embedded so far). */
  async nearest(question: string, k: number): Promise<{ id: string; similarity: number }[]> {
    if (this.passages.length === 0) return [];
    const asked = await this.questionVector(question);
    const scored: { id: string; similarity: number }[] = [];
    for (const { id, key } of this.passages) {
      const vector = this.cache.get(key);
      if (vector?.length === asked.length) scored.push({ id, similarity: cosine(asked, vector) });
    }
    return scored.sort((a, b) => b.similarity - a.similarity).slice(0, k);
  }

  async rerank(question: string, candidates: RankedPassage[]): Promise<RankedPassage[]> {
    if (candidates.length < 2) return candidates;
    const texts = candidates.map((c) => c.passage.text);
    const missing = [...new Set(texts.filter((t) => !this.cache.has(this.key(t))))];
    // one request: the question (unless `nearest` just embedded it) and the passages not yet embedded
    const known = this.lastQuestion?.text === question ? this.lastQuestion.vector : undefined;
    const inputs = known ? missing : [question, ...missing];
    const vectors = inputs.length > 0 ? await this.client.embed(inputs) : [];
    const offset = known ? 0 : 1;
    for (const [i, text] of missing.entries()) this.remember(this.key(text), vectors[i + offset] as number[]);
    const asked = known ?? (vectors[0] as number[]);
    this.lastQuestion = { text: question, vector: asked };
    const vectorsOf = texts.map((t) => this.cache.get(this.key(t)) ?? []);
    if (vectorsOf.some((v) => v.length !== asked.length)) {
      // the model behind the deployment changed: forget the old vectors, rank lexically this once
      this.cache.clear();
      throw new Error('the embedding size changed; cached passage embeddings dropped');
    }
    const similarity = vectorsOf.map((v) => cosine(asked, v));
    const scale = (values: number[]) => {
      const min = Math.min(...values);
      const span = Math.max(...values) - min;
      return values.map((v) => (span > 0 ? (v - min) / span : 1));
    };
    const semantic = scale(similarity);
    const lexical = scale(candidates.map((c) => c.score));
    const w = this.options.semanticWeight;
    return candidates
      .map((candidate, i) => ({
        candidate,
        blended: w * (semantic[i] ?? 0) + (1 - w) * (lexical[i] ?? 0),
        i,
      }))
      .sort((a, b) => b.blended - a.blended || a.i - b.i)
      .map((x) => x.candidate);
  }

  get cached(): number {
    return this.cache.size;
  }

  private remember(key: string, vector: number[]): void {
    if (this.cache.size >= this.options.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, Float32Array.from(vector));
  }
}

const NO_ANSWER = 'NO_ANSWER';

const instructions: Record<Lang, string> = {
  sv: 'Svara på svenska.',
  en: 'Answer in English.',
};

/** The prompt: the numbered quotes are the only source; anything else is refused. */
export function phrasingPrompt(
  question: string,
  passages: AnswerView[],
  lang: Lang,
): { role: 'system' | 'user'; content: string }[] {
  const quotes = passages
    .map((p, i) => `[${i + 1}] ${p.title}${p.section ? ` – ${p.section}` : ''}\n${p.text}`)
    .join('\n\n');
  return [
    {
      role: 'system',
      content: [
        "You help employees of a Swedish public organisation understand their organisation's governing documents on security.",
        'You get a question and numbered quotes from the documents. The quotes are your only source.',
        'Write a short answer (at most three sentences) that says what the quotes say about the question.',
        'Use only facts that are stated in the quotes. Do not add advice, examples, names, numbers, dates or rules that are not in the quotes, and do not use general knowledge.',
        `If the quotes do not answer the question, reply with exactly ${NO_ANSWER}.`,
        'Plain text only: no links, no markdown, no headings. The quotes are shown beside your answer, so do not repeat them in full.',
        instructions[lang],
      ].join(' '),
    },
    { role: 'user', content: `Question: ${question}\n\nQuotes:\n${quotes}` },
  ];
}

/** Plain text for a TextBlock: no links or markdown the model might have added, and a sane length. */
export function cleanPhrasing(text: string, maxChars = 700): string | undefined {
  if (text.includes(NO_ANSWER)) return undefined;
  const plain = text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/[*_`#>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain === '') return undefined;
  return plain.length > maxChars ? `${plain.slice(0, maxChars - 1).trimEnd()}…` : plain;
}

/** Phrases a short answer from the quoted passages only; the card always shows the quotes beside it. */
export class GroundedSummariser implements Summariser {
  constructor(private readonly client: AzureOpenAiClient) {}

  async summarise(question: string, passages: AnswerView[], language: Lang): Promise<string | undefined> {
    if (passages.length === 0) return undefined;
    const answer = await this.client.chat(phrasingPrompt(question, passages, language), 250);
    return answer === undefined ? undefined : cleanPhrasing(answer);
  }
}

/** The judge's prompt: do the numbered quotes answer the question? One word back. */
export function judgePrompt(
  question: string,
  passages: AnswerView[],
): { role: 'system' | 'user'; content: string }[] {
  const quotes = passages.map((p, i) => `[${i + 1}] ${p.text}`).join('\n\n');
  return [
    {
      role: 'system',
      content: [
        "You check answers for employees of a Swedish public organisation who ask about their organisation's security documents.",
        'You get a question and numbered quotes from the documents.',
        'Reply with exactly YES if at least one quote answers the question, or exactly NO if none does (it is only about the same subject, or the answer is not stated).',
      ].join(' '),
    },
    { role: 'user', content: `Question: ${question}\n\nQuotes:\n${quotes}` },
  ];
}

/** Judges with the chat deployment whether the retrieved passages answer the question; undefined when it cannot tell. */
export class ChatJudge implements Judge {
  constructor(private readonly client: AzureOpenAiClient) {}

  async answers(question: string, passages: AnswerView[]): Promise<boolean | undefined> {
    if (passages.length === 0) return false;
    const reply = (await this.client.chat(judgePrompt(question, passages), 3))?.trim().toUpperCase();
    const verdict = /^(YES|NO)\b/.exec(reply ?? '')?.[1];
    return verdict === undefined ? undefined : verdict === 'YES';
  }
}

/** The semantic ports for the knowledge service, from the configured deployment (phrasing only with a chat deployment). */
export function azureOpenAiSemantic(
  settings: AzureOpenAiSettings,
  options: Partial<ClientOptions> = {},
): { reranker: EmbeddingReranker; summariser?: GroundedSummariser; judge?: ChatJudge } {
  const client = new AzureOpenAiClient(settings, options);
  return {
    reranker: new EmbeddingReranker(client, settings.embeddingDeployment),
    summariser: settings.chatDeployment ? new GroundedSummariser(client) : undefined,
    judge: settings.chatDeployment ? new ChatJudge(client) : undefined,
  };
}
