/**
 * Nested app authentication (MSAL through the host's bridge), loaded only when the host recommends it.
 * Tokens stay in memory (no local or session storage).
 */
import {
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
} from '@azure/msal-browser';

let client: Promise<IPublicClientApplication> | undefined;

export async function naaToken(clientId: string, scope: string): Promise<string> {
  client ??= createNestablePublicClientApplication({
    auth: { clientId, authority: 'https://login.microsoftonline.com/organizations' },
    cache: { cacheLocation: 'memoryStorage' },
  });
  const pca = await client;
  const request = { scopes: [scope] };
  try {
    return (await pca.acquireTokenSilent(request)).accessToken;
  } catch (error) {
    if (!(error instanceof InteractionRequiredAuthError)) throw error;
    return (await pca.acquireTokenPopup(request)).accessToken;
  }
}
