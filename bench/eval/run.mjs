// Runs the `ask` interface over a question set and scores it: node bench/eval/run.mjs KNOWLEDGE_DIR [QUESTIONS] [--verbose]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [dir, questionsArg, ...rest] = process.argv.slice(2);
if (!dir) {
  console.error('usage: npm run eval -- KNOWLEDGE_DIR [QUESTIONS.jsonl] [--verbose]');
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const questions =
  questionsArg && !questionsArg.startsWith('--') ? questionsArg : path.join(here, 'seeds-questions.jsonl');
const flags = [questionsArg, ...rest].filter((a) => a?.startsWith('--'));
const input = fs
  .readFileSync(questions, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.stringify({ id: JSON.parse(l).id, question: JSON.parse(l).question }))
  .join('\n');
const ask = spawnSync(
  process.execPath,
  [path.join(here, '../../dist/bot/cli/ask.js'), '--knowledge', dir, '--jsonl'],
  {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  },
);
if (ask.status !== 0) {
  console.error(ask.stderr);
  process.exit(1);
}
const answers = path.join(fs.mkdtempSync('/tmp/varn-eval-'), 'answers.jsonl');
fs.writeFileSync(answers, ask.stdout);
const score = spawnSync(process.execPath, [path.join(here, 'score.mjs'), questions, answers, ...flags], {
  stdio: 'inherit',
});
process.exit(score.status ?? 1);
