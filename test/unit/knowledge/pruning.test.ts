import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generatedCorpus } from '../../../bench/corpus';
import { parseText } from '../../../bot/features/knowledge/parse';
import { toPassages } from '../../../bot/features/knowledge/passages';
import { defaultRankOptions, KnowledgeIndex } from '../../../bot/features/knowledge/searchIndex';

/**
 * The exact pruning leaves out passages that cannot be shown or weighed: a search with it must give what a search
 * without it gives (the same passages, scores, outcome and signals), over a corpus large enough for it to leave
 * passages out: the knowledge benchmark's, the sample content's passages shuffled into documents of ten organisations.
 */
function corpus(count: number): KnowledgeIndex {
  const dir = path.resolve(__dirname, '../../../content/documents');
  const sentences = ['riktlinje-informationssakerhet.md', 'sakerhetspolicy-region-norrviken.md'].flatMap(
    (file) => toPassages(parseText(readFileSync(path.join(dir, file), 'utf8')).blocks).map((p) => p.text),
  );
  const { documents, passages } = generatedCorpus(sentences, count);
  return new KnowledgeIndex(documents, passages);
}

const questions = [
  'Vem ansvarar för krisberedskapen?',
  'hur ofta ska säkerhetsarbetet följas upp',
  'vad ska jag göra om jag ser en brist',
  'who is responsible for information security?',
  'vad är säkerhetsskydd',
  'hur rapporterar jag en personuppgiftsincident',
  'måste konsulter följa policyn?',
  'what should I do with a phishing email',
  'vilka mål har vi för brandskydd',
  'Vem ansvarar för brandskyddet i Dalby kommun?',
  'hur klassar jag information',
  'får jag ta med datorn utomlands',
  'vem beslutar om säkerhetspolicyn',
  'when was the policy adopted?',
];

describe('the exact pruning', () => {
  const index = corpus(300);
  // many answers, down to the lowest cutoff: every passage the pruning may not leave out can be shown
  const wide = { ...defaultRankOptions, maxAnswers: 1000, relativeCutoff: defaultRankOptions.fillCutoff };
  const view = (question: string, prune: boolean, options = defaultRankOptions) => {
    const result = index.search(question, { ...options, prune });
    return {
      result,
      shown: {
        confidence: result.confidence,
        reason: result.reason,
        answers: result.answers.map((a) => [a.passage.id, a.score, a.coverage, a.knownCoverage]),
        signals: result.signals && { ...result.signals, margin: undefined },
      },
    };
  };

  it.each(questions)('shows what the full search shows: %s', (question) => {
    const full = view(question, false);
    const pruned = view(question, true);
    expect(pruned.shown).toEqual(full.shown);
    expect(view(question, true, wide).shown).toEqual(view(question, false, wide).shown);
    // the margin is exact, or (when passages were left out and the best rival was among them) a lower bound that
    // still clears what a confident answer needs
    const fullMargin = full.result.signals?.margin ?? 0;
    const prunedMargin = pruned.result.signals?.margin ?? 0;
    if (prunedMargin !== fullMargin) {
      expect(prunedMargin).toBeLessThan(fullMargin);
      expect(prunedMargin).toBeGreaterThanOrEqual(1 / defaultRankOptions.fillCutoff);
    }
  });

  it('leaves passages out on common words', () => {
    const left = questions.filter(
      (q) => (view(q, true).result.scored ?? 0) < (view(q, false).result.scored ?? 0),
    );
    expect(left.length).toBeGreaterThan(0);
  });
});
