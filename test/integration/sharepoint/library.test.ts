/**
 * The document library: uploads (simple below the limit, an upload session above), metadata
 * columns, and knowledge import through delta that reads only what changed.
 */
import { KnowledgeService } from '../../../bot/knowledge/service';
import { createLogger } from '../../../bot/logger';
import { SharePointLibrary } from '../../../bot/store/sharepoint/library';
import { type LocalGraph, startGraph } from '../../support/graph';
import { connectTestSite } from '../../support/sharepoint';

let graph: LocalGraph;
beforeAll(async () => {
  graph = await startGraph({ simpleUploadMaxBytes: 1024 * 1024 });
});
afterAll(async () => graph.close());

const policy = (title: string, body: string) => Buffer.from(`# ${title}\n\n## 1 Ansvar\n\n${body}\n`);

test('a small file goes up in one request, a large one through an upload session; both keep their metadata', async () => {
  const { site, graph: client, store } = await connectTestSite(graph);
  const library = new SharePointLibrary(
    client,
    (await client.get<{ id: string }>(`/sites/${site.byPath}?$select=id`)).id,
    {
      simpleUploadLimit: 1024 * 1024,
      chunkSize: 320 * 1024,
    },
  );
  const small = policy('Säkerhetspolicy', 'Varje chef ansvarar för säkerheten i sin verksamhet.');
  const large = Buffer.alloc(1_500_000, 7);
  graph.control.resetStats();
  await library.upload('styrande', 'policy.md', small, {
    kind: 'governing',
    caseNumber: 'RS 2026/12',
    adoptedDate: '2026-03-01T00:00:00Z',
  });
  await library.upload('rapporter', 'bokslut.bin', large, { kind: 'report' });
  const stats = graph.control.stats();
  expect(stats.byMethodKind['PUT driveItem/content']).toBe(1);
  expect(stats.byMethodKind['POST driveItem/createUploadSession']).toBe(1);
  // 1,500,000 bytes in ranges of 320 KiB: five requests to the upload URL
  expect(stats.byKind.uploadUrl).toBe(5);
  const files = graph.control.readFiles(site.id);
  const stored = files.find((f) => f.path.endsWith('policy.md'));
  expect(stored?.content.equals(small)).toBe(true);
  expect(stored?.fields).toEqual(
    expect.objectContaining({ VarnKind: 'governing', VarnCaseNumber: 'RS 2026/12' }),
  );
  expect(files.find((f) => f.path.endsWith('bokslut.bin'))?.content.equals(large)).toBe(true);
  await store.close();
});

test('knowledge import reads the library through delta: only changed files are downloaded, deleted ones leave the index', async () => {
  const connection = await connectTestSite(graph);
  const { site, source, store } = connection;
  graph.control.putFile(
    site.id,
    '/styrande/policy.md',
    policy('Säkerhetspolicy', 'Varje chef ansvarar för säkerheten i sin verksamhet.'),
  );
  graph.control.putFile(
    site.id,
    '/styrande/rutin.md',
    policy('Rutin för incidenter', 'Incidenter rapporteras till närmaste chef samma dag.'),
  );
  const knowledge = new KnowledgeService(store, createLogger('silent'));
  const importOnce = async () => {
    graph.control.resetStats();
    const report = await knowledge.import(source);
    source.commit();
    return { report, downloads: graph.control.stats().byKind.download ?? 0 };
  };

  const first = await importOnce();
  expect(first.report.imported.sort()).toEqual(['policy.md', 'rutin.md']);
  expect(first.downloads).toBe(2);
  expect((await knowledge.search('Vem ansvarar för säkerheten?')).answers[0]?.document.fileName).toBe(
    'policy.md',
  );

  const unchanged = await importOnce();
  expect(unchanged.report.imported).toEqual([]);
  expect(unchanged.downloads).toBe(0);

  graph.control.putFile(
    site.id,
    '/styrande/rutin.md',
    policy('Rutin för incidenter', 'Incidenter rapporteras till säkerhetschefen inom en timme.'),
  );
  const changed = await importOnce();
  expect(changed.report.imported).toEqual(['rutin.md']);
  expect(changed.downloads).toBe(1);

  // a generated report kept in the library is not a governing document: not imported
  const report = await connection.library.save(
    'report',
    'sakerhetsbokslut-2026.md',
    policy('Säkerhetsbokslut 2026', 'Alla enheter har följt upp.'),
    {
      title: 'Säkerhetsbokslut 2026',
    },
  );
  expect(report.link).toContain('/Rapporter/sakerhetsbokslut-2026.md');
  expect((await importOnce()).report.imported).toEqual([]);

  const rutin = graph.control.readFiles(site.id).find((f) => f.path.endsWith('rutin.md'));
  await connection.graph.delete(`/sites/${connection.siteId}/drive/items/${rutin?.id}`);
  const removed = await importOnce();
  expect(removed.report.removed).toEqual(['rutin.md']);
  expect((await store.documents.list()).map((d) => d.value.fileName)).toEqual(['policy.md']);
  expect(await store.passages.find({ documentId: 'missing' })).toEqual([]);

  // a delta token the service no longer accepts (410) means one full enumeration, nothing re-imported
  graph.control.expireDeltaTokens(site.id);
  const resync = await importOnce();
  expect(resync.report.imported).toEqual([]);
  expect(resync.report.unchanged).toEqual(['policy.md']);
  await store.close();
}, 120_000);
