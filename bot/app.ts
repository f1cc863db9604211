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
import type { Config } from './config';
import type { Sender } from './delivery/port';
import { DeliveryService, type SenderOptions } from './delivery/service';
import { createServer } from './http/server';
import { langOf, t } from './i18n';
import { KnowledgeService } from './knowledge/service';
import { FileSystemSource } from './knowledge/source';
import { createLogger, type Logger } from './logger';
import { FileDirectory } from './org/fileDirectory';
import type { Directory } from './org/model';
import { questionVerbs } from './questions/routes';
import { QuestionService } from './questions/service';
import type { Scheduler } from './schedule/port';
import { JobScheduler } from './schedule/service';
import type { Store } from './store';
import { openSqliteStore } from './store/sqlite';
import { VarnBot } from './teams/bot';
import { ConversationBook } from './teams/conversations';
import { helpCard, helpCommand } from './teams/help';
import { InstalledByPolicy } from './teams/installer';
import { countingConnectorCalls, TeamsConversations, TeamsMessenger, withoutConnectorRetries } from './teams/messenger';

export interface App {
  server: restify.Server;
  store: Store;
  knowledge: KnowledgeService;
  questions: QuestionService;
  directory: Directory;
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
  /** The sender's rate limits, retry policy and timing (tests and benchmarks). */
  sender?: Partial<SenderOptions>;
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
  // the turn adapter's calls count in the sender's app-wide rate window (created below, used at run time)
  const adapter = new CloudAdapter(
    countingConnectorCalls(createBotFrameworkAuthenticationFromConfiguration(null, credentials), () => sender.countCall()),
  );
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    log.error({ err: error, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity(t(langOf(context.activity.locale), 'error.internal')).catch(() => undefined);
    }
  };

  const knowledge = new KnowledgeService(store, log, clock);
  await knowledge.load();
  const documentsLink = `${config.publicUrl}/documents`;
  const report = await knowledge.import(new FileSystemSource([config.knowledgeDir], documentsLink));
  for (const failure of report.failed) log.warn({ reason: failure.reason }, 'a governing document was not imported');

  const book = new ConversationBook(store, clock);
  const messenger = new TeamsMessenger(adapter, config.bot.appId ?? '', book);

  // The sender has its own adapter whose connector does not retry by itself: every call passes the
  // sender's rate windows, and the sender sees (and retries) each 429 itself.
  const outbound = new CloudAdapter(
    withoutConnectorRetries(createBotFrameworkAuthenticationFromConfiguration(null, credentials)),
  );
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
    installer: new InstalledByPolicy(directory),
    directory,
    log: log.child({ component: 'sender' }),
    clock,
    options: overrides.sender,
  });
  const scheduler = new JobScheduler({
    store,
    log: log.child({ component: 'scheduler' }),
    clock,
    options: { pollMs: config.schedulerPollMs },
  });
  const questions = new QuestionService({
    store,
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

  const server = createServer({
    adapter,
    bot,
    log,
    tabDir: path.resolve(__dirname, '../../tab'),
    documentsDir: config.knowledgeDir,
    health: async () => ({ mode: config.embedded ? 'embedded' : 'tenant', passages: knowledge.passageCount }),
  });

  return {
    server,
    store,
    knowledge,
    questions,
    directory,
    sender,
    scheduler,
    log,
    listen: async () => {
      const port = await new Promise<number>((resolve) => {
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
      await store.close();
    },
  };
}
