/**
 * The yearly review and its follow-ups, assembled from the ports app.ts hands in: services, chat
 * commands, card verbs, API routes. The policy's areas and goals are read (and validated) once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../config';
import type { Sender } from '../../platform/delivery/port';
import type { ApiRoute } from '../../platform/http/api';
import type { Logger } from '../../platform/logger';
import type { Messenger } from '../../platform/messaging';
import type { Directory } from '../../platform/org/model';
import type { Scheduler } from '../../platform/schedule/port';
import type { Store } from '../../platform/store';
import type { CommandRoute, VerbRoute } from '../../platform/teams/routes';
import { CardCopies } from './copies';
import { FollowUpService } from './followups/service';
import { type GoalTemplate, goalTemplateSchema, type ReviewSchedule } from './model';
import { People } from './people';
import { followUpApi, reviewApi, reviewCommands, reviewVerbs } from './routes';
import { type AnnualReportWriter, ReviewService } from './service';

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

export interface ReviewFeature {
  review: ReviewService;
  followUps: FollowUpService;
  template: GoalTemplate;
  commands: CommandRoute[];
  verbs: VerbRoute[];
  api: ApiRoute[];
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
  const copies = new CardCopies(deps.store, deps.messenger, deps.log);
  const followUps = new FollowUpService({ ...deps, people, copies });
  const review = new ReviewService({ ...deps, people, copies, followUps, template });
  return {
    review,
    followUps,
    template,
    commands: reviewCommands(review),
    verbs: reviewVerbs(review, followUps),
    api: [...reviewApi(review, { chain: template.chain, areas: template.areas }), ...followUpApi(followUps)],
  };
}
