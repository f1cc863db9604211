import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalDocumentStore } from '../../../bot/documents/local';
import { AppError } from '../../../bot/errors';

let root: string;
let store: LocalDocumentStore;
let now = new Date('2026-11-22T10:00:00Z');
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-files-'));
  store = new LocalDocumentStore(root, 'http://localhost:3978/files', () => now);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

test('put keeps the file where the folders say, and get returns it with its metadata and a link by id', async () => {
  const { id, link } = await store.put(
    'Säkerhetsbokslut/2026',
    'säkerhetsbokslut-2026.csv',
    bytes('år;enhet\r\n'),
    {
      metadata: { year: '2026', kind: 'annualReport' },
    },
  );
  expect(link).toBe(`http://localhost:3978/files/${id}/s%C3%A4kerhetsbokslut-2026.csv`);
  expect(
    fs.readFileSync(path.join(root, 'Säkerhetsbokslut', '2026', 'säkerhetsbokslut-2026.csv'), 'utf8'),
  ).toBe('år;enhet\r\n');
  const found = await store.get(id);
  expect(text(found?.bytes)).toBe('år;enhet\r\n');
  expect(found?.info).toEqual({
    id,
    folder: 'Säkerhetsbokslut/2026',
    name: 'säkerhetsbokslut-2026.csv',
    link,
    contentType: 'text/csv; charset=utf-8',
    size: 11, // "å" is two bytes in UTF-8
    modifiedAt: '2026-11-22T10:00:00.000Z',
    metadata: { year: '2026', kind: 'annualReport' },
  });
});

test('putting the same name again replaces the file and keeps its id and link; list shows each file once', async () => {
  const first = await store.put('reports/2026', 'a.docx', bytes('one'));
  now = new Date('2026-11-23T10:00:00Z');
  const second = await store.put('reports/2026', 'a.docx', bytes('two, longer'));
  await store.put('reports/2026', 'b.csv', bytes('b'));
  await store.put('reports/2025', 'a.docx', bytes('last year'));
  expect(second).toEqual(first);
  expect(text((await store.get(first.id))?.bytes)).toBe('two, longer');
  const listed = await store.list('reports/2026');
  expect(listed.map((d) => [d.name, d.size, d.modifiedAt])).toEqual([
    ['a.docx', 11, '2026-11-23T10:00:00.000Z'],
    ['b.csv', 1, '2026-11-23T10:00:00.000Z'],
  ]);
  expect(await store.list('nothing-here')).toEqual([]);
});

test('two puts of the same name at once make one file, not two ids', async () => {
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
  'a folder %j or name %j that could leave the store or that SharePoint refuses is refused, and nothing is written',
  async (folder, name) => {
    await expect(store.put(folder, name, bytes('x'))).rejects.toBeInstanceOf(AppError);
    expect(fs.readdirSync(root)).toEqual([]);
  },
);

test('get of an unknown or malformed id finds nothing (never a path)', async () => {
  await store.put('reports', 'a.txt', bytes('x'));
  expect(await store.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  expect(await store.get('../reports/a.txt')).toBeUndefined();
  expect(await store.get('.meta')).toBeUndefined();
});

test('no half-written file is left behind: the write lands whole or not at all', async () => {
  await store.put('reports', 'a.txt', bytes('complete'));
  const leftovers = fs.readdirSync(path.join(root, 'reports')).filter((f) => f.endsWith('.tmp'));
  expect(leftovers).toEqual([]);
});
