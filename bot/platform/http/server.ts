/**
 * The restify server: /api/messages through botbuilder's CloudAdapter, the tab's API under /api/…
 * (bearer token → caller, JSON in and out, AppErrors as JSON errors in the caller's language),
 * /healthz, and the tab's static files. Malformed activities get 400, not 500.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Activity, ActivityHandler, CloudAdapter } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import restify from 'restify';
import { contentTypeOf, type DocumentStore } from '../documents/port';
import { AppError } from '../errors';
import { type Lang, langOf, type MessageKey, t } from '../i18n';
import type { Logger } from '../logger';
import type { ApiResponse, ApiRoute, Authenticator } from './api';
import { TokenRejected } from './tokens';

export interface ServerDeps {
  adapter: CloudAdapter;
  /** The same authentication the adapter uses, checked first so that any bad token is a 401. */
  botAuth: BotFrameworkAuthentication;
  bot: ActivityHandler;
  log: Logger;
  /** The tab's built files (dist/tab), served at /tab/ under TAB_SECURITY_HEADERS. */
  tabDir: string;
  /** What the tab needs to know before it signs in, served at /tab/config.json (no secrets). */
  tabConfig?: TabConfig;
  /** Governing documents served at /documents/{file} (the embedded default's document store). */
  documentsDir?: string;
  /** The document store's files at /files/{id}/{name} (the embedded default's local folder). */
  files?: Pick<DocumentStore, 'get'>;
  health: () => Promise<Record<string, unknown>>;
  /** The tab's API routes, mounted under /api; each request is authenticated first. */
  api?: ApiRoute[];
  authenticator?: Authenticator;
}

const MAX_BODY_BYTES = 256 * 1024;

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

  server.post(
    '/api/messages',
    restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }),
    async (req, res) => {
      const body = req.body as unknown;
      if (
        typeof body !== 'object' ||
        body === null ||
        Array.isArray(body) ||
        typeof (body as { type?: unknown }).type !== 'string'
      ) {
        res.status(400);
        res.json({
          error: { code: 'BadRequest', message: 'the body must be a Bot Framework activity with a type' },
        });
        return;
      }
      const activity = body as { conversation?: unknown; from?: unknown; serviceUrl?: unknown };
      if (
        typeof activity.serviceUrl !== 'string' ||
        typeof activity.conversation !== 'object' ||
        activity.conversation === null
      ) {
        res.status(400);
        res.json({ error: { code: 'BadRequest', message: 'the activity lacks serviceUrl or conversation' } });
        return;
      }
      // botbuilder answers a token signed by an unknown key with 500; a request without a valid token is 401.
      try {
        await deps.botAuth.authenticateRequest(body as Activity, req.header('authorization') ?? '');
      } catch (error) {
        deps.log.warn({ err: error }, 'an activity without a valid Bot Framework token was refused');
        res.status(401);
        res.json({ error: { code: 'Unauthorized', message: 'a valid Bot Framework token is required' } });
        return;
      }
      await deps.adapter.process(req as never, res as never, (context) => deps.bot.run(context));
    },
  );

  mountApi(server, deps);

  server.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok', ...(await deps.health()) });
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
  if (deps.documentsDir) serveFolder(server, '/documents', deps.documentsDir);
  if (deps.files) serveStoredFiles(server, deps.files);
  server.get('/', async (_req, res) => {
    res.redirect(302, '/tab/', () => undefined);
  });

  server.on('restifyError', (req, res, error, callback) => {
    const status = (error as { statusCode?: number }).statusCode;
    deps.log.warn({ path: req.path(), status, err: error }, 'request failed');
    // unknown paths and methods under the tab's API answer in its JSON shape and the caller's language
    if (isApiPath(req.path()) && !res.headersSent) {
      const lang = langOf(requestedLocale(req.header('accept-language')));
      if (status === 405) sendError(res, 405, 'method_not_allowed', t(lang, 'api.methodNotAllowed'));
      else sendError(res, 404, 'not_found', t(lang, 'error.notFound'));
    }
    return callback();
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
        send(res, response);
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

/** Serves a stored file by its id; the name in the path must be the file's (links stay readable). */
function serveStoredFiles(server: restify.Server, files: Pick<DocumentStore, 'get'>): void {
  server.get('/files/:id/:name', async (req, res) => {
    const { id, name } = req.params as { id?: string; name?: string };
    const found = id ? await files.get(id) : undefined;
    if (!found || found.info.name !== name) {
      res.status(404);
      res.end();
      return;
    }
    res.setHeader('content-type', found.info.contentType);
    res.setHeader(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(found.info.name)}`,
    );
    res.setHeader('x-content-type-options', 'nosniff');
    res.writeHead(200);
    res.end(Buffer.from(found.bytes));
  });
}
