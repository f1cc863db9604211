/**
 * The one Graph client of the app: @microsoft/microsoft-graph-client with our middleware chain
 * (retry policy → msal-node bearer token → request counting → fetch). Callers get plain data or a
 * GraphRequestError with the status and Graph's error code; no SDK type leaks out.
 */

import type {
  Client,
  Context,
  GraphRequest,
  Middleware,
  ResponseType,
} from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logger';
import { CredentialError, type TokenProvider } from './auth';
import { RequestMetrics } from './metrics';
import { isRetryable, type RetryPolicy, retryDelayMs, retryPolicy, sleep } from './retry';

/** The SDK's ResponseType.RAW (a string enum), without loading the SDK for its value. */
const RAW = 'raw' as ResponseType;

export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly method: string,
    readonly url: string,
  ) {
    super(`${method} ${url} → ${status} ${code}: ${message}`);
    this.name = 'GraphRequestError';
  }
}

export interface GraphOptions {
  /** Origin of the Graph endpoint, e.g. https://graph.microsoft.com (tests: the local endpoint). */
  baseUrl: string;
  version?: string;
  token: TokenProvider;
  log?: Logger;
  policy?: RetryPolicy;
  /** Replaces the wait between retries (tests that must not wait real seconds). */
  sleep?: (ms: number) => Promise<void>;
  /** How many $batch calls may be in flight at once. */
  batchConcurrency?: number;
}

export interface BatchRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to the version root, starting with '/'. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const headerOf = (headers: HeadersInit | undefined, name: string): string | undefined => {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const entry = Object.entries(headers as Record<string, string>).find(
    ([key]) => key.toLowerCase() === name.toLowerCase(),
  );
  return entry?.[1];
};

class RetryMiddleware implements Middleware {
  private next!: Middleware;
  constructor(
    private readonly policy: RetryPolicy,
    private readonly wait: (ms: number) => Promise<void>,
    private readonly log?: Logger,
  ) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const method = (context.options?.method ?? 'GET').toUpperCase();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.next.execute(context);
      } catch (error) {
        // no answer at all: only a read is safe to send again; refused credentials are not retried
        if (error instanceof CredentialError || method !== 'GET' || attempt + 1 >= this.policy.attempts)
          throw error;
        await this.wait(retryDelayMs(attempt, undefined, { policy: this.policy }));
        continue;
      }
      const response = context.response;
      if (!response || !isRetryable(response.status, this.policy) || attempt + 1 >= this.policy.attempts)
        return;
      const delay = retryDelayMs(attempt, response.headers.get('Retry-After'), { policy: this.policy });
      this.log?.debug(
        { status: response.status, attempt, delay, url: String(context.request) },
        'graph: retrying',
      );
      await response.body?.cancel().catch(() => undefined);
      await this.wait(delay);
    }
  }
}

class CountMiddleware implements Middleware {
  private next!: Middleware;
  constructor(private readonly metrics: RequestMetrics) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    try {
      await this.next.execute(context);
    } finally {
      this.metrics.request(context.response?.status ?? 0);
    }
  }
}

/**
 * Puts the bearer token on each request. A 401 (the token was revoked or expired early, before
 * msal-node's cache thought so) is answered once with a fresh token; a second 401 is the caller's.
 */
class TokenMiddleware implements Middleware {
  private next!: Middleware;
  constructor(private readonly token: TokenProvider) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    for (const fresh of [false, true]) {
      const options = context.options ?? {};
      const headers = { ...((options.headers as Record<string, string> | undefined) ?? {}) };
      headers.Authorization = `Bearer ${await this.token({ fresh })}`;
      context.options = { ...options, headers };
      await this.next.execute(context);
      if (context.response?.status !== 401 || fresh) return;
      await context.response.body?.cancel().catch(() => undefined);
    }
  }
}

export class Graph {
  readonly metrics: RequestMetrics;
  private readonly client: Client;
  private readonly policy: RetryPolicy;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly version: string;

  constructor(private readonly options: GraphOptions) {
    this.metrics = new RequestMetrics(options.log);
    this.policy = options.policy ?? retryPolicy;
    this.wait = options.sleep ?? sleep;
    this.version = options.version ?? 'v1.0';
    // the SDK is loaded with the first client, not with the module: the embedded default never makes one
    const { Client, HTTPMessageHandler } =
      require('@microsoft/microsoft-graph-client') as typeof import('@microsoft/microsoft-graph-client');
    const chain: Middleware[] = [
      new RetryMiddleware(this.policy, this.wait, options.log),
      new TokenMiddleware(options.token),
      new CountMiddleware(this.metrics),
      new HTTPMessageHandler(),
    ];
    for (let i = 0; i + 1 < chain.length; i++) chain[i]?.setNext?.(chain[i + 1] as Middleware);
    this.client = Client.initWithMiddleware({
      baseUrl: options.baseUrl.replace(/\/$/, ''),
      defaultVersion: this.version,
      middleware: chain[0],
    });
  }

  /** Runs `work` as a named, counted and logged operation. */
  operation<R>(name: string, work: () => Promise<R>): Promise<R> {
    return this.metrics.operation(name, work);
  }

  /** Turns an absolute link Graph returned (@odata.nextLink, deltaLink) into a path for this client. */
  relative(link: string): string {
    if (link.startsWith('/')) return link;
    const url = new URL(link);
    const prefix = `/${this.version}`;
    return (url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname) + url.search;
  }

  async request<T>(
    method: BatchRequest['method'],
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const request = this.client.api(this.relative(path)).responseType(RAW);
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.body !== undefined && !(options.body instanceof Uint8Array))
      headers['Content-Type'] ??= 'application/json';
    request.headers(headers);
    let response: Response;
    try {
      response = await send(request, method, options.body);
    } catch (error) {
      // no HTTP answer: the token could not be had, or the endpoint could not be reached
      const { code, message } = error as { code?: string; message?: string };
      if (code === 'CredentialError') throw new CredentialError(message ?? 'no token');
      throw new GraphRequestError(0, code ?? 'networkError', message ?? String(error), method, path);
    }
    const text = await response.text();
    const body = text === '' ? undefined : parseJson(text);
    if (!response.ok) throw errorOf(response.status, body, method, path);
    return body as T;
  }

  /**
   * Sends one byte range of an upload session to its pre-authenticated upload URL (no
   * Authorization header, as Graph requires), under the same retry policy and counting.
   */
  async uploadRange(uploadUrl: string, chunk: Uint8Array, start: number, total: number): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(uploadUrl, {
        method: 'PUT',
        headers: {
          'Content-Length': String(chunk.byteLength),
          'Content-Range': `bytes ${start}-${start + chunk.byteLength - 1}/${total}`,
        },
        body: new Uint8Array(chunk) as Uint8Array<ArrayBuffer>,
      });
      this.metrics.request(response.status);
      const text = await response.text();
      if (isRetryable(response.status, this.policy) && attempt + 1 < this.policy.attempts) {
        await this.wait(retryDelayMs(attempt, response.headers.get('Retry-After'), { policy: this.policy }));
        continue;
      }
      const body = text === '' ? undefined : parseJson(text);
      if (!response.ok) throw errorOf(response.status, body, 'PUT', 'uploadUrl');
      return body;
    }
  }

  /** The bytes of a file (driveItem content; Graph answers with a redirect to a pre-authenticated URL). */
  async bytes(path: string): Promise<Uint8Array> {
    const request = this.client.api(this.relative(path)).responseType(RAW);
    let response: Response;
    try {
      response = await send(request, 'GET', undefined);
    } catch (error) {
      throw new GraphRequestError(0, 'networkError', (error as Error).message, 'GET', path);
    }
    if (!response.ok) throw errorOf(response.status, parseJson(await response.text()), 'GET', path);
    return new Uint8Array(await response.arrayBuffer());
  }

  get<T>(path: string, headers?: Record<string, string>): Promise<T> {
    return this.request<T>('GET', path, { headers });
  }
  post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
    return this.request<T>('POST', path, { body, headers });
  }
  patch<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
    return this.request<T>('PATCH', path, { body, headers });
  }
  delete(path: string, headers?: Record<string, string>): Promise<void> {
    return this.request<void>('DELETE', path, { headers });
  }

  /** Every page of a collection: follows @odata.nextLink verbatim until there is none (the server picks the page size). */
  async all<T>(path: string, headers?: Record<string, string>): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: { value?: T[]; '@odata.nextLink'?: string } = await this.get(next, headers);
      items.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    return items;
  }

  /**
   * Sends requests through $batch, at most 20 to a call, and returns one response per request in
   * order. Each inner response is checked on its own: an inner 429/503/504 is sent again (alone
   * with the other throttled ones) after its Retry-After; every other status is the caller's to judge.
   */
  async batch(requests: readonly BatchRequest[]): Promise<BatchResponse[]> {
    const results: (BatchResponse | undefined)[] = new Array(requests.length);
    let pending = requests.map((_, index) => index);
    for (let round = 0; pending.length > 0; round++) {
      const chunks: number[][] = [];
      for (let i = 0; i < pending.length; i += 20) chunks.push(pending.slice(i, i + 20));
      const throttled: { index: number; retryAfter?: string }[] = [];
      await inParallel(chunks, this.options.batchConcurrency ?? 4, async (chunk) => {
        const body = {
          requests: chunk.map((index) => {
            const r = requests[index] as BatchRequest;
            const headers = { ...(r.headers ?? {}) };
            if (r.body !== undefined) headers['Content-Type'] ??= 'application/json';
            return {
              id: String(index),
              method: r.method,
              url: r.url,
              ...(Object.keys(headers).length ? { headers } : {}),
              ...(r.body !== undefined ? { body: r.body } : {}),
            };
          }),
        };
        const answer = await this.post<{
          responses: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[];
        }>('/$batch', body);
        let inner = 0;
        for (const response of answer.responses) {
          const index = Number(response.id);
          const result = { status: response.status, headers: response.headers ?? {}, body: response.body };
          if (isRetryable(response.status, this.policy) && round + 1 < this.policy.attempts) {
            inner += 1;
            throttled.push({ index, retryAfter: headerOf(result.headers, 'Retry-After') });
          } else results[index] = result;
        }
        this.metrics.batched(chunk.length, inner);
      });
      pending = throttled.map((t) => t.index).sort((a, b) => a - b);
      if (pending.length > 0) {
        const longest = Math.max(
          ...throttled.map((t) => retryDelayMs(round, t.retryAfter, { policy: this.policy })),
        );
        this.options.log?.debug(
          { throttled: pending.length, delay: longest },
          'graph: re-sending throttled batch requests',
        );
        await this.wait(longest);
      }
    }
    return results.map((r, index) => {
      if (!r) throw new Error(`batch request ${index} got no response`);
      return r;
    });
  }

  /** Throws the inner response's error when it is not a success. */
  static check<T>(response: BatchResponse, request: BatchRequest): T {
    if (response.status >= 200 && response.status < 300) return response.body as T;
    throw errorOf(response.status, response.body, request.method, request.url);
  }
}

function send(request: GraphRequest, method: BatchRequest['method'], body: unknown): Promise<Response> {
  switch (method) {
    case 'GET':
      return request.get();
    case 'POST':
      return request.post(body ?? {});
    case 'PATCH':
      return request.patch(body ?? {});
    case 'PUT':
      return request.put(body);
    case 'DELETE':
      return request.delete();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorOf(status: number, body: unknown, method: string, url: string): GraphRequestError {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new GraphRequestError(
    status,
    error?.code ?? 'unknown',
    error?.message ?? String(body ?? ''),
    method,
    url,
  );
}

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
