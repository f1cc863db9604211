/**
 * The app in tenant mode with its directory in Entra ID (VARN_DIRECTORY=graph) and the app installed through Graph
 * (VARN_TEAMS_APP_CATALOG_ID), over real HTTP: the local Graph endpoint plays Microsoft Graph, the local channel
 * plays Teams. People who never talked to the bot get the app installed before their 1:1 chat is opened; someone
 * the app permission policy blocks is recorded as not installed, without a call to Teams.
 */
import type { App } from '../../bot/app';
import { person, type Running, sample, startApp } from '../support/app';
import { type LocalGraph, startGraph } from '../support/graph';
import { sharePointEnv } from '../support/sharepoint';

const KIND = 'test.graphNotice';
const APP = 'bbbbbbbb-0000-4000-8000-00000000a001';
const CHIEFS = 'aaaaaaaa-0000-4000-8000-00000000c001';
const johanna = person('Johanna Persson');
const erik = person('Erik Nordlund');
const sara = person('Sara Lindahl');
const guestId = 'dddddddd-0000-4000-8000-000000000001';

let graph: LocalGraph;
let running: Running;

beforeAll(async () => {
  graph = await startGraph({ tenantId: sample.organisation.tenantId });
  graph.control.seedDirectory({
    users: [
      { id: johanna.aadObjectId, displayName: 'Johanna Persson', department: 'Ledning' },
      {
        id: erik.aadObjectId,
        displayName: 'Erik Nordlund',
        department: 'IT',
        managerId: johanna.aadObjectId,
      },
      { id: sara.aadObjectId, displayName: 'Sara Lindahl', department: 'IT', managerId: erik.aadObjectId },
      { id: guestId, displayName: 'Greta Gäst', userType: 'Guest', managerId: erik.aadObjectId },
    ],
    groups: [{ id: CHIEFS, displayName: 'Säkerhetschefer', members: [johanna.aadObjectId] }],
    catalogApps: [APP],
  });
  graph.control.blockApp(sara.aadObjectId, APP);
  running = await startApp(
    {
      ...sharePointEnv(graph, { byPath: 'contoso.sharepoint.com:/sites/sakerhet' }),
      VARN_DIRECTORY: 'graph',
      VARN_DIRECTORY_ROLE_GROUPS: `securityChief=${CHIEFS}`,
      VARN_TEAMS_APP_CATALOG_ID: APP,
    },
    {
      graph: { networkClient: graph.msalNetworkClient },
      setup: (app: App) =>
        app.sender.register(KIND, {
          render: async (recordId, personId) => ({
            type: 'AdaptiveCard',
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            version: '1.5',
            body: [{ type: 'TextBlock', text: `Notice ${recordId} for ${personId}`, wrap: true }],
          }),
        }),
    },
  );
}, 60_000);
afterAll(async () => {
  await running?.close();
  await graph?.close();
});

test('the directory is read from Entra ID: members only, roles from the configured group, managers from Graph', async () => {
  const { app } = running;
  // the app's directory is Entra ID's, seen through the one-language-per-person choice (platform/teams/locales.ts):
  // the people below are the Graph endpoint's, not the organisation file's
  expect((await app.directory.everyone()).map((p) => p.name).sort()).toEqual([
    'Erik Nordlund',
    'Johanna Persson',
    'Sara Lindahl',
  ]);
  expect((await app.directory.withRole('securityChief')).map((p) => p.id)).toEqual([johanna.aadObjectId]);
  expect((await app.directory.managerOf(sara.aadObjectId))?.name).toBe('Erik Nordlund');
});

test('people who never talked to the bot get the app installed through Graph; a blocked person is recorded, not messaged', async () => {
  const { app, channel } = running;
  // the chief has opened the bot (which teaches the app its tenant's Teams service URL); the others never did
  await channel.installBot(johanna);
  for (const u of [erik, sara]) channel.addUser(u); // known to Teams, never wrote to the bot
  const before = [erik, sara].map((u) => channel.messagesTo(u));
  await app.sender.enqueue(
    'b-graph',
    [erik, sara].map((u) => ({
      key: `b-graph:${u.aadObjectId}`,
      personId: u.aadObjectId,
      kind: KIND,
      recordId: 'r1',
    })),
  );
  await app.sender.idle();

  const deliveries = new Map((await app.sender.deliveries('b-graph')).map((d) => [d.personId, d]));
  expect(deliveries.get(erik.aadObjectId)).toMatchObject({ status: 'sent', reachedBy: 'installed' });
  expect(graph.control.installedApps(erik.aadObjectId)).toEqual([APP]);
  expect(deliveries.get(sara.aadObjectId)).toMatchObject({
    status: 'failed',
    failure: { reason: 'notInstalled', detail: expect.stringContaining('403') },
  });
  expect([erik, sara].map((u, i) => channel.messagesTo(u) - (before[i] as number))).toEqual([1, 0]);
});
