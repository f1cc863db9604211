/**
 * How the tab signs in on the embedded default (no tenant, no Entra ID, offline): the app keeps its own
 * signing key in the data directory and, through these two development endpoints, issues a token for a
 * person of the sample organisation. app.ts mounts them only when no tenant is configured; in tenant mode
 * they do not exist (404) and only Entra ID tokens are accepted. They answer requests from this machine
 * only (a loopback peer and a loopback Host name), so that neither another machine nor a DNS-rebinding page
 * in a local browser gets a token.
 *
 *   GET  /api/dev/people                 the sample organisation's people to choose from
 *   POST /api/dev/token {"personId": …}  { token, expiresAt } — a bearer token for the tab API
 */
import type restify from 'restify';
import { z } from 'zod';
import { langOf, t } from '../i18n';
import type { Directory, Person } from '../org/model';
import { isLoopbackAddress, isLoopbackHostHeader } from './loopback';
import { readJson, requestedLocale, sendError } from './server';
import { LocalSigningKey, type TokenPolicy } from './tokens';

const tokenRequest = z.object({ personId: z.string().min(1) });

/** The policy that accepts the embedded default's own tokens, and no others. */
export const embeddedPolicy = (key: LocalSigningKey, tenantId: string): TokenPolicy => ({
  keys: key.keys,
  issuers: () => [LocalSigningKey.issuer],
  audiences: [LocalSigningKey.audience],
  tenantId,
  scope: 'access_as_user',
});

/**
 * The request came from this machine (a loopback peer) and names it (a loopback Host): a page that
 * rebinds its own DNS name to 127.0.0.1 reaches the port, but with its own name in Host.
 */
export const fromThisMachine = (req: restify.Request): boolean =>
  isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHostHeader(req.header('host'));

export function mountEmbeddedLogin(
  server: restify.Server,
  deps: { directory: Directory; key: LocalSigningKey; clock: () => Date; people: () => Promise<Person[]> },
): void {
  const localOnly: restify.RequestHandler = (req, res, next) => {
    if (fromThisMachine(req)) return next();
    const lang = langOf(requestedLocale(req.header('accept-language')));
    sendError(res, 403, 'forbidden', t(lang, 'api.devLocalOnly'));
    return next(false);
  };

  server.get('/api/dev/people', localOnly, async (_req, res) => {
    const people = await deps.people();
    res.json(people.map((p) => ({ id: p.id, name: p.name, roles: p.roles, locale: p.locale })));
  });

  server.post('/api/dev/token', localOnly, async (req, res) => {
    const lang = langOf(requestedLocale(req.header('accept-language')));
    const body = await readJson(req).catch(() => undefined);
    const parsed = tokenRequest.safeParse(body);
    const person = parsed.success ? await deps.directory.person(parsed.data.personId) : undefined;
    if (!person) return sendError(res, 400, 'bad_input', t(lang, 'api.badInput', { fields: 'personId' }));
    const issued = await deps.key.issue(
      { tid: deps.directory.organisation.tenantId, oid: person.id, name: person.name },
      deps.clock(),
    );
    res.json({ ...issued, person: { id: person.id, name: person.name } });
  });
}
