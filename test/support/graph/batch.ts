/**
 * JSON batching (learn.microsoft.com/graph/json-batching; microsoft-graph-docs-contrib concepts/json-batching.md):
 *   POST /v1.0/$batch {"requests":[{"id":"1","method":"GET","url":"/me/…","headers":{…},"body":{…},"dependsOn":["…"]}]}
 *   → 200 {"responses":[{"id":"1","status":200,"headers":{…},"body":{…}}, …]}
 * - at most 20 requests ("JSON batch requests are currently limited to 20 individual requests"); a malformed batch
 *   (too many requests, duplicate ids, missing fields, a body without Content-Type) is answered 400 as a whole;
 * - "Individual responses might appear in a different order than the requests";
 * - "If an individual request fails, any request that depends on that request fails with status code 424";
 * - "Requests in a batch are evaluated individually against the applicable throttling limits" → an inner 429.
 * A body is a JSON object, or base64 when it is not JSON (e.g. file bytes), both ways.
 */
import {
  errorBody,
  GraphError,
  type GraphRequest,
  type GraphResponse,
  isRecord,
  newRequestIds,
} from './http';

export const MAX_BATCH_REQUESTS = 20;

interface BatchStep {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

function parseSteps(payload: unknown): BatchStep[] {
  if (!isRecord(payload) || !Array.isArray(payload.requests))
    throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
  if (payload.requests.length === 0) throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
  if (payload.requests.length > MAX_BATCH_REQUESTS) {
    throw new GraphError(
      400,
      'BadRequest',
      `Number of requests inside batch exceeds the limit of ${MAX_BATCH_REQUESTS}.`,
    );
  }
  const steps: BatchStep[] = [];
  const ids = new Set<string>();
  for (const raw of payload.requests) {
    if (
      !isRecord(raw) ||
      typeof raw.id !== 'string' ||
      typeof raw.method !== 'string' ||
      typeof raw.url !== 'string'
    ) {
      throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
    }
    const lowerId = raw.id.toLowerCase();
    if (ids.has(lowerId))
      throw new GraphError(400, 'BadRequest', `Batch request contains duplicate id '${raw.id}'.`);
    ids.add(lowerId);
    const headers: Record<string, string> = {};
    if (isRecord(raw.headers))
      for (const [k, v] of Object.entries(raw.headers)) headers[k.toLowerCase()] = String(v);
    if (raw.body !== undefined && headers['content-type'] === undefined) {
      throw new GraphError(
        400,
        'BadRequest',
        `Request '${raw.id}': a Content-Type header is required when a body is supplied.`,
      );
    }
    const dependsOn = Array.isArray(raw.dependsOn) ? raw.dependsOn.map(String) : [];
    steps.push({
      id: raw.id,
      method: raw.method.toUpperCase(),
      url: raw.url,
      headers,
      body: raw.body,
      dependsOn,
    });
  }
  for (const step of steps) {
    for (const dep of step.dependsOn) {
      if (!ids.has(dep.toLowerCase()))
        throw new GraphError(400, 'BadRequest', `Request '${step.id}' depends on unknown request '${dep}'.`);
    }
  }
  return steps;
}

/** Orders the steps so that each runs after the steps it depends on; a cycle is a malformed batch. */
function executionOrder(steps: BatchStep[]): BatchStep[] {
  const byId = new Map(steps.map((s) => [s.id.toLowerCase(), s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: BatchStep[] = [];
  const visit = (s: BatchStep): void => {
    const key = s.id.toLowerCase();
    if (done.has(key)) return;
    if (visiting.has(key))
      throw new GraphError(400, 'BadRequest', 'The dependsOn graph of the batch contains a cycle.');
    visiting.add(key);
    for (const dep of s.dependsOn) visit(byId.get(dep.toLowerCase()) as BatchStep);
    visiting.delete(key);
    done.add(key);
    order.push(s);
  };
  for (const s of steps) visit(s);
  return order;
}

function innerRequest(step: BatchStep, versionPrefix: string): GraphRequest {
  let url = step.url;
  const abs = /^https?:\/\/[^/]+(\/.*)$/.exec(url);
  if (abs) url = abs[1] as string;
  if (!url.startsWith('/')) url = `/${url}`;
  if (url.startsWith(`${versionPrefix}/`)) url = url.slice(versionPrefix.length);
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  let body = Buffer.alloc(0);
  if (step.body !== undefined) {
    const isJson = (step.headers['content-type'] ?? '').includes('json');
    body =
      isJson || typeof step.body !== 'string'
        ? Buffer.from(JSON.stringify(step.body))
        : Buffer.from(step.body, 'base64');
  }
  return {
    method: step.method,
    path,
    query,
    headers: step.headers,
    body,
    inBatch: true,
    ...newRequestIds(step.headers),
  };
}

export interface BatchResponseItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export async function runBatch(
  payload: unknown,
  call: (req: GraphRequest) => Promise<GraphResponse>,
  opts: { versionPrefix: string; shuffle: (items: BatchResponseItem[]) => BatchResponseItem[] },
): Promise<Record<string, unknown>> {
  const steps = parseSteps(payload);
  const statuses = new Map<string, number>();
  const responses: BatchResponseItem[] = [];
  for (const step of executionOrder(steps)) {
    const req = innerRequest(step, opts.versionPrefix);
    const failedDep = step.dependsOn.find((d) => (statuses.get(d.toLowerCase()) ?? 0) >= 400);
    let res: GraphResponse;
    if (failedDep !== undefined) {
      res = {
        status: 424,
        headers: { 'Content-Type': 'application/json' },
        body: errorBody(
          req,
          'FailedDependency',
          `Request '${step.id}' was not run because request '${failedDep}' failed.`,
        ),
      };
    } else {
      res = await call(req);
    }
    statuses.set(step.id.toLowerCase(), res.status);
    const item: BatchResponseItem = { id: step.id, status: res.status, headers: res.headers };
    if (Buffer.isBuffer(res.body)) item.body = res.body.toString('base64');
    else if (res.body !== undefined) item.body = res.body;
    responses.push(item);
  }
  return { responses: opts.shuffle(responses) };
}
