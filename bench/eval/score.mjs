#!/usr/bin/env node
// Scores question-answering results against an evaluation question set.
//
// Usage: node bench/eval/score.mjs QUESTIONS.jsonl ANSWERS.jsonl [--verbose]
//
// QUESTIONS.jsonl: {"id","lang","question","expect":[{"doc","contains"}]}
//   expect: [] marks an out-of-scope question.
// ANSWERS.jsonl:   {"id","answers":[{"doc","section","text","score"}],"confidence":"answer"|"uncertain"|"none","abstained"}
//
// Rules:
// - Answer k is a hit if answers[k].doc equals some expect.doc and the normalised
//   answers[k].text contains that expectation's normalised "contains" phrase.
//   Normalisation: lowercase, remove "•" and U+F0B7, collapse whitespace runs to one space, trim.
// - The outcome is the line's "confidence"; without it, "none" when abstained or no answers, else "answer".
//   A question with no line counts as "none" (reported as "missing"). "none" never counts as a hit.
// - Figures, overall, per language and per outcome:
//   top1Rate / top3Rate: right passage first / in the first three, among answerable questions;
//   noneOnAnswerableRate: answerable questions that got "none";
//   oosNotAnswerRate: out-of-scope questions that got no confident "answer" (uncertain or none);
//   oosNoneRate: out-of-scope questions that got "none";
//   answerPrecision: of the questions that got "answer", those whose first passage is right
//   (an out-of-scope question answered counts as wrong).
// - Rates are fractions (0..1), null when the denominator is 0.
//
// Prints one JSON object to stdout. With --verbose, prints each failure to stderr.

import { readFileSync } from 'node:fs';

const normalise = (s) =>
  String(s ?? '')
    .toLowerCase()
    .replace(/[\u2022\uF0B7]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

export function readJsonl(path) {
  const rows = [];
  readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        rows.push(JSON.parse(line));
      } catch (err) {
        throw new Error(`${path}:${i + 1}: invalid JSON: ${err.message}`);
      }
    });
  return rows;
}

function isHit(answer, expect) {
  if (!answer || typeof answer !== 'object') return false;
  const text = normalise(answer.text);
  return expect.some((e) => answer.doc === e.doc && text.includes(normalise(e.contains)));
}

const newBucket = () => ({
  answerable: 0,
  top1: 0,
  top3: 0,
  noneOnAnswerable: 0,
  outOfScope: 0,
  oosNotAnswer: 0,
  oosNone: 0,
  answered: 0,
  answeredRight: 0,
});

const rate = (n, d) => (d > 0 ? Number((n / d).toFixed(4)) : null);

function withRates(b) {
  return {
    answerable: b.answerable,
    top1Rate: rate(b.top1, b.answerable),
    top3Rate: rate(b.top3, b.answerable),
    noneOnAnswerableRate: rate(b.noneOnAnswerable, b.answerable),
    outOfScope: b.outOfScope,
    oosNotAnswerRate: rate(b.oosNotAnswer, b.outOfScope),
    oosNoneRate: rate(b.oosNone, b.outOfScope),
    answered: b.answered,
    answerPrecision: rate(b.answeredRight, b.answered),
  };
}

export const outcomeOf = (row) => {
  if (!row) return 'none';
  const answers = Array.isArray(row.answers) ? row.answers : [];
  if (row.confidence === 'answer' || row.confidence === 'uncertain' || row.confidence === 'none')
    return answers.length === 0 ? 'none' : row.confidence;
  return row.abstained === true || answers.length === 0 ? 'none' : 'answer';
};

/** Scores one split: the figures, and the failures (for --verbose). */
export function score(questions, answerRows) {
  const answersById = new Map();
  for (const row of answerRows) if (row && typeof row.id === 'string') answersById.set(row.id, row);
  const all = newBucket();
  const byLang = { sv: newBucket(), en: newBucket() };
  const byOutcome = { answer: newBucket(), uncertain: newBucket(), none: newBucket() };
  const missing = [];
  const failures = [];
  const seen = new Set();
  for (const q of questions) {
    if (!q || typeof q.id !== 'string' || seen.has(q.id)) continue;
    seen.add(q.id);
    const expect = Array.isArray(q.expect) ? q.expect : [];
    const row = answersById.get(q.id);
    if (!row) missing.push(q.id);
    const outcome = outcomeOf(row);
    const answers = outcome !== 'none' && Array.isArray(row?.answers) ? row.answers : [];
    const buckets = [all, byOutcome[outcome]];
    if (byLang[q.lang]) buckets.push(byLang[q.lang]);
    if (expect.length === 0) {
      for (const b of buckets) {
        b.outOfScope++;
        if (outcome !== 'answer') b.oosNotAnswer++;
        if (outcome === 'none') b.oosNone++;
        if (outcome === 'answer') b.answered++;
      }
      if (outcome === 'answer')
        failures.push({ q, expect, answers, kind: 'answered an out-of-scope question' });
      continue;
    }
    const hitRank = answers.slice(0, 3).findIndex((a) => isHit(a, expect));
    for (const b of buckets) {
      b.answerable++;
      if (outcome === 'none') b.noneOnAnswerable++;
      if (hitRank === 0) b.top1++;
      if (hitRank >= 0) b.top3++;
      if (outcome === 'answer') {
        b.answered++;
        if (hitRank === 0) b.answeredRight++;
      }
    }
    if (hitRank !== 0) {
      const kind =
        outcome === 'none'
          ? 'none on an answerable question'
          : hitRank > 0
            ? `${outcome}, right passage only at rank ${hitRank + 1}`
            : `${outcome}, no right passage in the first three`;
      failures.push({ q, expect, answers, kind });
    }
  }
  const result = {
    questions: seen.size,
    ...withRates(all),
    bySv: withRates(byLang.sv),
    byEn: withRates(byLang.en),
    byOutcome: {
      answer: withRates(byOutcome.answer),
      uncertain: withRates(byOutcome.uncertain),
      none: withRates(byOutcome.none),
    },
    missingAnswers: missing.length,
  };
  return { result, failures, missing };
}

export function printFailures(failures, write = (s) => process.stderr.write(s)) {
  for (const { q, expect, answers, kind } of failures) {
    const lines = [`FAIL ${q.id} [${q.lang}] ${kind}: ${q.question}`];
    if (expect.length === 0) lines.push('  expected: no confident answer (out of scope)');
    for (const e of expect) lines.push(`  expected: ${e.doc} ~ "${e.contains}"`);
    const top = answers[0];
    lines.push(
      top
        ? `  top answer: ${top.doc} | ${String(top.text ?? '')
            .replace(/\s+/g, ' ')
            .slice(0, 200)}`
        : '  top answer: (none)',
    );
    write(`${lines.join('\n')}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const files = args.filter((a) => a !== '--verbose');
  if (files.length !== 2) {
    process.stderr.write('usage: node score.mjs QUESTIONS.jsonl ANSWERS.jsonl [--verbose]\n');
    process.exit(2);
  }
  const { result, failures } = score(readJsonl(files[0]), readJsonl(files[1]));
  if (verbose) printFailures(failures);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
