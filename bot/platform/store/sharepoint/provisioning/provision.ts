/**
 * Provisioning on a site: read what is there (one request for the lists, one $batch per 20 lists
 * for their columns), plan (plan.ts), apply the safe changes, report the rest. Running it again
 * changes nothing. Used by `npm run provision` and at start when VARN_SHAREPOINT_PROVISION is on.
 */
import { type BatchRequest, Graph, GraphRequestError } from '../../../graph/client';
import type { CollectionSpecs } from '../../schema';
import {
  type ActualList,
  type Change,
  columnDefinition,
  columnTypeOf,
  describe,
  type Finding,
  match,
  plan,
} from './plan';
import { type ColumnSpec, type ListSpec, RECORD_COLUMN, sharePointSchema } from './schema';

export class SiteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SiteError';
  }
}

/** What is wrong with the site setting or the app's permission on it, in words a person can act on. */
export function siteProblem(error: unknown, site: string): SiteError | undefined {
  if (!(error instanceof GraphRequestError)) return undefined;
  if (error.status === 404) {
    return new SiteError(
      `VARN_SHAREPOINT_SITE: the site "${site}" was not found (Graph answered 404). Give it as host:/path (contoso.sharepoint.com:/sites/security) or as the site id.`,
      { cause: error },
    );
  }
  if (error.status === 401 || error.status === 403) {
    return new SiteError(
      `the app may not use the site "${site}" (Graph answered ${error.status} ${error.code}). Grant the app registration Sites.Selected and give it write (or, for provisioning, manage) permission on this one site.`,
      { cause: error },
    );
  }
  return undefined;
}

/** The site's Graph id from the configured value: an id as is, host:/path resolved with one request. */
export async function resolveSite(graph: Graph, site: string): Promise<string> {
  try {
    const found = await graph.operation('site.resolve', () =>
      graph.get<{ id: string }>(`/sites/${site}?$select=id`),
    );
    return found.id;
  } catch (error) {
    throw siteProblem(error, site) ?? error;
  }
}

interface GraphList {
  id: string;
  displayName: string;
  description?: string;
  name?: string;
  list?: { template?: string };
}

interface GraphColumn extends Record<string, unknown> {
  id: string;
  name: string;
  indexed?: boolean;
}

const toActual = (l: GraphList): ActualList => ({
  id: l.id,
  displayName: l.displayName,
  description: l.description,
  name: l.name,
  template: l.list?.template,
  columns: [],
});

/** The site's lists, with the columns of those that are ours. */
export async function readSite(
  graph: Graph,
  siteId: string,
  desired: readonly ListSpec[],
): Promise<{ lists: ActualList[]; columnIds: Map<string, string> }> {
  const lists = (
    await graph.all<GraphList>(`/sites/${siteId}/lists?$select=id,displayName,description,name,list`)
  ).map(toActual);
  const ours = lists.filter((l) => desired.some((d) => match(d, [l]).length > 0));
  const requests: BatchRequest[] = ours.map((l) => ({
    method: 'GET',
    url: `/sites/${siteId}/lists/${l.id}/columns?$select=id,name,indexed,text,number,boolean,dateTime`,
  }));
  const responses = await graph.batch(requests);
  const columnIds = new Map<string, string>();
  responses.forEach((response, index) => {
    const columns = Graph.check<{ value: GraphColumn[] }>(response, requests[index] as BatchRequest).value;
    const list = ours[index] as ActualList;
    list.columns = columns.map((c) => ({ name: c.name, type: columnTypeOf(c), indexed: c.indexed === true }));
    for (const c of columns) columnIds.set(`${list.id}/${c.name}`, c.id);
  });
  return { lists, columnIds };
}

export interface ProvisionReport {
  siteId: string;
  /** Collection (or 'library') → list id, after the changes. */
  lists: Record<string, string>;
  applied: string[];
  findings: string[];
  /** Every finding leaves the app unable to work correctly on that list: the app does not start. */
  blocked: boolean;
  requests: number;
}

export interface ProvisionOptions {
  /** The collected specs (bot/collections.ts): the lists are derived from them. */
  collections: CollectionSpecs;
  /** Plan only: report what would change. */
  dryRun?: boolean;
}

export async function provision(
  graph: Graph,
  siteId: string,
  options: ProvisionOptions,
): Promise<ProvisionReport> {
  return graph.operation('provision', async () => {
    const desired = sharePointSchema(options.collections);
    const site = await readSite(graph, siteId, desired);
    const planned = plan(desired, site.lists);
    const lists = { ...planned.found };
    const applied: string[] = [];
    if (!options.dryRun) {
      await createLists(graph, siteId, planned.changes, lists);
      for (const change of planned.changes) {
        if (change.kind === 'createList') continue;
        if (change.kind === 'renameList')
          await graph.patch(`/sites/${siteId}/lists/${change.listId}`, {
            displayName: change.list.displayName,
          });
        else if (change.kind === 'createColumn') {
          await graph.post(
            `/sites/${siteId}/lists/${change.listId}/columns`,
            columnDefinition(change.column),
          );
          if (change.backfill) await backfill(graph, siteId, change.listId, change.column);
        } else {
          const columnId = site.columnIds.get(`${change.listId}/${change.column.name}`);
          await graph.patch(`/sites/${siteId}/lists/${change.listId}/columns/${columnId}`, { indexed: true });
        }
      }
    }
    applied.push(...planned.changes.map(describe));
    const findings: Finding[] = planned.findings;
    return {
      siteId,
      lists,
      applied,
      findings: findings.map(describe),
      blocked: findings.length > 0,
      requests: graph.metrics.current()?.requests ?? 0,
    };
  });
}

async function createLists(
  graph: Graph,
  siteId: string,
  changes: readonly Change[],
  lists: Record<string, string>,
): Promise<void> {
  const creations = changes.filter(
    (c): c is Extract<Change, { kind: 'createList' }> => c.kind === 'createList',
  );
  const requests: BatchRequest[] = creations.map(({ list }) => ({
    method: 'POST',
    url: `/sites/${siteId}/lists`,
    body: {
      displayName: list.displayName,
      description: `Värn ${list.key} ${list.marker}`,
      columns: list.columns.map(columnDefinition),
      list: { template: list.template },
    },
  }));
  const responses = await graph.batch(requests);
  responses.forEach((response, index) => {
    const created = Graph.check<{ id: string }>(response, requests[index] as BatchRequest);
    lists[(creations[index] as { list: ListSpec }).list.key] = created.id;
  });
}

/** Fills a column added to a list that has items: each item's copy of the field, from its record. */
async function backfill(graph: Graph, siteId: string, listId: string, column: ColumnSpec): Promise<void> {
  const base = `/sites/${siteId}/lists/${listId}/items`;
  const items = await graph.all<{ id: string; eTag?: string; fields?: Record<string, unknown> }>(
    `${base}?$select=id,eTag&$expand=fields($select=${RECORD_COLUMN})`,
  );
  const requests: BatchRequest[] = [];
  for (const item of items) {
    const raw = item.fields?.[RECORD_COLUMN];
    if (typeof raw !== 'string' || !column.field) continue;
    const value = (JSON.parse(raw) as Record<string, unknown>)[column.field];
    requests.push({
      method: 'PATCH',
      url: `${base}/${item.id}/fields`,
      headers: item.eTag ? { 'If-Match': item.eTag } : {},
      body: { [column.name]: value ?? null },
    });
  }
  const responses = await graph.batch(requests);
  // 412: the item was written meanwhile, and every write fills all columns; anything else is a failure
  responses.forEach((response, index) => {
    if (response.status !== 412) Graph.check(response, requests[index] as BatchRequest);
  });
}
