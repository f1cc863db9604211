/**
 * Start on SharePoint: resolve the site, check (or, when configured, provision) the lists, open
 * the store. Every way this can fail because of the configuration or the tenant (wrong site,
 * missing permission, bad credentials, lists not provisioned, drift that cannot be repaired) ends
 * in a StartupError whose message says what to change; main.ts prints it and exits with 78
 * (configuration error) instead of crashing, so a supervisor does not restart it in a loop.
 */

import path from 'node:path';
import type { SharePointConfig } from '../../../config';
import { StartupError } from '../../errors';
import { CredentialError, createGraph, type Graph, GraphRequestError, type GraphSetup } from '../../graph';
import type { Store } from '..';
import type { CollectionSpecs } from '../schema';
import { openSqliteStore } from '../sqlite';
import { openSharePointStore } from '.';
import { LibrarySource, SharePointLibrary } from './library';
import { type ProvisionReport, provision, resolveSite } from './provisioning/provision';

export { StartupError };

export interface SharePointConnection {
  graph: Graph;
  siteId: string;
  store: Store;
  library: SharePointLibrary;
  /** Knowledge import from the library (delta); call `commit()` after a successful import. */
  source: LibrarySource;
  report: ProvisionReport;
}

export interface ConnectOptions extends GraphSetup {
  /** The local SQLite file holding the derived index (documents, passages). */
  localDbPath: string;
  graph?: Graph;
  /** The collected specs (bot/collections.ts): the lists to provision and the store's members. */
  collections: CollectionSpecs;
}

export async function connectSharePoint(
  config: SharePointConfig,
  options: ConnectOptions,
): Promise<SharePointConnection> {
  const graph = options.graph ?? createGraph(config, options);
  let report: ProvisionReport;
  let siteId: string;
  try {
    siteId = await resolveSite(graph, config.site);
    report = await provision(graph, siteId, {
      collections: options.collections,
      dryRun: !config.provisionAtStart,
    });
  } catch (error) {
    if (error instanceof CredentialError) {
      throw new StartupError(
        `VARN_GRAPH_CLIENT_ID / VARN_GRAPH_CERTIFICATE_PATH / VARN_GRAPH_CLIENT_SECRET: ${error.message}`,
        { cause: error },
      );
    }
    if (error instanceof GraphRequestError && error.status === 0) {
      throw new StartupError(
        `VARN_GRAPH_BASE_URL: Graph at ${config.graphBaseUrl} cannot be reached (${error.message})`,
        {
          cause: error,
        },
      );
    }
    if (error instanceof Error && error.name === 'SiteError')
      throw new StartupError(error.message, { cause: error });
    throw error;
  }
  if (report.blocked) {
    throw new StartupError(
      `the SharePoint site needs a person's attention before Värn can use it:\n${report.findings.map((f) => `  - ${f}`).join('\n')}`,
    );
  }
  if (!config.provisionAtStart && report.applied.length > 0) {
    throw new StartupError(
      `the SharePoint site is not provisioned for this version of Värn; run \`npm run provision\` (or set VARN_SHAREPOINT_PROVISION=true):\n${report.applied.map((c) => `  - ${c}`).join('\n')}`,
    );
  }
  for (const change of report.applied) options.log?.info({ siteId }, `SharePoint provisioning: ${change}`);
  options.log?.info(
    { siteId, lists: Object.keys(report.lists).length, requests: report.requests },
    'SharePoint site ready',
  );
  const local = openSqliteStore(options.localDbPath, options.collections);
  const store = openSharePointStore({
    graph,
    siteId,
    lists: report.lists,
    local,
    log: options.log,
    collections: options.collections,
  });
  const library = new SharePointLibrary(graph, siteId);
  const source = new LibrarySource(
    library,
    path.join(path.dirname(options.localDbPath), 'library-delta.json'),
    async () => (await local.documents.list()).length > 0,
  );
  return { graph, siteId, store, library, source, report };
}
