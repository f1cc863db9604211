/**
 * The directory and Teams-app subset of the local Graph endpoint: users, a user's manager, a group's transitive
 * members and installing an app in a user's personal scope. Written from microsoft-graph-docs-contrib
 * (api-reference/v1.0/api/…), i.e. learn.microsoft.com/graph/api/…:
 *
 *   user-list.md ("List users")  GET /users
 *     - Without $select only the default properties come back (businessPhones, displayName, givenName, jobTitle,
 *       mail, mobilePhone, officeLocation, preferredLanguage, surname, userPrincipalName, id); accountEnabled,
 *       userType and department must be asked for with $select.
 *     - Default page 100, $top 1–999; further pages through @odata.nextLink (a $skiptoken), followed verbatim.
 *     - $filter: `eq` on accountEnabled / userType / department is a default query; `ne` and `not` are advanced
 *       queries (aad-advanced-queries.md): without `ConsistencyLevel: eventual` and `$count=true` → 400
 *       Request_UnsupportedQuery.
 *     - $expand=manager($select=id) puts the direct manager on each user (user-list-manager.md, "GET
 *       /users?$expand=manager"); $levels is only for a single user and needs ConsistencyLevel.
 *   user-list-manager.md ("List manager")  GET /users/{id}/manager → the manager (`@odata.type`
 *     #microsoft.graph.user); a user with none → 404 Request_ResourceNotFound.
 *   group-list-transitivemembers.md ("List group transitive members")  GET /groups/{id}/transitiveMembers and
 *     …/transitiveMembers/microsoft.graph.user: a flat list of all nested members (each once). "To filter the
 *     results on the OData type … you must use the advanced query parameters. That is, the ConsistencyLevel header
 *     set to eventual and the $count=true query string" — without them the cast is refused (400
 *     Request_UnsupportedQuery); with them the page carries @odata.count.
 *   group-get.md  GET /groups/{id} ($select honoured).
 *   userteamwork-post-installedapps.md ("Install app for user")  POST /users/{id}/teamwork/installedApps with
 *     {"teamsApp@odata.bind":"https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}"} → 201 Created, no body.
 *     The app already installed for the user → 409 Conflict (Graph's error for a duplicate installation; the page
 *     names only the 201); an app not in the catalog or an unknown user → 404; a user the tenant's app permission
 *     policy blocks the app for → 403 Forbidden (control.blockApp).
 * Unknown ids → 404 Request_ResourceNotFound "Resource '<id>' does not exist or one of its queried
 * reference-property objects are not present." (the directory's error shape in errors.md examples).
 */
import type { Handler } from './context';
import { GraphError, json, jsonBody } from './http';
import {
  evaluateFilter,
  type FilterExpr,
  linkWith,
  option,
  parseExpand,
  parseFilter,
  parseSelect,
  parseTop,
} from './odata';

export interface DirectoryUser {
  id: string;
  displayName: string;
  mail?: string | null;
  userPrincipalName?: string;
  department?: string | null;
  jobTitle?: string | null;
  preferredLanguage?: string | null;
  accountEnabled?: boolean;
  userType?: 'Member' | 'Guest' | null;
  managerId?: string;
}

export interface DirectoryGroup {
  id: string;
  displayName: string;
  /** Direct members: user or group ids. */
  members: string[];
}

export interface DirectoryState {
  users: Map<string, DirectoryUser>;
  groups: Map<string, DirectoryGroup>;
  /** App catalog ids (teamsApp ids) known to the tenant. */
  catalogApps: Set<string>;
  /** userId → catalog app ids installed in the user's personal scope. */
  installed: Map<string, Set<string>>;
  /** userId → app ids the tenant's app permission policy blocks for that user (403). */
  blocked: Map<string, Set<string>>;
}

export function newDirectoryState(): DirectoryState {
  return {
    users: new Map(),
    groups: new Map(),
    catalogApps: new Set(),
    installed: new Map(),
    blocked: new Map(),
  };
}

const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];
const DIRECTORY_PAGE = 100;
const DIRECTORY_MAX_PAGE = 999;

const notFound = (id: string): GraphError =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
const unsupported = (message: string): GraphError => new GraphError(400, 'Request_UnsupportedQuery', message);

function advanced(req: { headers: Record<string, string>; query: URLSearchParams }): boolean {
  return (
    (req.headers.consistencylevel ?? '').toLowerCase() === 'eventual' && option(req.query, 'count') === 'true'
  );
}

function userJson(user: DirectoryUser, select: string[] | undefined): Record<string, unknown> {
  const names = select ?? DEFAULT_USER_PROPERTIES;
  const full: Record<string, unknown> = {
    businessPhones: [],
    givenName: null,
    surname: null,
    mobilePhone: null,
    officeLocation: null,
    mail: null,
    jobTitle: null,
    preferredLanguage: null,
    department: null,
    accountEnabled: true,
    userType: 'Member',
    userPrincipalName: `${user.id}@contoso.onmicrosoft.com`,
    ...user,
  };
  const out: Record<string, unknown> = {};
  for (const name of names) if (name in full && name !== 'managerId') out[name] = full[name];
  return out;
}

function page<T>(
  items: T[],
  req: { query: URLSearchParams },
  base: string,
  path: string,
): { value: T[]; nextLink?: string } {
  const top = parseTop(req.query);
  if (top !== undefined && (top < 1 || top > DIRECTORY_MAX_PAGE))
    throw new GraphError(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${top}'. Must be between 1 and ${DIRECTORY_MAX_PAGE} inclusive.`,
    );
  const size = top ?? DIRECTORY_PAGE;
  const skipToken = option(req.query, 'skiptoken');
  const start = skipToken === undefined ? 0 : decodeSkip(skipToken);
  const value = items.slice(start, start + size);
  if (start + size >= items.length) return { value };
  return {
    value,
    nextLink: linkWith(base, path, req.query, {
      $skiptoken: Buffer.from(`X'${(start + size).toString(16)}'`).toString('base64url'),
    }),
  };
}

function decodeSkip(token: string): number {
  const m = /^X'([0-9a-f]+)'$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m)
    throw new GraphError(
      400,
      'Request_BadRequest',
      'The specified page token value has expired or is invalid.',
    );
  return Number.parseInt(m[1] as string, 16);
}

/** `ne` and `not` are advanced queries on directory objects (aad-advanced-queries.md). */
function needsAdvanced(expr: FilterExpr): boolean {
  switch (expr.kind) {
    case 'not':
      return true;
    case 'and':
    case 'or':
      return needsAdvanced(expr.left) || needsAdvanced(expr.right);
    case 'compare':
      return expr.op === 'ne';
    default:
      return false;
  }
}

const FILTERABLE = new Set([
  'accountEnabled',
  'userType',
  'department',
  'displayName',
  'mail',
  'id',
  'jobTitle',
]);

function userOf(state: DirectoryState, id: string): DirectoryUser {
  const decoded = decodeURIComponent(id);
  const user =
    state.users.get(decoded) ??
    [...state.users.values()].find((u) => u.userPrincipalName?.toLowerCase() === decoded.toLowerCase());
  if (!user) throw notFound(decoded);
  return user;
}

function transitiveMembers(state: DirectoryState, groupId: string): (DirectoryUser | DirectoryGroup)[] {
  const out = new Map<string, DirectoryUser | DirectoryGroup>();
  const seen = new Set<string>();
  const visit = (id: string) => {
    const group = state.groups.get(id);
    if (!group || seen.has(id)) return;
    seen.add(id);
    for (const member of group.members) {
      const user = state.users.get(member);
      if (user) out.set(member, user);
      const nested = state.groups.get(member);
      if (nested) {
        if (member !== groupId) out.set(member, nested);
        visit(member);
      }
    }
  };
  visit(groupId);
  return [...out.values()];
}

const isUser = (o: DirectoryUser | DirectoryGroup): o is DirectoryUser => !('members' in o);

export const directoryRoutes: Record<string, Handler> = {
  'GET users': (req, _target, ctx) => {
    const state = ctx.state.directory;
    const select = parseSelect(option(req.query, 'select'));
    const expandText = option(req.query, 'expand');
    // user-list-manager: "The $levels parameter is only supported on a single user … not the entire users list"
    if (expandText && /\$?levels=/.test(expandText))
      throw unsupported(
        "Transitive manager's list is only supported on a single user, send the $expand request on /users/{id} endpoint",
      );
    const expand = parseExpand(expandText);
    for (const e of expand) {
      if (e.name !== 'manager')
        throw unsupported(`Could not find a property named '${e.name}' on type 'microsoft.graph.user'.`);
    }
    const filterText = option(req.query, 'filter');
    let users = [...state.users.values()];
    if (filterText) {
      const expr = parseFilter(filterText);
      if (needsAdvanced(expr) && !advanced(req))
        throw unsupported(
          "Unsupported or invalid query filter clause specified for property 'ne'/'not' without ConsistencyLevel.",
        );
      users = users.filter((u) =>
        evaluateFilter(expr, (path) => {
          if (!FILTERABLE.has(path))
            throw unsupported(
              `Unsupported or invalid query filter clause specified for property '${path}' of resource 'User'.`,
            );
          return (userJson(u, [path])[path] as unknown) ?? null;
        }),
      );
    }
    const { value, nextLink } = page(users, req, ctx.base, '/users');
    const manager = expand.find((e) => e.name === 'manager');
    const body: Record<string, unknown> = {
      '@odata.context': `${ctx.base.replace(/\/v1\.0$/, '/v1.0/$metadata')}#users${select ? `(${select.join(',')})` : ''}`,
      value: value.map((u) => {
        const out = userJson(u, select);
        if (manager && u.managerId) {
          const m = state.users.get(u.managerId);
          if (m)
            out.manager = {
              '@odata.type': '#microsoft.graph.user',
              ...userJson(m, manager.select ?? ['id', 'displayName']),
            };
        }
        return out;
      }),
    };
    if (advanced(req)) body['@odata.count'] = users.length;
    if (nextLink) body['@odata.nextLink'] = nextLink;
    return json(200, body);
  },
  'GET user': (req, target, ctx) => {
    const user = userOf(ctx.state.directory, target.itemRef as string);
    return json(200, {
      '@odata.context': `${ctx.base}/$metadata#users/$entity`,
      ...userJson(user, parseSelect(option(req.query, 'select'))),
    });
  },
  'GET user/manager': (req, target, ctx) => {
    const state = ctx.state.directory;
    const user = userOf(state, target.itemRef as string);
    const manager = user.managerId ? state.users.get(user.managerId) : undefined;
    if (!manager) throw notFound('manager');
    return json(200, {
      '@odata.context': `${ctx.base}/$metadata#directoryObjects/$entity`,
      '@odata.type': '#microsoft.graph.user',
      ...userJson(manager, parseSelect(option(req.query, 'select'))),
    });
  },
  'GET group': (req, target, ctx) => {
    const group = ctx.state.directory.groups.get(decodeURIComponent(target.itemRef as string));
    if (!group) throw notFound(target.itemRef as string);
    const select = parseSelect(option(req.query, 'select')) ?? ['id', 'displayName', 'groupTypes', 'mail'];
    const full: Record<string, unknown> = {
      id: group.id,
      displayName: group.displayName,
      groupTypes: [],
      mail: null,
    };
    const out: Record<string, unknown> = { '@odata.context': `${ctx.base}/$metadata#groups/$entity` };
    for (const name of select) if (name in full) out[name] = full[name];
    return json(200, out);
  },
  'GET group/transitiveMembers': (req, target, ctx) =>
    transitive(req, target.itemRef as string, undefined, ctx),
  'GET group/transitiveMembers/microsoft.graph.user': (req, target, ctx) => {
    if (!advanced(req))
      throw unsupported(
        'The OData cast on transitiveMembers needs the advanced query parameters: the ConsistencyLevel header set to eventual and $count=true.',
      );
    return transitive(req, target.itemRef as string, 'user', ctx);
  },
  'POST user/teamwork/installedApps': (req, target, ctx) => {
    const state = ctx.state.directory;
    const user = userOf(state, target.itemRef as string);
    const bind = jsonBody(req)['teamsApp@odata.bind'];
    const m = typeof bind === 'string' ? /\/appCatalogs\/teamsApps\/([^/?]+)$/.exec(bind) : null;
    if (!m)
      throw new GraphError(
        400,
        'BadRequest',
        "The request body needs 'teamsApp@odata.bind' with an appCatalogs/teamsApps URL.",
      );
    const appId = decodeURIComponent(m[1] as string);
    if (!state.catalogApps.has(appId))
      throw new GraphError(404, 'NotFound', `App '${appId}' was not found in the app catalog.`);
    if (state.blocked.get(user.id)?.has(appId))
      throw new GraphError(
        403,
        'Forbidden',
        'The app is blocked for this user by the app permission policy.',
      );
    const apps = state.installed.get(user.id) ?? new Set<string>();
    if (apps.has(appId)) throw new GraphError(409, 'Conflict', 'App is already installed for this user.');
    apps.add(appId);
    state.installed.set(user.id, apps);
    return { status: 201, headers: {}, body: undefined };
  },
};

function transitive(
  req: Parameters<Handler>[0],
  groupRef: string,
  cast: 'user' | undefined,
  ctx: Parameters<Handler>[2],
) {
  const state = ctx.state.directory;
  const groupId = decodeURIComponent(groupRef);
  if (!state.groups.has(groupId)) throw notFound(groupId);
  const select = parseSelect(option(req.query, 'select'));
  let members = transitiveMembers(state, groupId);
  if (cast === 'user') members = members.filter(isUser);
  const path = `/groups/${groupRef}/transitiveMembers${cast ? '/microsoft.graph.user' : ''}`;
  const { value, nextLink } = page(members, req, ctx.base, path);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#${cast ? 'users' : 'directoryObjects'}`,
    value: value.map((m) =>
      isUser(m)
        ? { '@odata.type': '#microsoft.graph.user', ...userJson(m, select ?? ['id', 'displayName', 'mail']) }
        : { '@odata.type': '#microsoft.graph.group', id: m.id, displayName: m.displayName },
    ),
  };
  if (advanced(req)) body['@odata.count'] = members.length;
  if (nextLink) body['@odata.nextLink'] = nextLink;
  return json(200, body);
}

const DIRECTORY_PATH =
  /^\/(users|groups)(?:\/([^/]+)(?:\/(manager|transitiveMembers(?:\/microsoft\.graph\.user)?|teamwork\/installedApps))?)?$/;

/** The shape of a directory path, or undefined when the path is not one. */
export function resolveDirectory(path: string): { shape: string; itemRef?: string } | undefined {
  const m = DIRECTORY_PATH.exec(path);
  if (!m) return undefined;
  const kind = m[1] === 'users' ? 'user' : 'group';
  if (!m[2]) return kind === 'user' ? { shape: 'users' } : undefined;
  if (!m[3]) return { shape: kind, itemRef: m[2] };
  const valid =
    kind === 'user'
      ? m[3] === 'manager' || m[3] === 'teamwork/installedApps'
      : m[3].startsWith('transitiveMembers');
  return valid ? { shape: `${kind}/${m[3]}`, itemRef: m[2] } : undefined;
}
