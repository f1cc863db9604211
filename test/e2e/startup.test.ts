/**
 * A start that cannot work stops at once, with one message that names the setting or path and a stable exit
 * code (78 a setting, 74 a damaged file, 73 a file that cannot be written, 69 the port), never a stack
 * trace or a service that listens and then fails. The built service (`node dist/bot/main.js`) as a child.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { collections } from '../../bot/collections';
import { openSqliteStore } from '../../bot/platform/store/sqlite';
import { root } from '../support/app';

jest.setTimeout(120_000);

const main = path.join(root, 'dist/bot/main.js');

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-start-'));
  const child = spawn(process.execPath, [main], {
    cwd: dataDir, // no .env there
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      LOG_LEVEL: 'silent',
      VARN_CONTENT_DIR: path.join(root, 'content'),
      VARN_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

const oneMessage = (stderr: string, named: RegExp) => {
  expect(stderr).toMatch(/^Värn cannot start: /);
  expect(stderr).toMatch(named);
  expect(stderr).not.toMatch(/\n\s+at /);
};

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'varn-start-case-'));

test('VARN_SECURITY_FUNCTION naming nobody in the directory stops the start (78)', async () => {
  const { code, stderr } = await start({ VARN_SECURITY_FUNCTION: 'nobody' });
  expect(code).toBe(78);
  oneMessage(stderr, /VARN_SECURITY_FUNCTION: "nobody" is not a person in the directory/);
});

test('an empty PORT, and HOST beyond this machine without a bot identity, stop the start (78)', async () => {
  const empty = await start({ PORT: '' });
  expect(empty.code).toBe(78);
  oneMessage(empty.stderr, /PORT: expected a port number/);
  const open = await start({ HOST: '0.0.0.0' });
  expect(open.code).toBe(78);
  oneMessage(open.stderr, /HOST: expected 127\.0\.0\.1, ::1 or localhost on the embedded default/);
});

test('a port in use stops the start naming PORT (69)', async () => {
  const blocker = http.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = String((blocker.address() as { port: number }).port);
  try {
    const { code, stderr } = await start({ PORT: port });
    expect(code).toBe(69);
    oneMessage(
      stderr,
      new RegExp(`PORT ${port} / HOST 127\\.0\\.0\\.1: cannot listen there \\(the port is in use`),
    );
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('a missing content folder stops the start naming VARN_CONTENT_DIR (78)', async () => {
  const missing = path.join(tmp(), 'finns-inte');
  const { code, stderr } = await start({ VARN_CONTENT_DIR: missing });
  expect(code).toBe(78);
  oneMessage(stderr, new RegExp(`VARN_CONTENT_DIR \\(${missing}\\): no organisation file`));
});

test('a store that is not a database, or has damaged pages, stops the start naming VARN_DB_PATH (74)', async () => {
  const text = path.join(tmp(), 'varn.sqlite');
  fs.writeFileSync(text, 'det här är ingen databas '.repeat(400));
  const notDb = await start({ VARN_DB_PATH: text });
  expect(notDb.code).toBe(74);
  oneMessage(notDb.stderr, new RegExp(`VARN_DB_PATH \\(${text}\\): the SQLite store is damaged`));

  // a real store with records, then a page in its middle overwritten
  const damaged = path.join(tmp(), 'varn.sqlite');
  const store = openSqliteStore(damaged, collections);
  for (let i = 0; i < 400; i++)
    await store.feedback.insert({
      id: `f${i}`,
      questionId: `q${i}`,
      personId: 'p',
      helpful: true,
      at: new Date().toISOString(),
    } as never);
  await store.close();
  const db = new DatabaseSync(damaged);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  const bytes = fs.readFileSync(damaged);
  const pageSize = bytes.readUInt16BE(16);
  const pages = bytes.length / pageSize;
  expect(pages).toBeGreaterThan(6);
  const at = (pages - 2) * pageSize;
  bytes.fill(0xa5, at, at + pageSize);
  fs.writeFileSync(damaged, bytes);
  const corrupt = await start({ VARN_DB_PATH: damaged });
  expect(corrupt.code).toBe(74);
  oneMessage(corrupt.stderr, new RegExp(`VARN_DB_PATH \\(${damaged}\\): the SQLite store is damaged`));
});

test('a store whose folder cannot be created stops the start naming VARN_DB_PATH (73)', async () => {
  const file = path.join(tmp(), 'a-file');
  fs.writeFileSync(file, 'x');
  const { code, stderr } = await start({ VARN_DB_PATH: path.join(file, 'varn.sqlite') });
  expect(code).toBe(73);
  oneMessage(stderr, /VARN_DB_PATH \(.*a-file\/varn\.sqlite\): /);
});

test('a damaged tab signing key stops the start naming its file (74), instead of failing every tab call', async () => {
  const dataDir = tmp();
  fs.writeFileSync(path.join(dataDir, 'tab-signing-key.json'), '{"kty":"RSA","n":"trasig"');
  const { code, stderr } = await start({ VARN_DATA_DIR: dataDir });
  expect(code).toBe(74);
  oneMessage(stderr, /tab-signing-key\.json: the tab's local signing key is damaged/);
});
