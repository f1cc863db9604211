import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalDocumentStore } from '../../../bot/documents/local';

test('the embedded document store keeps a report under its folder with its metadata, and refuses a path as a name', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-docs-'));
  const store = new LocalDocumentStore(dir);
  const saved = await store.save('report', 'bokslut.md', new TextEncoder().encode('# Bokslut'), {
    title: 'Säkerhetsbokslut',
  });
  expect(fs.readFileSync(fileURLToPath(saved.link), 'utf8')).toBe('# Bokslut');
  expect(path.dirname(fileURLToPath(saved.link))).toBe(path.join(dir, 'Rapporter'));
  expect(JSON.parse(fs.readFileSync(`${fileURLToPath(saved.link)}.metadata.json`, 'utf8'))).toEqual({
    kind: 'report',
    title: 'Säkerhetsbokslut',
  });
  await expect(store.save('report', '../../etc/passwd', new Uint8Array())).rejects.toThrow(/not a file name/);
});
