/**
 * Request/response shapes shared by the local Graph endpoint's handlers, and Graph's error body.
 *
 * Error body (learn.microsoft.com/graph/errors; microsoft-graph-docs-contrib concepts/errors.md and the
 * per-request error bodies in concepts/json-batching.md):
 *   {"error":{"code":"itemNotFound","message":"…","innerError":{"date":"2025-02-13T10:17:05",
 *             "request-id":"…","client-request-id":"…"}}}
 * Detailed codes (for example `fragmentOverlap`) travel in `innerError.code`, as the throttling sample
 * response does ({"code":"TooManyRequests","innerError":{"code":"429",…}}).
 */
import { randomUUID } from 'node:crypto';

/** One Graph request, either straight off the socket or unpacked from a `$batch` envelope. */
export interface GraphRequest {
  method: string;
  /** Path below the version segment, still percent-encoded, e.g. `/sites/contoso.sharepoint.com:/sites/a:/lists`. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
  requestId: string;
  clientRequestId: string;
  /** True for a request that arrived inside `$batch`. */
  inBatch: boolean;
}

export type GraphBody = Record<string, unknown> | Buffer | undefined;

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body: GraphBody;
}

/** Thrown by handlers; the dispatcher turns it into Graph's error body. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { innerCode?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export const JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Graph's `innerError.date`: UTC, seconds precision, no zone suffix ("2025-02-13T10:17:05"). */
export function innerErrorDate(now = new Date()): string {
  return now.toISOString().slice(0, 19);
}

export function errorBody(
  req: Pick<GraphRequest, 'requestId' | 'clientRequestId'>,
  code: string,
  message: string,
  innerCode?: string,
): Record<string, unknown> {
  const innerError: Record<string, string> = {};
  if (innerCode) innerError.code = innerCode;
  innerError.date = innerErrorDate();
  innerError['request-id'] = req.requestId;
  innerError['client-request-id'] = req.clientRequestId;
  return { error: { code, message, innerError } };
}

export function errorResponse(
  req: Pick<GraphRequest, 'requestId' | 'clientRequestId'>,
  err: GraphError,
): GraphResponse {
  return {
    status: err.status,
    headers: { 'Content-Type': 'application/json', ...err.options.headers },
    body: errorBody(req, err.code, err.message, err.options.innerCode),
  };
}

export function json(
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): GraphResponse {
  return { status, headers: { 'Content-Type': JSON_CONTENT_TYPE, 'OData-Version': '4.0', ...headers }, body };
}

export function noContent(): GraphResponse {
  return { status: 204, headers: {}, body: undefined };
}

export function newRequestIds(headers: Record<string, string>): {
  requestId: string;
  clientRequestId: string;
} {
  const requestId = randomUUID();
  return { requestId, clientRequestId: headers['client-request-id'] ?? requestId };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Parses a JSON request body; Graph answers malformed JSON with 400 BadRequest. */
export function jsonBody(req: GraphRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  if (!(req.headers['content-type'] ?? '').toLowerCase().includes('json')) {
    throw new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
  if (!isRecord(parsed)) throw new GraphError(400, 'BadRequest', 'The request body must be a JSON object.');
  return parsed;
}

export const notFound = (message: string): GraphError => new GraphError(404, 'itemNotFound', message);
export const invalidRequest = (message: string, innerCode?: string): GraphError =>
  new GraphError(400, 'invalidRequest', message, innerCode ? { innerCode } : {});
