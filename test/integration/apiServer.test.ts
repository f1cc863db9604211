/**
 * How the server runs a feature's API routes, over real HTTP: bodies validated by the route, AppErrors
 * as JSON in the caller's language, unknown errors as a bare 500, files, and the limits of the body.
 */
import path from 'node:path';
import {
  CloudAdapter,
  ConfigurationServiceClientCredentialFactory,
  createBotFrameworkAuthenticationFromConfiguration,
  TeamsActivityHandler,
} from 'botbuilder';
import type restify from 'restify';
import { z } from 'zod';
import { badInput, notFound } from '../../bot/platform/errors';
import type { ApiRoute } from '../../bot/platform/http/api';
import { TokenAuthenticator } from '../../bot/platform/http/auth';
import { createServer } from '../../bot/platform/http/server';
import { entraPolicy } from '../../bot/platform/http/tokens';
import { createLogger } from '../../bot/platform/logger';
import { FileDirectory } from '../../bot/platform/org/fileDirectory';
import { parseApi } from '../../bot/platform/parse';
import { person, root, sample } from '../support/app';
import { startTokenIssuer, type TokenIssuer } from '../support/tokens';

const clientId = '3f1c2b4a-1111-4222-8333-444455556666';
const johanna = person('Johanna Persson'); // sv-SE
const james = person('James Whitfield'); // en-US

const saved: { title: string; priority: number }[] = [];
const routes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/notes',
    handle: async ({ caller, body }) => {
      const input = parseApi(
        z.object({ title: z.string().min(1).max(100), priority: z.number().int().min(1).max(5) }),
        body,
      );
      saved.push(input);
      return { status: 201, json: { ...input, by: caller.name } };
    },
  },
  {
    method: 'GET',
    path: '/notes/:id',
    handle: async ({ params, query }) => {
      if (params.id !== '1') throw notFound();
      return { json: { id: params.id, view: query.view ?? 'full' } };
    },
  },
  {
    method: 'DELETE',
    path: '/notes/:id',
    handle: async () => {
      throw badInput('error.answerTooLong', { max: 7 });
    },
  },
  {
    method: 'GET',
    path: '/broken',
    handle: async () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/varn/varn.sqlite');
    },
  },
  {
    method: 'GET',
    path: '/export',
    handle: async () => ({
      file: {
        name: 'årsrapport 2026.txt',
        contentType: 'text/plain; charset=utf-8',
        bytes: new TextEncoder().encode('Säkerhetsbokslut'),
      },
    }),
  },
];

let issuer: TokenIssuer;
let server: restify.Server;
let base: string;

const log = createLogger('silent');
const directory = FileDirectory.fromFile(path.join(root, 'content/organisation.json'));

/** The server with the routes above, its Authenticator trusting the keys at `jwksUrl`. */
async function serve(jwksUrl: string): Promise<{ server: restify.Server; base: string }> {
  const authenticator = new TokenAuthenticator(
    entraPolicy({ clientId, appIdUri: issuer.appIdUri, jwksUrl, tenantId: sample.organisation.tenantId }),
    directory,
    log,
  );
  const botAuth = createBotFrameworkAuthenticationFromConfiguration(
    null,
    new ConfigurationServiceClientCredentialFactory({}),
  );
  const adapter = new CloudAdapter(botAuth);
  const started = createServer({
    adapter,
    botAuth,
    bot: new TeamsActivityHandler(),
    log,
    tabDir: path.join(root, 'tab'),
    health: async () => ({}),
    api: routes,
    authenticator,
  });
  await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', () => resolve()));
  return { server: started, base: `http://127.0.0.1:${(started.address() as { port: number }).port}/api` };
}

beforeAll(async () => {
  issuer = await startTokenIssuer({
    tenantId: sample.organisation.tenantId,
    clientId,
    appIdUri: `api://localhost/${clientId}`,
  });
  ({ server, base } = await serve(issuer.jwksUrl));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await issuer?.close();
});

const send = async (
  method: string,
  p: string,
  token: string,
  body?: string,
  headers: Record<string, string> = {},
  at = base,
) => {
  const response = await fetch(`${at}${p}`, {
    method,
    body,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined,
  };
};

test('a valid body reaches the route, which answers with its status and JSON', async () => {
  const response = await send(
    'POST',
    '/notes',
    await issuer.valid(johanna.aadObjectId),
    JSON.stringify({ title: 'Brandövning', priority: 2 }),
  );
  expect(response.status).toBe(201);
  expect(response.json).toEqual({ title: 'Brandövning', priority: 2, by: 'Johanna Persson' });
});

test("when the body fails the route's schema, then 400 names the fields in the caller's language and nothing is saved", async () => {
  const before = saved.length;
  const sv = await send(
    'POST',
    '/notes',
    await issuer.valid(johanna.aadObjectId),
    JSON.stringify({ title: '', priority: 9 }),
  );
  expect(sv.status).toBe(400);
  expect(sv.json).toEqual({
    error: { code: 'bad_input', message: 'Uppgifterna kunde inte tolkas. Kontrollera: title, priority.' },
  });
  const en = await send(
    'POST',
    '/notes',
    await issuer.valid(james.aadObjectId),
    JSON.stringify({ title: 'x' }),
  );
  expect(en.json.error.message).toBe('The data could not be read. Please check: priority.');
  expect(saved.length).toBe(before);
});

test('when the body is not JSON or too large, then 400 or 413 in JSON, and nothing is saved', async () => {
  const before = saved.length;
  const broken = await send('POST', '/notes', await issuer.valid(james.aadObjectId), '{"title": "x",');
  expect(broken.status).toBe(400);
  expect(broken.json.error).toEqual({ code: 'bad_json', message: 'What was sent was not valid JSON.' });
  const huge = await send(
    'POST',
    '/notes',
    await issuer.valid(johanna.aadObjectId),
    JSON.stringify({ title: 'x'.repeat(300 * 1024), priority: 1 }),
  );
  expect(huge.status).toBe(413);
  expect(huge.json.error.message).toContain('för stort');
  expect(saved.length).toBe(before);
});

test('route parameters and the query reach the route; an AppError becomes its status and message', async () => {
  const found = await send('GET', '/notes/1?view=short', await issuer.valid(johanna.aadObjectId));
  expect(found.json).toEqual({ id: '1', view: 'short' });
  const missing = await send('GET', '/notes/2', await issuer.valid(johanna.aadObjectId));
  expect(missing.status).toBe(404);
  expect(missing.json.error.message).toBe('Det du letar efter finns inte (längre).');
  const refused = await send('DELETE', '/notes/1', await issuer.valid(james.aadObjectId));
  expect(refused.status).toBe(400);
  expect(refused.json.error.message).toBe('The answer is too long (at most 7 characters).');
});

test("Accept-Language chooses the language over the person's own locale", async () => {
  const response = await send('GET', '/notes/2', await issuer.valid(james.aadObjectId), undefined, {
    'accept-language': 'sv-SE, en;q=0.8',
  });
  expect(response.json.error.message).toBe('Det du letar efter finns inte (längre).');
});

test('an unexpected error is a 500 that tells nothing about the internals', async () => {
  const response = await send('GET', '/broken', await issuer.valid(james.aadObjectId));
  expect(response.status).toBe(500);
  expect(response.json).toEqual({
    error: { code: 'internal', message: 'Something went wrong on my side. Please try again in a moment.' },
  });
  expect(response.text).not.toMatch(/SQLITE|varn\.sqlite/);
});

test('a route may answer with a file', async () => {
  const response = await send('GET', '/export', await issuer.valid(johanna.aadObjectId));
  expect(response.status).toBe(200);
  expect(response.text).toBe('Säkerhetsbokslut');
  expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('årsrapport 2026.txt'));
});

test('a wrong method on a known path answers in JSON too', async () => {
  const response = await send('PUT', '/notes/1', await issuer.valid(johanna.aadObjectId), '{}');
  expect(response.status).toBe(405);
  expect(response.json.error.code).toBe('method_not_allowed');
});

test('when the signing keys cannot be fetched, the caller gets a 500, not a 401 that would send them to sign in again', async () => {
  const other = await serve('http://127.0.0.1:9/keys');
  try {
    const response = await send(
      'GET',
      '/notes/1',
      await issuer.valid(johanna.aadObjectId),
      undefined,
      {},
      other.base,
    );
    expect(response.status).toBe(500);
    expect(response.json.error.code).toBe('internal');
  } finally {
    await new Promise<void>((resolve) => other.server.close(() => resolve()));
  }
});
