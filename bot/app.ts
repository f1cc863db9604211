/**
 * The composition root: the one place that picks adapters and wires features to them.
 */
import path from 'node:path';
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationServiceClientCredentialFactory,
  createBotFrameworkAuthenticationFromConfiguration,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type restify from 'restify';
import type { Config, GraphDirectoryConfig } from './config';
import { publishAnnualReport } from './features/annualReport/service';
import { campaignApi, campaignBot } from './features/campaigns/routes';
import { CampaignService } from './features/campaigns/service';
import { governanceApiRoutes, governanceVerbs } from './features/governance/routes';
import { GovernanceService } from './features/governance/service';
import { KnowledgeService } from './features/knowledge/service';
import { FileSystemSource } from './features/knowledge/source';
import { questionApiRoutes, questionVerbs } from './features/questions/routes';
import { QuestionService } from './features/questions/service';
import type { FollowUpService } from './features/review/followups/service';
import { createReviewFeature } from './features/review/index';
import type { ReviewService } from './features/review/service';
import { azureOpenAiSemantic } from './platform/ai/azureOpenAi';
import type { Sender } from './platform/delivery/port';
import { DeliveryService, type SenderOptions } from './platform/delivery/service';
import { LocalDocumentStore } from './platform/documents/local';
import type { DocumentStore } from './platform/documents/port';
import { AppError, EXIT, StartupError } from './platform/errors';
import { createGraph, type Graph, GraphRequestError, type GraphSetup } from './platform/graph';
import type { ApiRoute, Authenticator } from './platform/http/api';
import { TokenAuthenticator } from './platform/http/auth';
import { embeddedPolicy, mountEmbeddedLogin } from './platform/http/embeddedLogin';
import { LinkSigner, signLinksMiddleware } from './platform/http/links';
import { RateLimiter } from './platform/http/rateLimit';
import { createServer } from './platform/http/server';
import { entraPolicy, LocalSigningKey } from './platform/http/tokens';
import { langOf, t } from './platform/i18n';
import { createLogger, type Logger } from './platform/logger';
import { FileDirectory } from './platform/org/fileDirectory';
import { GraphDirectory } from './platform/org/graphDirectory';
import { type Directory, roleSchema } from './platform/org/model';
import { orgApiRoutes } from './platform/org/routes';
import type { Scheduler } from './platform/schedule/port';
import { JobScheduler } from './platform/schedule/service';
import type { Store } from './platform/store';
import { type GroupCommit, type StoreWrite, storeGroupCommit } from './platform/store/groupCommit';
import { connectSharePoint } from './platform/store/sharepoint/connect';
import { openSqliteStoreAtStart } from './platform/store/sqlite';
import { VarnBot } from './platform/teams/bot';
import { ConversationBook } from './platform/teams/conversations';
import { GraphAppInstaller } from './platform/teams/graphInstaller';
import { helpCard, helpCommand } from './platform/teams/help';
import { InstalledByPolicy } from './platform/teams/installer';
import {
  countingConnectorCalls,
  TeamsConversations,
  TeamsMessenger,
  withoutConnectorRetries,
} from './platform/teams/messenger';

export interface App {
  server: restify.Server;
  store: Store;
  knowledge: KnowledgeService;
  questions: QuestionService;
  /** The yearly review and its follow-ups. */
  review: ReviewService;
  followUps: FollowUpService;
  /** The store's group commit (its counters feed the HTTP bench). */
  commits: GroupCommit<StoreWrite>;
  directory: Directory;
  /** Generated files (the säkerhetsbokslut) and governing documents: the SharePoint library, or a local folder served at /files. */
  documents: DocumentStore;
  /** The governing documents' yearly review by their owners. */
  governance: GovernanceService;
  campaigns: CampaignService;
  /** The shared sender: features register renderers and enqueue deliveries; it sends outside users' turns. */
  sender: Sender;
  /** Persistent jobs: features register handlers and schedule jobs. */
  scheduler: Scheduler;
  log: Logger;
  /** Listens, then starts the sender's worker and the scheduler. */
  listen(): Promise<number>;
  /** Stops the scheduler and the sender (sends in flight finish and are recorded), then the server and the store. */
  close(): Promise<void>;
}

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

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? (() => new Date());
  // SharePoint when a site is configured (the derived knowledge index stays in the local SQLite file); SQLite otherwise
  const sharePoint =
    !overrides.store && config.sharePoint
      ? await connectSharePoint(config.sharePoint, { ...overrides.graph, log, localDbPath: config.dbPath })
      : undefined;
  const store = overrides.store ?? sharePoint?.store ?? openSqliteStoreAtStart(config.dbPath);
  const fileDirectory = readOrganisationFile(config.contentDir);
  // one Graph client for everything that talks to Microsoft 365 (the SharePoint store's, when it is connected)
  const graph =
    sharePoint?.graph ??
    (config.sharePoint && (config.directory.source === 'graph' || config.teamsAppCatalogId)
      ? createGraph(config.sharePoint, { ...overrides.graph, log })
      : undefined);
  // Entra ID through Graph when configured (VARN_DIRECTORY=graph); the organisation file otherwise
  const directory: Directory =
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
  await checkSecurityFunction(config.securityFunction, directory);
  const documents: DocumentStore =
    overrides.documents ??
    sharePoint?.library ??
    new LocalDocumentStore(path.join(config.dataDir, 'files'), `${config.publicUrl}/files`, clock);

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

  // semantic ranking and phrasing only when the customer configured an Azure OpenAI deployment
  const knowledge = new KnowledgeService(
    store,
    log,
    clock,
    config.openAi ? azureOpenAiSemantic(config.openAi) : {},
  );
  await knowledge.load();
  const documentsLink = `${config.publicUrl}/documents`;
  const report = await knowledge.import(
    sharePoint?.source ?? new FileSystemSource([config.knowledgeDir], documentsLink),
  );
  sharePoint?.source.commit();
  for (const failure of report.failed)
    log.warn({ reason: failure.reason }, 'a governing document was not imported');

  const book = new ConversationBook(store, clock);
  const messenger = new TeamsMessenger(adapter, config.bot.appId ?? '', book);
  const teamsIdOf = async (personId: string) => (await book.find(personId))?.reference.user?.id;

  // The sender has its own adapter whose connector does not retry by itself: every call passes the
  // sender's rate windows, and the sender sees (and retries) each 429 itself.
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
  // writes of concurrent turns share one transaction; each turn goes on once its batch has committed
  const commits = storeGroupCommit(store);
  const questions = new QuestionService({
    store,
    commits,
    knowledge,
    directory,
    messenger,
    log,
    clock,
    securityFunctionIds: config.securityFunction,
    teamsIdOf,
  });
  const governance = new GovernanceService({
    store,
    directory,
    sender,
    scheduler,
    messenger,
    log: log.child({ component: 'governance' }),
    clock,
    teamsIdOf,
  });
  governance.register();
  const reviews = await governance.sync();
  log.info(reviews, 'governing document reviews scheduled');

  const campaigns = new CampaignService({ store, directory, sender, scheduler, clock, log, teamsIdOf });
  campaigns.register();
  await campaigns.resume();
  const campaignRoutes = campaignBot(campaigns);
  const reviewFeature = createReviewFeature({
    store,
    directory,
    messenger,
    sender,
    scheduler,
    log: log.child({ component: 'review' }),
    clock,
    contentDir: config.contentDir,
    schedule: config.review,
    // the säkerhetsbokslut is written for the board, in Swedish
    writeReport: async (input) => {
      const published = await publishAnnualReport(documents, input, 'sv');
      return { docx: published.docx.link, csv: published.csv.link };
    },
    teamsIdOf: async (personId) => (await book.find(personId))?.reference.user?.id,
  });

  const bot = new VarnBot({
    directory,
    book,
    log,
    commands: [helpCommand, ...reviewFeature.commands, ...campaignRoutes.commands],
    verbs: [
      ...questionVerbs(questions),
      ...reviewFeature.verbs,
      ...governanceVerbs(governance),
      ...campaignRoutes.verbs,
    ],
    maxQuestionChars: config.maxQuestionChars,
    welcome: (caller) => helpCard(caller.lang, true),
    ask: async (caller, text) => {
      const { card, question } = await questions.ask(
        { id: caller.personId, name: caller.name, locale: caller.locale },
        text,
      );
      return {
        card,
        sent: (activityId, conversationId) =>
          questions.rememberAskerCard(question.id, { personId: caller.personId, conversationId, activityId }),
      };
    },
  });

  // the tab API: Entra ID SSO tokens in tenant mode; the app's own local tokens on the embedded default
  const tenantId = directory.organisation.tenantId;
  const localKey = new LocalSigningKey(config.localSigningKeyPath);
  if (!config.tab) localKey.check();
  const authenticator: Authenticator = new TokenAuthenticator(
    config.tab ? entraPolicy({ ...config.tab, tenantId }) : embeddedPolicy(localKey, tenantId),
    directory,
    log,
    clock,
  );
  const api: ApiRoute[] = [
    ...orgApiRoutes(directory),
    ...questionApiRoutes(questions),
    ...governanceApiRoutes(governance),
    ...campaignApi(campaigns),
    ...reviewFeature.api,
  ];

  const server = createServer({
    adapter,
    botAuth,
    appId: config.bot.appId,
    bot,
    log,
    tabDir: path.resolve(__dirname, '../../tab'),
    documentsDir: config.knowledgeDir,
    // on SharePoint the links open the library, under the site's own permissions; nothing is served from here
    files: sharePoint ? undefined : documents,
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
        store: sharePoint ? 'sharepoint' : 'sqlite',
        ...(state.ok ? {} : { storeProblem: state.problem }),
        passages: knowledge.passageCount,
      };
    },
    api,
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

  return {
    server,
    store,
    knowledge,
    questions,
    review: reviewFeature.review,
    followUps: reviewFeature.followUps,
    commits,
    directory,
    documents,
    governance,
    campaigns,
    sender,
    scheduler,
    log,
    listen: async () => {
      const port = await new Promise<number>((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) =>
          reject(
            new StartupError(
              `PORT ${config.port} / HOST ${config.host}: cannot listen there (${error.code === 'EADDRINUSE' ? 'the port is in use by another program' : error.code === 'EACCES' ? 'not allowed for this user' : error.code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : error.message})`,
              { cause: error, exitCode: EXIT.unavailable },
            ),
          ),
        );
        server.listen(config.port, config.host, () => resolve((server.address() as { port: number }).port));
      });
      sender.start();
      scheduler.start();
      return port;
    },
    close: async () => {
      await scheduler.stop();
      await sender.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await commits.close();
      await store.close();
    },
  };
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
