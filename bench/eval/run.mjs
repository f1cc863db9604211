// Runs the `ask` interface over question sets and scores each (see score.mjs for the figures).
//
//   npm run eval -- own=/path/to/seeds dev=/path/to/dev [blind=/path/to/blind] [--verbose] [--signals FILE]
//   npm run eval -- KNOWLEDGE_DIR [QUESTIONS.jsonl] [--verbose]        (one split, named "own")
//
// A split is NAME=PATH: PATH is a folder with docs/ and questions.jsonl, or a documents folder whose
// questions are bench/eval/seeds-questions.jsonl (the project's own set), or DOCS_DIR:QUESTIONS.jsonl.
// Prints one JSON object, one entry per split: overall, per language (bySv, byEn), per outcome (byOutcome).
// --signals FILE writes each question's decision signals and outcome (for calibrating on dev only).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { printFailures, readJsonl, score } from './score.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const signalsAt = args.indexOf('--signals');
const signalsFile = signalsAt >= 0 ? args[signalsAt + 1] : undefined;
const positional = args.filter((a, i) => !a.startsWith('--') && (signalsAt < 0 || i !== signalsAt + 1));
if (positional.length === 0) {
  console.error(
    'usage: npm run eval -- NAME=SPLIT_DIR ... [--verbose] [--signals FILE]\n       npm run eval -- KNOWLEDGE_DIR [QUESTIONS.jsonl] [--verbose]',
  );
  process.exit(2);
}

function splitOf(spec) {
  const [name, where] = spec.includes('=') ? spec.split(/=(.*)/s) : ['own', spec];
  const [dir, questions] = where.includes(':') ? where.split(/:(.*)/s) : [where, undefined];
  if (questions) return { name, docs: dir, questions };
  if (fs.existsSync(path.join(dir, 'questions.jsonl')) && fs.existsSync(path.join(dir, 'docs')))
    return { name, docs: path.join(dir, 'docs'), questions: path.join(dir, 'questions.jsonl') };
  return { name, docs: dir, questions: path.join(here, 'seeds-questions.jsonl') };
}

const splits = positional.some((a) => a.includes('='))
  ? positional.map(splitOf)
  : [
      {
        name: 'own',
        docs: positional[0],
        questions: positional[1] ?? path.join(here, 'seeds-questions.jsonl'),
      },
    ];

const report = {};
const signalLines = [];
for (const split of splits) {
  const questions = readJsonl(split.questions);
  const input = questions.map((q) => JSON.stringify({ id: q.id, question: q.question })).join('\n');
  const ask = spawnSync(
    process.execPath,
    [path.join(here, '../../dist/bot/cli/ask.js'), '--knowledge', split.docs, '--jsonl', '--signals'],
    { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (ask.status !== 0) {
    console.error(ask.stderr);
    process.exit(1);
  }
  const rows = ask.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const { result, failures } = score(questions, rows);
  report[split.name] = result;
  if (verbose) {
    process.stderr.write(`== ${split.name}\n`);
    printFailures(failures);
  }
  if (signalsFile) {
    const byId = new Map(questions.map((q) => [q.id, q]));
    for (const row of rows)
      signalLines.push(JSON.stringify({ split: split.name, ...row, expect: byId.get(row.id)?.expect ?? [] }));
  }
}
if (signalsFile) fs.writeFileSync(signalsFile, `${signalLines.join('\n')}\n`);
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
