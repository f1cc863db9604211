/**
 * A local stand-in for Entra ID's signing keys, for the tab API's tests: serves a JWKS on 127.0.0.1 (as
 * https://login.microsoftonline.com/{tid}/discovery/v2.0/keys does) and mints access tokens shaped like
 * those Teams tab SSO hands to the tab (platform-facts §6): v2 (iss …/{tid}/v2.0, aud = client id) or
 * v1 (iss https://sts.windows.net/{tid}/, aud = api://…), scp access_as_user, tid, oid. Signed with jose.
 *
 *   const issuer = await startTokenIssuer({ tenantId, clientId, appIdUri });
 *   issuer.jwksUrl                         for VARN_TAB_JWKS_URL
 *   await issuer.valid(oid)                a good v2 token; issuer.valid(oid, { version: '1.0' }) a v1 one;
 *                                          { claims } overrides or adds claims (scp, xms_pl, …)
 *   await issuer.expired(oid) / wrongAudience(oid) / otherTenant(oid) / badSignature(oid)
 *   await issuer.mint(claims, { signWith?, kid? })   anything else
 *   issuer.requests                        how often the JWKS was fetched
 */
import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';

export interface TokenIssuer {
  jwksUrl: string;
  tenantId: string;
  clientId: string;
  appIdUri: string;
  readonly requests: number;
  mint(claims: Record<string, unknown>, options?: { signWith?: KeyObject; kid?: string }): Promise<string>;
  valid(
    oid: string,
    options?: { version?: '1.0' | '2.0'; claims?: Record<string, unknown> },
  ): Promise<string>;
  expired(oid: string): Promise<string>;
  wrongAudience(oid: string): Promise<string>;
  otherTenant(oid: string): Promise<string>;
  badSignature(oid: string): Promise<string>;
  close(): Promise<void>;
}

export const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';

export async function startTokenIssuer(options: {
  tenantId: string;
  clientId: string;
  appIdUri: string;
}): Promise<TokenIssuer> {
  const { tenantId, clientId, appIdUri } = options;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const kid = `test-${randomUUID()}`;
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (req.url !== '/discovery/v2.0/keys') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;

  const claimsFor = (oid: string, version: '1.0' | '2.0' = '2.0') => {
    const now = Math.floor(Date.now() / 1000);
    return {
      aud: version === '2.0' ? clientId : appIdUri,
      iss:
        version === '2.0'
          ? `https://login.microsoftonline.com/${tenantId}/v2.0`
          : `https://sts.windows.net/${tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      tid: tenantId,
      oid,
      scp: 'access_as_user',
      ver: version,
      azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // the Teams web client
    };
  };
  const mint: TokenIssuer['mint'] = (claims, opts = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: opts.kid ?? kid })
      .sign(opts.signWith ?? privateKey);

  return {
    jwksUrl: `http://127.0.0.1:${port}/discovery/v2.0/keys`,
    tenantId,
    clientId,
    appIdUri,
    get requests() {
      return requests;
    },
    mint,
    valid: (oid, o = {}) => mint({ ...claimsFor(oid, o.version), ...o.claims }),
    expired: (oid) => {
      const c = claimsFor(oid);
      return mint({ ...c, iat: c.iat - 7200, nbf: c.nbf - 7200, exp: c.iat - 600 });
    },
    wrongAudience: (oid) => mint({ ...claimsFor(oid), aud: '00000003-0000-0000-c000-000000000000' }),
    otherTenant: (oid) =>
      mint({
        ...claimsFor(oid),
        tid: OTHER_TENANT,
        iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`,
      }),
    badSignature: (oid) => mint(claimsFor(oid), { signWith: stranger }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
