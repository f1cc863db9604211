/**
 * Reports of risks, deficiencies and incidents to the nearest manager, and the records a public body
 * keeps: retention (gallring) per record type and the export of one record with its history.
 * Assembled from the ports app.ts hands in; returns the feature's face (bot/platform/feature.ts).
 */
import type { Feature } from '../../platform/feature';
import { reportCollections } from './collections';
import { reportApi, reportCommands, reportVerbRoutes } from './routes';
import { ReportService, type ReportsDeps } from './service';

export type { CardCopiesPort, FollowUpsPort, ReportsDeps } from './service';

export interface ReportsFeature extends Feature {
  service: ReportService;
}

export function createReportsFeature(deps: ReportsDeps): ReportsFeature {
  const service = new ReportService(deps);
  return {
    name: 'reports',
    service,
    verbs: reportVerbRoutes(service, deps.areas, deps.clock),
    commands: reportCommands(service),
    api: reportApi(service, deps.clock),
    jobs: service.jobs(),
    renderers: service.renderers(),
    collections: Object.values(reportCollections).map((c) => c.name),
  };
}
