/**
 * The files this service serves on the embedded default (on SharePoint the library serves them, under its
 * own permissions): governing documents at /documents/{file} and generated files such as the
 * säkerhetsbokslut at /files/{id}/{name}. Each download needs a right to read:
 *  - the tab's bearer token (the same check as the tab API): governing documents to every person of the
 *    organisation, generated files to the roles that read the säkerhetsbokslut;
 *  - or a link signed for a chat card (links.ts), valid until its expiry.
 * Every download is an audit event (who, which file, through the tab or a link).
 */
import fs from 'node:fs';
import path from 'node:path';
import type restify from 'restify';
import { type AuditEvent, auditEvent } from '../audit/model';
import { contentTypeOf, type DocumentStore } from '../documents/port';
import { AppError } from '../errors';
import { type Lang, langOf, type MessageKey, t } from '../i18n';
import type { Logger } from '../logger';
import type { Directory, Role } from '../org/model';
import type { Authenticator } from './api';
import type { LinkSigner } from './links';
import { requestedLocale } from './server';

/** Who may read generated files (the säkerhetsbokslut) with the tab's token. */
export const REPORT_READERS: readonly Role[] = [
  'securityChief',
  'securityOfficer',
  'headOfAdministration',
  'regionalDirector',
];

export interface FileAccess {
  signer: LinkSigner;
  authenticator: Authenticator;
  directory: Pick<Directory, 'person'>;
  audit(event: AuditEvent): Promise<void>;
  log: Logger;
  clock: () => Date;
}

type Kind = 'document' | 'file';

/** The reader of a request, or a refusal already sent. */
async function reader(
  req: restify.Request,
  res: restify.Response,
  access: FileAccess,
  kind: Kind,
): Promise<{ personId: string; via: 'tab' | 'link' } | undefined> {
  const requested = requestedLocale(req.header('accept-language'));
  let lang: Lang = langOf(requested);
  const refuse = (status: number, key: MessageKey, headers: Record<string, string> = {}) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.writeHead(status);
    res.end(t(lang, key));
    return undefined;
  };
  const authorization = req.header('authorization');
  if (authorization) {
    try {
      const caller = await access.authenticator.authenticate(authorization, requested);
      if (!caller) return refuse(401, 'api.unauthorized', { 'www-authenticate': 'Bearer realm="varn"' });
      lang = caller.lang;
      if (kind === 'file') {
        const person = await access.directory.person(caller.personId);
        if (!person?.roles.some((role) => REPORT_READERS.includes(role)))
          return refuse(403, 'files.forbidden');
      }
      return { personId: caller.personId, via: 'tab' };
    } catch (error) {
      if (error instanceof AppError) return refuse(error.status, error.messageKey);
      throw error;
    }
  }
  const query = new URLSearchParams(req.getQuery() ?? '');
  const person = access.signer.verify(req.path(), query);
  if (person === undefined) return refuse(403, 'files.expired');
  return { personId: person || 'signed-link', via: 'link' };
}

async function record(
  access: FileAccess,
  kind: Kind,
  recordId: string,
  who: { personId: string; via: string },
) {
  await access.audit(
    auditEvent({
      at: access.clock().toISOString(),
      actorId: who.personId,
      recordType: kind === 'file' ? 'file' : 'governingDocument',
      recordId,
      action: 'downloaded',
      comment: who.via,
    }),
  );
}

function sendBytes(
  res: restify.Response,
  name: string,
  contentType: string,
  bytes: Uint8Array,
  inline: boolean,
) {
  res.setHeader('content-type', contentType);
  res.setHeader(
    'content-disposition',
    `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('cache-control', 'private, no-store');
  res.writeHead(200);
  res.end(Buffer.from(bytes));
}

const notFound = (res: restify.Response) => {
  res.status(404);
  res.end();
};

/**
 * Governing documents under `dir` at /documents/…, never outside it. A document the `page` function can
 * render (its text) is served as a readable page with no script; any other file as it is.
 */
export function serveDocuments(
  server: restify.Server,
  dir: string,
  access: FileAccess,
  page?: (fileName: string, text: string) => string | undefined,
): void {
  const root = path.resolve(dir);
  server.get('/documents/*', async (req, res) => {
    let relative = '';
    try {
      relative = decodeURIComponent((req.path() ?? '').slice('/documents/'.length));
    } catch {
      return notFound(res);
    }
    const file = path.resolve(root, relative);
    if (!relative || !file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile())
      return notFound(res);
    const who = await reader(req, res, access, 'document');
    if (!who) return;
    await record(access, 'document', path.relative(root, file), who);
    const bytes = fs.readFileSync(file);
    const html = page?.(path.basename(file), bytes.toString('utf8'));
    if (html === undefined) return sendBytes(res, path.basename(file), contentTypeOf(file), bytes, true);
    // a page of text and inline style only: nothing on it may run, load or frame it
    res.setHeader(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    res.setHeader('referrer-policy', 'no-referrer');
    sendBytes(res, `${path.basename(file)}.html`, 'text/html; charset=utf-8', Buffer.from(html), true);
  });
}

/** Stored files by id at /files/{id}/{name}; the name must be the file's (links stay readable). */
export function serveStoredFiles(
  server: restify.Server,
  files: Pick<DocumentStore, 'get'>,
  access: FileAccess,
): void {
  server.get('/files/:id/:name', async (req, res) => {
    const { id, name } = req.params as { id?: string; name?: string };
    const found = id ? await files.get(id) : undefined;
    if (!found || found.info.name !== name) return notFound(res);
    const who = await reader(req, res, access, 'file');
    if (!who) return;
    await record(access, 'file', found.info.id ?? String(id), who);
    sendBytes(res, found.info.name, found.info.contentType, found.bytes, false);
  });
}
