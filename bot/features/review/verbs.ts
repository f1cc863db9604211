/** The yearly review's card verbs and its follow-ups', as Teams sees them (the names the card templates carry). */
export const verbs = {
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
} as const;
