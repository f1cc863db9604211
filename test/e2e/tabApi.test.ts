/**
 * The tab's API over real HTTP, in tenant mode: Teams tab SSO tokens (Entra ID access tokens) are
 * checked on the server before any route runs. The signing keys come from a local JWKS.
 */
import { person, type Running, sample, startApp } from '../support/app';
import { startTokenIssuer, type TokenIssuer } from '../support/tokens';

const appId = '3f1c2b4a-1111-4222-8333-444455556666';
const malin = person('Malin Forsberg'); // security chief, sv-SE
const johanna = person('Johanna Persson'); // employee, sv-SE
const james = person('James Whitfield'); // employee, en-US

let running: Running;
let issuer: TokenIssuer;
let base: string;

beforeAll(async () => {
  issuer = await startTokenIssuer({
    tenantId: sample.organisation.tenantId,
    clientId: appId,
    appIdUri: `api://varn.example.se/${appId}`,
  });
  running = await startApp({
    MicrosoftAppId: appId,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppPassword: 'secret',
    MicrosoftAppTenantId: sample.organisation.tenantId,
    VARN_PUBLIC_URL: 'https://varn.example.se',
    VARN_TAB_JWKS_URL: issuer.jwksUrl,
  });
  base = `http://127.0.0.1:${running.port}/api`;
});
afterAll(async () => {
  await running?.close();
  await issuer?.close();
});

type JsonBody = Record<string, unknown> & { error: { code: string; message: string } };

async function call(
  path: string,
  token?: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    body: init.body,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as JsonBody) : undefined,
  };
}

test('when the tab calls with a valid SSO token, then the route answers for that person', async () => {
  const response = await call('/me', await issuer.valid(malin.aadObjectId));
  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({
    id: malin.aadObjectId,
    name: 'Malin Forsberg',
    lang: 'sv',
    organisation: 'Region Norrviken',
  });
  expect(response.body?.roles).toContain('securityChief');
});

test('when the token is an Entra v1 token (sts.windows.net issuer, api:// audience), then it is accepted too', async () => {
  const response = await call('/me', await issuer.valid(james.aadObjectId, { version: '1.0' }));
  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({ name: 'James Whitfield', lang: 'en' });
});

test('when there is no token, then 401 with WWW-Authenticate and a message in the language asked for', async () => {
  const sv = await call('/me');
  expect(sv.status).toBe(401);
  expect(sv.headers.get('www-authenticate')).toBe('Bearer realm="varn"');
  expect(sv.body?.error.message).toContain('Du är inte inloggad');
  const en = await call('/me', undefined, { headers: { 'accept-language': 'en-GB,en;q=0.9,sv;q=0.5' } });
  expect(en.status).toBe(401);
  expect(en.body?.error.message).toContain('You are not signed in');
});

test.each([
  ['expired', () => issuer.expired(malin.aadObjectId), 'expired'],
  ['for another audience', () => issuer.wrongAudience(malin.aadObjectId), 'wrong audience'],
  ['from another tenant', () => issuer.otherTenant(malin.aadObjectId), 'other tenant'],
  ['signed by a key not in the JWKS', () => issuer.badSignature(malin.aadObjectId), 'bad signature'],
  [
    'unsigned (alg none)',
    () =>
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ oid: malin.aadObjectId })).toString('base64url')}.x`,
    'unsupported algorithm',
  ],
  ['not a JWT', () => 'hello', 'malformed'],
])('when the token is %s, then 401 invalid_token and nothing is shown', async (_name, token, reason) => {
  const response = await call('/questions', await token());
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe(
    `Bearer realm="varn", error="invalid_token", error_description="${reason}"`,
  );
  expect(response.body).toEqual({
    error: { code: 'invalid_token', message: expect.stringContaining('Du är inte inloggad') },
  });
});

test('when the token lacks the access_as_user scope, then 401', async () => {
  const token = await issuer.valid(malin.aadObjectId, { claims: { scp: 'User.Read' } });
  expect((await call('/me', token)).status).toBe(401);
});

test('when a valid token names someone who is not in the directory, then 403 in their language', async () => {
  const response = await call('/me', await issuer.valid('0b0b0b0b-0000-4000-8000-000000000000'), {
    headers: { 'accept-language': 'en-US' },
  });
  expect(response.status).toBe(403);
  expect(response.body?.error).toEqual({
    code: 'forbidden',
    message:
      "You are not in the organisation's directory, so the tab is not open to you. In the chat with Värn you can ask questions and get answers from the governing documents.",
  });
});

test("without Accept-Language, the token's preferred language (xms_pl) chooses the language", async () => {
  const token = await issuer.valid(johanna.aadObjectId, { claims: { xms_pl: 'en-GB' } });
  const response = await call('/questions', token);
  expect(response.status).toBe(403);
  expect(response.body?.error.message).toBe('You are not allowed to do this.');
});

test('when an employee opens the security function queue, then 403 from the policy, in the language of their locale', async () => {
  const sv = await call('/questions', await issuer.valid(johanna.aadObjectId));
  expect(sv.status).toBe(403);
  expect(sv.body?.error.message).toBe('Du har inte behörighet att göra detta.');
  const en = await call('/questions', await issuer.valid(james.aadObjectId));
  expect(en.status).toBe(403);
  expect(en.body?.error.message).toBe('You are not allowed to do this.');
});

test('an escalated question: the security chief sees it in the queue, the asker may open it, another employee may not', async () => {
  // in tenant mode the local channel has no Bot Framework token, so the question is asked through the service
  const { question } = await running.app.questions.ask(
    { id: johanna.aadObjectId, name: 'Johanna Persson', locale: 'sv-SE' },
    'Får jag låna ut mitt passerkort?',
  );
  const stored = await running.app.store.questions.get(question.id);
  await running.app.store.questions.update({ ...question, status: 'escalated' }, stored?.version ?? '');

  const queue = await call('/questions', await issuer.valid(malin.aadObjectId));
  expect(queue.status).toBe(200);
  expect(queue.body).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        id: question.id,
        text: 'Får jag låna ut mitt passerkort?',
        status: 'escalated',
      }),
    ]),
  );
  expect(JSON.stringify(queue.body)).not.toContain('functionCards');

  expect((await call(`/questions/${question.id}`, await issuer.valid(johanna.aadObjectId))).status).toBe(200);
  expect((await call(`/questions/${question.id}`, await issuer.valid(james.aadObjectId))).status).toBe(403);
  const missing = await call(
    '/questions/7e0a3d1c-0000-4000-8000-000000000000',
    await issuer.valid(malin.aadObjectId),
  );
  expect(missing.status).toBe(404);
  expect(missing.body?.error.message).toBe('Det du letar efter finns inte (längre).');
  const bad = await call('/questions/not-an-id', await issuer.valid(malin.aadObjectId));
  expect(bad.status).toBe(400);
  expect(bad.body?.error.message).toContain('id');
});

test('a question goes to the tab with what the caller may do with it, so the tab hides what the server would refuse', async () => {
  const { question } = await running.app.questions.ask(
    { id: johanna.aadObjectId, name: 'Johanna Persson', locale: 'sv-SE' },
    'Måste jag låsa skärmen när jag går på lunch?',
  );
  const asked = await call(`/questions/${question.id}`, await issuer.valid(johanna.aadObjectId));
  expect(asked.body?.abilities).toEqual({ view: true, feedback: true, escalate: true, answer: false });
  const stored = await running.app.store.questions.get(question.id);
  await running.app.store.questions.update({ ...question, status: 'escalated' }, stored?.version ?? '');
  const asker = await call(`/questions/${question.id}`, await issuer.valid(johanna.aadObjectId));
  expect(asker.body?.abilities).toEqual({ view: true, feedback: true, escalate: false, answer: false });
  const queue = await call('/questions', await issuer.valid(malin.aadObjectId));
  const inQueue = (queue.body as unknown as { id: string; abilities: object }[]).find(
    (q) => q.id === question.id,
  );
  expect(inQueue?.abilities).toEqual({ view: true, feedback: false, escalate: false, answer: true });
});

test("unknown API paths answer 404 in JSON; the embedded default's development login does not exist in tenant mode", async () => {
  const unknown = await call('/nothing-here', await issuer.valid(malin.aadObjectId));
  expect(unknown.status).toBe(404);
  expect(unknown.body?.error.code).toBe('not_found');
  const devToken = await call('/dev/token', undefined, {
    method: 'POST',
    body: JSON.stringify({ personId: malin.aadObjectId }),
  });
  expect(devToken.status).toBe(404);
  expect(devToken.body?.token).toBeUndefined();
});

test('the signing keys are fetched once and reused, not per request', async () => {
  const before = issuer.requests;
  for (let i = 0; i < 5; i++) await call('/me', await issuer.valid(malin.aadObjectId));
  expect(issuer.requests - before).toBe(0);
});
