/**
 * The composition root: picks the adapters (adapters.ts) and collects the features' faces. Each
 * feature (bot/features/<feature>/index.ts) returns its verbs, commands, API routes, jobs and
 * renderers; this file registers them with the Teams dispatch, the HTTP server, the scheduler and the
 * sender, and starts the features in order. No feature behaviour lives here.
 */
import type restify from 'restify';
import { type AppOverrides, pickAdapters, pickServer, pickTeams } from './adapters';
import type { Config } from './config';
import { createAnnualReportFeature } from './features/annualReport/index';
import { createCampaignsFeature } from './features/campaigns/index';
import type { CampaignService } from './features/campaigns/service';
import { createGovernanceFeature } from './features/governance/index';
import type { GovernanceService } from './features/governance/service';
import { loadChannels } from './features/knowledge/channels';
import { createKnowledgeFeature } from './features/knowledge/index';
import type { KnowledgeService } from './features/knowledge/service';
import { FileSystemSource } from './features/knowledge/source';
import { createQuestionsFeature } from './features/questions/index';
import type { QuestionService } from './features/questions/service';
import { createReportsFeature } from './features/reports/index';
import type { ReportService } from './features/reports/service';
import type { FollowUpService } from './features/review/followups';
import { createReviewFeature, type ReviewCommands } from './features/review/index';
import { azureOpenAiSemantic } from './platform/ai/azureOpenAi';
import type { Sender } from './platform/delivery/port';
import type { DocumentStore } from './platform/documents/port';
import { EXIT, StartupError } from './platform/errors';
import type { Feature } from './platform/feature';
import type { Logger } from './platform/logger';
import type { Directory } from './platform/org/model';
import type { Scheduler } from './platform/schedule/port';
import type { Store } from './platform/store';
import { type GroupCommit, type StoreWrite, storeGroupCommit } from './platform/store/groupCommit';
import { VarnBot } from './platform/teams/bot';
import { Greeter, type HelpTopic, helpCard, helpCommand } from './platform/teams/help';
import type { Caller } from './platform/teams/routes';

export type { AppOverrides } from './adapters';

export interface App {
  server: restify.Server;
  store: Store;
  knowledge: KnowledgeService;
  questions: QuestionService;
  /** The yearly review and its follow-ups. */
  review: ReviewCommands;
  followUps: FollowUpService;
  /** The store's group commit (its counters feed the HTTP bench). */
  commits: GroupCommit<StoreWrite>;
  directory: Directory;
  /** Generated files (the säkerhetsbokslut) and governing documents: the SharePoint library, or a local folder served at /files. */
  documents: DocumentStore;
  /** The governing documents' yearly review by their owners. */
  governance: GovernanceService;
  campaigns: CampaignService;
  /** Reports of risks, deficiencies and incidents. */
  reports: ReportService;
  /** The shared sender: features register renderers and enqueue deliveries; it sends outside users' turns. */
  sender: Sender;
  /** Persistent jobs: features register handlers and schedule jobs. */
  scheduler: Scheduler;
  log: Logger;
  /** Every feature's face, in the order the bot and the server collect them. */
  features: readonly Feature[];
  /** Listens, then starts the sender's worker and the scheduler. */
  listen(): Promise<number>;
  /** Stops the scheduler and the sender (sends in flight finish and are recorded), then the server and the store. */
  close(): Promise<void>;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const { log, clock, sharePoint, store, graph, directory, documents, book } = await pickAdapters(
    config,
    overrides,
  );
  const { adapter, botAuth, messenger, sender, scheduler, links } = pickTeams(config, overrides, {
    log,
    clock,
    store,
    graph,
    directory,
    book,
  });
  // writes of concurrent turns share one transaction; each turn goes on once its batch has committed
  const commits = storeGroupCommit(store);
  const teamsIdOf = (personId: string) => book.teamsIdOf(personId);

  const knowledge = createKnowledgeFeature({
    store,
    log,
    clock,
    // semantic ranking and phrasing only when the customer configured an Azure OpenAI deployment
    semantic: config.openAi ? azureOpenAiSemantic(config.openAi) : {},
    source:
      sharePoint?.source ?? new FileSystemSource([config.knowledgeDir], `${config.publicUrl}/documents`),
  });
  const questions = createQuestionsFeature({
    store,
    commits,
    knowledge: knowledge.service,
    directory,
    messenger,
    log,
    clock,
    securityFunctionIds: config.securityFunction,
    teamsIdOf,
    channels: loadChannels(config.contentDir),
    sender,
  });
  const governance = createGovernanceFeature({
    store,
    directory,
    sender,
    scheduler,
    messenger,
    log: log.child({ component: 'governance' }),
    clock,
    teamsIdOf,
  });
  const campaigns = createCampaignsFeature({ store, directory, sender, scheduler, clock, log, teamsIdOf });
  const annualReport = createAnnualReportFeature({ documents });
  const review = createReviewFeature({
    store,
    directory,
    messenger,
    sender,
    scheduler,
    log: log.child({ component: 'review' }),
    clock,
    contentDir: config.contentDir,
    schedule: config.review,
    // with the year's reports of risks, deficiencies and incidents (built below; this runs when a cycle closes)
    writeReport: async (input) =>
      annualReport.writeReport({ ...input, reports: await reports.service.year(input.year) }),
    teamsIdOf,
  });
  const reports = createReportsFeature({
    store,
    directory,
    sender,
    scheduler,
    messenger,
    log: log.child({ component: 'reports' }),
    clock,
    areas: review.template.areas,
    securityFunctionIds: config.securityFunction,
    schedule: { handlingDays: config.reports.handlingDays, escalationDays: config.reports.escalationDays },
    links: config.reports.links,
    followUps: review.followUps,
    teamsIdOf,
    retention: config.retention,
  });

  // the order of the bot's command and verb tables, and of the starts: knowledge imports before governance reads
  const features: Feature[] = [knowledge, questions, review, governance, campaigns, annualReport, reports];
  for (const feature of features) {
    for (const [kind, handler] of Object.entries(feature.jobs)) scheduler.register(kind, handler);
    for (const [kind, renderer] of Object.entries(feature.renderers)) sender.register(kind, renderer);
  }
  for (const feature of features) await feature.start?.();

  // the help names only the commands this person may use (the features' own checks decide)
  const helpTopics = async (caller: Caller): Promise<Set<HelpTopic>> => {
    const person = await directory.person(caller.personId);
    const roles = new Set(person?.roles ?? []);
    const topics = new Set<HelpTopic>();
    if (roles.has('unitManager') || roles.has('headOfAdministration') || roles.has('regionalDirector'))
      topics.add('manager');
    if (roles.has('securityChief')) topics.add('securityChief');
    if (await campaigns.service.can(caller.personId, 'compose')) topics.add('campaignAuthor');
    if ((await questions.service.securityFunction()).includes(caller.personId))
      topics.add('securityFunction');
    return topics;
  };
  const bot = new VarnBot({
    directory,
    book,
    log,
    commands: [helpCommand(helpTopics), ...features.flatMap((f) => f.commands)],
    verbs: features.flatMap((f) => f.verbs),
    fallback: questions.fallback,
    maxQuestionChars: config.maxQuestionChars,
    welcome: async (caller) => helpCard(caller.lang, true, await helpTopics(caller)),
    greeter: new Greeter(clock),
  });

  const server = pickServer(config, {
    adapter,
    botAuth,
    bot,
    log,
    clock,
    store,
    directory,
    files: sharePoint ? undefined : documents,
    links,
    passageCount: () => knowledge.service.passageCount,
    storeKind: sharePoint ? 'sharepoint' : 'sqlite',
    api: features.flatMap((f) => f.api),
  });

  return {
    server,
    store,
    knowledge: knowledge.service,
    questions: questions.service,
    review: review.review,
    followUps: review.followUps,
    commits,
    directory,
    documents,
    governance: governance.service,
    campaigns: campaigns.service,
    reports: reports.service,
    sender,
    scheduler,
    log,
    features,
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
