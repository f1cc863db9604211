/**
 * Who may do what with a campaign: one declared policy, used by the card verbs, the chat commands
 * and the tab API (whose responses carry each campaign's abilities). Plain functions over plain data.
 */
import { type Actor, hasRole } from '../../platform/org/actor';
import { definePolicy } from '../../platform/policy';
import type { Campaign, CampaignRecipient, CampaignStatus } from './model';

/** The grant the security chief gives a campaign author (kept in `campaignAuthors`). */
export const AUTHOR_GRANT = 'campaigns.author';

/** What an ability is asked about: a campaign, and for a response the caller's own delivery. */
export type CampaignSubject = { campaign?: Campaign; recipient?: CampaignRecipient } | undefined;

const writes = (actor: Actor) => hasRole(actor, 'securityChief') || actor.grants.has(AUTHOR_GRANT);

/** The state machine: which step may start from which status, and where it leads. */
export const transitions = {
  edit: { from: ['draft'], to: 'draft' },
  send: { from: ['draft'], to: 'scheduled' },
  dispatch: { from: ['scheduled'], to: 'sending' },
  cancel: { from: ['draft', 'scheduled', 'sending'], to: 'cancelled' },
  close: { from: ['sending'], to: 'closed' },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus }>;

export const inState = (campaign: Campaign, step: keyof typeof transitions): boolean =>
  (transitions[step].from as readonly CampaignStatus[]).includes(campaign.status);

/**
 * May the actor do this at all? (Whether the campaign's state allows it now is `inState`; a refused
 * ability is a 403, a wrong state shows the campaign as it is.)
 */
export const campaignPolicy = definePolicy<CampaignSubject>()(
  {
    compose: writes,
    edit: writes,
    duplicate: writes,
    preview: writes,
    send: writes,
    cancel: writes,
    seeFigures: writes,
    nameAuthors: (actor) => hasRole(actor, 'securityChief'),
    seeOwnUnit: (actor) => actor.managedUnits.size > 0,
    /** One's own delivery (the card's refresh), whatever the campaign's state. */
    viewDelivery: (actor, subject) => !!subject?.recipient && subject.recipient.personId === actor.id,
    // only one's own delivery, and only while the campaign is out
    respond: (actor, subject) =>
      !!subject?.recipient &&
      subject.recipient.personId === actor.id &&
      subject.campaign?.status === 'sending',
  },
  {
    refusal: (ability) =>
      ability === 'respond' || ability === 'viewDelivery'
        ? 'campaign.error.notRecipient'
        : 'campaign.notAuthor',
  },
);

export type CampaignAbility = (typeof campaignPolicy.abilities)[number];

/**
 * What the actor may do with this campaign now, as the tab receives it: the policy and the state
 * together, so the tab offers exactly what the server would accept.
 */
export function campaignAbilities(actor: Actor, campaign: Campaign) {
  const may = campaignPolicy.abilitiesOf(actor, { campaign }, [
    'edit',
    'duplicate',
    'preview',
    'send',
    'cancel',
    'seeFigures',
  ]);
  return {
    ...may,
    edit: may.edit && inState(campaign, 'edit'),
    send: may.send && inState(campaign, 'send'),
    cancel: may.cancel && inState(campaign, 'cancel'),
  };
}
