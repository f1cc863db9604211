/**
 * Värn on SharePoint through the local Graph endpoint (test/support/graph): a site, the
 * configuration that points the app at it (msal-node through the endpoint's token service), and
 * the connected store.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collections } from '../../bot/collections';
import type { SharePointConfig } from '../../bot/config';
import { createGraph, type Graph } from '../../bot/platform/graph';
import { connectSharePoint, type SharePointConnection } from '../../bot/platform/store/sharepoint/connect';
import type { LocalGraph, SiteInfo } from './graph';

export function sharePointConfig(
  graph: LocalGraph,
  site: Pick<SiteInfo, 'byPath'>,
  over: Partial<SharePointConfig> = {},
): SharePointConfig {
  return {
    site: site.byPath,
    tenantId: graph.tenantId,
    clientId: graph.clientId,
    clientSecret: graph.clientSecret,
    authorityHost: new URL(graph.authority).origin,
    graphBaseUrl: graph.origin,
    provisionAtStart: true,
    ...over,
  };
}

/** The environment variables a deployment would set for this site. */
export function sharePointEnv(graph: LocalGraph, site: Pick<SiteInfo, 'byPath'>): Record<string, string> {
  const config = sharePointConfig(graph, site);
  return {
    VARN_SHAREPOINT_SITE: config.site,
    VARN_GRAPH_TENANT_ID: config.tenantId,
    VARN_GRAPH_CLIENT_ID: config.clientId,
    VARN_GRAPH_CLIENT_SECRET: config.clientSecret as string,
    VARN_GRAPH_AUTHORITY_HOST: config.authorityHost,
    VARN_GRAPH_BASE_URL: config.graphBaseUrl,
  };
}

export function testGraph(graph: LocalGraph, site: Pick<SiteInfo, 'byPath'>): Graph {
  return createGraph(sharePointConfig(graph, site), { networkClient: graph.msalNetworkClient });
}

/** Connects (provisioning at start) to a new site on the endpoint; the local index lives in a temp dir. */
export async function connectTestSite(
  graph: LocalGraph,
  options: { path?: string; config?: Partial<SharePointConfig> } = {},
): Promise<SharePointConnection & { site: SiteInfo }> {
  const site = graph.control.createSite({
    path: options.path ?? `/sites/varn-${Math.random().toString(36).slice(2, 8)}`,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-sp-'));
  const connection = await connectSharePoint(sharePointConfig(graph, site, options.config), {
    collections,
    networkClient: graph.msalNetworkClient,
    localDbPath: path.join(dir, 'varn.sqlite'),
  });
  return { ...connection, site };
}
