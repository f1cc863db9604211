/**
 * The restify server: /api/messages through botbuilder's CloudAdapter (hardened in messages.ts), the tab's
 * API under /api/… (bearer token → caller, JSON in and out, AppErrors as JSON errors in the caller's
 * language, a rate per caller), /healthz (503 when the store fails), files that need a right to read them
 * (files.ts), and the tab's static files. Malformed activities get 400, not 500.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import restify from 'restify';
import { contentTypeOf, type DocumentStore } from '../documents/port';
import { AppError } from '../errors';
import { type Lang, langOf, type MessageKey, t } from '../i18n';
import type { Logger } from '../logger';
import type { ApiResponse, ApiRoute, Authenticator } from './api';
import { type FileAccess, serveDocuments, serveStoredFiles } from './files';
import { MAX_BODY_BYTES, messagesHandler } from './messages';
import type { RateLimiter } from './rateLimit';
import { TokenRejected } from './tokens';

export interface ServerDeps {
  adapter: CloudAdapter;
  /** The same authentication the adapter uses, checked first so that any bad token is a 401. */
  botAuth: BotFrameworkAuthentication;
  /** The bot's app id; absent on the embedded default, whose /api/messages trusts this machine only. */
  appId?: string;
  bot: ActivityHandler;
  log: Logger;
  /** The tab's built files (dist/tab), served at /tab/ under TAB_SECURITY_HEADERS. */
  tabDir: string;
  /** What the tab needs to know before it signs in, served at /tab/config.json (no secrets). */
  tabConfig?: TabConfig;
  /** Governing documents served at /documents/{file} (the embedded default's document store), with `fileAccess`. */
  documentsDir?: string;
  /** The readable page of a governing document's text (knowledge/page.ts), or undefined to serve the file. */
  documentPage?: (fileName: string, text: string) => string | undefined;
  /** The document store's files at /files/{id}/{name} (the embedded default's local folder), with `fileAccess`. */
  files?: Pick<DocumentStore, 'get'>;
  /** Who may download documents and files (a token or a signed link); without it none are served. */
  fileAccess?: FileAccess;
  /** Signs the file links in an API response for the caller (links.ts `linkSigning`), as the bot's messages are. */
  signLinks?: (json: unknown, personId: string) => unknown;
  /** `status: 'failing'` makes /healthz answer 503. */
  health: () => Promise<Record<string, unknown>>;
  /** Requests per caller and minute on /api/messages and the tab API (429 past it). */
  rateLimit?: RateLimiter;
  /** The tab's API routes, mounted under /api; each request is authenticated first. */
  api?: ApiRoute[];
  authenticator?: Authenticator;
}

/** The tab's sign-in: the embedded default's development sign-in, or Teams SSO for an Entra app. */
export type TabConfig = { mode: 'embedded' } | { mode: 'tenant'; clientId: string; scope: string };

/**
 * Teams and the Microsoft 365 hosts that embed personal tabs (Teams web and desktop, Outlook, the
 * Microsoft 365 app); nobody else may frame the tab.
 */
export const TAB_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://*.microsoft365.com',
  'https://*.skype.com',
];

/**
 * The tab's Content-Security-Policy: its own scripts only, no inline script; inline styles because
 * Fluent UI (Griffel) inserts its style rules at run time; API calls to this origin only (nested app
 * authentication goes through the host's bridge, not the network) and teams-js's origin list; framed by
 * Teams and Microsoft 365 only.
 */
export const TAB_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    // teams-js reads its current list of valid host origins from Microsoft's CDN (and falls back to its own list offline)
    "connect-src 'self' https://res.cdn.office.net",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${TAB_FRAME_ANCESTORS.join(' ')}`,
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'varn' });

  server.post('/api/messages', messagesHandler(deps));

  mountApi(server, deps);

  server.get('/healthz', async (_req, res) => {
    const health = { status: 'ok', ...(await deps.health()) };
    res.status(health.status === 'ok' ? 200 : 503);
    res.json(health);
  });

  const tabConfig: TabConfig = deps.tabConfig ?? { mode: 'embedded' };
  server.get('/tab/config.json', async (_req, res) => {
    for (const [name, value] of Object.entries(TAB_SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader('cache-control', 'no-store');
    res.json(tabConfig);
  });
  server.get('/tab', async (_req, res) => {
    res.redirect(301, '/tab/', () => undefined);
  });
  serveFolder(server, '/tab', deps.tabDir, 'index.html', TAB_SECURITY_HEADERS);
  if (deps.fileAccess && deps.documentsDir)
    serveDocuments(server, deps.documentsDir, deps.fileAccess, deps.documentPage);
  if (deps.fileAccess && deps.files) serveStoredFiles(server, deps.files, deps.fileAccess);
  server.get('/', async (_req, res) => {
    res.redirect(302, '/tab/', () => undefined);
  });

  server.on('restifyError', (req, res, error, callback) => {
    const status = (error as { statusCode?: number }).statusCode;
    deps.log.warn({ path: req.path(), status, err: error }, 'request failed');
    // unknown paths and methods under the tab's API answer in its JSON shape and the caller's language
    if (!isApiPath(req.path()) || res.headersSent) return callback();
    // the caller's language: Accept-Language, else the signed-in person's own (a bad token just says nothing)
    const requested = requestedLocale(req.header('accept-language'));
    const caller = deps.authenticator
      ? deps.authenticator
          .authenticate(req.header('authorization') || undefined, requested)
          .catch(() => undefined)
      : Promise.resolve(undefined);
    void caller.then((who) => {
      const lang = who?.lang ?? langOf(requested);
      if (!res.headersSent) {
        if (status === 405) sendError(res, 405, 'method_not_allowed', t(lang, 'api.methodNotAllowed'));
        else sendError(res, 404, 'not_found', t(lang, 'error.notFound'));
      }
      callback();
    });
  });
  return server;
}

const isApiPath = (p: string) => p.startsWith('/api/') && p !== '/api/messages';

/** A JSON error in the API's shape. */
export function sendError(
  res: restify.Response,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status);
  res.json({ error: { code, message } });
}

/** The language a request asks for (Accept-Language, by q-value), among the catalogue's; undefined when none. */
export function requestedLocale(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((entry) => entry.q > 0 && /^(sv|en)(-|$)/i.test(entry.tag))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked[0]?.tag;
}

class BodyTooLarge extends Error {}

/** Reads a request's JSON body (at most MAX_BODY_BYTES); undefined when empty. */
export async function readJson(req: restify.Request): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  return JSON.parse(text) as unknown;
}

const WWW_AUTHENTICATE = 'Bearer realm="varn"';

/**
 * Mounts the features' routes under /api. Per request: authenticate (401/403), read the JSON body
 * (400/413), run the route; an AppError becomes its status and catalogue message in the caller's
 * language, anything else a 500 that says nothing about the internals (the log has it).
 */
function mountApi(server: restify.Server, deps: ServerDeps): void {
  const routes = deps.api ?? [];
  const { authenticator, log } = deps;
  if (routes.length > 0 && !authenticator) throw new Error('the tab API needs an Authenticator');
  for (const route of routes) {
    if (!route.path.startsWith('/') || route.path === '/messages')
      throw new Error(`bad API path ${route.path}`);
    const handler = async (req: restify.Request, res: restify.Response) => {
      const requested = requestedLocale(req.header('accept-language'));
      let lang: Lang = langOf(requested);
      const fail = (
        status: number,
        code: string,
        key: MessageKey,
        params?: Record<string, string | number>,
        headers?: Record<string, string>,
      ) => sendError(res, status, code, t(lang, key, params), headers);
      try {
        const caller = await (authenticator as Authenticator).authenticate(
          req.header('authorization') || undefined,
          requested,
        );
        if (!caller)
          return fail(401, 'unauthenticated', 'api.unauthorized', undefined, {
            'www-authenticate': WWW_AUTHENTICATE,
          });
        lang = caller.lang;
        const rate = deps.rateLimit?.take(`api:${caller.personId}`);
        if (rate && !rate.allowed)
          return fail(
            429,
            'rate_limited',
            'error.rateLimited',
            { seconds: rate.retryAfterSeconds },
            { 'retry-after': String(rate.retryAfterSeconds) },
          );
        let body: unknown;
        try {
          body = await readJson(req);
        } catch (error) {
          if (error instanceof BodyTooLarge)
            return fail(413, 'too_large', 'api.tooLarge', { max: MAX_BODY_BYTES / 1024 });
          return fail(400, 'bad_json', 'api.badJson');
        }
        const query = Object.fromEntries(new URLSearchParams(req.getQuery() ?? ''));
        const response = await route.handle({
          caller,
          params: { ...(req.params as Record<string, string>) },
          query,
          body,
        });
        send(
          res,
          deps.signLinks && response.json !== undefined
            ? { ...response, json: deps.signLinks(response.json, caller.personId) }
            : response,
        );
      } catch (error) {
        if (error instanceof AppError) {
          log.info(
            { method: route.method, path: route.path, error: error.id, status: error.status },
            'API request refused',
          );
          const reason = error.cause instanceof TokenRejected ? error.cause.reason : undefined;
          const headers: Record<string, string> =
            error.status === 401
              ? {
                  'www-authenticate': `${WWW_AUTHENTICATE}, error="invalid_token"${reason ? `, error_description="${reason}"` : ''}`,
                }
              : {};
          return fail(error.status, error.id, error.messageKey, error.params, headers);
        }
        log.error({ err: error, method: route.method, path: route.path }, 'API request failed');
        if (!res.headersSent) fail(500, 'internal', 'error.internal');
      }
    };
    const path = `/api${route.path}`;
    if (route.method === 'GET') server.get(path, handler);
    else if (route.method === 'POST') server.post(path, handler);
    else if (route.method === 'PUT') server.put(path, handler);
    else if (route.method === 'PATCH') server.patch(path, handler);
    else server.del(path, handler);
  }
}

function send(res: restify.Response, response: ApiResponse): void {
  const status = response.status ?? 200;
  if (response.file) {
    const { name, contentType, bytes } = response.file;
    res.setHeader('content-type', contentType);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.writeHead(status);
    res.end(Buffer.from(bytes));
    return;
  }
  if (response.json === undefined) {
    res.status(status === 200 ? 204 : status);
    res.end();
    return;
  }
  res.status(status);
  res.json(response.json);
}

/** Serves files under `dir` at `prefix`/…, never outside it. */
function serveFolder(
  server: restify.Server,
  prefix: string,
  dir: string,
  index?: string,
  headers: Record<string, string> = {},
): void {
  const root = path.resolve(dir);
  server.get(`${prefix}/*`, async (req, res) => {
    let relative: string;
    try {
      relative =
        decodeURIComponent((req.path() ?? '').slice(prefix.length).replace(/^\//, '')) || (index ?? '');
    } catch {
      relative = '';
    }
    const file = path.resolve(root, relative);
    if (
      !relative ||
      !file.startsWith(root + path.sep) ||
      !fs.existsSync(file) ||
      !fs.statSync(file).isFile()
    ) {
      res.status(404);
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('content-type', contentTypeOf(file));
    res.writeHead(200);
    res.end(fs.readFileSync(file));
  });
}
