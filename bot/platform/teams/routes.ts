/**
 * Routing is a table: each feature registers its chat commands and card verbs; the bot only
 * collects them. Verbs are typed constants.
 */
import type { Lang } from '../i18n';

export const verbs = {
  feedback: 'knowledge.feedback',
  escalate: 'questions.escalate',
  answer: 'questions.answer',
  viewQuestion: 'questions.view',
  reviewOpenCycle: 'review.openCycle',
  reviewView: 'review.view',
  reviewArea: 'review.area',
  reviewSave: 'review.save',
  reviewSubmit: 'review.submit',
  reviewApprove: 'review.approve',
  reviewReturn: 'review.return',
  reviewClose: 'review.close',
  reviewDeputy: 'review.deputy',
  followUpView: 'followup.view',
  followUpUpdate: 'followup.update',
  answerDocumentReview: 'governance.answerReview',
  viewDocumentReview: 'governance.viewReview',
  // campaigns
  campaignCompose: 'campaigns.compose',
  campaignPreview: 'campaigns.preview',
  campaignDuplicate: 'campaigns.duplicate',
  campaignSend: 'campaigns.send',
  campaignCancel: 'campaigns.cancel',
  campaignFigures: 'campaigns.figures',
  campaignAcknowledge: 'campaigns.acknowledge',
  campaignQuiz: 'campaigns.quiz',
  campaignView: 'campaigns.view',
} as const;
export type Verb = (typeof verbs)[keyof typeof verbs];

/** Who acts, as established by the server from the activity (never from card data). */
export interface Caller {
  personId: string;
  name: string;
  locale: string;
  lang: Lang;
}

export interface VerbRoute {
  verb: Verb;
  /** Returns the card that replaces the clicked one for the caller. */
  handle(caller: Caller, data: Record<string, unknown>): Promise<object>;
}

export interface CommandRoute {
  name: string;
  /** Whole-message match, in any of the catalogue's languages. */
  matches(text: string): boolean;
  handle(caller: Caller): Promise<object>;
}
