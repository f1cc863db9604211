/**
 * The tab's API: features declare routes; http/ authenticates the caller (a Teams SSO token,
 * validated on the server: signature, issuer, audience, tenant) before any route runs, and turns
 * AppErrors into JSON errors in the caller's language. A route never reads identity from the body.
 */
import type { Caller } from '../teams/routes';

export interface ApiRequest {
  caller: Caller;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

export interface ApiResponse {
  status?: number;
  /** JSON body, or a file. */
  json?: unknown;
  file?: { name: string; contentType: string; bytes: Uint8Array };
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** restify path under /api, e.g. '/review/cycles/:id'. */
  path: string;
  handle(request: ApiRequest): Promise<ApiResponse>;
}

/**
 * Resolves the bearer token of a request to a caller from the directory: undefined when there is no
 * token (401); throws AppError 401 for an invalid token and 403 for a person outside the directory.
 * `locale` is the request's Accept-Language choice; without it the person's own locale applies.
 */
export interface Authenticator {
  authenticate(authorization: string | undefined, locale: string | undefined): Promise<Caller | undefined>;
}
