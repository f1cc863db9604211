/**
 * The composition root: the one place that picks adapters and wires features to them.
 */
import path from 'node:path';
import {
  CloudAdapter,
  ConfigurationServiceClientCredentialFactory,
  createBotFrameworkAuthenticationFromConfiguration,
  type TurnContext,
} from 'botbuilder';
import type restify from 'restify';
import { azureOpenAiSemantic } from './ai/azureOpenAi';
import type { Config } from './config';
import { AppError } from './errors';
import type { ApiRoute, Authenticator } from './http/api';
import { TokenAuthenticator } from './http/auth';
import { embeddedPolicy, mountEmbeddedLogin } from './http/embeddedLogin';
import { createServer } from './http/server';
import { entraPolicy, LocalSigningKey } from './http/tokens';
import { langOf, t } from './i18n';
import { KnowledgeService } from './knowledge/service';
import { FileSystemSource } from './knowledge/source';
import { createLogger, type Logger } from './logger';
import { FileDirectory } from './org/fileDirectory';
import { type Directory, roleSchema } from './org/model';
import { orgApiRoutes } from './org/routes';
import { questionApiRoutes, questionVerbs } from './questions/routes';
import { QuestionService } from './questions/service';
import type { Store } from './store';
import { type GroupCommit, type StoreWrite, storeGroupCommit } from './store/groupCommit';
import { openSqliteStore } from './store/sqlite';
import { VarnBot } from './teams/bot';
import { ConversationBook } from './teams/conversations';
import { helpCard, helpCommand } from './teams/help';
import { TeamsMessenger } from './teams/messenger';

export interface App {
  server: restify.Server;
  store: Store;
  knowledge: KnowledgeService;
  questions: QuestionService;
  /** The store's group commit (its counters feed the HTTP bench). */
  commits: GroupCommit<StoreWrite>;
  directory: Directory;
  log: Logger;
  listen(): Promise<number>;
  close(): Promise<void>;
}

export interface AppOverrides {
  log?: Logger;
  clock?: () => Date;
  store?: Store;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? (() => new Date());
  const store = overrides.store ?? openSqliteStore(config.dbPath);
  const directory: Directory = FileDirectory.fromFile(path.join(config.contentDir, 'organisation.json'));

  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.bot.appId ?? '',
    MicrosoftAppPassword: config.bot.appPassword ?? '',
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
    MicrosoftAppType: config.bot.appType ?? '',
  });
  const adapter = new CloudAdapter(createBotFrameworkAuthenticationFromConfiguration(null, credentials));
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    log.error({ err: error, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') {
      // an AppError names what the user should read (e.g. that their question could not be stored)
      const lang = langOf(context.activity.locale);
      const text = error instanceof AppError ? t(lang, error.messageKey, error.params) : t(lang, 'error.internal');
      await context.sendActivity(text).catch(() => undefined);
    }
  };

  // semantic ranking and phrasing only when the customer configured an Azure OpenAI deployment
  const knowledge = new KnowledgeService(store, log, clock, config.openAi ? azureOpenAiSemantic(config.openAi) : {});
  await knowledge.load();
  const documentsLink = `${config.publicUrl}/documents`;
  const report = await knowledge.import(new FileSystemSource([config.knowledgeDir], documentsLink));
  for (const failure of report.failed) log.warn({ reason: failure.reason }, 'a governing document was not imported');

  const book = new ConversationBook(store, clock);
  const messenger = new TeamsMessenger(adapter, config.bot.appId ?? '', book);
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
    teamsIdOf: async (personId) => (await book.find(personId))?.reference.user?.id,
  });

  const bot = new VarnBot({
    directory,
    book,
    log,
    commands: [helpCommand],
    verbs: [...questionVerbs(questions)],
    maxQuestionChars: config.maxQuestionChars,
    welcome: (caller) => helpCard(caller.lang, true),
    ask: async (caller, text) => {
      const { card, question } = await questions.ask({ id: caller.personId, name: caller.name, locale: caller.locale }, text);
      return {
        card,
        sent: (activityId, conversationId) => questions.rememberAskerCard(question.id, { personId: caller.personId, conversationId, activityId }),
      };
    },
  });

  // the tab API: Entra ID SSO tokens in tenant mode; the app's own local tokens on the embedded default
  const tenantId = directory.organisation.tenantId;
  const localKey = new LocalSigningKey(config.localSigningKeyPath);
  const authenticator: Authenticator = new TokenAuthenticator(
    config.tab ? entraPolicy({ ...config.tab, tenantId }) : embeddedPolicy(localKey, tenantId),
    directory,
    log,
    clock,
  );
  const api: ApiRoute[] = [...orgApiRoutes(directory), ...questionApiRoutes(questions)];

  const server = createServer({
    adapter,
    bot,
    log,
    tabDir: path.resolve(__dirname, '../../tab'),
    documentsDir: config.knowledgeDir,
    health: async () => ({ mode: config.embedded ? 'embedded' : 'tenant', passages: knowledge.passageCount }),
    api,
    authenticator,
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
    commits,
    directory,
    log,
    listen: () =>
      new Promise((resolve) => {
        server.listen(config.port, config.host, () => resolve((server.address() as { port: number }).port));
      }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await commits.close();
      await store.close();
    },
  };
}
