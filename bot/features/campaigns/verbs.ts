/** The campaigns feature's card verbs, as Teams sees them (the names the card templates carry). */
export const verbs = {
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
