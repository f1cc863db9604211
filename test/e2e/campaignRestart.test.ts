/**
 * A campaign to a couple of thousand generated recipients, over real HTTP through the local channel:
 * the service stops in the middle of the send and starts again on the same store (the shared sender's
 * restart support); every recipient gets the campaign's card exactly once, and the figures say so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEAMS_RATE_RULES } from '../../bot/delivery/limits';
import { person, root, sample, startApp } from '../support/app';
import { ADAPTIVE_CARD_CONTENT_TYPE, type ChannelUser, makeUser } from '../support/channel';

const RECIPIENTS = 2_000;
const tenantId = sample.organisation.tenantId;
const malin = person('Malin Forsberg');

/** The sample organisation with a unit of generated people (none of whom has ever opened the app). */
function organisation(dir: string): ChannelUser[] {
  const data = JSON.parse(fs.readFileSync(path.join(root, 'content/organisation.json'), 'utf8')) as {
    units: Record<string, unknown>[];
    people: Record<string, unknown>[];
  };
  const manager = data.people.find((p) => p.name === 'Per Åkesson')?.id;
  data.units.push({
    id: 'u-bemanning',
    name: 'Bemanningsenheten',
    kind: 'unit',
    parentId: 'u-hsf',
    managerId: manager,
  });
  const users = Array.from({ length: RECIPIENTS }, (_, i) => makeUser(`Vikarie ${i}`, { tenantId }));
  for (const u of users)
    data.people.push({
      id: u.aadObjectId,
      name: u.name,
      unitId: 'u-bemanning',
      roles: ['employee'],
      locale: 'sv-SE',
    });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'organisation.json'), JSON.stringify(data));
  return users;
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('when the service stops mid-send to 2,000 people and starts again, then each gets the card exactly once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-campaign-restart-'));
  const users = organisation(path.join(dir, 'content'));
  fs.cpSync(path.join(root, 'content/review'), path.join(dir, 'content/review'), { recursive: true });
  const env = {
    VARN_CONTENT_DIR: path.join(dir, 'content'),
    VARN_KNOWLEDGE_DIR: path.join(root, 'content/documents'),
    VARN_DATA_DIR: path.join(dir, 'data'),
    VARN_SCHEDULER_POLL_SECONDS: '1',
  };
  const dbFile = path.join(dir, 'varn.sqlite');
  // Teams' per-conversation rules, and 200 requests a second for the app so that the test is short
  const sender = {
    rules: [
      ...TEAMS_RATE_RULES.filter((r) => r.scope !== 'app'),
      { scope: 'app' as const, windowMs: 1_000, max: 200 },
    ],
  };
  const first = await startApp(env, { dbFile, sender });
  const { channel } = first;
  try {
    for (const u of users) channel.addUser(u);
    await channel.installBot(malin, { events: ['installationUpdate'] });
    const execute = async (data: Record<string, unknown>, verb = 'campaigns.compose') => {
      const response = await channel.execute(malin, verb, data);
      expect(response.status).toBe(200);
      return JSON.stringify(response.body);
    };
    await execute({
      campaignId: '',
      step: 'content',
      goto: 'response',
      title: 'Välkommen som vikarie',
      text: 'Läs **säkerhetspolicyn** innan första passet.',
    });
    const [draft] = await first.app.store.campaigns.find({ createdBy: malin.aadObjectId });
    const campaignId = draft?.value.id ?? '';
    expect(
      await execute({
        campaignId,
        step: 'audience',
        goto: 'preview',
        audienceKind: 'units',
        units: 'u-bemanning',
        subUnits: 'false',
      }),
    ).toContain('2000 personer');
    expect(await execute({ campaignId }, 'campaigns.send')).toContain(
      'Kampanjen skickas nu till 2000 personer',
    );

    const cardsTo = (u: ChannelUser) =>
      channel
        .activities(channel.conversationFor(u).id)
        .filter((a) =>
          JSON.stringify(
            a.attachments?.find((x) => x.contentType === ADAPTIVE_CARD_CONTENT_TYPE)?.content,
          ).includes('Välkommen som vikarie'),
        ).length;
    await until('a few hundred cards', async () => (await first.app.sender.progress(campaignId)).sent >= 300);
    await first.app.close();
    // stopped in the middle: some have their card, many do not yet
    const reachedBeforeRestart = users.filter((u) => cardsTo(u) > 0).length;
    expect(reachedBeforeRestart).toBeGreaterThanOrEqual(300);
    expect(reachedBeforeRestart).toBeLessThan(RECIPIENTS);

    const second = await startApp(env, { dbFile, sender, channel });
    try {
      await until('every card', async () => (await second.app.sender.progress(campaignId)).queued === 0);
      expect(await second.app.sender.progress(campaignId)).toEqual({
        queued: 0,
        sent: RECIPIENTS,
        failed: 0,
        cancelled: 0,
        skipped: 0,
      });
      const counts = users.map(cardsTo);
      expect(counts.filter((n) => n !== 1)).toEqual([]);
      const { figures } = await second.app.campaigns.figures(malin.aadObjectId, campaignId);
      expect(figures.total).toMatchObject({
        targeted: RECIPIENTS,
        delivered: RECIPIENTS,
        failed: 0,
        pending: 0,
      });
      expect(figures.units.map((u) => [u.unitId, u.delivered])).toEqual([['u-bemanning', RECIPIENTS]]);
    } finally {
      await second.close();
    }
  } finally {
    await channel.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
