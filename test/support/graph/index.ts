/**
 * A local Microsoft Graph endpoint for the SharePoint lists-and-library subset, over real HTTP on 127.0.0.1.
 * It keeps Graph's DOCUMENTED behaviour (v1.0 paths, JSON shapes, errors, paging, eTags, batching, throttling),
 * written from microsoft-graph-docs-contrib (api-reference/v1.0/api/*.md, concepts/json-batching.md,
 * concepts/throttling.md, concepts/errors.md) and the msal-node/msal-common sources; see each module's header.
 * test/contract/graphEndpoint.test.ts checks it against the documented examples. Nothing here calls anything
 * but 127.0.0.1.
 *
 * API
 *   startGraph(options?): Promise<LocalGraph>
 *     options: { port?, tenantId?, clientId?, clientSecret?, requireAuth? (true), tokenLifetimeSeconds? (3599),
 *                defaultPageSize? (200), maxPageSize? (200), listViewThreshold? (5000),
 *                simpleUploadMaxBytes? (250 MB), faults?, seed?, batchResponseOrder? ('shuffled'), sites? }
 *
 *   graph.url                 "http://127.0.0.1:<port>/v1.0" (the Graph base URL; paths as in the docs)
 *   graph.authority           "https://127.0.0.1:<port>/<tenant>" (msal-common only accepts https authorities)
 *   graph.knownAuthorities    ["127.0.0.1:<port>"]
 *   graph.tokenUrl            "http://127.0.0.1:<port>/<tenant>/oauth2/v2.0/token" (client credentials, plain HTTP)
 *   graph.msalNetworkClient   msal-node `system.networkClient` mapping the https authority onto this server
 *   graph.msalConfig()        { auth: { clientId, clientSecret, authority, knownAuthorities }, system: { networkClient } }
 *   graph.tenantId / clientId / clientSecret
 *   graph.control             test controls (below)
 *   graph.close()
 *
 *   control.createSite({ path, hostname?, displayName? }) → SiteInfo (id, hostname:/path, webUrl, driveId)
 *   control.seedList(site, { displayName, columns?, items? })  → ListInfo (columns as columnDefinition bodies)
 *   control.putFile(site, '/folder/name.txt', bytes, fields?)  → the drive item id
 *   drift, done "behind the adapter's back" (no request is counted):
 *     control.renameList / deleteList / addColumn / renameColumn (displayName; internal names never change)
 *     control.deleteColumn / setColumnIndexed / touchItem (someone else writes: new eTag) / deleteItem
 *   control.setSiteAccess(site, 'write'|'read'|'none')   the app's Sites.Selected grant: 'read' → writes are 403
 *                                              accessDenied, 'none' → every request on the site is (default 'write')
 *   control.denySite(site, denied = true)      shorthand for setSiteAccess(site, denied ? 'none' : 'write')
 *   control.addItems(site, list, [fields…])    someone else adds items → their ids
 *   control.setFaults(partial) / control.failNext(n, { status: 429|503, retryAfterSeconds?, kinds? })
 *   control.expireTokens()                     issued tokens → 401 "Lifetime validation failed, the token is expired."
 *   control.expireDeltaTokens(site, list?)     earlier drive (or list item) delta links → 410 Gone resyncRequired
 *   control.issueToken()                       a valid bearer token without going through the token endpoint
 *   control.stats() / control.resetStats() / control.requests()
 *   control.readList(site, list) / control.readFiles(site) / control.sites()   stored state as plain data
 *   control.reset()                            empty state, no faults, stats cleared, tokens kept
 *
 * Faults (options.faults / control.setFaults):
 *   throttleRate       fraction of Graph requests answered 429 TooManyRequests with Retry-After (also inside $batch)
 *   unavailableRate    fraction answered 503 serviceNotAvailable with Retry-After
 *   retryAfterSeconds  the Retry-After value (default 1)
 *   throttleKinds      only requests of these kinds are throttled (default: all Graph kinds; never token endpoints)
 *   raceRate           fraction of If-Match writes (PATCH fields, PATCH/DELETE item) where someone else updates the
 *                      item just before, so the caller's eTag is stale → 412
 *   latencyMs          added to every HTTP request the server answers (the SharePoint benchmark uses 50)
 *   resourceUnits      { units, windowSeconds }: SharePoint's resource-unit budget (1 unit for a single-item read,
 *                      a delta call with a token or a download; 2 for a multi-item query, create, update, delete or
 *                      upload; inner $batch requests one by one; throttled requests still count) → 429 with the
 *                      seconds left in the window as Retry-After
 * The $batch envelope itself is never throttled by rate; its inner requests are, one by one (json-batching.md).
 * `failNext(n, { kinds: ['batch'] })` throttles the envelope itself (Graph can refuse a whole batch).
 *
 * Request kinds (stats keys): site, lists, list, columns, column, items, item, itemFields, drive, drives,
 * driveItem, driveItem/children, driveItem/content, driveItem/createUploadSession, driveItem/delta,
 * driveItem/listItem, driveItem/listItem/fields, itemsDelta, uploadUrl, download, batch, unresolved
 * (a path that is not a known resource).
 *
 * Clients: msal-node works with `new ConfidentialClientApplication(graph.msalConfig())` (checked in the contract
 * test). @microsoft/microsoft-graph-client 3.0.7 does NOT attach the bearer token to an http:// URL: its
 * AuthenticationHandler only authorises https URLs of Graph or of `customHosts` (GraphRequestUtil.isValidEndpoint),
 * so against this server every call is 401 unless the adapter adds the header itself (own fetch, or its own
 * middleware chain), or the test starts the server with `requireAuth: false`.
 *
 * Shapes worth knowing: item ids are strings ("7"); list-item and drive-item eTags are `"{GUID},<version>"` (quotes
 * included; listitem-delta and driveItem examples) and change on every write; If-Match must repeat the eTag as
 * given (or `*`); the server picks the page size (`maxPageSize`), so follow @odata.nextLink verbatim; delta links
 * carry the first request's $select/$expand/$top.
 *
 * Deliberate limits: one document library (the site's default drive) per site; no $count, $search, $skip;
 * lookups, person columns and version history are not modelled; "only one indexed field at a time"
 * (listitem-list) is not enforced, because the docs do not say how the service refuses it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Configuration, INetworkModule } from '@azure/msal-node';
import {
  type AuthOptions,
  checkBearer,
  createMsalNetworkClient,
  instanceDiscovery,
  openIdConfiguration,
  type TokenStore,
  tokenEndpoint,
} from './auth';
import { type BatchResponseItem, runBatch } from './batch';
import type { HandlerContext, UploadSessions } from './context';
import { createControl, type GraphControl, type SiteSpec } from './controls';
import { handleDownload, handleUploadUrl } from './drive';
import { type Decision, FaultInjector, type GraphFaults } from './faults';
import {
  errorBody,
  errorResponse,
  GraphError,
  type GraphRequest,
  type GraphResponse,
  newRequestIds,
} from './http';
import { type IdentitySet, newState } from './model';
import { handlerFor, resolve, shapeOf } from './routes';
import { StatsRecorder } from './stats';

export { MAX_BATCH_REQUESTS } from './batch';
export type {
  ColumnSnapshot,
  FileSnapshot,
  GraphControl,
  ItemSnapshot,
  ListInfo,
  ListSnapshot,
  SeedList,
  SiteInfo,
  SiteSpec,
} from './controls';
export type { DirectoryGroup, DirectoryUser } from './directory';
export { CHUNK_MULTIPLE, MAX_FRAGMENT_BYTES } from './drive';
export type { FailNextOptions, GraphFaults, ResourceUnitBudget } from './faults';
export { HONOR_NON_INDEXED } from './lists';
export type { GraphStats, RecordedGraphRequest } from './stats';

// ---------------------------------------------------------------------------------------------------------------
// Types

export interface GraphOptions {
  port?: number;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  appDisplayName?: string;
  /** Graph requests need `Authorization: Bearer <token from the token endpoint>` (default true). */
  requireAuth?: boolean;
  tokenLifetimeSeconds?: number;
  defaultPageSize?: number;
  maxPageSize?: number;
  listViewThreshold?: number;
  simpleUploadMaxBytes?: number;
  faults?: Partial<GraphFaults>;
  /** Seed of the fault dice and batch response order (default 1). */
  seed?: number;
  batchResponseOrder?: 'shuffled' | 'request';
  sites?: SiteSpec[];
}

export interface LocalGraph {
  url: string;
  origin: string;
  authority: string;
  knownAuthorities: string[];
  tokenUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  msalNetworkClient: INetworkModule;
  msalConfig(): Configuration;
  control: GraphControl;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Internals

/** Writes that Graph lets a client make conditional with If-Match (listitem-update, listitem-delete). */
const CONDITIONAL_KINDS = new Set([
  'PATCH item',
  'PATCH itemFields',
  'DELETE item',
  'PATCH driveItem/listItem/fields',
]);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------

export async function startGraph(options: GraphOptions = {}): Promise<LocalGraph> {
  const auth: AuthOptions = {
    tenantId: options.tenantId ?? '7c1f3a52-9d4e-4b8a-a1f0-5e2d6c3b4a91',
    clientId: options.clientId ?? '3f9a1c2e-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
    clientSecret: options.clientSecret ?? 'local-graph-client-secret',
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
  };
  const requireAuth = options.requireAuth ?? true;
  const tokens: TokenStore = { tokens: new Map() };
  const uploads: UploadSessions = { sessions: new Map() };
  const faults = new FaultInjector(options.seed ?? 1, options.faults);
  const stats = new StatsRecorder();
  const caller: IdentitySet = {
    application: { id: auth.clientId, displayName: options.appDisplayName ?? 'Värn' },
    user: { displayName: 'SharePoint App' },
  };
  const someoneElse: IdentitySet = {
    user: {
      displayName: 'Eva Exempel',
      email: 'eva.exempel@contoso.se',
      id: 'b8e4c2a0-1d3f-4e5a-9b7c-6d8e0f1a2b3c',
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  // Idle keep-alive sockets are left for the client to close: when the server closes one as the client reuses it
  // (5 s by default, easily hit on a loaded machine), a PUT with a body fails with ECONNRESET and is not retried.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, '127.0.0.1', resolveListen));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const authorityOrigin = `https://127.0.0.1:${port}`;
  const base = `${origin}/v1.0`;

  const ctx: HandlerContext = {
    state: newState(),
    origin,
    base,
    caller,
    someoneElse,
    defaultPageSize: options.defaultPageSize ?? 200,
    maxPageSize: options.maxPageSize ?? options.defaultPageSize ?? 200,
    listViewThreshold: options.listViewThreshold ?? 5000,
    simpleUploadMaxBytes: options.simpleUploadMaxBytes ?? 250 * 1024 * 1024,
    raceNow: () => {
      const race = faults.race();
      if (race) stats.count('races');
      return race;
    },
    uploads,
  };

  /** Decides whether this Graph request is answered 429/503 instead of being served. */
  function injectedFault(
    method: string,
    kind: string,
    req: Pick<GraphRequest, 'requestId' | 'clientRequestId' | 'query'>,
  ): { res: GraphResponse; injected: 'throttled' | 'unavailable' } | undefined {
    const token = req.query.get('token');
    const decision = faults.decide(method, kind, token !== null && token !== 'latest');
    if (!decision) return undefined;
    return { res: faultResponse(decision, req), injected: decision.injected };
  }

  /** Graph's throttling answer (learn.microsoft.com/graph/throttling, "Sample response"). */
  function faultResponse(
    decision: Decision,
    req: Pick<GraphRequest, 'requestId' | 'clientRequestId'>,
  ): GraphResponse {
    const headers = { 'Content-Type': 'application/json', 'Retry-After': String(decision.retryAfterSeconds) };
    const body =
      decision.status === 429
        ? errorBody(req, 'TooManyRequests', 'Please retry again later.', '429')
        : errorBody(req, 'serviceNotAvailable', 'Service Unavailable', '503');
    return { status: decision.status, headers, body };
  }

  function withIds(
    res: GraphResponse,
    req: Pick<GraphRequest, 'requestId' | 'clientRequestId'>,
  ): GraphResponse {
    return {
      ...res,
      headers: { ...res.headers, 'request-id': req.requestId, 'client-request-id': req.clientRequestId },
    };
  }

  function asResponse(err: unknown, req: Pick<GraphRequest, 'requestId' | 'clientRequestId'>): GraphResponse {
    if (err instanceof GraphError) return errorResponse(req, err);
    return errorResponse(
      req,
      new GraphError(500, 'generalException', `Local Graph endpoint failure: ${String(err)}`),
    );
  }

  /** One Graph resource request (top level or inside $batch). */
  async function call(req: GraphRequest): Promise<GraphResponse> {
    const kind = shapeOf(ctx.state, req.path);
    const fault = injectedFault(req.method, kind, req);
    let res: GraphResponse;
    if (fault) {
      res = fault.res;
    } else {
      try {
        const { shape, target } = resolve(ctx.state, req.method, req.path);
        res = await handlerFor(req.method, shape)(req, target, ctx);
      } catch (err) {
        res = asResponse(err, req);
      }
    }
    if (
      CONDITIONAL_KINDS.has(`${req.method} ${kind}`) &&
      req.headers['if-match'] === undefined &&
      res.status < 300
    ) {
      stats.count('unconditionalWrites');
    }
    stats.record({
      method: req.method,
      path: req.path,
      query: req.query.toString(),
      kind,
      status: res.status,
      inBatch: req.inBatch,
      ...(fault ? { injected: fault.injected } : {}),
    });
    return withIds(res, req);
  }

  function shuffle(items: BatchResponseItem[]): BatchResponseItem[] {
    if ((options.batchResponseOrder ?? 'shuffled') === 'request') return items;
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(faults.roll() * (i + 1));
      [out[i], out[j]] = [out[j] as BatchResponseItem, out[i] as BatchResponseItem];
    }
    return out;
  }

  function send(res: ServerResponse, out: GraphResponse): void {
    res.statusCode = out.status;
    for (const [k, v] of Object.entries(out.headers)) res.setHeader(k, v);
    if (out.body === undefined) {
      res.end();
    } else if (Buffer.isBuffer(out.body)) {
      res.setHeader('Content-Length', out.body.length);
      res.end(out.body);
    } else {
      const text = JSON.stringify(out.body);
      res.setHeader('Content-Length', Buffer.byteLength(text));
      res.end(text);
    }
  }

  function sendJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
    send(res, { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = lowerHeaders(req);
    const body = await readBody(req);
    const ids = newRequestIds(headers);
    const path = url.pathname;

    // Identity platform stand-in (no latency, no faults).
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (token && method === 'POST') {
      stats.count('tokenRequests');
      const out = tokenEndpoint(
        tokens,
        auth,
        origin,
        decodeURIComponent(token[1] as string),
        new URLSearchParams(body.toString('utf8')),
        headers.authorization,
      );
      sendJson(res, out.status, out.body);
      return;
    }
    const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (oidc && method === 'GET') {
      stats.count('discoveryRequests');
      const tenant = decodeURIComponent(oidc[1] as string);
      if (tenant !== auth.tenantId) {
        sendJson(res, 400, {
          error: 'invalid_tenant',
          error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
        });
        return;
      }
      sendJson(res, 200, openIdConfiguration(authorityOrigin, tenant));
      return;
    }
    if (path === '/common/discovery/instance' && method === 'GET') {
      stats.count('discoveryRequests');
      sendJson(res, 200, instanceDiscovery(authorityOrigin, `127.0.0.1:${port}`, auth.tenantId));
      return;
    }
    if (/^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) {
      sendJson(res, 200, { keys: [] });
      return;
    }

    if (faults.faults.latencyMs > 0) await sleep(faults.faults.latencyMs);

    const upload = /^\/_upload\/([^/]+)$/.exec(path);
    if (upload) {
      const kind = 'uploadUrl';
      const fault =
        method === 'PUT' ? injectedFault(method, kind, { ...ids, query: url.searchParams }) : undefined;
      let out: GraphResponse;
      if (fault) out = fault.res;
      else {
        try {
          out = handleUploadUrl({ method, sessionId: upload[1] as string, headers, body }, ctx, (id) =>
            ctx.state.sites.get(id),
          );
        } catch (err) {
          out = asResponse(err, ids);
        }
      }
      stats.record({
        method,
        path,
        query: '',
        kind,
        status: out.status,
        inBatch: false,
        ...(fault ? { injected: fault.injected } : {}),
      });
      send(res, withIds(out, ids));
      return;
    }
    const download = /^\/_download\/([^/]+)\/([^/]+)$/.exec(path);
    if (download && method === 'GET') {
      let out: GraphResponse;
      try {
        out = handleDownload(
          decodeURIComponent(download[1] as string),
          download[2] as string,
          ctx.state.sites.values(),
        );
      } catch (err) {
        out = asResponse(err, ids);
      }
      stats.record({ method, path, query: '', kind: 'download', status: out.status, inBatch: false });
      send(res, withIds(out, ids));
      return;
    }

    if (!path.startsWith('/v1.0/')) {
      send(
        res,
        errorResponse(ids, new GraphError(400, 'BadRequest', `Invalid version: ${path.split('/')[1] ?? ''}`)),
      );
      return;
    }
    const graphPath = path.slice('/v1.0'.length);

    if (requireAuth) {
      const check = checkBearer(tokens, headers.authorization);
      if (!check.ok) {
        const out = errorResponse(
          ids,
          new GraphError(401, 'InvalidAuthenticationToken', check.message, {
            headers: {
              'WWW-Authenticate':
                'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
            },
          }),
        );
        stats.record({
          method,
          path: graphPath,
          query: url.searchParams.toString(),
          kind: shapeOf(ctx.state, graphPath),
          status: 401,
          inBatch: false,
        });
        send(res, withIds(out, ids));
        return;
      }
    }

    if (graphPath === '/$batch') {
      let out: GraphResponse;
      const envelopeFault = faults.takeForced('batch');
      if (envelopeFault) {
        out = faultResponse(envelopeFault, ids);
      } else if (method !== 'POST') {
        out = errorResponse(
          ids,
          new GraphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.'),
        );
      } else {
        try {
          let payload: unknown;
          try {
            payload = JSON.parse(body.toString('utf8'));
          } catch {
            throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
          }
          const responseBody = await runBatch(payload, call, { versionPrefix: '/v1.0', shuffle });
          out = {
            status: 200,
            headers: { 'Content-Type': 'application/json', 'OData-Version': '4.0' },
            body: responseBody,
          };
        } catch (err) {
          out = asResponse(err, ids);
        }
      }
      stats.recordBatch(method, graphPath, out.status);
      send(res, withIds(out, ids));
      return;
    }

    const out = await call({
      method,
      path: graphPath,
      query: url.searchParams,
      headers,
      body,
      inBatch: false,
      ...ids,
    });
    send(res, out);
  }

  const control = createControl({ ctx, faults, stats, tokens, auth, origin });

  for (const spec of options.sites ?? []) control.createSite(spec);

  const msalNetworkClient = createMsalNetworkClient(authorityOrigin, origin);
  const authority = `${authorityOrigin}/${auth.tenantId}`;

  return {
    url: base,
    origin,
    authority,
    knownAuthorities: [`127.0.0.1:${port}`],
    tokenUrl: `${origin}/${auth.tenantId}/oauth2/v2.0/token`,
    tenantId: auth.tenantId,
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    msalNetworkClient,
    msalConfig: () => ({
      auth: {
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        authority,
        knownAuthorities: [`127.0.0.1:${port}`],
      },
      system: { networkClient: msalNetworkClient },
    }),
    control,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolveClose()));
      }),
  };
}
