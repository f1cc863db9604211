#!/usr/bin/env node
// Scores question-answering results against an evaluation question set.
//
// Usage: node bench/eval/score.mjs QUESTIONS.jsonl ANSWERS.jsonl [--verbose]
//
// QUESTIONS.jsonl: {"id","lang","question","expect":[{"doc","contains"}]}
//   expect: [] marks an out-of-scope question (the right behaviour is to abstain).
// ANSWERS.jsonl:   {"id","answers":[{"doc","section","text","score"}],"abstained":false}
//
// Rules:
// - Answer k is a hit if answers[k].doc equals some expect.doc and the normalised
//   answers[k].text contains that expectation's normalised "contains" phrase.
//   Normalisation: lowercase, remove "•" and U+F0B7, collapse whitespace runs to one space, trim.
// - A question counts as abstained if abstained === true or answers is empty/missing.
//   An abstained question never counts as a hit, even if it carries answers.
// - A question with no line in ANSWERS.jsonl counts as abstained (reported as "missing").
// - Rates are fractions (0..1), null when the denominator is 0.
//
// Prints one JSON object to stdout. With --verbose, prints each failed question to
// stderr: answerable questions not hit at rank 1, and out-of-scope questions not abstained.

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const files = args.filter((a) => a !== '--verbose');
if (files.length !== 2) {
  process.stderr.write('usage: node score.mjs QUESTIONS.jsonl ANSWERS.jsonl [--verbose]\n');
  process.exit(2);
}

function readJsonl(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    process.stderr.write(`cannot read ${path}: ${err.message}\n`);
    process.exit(2);
  }
  const rows = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        rows.push(JSON.parse(line));
      } catch (err) {
        process.stderr.write(`${path}:${i + 1}: invalid JSON: ${err.message}\n`);
        process.exit(2);
      }
    });
  return rows;
}

const normalise = (s) =>
  String(s ?? '')
    .toLowerCase()
    .replace(/[\u2022\uF0B7]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const questions = readJsonl(files[0]);
const answerRows = readJsonl(files[1]);

const answersById = new Map();
for (const row of answerRows) {
  if (row && typeof row.id === 'string') answersById.set(row.id, row);
}

function isHit(answer, expect) {
  if (!answer || typeof answer !== 'object') return false;
  const text = normalise(answer.text);
  return expect.some((e) => answer.doc === e.doc && text.includes(normalise(e.contains)));
}

function newBucket() {
  return { answerable: 0, top1: 0, top3: 0, outOfScope: 0, correctAbstain: 0, wrongAbstainOnAnswerable: 0 };
}

function withRates(b) {
  const rate = (n, d) => (d > 0 ? Number((n / d).toFixed(4)) : null);
  return {
    answerable: b.answerable,
    top1: b.top1,
    top3: b.top3,
    top1Rate: rate(b.top1, b.answerable),
    top3Rate: rate(b.top3, b.answerable),
    outOfScope: b.outOfScope,
    correctAbstain: b.correctAbstain,
    correctAbstainRate: rate(b.correctAbstain, b.outOfScope),
    wrongAbstainOnAnswerable: b.wrongAbstainOnAnswerable,
    wrongAbstainRate: rate(b.wrongAbstainOnAnswerable, b.answerable),
  };
}

const all = newBucket();
const byLang = { sv: newBucket(), en: newBucket() };
const missing = [];
const seen = new Set();
const failures = [];

for (const q of questions) {
  if (!q || typeof q.id !== 'string') continue;
  if (seen.has(q.id)) process.stderr.write(`warning: duplicate question id ${q.id}\n`);
  seen.add(q.id);

  const expect = Array.isArray(q.expect) ? q.expect : [];
  const row = answersById.get(q.id);
  if (!row) missing.push(q.id);
  const answers = row && Array.isArray(row.answers) ? row.answers : [];
  const abstained = !row || row.abstained === true || answers.length === 0;

  const buckets = [all];
  if (byLang[q.lang]) buckets.push(byLang[q.lang]);

  if (expect.length === 0) {
    for (const b of buckets) {
      b.outOfScope++;
      if (abstained) b.correctAbstain++;
    }
    if (!abstained) failures.push({ q, expect, answers, kind: 'answered out-of-scope question' });
    continue;
  }

  const hitRank = abstained ? -1 : answers.slice(0, 3).findIndex((a) => isHit(a, expect));
  for (const b of buckets) {
    b.answerable++;
    if (abstained) b.wrongAbstainOnAnswerable++;
    if (hitRank === 0) b.top1++;
    if (hitRank >= 0 && hitRank < 3) b.top3++;
  }
  if (hitRank !== 0) {
    const kind = abstained
      ? 'abstained on answerable question'
      : hitRank > 0
        ? `hit only at rank ${hitRank + 1}`
        : 'no hit in top 3';
    failures.push({ q, expect, answers, kind });
  }
}

const unknownAnswerIds = [...answersById.keys()].filter((id) => !seen.has(id));

const result = {
  ...withRates(all),
  bySv: withRates(byLang.sv),
  byEn: withRates(byLang.en),
  questions: seen.size,
  missingAnswers: missing.length,
  unknownAnswerIds: unknownAnswerIds.length,
};

if (verbose) {
  for (const { q, expect, answers, kind } of failures) {
    const lines = [`FAIL ${q.id} [${q.lang}] ${kind}: ${q.question}`];
    if (expect.length === 0) lines.push('  expected: abstain (out of scope)');
    for (const e of expect) lines.push(`  expected: ${e.doc} ~ "${e.contains}"`);
    const top = answers[0];
    if (top) {
      const snippet = String(top.text ?? '')
        .replace(/\s+/g, ' ')
        .slice(0, 200);
      lines.push(`  top answer: ${top.doc} | ${snippet}`);
    } else {
      lines.push('  top answer: (none)');
    }
    process.stderr.write(`${lines.join('\n')}\n`);
  }
  if (missing.length) process.stderr.write(`missing answers for: ${missing.join(', ')}\n`);
  if (unknownAnswerIds.length)
    process.stderr.write(`answers for unknown ids: ${unknownAnswerIds.join(', ')}\n`);
}

process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
