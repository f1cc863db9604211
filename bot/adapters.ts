/**
 * The adapters the composition root picks from the configuration: the store (SQLite, or SharePoint
 * when a site is configured), the Graph client, the directory (the organisation file, or Entra ID),
 * the document store, the Bot Framework adapters, the shared sender and the scheduler. No feature
 * behaviour: features receive these ports from app.ts.
 */
import path from 'node:path';
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationServiceClientCredentialFactory,
  createBotFrameworkAuthenticationFromConfiguration,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, type BotFrameworkAuthentication } from 'botframework-connector';
import type restify from 'restify';
import { collections } from './collections';
import type { Config, GraphDirectoryConfig } from './config';
import { documentPage } from './features/knowledge/page';
import { DeliveryService, type SenderOptions } from './platform/delivery/service';
import { LocalDocumentStore } from './platform/documents/local';
import type { DocumentStore } from './platform/documents/port';
import { AppError, EXIT } from './platform/errors';
import { createGraph, type Graph, GraphRequestError, type GraphSetup } from './platform/graph';
import type { ApiRoute, Authenticator } from './platform/http/api';
import { TokenAuthenticator } from './platform/http/auth';
import { embeddedPolicy, mountEmbeddedLogin } from './platform/http/embeddedLogin';
import { LinkSigner, linkSigning, signLinksMiddleware } from './platform/http/links';
import { RateLimiter } from './platform/http/rateLimit';
import { createServer } from './platform/http/server';
import { entraPolicy, LocalSigningKey } from './platform/http/tokens';
import { langOf, t } from './platform/i18n';
import { createLogger, type Logger } from './platform/logger';
import { FileDirectory } from './platform/org/fileDirectory';
import { GraphDirectory } from './platform/org/graphDirectory';
import { type Directory, roleSchema } from './platform/org/model';
import { orgApiRoutes } from './platform/org/routes';
import { JobScheduler } from './platform/schedule/service';
import type { Store } from './platform/store';
import {
  connectSharePoint,
  type SharePointConnection,
  StartupError,
} from './platform/store/sharepoint/connect';
import { openSqliteStoreAtStart } from './platform/store/sqlite';
import type { VarnBot } from './platform/teams/bot';
import { ConversationBook } from './platform/teams/conversations';
import { GraphAppInstaller } from './platform/teams/graphInstaller';
import { InstalledByPolicy } from './platform/teams/installer';
import { withTeamsLocales } from './platform/teams/locales';
import {
  countingConnectorCalls,
  TeamsConversations,
  TeamsMessenger,
  withoutConnectorRetries,
} from './platform/teams/messenger';

export interface AppOverrides {
  log?: Logger;
  clock?: () => Date;
  store?: Store;
  /** How the Graph client reaches Microsoft 365 (tests: the local endpoint's identity client). */
  graph?: GraphSetup;
  documents?: DocumentStore;
  /** The sender's rate limits, retry policy and timing (tests and benchmarks). */
  sender?: Partial<SenderOptions>;
}

/** The store, the Graph client, the directory and the document store, as the configuration says. */
export async function pickAdapters(config: Config, overrides: AppOverrides) {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? (() => new Date());
  // SharePoint when a site is configured (the derived knowledge index stays in the local SQLite file); SQLite otherwise
  const sharePoint: SharePointConnection | undefined =
    !overrides.store && config.sharePoint
      ? await connectSharePoint(config.sharePoint, {
          ...overrides.graph,
          log,
          localDbPath: config.dbPath,
          collections,
        })
      : undefined;
  const store = overrides.store ?? sharePoint?.store ?? openSqliteStoreAtStart(config.dbPath, collections);
  const fileDirectory = readOrganisationFile(config.contentDir);
  // one Graph client for everything that talks to Microsoft 365 (the SharePoint store's, when it is connected)
  const graph =
    sharePoint?.graph ??
    (config.sharePoint && (config.directory.source === 'graph' || config.teamsAppCatalogId)
      ? createGraph(config.sharePoint, { ...overrides.graph, log })
      : undefined);
  // Entra ID through Graph when configured (VARN_DIRECTORY=graph); the organisation file otherwise
  const sourceDirectory: Directory =
    graph && config.directory.source === 'graph'
      ? await readGraphDirectory(
          graph,
          config.directory,
          {
            id: config.sharePoint?.tenantId ?? fileDirectory.organisation.id,
            name: config.directory.organisationName ?? fileDirectory.organisation.name,
            tenantId: config.sharePoint?.tenantId ?? fileDirectory.organisation.tenantId,
          },
          log,
        )
      : fileDirectory;
  // one language per person: the locale Teams last sent for them (the conversation book keeps it), else the
  // directory's; every feature reads people through this directory, so every card follows the one choice
  await checkSecurityFunction(config.securityFunction, sourceDirectory);
  const book = new ConversationBook(store, clock);
  const directory = withTeamsLocales(sourceDirectory, book);
  const documents: DocumentStore =
    overrides.documents ??
    sharePoint?.library ??
    new LocalDocumentStore(path.join(config.dataDir, 'files'), `${config.publicUrl}/files`, clock);
  return { log, clock, sharePoint, store, graph, directory, documents, book };
}

/**
 * The Bot Framework side: the turn adapter, the conversation book, the messenger, and the shared
 * sender with its own adapter whose connector does not retry by itself (every call passes the
 * sender's rate windows, and the sender sees and retries each 429 itself); and the scheduler.
 */
export function pickTeams(
  config: Config,
  overrides: AppOverrides,
  ports: Pick<
    Awaited<ReturnType<typeof pickAdapters>>,
    'log' | 'clock' | 'store' | 'graph' | 'directory' | 'book'
  >,
) {
  const { log, clock, store, graph, directory, book } = ports;
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.bot.appId ?? '',
    MicrosoftAppPassword: config.bot.appPassword ?? '',
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
    MicrosoftAppType: config.bot.appType ?? '',
  });
  const botAuth = createBotFrameworkAuthenticationFromConfiguration(botAuthSettings(config), credentials);
  // the turn adapter's calls count in the sender's app-wide rate window (created below, used at run time)
  const adapter = new CloudAdapter(countingConnectorCalls(botAuth, () => sender.countCall()));
  // links to files and documents leave in chat signed, with an expiry (the files need a right to read them)
  const links = new LinkSigner(config.linkSigningKeyPath, config.fileLinkMs, clock);
  links.load();
  adapter.use(signLinksMiddleware(links, config.publicUrl));
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    log.error({ err: error, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') {
      // an AppError names what the user should read (e.g. that their question could not be stored)
      const lang = langOf(context.activity.locale);
      const text =
        error instanceof AppError ? t(lang, error.messageKey, error.params) : t(lang, 'error.internal');
      await context.sendActivity(text).catch(() => undefined);
    }
  };
  const messenger = new TeamsMessenger(adapter, config.bot.appId ?? '', book);
  const outbound = new CloudAdapter(
    withoutConnectorRetries(
      createBotFrameworkAuthenticationFromConfiguration(botAuthSettings(config), credentials),
    ),
  );
  outbound.use(signLinksMiddleware(links, config.publicUrl));
  const sender = new DeliveryService({
    store,
    messenger: new TeamsMessenger(outbound, config.bot.appId ?? '', book),
    conversations: new TeamsConversations(
      outbound,
      config.bot.appId ?? '',
      book,
      directory.organisation.tenantId,
      config.teamsServiceUrl,
    ),
    // installs the app through Graph for people who lack it, when the app's catalog id is configured
    installer:
      graph && config.teamsAppCatalogId && config.sharePoint
        ? new GraphAppInstaller(graph, config.teamsAppCatalogId, graphOrigin(config.sharePoint.graphBaseUrl))
        : new InstalledByPolicy(directory),
    directory,
    log: log.child({ component: 'sender' }),
    clock,
    options: { leaseMs: config.senderLeaseMs, ...overrides.sender },
  });
  const scheduler = new JobScheduler({
    store,
    log: log.child({ component: 'scheduler' }),
    clock,
    options: { pollMs: config.schedulerPollMs, leaseMs: config.schedulerLeaseMs },
  });
  return { adapter, botAuth, book, messenger, sender, scheduler, links };
}

/**
 * botbuilder takes either none of its endpoint settings (the public cloud) or all of them; with
 * BotOpenIdMetadata set, the public cloud's values are kept and only the signing keys' source changes.
 */
type BotAuthConfiguration = Parameters<typeof createBotFrameworkAuthenticationFromConfiguration>[0];
function botAuthSettings(config: Config): BotAuthConfiguration {
  if (!config.bot.openIdMetadata) return null;
  const settings = {
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: config.bot.openIdMetadata,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
  return { get: <T>() => settings as T, set: () => undefined };
}

/** The @odata.bind URLs name Graph's public origin (the local endpoint in tests). */
function graphOrigin(baseUrl: string): string {
  return baseUrl.replace(/\/(v1\.0|beta)$/, '');
}

/** The Graph directory, read once at start so that a missing permission stops the start with a clear message. */
async function readGraphDirectory(
  graph: Graph,
  config: GraphDirectoryConfig,
  organisation: { id: string; name: string; tenantId: string },
  log: Logger,
): Promise<GraphDirectory> {
  const directory = new GraphDirectory(graph, {
    ...config,
    organisation,
    log: log.child({ component: 'directory' }),
  });
  try {
    const people = await directory.everyone();
    if (people.length === 0)
      throw new StartupError('VARN_DIRECTORY=graph: Entra ID lists no enabled member users');
  } catch (error) {
    if (error instanceof GraphRequestError && (error.status === 403 || error.status === 401))
      throw new StartupError(
        `VARN_DIRECTORY=graph: Graph refused to list users or group members (${error.status} ${error.code}); grant the app registration User.Read.All and GroupMember.Read.All (application) with admin consent`,
        { cause: error },
      );
    if (error instanceof GraphRequestError && error.status === 404)
      throw new StartupError(
        `VARN_DIRECTORY_ROLE_GROUPS / VARN_DIRECTORY_GROUPS: a configured group does not exist in Entra ID (${error.message})`,
        { cause: error },
      );
    throw error;
  }
  return directory;
}

/** The organisation file of the content folder; a missing or broken one stops the start naming the path. */
function readOrganisationFile(contentDir: string): FileDirectory {
  const file = path.join(contentDir, 'organisation.json');
  try {
    return FileDirectory.fromFile(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new StartupError(
      `VARN_CONTENT_DIR (${contentDir}): ${missing ? `no organisation file at ${file}` : (error as Error).message}`,
      { cause: error, exitCode: EXIT.config },
    );
  }
}

/** Everyone named in VARN_SECURITY_FUNCTION must be a person of the directory, or escalations reach no one. */
async function checkSecurityFunction(ids: string[], directory: Directory): Promise<void> {
  const unknown: string[] = [];
  for (const id of ids) if (!(await directory.person(id))) unknown.push(id);
  if (unknown.length > 0)
    throw new StartupError(
      `VARN_SECURITY_FUNCTION: ${unknown.map((id) => `"${id}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a person in the directory; give aadObjectIds of people in it, or leave it unset for the people with the role securityChief or securityOfficer`,
      { exitCode: EXIT.config },
    );
}

/** What the HTTP server serves beside the bot: the tab's files and API, governing documents and generated files. */
export interface ServerParts {
  adapter: CloudAdapter;
  botAuth: BotFrameworkAuthentication;
  bot: VarnBot;
  log: Logger;
  clock: () => Date;
  store: Store;
  directory: Directory;
  /** The local folder's generated files; on SharePoint the links open the library instead. */
  files?: DocumentStore;
  links: LinkSigner;
  passageCount: () => number;
  storeKind: 'sqlite' | 'sharepoint';
  /** The features' API routes. */
  api: ApiRoute[];
}

/**
 * The HTTP server: the tab API's authentication (Entra ID SSO tokens in tenant mode; the app's own local
 * tokens, with the loopback-only development sign-in, on the embedded default), files behind a token or
 * a signed link, /healthz from the store's own check, a rate per caller.
 */
export function pickServer(config: Config, parts: ServerParts): restify.Server {
  const { directory, store, log, clock, links } = parts;
  const tenantId = directory.organisation.tenantId;
  const localKey = new LocalSigningKey(config.localSigningKeyPath);
  if (!config.tab) localKey.check();
  const authenticator: Authenticator = new TokenAuthenticator(
    config.tab ? entraPolicy({ ...config.tab, tenantId }) : embeddedPolicy(localKey, tenantId),
    directory,
    log,
    clock,
  );
  const server = createServer({
    adapter: parts.adapter,
    botAuth: parts.botAuth,
    appId: config.bot.appId,
    bot: parts.bot,
    log,
    // npm run build bundles tab/ into <repo>/dist/tab (scripts/buildTab.mjs), whether this runs from dist/ or from source
    tabDir: path.join(
      path.resolve(__dirname, path.basename(path.dirname(__dirname)) === 'dist' ? '../..' : '..'),
      'dist/tab',
    ),
    tabConfig: config.tab
      ? { mode: 'tenant', clientId: config.tab.clientId, scope: `${config.tab.appIdUri}/access_as_user` }
      : { mode: 'embedded' },
    documentsDir: config.knowledgeDir,
    documentPage,
    files: parts.files,
    signLinks: linkSigning(links, config.publicUrl),
    fileAccess: {
      signer: links,
      authenticator,
      directory,
      audit: (event) => store.auditEvents.append(event),
      log,
      clock,
    },
    health: async () => {
      const state = (await store.check?.()) ?? { ok: true };
      return {
        status: state.ok ? 'ok' : 'failing',
        mode: config.embedded ? 'embedded' : 'tenant',
        store: parts.storeKind,
        ...(state.ok ? {} : { storeProblem: state.problem }),
        passages: parts.passageCount(),
      };
    },
    api: [...orgApiRoutes(directory), ...parts.api],
    authenticator,
    rateLimit: new RateLimiter(config.rateLimitPerMinute),
  });
  if (!config.tab) {
    const people = async () => {
      const byRole = await Promise.all(roleSchema.options.map((role) => directory.withRole(role)));
      return [...new Map(byRole.flat().map((p) => [p.id, p])).values()];
    };
    mountEmbeddedLogin(server, { directory, key: localKey, clock, people });
  }
  return server;
}
