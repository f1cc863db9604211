/**
 * The governing documents' yearly review by their owners: its card verbs, the tab's list, the jobs
 * that open and remind, the cards the sender sends. At start it schedules the review of every
 * imported document (so it starts after knowledge).
 */
import type { Feature } from '../../platform/feature';
import { governanceCollections } from './collections';
import { governanceApiRoutes, governanceVerbs } from './routes';
import { type GovernanceDeps, GovernanceService } from './service';

export interface GovernanceFeature extends Feature {
  service: GovernanceService;
}

export function createGovernanceFeature(deps: GovernanceDeps): GovernanceFeature {
  const service = new GovernanceService(deps);
  return {
    name: 'governance',
    service,
    verbs: governanceVerbs(service),
    commands: [],
    api: governanceApiRoutes(service),
    jobs: service.jobs(),
    renderers: service.renderers(),
    collections: Object.keys(governanceCollections),
    start: async () => {
      const reviews = await service.sync();
      deps.log.info(reviews, 'governing document reviews scheduled');
    },
  };
}
