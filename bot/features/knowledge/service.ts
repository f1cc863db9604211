/**
 * The knowledge capability: import governing documents into passages in the store, keep the
 * index in memory, answer questions. One code path for the bot, the `ask` command and the tab.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Lang } from '../../platform/i18n';
import type { Logger } from '../../platform/logger';
import type { Store } from '../../platform/store';
import { type AnswerView, answerViewOf } from './answer';
import { DocumentReadError, extractDocument } from './extract';
import type { DocumentRecord, Passage } from './model';
import { toPassages } from './passages';
import { defaultRankOptions, KnowledgeIndex, type RankOptions, type SearchResult } from './searchIndex';
import type { DocumentSource } from './source';

export interface ImportReport {
  imported: string[];
  unchanged: string[];
  failed: { name: string; reason: string }[];
  /** Documents that left the source (a library file deleted). */
  removed: string[];
}

export interface Reranker {
  /** Re-orders candidates by meaning; may fail, in which case the lexical order stands. */
  rerank(question: string, candidates: SearchResult['answers']): Promise<SearchResult['answers']>;
  /**
   * Retrieval by meaning over every passage: `index` embeds the passages once (after each load, in the
   * background), `nearest` answers the passages closest in meaning to a question, best first. Both may fail.
   */
  index?(passages: readonly { id: string; text: string }[]): Promise<void>;
  nearest?(question: string, k: number): Promise<{ id: string; similarity: number }[]>;
}

/** A passage found by meaning alone joins the candidates only this close to the question (cosine). */
export const MEANING_MIN_SIMILARITY = 0.45;

export interface Judge {
  /** Whether the passages answer the question (true), do not (false), or it cannot tell (undefined); may fail. */
  answers(question: string, passages: AnswerView[]): Promise<boolean | undefined>;
}

export interface Summariser {
  /** Phrases a short answer from the quoted passages only; the quotes are always shown beside it. */
  summarise(question: string, passages: AnswerView[], language: Lang): Promise<string | undefined>;
}

/** Share of a new question's concepts a kept question must hold for its curated answer to be shown. */
const CURATED_COVERAGE = 0.7;

const CURATED_DOCUMENT: DocumentRecord = {
  id: 'curated',
  sourceKey: 'curated',
  fileName: 'curated',
  title: 'curated',
  link: '',
  contentHash: '',
  importedAt: '',
  passageCount: 0,
};

export class KnowledgeService {
  private index: KnowledgeIndex = new KnowledgeIndex([], []);
  private curatedIndex: KnowledgeIndex = new KnowledgeIndex([], []);
  private curatedAnswers = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
    private readonly semantic: { reranker?: Reranker; summariser?: Summariser; judge?: Judge } = {},
  ) {}

  /** Curated answers: questions the security function answered and chose to keep. */
  async loadCurated(): Promise<void> {
    const kept = (await this.store.questions.find({ curated: true }))
      .map((q) => q.value)
      .filter((q) => q.answer);
    this.curatedAnswers = new Map(kept.map((q) => [q.id, q.answer as string]));
    this.curatedIndex = new KnowledgeIndex(
      [CURATED_DOCUMENT],
      kept.map((q, ordinal) => ({
        id: q.id,
        documentId: CURATED_DOCUMENT.id,
        ordinal,
        section: '',
        sectionPath: [],
        text: q.text,
      })),
    );
  }

  /** The curated answer to a question like this one, if the security function has kept one. */
  async searchCurated(question: string): Promise<{ questionId: string; answer: string }[]> {
    // nothing kept yet: no question to analyse against
    if (this.curatedIndex.size === 0) return [];
    const result = this.curatedIndex.search(question, { ...defaultRankOptions, maxAnswers: 1 });
    // a kept question answers a new one only when it holds most of the new one's meaning
    return result.answers
      .filter((a) => a.coverage >= CURATED_COVERAGE)
      .map((a) => ({
        questionId: a.passage.id,
        answer: this.curatedAnswers.get(a.passage.id) ?? '',
      }));
  }

  async summarise(question: string, answers: AnswerView[], language: Lang): Promise<string | undefined> {
    if (!this.semantic.summariser) return undefined;
    try {
      return await this.semantic.summariser.summarise(question, answers, language);
    } catch (error) {
      this.log.warn({ err: error }, 'the answer could not be phrased; showing the quotes only');
      return undefined;
    }
  }

  /** Loads the index from the store (at start, and after each import). */
  async load(): Promise<void> {
    const [documents, passages] = await Promise.all([
      this.store.documents.list(),
      this.store.passages.list(),
    ]);
    this.index = new KnowledgeIndex(
      documents.map((d) => d.value),
      passages.map((p) => p.value).sort((a, b) => a.ordinal - b.ordinal),
    );
    await this.loadCurated();
    this.log.info(
      { documents: documents.length, passages: this.index.size, curated: this.curatedAnswers.size },
      'knowledge index loaded',
    );
    // with embeddings configured, every passage is embedded once, in the background: questions meanwhile
    // are answered by words (and re-ranked by meaning) as before
    const { reranker } = this.semantic;
    if (reranker?.index) {
      const texts = passages.map((p) => ({ id: p.value.id, text: p.value.text }));
      this.embedded = reranker.index(texts).catch((error: unknown) => {
        this.log.warn(
          { err: error },
          'the passages could not be embedded; retrieval by meaning waits for the next load',
        );
      });
    }
  }

  /** The background embedding of the passages after the last load (tests and start-up wait for it). */
  embedded: Promise<void> = Promise.resolve();

  get passageCount(): number {
    return this.index.size;
  }

  /** Imports every file of the source; a changed file replaces its passages; a bad file is reported by name. */
  async import(source: DocumentSource): Promise<ImportReport> {
    const report: ImportReport = { imported: [], unchanged: [], failed: [], removed: [] };
    for (const file of await source.list()) {
      try {
        const bytes = await file.read();
        const contentHash = createHash('sha256').update(bytes).digest('hex');
        const existing = (await this.store.documents.find({ sourceKey: file.key }))[0];
        if (existing && existing.value.contentHash === contentHash) {
          report.unchanged.push(file.name);
          continue;
        }
        const parsed = await extractDocument(file.name, bytes);
        const documentId = existing?.value.id ?? randomUUID();
        const drafts = toPassages(parsed.blocks);
        const passages: Passage[] = drafts.map((draft, ordinal) => ({
          id: `${documentId}:${ordinal}`,
          documentId,
          ordinal,
          ...draft,
        }));
        const record: DocumentRecord = {
          ...parsed.metadata,
          id: documentId,
          sourceKey: file.key,
          fileName: file.name,
          link: file.link,
          contentHash,
          importedAt: this.clock().toISOString(),
          passageCount: passages.length,
        };
        await this.store.transaction(async (tx) => {
          await tx.passages.removeWhere({ documentId });
          for (const passage of passages) await tx.passages.insert(passage);
          if (existing) await tx.documents.update(record, existing.version);
          else await tx.documents.insert(record);
        });
        report.imported.push(file.name);
        this.log.info(
          { file: file.name, passages: passages.length, title: record.title },
          'document imported',
        );
      } catch (error) {
        const reason =
          error instanceof DocumentReadError ? error.message : `${file.name}: ${(error as Error).message}`;
        report.failed.push({ name: file.name, reason });
        this.log.warn({ file: file.name, err: error }, 'document not imported');
      }
    }
    for (const key of (await source.removed?.()) ?? []) {
      const gone = (await this.store.documents.find({ sourceKey: key }))[0];
      if (!gone) continue;
      await this.store.transaction(async (tx) => {
        await tx.passages.removeWhere({ documentId: gone.value.id });
        await tx.documents.remove(gone.value.id);
      });
      report.removed.push(gone.value.fileName);
      this.log.info({ file: gone.value.fileName }, 'document removed from the index');
    }
    await this.load();
    return report;
  }

  /**
   * The offline decision, then, when Azure OpenAI is configured: for *answer* and *uncertain*, the wider lexical
   * candidates re-ranked by meaning, and a confident *answer* only when the chat deployment judges that the
   * passages answer the question (otherwise *uncertain*). Any failure keeps the offline result.
   */
  async search(question: string, options: RankOptions = defaultRankOptions): Promise<SearchResult> {
    const result = this.index.search(question, options);
    const { reranker, judge } = this.semantic;
    // none for a reason words decide (another organisation, an answer type the text cannot hold) stays none
    if (!reranker || (result.abstained && result.reason !== 'no-match')) return result;
    let semantic = result;
    const wide = result.abstained
      ? []
      : this.index.search(question, { ...options, maxAnswers: 10, relativeCutoff: 0.3 }).answers;
    try {
      // the candidates are the words' and the meaning's: a passage that shares no word can still answer
      const byMeaning = (await reranker.nearest?.(question, 10)) ?? [];
      const seen = new Set(wide.map((a) => a.passage.id));
      const candidates = [...wide];
      for (const near of byMeaning) {
        if (near.similarity < MEANING_MIN_SIMILARITY || seen.has(near.id)) continue;
        const found = this.index.ranked(near.id);
        if (found) candidates.push(found);
        seen.add(near.id);
      }
      if (result.abstained && candidates.length === 0) return result;
      const reranked = (await reranker.rerank(question, candidates)).slice(0, options.maxAnswers);
      // nothing matched by words, but passages are close in meaning: they may help (never a confident answer)
      semantic = result.abstained
        ? { ...result, answers: reranked, confidence: 'uncertain', abstained: false, reason: undefined }
        : { ...result, answers: reranked };
    } catch (error) {
      this.log.warn({ err: error }, 'semantic retrieval failed; keeping the lexical result');
      return result;
    }
    if (!judge || semantic.confidence !== 'answer') return semantic;
    try {
      const verdict = await judge.answers(question, semantic.answers.map(answerViewOf));
      if (verdict === false) return { ...semantic, confidence: 'uncertain' };
    } catch (error) {
      this.log.warn({ err: error }, 'the answer could not be judged; keeping the offline decision');
    }
    return semantic;
  }
}
