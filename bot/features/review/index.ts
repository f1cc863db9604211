/**
 * The yearly review and its follow-ups, assembled from the ports app.ts hands in: the Feature face
 * (verbs, chat commands, API routes, scheduler jobs, sender renderers, collections) over one shared
 * context. The policy's areas and goals are read (and validated) once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../config';
import type { Sender } from '../../platform/delivery/port';
import type { Feature } from '../../platform/feature';
import type { Logger } from '../../platform/logger';
import type { Messenger } from '../../platform/messaging';
import type { Directory } from '../../platform/org/model';
import type { Scheduler } from '../../platform/schedule/port';
import type { Store } from '../../platform/store';
import { CardCopies } from '../../platform/teams/copies';
import { close, cycles, progressCard } from './closing';
import { reviewCollections } from './collections';
import { type AnnualReportWriter, ReviewContext } from './context';
import { deputyForm, setDeputy } from './deputies';
import { FollowUpService } from './followups';
import { reviewJobs, reviewRenderers } from './jobs';
import { type GoalTemplate, goalTemplateSchema, type ReviewSchedule } from './model';
import { openCycle, openForm, openFromForm } from './open';
import { People } from './people';
import { followUpApi, reviewApi, reviewCommands, reviewVerbRoutes } from './routes';
import { approve, returnReview, save, submit } from './transitions';
import { area, mine, reviewState, view } from './viewing';

export type { AnnualReportWriter } from './context';

export interface ReviewFeatureDeps {
  store: Store;
  directory: Directory;
  messenger: Messenger;
  sender: Sender;
  scheduler: Scheduler;
  log: Logger;
  clock: () => Date;
  contentDir: string;
  schedule: ReviewSchedule;
  writeReport: AnnualReportWriter;
  teamsIdOf: (personId: string) => Promise<string | undefined>;
}

type Bound<F> = F extends (ctx: ReviewContext, ...args: infer A) => infer R ? (...args: A) => R : never;
const bind = <F extends (ctx: ReviewContext, ...args: never[]) => unknown>(ctx: ReviewContext, command: F) =>
  ((...args: never[]) => command(ctx, ...args)) as Bound<F>;

/** The review's commands bound to its context, for callers outside a Teams turn (tests, scripts). */
export function reviewCommandsOf(ctx: ReviewContext) {
  return {
    openForm: bind(ctx, openForm),
    openCycle: bind(ctx, openCycle),
    openFromForm: bind(ctx, openFromForm),
    view: bind(ctx, view),
    area: bind(ctx, area),
    save: bind(ctx, save),
    submit: bind(ctx, submit),
    approve: bind(ctx, approve),
    returnReview: bind(ctx, returnReview),
    cycles: bind(ctx, cycles),
    progressCard: bind(ctx, progressCard),
    close: bind(ctx, close),
    mine: bind(ctx, mine),
    deputyForm: bind(ctx, deputyForm),
    setDeputy: bind(ctx, setDeputy),
    reviewState: bind(ctx, reviewState),
  };
}
export type ReviewCommands = ReturnType<typeof reviewCommandsOf>;

/** The face, plus what app.ts and tests still reach directly: the bound commands, the follow-ups, the goal template. */
export interface ReviewFeature extends Feature {
  review: ReviewCommands;
  followUps: FollowUpService;
  template: GoalTemplate;
}

export function loadGoalTemplate(contentDir: string): GoalTemplate {
  const file = path.join(contentDir, 'review', 'goals.json');
  if (!fs.existsSync(file)) {
    throw new ConfigError([
      `VARN_CONTENT_DIR: ${file} is missing; the yearly review needs its goal template there (areas, goals, the default sign-off chain; see content/review/goals.json)`,
    ]);
  }
  const parsed = goalTemplateSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new ConfigError([
      `VARN_CONTENT_DIR: ${file} is not a valid goal template: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    ]);
  }
  return parsed.data;
}

export function createReviewFeature(deps: ReviewFeatureDeps): ReviewFeature {
  const template = loadGoalTemplate(deps.contentDir);
  const people = new People(deps.store, deps.directory, deps.clock);
  const copies = new CardCopies({ store: deps.store, messenger: deps.messenger, log: deps.log });
  const followUps = new FollowUpService({ ...deps, people, copies });
  const ctx = new ReviewContext({ ...deps, people, copies, followUps, template });
  return {
    name: 'review',
    verbs: reviewVerbRoutes(ctx, followUps),
    commands: reviewCommands(ctx),
    api: [...reviewApi(ctx), ...followUpApi(followUps)],
    jobs: { ...reviewJobs(ctx), ...followUps.jobs() },
    renderers: { ...reviewRenderers(ctx), ...followUps.renderers() },
    collections: Object.keys(reviewCollections),
    review: reviewCommandsOf(ctx),
    followUps,
    template,
  };
}
