/**
 * Awareness campaigns: composing and sending (card verbs and chat commands), the recipients' answers,
 * the tab's API, the dispatch/reminder/close jobs and the sender's renderers. At start, scheduled
 * campaigns are resumed.
 */
import type { Feature } from '../../platform/feature';
import { campaignCollections } from './collections';
import { campaignApi, campaignBot } from './routes';
import { CampaignService, type CampaignServiceDeps } from './service';

export interface CampaignsFeature extends Feature {
  service: CampaignService;
}

export function createCampaignsFeature(deps: CampaignServiceDeps): CampaignsFeature {
  const service = new CampaignService(deps);
  const bot = campaignBot(service);
  return {
    name: 'campaigns',
    service,
    verbs: bot.verbs,
    commands: bot.commands,
    api: campaignApi(service),
    jobs: service.jobs(),
    renderers: service.renderers(),
    collections: Object.keys(campaignCollections),
    start: () => service.resume(),
  };
}
