/**
 * Every collection Värn keeps, collected from the features (and the platform) that declare them.
 * This file only collects: the Store type and both adapters (SQLite tables, SharePoint lists) are
 * derived from what is here. A new record type is declared in its feature's collections.ts and
 * spread in below (plus a SQLite migration; test/unit/store/collections.test.ts checks both).
 */
import { campaignCollections } from './features/campaigns/collections';
import { governanceCollections } from './features/governance/collections';
import { knowledgeCollections } from './features/knowledge/collections';
import { questionCollections } from './features/questions/collections';
import { reportCollections } from './features/reports/collections';
import { reviewCollections } from './features/review/collections';
import { platformCollections } from './platform/collections';

export const collections = {
  ...platformCollections,
  ...knowledgeCollections,
  ...questionCollections,
  ...reviewCollections,
  ...governanceCollections,
  ...campaignCollections,
  ...reportCollections,
} as const;

type Collected = typeof collections;

declare module './platform/store/schema' {
  interface Collections extends Collected {}
}
