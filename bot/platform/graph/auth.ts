/**
 * App-only credentials for Graph through msal-node: a client certificate (preferred) or a client
 * secret. msal-node keeps the token in its in-memory cache and hands it out until shortly before
 * it expires, so a token request is made once an hour, not once a call.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { Configuration, INetworkModule } from '@azure/msal-node';

export interface GraphCredentials {
  tenantId: string;
  clientId: string;
  /** A PEM file holding the private key and the certificate. */
  certificatePath?: string;
  clientSecret?: string;
  /** https://login.microsoftonline.com unless a national cloud (or a test endpoint) is used. */
  authorityHost: string;
  /** The resource whose `.default` scope is asked for, e.g. https://graph.microsoft.com. */
  resource: string;
}

export class CredentialError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CredentialError';
  }
}

function certificateOf(file: string): NonNullable<Configuration['auth']['clientCertificate']> {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CredentialError(`the client certificate ${file} cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  }
  const key = pem.match(
    /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/,
  )?.[0];
  const cert = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  if (!key || !cert)
    throw new CredentialError(`${file} must hold both the private key and the certificate in PEM form`);
  const thumbprintSha256 = new X509Certificate(cert).fingerprint256.replace(/:/g, '');
  return { thumbprintSha256, privateKey: key, x5c: cert };
}

/** Yields a bearer token for Graph: msal-node's cached one, or (`fresh`) a new one. */
export type TokenProvider = (options?: { fresh?: boolean }) => Promise<string>;

/** Returns the token provider of these credentials (tokens cached by msal-node). */
export function tokenProvider(credentials: GraphCredentials, networkClient?: INetworkModule): TokenProvider {
  const authorityHost = credentials.authorityHost.replace(/\/$/, '');
  // loaded here, not with the module: the embedded default never asks Graph for a token
  const { ConfidentialClientApplication } = require('@azure/msal-node') as typeof import('@azure/msal-node');
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: credentials.clientId,
      authority: `${authorityHost}/${credentials.tenantId}`,
      knownAuthorities: [new URL(authorityHost).host],
      ...(credentials.certificatePath
        ? { clientCertificate: certificateOf(credentials.certificatePath) }
        : { clientSecret: credentials.clientSecret }),
    },
    system: networkClient ? { networkClient } : {},
  });
  const scopes = [`${credentials.resource.replace(/\/$/, '')}/.default`];
  return async (options = {}) => {
    try {
      const result = await app.acquireTokenByClientCredential({ scopes, skipCache: options.fresh === true });
      if (!result?.accessToken) throw new CredentialError('the identity platform returned no access token');
      return result.accessToken;
    } catch (error) {
      if (error instanceof CredentialError) throw error;
      const detail =
        (error as { errorMessage?: string; message?: string }).errorMessage ?? (error as Error).message;
      throw new CredentialError(
        `no token for ${credentials.clientId} in tenant ${credentials.tenantId}: ${detail}`,
        { cause: error },
      );
    }
  };
}
