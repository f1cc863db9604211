/**
 * The one face every feature shows the composition root. `bot/features/<feature>/index.ts` exports
 * `create<Feature>Feature(deps)` returning this; app.ts only collects faces: it registers the verbs and
 * commands with the Teams dispatch, mounts the API routes, registers the jobs with the scheduler and
 * the renderers with the sender. The collections a feature keeps are declared statically in its
 * `collections.ts` (the store is built from them before any feature exists) and repeated here so a
 * reader sees the whole feature in one place.
 */
import type { Renderer } from './delivery/port';
import type { ApiRoute } from './http/api';
import type { JobHandler } from './schedule/port';
import type { CommandRoute, FallbackRoute, VerbRoute } from './teams/routes';

export interface Feature {
  /** The feature's folder name, e.g. 'review'. */
  name: string;
  /** Card verbs with their handlers (the verb constants live in the feature's verbs.ts). */
  verbs: readonly VerbRoute[];
  /** Chat commands (whole-message matches in the catalogue's languages). */
  commands: readonly CommandRoute[];
  /** Tab API routes under /api. */
  api: readonly ApiRoute[];
  /** Scheduler job handlers by job kind. */
  jobs: Readonly<Record<string, JobHandler>>;
  /** Sender renderers by delivery kind. */
  renderers: Readonly<Record<string, Renderer>>;
  /** The names of the store collections the feature owns. */
  collections: readonly string[];
  /** Free text no command matched; exactly one feature (questions) provides it. */
  fallback?: FallbackRoute;
  /**
   * Work at start, after every feature's jobs and renderers are registered and before the app
   * listens (in the order the app lists the features: knowledge imports before governance reads).
   */
  start?(): Promise<void>;
}
