/**
 * `npm run --silent ask -- --knowledge DIR --jsonl`
 * Imports every file in DIR into a fresh, temporary knowledge base, reads {"id","question"} lines
 * from standard input and writes one line per question: {"id","answers":[{doc,section,text,score}],"abstained"}.
 * The same code path as the bot. Without --jsonl, asks the questions given as arguments and prints them readably.
 */

import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { collections } from '../collections';
import { presentForJson } from '../features/knowledge/answer';
import { KnowledgeService } from '../features/knowledge/service';
import { FileSystemSource } from '../features/knowledge/source';
import { createLogger } from '../platform/logger';
import { openSqliteStore } from '../platform/store/sqlite';

const line = z.object({ id: z.union([z.string(), z.number()]).transform(String), question: z.string() });

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      knowledge: { type: 'string' },
      jsonl: { type: 'boolean', default: false },
      signals: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (!values.knowledge) {
    process.stderr.write('usage: ask --knowledge DIR [--jsonl] [question ...]\n');
    process.exit(2);
  }
  const log = createLogger(process.env.LOG_LEVEL ?? 'silent');
  const store = openSqliteStore(':memory:', collections);
  const knowledge = new KnowledgeService(store, log);
  const report = await knowledge.import(new FileSystemSource([values.knowledge]));
  for (const failure of report.failed) process.stderr.write(`not imported: ${failure.reason}\n`);

  if (!values.jsonl) {
    for (const question of positionals) {
      const result = await knowledge.search(question);
      process.stdout.write(
        `\n? ${question}  [${result.language}; ${result.intents.join(',') || '-'}] ${result.confidence}${result.reason ? ` (${result.reason})` : ''}\n`,
      );
      for (const a of presentForJson(result).answers) {
        process.stdout.write(`  ${a.score.toFixed(2)} ${a.doc} § ${a.section}\n    ${a.text}\n`);
      }
    }
    await store.close();
    return;
  }

  const input = readline.createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const raw of input) {
    if (raw.trim() === '') continue;
    let parsed: z.infer<typeof line>;
    try {
      parsed = line.parse(JSON.parse(raw));
    } catch (error) {
      process.stderr.write(
        `skipped a line that is not {"id","question"}: ${(error as Error).message.split('\n')[0]}\n`,
      );
      continue;
    }
    const result = await knowledge.search(parsed.question);
    // --signals adds what the decision read, for calibrating it (bench/eval/calibrate.mjs)
    const extra = values.signals ? { signals: result.signals ?? null, reason: result.reason ?? null } : {};
    process.stdout.write(`${JSON.stringify({ id: parsed.id, ...presentForJson(result), ...extra })}\n`);
  }
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
