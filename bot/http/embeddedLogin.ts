/**
 * How the tab signs in on the embedded default (no tenant, no Entra ID, offline): the app keeps its own
 * signing key in the data directory and, through these two development endpoints, issues a token for a
 * person of the sample organisation. app.ts mounts them only when no tenant is configured; in tenant mode
 * they do not exist (404) and only Entra ID tokens are accepted.
 *
 *   GET  /api/dev/people                 the sample organisation's people to choose from
 *   POST /api/dev/token {"personId": …}  { token, expiresAt } — a bearer token for the tab API
 */
import type restify from 'restify';
import { z } from 'zod';
import { langOf, t } from '../i18n';
import type { Directory, Person } from '../org/model';
import { readJson, requestedLocale } from './server';
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

export function mountEmbeddedLogin(
  server: restify.Server,
  deps: { directory: Directory; key: LocalSigningKey; clock: () => Date; people: () => Promise<Person[]> },
): void {
  server.get('/api/dev/people', async (_req, res) => {
    const people = await deps.people();
    res.json(people.map((p) => ({ id: p.id, name: p.name, roles: p.roles, locale: p.locale })));
  });

  server.post('/api/dev/token', async (req, res) => {
    const lang = langOf(requestedLocale(req.header('accept-language')));
    const body = await readJson(req).catch(() => undefined);
    const parsed = tokenRequest.safeParse(body);
    const person = parsed.success ? await deps.directory.person(parsed.data.personId) : undefined;
    if (!person) {
      res.status(400);
      res.json({ error: { code: 'bad_input', message: t(lang, 'api.badInput', { fields: 'personId' }) } });
      return;
    }
    const issued = await deps.key.issue(
      { tid: deps.directory.organisation.tenantId, oid: person.id, name: person.name },
      deps.clock(),
    );
    res.json({ ...issued, person: { id: person.id, name: person.name } });
  });
}
