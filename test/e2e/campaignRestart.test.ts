/**
 * A campaign to a couple of thousand generated recipients, over real HTTP through the local channel:
 * the service stops in the middle of the send and starts again on the same store (the shared sender's
 * restart support); every recipient gets the campaign's card exactly once, and the figures say so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEAMS_RATE_RULES } from '../../bot/platform/delivery/limits';
import { person, root, startApp } from '../support/app';
import { ADAPTIVE_CARD_CONTENT_TYPE, type ChannelUser } from '../support/channel';
import { GENERATED_UNIT, generatedOrganisation, until } from '../support/generated';

const RECIPIENTS = 2_000;
const malin = person('Malin Forsberg');

test('when the service stops mid-send to 2,000 people and starts again, then each gets the card exactly once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'varn-campaign-restart-'));
  const users = generatedOrganisation(path.join(dir, 'content'), RECIPIENTS);
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
        units: GENERATED_UNIT,
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
      expect(figures.units.map((u) => [u.unitId, u.delivered])).toEqual([[GENERATED_UNIT, RECIPIENTS]]);
    } finally {
      await second.close();
    }
  } finally {
    await channel.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
