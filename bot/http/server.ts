/**
 * The restify server: /api/messages through botbuilder's CloudAdapter, /healthz, and the tab's
 * static files. Malformed activities get 400, not 500.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import restify from 'restify';
import type { DocumentStore } from '../documents/port';
import type { Logger } from '../logger';

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  log: Logger;
  tabDir: string;
  /** Governing documents served at /documents/{file} (the embedded default's document store). */
  documentsDir?: string;
  /** The document store's files at /files/{id}/{name} (the embedded default's local folder). */
  files?: Pick<DocumentStore, 'get'>;
  health: () => Promise<Record<string, unknown>>;
}

const MAX_BODY_BYTES = 256 * 1024;

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'varn' });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    const body = req.body as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
      res.status(400);
      res.json({ error: { code: 'BadRequest', message: 'the body must be a Bot Framework activity with a type' } });
      return;
    }
    const activity = body as { conversation?: unknown; from?: unknown; serviceUrl?: unknown };
    if (typeof activity.serviceUrl !== 'string' || typeof activity.conversation !== 'object' || activity.conversation === null) {
      res.status(400);
      res.json({ error: { code: 'BadRequest', message: 'the activity lacks serviceUrl or conversation' } });
      return;
    }
    await deps.adapter.process(req as never, res as never, (context) => deps.bot.run(context));
  });

  server.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok', ...(await deps.health()) });
  });

  serveFolder(server, '/tab', deps.tabDir, 'index.html');
  if (deps.documentsDir) serveFolder(server, '/documents', deps.documentsDir);
  if (deps.files) serveStoredFiles(server, deps.files);
  server.get('/', async (_req, res) => {
    res.redirect(302, '/tab/index.html', () => undefined);
  });

  server.on('restifyError', (req, res, error, callback) => {
    deps.log.warn({ path: req.path(), status: (error as { statusCode?: number }).statusCode, err: error }, 'request failed');
    return callback();
  });
  return server;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Serves files under `dir` at `prefix`/…, never outside it. */
function serveFolder(server: restify.Server, prefix: string, dir: string, index?: string): void {
  const root = path.resolve(dir);
  server.get(`${prefix}/*`, async (req, res) => {
    let relative: string;
    try {
      relative = decodeURIComponent((req.path() ?? '').slice(prefix.length).replace(/^\//, '')) || (index ?? '');
    } catch {
      relative = '';
    }
    const file = path.resolve(root, relative);
    if (!relative || !file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.status(404);
      res.end();
      return;
    }
    res.setHeader('content-type', CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
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
