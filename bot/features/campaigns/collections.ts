/** Awareness campaigns, their recipients and their named authors. */
import { collection } from '../../platform/store/schema';
import type { Campaign, CampaignAuthor, CampaignRecipient } from './model';

export const campaignCollections = {
  campaigns: collection<Campaign>('campaigns', ['status', 'createdBy']),
  campaignRecipients: collection<CampaignRecipient>('campaignRecipients', [
    'campaignId',
    'personId',
    'unitId',
  ]),
  campaignAuthors: collection<CampaignAuthor>('campaignAuthors', ['personId']),
} as const;
