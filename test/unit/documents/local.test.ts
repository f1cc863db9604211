/** What only the local folder adapter promises (the shared behaviour is in test/contract/documentStore.test.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalDocumentStore } from '../../../bot/platform/documents/local';

let root: string;
let store: LocalDocumentStore;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-files-'));
  store = new LocalDocumentStore(root, 'http://localhost:3978/files', () => new Date('2026-11-22T10:00:00Z'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);

test('files lie where the folders say, so an administrator finds them; the link names the file by its id', async () => {
  const { id, link } = await store.put(
    'Säkerhetsbokslut/2026',
    'säkerhetsbokslut-2026.csv',
    bytes('år;enhet\r\n'),
  );
  expect(link).toBe(`http://localhost:3978/files/${id}/s%C3%A4kerhetsbokslut-2026.csv`);
  expect(
    fs.readFileSync(path.join(root, 'Säkerhetsbokslut', '2026', 'säkerhetsbokslut-2026.csv'), 'utf8'),
  ).toBe('år;enhet\r\n');
  expect(JSON.parse(fs.readFileSync(path.join(root, '.meta', `${id}.json`), 'utf8'))).toMatchObject({
    folder: 'Säkerhetsbokslut/2026',
    modifiedAt: '2026-11-22T10:00:00.000Z',
  });
});

test('a refused name writes nothing at all on disk', async () => {
  await expect(store.put('reports/../../etc', 'passwd', bytes('x'))).rejects.toThrow();
  expect(fs.readdirSync(root)).toEqual([]);
});

test('the metadata folder is not a way in: get never reads a path from its argument', async () => {
  await store.put('reports', 'a.txt', bytes('x'));
  expect(await store.get('.meta')).toBeUndefined();
  expect(await store.get('../../etc/passwd')).toBeUndefined();
});

test('no half-written file is left behind: the write lands whole or not at all', async () => {
  await store.put('reports', 'a.txt', bytes('complete'));
  await store.put('reports', 'a.txt', bytes('replaced'));
  expect(fs.readdirSync(path.join(root, 'reports'))).toEqual(['a.txt']);
  expect(fs.readdirSync(path.join(root, '.meta')).every((f) => f.endsWith('.json'))).toBe(true);
});
