/** The document review's card verbs, as Teams sees them (the names the card templates carry). */
export const verbs = {
  answerDocumentReview: 'governance.answerReview',
  viewDocumentReview: 'governance.viewReview',
} as const;
