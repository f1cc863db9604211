/**
 * Provisioning against the local Graph endpoint: from an empty site, again (nothing changes, few
 * requests), and after drift done behind Värn's back.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collections } from '../../../bot/collections';
import { connectSharePoint, StartupError } from '../../../bot/platform/store/sharepoint/connect';
import { provision, resolveSite } from '../../../bot/platform/store/sharepoint/provisioning/provision';
import {
  library as librarySpec,
  sharePointSchema,
} from '../../../bot/platform/store/sharepoint/provisioning/schema';
import { type LocalGraph, type SiteInfo, startGraph } from '../../support/graph';
import { question } from '../../support/records';
import { sharePointConfig, testGraph } from '../../support/sharepoint';

let graph: LocalGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => graph.close());

const ourLists = sharePointSchema(collections).filter((l) => !l.adopt);

function newSite(): SiteInfo {
  return graph.control.createSite({ path: `/sites/prov-${Math.random().toString(36).slice(2, 8)}` });
}

const listNames = (site: SiteInfo) =>
  graph.control
    .sites()
    .filter((s) => s.id === site.id)
    .flatMap(() => ourLists.map((l) => l.displayName));

async function connect(site: SiteInfo, provisionAtStart = true) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-prov-'));
  return connectSharePoint(sharePointConfig(graph, site, { provisionAtStart }), {
    collections,
    networkClient: graph.msalNetworkClient,
    localDbPath: path.join(dir, 'varn.sqlite'),
  });
}

test('an empty site gets every list with typed, indexed columns; a second run changes nothing and costs two requests', async () => {
  const site = newSite();
  const client = testGraph(graph, site);
  const siteId = await resolveSite(client, site.byPath);
  const first = await provision(client, siteId, { collections });
  expect(first.applied.filter((line) => line.startsWith('create list'))).toHaveLength(ourLists.length);
  expect(first.applied.filter((line) => line.endsWith('to Documents'))).toHaveLength(
    librarySpec.columns.length,
  );
  expect(first.findings).toEqual([]);
  const questions = graph.control.readList(site.id, 'VarnQuestions');
  expect(
    questions.columns.filter((c) => c.name.startsWith('Varn')).map((c) => [c.name, c.type, c.indexed]),
  ).toEqual([
    ['VarnId', 'text', true],
    ['VarnRecord', 'text', false],
    ['VarnStatus', 'text', true],
    ['VarnAskedBy', 'text', true],
    ['VarnCurated', 'boolean', true],
  ]);
  const library = graph.control.readList(site.id, site.libraryListId);
  expect(library.columns.map((c) => c.name)).toEqual(
    expect.arrayContaining(['VarnKind', 'VarnAdoptedDate', 'VarnCaseNumber']),
  );

  graph.control.resetStats();
  const second = await provision(client, siteId, { collections });
  expect(second.applied).toEqual([]);
  expect(second.findings).toEqual([]);
  expect(second.lists).toEqual(first.lists);
  // one request for the site's lists, one $batch for their columns
  expect(graph.control.stats().httpRequests).toBe(2);
  expect(second.requests).toBe(2);
  expect(listNames(site)).toHaveLength(ourLists.length);
});

test('drift is repaired without losing or duplicating records: renamed list, deleted list, deleted column, lost index', async () => {
  const site = newSite();
  const before = await connect(site);
  await before.store.questions.insert(question('q1', { status: 'escalated' }));
  await before.store.questions.insert(question('q2'));
  await before.store.feedback.insert({
    id: 'f1',
    questionId: 'q1',
    personId: 'p1',
    helpful: true,
    at: 'now',
  });
  await before.store.close();

  graph.control.renameList(site.id, 'VarnQuestions', 'Frågor (gamla)');
  graph.control.deleteList(site.id, 'VarnFeedback');
  graph.control.deleteColumn(site.id, 'Frågor (gamla)', 'VarnStatus');
  graph.control.setColumnIndexed(site.id, 'Frågor (gamla)', 'VarnAskedBy', false);

  // without provisioning at start, the app refuses to start and says what to do
  await expect(connect(site, false)).rejects.toThrow(/npm run provision/);

  const after = await connect(site);
  expect(after.report.applied.join('\n')).toMatch(/Frågor \(gamla\)/);
  expect(after.report.applied.join('\n')).toMatch(/create list VarnFeedback/);
  expect(after.report.applied.join('\n')).toMatch(/add column VarnStatus to VarnQuestions and fill it/);
  expect(after.report.applied.join('\n')).toMatch(/index column VarnAskedBy/);
  const lists = graph.control.readList(site.id, 'VarnQuestions');
  expect(lists.id).toBe(before.report.lists.questions);
  expect(
    graph.control.readList(site.id, 'VarnQuestions').columns.find((c) => c.name === 'VarnAskedBy')?.indexed,
  ).toBe(true);
  // the records are where they were, and the re-created column was filled from them
  expect((await after.store.questions.find({ status: 'escalated' })).map((q) => q.value.id)).toEqual(['q1']);
  expect((await after.store.questions.list()).map((q) => q.value.id)).toEqual(['q1', 'q2']);
  expect(await after.store.feedback.list()).toEqual([]);
  await after.store.close();

  graph.control.resetStats();
  const again = await connect(site);
  expect(again.report.applied).toEqual([]);
  await again.store.close();
});

test('a retyped column is reported, left alone, and the app does not start on it', async () => {
  const site = newSite();
  const first = await connect(site);
  await first.store.close();
  graph.control.deleteColumn(site.id, 'VarnQuestions', 'VarnCurated');
  graph.control.addColumn(site.id, 'VarnQuestions', { name: 'VarnCurated', text: {}, indexed: true });
  const error = await connect(site).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StartupError);
  expect((error as Error).message).toMatch(/VarnCurated of VarnQuestions is text, declared boolean/);
  expect(
    graph.control.readList(site.id, 'VarnQuestions').columns.find((c) => c.name === 'VarnCurated')?.type,
  ).toBe('text');
});

describe('bad configuration gives one clear message at start (no crash, no retry loop)', () => {
  test('a site that does not exist', async () => {
    const error = await connect({
      ...newSite(),
      byPath: 'contoso.sharepoint.com:/sites/nowhere',
    } as SiteInfo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(
      /VARN_SHAREPOINT_SITE: the site "contoso.sharepoint.com:\/sites\/nowhere" was not found/,
    );
  });

  test('an app without permission on the site (403)', async () => {
    const site = newSite();
    graph.control.denySite(site.id);
    graph.control.resetStats();
    const error = await connect(site).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/may not use the site .* 403 .*Sites\.Selected/);
    // a 403 is not retried
    expect(graph.control.stats().httpRequests).toBe(1);
  });

  test('a wrong client secret', async () => {
    const site = newSite();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-prov-'));
    const error = await connectSharePoint(sharePointConfig(graph, site, { clientSecret: 'wrong' }), {
      collections,
      networkClient: graph.msalNetworkClient,
      localDbPath: path.join(dir, 'varn.sqlite'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/VARN_GRAPH_CLIENT_ID .* no token for/);
  });
});
