/**
 * A local stand-in for Azure OpenAI's data-plane REST API, on 127.0.0.1, for tests.
 *
 * Shapes follow the Azure OpenAI inference REST reference (learn.microsoft.com/azure/ai-services/openai/reference,
 * GA api-version 2024-10-21) and its OpenAPI examples in Azure/azure-rest-api-specs
 * `specification/cognitiveservices/data-plane/AzureOpenAI/inference/stable/2024-10-21/examples/{embeddings,chat_completions}.json`:
 *   POST {endpoint}/openai/deployments/{deployment-id}/embeddings?api-version=…        body { input: string | string[], dimensions?, encoding_format? }
 *     → 200 { object: "list", data: [{ object: "embedding", index, embedding: number[] }], model, usage: { prompt_tokens, total_tokens } }
 *   POST {endpoint}/openai/deployments/{deployment-id}/chat/completions?api-version=…  body { messages, stream?, … }
 *     → 200 { id, object: "chat.completion", created, model, choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }], usage }
 *   Auth: header `api-key` (the reference's "API key authentication"). Wrong or missing key → 401
 *     { error: { code: "401", message: "Access denied due to invalid subscription key or wrong API endpoint. …" } }.
 *   Unknown deployment → 404 { error: { code: "DeploymentNotFound", message: "The API deployment for this resource does not exist. …" } }.
 *   Missing api-version, or any other path → 404 { error: { code: "404", message: "Resource not found" } }.
 *   An embeddings call to the chat deployment (or the reverse) → 400 { error: { code: "OperationNotSupported", … } }.
 *   Injected throttling → 429 with `retry-after` and `retry-after-ms` headers and { error: { code: "429", message: "Requests to the … Operation … Please retry after N seconds…" } }.
 *
 * Embeddings are deterministic and meaningful enough to rank by: a hashed bag of lowercase word tokens (weight 1)
 * and character trigrams of each word (total weight ½ per word), signed-hashed into `dimensions` (default 256)
 * buckets and L2-normalised. Texts sharing words get a higher cosine; Swedish compounds sharing a stem get some.
 *
 * API
 *   startAzureOpenAi({ apiKey, deployments: { embeddings, chat }, dimensions?, models? }): Promise<AzureOpenAiServer>
 *   hashEmbedding(text, dimensions = 256): number[]     the function the server uses (without overrides)
 *   cosine(a, b): number
 *
 *   server.url          "http://127.0.0.1:<port>" (no trailing slash);  server.endpoint  the same with "/" (as the portal shows it)
 *   server.requests     every request: { at, method, path, operation, deployment, apiVersion, authorized, body, status }
 *   server.setEmbedding(text, vector)   exact-text override;   server.clearEmbeddings()
 *   server.embed(text)                  what the server would answer for `text` (override or hash)
 *   server.onChat((messages, request) => string | Promise<string>)   default: "Echo: <last user message>"
 *   server.failNext(n, status = 429, retryAfterSeconds = 1)  or  failNext(n, { status, retryAfterSeconds, operation })
 *   server.close()
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------------------------------------------
// Types

export type AzureOpenAiOperation = 'embeddings' | 'chat' | 'unknown';

export interface ChatMessage {
  role: string;
  content: unknown;
  name?: string;
  [key: string]: unknown;
}

export interface ChatRequest {
  messages: ChatMessage[];
  stream?: boolean;
  [key: string]: unknown;
}

export type ChatResponder = (messages: ChatMessage[], request: ChatRequest) => string | Promise<string>;

export interface RecordedAzureRequest {
  at: number;
  method: string;
  path: string;
  operation: AzureOpenAiOperation;
  deployment?: string;
  apiVersion?: string;
  authorized: boolean;
  body: unknown;
  status: number;
}

export interface AzureFailureOptions {
  status?: number;
  retryAfterSeconds?: number;
  /** Only this operation consumes the failure. Default: both. */
  operation?: Exclude<AzureOpenAiOperation, 'unknown'>;
}

export interface StartAzureOpenAiOptions {
  apiKey: string;
  deployments: { embeddings: string; chat: string };
  /** Embedding length when the request gives no `dimensions`. Default 256. */
  dimensions?: number;
  /** Model names reported in responses. */
  models?: { embeddings?: string; chat?: string };
}

export interface AzureOpenAiServer {
  readonly url: string;
  readonly endpoint: string;
  readonly port: number;
  readonly apiKey: string;
  readonly deployments: { embeddings: string; chat: string };
  readonly requests: RecordedAzureRequest[];
  setEmbedding(text: string, vector: number[]): void;
  clearEmbeddings(): void;
  embed(text: string, dimensions?: number): number[];
  onChat(responder: ChatResponder): void;
  failNext(n: number, statusOrOptions?: number | AzureFailureOptions, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Embedding function

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function addHashed(vector: number[], feature: string, weight: number): void {
  const h = fnv1a(feature);
  const bucket = h % vector.length;
  const sign = (fnv1a(`±${feature}`) & 1) === 0 ? 1 : -1;
  vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
}

/** Lowercase word tokens (Unicode letters and digits). */
export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Deterministic hashed bag-of-words + character-trigram embedding, L2-normalised. */
export function hashEmbedding(text: string, dimensions = 256): number[] {
  if (!Number.isInteger(dimensions) || dimensions < 1)
    throw new Error(`hashEmbedding: bad dimensions ${dimensions}`);
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of tokenize(text)) {
    addHashed(vector, `w:${word}`, 1);
    const padded = `#${word}#`;
    const trigrams: string[] = [];
    for (let i = 0; i + 3 <= padded.length; i++) trigrams.push(padded.slice(i, i + 3));
    const weight = 0.5 / Math.sqrt(trigrams.length);
    for (const t of trigrams) addHashed(vector, `t:${t}`, weight);
  }
  const norm = Math.sqrt(vector.reduce((s, x) => s + x * x, 0));
  if (norm === 0) {
    vector[fnv1a(text) % dimensions] = 1;
    return vector;
  }
  return vector.map((x) => x / norm);
}

export { cosine } from '../../bot/platform/ai/azureOpenAi';

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

// ---------------------------------------------------------------------------------------------------------------
// Server

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`Azure OpenAI fake ${status}`);
  }
}

function azureError(status: number, code: string, message: string): ApiError {
  return new ApiError(status, { error: { code, message } });
}

function invalidRequest(message: string, param: string | null = null): ApiError {
  return new ApiError(400, { error: { message, type: 'invalid_request_error', param, code: null } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const PATH = /^\/openai\/deployments\/([^/]+)\/(embeddings|chat\/completions)\/?$/;

const OPERATION_NAMES: Record<Exclude<AzureOpenAiOperation, 'unknown'>, string> = {
  embeddings: 'Embeddings_Create',
  chat: 'ChatCompletions_Create',
};

interface PendingFailure {
  remaining: number;
  status: number;
  retryAfterSeconds: number;
  operation: Exclude<AzureOpenAiOperation, 'unknown'> | undefined;
}

export async function startAzureOpenAi(options: StartAzureOpenAiOptions): Promise<AzureOpenAiServer> {
  const defaultDimensions = options.dimensions ?? 256;
  const models = {
    embeddings: options.models?.embeddings ?? 'text-embedding-3-small',
    chat: options.models?.chat ?? 'gpt-4o-mini',
  };
  const overrides = new Map<string, number[]>();
  const requests: RecordedAzureRequest[] = [];
  const failures: PendingFailure[] = [];
  let responder: ChatResponder = (messages) => {
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    return `Echo: ${typeof lastUser?.content === 'string' ? lastUser.content : JSON.stringify(lastUser?.content ?? '')}`;
  };

  function embed(text: string, dimensions = defaultDimensions): number[] {
    const override = overrides.get(text);
    return override ? [...override] : hashEmbedding(text, dimensions);
  }

  function embeddings(body: Record<string, unknown>): unknown {
    const input = body.input;
    let inputs: string[];
    if (typeof input === 'string') inputs = [input];
    else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === 'string'))
      inputs = input as string[];
    else
      throw invalidRequest(
        "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
        'input',
      );
    if (inputs.length > 2048)
      throw invalidRequest('Too many inputs. The max number of inputs is 2048.', 'input');
    if (inputs.some((s) => s === ''))
      throw invalidRequest(
        "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
        'input',
      );
    const dims = body.dimensions;
    if (dims !== undefined && (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1)) {
      throw invalidRequest('Invalid value for dimensions.', 'dimensions');
    }
    const base64 = body.encoding_format === 'base64';
    const promptTokens = inputs.reduce((s, t) => s + estimateTokens(t), 0);
    return {
      object: 'list',
      data: inputs.map((text, index) => {
        const vector = embed(text, typeof dims === 'number' ? dims : defaultDimensions);
        return {
          object: 'embedding',
          index,
          embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
        };
      }),
      model: models.embeddings,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    };
  }

  async function chat(
    body: Record<string, unknown>,
  ): Promise<{ content: string; request: ChatRequest; promptTokens: number }> {
    const messages = body.messages;
    if (
      !Array.isArray(messages) ||
      messages.length === 0 ||
      !messages.every((m) => isRecord(m) && typeof m.role === 'string')
    ) {
      throw invalidRequest(
        "'$.messages' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
        'messages',
      );
    }
    const request = body as ChatRequest;
    const content = await responder(request.messages, request);
    const promptTokens = request.messages.reduce(
      (s, m) =>
        s + estimateTokens(typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '')),
      0,
    );
    return { content, request, promptTokens };
  }

  function takeFailure(
    operation: Exclude<AzureOpenAiOperation, 'unknown'>,
    apiVersion: string,
  ): ApiError | undefined {
    const f = failures.find(
      (x) => x.remaining > 0 && (x.operation === undefined || x.operation === operation),
    );
    if (!f) return undefined;
    f.remaining -= 1;
    const headers: Record<string, string> = {
      'retry-after': String(f.retryAfterSeconds),
      'retry-after-ms': String(f.retryAfterSeconds * 1000),
    };
    const message =
      f.status === 429
        ? `Requests to the ${OPERATION_NAMES[operation]} Operation under Azure OpenAI API version ${apiVersion} have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after ${f.retryAfterSeconds} second${f.retryAfterSeconds === 1 ? '' : 's'}. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`
        : `Injected failure ${f.status}.`;
    return new ApiError(f.status, { error: { code: String(f.status), message } }, headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const text = await readBody(req);
    const m = PATH.exec(url.pathname);
    const operation: AzureOpenAiOperation = !m ? 'unknown' : m[2] === 'embeddings' ? 'embeddings' : 'chat';
    const apiKey = req.headers['api-key'];
    const entry: RecordedAzureRequest = {
      at: Date.now(),
      method,
      path: url.pathname + url.search,
      operation,
      authorized: apiKey === options.apiKey,
      body: undefined,
      status: 0,
    };
    const apiVersion = url.searchParams.get('api-version');
    if (apiVersion !== null) entry.apiVersion = apiVersion;
    if (m?.[1] !== undefined) entry.deployment = decodeURIComponent(m[1]);
    requests.push(entry);

    try {
      if (text !== '') {
        try {
          entry.body = JSON.parse(text) as unknown;
        } catch {
          entry.body = text;
        }
      }
      if (operation === 'unknown' || method !== 'POST') throw azureError(404, '404', 'Resource not found');
      if (!entry.authorized) {
        throw azureError(
          401,
          '401',
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        );
      }
      if (apiVersion === null || apiVersion === '') throw azureError(404, '404', 'Resource not found');
      const deployment = entry.deployment ?? '';
      const known = [options.deployments.embeddings, options.deployments.chat];
      if (!known.includes(deployment)) {
        throw azureError(
          404,
          'DeploymentNotFound',
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        );
      }
      const expected = operation === 'embeddings' ? options.deployments.embeddings : options.deployments.chat;
      if (deployment !== expected) {
        const model = deployment === options.deployments.chat ? models.chat : models.embeddings;
        throw azureError(
          400,
          'OperationNotSupported',
          `The ${operation === 'embeddings' ? 'embeddings' : 'chatCompletion'} operation does not work with the specified model, ${model}. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.`,
        );
      }
      const failure = takeFailure(operation, apiVersion);
      if (failure) throw failure;
      if (!isRecord(entry.body)) throw invalidRequest('We could not parse the JSON body of your request.');

      if (operation === 'embeddings') {
        return respond(res, entry, 200, embeddings(entry.body));
      }
      const { content, request, promptTokens } = await chat(entry.body);
      const id = `chatcmpl-${randomBytes(15).toString('base64url')}`;
      const created = Math.floor(Date.now() / 1000);
      const completionTokens = estimateTokens(content);
      if (request.stream === true) {
        entry.status = 200;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: models.chat, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        res.write(chunk({ role: 'assistant', content }, null));
        res.write(chunk({}, 'stop'));
        res.end('data: [DONE]\n\n');
        return;
      }
      return respond(res, entry, 200, {
        id,
        object: 'chat.completion',
        created,
        model: models.chat,
        system_fingerprint: 'fp_local',
        choices: [
          { index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      });
    } catch (err) {
      if (err instanceof ApiError) return respond(res, entry, err.status, err.body, err.headers);
      return respond(res, entry, 500, {
        error: { code: 'InternalServerError', message: err instanceof Error ? err.message : String(err) },
      });
    }
  }

  function respond(
    res: ServerResponse,
    entry: RecordedAzureRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    entry.status = status;
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(payload)),
      'apim-request-id': randomBytes(16).toString('hex'),
    });
    res.end(payload);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(err) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    endpoint: `${url}/`,
    port,
    apiKey: options.apiKey,
    deployments: { ...options.deployments },
    requests,
    setEmbedding: (text, vector) => {
      overrides.set(text, [...vector]);
    },
    clearEmbeddings: () => overrides.clear(),
    embed,
    onChat: (fn) => {
      responder = fn;
    },
    failNext: (n, statusOrOptions, retryAfterSeconds) => {
      const opts: AzureFailureOptions =
        typeof statusOrOptions === 'number' ? { status: statusOrOptions } : { ...(statusOrOptions ?? {}) };
      failures.push({
        remaining: n,
        status: opts.status ?? 429,
        retryAfterSeconds: retryAfterSeconds ?? opts.retryAfterSeconds ?? 1,
        operation: opts.operation,
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
