/**
 * Path → (shape, target) resolution and the route table `METHOD shape` → handler.
 *
 * Site addressing (site-get, site-getbypath):  /sites/{site-id}   /sites/{hostname}:/{server-relative-path}
 *   and, to go deeper, /sites/{hostname}:/{path}:/lists/…   (the path ends at the next ':')
 * Drive item addressing (driveitem-get, driveitem-put-content):  …/drive/root   …/drive/items/{id}
 *   …/drive/root:/{path}   …/drive/root:/{path}:/content   …/drive/items/{parent-id}:/{name}:/content
 *   with /drives/{drive-id} in place of /sites/{site}/drive.
 * Unknown segments get Graph's 400 BadRequest "Resource not found for the segment '…'."; a known resource with an
 * unsupported method gets 405.
 */
import type { Handler, Target } from './context';
import { directoryRoutes, resolveDirectory } from './directory';
import { driveRoutes } from './drive';
import { GraphError } from './http';
import { listRoutes } from './lists';
import { findSite, type GraphState, requireList, type SiteRecord } from './model';

export interface Resolved {
  /** The resource kind, e.g. `items`, `itemFields`, `driveItem/content`; also the request-count key. */
  shape: string;
  target: Target;
}

const routes: Record<string, Handler> = { ...listRoutes, ...driveRoutes, ...directoryRoutes };

export function handlerFor(method: string, shape: string): Handler {
  const handler = routes[`${method} ${shape}`];
  if (!handler)
    throw new GraphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.');
  return handler;
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new GraphError(400, 'BadRequest', `Invalid URL segment: ${s}`);
  }
};

function unknownSegment(rest: string): GraphError {
  const seg = rest.split('/').filter(Boolean)[0] ?? rest;
  return new GraphError(400, 'BadRequest', `Resource not found for the segment '${decode(seg)}'.`);
}

const DRIVE_ITEM =
  /^\/(root|items\/([^/:]+))(?::(\/[^:]*):?)?(\/(?:content|children|createUploadSession|delta|listItem\/fields|listItem))?$/;

function resolveDriveRest(site: SiteRecord | undefined, rest: string, target: Target): Resolved {
  if (site) target.drive = site.drive;
  if (rest === '') return { shape: 'drive', target };
  const m = DRIVE_ITEM.exec(rest);
  if (!m) throw unknownSegment(rest);
  target.driveBase = m[1] === 'root' ? 'root' : decode(m[2] as string);
  if (m[3] !== undefined) target.drivePath = m[3];
  return { shape: `driveItem${m[4] ?? ''}`, target };
}

/**
 * Sites.Selected: a site the app holds no grant for answers 403 before anything below it is looked up; with a
 * read grant, writes do.
 */
function checkGrant(site: SiteRecord, method: string, structural: boolean): void {
  if (structural) return;
  if (site.access === 'none' || (site.access === 'read' && method !== 'GET')) {
    throw new GraphError(403, 'accessDenied', 'Access denied');
  }
}

const LIST_REST = /^\/lists\/([^/]+)(?:\/(columns|items)(?:\/([^/]+)(\/fields)?)?)?$/;

/**
 * Resolves a path. With `structural`, nothing is looked up (no 404s): only the shape is derived, which is what
 * request counting needs for a request that names a missing site or list.
 */
export function resolve(state: GraphState, method: string, path: string, structural = false): Resolved {
  if (path.startsWith('/drives/')) {
    const m = /^\/drives\/([^/]+)(\/.*)?$/.exec(path);
    const driveId = decode(m?.[1] ?? '');
    const site = [...state.sites.values()].find((s) => s.drive.id === driveId);
    if (!site && !structural) throw new GraphError(404, 'itemNotFound', 'The drive could not be found.');
    if (site) checkGrant(site, method, structural);
    return resolveDriveRest(site, m?.[2] ?? '', site ? { site, siteKey: site.id } : {});
  }
  const directory = resolveDirectory(path);
  if (directory) return { shape: directory.shape, target: { itemRef: directory.itemRef } };
  if (!path.startsWith('/sites/')) throw unknownSegment(path);
  let siteRef: string;
  let rest: string;
  const byPath = /^\/sites\/([^/:]+):(\/[^:]*)(?::(\/.*)?)?$/.exec(path);
  if (byPath) {
    siteRef = `${decode(byPath[1] as string)}:${decode((byPath[2] as string).replace(/\/$/, '') || '/')}`;
    rest = byPath[3] ?? '';
  } else {
    const byId = /^\/sites\/([^/]+)(\/.*)?$/.exec(path);
    siteRef = decode(byId?.[1] ?? '');
    rest = byId?.[2] ?? '';
  }
  const site = findSite(state, siteRef);
  if (!site && !structural) throw new GraphError(404, 'itemNotFound', 'Requested site could not be found');
  if (site) checkGrant(site, method, structural);
  const target: Target = { siteKey: siteRef };
  if (site) target.site = site;
  if (rest === '') return { shape: 'site', target };
  if (rest === '/lists') return { shape: 'lists', target };
  if (rest === '/drives') return { shape: 'drives', target };
  if (rest === '/drive' || rest.startsWith('/drive/'))
    return resolveDriveRest(site, rest.slice('/drive'.length), target);
  const m = LIST_REST.exec(rest);
  if (!m) throw unknownSegment(rest.startsWith('/lists/') ? rest.split('/').slice(3).join('/') : rest);
  if (site && !structural) target.list = requireList(site, decode(m[1] as string));
  if (!m[2]) return { shape: 'list', target };
  if (m[2] === 'columns') {
    if (m[4]) throw unknownSegment('fields');
    if (m[3] === undefined) return { shape: 'columns', target };
    target.columnRef = decode(m[3]);
    return { shape: 'column', target };
  }
  if (m[3] === undefined) return { shape: 'items', target };
  if (m[3] === 'delta' && !m[4]) return { shape: 'itemsDelta', target };
  target.itemRef = decode(m[3]);
  return { shape: m[4] ? 'itemFields' : 'item', target };
}

/** The request-count key for a path that may not resolve (an unknown site still counts as a `site` request). */
export function shapeOf(state: GraphState, path: string): string {
  try {
    return resolve(state, 'GET', path, true).shape;
  } catch {
    if (path === '/$batch') return 'batch';
    return 'unresolved';
  }
}
