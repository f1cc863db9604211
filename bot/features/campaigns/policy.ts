/**
 * Who may do what with a campaign: one declared policy, used by the card verbs, the chat commands
 * and the tab API. Plain functions over plain data.
 */
import type { Campaign, CampaignRecipient, CampaignStatus } from './model';

export interface CampaignActor {
  id: string;
  securityChief: boolean;
  /** Named as an author by the security chief. */
  author: boolean;
  /** Units the person manages, with everything below them. */
  managedUnits: ReadonlySet<string>;
}

export type CampaignAbility =
  | 'compose'
  | 'edit'
  | 'duplicate'
  | 'preview'
  | 'send'
  | 'cancel'
  | 'seeFigures'
  | 'nameAuthors'
  | 'seeOwnUnit'
  | 'respond';

const writes = (actor: CampaignActor) => actor.securityChief || actor.author;

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
export function can(
  actor: CampaignActor,
  ability: CampaignAbility,
  subject?: { campaign?: Campaign; recipient?: CampaignRecipient },
): boolean {
  switch (ability) {
    case 'compose':
    case 'edit':
    case 'duplicate':
    case 'preview':
    case 'send':
    case 'cancel':
    case 'seeFigures':
      return writes(actor);
    case 'nameAuthors':
      return actor.securityChief;
    case 'seeOwnUnit':
      return actor.managedUnits.size > 0;
    case 'respond':
      // only one's own delivery, and only while the campaign is out
      return (
        !!subject?.recipient &&
        subject.recipient.personId === actor.id &&
        subject.campaign?.status === 'sending'
      );
  }
}
