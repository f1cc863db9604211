/**
 * Delta queries, shared by driveItem delta and listItem delta (microsoft-graph-docs-contrib api-reference/v1.0/api
 * driveitem-delta.md, listitem-delta.md): without a token the current state is enumerated in pages joined by
 * @odata.nextLink, the last page carries @odata.deltaLink; that link later returns what changed since (deleted
 * entries with the `deleted` facet); `?token=latest` returns no items and a deltaLink; a token the service can no
 * longer serve is 410 Gone with a resync code and a Location header that starts a fresh enumeration.
 * Links carry only `token`, so the first request's $select/$expand/$top ride inside it.
 */
import type { HandlerContext } from './context';
import { GraphError, type GraphRequest, type GraphResponse, invalidRequest, json } from './http';
import { parseTop } from './odata';

interface DeltaToken {
  /** Changes after this sequence number; `full` for the initial enumeration. */
  since: number;
  full: boolean;
  /** Sequence number an enumeration runs up to. */
  until: number;
  offset: number;
  /** The query options of the first request. */
  q: string;
}

const encode = (t: DeltaToken): string => Buffer.from(JSON.stringify(t)).toString('base64url');

function decode(raw: string): DeltaToken {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as DeltaToken;
    if (
      typeof t.since === 'number' &&
      typeof t.until === 'number' &&
      typeof t.offset === 'number' &&
      typeof t.q === 'string'
    )
      return t;
  } catch {
    // not a token of ours
  }
  throw invalidRequest('The delta token is not valid.', 'invalidParameterFormat');
}

export interface DeltaEntry {
  seq: number;
  render: (query: URLSearchParams) => Record<string, unknown>;
}

export interface DeltaSource {
  /** Path below /v1.0 of the delta function, e.g. `/drives/{id}/root/delta`. */
  path: string;
  context: string;
  /** Current end of the change log, and the oldest sequence a token may start from. */
  seq: number;
  tokenFloor: number;
  /** Entries to return, in order: the current state when `full`, else everything changed after `since`. */
  entries: (since: number, full: boolean) => DeltaEntry[];
}

export function deltaResponse(req: GraphRequest, ctx: HandlerContext, src: DeltaSource): GraphResponse {
  const raw = req.query.get('token') ?? undefined;
  const link = (t: DeltaToken): string => `${ctx.base}${src.path}?token=${encode(t)}`;
  const first = new URLSearchParams(req.query);
  first.delete('token');
  if (raw === 'latest') {
    const at = { since: src.seq, full: false, until: src.seq, offset: 0, q: first.toString() };
    return json(200, { '@odata.context': src.context, value: [], '@odata.deltaLink': link(at) });
  }
  const token = raw ? decode(raw) : { since: 0, full: true, until: src.seq, offset: 0, q: first.toString() };
  if (!token.full && token.since < src.tokenFloor) {
    throw new GraphError(
      410,
      'resyncRequired',
      'Resync required. The delta token is no longer valid; restart the enumeration.',
      {
        innerCode: 'resyncChangesApplyDifferences',
        headers: { Location: `${ctx.base}${src.path}` },
      },
    );
  }
  const query = new URLSearchParams(token.q);
  const all = src.entries(token.since, token.full);
  const pageSize = Math.max(Math.min(parseTop(query) ?? ctx.defaultPageSize, ctx.maxPageSize), 1);
  const page = all.slice(token.offset, token.offset + pageSize);
  const body: Record<string, unknown> = {
    '@odata.context': src.context,
    value: page.map((e) => e.render(query)),
  };
  if (token.offset + pageSize < all.length) {
    body['@odata.nextLink'] = link({ ...token, offset: token.offset + pageSize });
  } else {
    const until = Math.max(token.until, ...page.map((e) => e.seq));
    body['@odata.deltaLink'] = link({ since: until, full: false, until, offset: 0, q: token.q });
  }
  return json(200, body);
}
