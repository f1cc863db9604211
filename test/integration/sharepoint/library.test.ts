/**
 * The document library: uploads (simple below the limit, an upload session above), metadata
 * columns, and knowledge import through delta that reads only what changed.
 */

import { reportFolder } from '../../../bot/features/annualReport/service';
import { KnowledgeService } from '../../../bot/features/knowledge/service';
import { GOVERNING_FOLDER } from '../../../bot/features/knowledge/source';
import { createLogger } from '../../../bot/platform/logger';
import { SharePointLibrary } from '../../../bot/platform/store/sharepoint/library';
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
  const put = await library.put(GOVERNING_FOLDER, 'policy.md', small, {
    metadata: {
      kind: 'governing',
      caseNumber: 'RS 2026/12',
      adoptedDate: '2026-03-01',
      nextReview: 'årligen',
    },
  });
  const report = await library.put(reportFolder('sv', 2026), 'bokslut.bin', large, {
    metadata: { kind: 'annualReport', year: '2026' },
  });
  const stats = graph.control.stats();
  expect(stats.byMethodKind['PUT driveItem/content']).toBe(1);
  expect(stats.byMethodKind['POST driveItem/createUploadSession']).toBe(1);
  // 1,500,000 bytes in ranges of 320 KiB: five requests to the upload URL
  expect(stats.byKind.uploadUrl).toBe(5);
  // one PATCH of each file's list item: its metadata columns
  expect(stats.byMethodKind['PATCH driveItem/listItem/fields']).toBe(2);
  const files = graph.control.readFiles(site.id);
  const stored = files.find((f) => f.path.endsWith('policy.md'));
  expect(stored?.content.equals(small)).toBe(true);
  // people see the metadata as the library's columns
  expect(stored?.fields).toEqual(
    expect.objectContaining({
      VarnKind: 'governing',
      VarnCaseNumber: 'RS 2026/12',
      VarnNextReview: 'årligen',
    }),
  );
  expect(put.link).toBe(`${site.webUrl}/Shared%20Documents/Styrande%20dokument/policy.md`);
  expect(files.find((f) => f.path.endsWith('bokslut.bin'))?.content.equals(large)).toBe(true);
  const back = await library.get(report.id);
  expect(back?.info).toMatchObject({
    folder: 'Säkerhetsbokslut/2026',
    name: 'bokslut.bin',
    size: 1_500_000,
    metadata: { kind: 'annualReport', year: '2026' },
  });
  expect(Buffer.from(back?.bytes ?? []).equals(large)).toBe(true);
  // metadata without a column is refused before anything is sent, so nothing is silently dropped
  graph.control.resetStats();
  await expect(library.put('x', 'a.txt', small, { metadata: { colour: 'blå' } })).rejects.toThrow(/colour/);
  expect(graph.control.stats().total).toBe(0);
  await store.close();
});

test('knowledge import reads the library through delta: only changed files are downloaded, deleted ones leave the index', async () => {
  const connection = await connectTestSite(graph);
  const { site, source, store } = connection;
  graph.control.putFile(
    site.id,
    '/Styrande dokument/policy.md',
    policy('Säkerhetspolicy', 'Varje chef ansvarar för säkerheten i sin verksamhet.'),
  );
  graph.control.putFile(
    site.id,
    '/Styrande dokument/rutin.md',
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
    '/Styrande dokument/rutin.md',
    policy('Rutin för incidenter', 'Incidenter rapporteras till säkerhetschefen inom en timme.'),
  );
  const changed = await importOnce();
  expect(changed.report.imported).toEqual(['rutin.md']);
  expect(changed.downloads).toBe(1);

  // generated reports and files elsewhere in the library are not governing documents: not imported;
  // a governing document in a subfolder is
  await connection.library.put(
    reportFolder('sv', 2026),
    'sakerhetsbokslut-2026.md',
    policy('Säkerhetsbokslut 2026', 'Alla enheter har följt upp.'),
    { metadata: { kind: 'annualReport', year: '2026' } },
  );
  graph.control.putFile(site.id, '/anteckningar.md', policy('Anteckningar', 'Möte om lokaler.'));
  graph.control.putFile(
    site.id,
    '/Styrande dokument/Rutiner/rutin-besok.md',
    policy('Rutin för besök', 'Besökare hämtas i receptionen.'),
  );
  expect((await importOnce()).report.imported).toEqual(['rutin-besok.md']);

  const rutin = graph.control.readFiles(site.id).find((f) => f.path.endsWith('rutin.md'));
  await connection.graph.delete(`/sites/${connection.siteId}/drive/items/${rutin?.id}`);
  const removed = await importOnce();
  expect(removed.report.removed).toEqual(['rutin.md']);
  expect((await store.documents.list()).map((d) => d.value.fileName).sort()).toEqual([
    'policy.md',
    'rutin-besok.md',
  ]);
  expect(await store.passages.find({ documentId: 'missing' })).toEqual([]);

  // a delta token the service no longer accepts (410) means one full enumeration, nothing re-imported
  graph.control.expireDeltaTokens(site.id);
  const resync = await importOnce();
  expect(resync.report.imported).toEqual([]);
  expect(resync.report.unchanged.sort()).toEqual(['policy.md', 'rutin-besok.md']);
  expect(resync.report.removed).toEqual([]);
  await store.close();
}, 120_000);
