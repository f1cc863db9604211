/**
 * Bearer tokens of the tab, verified with jose. Entra ID access tokens (Teams tab SSO, platform-facts §6)
 * are checked for signature (RS256, against the tenant's JWKS), audience (client id or application ID
 * URI), exp/nbf, tenant (`tid` = the organisation's), issuer of that tenant (v2
 * `login.microsoftonline.com/{tid}/v2.0` or v1 `sts.windows.net/{tid}/`) and the delegated scope.
 */
import { createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type * as Jose from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { EXIT, StartupError } from '../errors';

/** jose, loaded with the first token checked or issued, not with the service (about 40 ms of its start). */
let joseModule: typeof Jose | undefined;
const jose = (): typeof Jose => {
  joseModule ??= require('jose') as typeof Jose;
  return joseModule;
};

/** Why a token was refused; goes into WWW-Authenticate's error_description and the log, never the token itself. */
export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRejected';
  }
}

export interface TokenClaims extends JWTPayload {
  tid: string;
  oid: string;
  scp?: string;
  name?: string;
}

export interface TokenPolicy {
  /** The signing keys (a JWKS). */
  keys: JWTVerifyGetKey;
  /** Issuers trusted for a token of tenant `tid`. */
  issuers(tid: string): string[];
  audiences: string[];
  /** The organisation's tenant; a token of any other tenant is refused. */
  tenantId: string;
  /** A delegated scope the token must carry (`access_as_user` for Teams SSO). */
  scope?: string;
  /** Allowed clock difference, seconds. */
  leewaySeconds?: number;
}

/** What went wrong, in words for the log and WWW-Authenticate; undefined for errors that are not the token's fault. */
function reasonOf(error: unknown): string | undefined {
  const { errors } = jose();
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong audience';
    if (error.claim === 'nbf') return 'not yet valid';
    return `invalid ${error.claim} claim`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return 'unknown signing key';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return 'unsupported algorithm';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed';
  return undefined;
}

/**
 * Verifies a compact JWT; returns its claims or throws TokenRejected with the reason. Errors that are
 * not the token's fault (the JWKS cannot be fetched) pass through: they are a 500, not a 401.
 */
export async function verifyToken(token: string, policy: TokenPolicy, now: Date): Promise<TokenClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jose().jwtVerify(token, policy.keys, {
      algorithms: ['RS256'],
      audience: policy.audiences,
      currentDate: now,
      clockTolerance: policy.leewaySeconds ?? 60,
      requiredClaims: ['exp', 'iss', 'tid', 'oid'],
    }));
  } catch (error) {
    const reason = reasonOf(error);
    if (reason) throw new TokenRejected(reason);
    throw error;
  }
  const { tid, oid, iss, scp } = payload as Record<string, unknown>;
  if (typeof tid !== 'string' || typeof oid !== 'string') throw new TokenRejected('missing claims');
  if (tid.toLowerCase() !== policy.tenantId.toLowerCase()) throw new TokenRejected('other tenant');
  if (typeof iss !== 'string' || !policy.issuers(tid).includes(iss))
    throw new TokenRejected('untrusted issuer');
  if (policy.scope && !(typeof scp === 'string' && scp.split(' ').includes(policy.scope))) {
    throw new TokenRejected('missing scope');
  }
  return payload as TokenClaims;
}

/** Issuers of Entra ID access tokens for a tenant: v2 and v1 forms (platform-facts §6). */
export const entraIssuers = (tid: string): string[] => [
  `https://login.microsoftonline.com/${tid}/v2.0`,
  `https://sts.windows.net/${tid}/`,
];

/**
 * Tenant mode: Teams tab SSO tokens. The JWKS is fetched over HTTPS and cached by jose (an unknown key
 * id refetches at most once a minute, so a rollover is picked up and forged kids cannot hammer Entra).
 */
export function entraPolicy(tab: {
  clientId: string;
  appIdUri: string;
  jwksUrl: string;
  tenantId: string;
}): TokenPolicy {
  let remote: JWTVerifyGetKey | undefined;
  return {
    keys: (header, token) => {
      remote ??= jose().createRemoteJWKSet(new URL(tab.jwksUrl), {
        timeoutDuration: 5000,
        cooldownDuration: 60_000,
        cacheMaxAge: 6 * 3600_000,
      });
      return remote(header, token);
    },
    issuers: entraIssuers,
    audiences: [tab.clientId, tab.appIdUri],
    tenantId: tab.tenantId,
    scope: 'access_as_user',
  };
}

/**
 * The embedded default's own signing key (no tenant, no Entra): an RSA key kept in the data directory,
 * created when the first local token is issued, so tokens survive a restart. Only the embedded default
 * uses it; in tenant mode it is never read.
 */
export class LocalSigningKey {
  static readonly issuer = 'urn:varn:embedded';
  static readonly audience = 'api://localhost/varn';
  private loaded: { kid: string; privateKey: KeyObject; publicJwk: JsonWebKey } | undefined;
  private localKeys: JWTVerifyGetKey | undefined;

  constructor(private readonly file: string) {}

  private load(create: boolean) {
    if (this.loaded) return this.loaded;
    let privateJwk: JsonWebKey & { kid?: string };
    if (fs.existsSync(this.file)) {
      privateJwk = JSON.parse(fs.readFileSync(this.file, 'utf8')) as JsonWebKey & { kid?: string };
    } else if (create) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      privateJwk = { ...privateKey.export({ format: 'jwk' }), kid: `local-${Date.now().toString(36)}` };
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(this.file, JSON.stringify(privateJwk), { mode: 0o600 });
    } else {
      return undefined;
    }
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
    const kid = privateJwk.kid ?? 'local';
    this.loaded = {
      kid,
      privateKey: createPrivateKey({ key: privateJwk, format: 'jwk' }),
      publicJwk,
    };
    return this.loaded;
  }

  /**
   * Reads the key file at start, if there is one: a damaged file stops the start naming its path (it would
   * otherwise turn every tab call into an error). No file is fine: the first sign-in creates it.
   */
  check(): void {
    try {
      this.load(false);
    } catch (error) {
      throw new StartupError(
        `${this.file}: the tab's local signing key is damaged (${(error as Error).message}); delete the file to create a new one at the next sign-in (tab tokens already issued stop working)`,
        { cause: error, exitCode: EXIT.ioError },
      );
    }
  }

  /** The verification keys: none until the first local token was issued. */
  readonly keys: JWTVerifyGetKey = (header, token) => {
    const loaded = this.load(false);
    if (!loaded) throw new (jose().errors.JWKSNoMatchingKey)();
    this.localKeys ??= jose().createLocalJWKSet({
      keys: [{ ...loaded.publicJwk, kid: loaded.kid, alg: 'RS256' }] as never,
    });
    return this.localKeys(header, token);
  };

  /** A token shaped like an Entra v2 access token, for a person of the sample organisation. */
  async issue(
    claims: { tid: string; oid: string; name: string },
    now: Date,
    lifetimeSeconds = 8 * 3600,
  ): Promise<{ token: string; expiresAt: string }> {
    const loaded = this.load(true) as NonNullable<ReturnType<LocalSigningKey['load']>>;
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + lifetimeSeconds;
    const token = await new (jose().SignJWT)({ ...claims, scp: 'access_as_user', ver: '2.0' })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: loaded.kid })
      .setIssuer(LocalSigningKey.issuer)
      .setAudience(LocalSigningKey.audience)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .sign(loaded.privateKey);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }
}
