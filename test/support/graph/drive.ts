/**
 * The site's document library as a drive, as documented in microsoft-graph-docs-contrib api-reference/v1.0/api:
 * drive-get, driveitem-list-children, driveitem-get, driveitem-get-content (302 to a pre-authenticated URL),
 * driveitem-put-content ("Upload small files"), driveitem-createuploadsession (byte ranges, 320 KiB multiples,
 * < 60 MiB per request, in order, 202 with nextExpectedRanges, 201/200 on the last range, no Authorization
 * header on the upload URL), driveitem-delta (nextLink pages, then deltaLink; token=latest; 410 Gone with
 * resync codes and a Location to restart), driveitem-delete, listitem on a driveItem (metadata columns).
 */
import { randomUUID } from 'node:crypto';
import type { Handler, HandlerContext, Target, UploadSession } from './context';
import { deltaResponse } from './delta';
import {
  GraphError,
  type GraphRequest,
  type GraphResponse,
  invalidRequest,
  isRecord,
  json,
  jsonBody,
  noContent,
  notFound,
} from './http';
import { fieldsJson, itemJson, precondition } from './lists';
import {
  bumpDrive,
  childNamed,
  childrenOf,
  createItem,
  type DriveItemRecord,
  type DriveRecord,
  deleteItem,
  driveItemCTag,
  driveItemETag,
  type ItemRecord,
  itemPath,
  type ListRecord,
  newDriveItem,
  nowIso,
  type SiteRecord,
  siteWebUrl,
  updateItem,
} from './model';
import { linkWith, option, parseExpand, parseSelect, parseTop } from './odata';

export const CHUNK_MULTIPLE = 320 * 1024;
export const MAX_FRAGMENT_BYTES = 60 * 1024 * 1024;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`router bug: no ${what}`);
  return value;
}

function libraryOf(site: SiteRecord): ListRecord {
  return need(site.lists.get(site.drive.listId), 'library list');
}

function listItemOf(site: SiteRecord, file: DriveItemRecord): ItemRecord {
  const list = libraryOf(site);
  const item = file.listItemId === undefined ? undefined : list.items.get(file.listItemId);
  if (!item) throw notFound('The item has no list item.');
  return item;
}

// ---------------------------------------------------------------------------------------------------------------
// Representations

export function driveJson(site: SiteRecord): Record<string, unknown> {
  const drive = site.drive;
  const used = [...drive.items.values()].filter((i) => !i.deleted).reduce((n, i) => n + i.content.length, 0);
  return {
    createdDateTime: site.created,
    description: '',
    id: drive.id,
    lastModifiedDateTime: site.modified,
    name: drive.name,
    webUrl: `${siteWebUrl(site)}/Shared%20Documents`,
    driveType: 'documentLibrary',
    createdBy: { user: { displayName: 'System Account' } },
    owner: { group: { displayName: site.displayName } },
    quota: { deleted: 0, remaining: 27487790694400 - used, state: 'normal', total: 27487790694400, used },
  };
}

function downloadUrl(ctx: HandlerContext, drive: DriveRecord, item: DriveItemRecord): string {
  return `${ctx.origin}/_download/${encodeURIComponent(drive.id)}/${item.id}?tempauth=${randomUUID()}`;
}

export function driveItemJson(
  ctx: HandlerContext,
  site: SiteRecord,
  item: DriveItemRecord,
  req?: GraphRequest,
): Record<string, unknown> {
  const drive = site.drive;
  const parent = item.parentId === undefined ? undefined : drive.items.get(item.parentId);
  const full: Record<string, unknown> = {
    '@odata.etag': driveItemETag(item),
  };
  if (!item.isFolder) full['@microsoft.graph.downloadUrl'] = downloadUrl(ctx, drive, item);
  Object.assign(full, {
    createdDateTime: item.created,
    eTag: driveItemETag(item),
    id: item.id,
    lastModifiedDateTime: item.modified,
    name: item.name,
    webUrl: `${siteWebUrl(site)}/Shared%20Documents${item.parentId === undefined ? '' : encodeURI(itemPath(drive, item))}`,
    cTag: driveItemCTag(item),
    size: item.isFolder
      ? childrenOf(drive, item.id).reduce((n, c) => n + c.content.length, 0)
      : item.content.length,
    createdBy: item.createdBy,
    lastModifiedBy: item.modifiedBy,
    parentReference: parent
      ? {
          driveType: 'documentLibrary',
          driveId: drive.id,
          id: parent.id,
          name: parent.parentId === undefined ? 'Shared Documents' : parent.name,
          path: `/drives/${drive.id}/root:${parent.parentId === undefined ? '' : itemPath(drive, parent)}`,
          siteId: site.id,
        }
      : { driveType: 'documentLibrary', driveId: drive.id },
    fileSystemInfo: { createdDateTime: item.created, lastModifiedDateTime: item.modified },
  });
  if (item.isFolder) full.folder = { childCount: childrenOf(drive, item.id).length };
  else full.file = { mimeType: item.mimeType };
  if (item.parentId === undefined) full.root = {};
  const select = req ? parseSelect(option(req.query, 'select')) : undefined;
  let out = full;
  if (select) {
    out = { '@odata.etag': full['@odata.etag'] };
    for (const k of select) if (full[k] !== undefined) out[k] = full[k];
  }
  const listItemExp = req
    ? parseExpand(option(req.query, 'expand')).find((e) => e.name === 'listItem')
    : undefined;
  if (listItemExp && !item.isFolder) {
    const list = libraryOf(site);
    const li = listItemOf(site, item);
    out.listItem = itemJson(ctx, site, list, li, {
      select: listItemExp.select,
      fields: listItemExp.expand?.find((e) => e.name === 'fields'),
    });
  }
  return out;
}

function deletedJson(drive: DriveRecord, item: DriveItemRecord): Record<string, unknown> {
  return {
    id: item.id,
    name: item.name,
    deleted: { state: 'deleted' },
    parentReference: { driveType: 'documentLibrary', driveId: drive.id, id: item.parentId },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Addressing

function splitPath(path: string): string[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
}

function baseItem(drive: DriveRecord, t: Target): DriveItemRecord {
  const ref = need(t.driveBase, 'drive item');
  const item = ref === 'root' ? drive.items.get(drive.rootId) : drive.items.get(ref);
  if (!item || item.deleted) throw notFound('Item not found');
  return item;
}

/** The addressed item, which must exist. */
function resolveItem(drive: DriveRecord, t: Target): DriveItemRecord {
  let cur = baseItem(drive, t);
  for (const name of splitPath(t.drivePath ?? '')) {
    const next = childNamed(drive, cur.id, name);
    if (!next) throw notFound('The resource could not be found.');
    cur = next;
  }
  return cur;
}

/** Parent folder (created on the way, as path-based upload does) and the new item's name. */
function resolveForWrite(
  drive: DriveRecord,
  t: Target,
  by: DriveItemRecord['createdBy'],
): { parent: DriveItemRecord; name: string } | { existing: DriveItemRecord } {
  const segments = splitPath(t.drivePath ?? '');
  if (segments.length === 0) return { existing: baseItem(drive, t) };
  let parent = baseItem(drive, t);
  for (const name of segments.slice(0, -1)) {
    const next = childNamed(drive, parent.id, name) ?? newDriveItem(drive, parent.id, name, true, by);
    if (!next.isFolder) throw new GraphError(409, 'nameAlreadyExists', `'${name}' is a file, not a folder.`);
    parent = next;
  }
  return { parent, name: segments[segments.length - 1] as string };
}

function uniqueName(drive: DriveRecord, parentId: string, name: string): string {
  if (!childNamed(drive, parentId, name)) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let n = 1; ; n++) {
    const candidate = `${stem} ${n}${ext}`;
    if (!childNamed(drive, parentId, candidate)) return candidate;
  }
}

type Conflict = 'fail' | 'replace' | 'rename';

function conflictBehavior(value: unknown, fallback: Conflict): Conflict {
  if (value === undefined) return fallback;
  if (value === 'fail' || value === 'replace' || value === 'rename') return value;
  throw invalidRequest(`Invalid conflict behavior: ${String(value)}`);
}

/** Writes a file's bytes (new or replacing), keeping the library's list item in step. Returns [item, created]. */
export function writeFile(
  ctx: HandlerContext,
  site: SiteRecord,
  parent: DriveItemRecord,
  name: string,
  content: Buffer,
  behavior: Conflict,
): [DriveItemRecord, boolean] {
  const drive = site.drive;
  const existing = childNamed(drive, parent.id, name);
  if (existing && behavior === 'fail') {
    throw new GraphError(409, 'nameAlreadyExists', 'The specified item name already exists.');
  }
  if (existing && behavior === 'replace') {
    if (existing.isFolder) throw new GraphError(409, 'nameAlreadyExists', 'A folder with that name exists.');
    existing.content = content;
    existing.version++;
    existing.modified = nowIso();
    existing.modifiedBy = ctx.caller;
    bumpDrive(drive, existing);
    const li = listItemOf(site, existing);
    updateItem(libraryOf(site), li, {}, ctx.caller);
    return [existing, false];
  }
  const finalName = existing ? uniqueName(drive, parent.id, name) : name;
  const item = newDriveItem(drive, parent.id, finalName, false, ctx.caller);
  item.content = content;
  const li = createItem(libraryOf(site), { FileLeafRef: finalName }, ctx.caller);
  li.driveItemId = item.id;
  item.listItemId = li.id;
  return [item, true];
}

function markDeleted(site: SiteRecord, item: DriveItemRecord): void {
  for (const child of childrenOf(site.drive, item.id)) markDeleted(site, child);
  item.deleted = true;
  item.modified = nowIso();
  bumpDrive(site.drive, item);
  if (item.listItemId !== undefined) {
    const lib = libraryOf(site);
    const li = lib.items.get(item.listItemId);
    if (li) deleteItem(lib, li);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers

const getDrive: Handler = (_req, t, ctx) => {
  const site = need(t.site, 'site');
  return json(200, { '@odata.context': `${ctx.base}/$metadata#drives/$entity`, ...driveJson(site) });
};

const getDrives: Handler = (_req, t, ctx) => {
  const site = need(t.site, 'site');
  return json(200, { '@odata.context': `${ctx.base}/$metadata#drives`, value: [driveJson(site)] });
};

const getDriveItem: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const item = resolveItem(site.drive, t);
  return json(200, {
    '@odata.context': `${ctx.base}/$metadata#drives('${site.drive.id}')/items/$entity`,
    ...driveItemJson(ctx, site, item, req),
  });
};

const deleteDriveItem: Handler = (req, t) => {
  const site = need(t.site, 'site');
  const item = resolveItem(site.drive, t);
  if (item.parentId === undefined)
    throw new GraphError(403, 'accessDenied', 'The root folder cannot be deleted.');
  const ifMatch = req.headers['if-match'];
  if (
    ifMatch !== undefined &&
    ifMatch !== '*' &&
    ifMatch !== driveItemETag(item) &&
    ifMatch !== driveItemCTag(item)
  ) {
    throw new GraphError(412, 'resourceModified', "ETag does not match current item's value", {
      innerCode: 'entityTagDoesNotMatch',
    });
  }
  markDeleted(site, item);
  return noContent();
};

const getChildren: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const folder = resolveItem(site.drive, t);
  if (!folder.isFolder) throw invalidRequest('The item is not a folder.');
  const all = childrenOf(site.drive, folder.id);
  const offset = Number(
    Buffer.from(option(req.query, 'skiptoken') ?? '', 'base64')
      .toString('utf8')
      .replace(/^o=/, '') || 0,
  );
  const pageSize = Math.min(parseTop(req.query) ?? ctx.defaultPageSize, ctx.maxPageSize);
  const page = all.slice(offset, offset + pageSize);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#drives('${site.drive.id}')/items('${folder.id}')/children`,
  };
  if (offset + pageSize < all.length) {
    body['@odata.nextLink'] = linkWith(ctx.base, req.path, req.query, {
      $skiptoken: Buffer.from(`o=${offset + pageSize}`).toString('base64'),
    });
  }
  body.value = page.map((c) => driveItemJson(ctx, site, c, req));
  return json(200, body);
};

const createFolder: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const parent = resolveItem(site.drive, t);
  const body = jsonBody(req);
  if (typeof body.name !== 'string' || !isRecord(body.folder))
    throw invalidRequest('A folder needs a name and a folder facet.');
  const behavior = conflictBehavior(body['@microsoft.graph.conflictBehavior'], 'fail');
  const existing = childNamed(site.drive, parent.id, body.name);
  if (existing && behavior === 'fail')
    throw new GraphError(409, 'nameAlreadyExists', 'The specified item name already exists.');
  if (existing && behavior === 'replace') {
    return json(200, {
      '@odata.context': `${ctx.base}/$metadata#drives('${site.drive.id}')/items/$entity`,
      ...driveItemJson(ctx, site, existing),
    });
  }
  const name = existing ? uniqueName(site.drive, parent.id, body.name) : body.name;
  const folder = newDriveItem(site.drive, parent.id, name, true, ctx.caller);
  return json(201, {
    '@odata.context': `${ctx.base}/$metadata#drives('${site.drive.id}')/items/$entity`,
    ...driveItemJson(ctx, site, folder),
  });
};

const getContent: Handler = (_req, t, ctx) => {
  const site = need(t.site, 'site');
  const item = resolveItem(site.drive, t);
  if (item.isFolder) throw invalidRequest('A folder has no content.');
  return { status: 302, headers: { Location: downloadUrl(ctx, site.drive, item) }, body: undefined };
};

const putContent: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  if (req.body.length > ctx.simpleUploadMaxBytes) {
    throw new GraphError(
      413,
      'invalidRequest',
      `The request is too large for a simple upload (limit ${ctx.simpleUploadMaxBytes} bytes). Use an upload session (createUploadSession).`,
      { innerCode: 'maxFileSizeExceeded' },
    );
  }
  const target = resolveForWrite(site.drive, t, ctx.caller);
  const behavior = conflictBehavior(option(req.query, '@microsoft.graph.conflictBehavior'), 'replace');
  let result: [DriveItemRecord, boolean];
  if ('existing' in target) {
    const existing = target.existing;
    if (existing.isFolder) throw invalidRequest('Cannot write content to a folder.');
    const parent = need(site.drive.items.get(need(existing.parentId, 'parent')), 'parent');
    result = writeFile(ctx, site, parent, existing.name, req.body, 'replace');
  } else {
    result = writeFile(ctx, site, target.parent, target.name, req.body, behavior);
  }
  const [item, created] = result;
  return json(created ? 201 : 200, {
    '@odata.context': `${ctx.base}/$metadata#drives('${site.drive.id}')/items/$entity`,
    ...driveItemJson(ctx, site, item),
  });
};

const createUploadSession: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const body = jsonBody(req);
  const itemProps = isRecord(body.item) ? body.item : {};
  const target = resolveForWrite(site.drive, t, ctx.caller);
  let parentId: string;
  let name: string;
  if ('existing' in target) {
    if (target.existing.isFolder) throw invalidRequest('Cannot upload content to a folder.');
    parentId = need(target.existing.parentId, 'parent');
    name = target.existing.name;
  } else {
    parentId = target.parent.id;
    name = target.name;
  }
  if (typeof itemProps.name === 'string' && itemProps.name !== name) {
    throw invalidRequest('The item path must contain the name of the item specified in the request body.');
  }
  const session: UploadSession = {
    id: randomUUID().replace(/-/g, ''),
    siteId: site.id,
    driveId: site.drive.id,
    parentId,
    name,
    conflictBehavior:
      'existing' in target
        ? 'replace'
        : conflictBehavior(itemProps['@microsoft.graph.conflictBehavior'], 'fail'),
    expected: typeof itemProps.fileSize === 'number' ? itemProps.fileSize : undefined,
    received: [],
    receivedBytes: 0,
    expirationDateTime: new Date(Date.now() + 15 * 60_000).toISOString(),
  };
  ctx.uploads.sessions.set(session.id, session);
  return json(200, {
    '@odata.context': `${ctx.base}/$metadata#microsoft.graph.uploadSession`,
    uploadUrl: `${ctx.origin}/_upload/${session.id}`,
    expirationDateTime: session.expirationDateTime,
    nextExpectedRanges: ['0-'],
  });
};

// --- delta -------------------------------------------------------------------------------------------------------

function depth(drive: DriveRecord, item: DriveItemRecord): number {
  let d = 0;
  let cur = item;
  while (cur.parentId !== undefined) {
    d++;
    const next = drive.items.get(cur.parentId);
    if (!next) break;
    cur = next;
  }
  return d;
}

const getDelta: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const drive = site.drive;
  if (resolveItem(drive, t).id !== drive.rootId)
    throw invalidRequest('Delta is only supported on the root of this drive.');
  return deltaResponse(req, ctx, {
    path: `/drives/${drive.id}/root/delta`,
    context: `${ctx.base}/$metadata#Collection(driveItem)`,
    seq: drive.seq,
    tokenFloor: drive.tokenFloor,
    entries: (since, full) =>
      [...drive.items.values()]
        .filter((i) => (full ? !i.deleted : i.seq > since && !(i.deleted && i.id === drive.rootId)))
        .sort((a, b) => depth(drive, a) - depth(drive, b) || a.seq - b.seq)
        .map((i) => ({
          seq: i.seq,
          render: (query) =>
            i.deleted ? deletedJson(drive, i) : driveItemJson(ctx, site, i, { ...req, query }),
        })),
  });
};

// --- listItem on a driveItem -------------------------------------------------------------------------------------

const getDriveListItem: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const file = resolveItem(site.drive, t);
  const list = libraryOf(site);
  const li = listItemOf(site, file);
  const fields = parseExpand(option(req.query, 'expand')).find((e) => e.name === 'fields');
  return json(200, {
    '@odata.context': `${ctx.base}/$metadata#drives('${site.drive.id}')/items('${file.id}')/listItem/$entity`,
    ...itemJson(ctx, site, list, li, { select: parseSelect(option(req.query, 'select')), fields }),
  });
};

const getDriveListItemFields: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const file = resolveItem(site.drive, t);
  return json(200, {
    '@odata.context': `${ctx.base}/$metadata#drives('${site.drive.id}')/items('${file.id}')/listItem/fields/$entity`,
    ...fieldsJson(libraryOf(site), listItemOf(site, file), parseSelect(option(req.query, 'select'))),
  });
};

const patchDriveListItemFields: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const file = resolveItem(site.drive, t);
  const list = libraryOf(site);
  const li = listItemOf(site, file);
  const body = jsonBody(req);
  precondition(req, ctx, list, li);
  updateItem(list, li, body, ctx.caller);
  file.modified = li.modified;
  bumpDrive(site.drive, file);
  return json(200, {
    '@odata.context': `${ctx.base}/$metadata#drives('${site.drive.id}')/items('${file.id}')/listItem/fields/$entity`,
    ...fieldsJson(list, li),
  });
};

/** Route table entries for drives and drive items: `METHOD shape` → handler. */
export const driveRoutes: Record<string, Handler> = {
  'GET drive': getDrive,
  'GET drives': getDrives,
  'GET driveItem': getDriveItem,
  'DELETE driveItem': deleteDriveItem,
  'GET driveItem/children': getChildren,
  'POST driveItem/children': createFolder,
  'GET driveItem/content': getContent,
  'PUT driveItem/content': putContent,
  'POST driveItem/createUploadSession': createUploadSession,
  'GET driveItem/delta': getDelta,
  'GET driveItem/listItem': getDriveListItem,
  'GET driveItem/listItem/fields': getDriveListItemFields,
  'PATCH driveItem/listItem/fields': patchDriveListItemFields,
};

// ---------------------------------------------------------------------------------------------------------------
// The upload URL (outside /v1.0, no Authorization header) and the pre-authenticated download URL

export interface UploadUrlRequest {
  method: string;
  sessionId: string;
  headers: Record<string, string>;
  body: Buffer;
}

function sessionStatus(session: UploadSession): Record<string, unknown> {
  return {
    expirationDateTime: session.expirationDateTime,
    nextExpectedRanges: [`${session.receivedBytes}-`],
  };
}

/** Handles PUT/GET/DELETE on an upload session's uploadUrl. */
export function handleUploadUrl(
  req: UploadUrlRequest,
  ctx: HandlerContext,
  findSite: (id: string) => SiteRecord | undefined,
): GraphResponse {
  const session = ctx.uploads.sessions.get(req.sessionId);
  if (!session)
    throw new GraphError(404, 'itemNotFound', 'The upload session was not found.', {
      innerCode: 'uploadSessionNotFound',
    });
  if (req.headers.authorization !== undefined) {
    throw new GraphError(
      401,
      'unauthenticated',
      'Do not send an Authorization header to the upload URL; it is pre-authenticated.',
    );
  }
  if (req.method === 'DELETE') {
    ctx.uploads.sessions.delete(session.id);
    return noContent();
  }
  if (req.method === 'GET') return json(200, sessionStatus(session));
  if (req.method !== 'PUT')
    throw new GraphError(405, 'invalidRequest', 'Method not allowed on the upload URL.');
  const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(req.headers['content-range'] ?? '');
  if (!range)
    throw invalidRequest(
      'A Content-Range header of the form "bytes start-end/total" is required.',
      'invalidRange',
    );
  const start = Number(range[1]);
  const end = Number(range[2]);
  const total = range[3] === '*' ? undefined : Number(range[3]);
  const length = end - start + 1;
  if (total === undefined)
    throw invalidRequest('The total file size must be declared in Content-Range.', 'invalidRange');
  if (length <= 0 || end >= total) throw invalidRequest('The Content-Range is not valid.', 'invalidRange');
  if (req.body.length !== length) {
    throw invalidRequest(
      `Declared fragment length ${length} does not match the ${req.body.length} bytes sent.`,
      'fragmentLengthMismatch',
    );
  }
  if (length >= MAX_FRAGMENT_BYTES) {
    throw new GraphError(413, 'invalidRequest', 'A fragment must be smaller than 60 MiB.', {
      innerCode: 'maxFragmentLengthExceeded',
    });
  }
  if (session.expected === undefined) session.expected = total;
  if (total !== session.expected) {
    throw invalidRequest(
      'Declared total size for this fragment is different from that of the upload session.',
      'fragmentLengthMismatch',
    );
  }
  if (start < session.receivedBytes) {
    throw new GraphError(416, 'invalidRange', 'Uploaded fragment overlaps with existing data.', {
      innerCode: 'fragmentOverlap',
    });
  }
  if (start > session.receivedBytes) {
    throw new GraphError(416, 'invalidRange', 'Uploaded fragment is out of order.', {
      innerCode: 'fragmentOutOfOrder',
    });
  }
  const isLast = end + 1 === total;
  if (!isLast && length % CHUNK_MULTIPLE !== 0) {
    throw invalidRequest(
      'Each fragment except the last must be a multiple of 320 KiB (327,680 bytes).',
      'invalidRange',
    );
  }
  session.received.push(req.body);
  session.receivedBytes += length;
  if (!isLast) return json(202, sessionStatus(session));
  const site = findSite(session.siteId);
  const parent = site?.drive.items.get(session.parentId);
  if (!site || !parent || parent.deleted) throw notFound('The destination folder no longer exists.');
  // A failed commit (a name conflict) leaves the session in place: "The upload session is preserved until the
  // expiration time" (driveitem-createuploadsession, "Handle upload errors").
  const [item, created] = writeFile(
    ctx,
    site,
    parent,
    session.name,
    Buffer.concat(session.received),
    session.conflictBehavior,
  );
  ctx.uploads.sessions.delete(session.id);
  return json(created ? 201 : 200, driveItemJson(ctx, site, item));
}

/** Serves a file's bytes at its pre-authenticated download URL. */
export function handleDownload(driveId: string, itemId: string, sites: Iterable<SiteRecord>): GraphResponse {
  for (const site of sites) {
    if (site.drive.id !== driveId) continue;
    const item = site.drive.items.get(itemId);
    if (!item || item.deleted || item.isFolder) break;
    return { status: 200, headers: { 'Content-Type': item.mimeType }, body: item.content };
  }
  throw notFound('The resource could not be found.');
}
