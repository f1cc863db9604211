/** The questions feature's card verbs, as Teams sees them (the names the card templates carry). */
export const verbs = {
  /** Wire name kept from when feedback belonged to knowledge; the questions feature handles it. */
  feedback: 'knowledge.feedback',
  escalate: 'questions.escalate',
  answer: 'questions.answer',
  viewQuestion: 'questions.view',
} as const;
