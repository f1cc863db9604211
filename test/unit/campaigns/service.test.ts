/**
 * The campaign service's jobs against the store (SQLite in memory), the shared sender and scheduler,
 * and a messenger that records what it is asked to send: a job that runs again after a crash sends
 * nothing twice.
 */

import fs from 'node:fs';
import path from 'node:path';
import { collections } from '../../../bot/collections';
import { CampaignService } from '../../../bot/features/campaigns/service';
import { DeliveryService } from '../../../bot/platform/delivery/service';
import { createLogger } from '../../../bot/platform/logger';
import type { Messenger, SentMessage } from '../../../bot/platform/messaging';
import { FileDirectory } from '../../../bot/platform/org/fileDirectory';
import { organisationFileSchema } from '../../../bot/platform/org/model';
import { JobScheduler } from '../../../bot/platform/schedule/service';
import { openSqliteStore } from '../../../bot/platform/store/sqlite';
import { validateCard } from '../../support/cards';

const org = organisationFileSchema.parse(
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../content/organisation.json'), 'utf8')),
);
const chief = org.people.find((p) => p.roles.includes('securityChief'))?.id ?? '';

const running: DeliveryService[] = [];
afterEach(async () => {
  for (const sender of running.splice(0)) await sender.stop();
});

function setup() {
  let now = new Date('2026-11-23T08:00:00Z');
  const clock = () => now;
  const sent: { personId: string; card: object }[] = [];
  const messenger: Messenger = {
    sendCard: async (personId, card): Promise<SentMessage> => {
      sent.push({ personId, card });
      return { personId, conversationId: `a:${personId}`, activityId: String(sent.length) };
    },
    updateCard: async () => undefined,
  };
  const store = openSqliteStore(':memory:', collections);
  const log = createLogger('silent');
  const directory = new FileDirectory(org);
  const sender = new DeliveryService({
    store,
    messenger,
    conversations: { has: async () => true, open: async () => undefined },
    installer: { ensureInstalled: async () => ({ installed: true, now: false }) },
    directory,
    log,
    clock,
  });
  const scheduler = new JobScheduler({ store, log, clock });
  const service = new CampaignService({
    store,
    directory,
    sender,
    scheduler,
    clock,
    log,
    teamsIdOf: async () => undefined,
  });
  service.register();
  sender.start();
  running.push(sender);
  return { store, sender, scheduler, service, sent, setNow: (iso: string) => (now = new Date(iso)) };
}

const content = {
  title: 'Phishing',
  text: 'Klicka inte på länkar i oväntade mejl.',
  requiresAcknowledgement: true,
  audience: { kind: 'units' as const, unitIds: ['u-it'], includeSubUnits: true },
  reminderAt: ['2026-11-25T08:00:00.000Z'],
  closeAt: '2026-12-01T08:00:00.000Z',
};

test('a dispatch job that runs twice records each recipient once and sends each one message', async () => {
  const { store, sender, service, sent } = setup();
  const { campaign } = await service.create(chief, content);
  const id = campaign?.id ?? '';
  await service.send(chief, id);
  // sending schedules the fan-out as a job; nothing is handed to the sender in the author's turn
  expect(await sender.deliveries(id)).toEqual([]);
  await service.dispatch(id);
  await sender.idle();
  // the job is run again, as after a crash between handing over and marking it done
  await service.dispatch(id);
  await sender.idle();
  expect(await store.campaignRecipients.find({ campaignId: id })).toHaveLength(5);
  expect(sent.map((s) => s.personId).sort()).toEqual([...new Set(sent.map((s) => s.personId))].sort());
  expect(sent).toHaveLength(5);
  for (const { card } of sent) expect(validateCard(card)).toEqual([]);
  const audit = await store.auditEvents.find({ recordId: id });
  expect(audit.map((e) => e.action)).toEqual(['create', 'send', 'dispatch']);
});

test('a reminder job that runs twice reminds each person once; a cancelled campaign sends nothing more', async () => {
  const { store, sender, service, sent, scheduler, setNow } = setup();
  const { campaign } = await service.create(chief, content);
  const id = campaign?.id ?? '';
  await service.send(chief, id);
  await scheduler.runDue();
  await sender.idle();
  const oskar = org.people.find((p) => p.name === 'Oskar Blom')?.id ?? '';
  await service.acknowledge(oskar, 'sv', id);
  setNow('2026-11-25T08:00:00Z');
  await scheduler.runDue();
  await service.remind(id, 0);
  await sender.idle();
  const reminders = (await sender.deliveries(id)).filter((d) => d.kind === 'campaign.reminder');
  expect(reminders).toHaveLength(4);
  expect(reminders.map((d) => d.personId)).not.toContain(oskar);
  expect(sent).toHaveLength(9);

  await service.cancel(chief, id);
  await service.remind(id, 1);
  await service.dispatch(id);
  await sender.idle();
  expect(sent).toHaveLength(9);
  expect((await store.jobs.get(`campaign:${id}:close`))?.value.status).toBe('cancelled');
});

test('a campaign whose audience is empty when its time comes is not sent, and says why', async () => {
  const { store, service, sent, scheduler, setNow } = setup();
  const { campaign } = await service.create(chief, {
    ...content,
    sendAt: '2026-11-24T08:00:00.000Z',
    reminderAt: [],
    closeAt: undefined,
  });
  const id = campaign?.id ?? '';
  await service.send(chief, id);
  // the unit is emptied in the meantime: here, the campaign is edited in the store as a directory change would leave it
  const stored = await store.campaigns.get(id);
  if (!stored) throw new Error('missing');
  await store.campaigns.update(
    { ...stored.value, audience: { kind: 'groups', groupIds: ['g-nya-skyddsombud'] } },
    stored.version,
  );
  setNow('2026-11-24T08:00:00Z');
  await scheduler.runDue();
  expect((await store.campaigns.get(id))?.value.status).toBe('cancelled');
  expect(sent).toHaveLength(0);
  const audit = await store.auditEvents.find({ recordId: id });
  expect(audit.at(-1)).toMatchObject({
    action: 'cancel',
    actorId: 'system',
    comment: 'empty audience at send time',
  });
});
