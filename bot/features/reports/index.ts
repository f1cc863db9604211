/**
 * Reports of risks, deficiencies and incidents to the nearest manager, and the records a public body
 * keeps: retention (gallring) per record type and the export of one record with its history.
 * Assembled from the ports app.ts hands in; returns the feature's face (bot/platform/feature.ts).
 */
import type { Feature } from '../../platform/feature';
import { reportCollections } from './collections';
import { exportApi, RecordExporter } from './export';
import { RETENTION_JOB, RetentionJob, type RetentionRules } from './retention';
import { reportApi, reportCommands, reportVerbRoutes } from './routes';
import { ReportService, type ReportsDeps } from './service';

export type { FollowUpsPort } from './service';

export interface ReportsFeatureDeps extends ReportsDeps {
  retention: RetentionRules;
}

export interface ReportsFeature extends Feature {
  service: ReportService;
  retention: RetentionJob;
  exporter: RecordExporter;
}

export function createReportsFeature(deps: ReportsFeatureDeps): ReportsFeature {
  const service = new ReportService(deps);
  const retention = new RetentionJob({ ...deps, rules: deps.retention });
  const exporter = new RecordExporter({ ...deps, actor: (id) => service.actor(id) });
  return {
    name: 'reports',
    service,
    retention,
    exporter,
    verbs: reportVerbRoutes(service, deps.areas, deps.clock),
    commands: reportCommands(service),
    api: [...reportApi(service, deps.clock), ...exportApi(exporter)],
    jobs: { ...service.jobs(), [RETENTION_JOB]: (job) => retention.run(job).then(() => undefined) },
    renderers: service.renderers(),
    collections: Object.values(reportCollections).map((c) => c.name),
    // at start: plans again what open reports call for, and the next retention run
    start: async () => {
      await service.resume();
      await retention.planNext();
    },
  };
}
