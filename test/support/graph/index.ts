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
 *   control.denySite(site, denied = true)      every request on the site → 403 accessDenied (no Sites.Selected grant)
 *   control.setFaults(partial) / control.failNext(n, { status: 429|503, retryAfterSeconds?, kinds? })
 *   control.expireTokens()                     issued tokens → 401 "Lifetime validation failed, the token is expired."
 *   control.expireDeltaTokens(site)            earlier delta links → 410 Gone resyncRequired
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
 * The $batch envelope itself is never throttled by rate; its inner requests are, one by one (json-batching.md).
 *
 * Request kinds (stats keys): site, lists, list, columns, column, items, item, itemFields, drive, drives,
 * driveItem, driveItem/children, driveItem/content, driveItem/createUploadSession, driveItem/delta,
 * driveItem/listItem, driveItem/listItem/fields, uploadUrl, download, batch, token, unresolved.
 *
 * Deliberate limits: one document library (the site's default drive) per site; no $orderby, $count, $search;
 * list-item delta, lookups, person columns and versions history are not modelled.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Configuration, INetworkModule } from '@azure/msal-node';
import {
  type AuthOptions,
  checkBearer,
  createMsalNetworkClient,
  instanceDiscovery,
  issueToken,
  openIdConfiguration,
  type TokenStore,
  tokenEndpoint,
} from './auth';
import { type BatchResponseItem, runBatch } from './batch';
import type { HandlerContext, UploadSessions } from './context';
import { handleDownload, handleUploadUrl, writeFile } from './drive';
import {
  errorBody,
  errorResponse,
  GraphError,
  type GraphRequest,
  type GraphResponse,
  isRecord,
  newRequestIds,
} from './http';
import { fieldsJson, removeColumn } from './lists';
import {
  addList,
  applyColumnPatch,
  childNamed,
  columnFromDefinition,
  createItem,
  createSite,
  findColumn,
  findSite,
  type IdentitySet,
  itemETag,
  itemPath,
  type ListRecord,
  newDriveItem,
  newList,
  newState,
  requireItem,
  requireList,
  type SiteRecord,
  siteWebUrl,
  touchList,
  updateItem,
} from './model';
import { handlerFor, resolve, shapeOf } from './routes';

export { MAX_BATCH_REQUESTS } from './batch';
export { CHUNK_MULTIPLE, MAX_FRAGMENT_BYTES } from './drive';
export { HONOR_NON_INDEXED } from './lists';

// ---------------------------------------------------------------------------------------------------------------
// Types

export interface GraphFaults {
  throttleRate: number;
  unavailableRate: number;
  retryAfterSeconds: number;
  throttleKinds: string[] | undefined;
  raceRate: number;
  latencyMs: number;
}

export interface FailNextOptions {
  status?: 429 | 503;
  retryAfterSeconds?: number;
  /** Only requests of these kinds consume the failure (default: any Graph request). */
  kinds?: string[];
}

export interface SiteSpec {
  path: string;
  hostname?: string;
  displayName?: string;
  description?: string;
}

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

export interface SiteInfo {
  id: string;
  hostname: string;
  path: string;
  /** `hostname:/path`, the form GET /sites/{hostname}:/{path} takes. */
  byPath: string;
  webUrl: string;
  driveId: string;
  libraryListId: string;
}

export interface SeedList {
  displayName: string;
  description?: string;
  /** columnDefinition bodies, e.g. { name: 'Status', choice: { choices: ['open', 'done'] }, indexed: true }. */
  columns?: Record<string, unknown>[];
  items?: Record<string, unknown>[];
}

export interface ListInfo {
  id: string;
  name: string;
  displayName: string;
  itemIds: string[];
}

export interface ColumnSnapshot {
  id: string;
  name: string;
  displayName: string;
  type: string;
  indexed: boolean;
  required: boolean;
  readOnly: boolean;
}

export interface ItemSnapshot {
  id: string;
  eTag: string;
  version: number;
  /** Column values as Graph returns them in `fields` (includes id, Created, Modified, …). */
  fields: Record<string, unknown>;
  createdBy: IdentitySet;
  lastModifiedBy: IdentitySet;
}

export interface ListSnapshot {
  id: string;
  name: string;
  displayName: string;
  template: string;
  columns: ColumnSnapshot[];
  items: ItemSnapshot[];
}

export interface FileSnapshot {
  id: string;
  path: string;
  size: number;
  content: Buffer;
  eTag: string;
  fields: Record<string, unknown>;
}

export interface RecordedGraphRequest {
  at: number;
  method: string;
  /** Path below /v1.0 (or /_upload/…, /_download/…), as sent. */
  path: string;
  query: string;
  kind: string;
  status: number;
  inBatch: boolean;
  injected?: 'throttled' | 'unavailable';
}

export interface GraphStats {
  /** Graph resource requests, counting each request inside a $batch (as throttling does). */
  total: number;
  /** HTTP round trips to Graph (a $batch envelope counts once). */
  httpRequests: number;
  batches: number;
  batchedRequests: number;
  byKind: Record<string, number>;
  /** Keyed `METHOD kind`, e.g. `PATCH itemFields`. */
  byMethodKind: Record<string, number>;
  byStatus: Record<string, number>;
  throttled: number;
  unavailable: number;
  races: number;
  tokenRequests: number;
}

export interface GraphControl {
  createSite(spec: SiteSpec): SiteInfo;
  seedList(site: string, spec: SeedList): ListInfo;
  putFile(site: string, path: string, content: Buffer | string, fields?: Record<string, unknown>): string;
  renameList(site: string, list: string, displayName: string): void;
  deleteList(site: string, list: string): void;
  addColumn(site: string, list: string, definition: Record<string, unknown>): void;
  renameColumn(site: string, list: string, column: string, displayName: string): void;
  deleteColumn(site: string, list: string, column: string): void;
  setColumnIndexed(site: string, list: string, column: string, indexed: boolean): void;
  /** Someone else updates the item (its eTag changes); `fields` optional. Returns the new eTag. */
  touchItem(site: string, list: string, itemId: string, fields?: Record<string, unknown>): string;
  deleteItem(site: string, list: string, itemId: string): void;
  denySite(site: string, denied?: boolean): void;
  setFaults(faults: Partial<GraphFaults>): void;
  failNext(n: number, options?: FailNextOptions): void;
  expireTokens(): void;
  expireDeltaTokens(site: string): void;
  issueToken(): string;
  stats(): GraphStats;
  resetStats(): void;
  requests(): RecordedGraphRequest[];
  readList(site: string, list: string): ListSnapshot;
  readFiles(site: string): FileSnapshot[];
  sites(): SiteInfo[];
  reset(): void;
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

interface PendingFailure {
  status: 429 | 503;
  retryAfterSeconds: number;
  kinds?: string[];
}

const DEFAULT_FAULTS: GraphFaults = {
  throttleRate: 0,
  unavailableRate: 0,
  retryAfterSeconds: 1,
  throttleKinds: undefined,
  raceRate: 0,
  latencyMs: 0,
};

/** mulberry32: a small seeded PRNG, so fault runs repeat. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function emptyStats(): GraphStats {
  return {
    total: 0,
    httpRequests: 0,
    batches: 0,
    batchedRequests: 0,
    byKind: {},
    byMethodKind: {},
    byStatus: {},
    throttled: 0,
    unavailable: 0,
    races: 0,
    tokenRequests: 0,
  };
}

const bump = (rec: Record<string, number>, key: string): void => {
  rec[key] = (rec[key] ?? 0) + 1;
};

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
  let faults: GraphFaults = { ...DEFAULT_FAULTS, ...options.faults };
  let random = seededRandom(options.seed ?? 1);
  let stats = emptyStats();
  let log: RecordedGraphRequest[] = [];
  const pending: PendingFailure[] = [];
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
      const race = faults.raceRate > 0 && random() < faults.raceRate;
      if (race) stats.races++;
      return race;
    },
    uploads,
  };

  function record(entry: Omit<RecordedGraphRequest, 'at'>): void {
    log.push({ at: Date.now(), ...entry });
    stats.total++;
    bump(stats.byKind, entry.kind);
    bump(stats.byMethodKind, `${entry.method} ${entry.kind}`);
    bump(stats.byStatus, String(entry.status));
    if (entry.inBatch) stats.batchedRequests++;
    else stats.httpRequests++;
    if (entry.injected === 'throttled') stats.throttled++;
    if (entry.injected === 'unavailable') stats.unavailable++;
  }

  /** Decides whether this Graph request is answered 429/503 instead of being served. */
  function injectedFault(
    kind: string,
    req: Pick<GraphRequest, 'requestId' | 'clientRequestId'>,
  ): { res: GraphResponse; injected: 'throttled' | 'unavailable' } | undefined {
    let status: 429 | 503 | undefined;
    let retryAfter = faults.retryAfterSeconds;
    const idx = pending.findIndex((p) => !p.kinds || p.kinds.includes(kind));
    if (idx >= 0) {
      const p = pending.splice(idx, 1)[0];
      if (p) {
        status = p.status;
        retryAfter = p.retryAfterSeconds;
      }
    } else if (!faults.throttleKinds || faults.throttleKinds.includes(kind)) {
      if (faults.throttleRate > 0 && random() < faults.throttleRate) status = 429;
      else if (faults.unavailableRate > 0 && random() < faults.unavailableRate) status = 503;
    }
    if (status === undefined) return undefined;
    const headers = { 'Content-Type': 'application/json', 'Retry-After': String(retryAfter) };
    if (status === 429) {
      return {
        res: { status, headers, body: errorBody(req, 'TooManyRequests', 'Please retry again later.', '429') },
        injected: 'throttled',
      };
    }
    return {
      res: { status, headers, body: errorBody(req, 'serviceNotAvailable', 'Service Unavailable', '503') },
      injected: 'unavailable',
    };
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
    const fault = injectedFault(kind, req);
    let res: GraphResponse;
    if (fault) {
      res = fault.res;
    } else {
      try {
        const { shape, target } = resolve(ctx.state, req.path);
        if (target.site?.denied) throw new GraphError(403, 'accessDenied', 'Access denied');
        res = await handlerFor(req.method, shape)(req, target, ctx);
      } catch (err) {
        res = asResponse(err, req);
      }
    }
    record({
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
      const j = Math.floor(random() * (i + 1));
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
      stats.tokenRequests++;
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
      sendJson(res, 200, instanceDiscovery(authorityOrigin, `127.0.0.1:${port}`, auth.tenantId));
      return;
    }
    if (/^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) {
      sendJson(res, 200, { keys: [] });
      return;
    }

    if (faults.latencyMs > 0) await sleep(faults.latencyMs);

    const upload = /^\/_upload\/([^/]+)$/.exec(path);
    if (upload) {
      const kind = 'uploadUrl';
      const fault = method === 'PUT' ? injectedFault(kind, ids) : undefined;
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
      record({
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
      record({ method, path, query: '', kind: 'download', status: out.status, inBatch: false });
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
        record({
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
      stats.batches++;
      let out: GraphResponse;
      if (method !== 'POST') {
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
      stats.httpRequests++;
      bump(stats.byKind, 'batch');
      bump(stats.byStatus, String(out.status));
      log.push({
        at: Date.now(),
        method,
        path: graphPath,
        query: '',
        kind: 'batch',
        status: out.status,
        inBatch: false,
      });
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

  // -------------------------------------------------------------------------------------------------------------
  // Controls

  function site(ref: string): SiteRecord {
    const s = findSite(ctx.state, ref);
    if (!s) throw new Error(`local Graph: no site ${ref}`);
    return s;
  }

  function siteInfo(s: SiteRecord): SiteInfo {
    return {
      id: s.id,
      hostname: s.hostname,
      path: s.path,
      byPath: `${s.hostname}:${s.path}`,
      webUrl: siteWebUrl(s),
      driveId: s.drive.id,
      libraryListId: s.drive.listId,
    };
  }

  function list(siteRef: string, listRef: string): { s: SiteRecord; l: ListRecord } {
    const s = site(siteRef);
    return { s, l: requireList(s, listRef) };
  }

  function column(l: ListRecord, ref: string) {
    const c = findColumn(l, ref);
    if (!c) throw new Error(`local Graph: no column ${ref} in ${l.displayName}`);
    return c;
  }

  const control: GraphControl = {
    createSite(spec) {
      return siteInfo(createSite(ctx.state, spec));
    },
    seedList(siteRef, spec) {
      const s = site(siteRef);
      const l = newList({ displayName: spec.displayName, description: spec.description }, someoneElse);
      for (const def of spec.columns ?? []) l.columns.push(columnFromDefinition(def));
      addList(s, l);
      const itemIds = (spec.items ?? []).map((fields) => String(createItem(l, fields, someoneElse).id));
      return { id: l.id, name: l.name, displayName: l.displayName, itemIds };
    },
    putFile(siteRef, path, content, fields) {
      const s = site(siteRef);
      const names = path.split('/').filter(Boolean);
      const fileName = names.pop();
      if (!fileName) throw new Error('local Graph: putFile needs a file name');
      let parent = s.drive.items.get(s.drive.rootId);
      for (const n of names) {
        if (!parent) break;
        parent = childNamed(s.drive, parent.id, n) ?? newDriveItem(s.drive, parent.id, n, true, someoneElse);
      }
      if (!parent) throw new Error('local Graph: no root folder');
      const [item] = writeFile(
        { ...ctx, caller: someoneElse },
        s,
        parent,
        fileName,
        Buffer.isBuffer(content) ? content : Buffer.from(content),
        'replace',
      );
      if (fields && item.listItemId !== undefined) {
        const lib = requireList(s, s.drive.listId);
        const li = requireItem(lib, String(item.listItemId));
        updateItem(lib, li, fields, someoneElse);
      }
      return item.id;
    },
    renameList(siteRef, listRef, displayName) {
      const { l } = list(siteRef, listRef);
      l.displayName = displayName;
      touchList(l);
    },
    deleteList(siteRef, listRef) {
      const { s, l } = list(siteRef, listRef);
      s.lists.delete(l.id);
    },
    addColumn(siteRef, listRef, definition) {
      const { l } = list(siteRef, listRef);
      l.columns.push(columnFromDefinition(definition));
      touchList(l);
    },
    renameColumn(siteRef, listRef, col, displayName) {
      const { l } = list(siteRef, listRef);
      applyColumnPatch(column(l, col), { displayName });
      touchList(l);
    },
    deleteColumn(siteRef, listRef, col) {
      const { l } = list(siteRef, listRef);
      removeColumn(l, column(l, col));
    },
    setColumnIndexed(siteRef, listRef, col, indexed) {
      const { l } = list(siteRef, listRef);
      column(l, col).indexed = indexed;
      touchList(l);
    },
    touchItem(siteRef, listRef, itemId, fields = {}) {
      const { l } = list(siteRef, listRef);
      const item = requireItem(l, itemId);
      updateItem(l, item, fields, someoneElse);
      return itemETag(item);
    },
    deleteItem(siteRef, listRef, itemId) {
      const { l } = list(siteRef, listRef);
      l.items.delete(requireItem(l, itemId).id);
    },
    denySite(siteRef, denied = true) {
      site(siteRef).denied = denied;
    },
    setFaults(partial) {
      faults = { ...faults, ...partial };
    },
    failNext(n, opts = {}) {
      for (let i = 0; i < n; i++) {
        pending.push({
          status: opts.status ?? 429,
          retryAfterSeconds: opts.retryAfterSeconds ?? faults.retryAfterSeconds,
          ...(opts.kinds ? { kinds: opts.kinds } : {}),
        });
      }
    },
    expireTokens() {
      for (const t of tokens.tokens.values()) t.expiresAt = 0;
    },
    expireDeltaTokens(siteRef) {
      const s = site(siteRef);
      s.drive.tokenFloor = s.drive.seq + 1;
      s.drive.seq++;
    },
    issueToken() {
      return issueToken(tokens, auth, origin).token;
    },
    stats() {
      return structuredClone(stats);
    },
    resetStats() {
      stats = emptyStats();
      log = [];
    },
    requests() {
      return log.map((r) => ({ ...r }));
    },
    readList(siteRef, listRef) {
      const { l } = list(siteRef, listRef);
      return {
        id: l.id,
        name: l.name,
        displayName: l.displayName,
        template: l.template,
        columns: l.columns.map((c) => ({
          id: c.id,
          name: c.name,
          displayName: c.displayName,
          type: c.type,
          indexed: c.indexed,
          required: c.required,
          readOnly: c.readOnly,
        })),
        items: [...l.items.values()]
          .sort((a, b) => a.id - b.id)
          .map((i) => {
            const { '@odata.etag': _etag, ...fields } = fieldsJson(l, i);
            return {
              id: String(i.id),
              eTag: itemETag(i),
              version: i.version,
              fields,
              createdBy: i.createdBy,
              lastModifiedBy: i.modifiedBy,
            };
          }),
      };
    },
    readFiles(siteRef) {
      const s = site(siteRef);
      const lib = requireList(s, s.drive.listId);
      return [...s.drive.items.values()]
        .filter((i) => !i.deleted && !i.isFolder)
        .map((i) => {
          const li = i.listItemId === undefined ? undefined : lib.items.get(i.listItemId);
          const { '@odata.etag': _etag, ...fields } = li ? fieldsJson(lib, li) : {};
          return {
            id: i.id,
            path: itemPath(s.drive, i),
            size: i.content.length,
            content: Buffer.from(i.content),
            eTag: `"{${i.guid.toUpperCase()}},${i.version}"`,
            fields,
          };
        })
        .sort((a, b) => a.path.localeCompare(b.path));
    },
    sites() {
      return [...ctx.state.sites.values()].map(siteInfo);
    },
    reset() {
      ctx.state = newState();
      uploads.sessions.clear();
      faults = { ...DEFAULT_FAULTS };
      pending.length = 0;
      random = seededRandom(options.seed ?? 1);
      stats = emptyStats();
      log = [];
    },
  };

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

export { isRecord };
