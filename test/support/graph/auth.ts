/**
 * A stand-in for the Microsoft identity platform's v2.0 client-credentials endpoint, enough for msal-node's
 * ConfidentialClientApplication.acquireTokenByClientCredential to run offline:
 *   POST /{tenant}/oauth2/v2.0/token       grant_type=client_credentials, client_id, client_secret (or Basic),
 *                                          scope=https://graph.microsoft.com/.default
 *     → {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"…"}
 *     errors as Entra returns them: {"error":"invalid_client","error_description":"AADSTS7000215: …",
 *     "error_codes":[7000215],"timestamp","trace_id","correlation_id"}
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   (msal-common Authority.defaultOpenIdConfigurationEndpoint)
 *   GET  /common/discovery/instance                         (instance discovery, used without knownAuthorities)
 *
 * msal-common refuses an authority that is not https (UrlString.validateAsUri → authorityUriInsecure), so the
 * authority is `https://127.0.0.1:<port>/<tenant>` and `msalNetworkClient()` (msal-node's documented
 * `system.networkClient` option) carries msal's requests to this plain-HTTP server. It refuses every URL that is
 * not this server, so a test can never reach the real login.microsoftonline.com.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface AuthOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  tokenLifetimeSeconds: number;
}

interface IssuedToken {
  appId: string;
  expiresAt: number;
}

export interface TokenStore {
  tokens: Map<string, IssuedToken>;
}

export type AuthCheck = { ok: true; appId: string } | { ok: false; message: string };

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Issues a JWT-shaped app-only token (unsigned: nothing here validates signatures). */
export function issueToken(
  store: TokenStore,
  opts: AuthOptions,
  origin: string,
): { token: string; expiresIn: number } {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: 'https://graph.microsoft.com',
    iss: `https://sts.windows.net/${opts.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + opts.tokenLifetimeSeconds,
    appid: opts.clientId,
    idtyp: 'app',
    roles: ['Sites.Selected'],
    tid: opts.tenantId,
    oid: createHash('sha256').update(opts.clientId).digest('hex').slice(0, 32),
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
    xms_local: origin,
  };
  const token = `${b64url({ typ: 'JWT', alg: 'RS256', kid: 'local' })}.${b64url(claims)}.${randomBytes(32).toString('base64url')}`;
  store.tokens.set(token, { appId: opts.clientId, expiresAt: Date.now() + opts.tokenLifetimeSeconds * 1000 });
  return { token, expiresIn: opts.tokenLifetimeSeconds };
}

/** Checks `Authorization: Bearer …` the way Graph answers a bad token (401 InvalidAuthenticationToken). */
export function checkBearer(store: TokenStore, header: string | undefined): AuthCheck {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return { ok: false, message: 'Access token is empty.' };
  const token = (m[1] as string).trim();
  if (!token.includes('.'))
    return { ok: false, message: 'IDX14100: JWT is not well formed, there are no dots (.).' };
  const issued = store.tokens.get(token);
  if (!issued) return { ok: false, message: 'Access token validation failure. Invalid audience.' };
  if (issued.expiresAt <= Date.now())
    return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
  return { ok: true, appId: issued.appId };
}

export interface TokenHttpResponse {
  status: number;
  body: Record<string, unknown>;
}

function aadError(status: number, error: string, code: number, description: string): TokenHttpResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    },
  };
}

/** POST /{tenant}/oauth2/v2.0/token */
export function tokenEndpoint(
  store: TokenStore,
  opts: AuthOptions,
  origin: string,
  tenant: string,
  form: URLSearchParams,
  authorization: string | undefined,
): TokenHttpResponse {
  if (tenant !== opts.tenantId)
    return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
  let clientId = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (basic) {
    const [id, sec] = Buffer.from(basic[1] as string, 'base64')
      .toString('utf8')
      .split(':');
    clientId = decodeURIComponent(id ?? '');
    secret = decodeURIComponent(sec ?? '');
  }
  if (form.get('grant_type') !== 'client_credentials') {
    return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  }
  if (clientId !== opts.clientId) {
    return aadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId ?? ''}' was not found in the directory '${tenant}'.`,
    );
  }
  const assertion = form.get('client_assertion');
  if (secret !== opts.clientSecret && !assertion) {
    return aadError(
      401,
      'invalid_client',
      7000215,
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
    );
  }
  const scope = form.get('scope') ?? '';
  if (!scope.split(' ').some((s) => s.endsWith('/.default'))) {
    return aadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const { token, expiresIn } = issueToken(store, opts, origin);
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
  };
}

/** GET /{tenant}/v2.0/.well-known/openid-configuration, with the https authority msal-node validates the issuer against. */
export function openIdConfiguration(authorityOrigin: string, tenant: string): Record<string, unknown> {
  const a = `${authorityOrigin}/${tenant}`;
  return {
    token_endpoint: `${a}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${authorityOrigin}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${a}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${authorityOrigin}/oidc/userinfo`,
    authorization_endpoint: `${a}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${a}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${a}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'ver'],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/** GET /common/discovery/instance (the cloud instance discovery response msal-common parses). */
export function instanceDiscovery(
  authorityOrigin: string,
  authorityHost: string,
  tenant: string,
): Record<string, unknown> {
  return {
    tenant_discovery_endpoint: `${authorityOrigin}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [
      { preferred_network: authorityHost, preferred_cache: authorityHost, aliases: [authorityHost] },
    ],
  };
}

/**
 * msal-node `system.networkClient` that sends msal's requests to this server over plain HTTP. The https
 * authority origin and Microsoft's instance-discovery URL are mapped here; anything else is refused.
 */
export function createMsalNetworkClient(authorityOrigin: string, httpOrigin: string): INetworkModule {
  const map = (url: string): string => {
    if (url.startsWith(`${authorityOrigin}/`)) return httpOrigin + url.slice(authorityOrigin.length);
    const discovery = 'https://login.microsoftonline.com/common/discovery/instance';
    if (url.startsWith(discovery)) return httpOrigin + url.slice('https://login.microsoftonline.com'.length);
    throw new Error(`local Graph: refused a request to ${url} (only ${authorityOrigin} is served)`);
  };
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const res = await fetch(map(url), {
      method,
      headers: options?.headers,
      body: method === 'POST' ? options?.body : undefined,
    });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return { status: res.status, headers, body: (text ? JSON.parse(text) : {}) as T };
  };
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('GET', url, options),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('POST', url, options),
  };
}
