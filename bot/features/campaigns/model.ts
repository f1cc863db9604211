/**
 * Awareness campaigns (informationsinsatser): a message to an audience, optionally with an
 * acknowledgement ("Jag har tagit del av") and/or a short quiz. The deliveries themselves are the
 * shared sender's Delivery records (batchId = campaign id); what a recipient did with the message
 * is a CampaignRecipient, one per campaign and person.
 */
import { z } from 'zod';

export const MIN_QUIZ_QUESTIONS = 2;
export const MAX_QUIZ_QUESTIONS = 5;
export const MAX_OPTIONS = 6;

export const quizQuestionSchema = z.object({
  text: z.string(),
  options: z.array(z.string()),
  /** Index into options of the correct answer; undefined until the author marks one. */
  correct: z.number().int().optional(),
  explanation: z.string().default(''),
});
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;

export const quizSchema = z.object({
  questions: z.array(quizQuestionSchema),
  /** How many questions must be answered correctly to pass. */
  passMark: z.number().int(),
});
export type Quiz = z.infer<typeof quizSchema>;

export const audienceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('everyone') }),
  z.object({ kind: z.literal('units'), unitIds: z.array(z.string()), includeSubUnits: z.boolean() }),
  z.object({ kind: z.literal('groups'), groupIds: z.array(z.string()) }),
  z.object({ kind: z.literal('managers') }),
]);
export type Audience = z.infer<typeof audienceSchema>;

/** What an author writes; the same shape from the composer cards and from the tab's API. */
export const campaignContentSchema = z.object({
  title: z.string(),
  /** Short Markdown that Adaptive Cards can show: bold, italic, lists, links. */
  text: z.string(),
  imageUrl: z.string().optional(),
  documentUrl: z.string().optional(),
  documentTitle: z.string().optional(),
  requiresAcknowledgement: z.boolean(),
  quiz: quizSchema.optional(),
  audience: audienceSchema,
  /** ISO instant; undefined means "when I press send". */
  sendAt: z.string().optional(),
  reminderAt: z.array(z.string()).default([]),
  closeAt: z.string().optional(),
});
export type CampaignContent = z.infer<typeof campaignContentSchema>;

/**
 * draft → scheduled (send pressed, time in the future) → sending (the sender has the deliveries)
 * → closed (close time passed); draft/scheduled/sending → cancelled.
 */
export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'closed' | 'cancelled';

export interface Campaign extends CampaignContent {
  id: string;
  status: CampaignStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Copied from another campaign. */
  duplicatedFrom?: string;
  sendRequestedBy?: string;
  /** When the fan-out was handed to the sender. */
  dispatchedAt?: string;
  targeted?: number;
  cancelledBy?: string;
  cancelledAt?: string;
  closedAt?: string;
}

export interface QuizResult {
  answers: (number | null)[];
  score: number;
  passed: boolean;
  answeredAt: string;
}

/** One person a campaign was sent to, and what they did with it. Id: `${campaignId}:${personId}`. */
export interface CampaignRecipient {
  id: string;
  campaignId: string;
  personId: string;
  /** The person's unit when the campaign went out (figures per unit). */
  unitId: string;
  acknowledgedAt?: string;
  quiz?: QuizResult;
}

/** A person the security chief has named as a campaign author. Id: the person's id. */
export interface CampaignAuthor {
  id: string;
  personId: string;
  namedBy: string;
  namedAt: string;
}

export const recipientId = (campaignId: string, personId: string) => `${campaignId}:${personId}`;

/** Sender kinds (renderers) and stable keys: the same key enqueued twice is one delivery. */
export const deliveryKinds = { message: 'campaign', reminder: 'campaign.reminder' } as const;
export const deliveryKey = {
  message: (campaignId: string, personId: string) => `campaign:${campaignId}:${personId}`,
  reminder: (campaignId: string, index: number, personId: string) =>
    `campaign:${campaignId}:reminder:${index}:${personId}`,
};
/** Scheduler job ids and kinds. */
export const jobKinds = {
  send: 'campaign.send',
  reminder: 'campaign.reminder',
  close: 'campaign.close',
} as const;
export const jobId = {
  send: (campaignId: string) => `campaign:${campaignId}:send`,
  reminder: (campaignId: string, index: number) => `campaign:${campaignId}:reminder:${index}`,
  close: (campaignId: string) => `campaign:${campaignId}:close`,
};

/** Has the recipient done what the campaign asks (acknowledged, and answered the quiz if there is one)? */
export function hasTakenIn(
  campaign: Pick<Campaign, 'requiresAcknowledgement' | 'quiz'>,
  recipient: CampaignRecipient | undefined,
): boolean {
  if (!recipient) return false;
  if (campaign.requiresAcknowledgement && !recipient.acknowledgedAt) return false;
  if (campaign.quiz && !recipient.quiz) return false;
  return true;
}
