/**
 * With a bot app id configured, /api/messages accepts only activities carrying a Bot Framework
 * token signed by a key the channel's OpenID metadata lists. The metadata is served locally here
 * (BotOpenIdMetadata), so the check runs offline and can also prove that a good token passes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startApp } from '../support/app';

const appId = '3f1c2b4a-1111-4222-8333-444455556666';
const tenantId = '9b3c2f4e-0000-4000-8000-000000000001';

async function startMetadata(): Promise<{
  url: string;
  sign: (claims: Record<string, unknown>, key?: 'trusted' | 'stranger') => Promise<string>;
  close: () => Promise<void>;
}> {
  const trusted = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const jwk = {
    ...(await exportJWK(trusted.publicKey)),
    kid: 'trusted',
    use: 'sig',
    endorsements: ['msteams'],
  };
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.end(
        JSON.stringify({
          issuer: 'https://api.botframework.com',
          jwks_uri: `${base}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (req.url === '/v1/.well-known/keys') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
  return {
    url,
    sign: (claims, key = 'trusted') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'trusted', typ: 'JWT' })
        .setIssuer('https://api.botframework.com')
        .setAudience(appId)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime('5m')
        .sign(key === 'trusted' ? trusted.privateKey : stranger.privateKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

jest.setTimeout(120_000);

test('with a bot app id configured, only a validly signed Bot Framework token gets through (401 otherwise)', async () => {
  const metadata = await startMetadata();
  const running = await startApp({
    MicrosoftAppId: appId,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppPassword: 'secret',
    MicrosoftAppTenantId: tenantId,
    BotOpenIdMetadata: metadata.url,
  });
  const serviceUrl = running.channel.serviceUrl;
  const typing = {
    type: 'typing',
    serviceUrl,
    channelId: 'msteams',
    from: { id: '29:x', aadObjectId: '85dcbc82-0000-4000-8000-000000000000' },
    conversation: { id: 'a:1', tenantId },
    recipient: { id: '28:bot' },
    channelData: { tenant: { id: tenantId } },
  };
  try {
    expect((await running.channel.post(typing)).status).toBe(401);
    expect(
      (await running.channel.post(typing, { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.' }))
        .status,
    ).toBe(401);
    const strangerToken = await metadata.sign({ serviceurl: serviceUrl }, 'stranger');
    expect((await running.channel.post(typing, { authorization: `Bearer ${strangerToken}` })).status).toBe(
      401,
    );
    const good = await metadata.sign({ serviceurl: serviceUrl });
    expect((await running.channel.post(typing, { authorization: `Bearer ${good}` })).status).toBe(200);

    // a good token vouches for its own serviceUrl only: no reply and no stored conversation go elsewhere
    const elsewhere = { ...typing, type: 'conversationUpdate', serviceUrl: 'https://attacker.example/' };
    expect((await running.channel.post(elsewhere, { authorization: `Bearer ${good}` })).status).toBe(401);
    expect(await running.app.store.conversations.list()).toEqual([]);

    // no Authorization header: refused before the body is read (the request below never sends its 10 MB)
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: running.port,
          method: 'POST',
          path: '/api/messages',
          headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(401);
  } finally {
    await running.close();
    await metadata.close();
  }
});
