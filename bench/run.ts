/**
 * npm run bench — prints JSON; measures, never asserts.
 *  - answer latency in process (p50/p99) over the sample content and a generated corpus of 1,000 documents
 *  - index build time and memory
 *  - the yearly review: a 300-unit cycle's first cards within Teams' limits, store operations per submission (bench/review.ts)
 *  - HTTP turn throughput and p99 with 50 concurrent conversations against the local channel, next to an echo bot on
 *    the same stack (bench/http.ts)
 *  - the shared sender: 10,000 recipients within Teams' rate limits with 2% 429s (bench/sender.ts)
 *  - SharePoint through the local Graph endpoint with 50 ms per request: the review dashboard and one review's
 *    submission (bench/sharepoint.ts)
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { KnowledgeIndex } from '../bot/knowledge/index';
import type { DocumentRecord, Passage } from '../bot/knowledge/model';
import { parseText } from '../bot/knowledge/parse';
import { toPassages } from '../bot/knowledge/passages';
import { KnowledgeService } from '../bot/knowledge/service';
import { FileSystemSource } from '../bot/knowledge/source';
import { createLogger } from '../bot/logger';
import { openSqliteStore } from '../bot/store/sqlite';
import { httpBench } from './http';
import { reviewBench } from './review';
import { senderBench } from './sender';
import { sharePointBench } from './sharepoint';

const root = path.resolve(__dirname, '../..');
const log = createLogger('silent');
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

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const round = (n: number) => Math.round(n * 1000) / 1000;
const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;

function latency(index: KnowledgeIndex, rounds: number) {
  for (const q of questions) index.search(q); // warm up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const start = performance.now();
      index.search(q);
      times.push(performance.now() - start);
    }
  }
  return { queries: times.length, p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)) };
}

/** A generated corpus: 1,000 policy-like documents made from the sample documents' sentences, shuffled per document. */
function generatedCorpus(
  samplePassages: Passage[],
  count: number,
): { documents: DocumentRecord[]; passages: Passage[] } {
  const sentences = samplePassages.map((p) => p.text);
  const towns = [
    'Ålsta',
    'Bergvik',
    'Dalby',
    'Ekerum',
    'Fjällbo',
    'Granö',
    'Hästvik',
    'Isö',
    'Järnby',
    'Kalvsund',
  ];
  const documents: DocumentRecord[] = [];
  const passages: Passage[] = [];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let d = 0; d < count; d++) {
    const organisation = `${towns[d % towns.length]} kommun ${Math.floor(d / towns.length)}`;
    const lines: string[] = [`# Riktlinje ${d} för ${organisation}`];
    for (let s = 0; s < 6; s++) {
      lines.push(`## ${s + 1} Avsnitt ${s + 1}`);
      for (let k = 0; k < 5; k++) lines.push(sentences[Math.floor(next() * sentences.length)] as string);
    }
    const parsed = parseText(lines.join('\n\n'));
    const id = `doc-${d}`;
    documents.push({
      ...parsed.metadata,
      organisation,
      id,
      sourceKey: id,
      fileName: `${id}.md`,
      link: '',
      contentHash: '',
      importedAt: '',
      passageCount: 0,
    });
    for (const [ordinal, p] of toPassages(parsed.blocks).entries())
      passages.push({ ...p, id: `${id}:${ordinal}`, documentId: id, ordinal });
  }
  return { documents, passages };
}

async function knowledgeBench() {
  const store = openSqliteStore(':memory:');
  const service = new KnowledgeService(store, log);
  let start = performance.now();
  await service.import(new FileSystemSource([path.join(root, 'content/documents')]));
  const importMs = performance.now() - start;
  const documents = (await store.documents.list()).map((d) => d.value);
  const passages = (await store.passages.list()).map((p) => p.value);
  const sample = new KnowledgeIndex(documents, passages);
  const sampleResult = {
    documents: documents.length,
    passages: passages.length,
    importAndIndexMs: round(importMs),
    ...latency(sample, 50),
  };

  const corpus = generatedCorpus(passages, 1000);
  const rssBefore = process.memoryUsage().rss;
  start = performance.now();
  const large = new KnowledgeIndex(corpus.documents, corpus.passages);
  const buildMs = performance.now() - start;
  const result = {
    documents: corpus.documents.length,
    passages: corpus.passages.length,
    indexBuildMs: round(buildMs),
    ...latency(large, 20),
    rssMb: mb(process.memoryUsage().rss),
    rssGrowthMb: mb(process.memoryUsage().rss - rssBefore),
  };
  await store.close();
  return { sample: sampleResult, generated1000: result };
}

async function main() {
  const knowledge = await knowledgeBench();
  // `npm run bench -- --knowledge` measures the knowledge index only
  const knowledgeOnly = process.argv.includes('--knowledge');
  const http = knowledgeOnly ? undefined : await httpBench();
  const review = knowledgeOnly ? undefined : await reviewBench();
  const sender = knowledgeOnly ? undefined : await senderBench();
  const sharepoint = knowledgeOnly ? undefined : await sharePointBench();
  process.stdout.write(
    `${JSON.stringify({ node: process.version, knowledge, http, review, sender, sharepoint }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
