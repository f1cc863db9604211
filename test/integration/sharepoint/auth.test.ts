/**
 * App-only authentication through msal-node against the local endpoint's token service: a client
 * certificate instead of a secret, one token for many requests, a fresh token after a 401.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LocalGraph, startGraph } from '../../support/graph';
import { question } from '../../support/records';
import { connectTestSite } from '../../support/sharepoint';

let graph: LocalGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => graph.close());

test('with a client certificate and no secret, the app signs in (a client assertion) and works', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-cert-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=varn-test',
    ],
    {
      stdio: 'ignore',
    },
  );
  const pem = path.join(dir, 'varn.pem');
  fs.writeFileSync(pem, fs.readFileSync(key, 'utf8') + fs.readFileSync(cert, 'utf8'));
  const { store } = await connectTestSite(graph, {
    config: { clientSecret: undefined, certificatePath: pem },
  });
  await store.questions.insert(question('q1'));
  expect((await store.questions.get('q1'))?.value.id).toBe('q1');
  await store.close();
});

test('one token serves many requests; a token the service stops accepting (401) is replaced once, and the call succeeds', async () => {
  graph.control.resetStats();
  const { store } = await connectTestSite(graph);
  for (let i = 0; i < 10; i++) await store.questions.insert(question(`q${i}`));
  expect(graph.control.stats().tokenRequests).toBe(1);

  graph.control.expireTokens();
  expect((await store.questions.list()).map((q) => q.value.id)).toHaveLength(10);
  expect(graph.control.stats().tokenRequests).toBe(2);
  await store.close();
});
