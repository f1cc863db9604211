// Calibrates the decision's thresholds on a development split, never on the blind one:
//   npm run eval -- dev=/path/to/dev --signals /tmp/signals.jsonl && node bench/eval/calibrate.mjs /tmp/signals.jsonl [SPLIT]
// Reads each question's decision signals (from `ask --signals`), decides again under every combination of
// thresholds on a small grid, and prints the combinations that keep none on answerable questions ≤ 5% and
// answer precision ≥ 90%, best first (most confident answers, then the fewest confident answers to
// out-of-scope questions). The decision itself is bot/features/knowledge/decision.ts (compiled in dist/).
import path from 'node:path';
import { readJsonl } from './score.mjs';

const [file, split = 'dev'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/eval/calibrate.mjs SIGNALS.jsonl [SPLIT]');
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const { decide, defaultCalibration } = await import(
  path.join(here, '../../dist/bot/features/knowledge/decision.js')
);

const normalise = (s) =>
  String(s ?? '')
    .toLowerCase()
    .replace(/[\u2022\uF0B7]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
const hit = (a, expect) =>
  a && expect.some((e) => a.doc === e.doc && normalise(a.text).includes(normalise(e.contains)));

const rows = readJsonl(file).filter((r) => r.split === split && r.signals);
const grid = {
  noneKnownCoverage: [0.2, 0.3, 0.4],
  noneCoverage: [0.25, 0.34, 0.4],
  answerCoverage: [0.6, 0.7, 0.75, 0.8, 0.9],
  answerKnownCoverage: [0.6, 0.75, 0.9],
  answerMargin: [1, 1.15, 1.2, 1.3, 1.4, 1.5, 1.8],
  answerUnknownShare: [0, 0.2, 0.34, 0.5],
};
const keys = Object.keys(grid);
const results = [];
const walk = (i, chosen) => {
  if (i === keys.length) return results.push(evaluate({ ...defaultCalibration, ...chosen }));
  for (const v of grid[keys[i]]) walk(i + 1, { ...chosen, [keys[i]]: v });
};
function evaluate(calibration) {
  let answerable = 0;
  let noneAnswerable = 0;
  let oos = 0;
  let oosAnswer = 0;
  let answered = 0;
  let right = 0;
  for (const r of rows) {
    // questions that never reached the decision (other organisation, nothing known) keep their outcome
    const outcome = decide(r.signals, calibration).confidence;
    const top = r.answers?.[0];
    if (r.expect.length === 0) {
      oos++;
      if (outcome === 'answer') {
        oosAnswer++;
        answered++;
      }
      continue;
    }
    answerable++;
    if (outcome === 'none') noneAnswerable++;
    if (outcome === 'answer') {
      answered++;
      if (hit(top, r.expect)) right++;
    }
  }
  return {
    calibration,
    noneOnAnswerable: noneAnswerable / answerable,
    oosAnswer: oosAnswer / Math.max(oos, 1),
    precision: answered ? right / answered : 1,
    answered,
  };
}
walk(0, {});
const fit = results
  .filter((r) => r.noneOnAnswerable <= 0.05 && r.precision >= 0.9 && r.oosAnswer <= 0.1)
  .sort(
    (a, b) => b.answered - a.answered || a.oosAnswer - b.oosAnswer || a.noneOnAnswerable - b.noneOnAnswerable,
  );
console.log(
  JSON.stringify(
    { split, questions: rows.length, current: evaluate(defaultCalibration), best: fit.slice(0, 8) },
    null,
    1,
  ),
);
