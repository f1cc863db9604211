/** The campaign rules as plain functions: no store, no HTTP. */
import fs from 'node:fs';
import path from 'node:path';
import { figuresCsv } from '../../../bot/features/campaigns/csv';
import type { Campaign, CampaignContent, CampaignRecipient } from '../../../bot/features/campaigns/model';
import { AUTHOR_GRANT, campaignPolicy } from '../../../bot/features/campaigns/policy';
import {
  computeFigures,
  needsReminder,
  resolveAudience,
  scoreQuiz,
  type ValidationContext,
  validateContent,
} from '../../../bot/features/campaigns/rules';
import type { Delivery } from '../../../bot/platform/delivery/port';
import { unitsOfManager } from '../../../bot/platform/org/actor';
import { FileDirectory } from '../../../bot/platform/org/fileDirectory';
import { organisationFileSchema } from '../../../bot/platform/org/model';
import { instantToStockholm, stockholmToInstant } from '../../../bot/platform/time';
import { actorOf } from '../../support/actor';

const org = organisationFileSchema.parse(
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../content/organisation.json'), 'utf8')),
);
const id = (name: string) => org.people.find((p) => p.name === name)?.id ?? '';

const now = new Date('2026-11-23T08:00:00Z');
const context: ValidationContext = {
  now,
  cardBytes: 4000,
  unitIds: new Set(org.units.map((u) => u.id)),
  groupIds: new Set(org.groups.map((g) => g.id)),
};
const content = (over: Partial<CampaignContent> = {}): CampaignContent => ({
  title: 'Lösenord',
  text: 'Byt **lösenord** var tredje månad.',
  requiresAcknowledgement: true,
  audience: { kind: 'everyone' },
  reminderAt: [],
  ...over,
});
const keys = (c: CampaignContent, ctx: ValidationContext = context) =>
  validateContent(c, ctx).map((p) => p.key);
const quiz = (correct: (number | undefined)[], passMark = correct.length) => ({
  questions: correct.map((c, i) => ({
    text: `Fråga ${i + 1}`,
    options: ['A', 'B', 'C'],
    correct: c,
    explanation: '',
  })),
  passMark,
});

describe('validation', () => {
  test('a complete campaign has no problems', () => {
    expect(
      keys(
        content({
          quiz: quiz([0, 2]),
          sendAt: '2026-11-24T08:00:00Z',
          reminderAt: ['2026-11-26T08:00:00Z'],
          closeAt: '2026-12-01T08:00:00Z',
        }),
      ),
    ).toEqual([]);
  });
  test('a quiz question without a correct answer, or with one outside its options, is named', () => {
    const problems = validateContent(content({ quiz: quiz([0, undefined, 7]) }), context);
    expect(problems.map((p) => [p.key, p.params?.n])).toEqual([
      ['campaign.error.noCorrectAnswer', 2],
      ['campaign.error.noCorrectAnswer', 3],
    ]);
  });
  test('a quiz has 2–5 questions and a pass mark within them', () => {
    expect(keys(content({ quiz: quiz([0]) }))).toContain('campaign.error.quizCount');
    expect(keys(content({ quiz: quiz([0, 1, 2, 0, 1, 2]) }))).toContain('campaign.error.quizCount');
    expect(keys(content({ quiz: quiz([0, 1], 3) }))).toEqual(['campaign.error.passMark']);
    expect(keys(content({ quiz: quiz([0, 1], Number.NaN) }))).toEqual(['campaign.error.passMark']);
  });
  test('a send time in the past, a close before the send, a reminder outside them', () => {
    expect(keys(content({ sendAt: '2026-11-23T07:59:00Z' }))).toEqual(['campaign.error.sendInPast']);
    expect(keys(content({ sendAt: '2026-11-24T08:00:00Z', closeAt: '2026-11-24T07:00:00Z' }))).toEqual([
      'campaign.error.closeBeforeSend',
    ]);
    expect(keys(content({ sendAt: '2026-11-24T08:00:00Z', reminderAt: ['2026-11-24T07:00:00Z'] }))).toEqual([
      'campaign.error.reminderOutside',
    ]);
    expect(keys(content({ sendAt: 'unreadable' }))).toEqual(['campaign.error.badTime']);
    expect(keys(content({ requiresAcknowledgement: false, reminderAt: ['2026-11-24T08:00:00Z'] }))).toEqual([
      'campaign.error.reminderWithoutResponse',
    ]);
  });
  test('a card over 80 KB, an empty text, Markdown a card cannot show', () => {
    expect(keys(content(), { ...context, cardBytes: 81 * 1024 })).toEqual(['campaign.error.tooLarge']);
    expect(keys(content({ text: '  ' }))).toEqual(['campaign.error.textRequired']);
    const what = (text: string) => validateContent(content({ text }), context).map((p) => p.params?.what);
    expect(what('## Rubrik')).toEqual(['campaign.markdown.heading']);
    expect(what('![bild](https://x/y.png)')).toEqual(['campaign.markdown.image']);
    expect(what('| a | b |')).toEqual(['campaign.markdown.table']);
    expect(what('<b>fet</b>')).toEqual(['campaign.markdown.html']);
    expect(what('- lista\n1. numrerad\n[länk](https://example.org) _kursiv_')).toEqual([]);
  });
  test('an audience naming no unit or group, or one that does not exist', () => {
    expect(keys(content({ audience: { kind: 'units', unitIds: [], includeSubUnits: true } }))).toEqual([
      'campaign.error.noUnits',
    ]);
    expect(
      keys(content({ audience: { kind: 'units', unitIds: ['u-finns-inte'], includeSubUnits: true } })),
    ).toEqual(['campaign.error.unknownUnit']);
    expect(keys(content({ audience: { kind: 'groups', groupIds: [] } }))).toEqual([
      'campaign.error.noGroups',
    ]);
    expect(keys(content({ imageUrl: 'javascript:alert(1)' }))).toEqual(['campaign.error.imageUrl']);
  });
  test('image and document links are https to a public host; http, this machine and link-local addresses are refused', () => {
    for (const url of [
      'http://intranat.norrviken.se/bild.png',
      'http://169.254.169.254/latest/meta-data/',
      'https://169.254.169.254/latest/meta-data/',
      'https://127.0.0.1/bild.png',
      'https://localhost/bild.png',
      'https://[::1]/bild.png',
      'https://[fe80::1]/bild.png',
      'https://192.168.1.10/bild.png',
      'https://user:secret@intranat.norrviken.se/bild.png',
    ]) {
      expect([url, keys(content({ imageUrl: url, documentUrl: url }))]).toEqual([
        url,
        ['campaign.error.imageUrl', 'campaign.error.documentUrl'],
      ]);
    }
    expect(
      keys(
        content({
          imageUrl: 'https://intranat.norrviken.se/bild.png',
          documentUrl: 'https://norrviken.sharepoint.com/sites/sakerhet/policy.docx',
        }),
      ),
    ).toEqual([]);
  });
});

describe('audience resolution', () => {
  const directory = new FileDirectory(org);
  const snapshot = async (groupIds: string[] = []) => ({
    units: org.units,
    people: org.people,
    groupMembers: new Map(
      await Promise.all(groupIds.map(async (g) => [g, await directory.groupMembers(g)] as const)),
    ),
  });
  test('everyone is every person once', async () => {
    expect(resolveAudience({ kind: 'everyone' }, await snapshot())).toHaveLength(org.people.length);
  });
  test('a unit with or without its sub-units', async () => {
    const names = async (includeSubUnits: boolean) =>
      resolveAudience({ kind: 'units', unitIds: ['u-it'], includeSubUnits }, await snapshot()).map(
        (p) => p.name,
      );
    expect(await names(false)).toEqual(['Fredrik Nyberg', 'Linnea Hedlund']);
    expect(await names(true)).toEqual([
      'Fredrik Nyberg',
      'Linnea Hedlund',
      'Oskar Blom',
      'Ali Karimi',
      'Emma Lundgren',
    ]);
  });
  test('groups through nested groups, each person once', async () => {
    const people = resolveAudience(
      { kind: 'groups', groupIds: ['g-sakerhetsnatverket', 'g-informationssakerhetsombud'] },
      await snapshot(['g-sakerhetsnatverket', 'g-informationssakerhetsombud']),
    );
    expect(people).toHaveLength(8);
    expect(new Set(people.map((p) => p.id)).size).toBe(8);
    expect(people.map((p) => p.name)).toContain('Camilla Westerberg'); // through the nested group
    expect(
      resolveAudience(
        { kind: 'groups', groupIds: ['g-nya-skyddsombud'] },
        await snapshot(['g-nya-skyddsombud']),
      ),
    ).toEqual([]);
  });
  test('managers only', async () => {
    const managers = resolveAudience({ kind: 'managers' }, await snapshot());
    expect(managers).toHaveLength(org.units.length);
    expect(managers.map((p) => p.name)).not.toContain('Johanna Persson');
  });
  test("a manager's units are the ones they manage and everything below", () => {
    expect([...unitsOfManager(id('Thomas Engström'), org.units)].sort()).toEqual([
      'u-fastighet',
      'u-it',
      'u-it-drift',
      'u-regionservice',
    ]);
    expect(unitsOfManager(id('Johanna Persson'), org.units).size).toBe(0);
  });
});

test('quiz scoring counts right answers against the pass mark', () => {
  expect(scoreQuiz(quiz([0, 2, 1], 2), [0, 2, 0])).toEqual({ score: 2, passed: true });
  expect(scoreQuiz(quiz([0, 2, 1], 2), [1, null, 1])).toEqual({ score: 1, passed: false });
});

describe('figures and reminders', () => {
  const campaign = { requiresAcknowledgement: true, quiz: quiz([0, 1]) };
  const recipient = (
    name: string,
    unitId: string,
    over: Partial<CampaignRecipient> = {},
  ): CampaignRecipient => ({
    id: `c:${id(name)}`,
    campaignId: 'c',
    personId: id(name),
    unitId,
    ...over,
  });
  const delivery = (name: string, status: Delivery['status'], over: Partial<Delivery> = {}): Delivery => ({
    id: name,
    key: name,
    batchId: 'c',
    personId: id(name),
    kind: 'campaign',
    recordId: 'c',
    status,
    attempts: 1,
    notBefore: '',
    createdAt: '',
    ...(status === 'sent' ? { sentAt: '2026-11-23T08:00:00Z' } : {}),
    ...over,
  });
  const recipients = [
    recipient('Johanna Persson', 'u-akutmottagningen', { acknowledgedAt: '2026-11-23T09:00:00Z' }),
    recipient('Ahmed Hassan', 'u-akutmottagningen', {
      acknowledgedAt: '2026-11-24T22:30:00Z', // 23:30 in Stockholm: still the 24th
      quiz: { answers: [0, 1], score: 2, passed: true, answeredAt: '2026-11-24T23:30:00Z' }, // 00:30 on the 25th
    }),
    recipient('James Whitfield', 'u-akutmottagningen'),
    recipient('Maria Öberg', 'u-vc-bjorkhamn'),
    recipient('Elin Sundberg', 'u-medicinkliniken'),
  ];
  const deliveries = [
    delivery('Johanna Persson', 'sent'),
    delivery('Ahmed Hassan', 'sent'),
    delivery('James Whitfield', 'failed', { failure: { reason: 'blocked', detail: '403' } }),
    delivery('Maria Öberg', 'failed', { failure: { reason: 'noConversation', detail: '' } }),
    delivery('Elin Sundberg', 'cancelled'),
  ];

  test('per campaign and per unit, with failure reasons and the pass rate', () => {
    const figures = computeFigures(recipients, deliveries, org.units);
    expect(figures.total).toMatchObject({
      targeted: 5,
      delivered: 2,
      failed: 2,
      notSent: 1,
      acknowledged: 2,
      quizAnswered: 1,
      quizPassed: 1,
      passRate: 1,
    });
    expect(figures.units.map((u) => [u.unitId, u.targeted, u.delivered, u.failed])).toEqual([
      ['u-akutmottagningen', 3, 2, 1],
      ['u-medicinkliniken', 1, 0, 0],
      ['u-vc-bjorkhamn', 1, 0, 1],
    ]);
    expect(figures.units[0]?.failedBy.blocked).toBe(1);
    expect(figures.overTime).toEqual([
      { day: '2026-11-23', delivered: 2, acknowledged: 1, quizAnswered: 0 },
      { day: '2026-11-24', delivered: 2, acknowledged: 2, quizAnswered: 0 },
      { day: '2026-11-25', delivered: 2, acknowledged: 2, quizAnswered: 1 },
    ]);
  });

  test('reminders go to those whose message arrived and who have not done what it asks', () => {
    expect(needsReminder(campaign, recipients, deliveries)).toEqual([id('Johanna Persson')]);
    expect(needsReminder({ requiresAcknowledgement: true }, recipients, deliveries)).toEqual([]);
  });

  test('the CSV is RFC 4180 with a BOM, one row per unit and a total', () => {
    const bytes = figuresCsv(
      'en',
      computeFigures(recipients, deliveries, [
        ...org.units,
        { id: 'u-x', name: 'Unit, "quoted"\nname', kind: 'unit', parentId: null, managerId: 'x' },
      ]),
    );
    const text = Buffer.from(bytes).toString('utf8');
    expect(text.startsWith('\ufeffUnit id,Unit,Audience,Delivered,')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe('u-akutmottagningen,Akutmottagningen Norrviken,3,2,0,1,1,0,0,0,0,0,2,100,1,1,100');
    expect(lines[4]).toBe(',Total,5,2,0,2,1,0,0,1,0,1,2,100,1,1,100');
    const [akut] = computeFigures(recipients.slice(0, 1), deliveries, org.units).units;
    if (!akut) throw new Error('no unit row');
    const quoted = figuresCsv('en', {
      total: computeFigures([], [], []).total,
      units: [
        {
          ...akut,
          unitName: 'Unit, "quoted"\nname',
        },
      ],
      overTime: [],
    });
    expect(Buffer.from(quoted).toString('utf8')).toContain('"Unit, ""quoted""\nname"');
  });
});

describe('policy', () => {
  const actor = (over: { id?: string; securityChief?: boolean; author?: boolean } = {}) =>
    actorOf(over.id ?? 'p', {
      roles: over.securityChief ? ['securityChief'] : ['employee'],
      grants: new Set(over.author ? [AUTHOR_GRANT] : []),
    });
  const can = (
    a: ReturnType<typeof actor>,
    ability: Parameters<typeof campaignPolicy.can>[1],
    subject?: Parameters<typeof campaignPolicy.can>[2],
  ) => campaignPolicy.can(a, ability, subject);
  test('the chief and named authors write; others do not', () => {
    for (const ability of ['compose', 'send', 'cancel', 'seeFigures'] as const) {
      expect(can(actor({ securityChief: true }), ability)).toBe(true);
      expect(can(actor({ author: true }), ability)).toBe(true);
      expect(can(actor(), ability)).toBe(false);
    }
    expect(can(actor({ author: true }), 'nameAuthors')).toBe(false);
  });
  test('a recipient responds to their own delivery only, while the campaign is out', () => {
    const campaign = { status: 'sending' } as Campaign;
    const own = { id: 'c:p', campaignId: 'c', personId: 'p', unitId: 'u' };
    expect(can(actor(), 'respond', { campaign, recipient: own })).toBe(true);
    expect(can(actor({ id: 'q' }), 'respond', { campaign, recipient: own })).toBe(false);
    expect(can(actor(), 'respond', { campaign: { ...campaign, status: 'closed' }, recipient: own })).toBe(
      false,
    );
  });
});

test('Stockholm local times to instants, across the change to summer time', () => {
  expect(stockholmToInstant('2026-11-25', '09:00')).toBe('2026-11-25T08:00:00.000Z');
  expect(stockholmToInstant('2026-06-01', '09:00')).toBe('2026-06-01T07:00:00.000Z');
  expect(stockholmToInstant('2026-03-29', '02:30')).toBeUndefined(); // does not exist
  expect(stockholmToInstant('2026-02-30', '09:00')).toBeUndefined();
  expect(stockholmToInstant('2026-11-25', '9')).toBeUndefined();
  expect(instantToStockholm('2026-11-25T08:00:00.000Z')).toEqual({ date: '2026-11-25', time: '09:00' });
});
