/**
 * Sites, lists, columns and list items, as documented in microsoft-graph-docs-contrib api-reference/v1.0/api:
 * site-get, site-getbypath, list-list, list-get, list-create, list-update, list-delete, list-list-columns,
 * list-post-columns, columndefinition-update, columndefinition-delete, listitem-list, listitem-get,
 * listitem-create, listitem-update, listitem-delete.
 */
import type { Handler, HandlerContext, Target } from './context';
import { type DeltaEntry, deltaResponse } from './delta';
import {
  GraphError,
  type GraphRequest,
  invalidRequest,
  isRecord,
  json,
  jsonBody,
  noContent,
  notFound,
} from './http';
import {
  addList,
  applyColumnPatch,
  bumpDrive,
  type ColumnRecord,
  columnFromDefinition,
  createItem,
  deleteItem,
  eTagMatches,
  findColumn,
  type ItemRecord,
  itemETag,
  type ListRecord,
  type ListTemplate,
  listETag,
  newList,
  nowIso,
  requireItem,
  requireList,
  type SiteRecord,
  siteWebUrl,
  touchList,
  updateItem,
} from './model';
import {
  decodeSkipToken,
  type Expansion,
  encodeSkipToken,
  evaluateFilter,
  filterPaths,
  linkWith,
  option,
  parseExpand,
  parseFilter,
  parseOrderBy,
  parseSelect,
  parseTop,
  sortBy,
} from './odata';

export const HONOR_NON_INDEXED = 'HonorNonIndexedQueriesWarningMayFailRandomly';

// ---------------------------------------------------------------------------------------------------------------
// Representations

const siteKey = (site: SiteRecord): string => encodeURIComponent(site.id);
const listContext = (ctx: HandlerContext, site: SiteRecord, list: ListRecord): string =>
  `${ctx.base}/$metadata#sites('${siteKey(site)}')/lists('${list.id}')`;

function pick(
  obj: Record<string, unknown>,
  select: string[] | undefined,
  keep: string[] = [],
): Record<string, unknown> {
  if (!select) return obj;
  const out: Record<string, unknown> = {};
  for (const k of keep) if (obj[k] !== undefined) out[k] = obj[k];
  for (const name of select) {
    const key =
      Object.keys(obj).find((k) => k === name) ??
      Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined) out[key] = obj[key];
  }
  return out;
}

export function siteJson(site: SiteRecord): Record<string, unknown> {
  return {
    createdDateTime: site.created,
    description: site.description,
    id: site.id,
    lastModifiedDateTime: site.modified,
    name: site.name,
    webUrl: siteWebUrl(site),
    displayName: site.displayName,
    ...(site.path === '/' ? { root: {} } : {}),
    siteCollection: { hostname: site.hostname },
  };
}

export function columnJson(col: ColumnRecord): Record<string, unknown> {
  return {
    columnGroup: col.columnGroup,
    description: col.description,
    displayName: col.displayName,
    enforceUniqueValues: col.enforceUniqueValues,
    hidden: col.hidden,
    id: col.id,
    indexed: col.indexed,
    name: col.name,
    readOnly: col.readOnly,
    required: col.required,
    [col.type]: col.facet,
  };
}

function listWebUrl(site: SiteRecord, list: ListRecord): string {
  return list.template === 'documentLibrary'
    ? `${siteWebUrl(site)}/${list.name}`
    : `${siteWebUrl(site)}/Lists/${list.name}`;
}

export function listJson(
  ctx: HandlerContext,
  site: SiteRecord,
  list: ListRecord,
  select?: string[],
  expand: Expansion[] = [],
): Record<string, unknown> {
  const full: Record<string, unknown> = {
    '@odata.etag': listETag(list),
    createdDateTime: list.created,
    description: list.description,
    eTag: listETag(list),
    id: list.id,
    lastModifiedDateTime: list.modified,
    name: list.name,
    webUrl: listWebUrl(site, list),
    displayName: list.displayName,
    createdBy: list.createdBy,
    parentReference: { siteId: site.id },
    list: { contentTypesEnabled: false, hidden: false, template: list.template },
  };
  const out = pick(full, select, ['@odata.etag']);
  const cols = expand.find((e) => e.name === 'columns');
  if (cols) {
    out['columns@odata.context'] = `${listContext(ctx, site, list)}/columns`;
    out.columns = list.columns.map((c) => pick(columnJson(c), cols.select));
  }
  return out;
}

const SYSTEM_LOOKUP_ID = '6';

export function fieldsJson(list: ListRecord, item: ItemRecord, select?: string[]): Record<string, unknown> {
  const all: Record<string, unknown> = { '@odata.etag': itemETag(item) };
  for (const col of list.columns) {
    const v = item.fields[col.name];
    if (v !== undefined && v !== null && v !== '') all[col.name] = v;
  }
  Object.assign(all, {
    id: String(item.id),
    ContentType: list.template === 'documentLibrary' ? 'Document' : 'Item',
    Modified: item.modified,
    Created: item.created,
    AuthorLookupId: SYSTEM_LOOKUP_ID,
    EditorLookupId: SYSTEM_LOOKUP_ID,
    _UIVersionString: `${item.version}.0`,
    Attachments: false,
    Edit: '',
    LinkTitleNoMenu: item.fields.Title ?? '',
    LinkTitle: item.fields.Title ?? '',
    ItemChildCount: '0',
    FolderChildCount: '0',
  });
  return pick(all, select, ['@odata.etag']);
}

export function itemJson(
  ctx: HandlerContext,
  site: SiteRecord,
  list: ListRecord,
  item: ItemRecord,
  opts: { select?: string[]; fields?: Expansion } = {},
): Record<string, unknown> {
  const full: Record<string, unknown> = {
    '@odata.etag': itemETag(item),
    createdDateTime: item.created,
    eTag: itemETag(item),
    id: String(item.id),
    lastModifiedDateTime: item.modified,
    webUrl:
      list.template === 'documentLibrary'
        ? `${listWebUrl(site, list)}/${String(item.fields.FileLeafRef ?? '')}`
        : `${listWebUrl(site, list)}/DispForm.aspx?ID=${item.id}`,
    createdBy: item.createdBy,
    lastModifiedBy: item.modifiedBy,
    parentReference: { id: list.id, siteId: site.id },
    contentType:
      list.template === 'documentLibrary'
        ? { id: '0x0101', name: 'Document' }
        : { id: '0x0100', name: 'Item' },
  };
  const out = pick(full, opts.select, ['@odata.etag']);
  if (opts.fields) {
    out['fields@odata.context'] = `${listContext(ctx, site, list)}/items('${item.id}')/fields/$entity`;
    out.fields = fieldsJson(list, item, opts.fields.select);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`router bug: no ${what}`);
  return value;
}

/** Runs the If-Match precondition, after letting the race fault act as another writer. */
export function precondition(
  req: GraphRequest,
  ctx: HandlerContext,
  list: ListRecord,
  item: ItemRecord,
): void {
  const ifMatch = req.headers['if-match'];
  if (ifMatch !== undefined && ctx.raceNow()) {
    updateItem(list, item, {}, ctx.someoneElse);
  }
  if (!eTagMatches(ifMatch, itemETag(item))) {
    throw new GraphError(
      412,
      'resourceModified',
      'The resource has been modified since the eTag in If-Match was read. Precondition Failed.',
      {
        innerCode: 'entityTagDoesNotMatch',
      },
    );
  }
}

function fieldsExpansion(query: URLSearchParams): Expansion | undefined {
  return parseExpand(option(query, 'expand')).find((e) => e.name.toLowerCase() === 'fields');
}

function readItemPath(list: ListRecord, item: ItemRecord, path: string): unknown {
  if (path === 'id') return String(item.id);
  if (path === 'createdDateTime') return item.created;
  if (path === 'lastModifiedDateTime') return item.modified;
  if (path === 'eTag') return itemETag(item);
  const m = /^fields\/(.+)$/.exec(path);
  if (!m) return undefined;
  const name = m[1] as string;
  if (name.toLowerCase() === 'id') return item.id;
  if (name === 'Created') return item.created;
  if (name === 'Modified') return item.modified;
  const col = findColumn(list, name);
  return col ? item.fields[col.name] : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers

const getSite: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  return json(200, {
    '@odata.context': `${ctx.base}/$metadata#sites/$entity`,
    ...pick(siteJson(site), parseSelect(option(req.query, 'select'))),
  });
};

const getLists: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const select = parseSelect(option(req.query, 'select'));
  const expand = parseExpand(option(req.query, 'expand'));
  const filterSrc = option(req.query, 'filter');
  const filter = filterSrc ? parseFilter(filterSrc) : undefined;
  const lists = [...site.lists.values()].filter((l) => {
    if (!filter) return true;
    const props: Record<string, unknown> = {
      id: l.id,
      name: l.name,
      displayName: l.displayName,
      'list/template': l.template,
    };
    return evaluateFilter(filter, (p) => props[p]);
  });
  return json(200, {
    '@odata.context': `${ctx.base}/$metadata#sites('${siteKey(site)}')/lists${select ? `(${select.join(',')})` : ''}`,
    value: lists.map((l) => listJson(ctx, site, l, select, expand)),
  });
};

const getList: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  return json(200, {
    '@odata.context': `${ctx.base}/$metadata#sites('${siteKey(site)}')/lists/$entity`,
    ...listJson(
      ctx,
      site,
      list,
      parseSelect(option(req.query, 'select')),
      parseExpand(option(req.query, 'expand')),
    ),
  });
};

const createList: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const body = jsonBody(req);
  if (typeof body.displayName !== 'string' || !body.displayName.trim())
    throw invalidRequest('displayName is required.');
  const facet = isRecord(body.list) ? body.list : {};
  const template = (facet.template ?? 'genericList') as ListTemplate;
  if (template !== 'genericList' && template !== 'documentLibrary')
    throw invalidRequest(`Unsupported list template: ${String(template)}`);
  if (template === 'documentLibrary')
    throw invalidRequest('This local Graph endpoint has one document library per site (its default drive).');
  const list = newList(
    {
      displayName: body.displayName,
      description: typeof body.description === 'string' ? body.description : '',
      template,
    },
    ctx.caller,
  );
  const defs = Array.isArray(body.columns) ? body.columns : [];
  for (const def of defs) {
    if (!isRecord(def)) throw invalidRequest('Each column must be an object.');
    const col = columnFromDefinition(def);
    if (findColumn(list, col.name))
      throw new GraphError(409, 'nameAlreadyExists', `A duplicate field name "${col.name}" was found.`);
    list.columns.push(col);
  }
  addList(site, list);
  return json(201, {
    '@odata.context': `${ctx.base}/$metadata#sites('${siteKey(site)}')/lists/$entity`,
    ...listJson(ctx, site, list),
  });
};

const updateList: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const body = jsonBody(req);
  if (
    typeof body.displayName === 'string' &&
    body.displayName.toLowerCase() !== list.displayName.toLowerCase()
  ) {
    for (const l of site.lists.values()) {
      if (l !== list && l.displayName.toLowerCase() === body.displayName.toLowerCase()) {
        throw new GraphError(
          409,
          'nameAlreadyExists',
          'A list, survey, discussion board, or document library with the specified title already exists in this Web site.',
        );
      }
    }
  }
  if (typeof body.displayName === 'string') list.displayName = body.displayName;
  if (typeof body.description === 'string') list.description = body.description;
  touchList(list);
  return json(200, {
    '@odata.context': `${ctx.base}/$metadata#sites('${siteKey(site)}')/lists/$entity`,
    ...listJson(ctx, site, list),
  });
};

const deleteList: Handler = (_req, t) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  if (list.id === site.drive.listId)
    throw new GraphError(403, 'accessDenied', 'The default document library of a site cannot be deleted.');
  site.lists.delete(list.id);
  return noContent();
};

const getColumns: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const select = parseSelect(option(req.query, 'select'));
  return json(200, {
    '@odata.context': `${listContext(ctx, site, list)}/columns`,
    value: list.columns.map((c) => pick(columnJson(c), select)),
  });
};

const getColumn: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const col = findColumn(list, need(t.columnRef, 'column'));
  if (!col) throw notFound('Column not found');
  return json(200, {
    '@odata.context': `${listContext(ctx, site, list)}/columns/$entity`,
    ...pick(columnJson(col), parseSelect(option(req.query, 'select'))),
  });
};

const createColumn: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const col = columnFromDefinition(jsonBody(req));
  if (findColumn(list, col.name))
    throw new GraphError(409, 'nameAlreadyExists', `A duplicate field name "${col.name}" was found.`);
  list.columns.push(col);
  touchList(list);
  return json(201, {
    '@odata.context': `${listContext(ctx, site, list)}/columns/$entity`,
    ...columnJson(col),
  });
};

const updateColumn: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const col = findColumn(list, need(t.columnRef, 'column'));
  if (!col) throw notFound('Column not found');
  if (col.readOnly) throw invalidRequest(`Column '${col.name}' is read-only.`, 'propertyNotUpdateable');
  applyColumnPatch(col, jsonBody(req));
  touchList(list);
  return json(200, {
    '@odata.context': `${listContext(ctx, site, list)}/columns/$entity`,
    ...columnJson(col),
  });
};

const deleteColumn: Handler = (_req, t) => {
  const list = need(t.list, 'list');
  const col = findColumn(list, need(t.columnRef, 'column'));
  if (!col) throw notFound('Column not found');
  removeColumn(list, col);
  return noContent();
};

export function removeColumn(list: ListRecord, col: ColumnRecord): void {
  if (col.readOnly || col.name === 'Title' || col.name === 'FileLeafRef')
    throw invalidRequest(`Column '${col.name}' cannot be deleted.`, 'notAllowed');
  list.columns = list.columns.filter((c) => c !== col);
  for (const item of list.items.values()) delete item.fields[col.name];
  touchList(list);
}

/** Applies the indexed-column rule to the columns a $filter or $orderby reads (listitem-list, platform-facts §7). */
function checkQueryColumns(req: GraphRequest, ctx: HandlerContext, list: ListRecord, paths: string[]): void {
  const honor = (req.headers.prefer ?? '').toLowerCase().includes(HONOR_NON_INDEXED.toLowerCase());
  let nonIndexed = false;
  for (const path of paths) {
    const m = /^fields\/(.+)$/.exec(path);
    if (!m) {
      if (!ITEM_PROPERTIES.includes(path)) {
        throw invalidRequest(
          `Could not find a property named '${path}' on type 'microsoft.graph.listItem'.`,
          'invalidQueryOption',
        );
      }
      continue;
    }
    const name = m[1] as string;
    const col = findColumn(list, name);
    if (!col) throw invalidRequest(`Field '${name}' is not recognized`);
    if (col.indexed) continue;
    nonIndexed = true;
    if (!honor) {
      throw invalidRequest(
        `Field '${col.name}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: ${HONOR_NON_INDEXED}' header to allow this, but be warned that such queries may fail on large lists.`,
      );
    }
  }
  if (nonIndexed && list.items.size > ctx.listViewThreshold) {
    throw new GraphError(
      500,
      'generalException',
      'The attempted operation is prohibited because it exceeds the list view threshold.',
    );
  }
}

const ITEM_PROPERTIES = ['id', 'createdDateTime', 'lastModifiedDateTime', 'eTag'];

const getItems: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const select = parseSelect(option(req.query, 'select'));
  const fields = fieldsExpansion(req.query);
  const filterSrc = option(req.query, 'filter');
  const filter = filterSrc ? parseFilter(filterSrc) : undefined;
  const order = parseOrderBy(option(req.query, 'orderby'));
  checkQueryColumns(req, ctx, list, [...(filter ? filterPaths(filter) : []), ...order.map((o) => o.path)]);
  const position = decodeSkipToken(option(req.query, 'skiptoken'));
  const pageSize = Math.max(Math.min(parseTop(req.query) ?? ctx.defaultPageSize, ctx.maxPageSize), 0);
  const read = (i: ItemRecord, p: string): unknown => readItemPath(list, i, p);
  const matching = sortBy(
    [...list.items.values()]
      .sort((a, b) => a.id - b.id)
      .filter((i) => !filter || evaluateFilter(filter, (p) => read(i, p))),
    order,
    read,
  );
  const start = order.length ? position.index : matching.findIndex((i) => i.id > position.afterId);
  const from = start < 0 ? matching.length : start;
  const page = matching.slice(from, from + pageSize);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#sites('${siteKey(site)}')/lists('${list.id}')/items`,
  };
  const last = page[page.length - 1];
  if (from + page.length < matching.length && last) {
    const token = encodeSkipToken(order.length ? { index: from + page.length } : { afterId: last.id });
    body['@odata.nextLink'] = linkWith(ctx.base, req.path, req.query, { $skiptoken: token });
  }
  body.value = page.map((i) => itemJson(ctx, site, list, i, { select, fields }));
  return json(200, body);
};

const getItemsDelta: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const contentType =
    list.template === 'documentLibrary' ? { id: '0x0101', name: 'Document' } : { id: '0x0100', name: 'Item' };
  // listitem-delta: a deleted item is {"id","parentReference":{"siteId"},"contentType":{…},"deleted":{"state":"deleted"}}.
  return deltaResponse(req, ctx, {
    path: `/sites/${site.id}/lists/${list.id}/items/delta`,
    context: `${ctx.base}/$metadata#Collection(listItem)`,
    seq: list.seq,
    tokenFloor: list.tokenFloor,
    entries: (since, full) => {
      const out: DeltaEntry[] = [...list.items.values()]
        .filter((i) => full || i.seq > since)
        .map((i) => ({
          seq: i.seq,
          render: (q) =>
            itemJson(ctx, site, list, i, {
              select: parseSelect(option(q, 'select')),
              fields: fieldsExpansion(q),
            }),
        }));
      if (!full) {
        for (const [id, stone] of list.tombstones) {
          if (stone.seq > since) {
            out.push({
              seq: stone.seq,
              render: () => ({
                id: String(id),
                parentReference: { siteId: site.id },
                contentType,
                deleted: { state: 'deleted' },
              }),
            });
          }
        }
      }
      return out.sort((a, b) => a.seq - b.seq);
    },
  });
};

const getItem: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const item = requireItem(list, need(t.itemRef, 'item'));
  return json(
    200,
    {
      '@odata.context': `${ctx.base}/$metadata#sites('${siteKey(site)}')/lists('${list.id}')/items/$entity`,
      ...itemJson(ctx, site, list, item, {
        select: parseSelect(option(req.query, 'select')),
        fields: fieldsExpansion(req.query),
      }),
    },
    { ETag: itemETag(item) },
  );
};

const createListItem: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  if (list.template === 'documentLibrary')
    throw invalidRequest('Files and folders should only be added to a DocumentLibrary via the OneDrive API');
  const body = jsonBody(req);
  const fields = body.fields === undefined ? {} : body.fields;
  if (!isRecord(fields)) throw invalidRequest('fields must be an object.');
  const item = createItem(list, fields, ctx.caller);
  return itemEntity(201, ctx, site, list, item);
};

/** A listItem with its fields, as create and update return it, with the new eTag also in the ETag header. */
function itemEntity(
  status: number,
  ctx: HandlerContext,
  site: SiteRecord,
  list: ListRecord,
  item: ItemRecord,
) {
  return json(
    status,
    {
      '@odata.context': `${ctx.base}/$metadata#sites('${siteKey(site)}')/lists('${list.id}')/items/$entity`,
      ...itemJson(ctx, site, list, item, { fields: { name: 'fields' } }),
    },
    { ETag: itemETag(item) },
  );
}

const getItemFields: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const item = requireItem(list, need(t.itemRef, 'item'));
  return json(200, {
    '@odata.context': `${listContext(ctx, site, list)}/items('${item.id}')/fields/$entity`,
    ...fieldsJson(list, item, parseSelect(option(req.query, 'select'))),
  });
};

const updateItemFields: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const item = requireItem(list, need(t.itemRef, 'item'));
  const body = jsonBody(req);
  precondition(req, ctx, list, item);
  updateItem(list, item, body, ctx.caller);
  return json(
    200,
    {
      '@odata.context': `${listContext(ctx, site, list)}/items('${item.id}')/fields/$entity`,
      ...fieldsJson(list, item),
    },
    { ETag: itemETag(item) },
  );
};

const updateListItem: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const item = requireItem(list, need(t.itemRef, 'item'));
  const body = jsonBody(req);
  const fields = body.fields === undefined ? {} : body.fields;
  if (!isRecord(fields)) throw invalidRequest('fields must be an object.');
  precondition(req, ctx, list, item);
  updateItem(list, item, fields, ctx.caller);
  return itemEntity(200, ctx, site, list, item);
};

const deleteListItem: Handler = (req, t, ctx) => {
  const site = need(t.site, 'site');
  const list = need(t.list, 'list');
  const item = requireItem(list, need(t.itemRef, 'item'));
  precondition(req, ctx, list, item);
  deleteItem(list, item);
  if (item.driveItemId) {
    const file = site.drive.items.get(item.driveItemId);
    if (file) {
      file.deleted = true;
      file.modified = nowIso();
      bumpDrive(site.drive, file);
    }
  }
  return noContent();
};

/** Route table entries for the site/list/column/item resources: `METHOD shape` → handler. */
export const listRoutes: Record<string, Handler> = {
  'GET site': getSite,
  'GET lists': getLists,
  'POST lists': createList,
  'GET list': getList,
  'PATCH list': updateList,
  'DELETE list': deleteList,
  'GET columns': getColumns,
  'POST columns': createColumn,
  'GET column': getColumn,
  'PATCH column': updateColumn,
  'DELETE column': deleteColumn,
  'GET items': getItems,
  'GET itemsDelta': getItemsDelta,
  'POST items': createListItem,
  'GET item': getItem,
  'PATCH item': updateListItem,
  'DELETE item': deleteListItem,
  'GET itemFields': getItemFields,
  'PATCH itemFields': updateItemFields,
};

export { requireList, type Target };
