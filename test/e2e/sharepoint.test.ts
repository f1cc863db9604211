/**
 * The whole app on SharePoint: configured by environment like a deployment, started against the
 * local Graph endpoint (msal-node through its token service), provisioning at start, knowledge
 * imported from the site's document library, an employee's question escalated and answered over
 * the local Teams channel, every record in the site's lists. A restart reads nothing again.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type App, createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { publishAnnualReport } from '../../bot/features/annualReport/service';
import { createLogger } from '../../bot/platform/logger';
import { person, root, sample } from '../support/app';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type Channel,
  type ChannelActivity,
  startChannel,
} from '../support/channel';
import { type LocalGraph, type SiteInfo, startGraph } from '../support/graph';
import { sharePointEnv } from '../support/sharepoint';
import { reportInput } from '../unit/reports/fixture';

const johanna = person('Johanna Persson');
const erik = person('Erik Nordlund');
const sara = person('Sara Lindahl');
const malin = person('Malin Forsberg');

const cardText = (activity: ChannelActivity) =>
  JSON.stringify(activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content);

let graph: LocalGraph;
let site: SiteInfo;
let dataDir: string;

beforeAll(async () => {
  graph = await startGraph();
  site = graph.control.createSite({ path: '/sites/sakerhet' });
  for (const file of fs
    .readdirSync(path.join(root, 'content/documents'))
    .filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    graph.control.putFile(
      site.id,
      `/Styrande dokument/${file}`,
      fs.readFileSync(path.join(root, 'content/documents', file)),
    );
  }
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-e2e-sp-'));
});
afterAll(async () => graph.close());

const config = (over: Record<string, string> = {}) =>
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    VARN_CONTENT_DIR: path.join(root, 'content'),
    VARN_DATA_DIR: dataDir,
    VARN_SHAREPOINT_PROVISION: 'true',
    ...sharePointEnv(graph, site),
    ...over,
  });

async function start(
  over: Record<string, string> = {},
): Promise<{ app: App; channel: Channel; close(): Promise<void> }> {
  const app = await createApp(config(over), {
    log: createLogger('silent'),
    graph: { networkClient: graph.msalNetworkClient },
  });
  const port = await app.listen();
  const channel = await startChannel({
    botUrl: `http://127.0.0.1:${port}/api/messages`,
    tenantId: sample.organisation.tenantId,
  });
  return {
    app,
    channel,
    close: async () => {
      await channel.close();
      await app.close();
    },
  };
}

test('an employee asks, escalates, the security function answers: the answer quotes the library, the records are in the lists', async () => {
  const { app, channel, close } = await start();
  try {
    for (const member of [erik, sara, malin]) await channel.installBot(member);
    const mark = channel.mark();
    await channel.say(johanna, 'Vad ska jag göra om jag ser en brist i säkerheten?');
    const reply = await channel.waitFor((a) => a.conversation?.id === channel.conversationFor(johanna).id, {
      since: mark,
    });
    expect(cardText(reply)).toMatch(/närmaste chef/);
    // the link opens the document in the library
    expect(cardText(reply)).toContain(
      `${site.webUrl}/Shared%20Documents/Styrande%20dokument/sakerhetspolicy-region-norrviken.md`,
    );

    const escalate = JSON.parse(cardText(reply)).actions.find(
      (a: { verb?: string }) => a.verb === 'questions.escalate',
    );
    const questionId = String(escalate.data.questionId);
    await channel.execute(johanna, 'questions.escalate', escalate.data, { replyToId: reply.id });
    const answered = await channel.execute(erik, 'questions.answer', {
      questionId,
      answer: 'Säg till din chef samma dag.',
      keep: 'false',
    });
    expect(JSON.stringify(answered.body)).toContain('Besvarad av Erik Nordlund');

    const questions = graph.control.readList(site.id, 'VarnQuestions').items;
    const stored = questions.find((i) => i.fields.VarnId === questionId);
    expect(stored?.fields.VarnStatus).toBe('answered');
    expect(JSON.parse(String(stored?.fields.VarnRecord)).answer).toBe('Säg till din chef samma dag.');
    const audit = graph.control
      .readList(site.id, 'VarnAuditEvents')
      .items.filter((i) => i.fields.VarnRecordId === questionId);
    expect(audit.map((i) => JSON.parse(String(i.fields.VarnRecord)).action)).toEqual(['escalate', 'answer']);
    expect(
      await (
        await fetch(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/healthz`)
      ).json(),
    ).toEqual(expect.objectContaining({ store: 'sharepoint' }));
  } finally {
    await close();
  }
}, 120_000);

test('the säkerhetsbokslut is kept in the library with its metadata in the columns, linked to SharePoint; the next start does not import it as a governing document', async () => {
  const { app, close } = await start();
  let link: string;
  try {
    const published = await publishAnnualReport(app.documents, reportInput(), 'sv');
    link = published.docx.link;
    expect(link).toBe(
      `${site.webUrl}/Shared%20Documents/S%C3%A4kerhetsbokslut/2026/sakerhetsbokslut-2026.docx`,
    );
    const files = graph.control
      .readFiles(site.id)
      .filter((f) => f.path.startsWith('/Säkerhetsbokslut/2026/'));
    expect(files.map((f) => [f.path, f.fields.VarnKind, f.fields.VarnYear])).toEqual(
      expect.arrayContaining([
        ['/Säkerhetsbokslut/2026/sakerhetsbokslut-2026.docx', 'annualReport', '2026'],
        ['/Säkerhetsbokslut/2026/sakerhetsbokslut-2026.csv', 'annualReport', '2026'],
      ]),
    );
    // the library's link is the way in, under SharePoint's permissions: the service serves no library file itself
    const port = (app.server.address() as { port: number }).port;
    const response = await fetch(
      `http://127.0.0.1:${port}/files/${published.docx.id}/sakerhetsbokslut-2026.docx`,
    );
    expect(response.status).toBe(404);
  } finally {
    await close();
  }
  graph.control.resetStats();
  const again = await start();
  const titles = (await again.app.store.documents.list()).map((d) => d.value.fileName);
  await again.close();
  expect(titles).not.toContain('sakerhetsbokslut-2026.docx');
  expect(graph.control.stats().byKind.download ?? 0).toBe(0);
}, 120_000);

test('a restart re-imports nothing unchanged and downloads nothing; a changed document is read again', async () => {
  graph.control.resetStats();
  const again = await start();
  const passages = again.app.knowledge.passageCount;
  await again.close();
  expect(graph.control.stats().byKind.download ?? 0).toBe(0);
  expect(passages).toBeGreaterThan(0);

  graph.control.putFile(
    site.id,
    '/Styrande dokument/rutin-ny.md',
    '# Rutin för besök\n\n## 1 Besök\n\nBesökare ska alltid hämtas i receptionen.\n',
  );
  graph.control.resetStats();
  const third = await start();
  await third.close();
  expect(graph.control.stats().byKind.download).toBe(1);
});

test('a wrong site stops the start with a message naming the setting', async () => {
  await expect(start({ VARN_SHAREPOINT_SITE: 'contoso.sharepoint.com:/sites/finns-inte' })).rejects.toThrow(
    /VARN_SHAREPOINT_SITE: the site "contoso.sharepoint.com:\/sites\/finns-inte" was not found/,
  );
});

test('the service itself, when it cannot start on SharePoint, prints one message and exits 78 (configuration), without a stack', async () => {
  const env = {
    ...process.env,
    ...sharePointEnv(graph, site),
    PORT: '0',
    LOG_LEVEL: 'silent',
    VARN_DATA_DIR: dataDir,
  };
  // another process cannot use the endpoint's mapping of its https authority, so the sign-in fails: a StartupError,
  // the same path a 403 or a 404 from Graph takes (those are shown above through createApp)
  const child = spawn(process.execPath, [path.join(root, 'dist/bot/main.js')], { env, cwd: root });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(78);
  expect(stderr).toMatch(/^Värn cannot start: VARN_GRAPH_CLIENT_ID/);
  expect(stderr).not.toMatch(/\n\s+at /);
}, 60_000);
