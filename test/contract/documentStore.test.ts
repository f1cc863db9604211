/**
 * The DocumentStore contract. Every adapter runs these: the local folder, and the SharePoint
 * document library through the local Graph endpoint (a new, provisioned site per test).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalDocumentStore } from '../../bot/platform/documents/local';
import type { DocumentStore } from '../../bot/platform/documents/port';
import { AppError } from '../../bot/platform/errors';
import { type LocalGraph, startGraph } from '../support/graph';
import { connectTestSite } from '../support/sharepoint';

interface Adapter {
  make(clock: () => Date): Promise<DocumentStore>;
  cleanUp(): Promise<void>;
}

let graph: LocalGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => graph.close());

const adapters: [string, () => Adapter][] = [
  [
    'local folder',
    () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-files-'));
      return {
        make: async (clock) => new LocalDocumentStore(root, 'http://localhost:3978/files', clock),
        cleanUp: async () => fs.rmSync(root, { recursive: true, force: true }),
      };
    },
  ],
  [
    'SharePoint library',
    () => {
      let close: () => Promise<void> = async () => undefined;
      return {
        // SharePoint keeps its own modification times; the clock is the local adapter's
        make: async () => {
          const connection = await connectTestSite(graph);
          close = () => connection.store.close();
          return connection.library;
        },
        cleanUp: () => close(),
      };
    },
  ],
];

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

describe.each(adapters)('%s', (_name, factory) => {
  let adapter: Adapter;
  let store: DocumentStore;
  let now: Date;
  beforeEach(async () => {
    adapter = factory();
    now = new Date('2026-11-22T10:00:00Z');
    store = await adapter.make(() => now);
  });
  afterEach(() => adapter.cleanUp());

  test('put then get returns the bytes, the name, the folder, the content type and the metadata', async () => {
    const { id, link } = await store.put(
      'Säkerhetsbokslut/2026',
      'säkerhetsbokslut-2026.csv',
      bytes('år;enhet\r\n'),
      {
        metadata: { year: '2026', kind: 'annualReport' },
      },
    );
    expect(link).toMatch(/^https?:\/\//);
    const found = await store.get(id);
    expect(text(found?.bytes)).toBe('år;enhet\r\n');
    expect(found?.info).toMatchObject({
      id,
      folder: 'Säkerhetsbokslut/2026',
      name: 'säkerhetsbokslut-2026.csv',
      link,
      contentType: 'text/csv; charset=utf-8',
      size: 11, // "å" is two bytes in UTF-8
      metadata: { year: '2026', kind: 'annualReport' },
    });
  });

  test('putting the same name again replaces the file and keeps its id and link; list shows each file once, by name', async () => {
    const first = await store.put('reports/2026', 'a.docx', bytes('one'));
    now = new Date('2026-11-23T10:00:00Z');
    const second = await store.put('reports/2026', 'a.docx', bytes('two, longer'));
    await store.put('reports/2026', 'b.csv', bytes('b'));
    await store.put('reports/2025', 'a.docx', bytes('last year'));
    expect(second).toEqual(first);
    expect(text((await store.get(first.id))?.bytes)).toBe('two, longer');
    expect((await store.list('reports/2026')).map((d) => [d.name, d.size])).toEqual([
      ['a.docx', 11],
      ['b.csv', 1],
    ]);
    expect(await store.list('nothing-here')).toEqual([]);
  });

  test('two puts of the same name at once make one file, not two', async () => {
    const results = await Promise.all([1, 2, 3].map((n) => store.put('x', 'same.txt', bytes(String(n)))));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await store.list('x')).length).toBe(1);
  });

  test.each([
    ['..', 'a.txt'],
    ['reports/../../etc', 'a.txt'],
    ['reports', '../escape.txt'],
    ['reports', 'a/b.txt'],
    ['reports', 'a\\b.txt'],
    ['reports', '.hidden'],
    ['reports', 'trailing.'],
    ['reports', 'what?.txt'],
    ['reports', 'nul\u0000.txt'],
    ['reports', ''],
  ])(
    'folder %j with name %j is refused with a clear message, and nothing is stored',
    async (folder, name) => {
      await expect(store.put(folder, name, bytes('x'))).rejects.toMatchObject({
        status: 400,
        messageKey: 'documents.badName',
      });
      await expect(store.put(folder, name, bytes('x'))).rejects.toBeInstanceOf(AppError);
      expect(await store.list('reports')).toEqual([]);
    },
  );

  test('get of an unknown or malformed id finds nothing', async () => {
    await store.put('reports', 'a.txt', bytes('x'));
    expect(await store.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await store.get('../reports/a.txt')).toBeUndefined();
  });
});
