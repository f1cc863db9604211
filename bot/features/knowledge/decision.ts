/**
 * Whether to answer: three outcomes from signals that carry over to documents nobody tuned on.
 *
 * - *answer*: the best passage covers most of the question's meaning (a word no document uses
 *   counts as much as a typical word of the question), and stands clearly above the best passage of
 *   any other section (the margin);
 * - *uncertain*: passages share meaning with the question but none clearly answers it;
 * - *none*: nothing is relevant — no concept of the question that the documents use is met well
 *   enough (with two unknown words or more, too little of the whole question), an organisation is named that has no
 *   documents here, or the question asks for a kind of answer (a phone number, an e-mail address, a
 *   date, a name) that none of the passages holds.
 *
 * A word the index does not know never causes *none* on its own: *none* looks only at the concepts
 * the documents use. Plain code, no I/O.
 */

export type Confidence = 'answer' | 'uncertain' | 'none';

export interface DecisionSignals {
  /** Concepts of the question (not counting light words). */
  concepts: number;
  /** Of those, concepts no passage uses (after stems, compounds, synonyms, corrections). */
  unknownConcepts: number;
  /** Share of the known concepts' weight (idf) the best passage covers, 0..1. */
  knownCoverage: number;
  /** Share of all concepts the best passage covers, an unknown concept weighing as a typical known one. */
  coverage: number;
  /** The best passage's score over the next passage's of another section (≥ 1; Infinity when alone). */
  margin: number;
  /**
   * Whether the runners-up shown agree with the best: same section, or they cover the same concepts. Logged, not
   * decided on: on the development split nearly every question's runners-up agreed, right or wrong.
   */
  agreement: number;
  /** The highest idf among the concepts the best passage covers, as a share of the index's highest possible idf. */
  specificity: number;
  /** The question asks for a kind of answer (phone, e-mail, date, name …) that no candidate passage holds. */
  answerTypeMissing: boolean;
  /** The question names an organisation that has no documents here. */
  otherOrganisation: boolean;
  /** Whether any passage was found at all. */
  candidates: number;
}

export interface DecisionCalibration {
  /** Below this share of the known concepts, nothing shares the question's meaning. */
  noneKnownCoverage: number;
  /** With two unknown concepts or more: below this coverage (unknown ones counted), too little of the question is met. */
  noneCoverage: number;
  /** Coverage (unknown concepts counted) the best passage needs for a confident answer. */
  answerCoverage: number;
  /** Known coverage the best passage needs for a confident answer. */
  answerKnownCoverage: number;
  /** The margin the best passage needs over the best passage of any other section. */
  answerMargin: number;
  /** At most this share of the question's concepts may be unknown in a confident answer. */
  answerUnknownShare: number;
}

/**
 * Calibrated on the development split (/work/evaldata/dev, bench/eval/README.md): never on the
 * project's own question set, and never on the blind split.
 */
export const defaultCalibration: DecisionCalibration = {
  noneKnownCoverage: 0.3,
  noneCoverage: 0.3,
  answerCoverage: 0.6,
  answerKnownCoverage: 0.6,
  answerMargin: 1.3,
  answerUnknownShare: 0.2,
};

export interface Decision {
  confidence: Confidence;
  /** Why, for logs and for the card (none: what kind of none). */
  reason: 'covered' | 'partly-covered' | 'no-match' | 'answer-type' | 'other-organisation' | 'empty';
}

export function decide(
  signals: DecisionSignals,
  calibration: DecisionCalibration = defaultCalibration,
): Decision {
  if (signals.otherOrganisation) return { confidence: 'none', reason: 'other-organisation' };
  if (signals.concepts === 0) return { confidence: 'none', reason: 'empty' };
  if (signals.candidates === 0 || signals.knownCoverage < calibration.noneKnownCoverage)
    return { confidence: 'none', reason: 'no-match' };
  // one unknown word (a paraphrase, a typo nothing corrects) never decides none on its own
  if (signals.unknownConcepts >= 2 && signals.coverage < calibration.noneCoverage)
    return { confidence: 'none', reason: 'no-match' };
  if (signals.answerTypeMissing) return { confidence: 'none', reason: 'answer-type' };
  const unknownShare = signals.unknownConcepts / signals.concepts;
  const confident =
    signals.coverage >= calibration.answerCoverage &&
    signals.knownCoverage >= calibration.answerKnownCoverage &&
    unknownShare <= calibration.answerUnknownShare &&
    signals.margin >= calibration.answerMargin;
  return confident
    ? { confidence: 'answer', reason: 'covered' }
    : { confidence: 'uncertain', reason: 'partly-covered' };
}
