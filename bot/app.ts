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
import { createServer } from './http/server';
import { langOf, t } from './i18n';
import { KnowledgeService } from './knowledge/service';
import { FileSystemSource } from './knowledge/source';
import { LocalDocumentStore } from './documents/local';
import type { DocumentStore } from './documents/port';
import type { GraphSetup } from './graph';
import { createLogger, type Logger } from './logger';
import { FileDirectory } from './org/fileDirectory';
import type { Directory } from './org/model';
import { questionVerbs } from './questions/routes';
import { QuestionService } from './questions/service';
import type { Store } from './store';
import { connectSharePoint } from './store/sharepoint/connect';
import { openSqliteStore } from './store/sqlite';
import { VarnBot } from './teams/bot';
import { ConversationBook } from './teams/conversations';
import { helpCard, helpCommand } from './teams/help';
import { TeamsMessenger } from './teams/messenger';

export interface App {
  server: restify.Server;
  store: Store;
  /** Where governing documents and generated reports are kept (the SharePoint library, or the data directory). */
  documents: DocumentStore;
  knowledge: KnowledgeService;
  questions: QuestionService;
  directory: Directory;
  log: Logger;
  listen(): Promise<number>;
  close(): Promise<void>;
}

export interface AppOverrides {
  log?: Logger;
  clock?: () => Date;
  store?: Store;
  /** How the Graph client reaches Microsoft 365 (tests: the local endpoint's identity client). */
  graph?: GraphSetup;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? (() => new Date());
  // SharePoint when a site is configured (the derived knowledge index stays in the local SQLite file); SQLite otherwise
  const sharePoint =
    !overrides.store && config.sharePoint
      ? await connectSharePoint(config.sharePoint, { ...overrides.graph, log, localDbPath: config.dbPath })
      : undefined;
  const store = overrides.store ?? sharePoint?.store ?? openSqliteStore(config.dbPath);
  const documents: DocumentStore =
    sharePoint?.library ?? new LocalDocumentStore(path.join(config.dataDir, 'documents'));
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
      await context.sendActivity(t(langOf(context.activity.locale), 'error.internal')).catch(() => undefined);
    }
  };

  const knowledge = new KnowledgeService(store, log, clock);
  await knowledge.load();
  const documentsLink = `${config.publicUrl}/documents`;
  const report = await knowledge.import(
    sharePoint?.source ?? new FileSystemSource([config.knowledgeDir], documentsLink),
  );
  sharePoint?.source.commit();
  for (const failure of report.failed) log.warn({ reason: failure.reason }, 'a governing document was not imported');

  const book = new ConversationBook(store, clock);
  const messenger = new TeamsMessenger(adapter, config.bot.appId ?? '', book);
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
    health: async () => ({
      mode: config.embedded ? 'embedded' : 'tenant',
      store: sharePoint ? 'sharepoint' : 'sqlite',
      passages: knowledge.passageCount,
    }),
  });

  return {
    server,
    store,
    documents,
    knowledge,
    questions,
    directory,
    log,
    listen: () =>
      new Promise((resolve) => {
        server.listen(config.port, config.host, () => resolve((server.address() as { port: number }).port));
      }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
