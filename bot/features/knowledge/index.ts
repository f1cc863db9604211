/**
 * The knowledge feature's face: the governing documents, imported at start from their source (a
 * folder, or the SharePoint library) into the search index that answers questions. It has no card
 * verbs, commands or API of its own; the questions feature asks it.
 */
import type { DocumentSource } from '../../platform/documents/source';
import type { Feature } from '../../platform/feature';
import type { Logger } from '../../platform/logger';
import type { Store } from '../../platform/store';
import { knowledgeCollections } from './collections';
import { type Judge, KnowledgeService, type Reranker, type Summariser } from './service';

export interface KnowledgeFeatureDeps {
  store: Store;
  log: Logger;
  clock: () => Date;
  /** Semantic ranking, judging and phrasing, when an Azure OpenAI deployment is configured. */
  semantic: { reranker?: Reranker; summariser?: Summariser; judge?: Judge };
  /** Where the governing documents are read at start; `commit()` is called after a successful import. */
  source: DocumentSource & { commit?(): void };
}

export interface KnowledgeFeature extends Feature {
  service: KnowledgeService;
}

export function createKnowledgeFeature(deps: KnowledgeFeatureDeps): KnowledgeFeature {
  const service = new KnowledgeService(deps.store, deps.log, deps.clock, deps.semantic);
  return {
    name: 'knowledge',
    service,
    verbs: [],
    commands: [],
    api: [],
    jobs: {},
    renderers: {},
    collections: Object.keys(knowledgeCollections),
    start: async () => {
      await service.load();
      const report = await service.import(deps.source);
      deps.source.commit?.();
      for (const failure of report.failed)
        deps.log.warn({ reason: failure.reason }, 'a governing document was not imported');
    },
  };
}
