/** The review's and its follow-ups' card verbs: the wire names Teams sends back in `action.data.verb`. */
export const reviewVerbs = {
  openCycle: 'review.openCycle',
  view: 'review.view',
  area: 'review.area',
  save: 'review.save',
  submit: 'review.submit',
  approve: 'review.approve',
  return: 'review.return',
  close: 'review.close',
  deputy: 'review.deputy',
} as const;

export const followUpVerbs = {
  view: 'followup.view',
  update: 'followup.update',
} as const;
