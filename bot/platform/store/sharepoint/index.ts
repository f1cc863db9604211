/**
 * The Store on SharePoint lists through Graph. Every collection of bot/store/schema.ts gets its
 * list (bot/platform/store/sharepoint/provisioning/schema.ts) automatically; the derived ones (knowledge passages and the
 * import bookkeeping of documents, rebuilt from the document library) stay in a local store.
 *
 * Transactions. SharePoint has none, and $batch is not atomic either (each inner request
 * succeeds or fails on its own). Here `transaction(work)` means: the writes of `work` are applied
 * as they are made (so `work` reads its own writes), each with an undo step; when `work` throws
 * (a VersionConflict, a failure after retries, a bug), the undo steps run in reverse order, so the
 * records and the audit log come back to what they were and the caller sees the error. An undo of
 * an update is itself an If-Match write: if someone changed the record in between, the undo is
 * not forced and the failure is logged. What this cannot give is atomicity across a crash of the
 * process in the middle of `work`: the writes made so far stay. Features keep that window small
 * by doing the state change and its audit event last and together (questions: update, then append).
 * Derived collections inside a transaction use the local store's own (real) transaction.
 */

import type { Graph } from '../../graph/client';
import type { Logger } from '../../logger';
import type { Store } from '..';
import type { CollectionSpec, CollectionSpecs } from '../schema';
import { SharePointCollection, SharePointList, SharePointLog, type Undo } from './collection';
import { type ListSpec, listSpecOf } from './provisioning/schema';

export interface SharePointStoreOptions {
  graph: Graph;
  siteId: string;
  /** The list id of each collection (ProvisionReport.lists). */
  lists: Readonly<Record<string, string>>;
  /** The collected specs (bot/collections.ts): a list each, except the derived ones. */
  collections: CollectionSpecs;
  /** Holds the derived collections (documents, passages): a SQLite store in the data directory. */
  local: Store;
  log?: Logger;
}

type Members = Record<string, unknown>;

export function openSharePointStore(options: SharePointStoreOptions): Store {
  const { graph, siteId, local, log } = options;
  const specs = Object.values(options.collections) as CollectionSpec<{ id: string }>[];
  const lists = new Map<string, SharePointList<{ id: string }>>();
  for (const spec of specs) {
    if (spec.derived) continue;
    const listId = options.lists[spec.name];
    if (!listId) throw new Error(`no SharePoint list for ${spec.name}: run npm run provision`);
    lists.set(
      spec.name,
      new SharePointList(listSpecOf(spec as CollectionSpec<unknown>) as ListSpec, { graph, siteId, listId }),
    );
  }
  const op = <R>(name: string, work: () => Promise<R>) => graph.operation(name, work);

  const build = (localStore: Store, journal?: (undo: Undo) => void): Members => {
    const members: Members = {};
    for (const spec of specs) {
      const list = lists.get(spec.name);
      if (!list) members[spec.name] = (localStore as unknown as Members)[spec.name];
      else
        members[spec.name] = spec.appendOnly
          ? new SharePointLog(list, op, journal)
          : new SharePointCollection(list, op, journal);
    }
    return members;
  };

  const store = {
    ...build(local),
    transaction: <R>(work: (tx: Store) => Promise<R>): Promise<R> =>
      local.transaction(async (localTx) => {
        const undo: Undo[] = [];
        const tx = { ...build(localTx, (step) => undo.push(step)) } as unknown as Store;
        tx.transaction = (nested) => nested(tx);
        tx.close = store.close;
        try {
          return await work(tx);
        } catch (error) {
          for (const step of undo.reverse()) {
            try {
              await op('store.transaction.undo', step);
            } catch (undoError) {
              log?.error(
                { err: undoError, cause: error },
                'a SharePoint write of a failed transaction could not be taken back',
              );
            }
          }
          throw error;
        }
      }),
    close: () => local.close(),
  } as unknown as Store;
  return store;
}
