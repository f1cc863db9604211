/**
 * The knowledge index's benchmark, in a process of its own so that its memory is the index's:
 * `npm run build && node dist/bench/knowledge.js [DOCUMENTS]` (1,000 generated documents unless given; npm run bench runs it too). Prints JSON; measures, never asserts.
 *  - answer latency in process (p50/p99) over the sample content and over a generated corpus of 1,000 documents
 *  - index build time, and the process's memory (RSS) once the large index is built and has answered
 * It runs with the V8 flags `npm start` gives the service (package.json; it restarts itself with them).
 */

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { collections } from '../bot/collections';
import { defaultRankOptions, KnowledgeIndex, type RankOptions } from '../bot/features/knowledge/searchIndex';
import { KnowledgeService } from '../bot/features/knowledge/service';
import { FileSystemSource } from '../bot/features/knowledge/source';
import { createLogger } from '../bot/platform/logger';
import { openSqliteStore } from '../bot/platform/store/sqlite';
import { generatedCorpus } from './corpus';
import { mb, percentile, rerunWithServiceFlags, round } from './measure';

const root = path.resolve(__dirname, '../..');
const questions = [
  'Vem ansvarar för krisberedskapen?',
  'hur ofta ska säkerhetsarbetet följas upp',
  'vad ska jag göra om jag ser en brist',
  'who is responsible for information security?',
  'vad är säkerhetsskydd',
  'hur rapporterar jag en personuppgiftsincident',
  'måste konsulter följa policyn?',
  'what should I do with a phishing email',
  'hur återställer jag mitt lösenord till wifi',
  'vilka mål har vi för brandskydd',
];

/**
 * Wall-clock latency per question, and the process's CPU time per question beside it: on a shared machine
 * the wall clock also counts the time other processes held the CPU.
 */
function latency(index: KnowledgeIndex, rounds: number, options: RankOptions = defaultRankOptions) {
  for (const q of questions) index.search(q, options); // warm up
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      index.search(q, options);
      times.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  return {
    queries: times.length,
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    cpuP50Ms: round(percentile(cpu, 50)),
    cpuP99Ms: round(percentile(cpu, 99)),
  };
}

async function knowledgeBench() {
  const store = openSqliteStore(':memory:', collections);
  const service = new KnowledgeService(store, createLogger('silent'));
  let start = performance.now();
  await service.import(new FileSystemSource([path.join(root, 'content/documents')]));
  const importMs = performance.now() - start;
  const documents = (await store.documents.list()).map((d) => d.value);
  const passages = (await store.passages.list()).map((p) => p.value);
  await store.close();
  const sample = new KnowledgeIndex(documents, passages);
  const sampleResult = {
    documents: documents.length,
    passages: passages.length,
    importAndIndexMs: round(importMs),
    ...latency(sample, 100),
  };

  const count = Number(process.argv[2] ?? 1000);
  const corpus = generatedCorpus(
    passages.map((p) => p.text),
    count,
  );
  const rssBefore = process.memoryUsage().rss;
  start = performance.now();
  const large = new KnowledgeIndex(corpus.documents, corpus.passages);
  const buildMs = performance.now() - start;
  const result = {
    documents: corpus.documents.length,
    passages: corpus.passages.length,
    indexBuildMs: round(buildMs),
    ...latency(large, 100),
    rssMb: mb(process.memoryUsage().rss),
    rssGrowthMb: mb(process.memoryUsage().rss - rssBefore),
    heapUsedMb: mb(process.memoryUsage().heapUsed),
    // the exact pruning (on by default) against the full walk: the same passages shown, and the time without it
    sameAnswersUnpruned: questions.filter(
      (q) =>
        JSON.stringify(large.search(q).answers.map((a) => [a.passage.id, a.score])) ===
        JSON.stringify(
          large
            .search(q, { ...defaultRankOptions, prune: false })
            .answers.map((a) => [a.passage.id, a.score]),
        ),
    ).length,
    questions: questions.length,
    unpruned: latency(large, 30, { ...defaultRankOptions, prune: false }),
  };
  return { sample: sampleResult, [`generated${count}`]: result };
}

// measured as `npm start` runs the service: with its V8 flags (package.json)
if (!rerunWithServiceFlags(root, __filename)) {
  knowledgeBench()
    .then((knowledge) =>
      process.stdout.write(
        `${JSON.stringify({ node: process.version, nodeFlags: process.execArgv, knowledge }, null, 2)}\n`,
      ),
    )
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    });
}
