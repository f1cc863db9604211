/** The app's Graph client, built once from the configuration (app.ts, the provision command). */
import type { INetworkModule } from '@azure/msal-node';
import type { SharePointConfig } from '../../config';
import type { Logger } from '../logger';
import { tokenProvider } from './auth';
import { Graph } from './client';

export { CredentialError } from './auth';
export { type BatchRequest, type BatchResponse, Graph, GraphRequestError } from './client';

export interface GraphSetup {
  log?: Logger;
  /** msal-node's HTTP client (tests point it at the local identity endpoint). */
  networkClient?: INetworkModule;
  sleep?: (ms: number) => Promise<void>;
}

export function createGraph(config: SharePointConfig, setup: GraphSetup = {}): Graph {
  const token = tokenProvider(
    {
      tenantId: config.tenantId,
      clientId: config.clientId,
      certificatePath: config.certificatePath,
      clientSecret: config.clientSecret,
      authorityHost: config.authorityHost,
      resource: config.graphBaseUrl.startsWith('https://graph.microsoft.')
        ? config.graphBaseUrl
        : 'https://graph.microsoft.com',
    },
    setup.networkClient,
  );
  return new Graph({ baseUrl: config.graphBaseUrl, token, log: setup.log, sleep: setup.sleep });
}
