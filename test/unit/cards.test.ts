/**
 * Every card the bot can send, rendered from representative data, checked the way Teams' renderer
 * does (adaptivecards 1.5, 80 KB) and for the trap the Agents Playground showed: Teams validates every
 * required input an action references before it runs, and an action references the whole card's
 * inputs unless it says `associatedInputs: "none"`. So any action on a card that also holds required
 * inputs either validates only what it should or is meant to validate them; PAIRINGS names each one
 * that validates, and a new one fails here until someone decides.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as AC from 'adaptivecards/dist/adaptivecards.min.js';
import type { Campaign, CampaignRecipient } from '../../bot/features/campaigns/model';
import {
  listCard as campaignListCard,
  composeCard,
  figuresCard,
  noticeCard,
  previewCard,
  recipientCard,
  unitCard,
} from '../../bot/features/campaigns/present';
import { computeFigures } from '../../bot/features/campaigns/rules';
import { reviewCard as documentReviewCard } from '../../bot/features/governance/present';
import {
  answerCard,
  deliveredCard,
  openQuestionsCard,
  questionCard,
  undeliveredCard,
} from '../../bot/features/questions/present';
import type { Report } from '../../bot/features/reports/model';
import { type CardPurpose, formCard, reportCard } from '../../bot/features/reports/present';
import type { FollowUp } from '../../bot/features/review/followups/model';
import { followUpCard } from '../../bot/features/review/followups/present';
import { goalTemplateSchema, type ReviewCycle, type UnitReview } from '../../bot/features/review/model';
import { areaCard, deputyCard, listCard, openCard, reviewCard } from '../../bot/features/review/present';
import type { Delivery } from '../../bot/platform/delivery/port';
import type { Lang } from '../../bot/platform/i18n';
import type { Actor } from '../../bot/platform/org/actor';
import { FileDirectory } from '../../bot/platform/org/fileDirectory';
import type { Role } from '../../bot/platform/org/model';
import { helpCard } from '../../bot/platform/teams/help';
import { validateCard } from '../support/cards';
import { question as questionRecord } from '../support/records';

const root = path.resolve(__dirname, '../..');
const directory = FileDirectory.fromFile(path.join(root, 'content/organisation.json'));
const goals = goalTemplateSchema.parse(
  JSON.parse(fs.readFileSync(path.join(root, 'content/review/goals.json'), 'utf8')),
);

// --- representative records ---------------------------------------------------------------------

const chief = 'f914f698-58ac-45e8-bba5-493d50e811a2';
const manager = 'manager-1';
const head = 'head-1';
const names = (id: string) =>
  ({ [chief]: 'Malin Forsberg', [manager]: 'Lena Bergqvist', [head]: 'Per Åkesson' })[id] ?? id;

const campaign: Campaign = {
  id: '6a1c2f70-0000-4000-8000-000000000001',
  title: 'Så skyddar du patientuppgifter',
  text: 'Läs riktlinjen och svara på två frågor.',
  documentUrl: 'http://localhost:3978/documents/riktlinje.md',
  documentTitle: 'Riktlinje för informationssäkerhet',
  requiresAcknowledgement: true,
  quiz: {
    questions: [
      {
        text: 'Får du titta i en journal du inte behöver?',
        options: ['Ja', 'Nej'],
        correct: 1,
        explanation: 'Bara i vården.',
      },
      {
        text: 'Vem rapporterar du en brist till?',
        options: ['Närmaste chef', 'Ingen', 'IT'],
        correct: 0,
        explanation: '',
      },
    ],
    passMark: 2,
  },
  audience: { kind: 'everyone' },
  reminderAt: ['2026-11-25T08:00:00.000Z'],
  closeAt: '2026-11-30T16:00:00.000Z',
  status: 'draft',
  createdBy: chief,
  createdAt: '2026-11-22T09:00:00.000Z',
  updatedAt: '2026-11-22T09:00:00.000Z',
};
const sent: Campaign = {
  ...campaign,
  status: 'sending',
  dispatchedAt: '2026-11-23T08:01:00.000Z',
  targeted: 2,
};
const recipients: CampaignRecipient[] = [
  {
    id: `${sent.id}:a`,
    campaignId: sent.id,
    personId: 'a',
    unitId: 'u-akutmottagningen',
    acknowledgedAt: '2026-11-23T09:00:00.000Z',
  },
  {
    id: `${sent.id}:b`,
    campaignId: sent.id,
    personId: 'b',
    unitId: 'u-akutmottagningen',
    quiz: { answers: [1, 2], score: 1, passed: false, answeredAt: '2026-11-23T09:10:00.000Z' },
  },
];
const delivery = (personId: string, status: Delivery['status']): Delivery => ({
  id: personId,
  key: `campaign:${sent.id}:${personId}`,
  batchId: sent.id,
  personId,
  kind: 'campaigns.message',
  recordId: sent.id,
  status,
  attempts: 1,
  notBefore: '',
  createdAt: '',
  ...(status === 'failed' ? { failure: { reason: 'notInstalled' as const, detail: 'x' } } : {}),
});

const cycle: ReviewCycle = {
  id: 'cycle-2026',
  year: 2026,
  organisation: 'Region Norrviken',
  status: 'open',
  deadline: '2026-12-15',
  areas: goals.areas,
  chain: goals.chain,
  unitIds: ['u-akutmottagningen'],
  schedule: { reminderDaysBefore: [14, 3], escalationDaysAfter: [1, 7], followUpOverdueDays: [1, 8] },
  openedBy: chief,
  openedAt: '2026-11-01T08:00:00.000Z',
};
const review = (over: Partial<UnitReview>): UnitReview => ({
  id: 'cycle-2026:u-akutmottagningen',
  cycleId: cycle.id,
  unitId: 'u-akutmottagningen',
  unitName: 'Akutmottagningen Norrviken',
  managerId: manager,
  chain: [
    { role: 'headOfAdministration', personId: head },
    { role: 'securityChief', personId: chief },
  ],
  lineIds: [head],
  state: 'open',
  step: 0,
  round: 0,
  holderId: manager,
  assessments: {
    ps1: { goalId: 'ps1', rating: 'met', comment: 'Bedömt i maj.' },
    ps2: {
      goalId: 'ps2',
      rating: 'partlyMet',
      followUp: { what: 'Öva larmrutinen', ownerId: manager, due: '2027-03-01' },
    },
  },
  signOffs: [],
  updatedAt: '2026-11-20T08:00:00.000Z',
  ...over,
});
const actor = (id: string, roles: Role[], securityFunction = false): Actor => ({
  id,
  roles,
  securityFunction,
  deputyFor: [],
  managedUnits: new Set(),
  grants: new Set(),
});
const asManager = actor(manager, ['unitManager']);
const asHead = actor(head, ['headOfAdministration']);
const submitted = review({
  state: 'submitted',
  step: 0,
  round: 1,
  holderId: head,
  submittedAt: '2026-11-21T08:00:00.000Z',
});
const followUp: FollowUp = {
  id: 'cycle-2026:u-akutmottagningen:ps2',
  sourceType: 'review',
  sourceId: submitted.id,
  goalId: 'ps2',
  cycleId: cycle.id,
  unitId: 'u-akutmottagningen',
  unitName: 'Akutmottagningen Norrviken',
  goalText: 'Rutiner för larm',
  what: 'Öva larmrutinen',
  ownerId: manager,
  managerId: manager,
  due: '2027-03-01',
  status: 'open',
  notes: [],
  createdAt: '2026-11-21T08:00:00.000Z',
  updatedAt: '2026-11-21T08:00:00.000Z',
};
const escalated = questionRecord('7b5e0a52-0000-4000-8000-000000000002', {
  status: 'escalated',
  escalatedAt: '2026-11-22T10:05:00.000Z',
  askedByName: 'Johanna Persson',
  shown: [
    { documentTitle: 'Säkerhetspolicy', section: '3', text: 'Brister rapporteras till närmaste chef.' },
  ],
});
const answered = {
  ...escalated,
  status: 'answered' as const,
  answer: 'Kontakta din chef.',
  answeredByName: 'Erik Nordlund',
  answeredAt: '2026-11-22T11:00:00.000Z',
};

// --- every card, by the template it comes from ---------------------------------------------------

async function everyCard(lang: Lang): Promise<Record<string, Record<string, object>>> {
  const units = await directory.units();
  const people = await directory.membersOf('u-akutmottagningen');
  const compose = { campaignId: campaign.id, content: campaign, problems: [], units, groups: [] };
  const previewOf = (
    c: Campaign,
    abilities: { edit: boolean; send: boolean; cancel: boolean; figures: boolean },
  ) =>
    previewCard(lang, {
      campaign: c,
      recipientCard: recipientCard(lang, { campaign: c, reminder: false, refreshUserIds: [], preview: true }),
      recipients: 12,
      problems: [],
      units,
      groups: [],
      abilities,
    });
  const figures = computeFigures(
    recipients,
    [delivery('a', 'sent'), delivery('b', 'sent'), delivery('c', 'failed')],
    units,
  );
  const qActor = actor('erik', ['securityOfficer'], true);
  return {
    'platform/teams/cards/help.json': {
      welcome: helpCard(lang, true),
      'help for the security chief': helpCard(
        lang,
        false,
        new Set(['manager', 'securityChief', 'campaignAuthor', 'securityFunction']),
      ),
    },
    'features/campaigns/cards/compose-content.json': { content: composeCard(lang, 'content', compose) },
    'features/campaigns/cards/compose-response.json': { response: composeCard(lang, 'response', compose) },
    'features/campaigns/cards/compose-audience.json': { audience: composeCard(lang, 'audience', compose) },
    'features/campaigns/cards/preview.json': {
      'draft with a quiz': previewOf(campaign, { edit: true, send: true, cancel: false, figures: false }),
      'sent with a quiz': previewOf(sent, { edit: false, send: false, cancel: true, figures: true }),
    },
    'features/campaigns/cards/recipient.json': {
      'to a recipient': recipientCard(lang, { campaign: sent, reminder: false, refreshUserIds: ['29:a'] }),
      'a reminder': recipientCard(lang, {
        campaign: sent,
        recipient: recipients[0],
        reminder: true,
        refreshUserIds: ['29:a'],
      }),
      'quiz answered': recipientCard(lang, {
        campaign: sent,
        recipient: recipients[1],
        reminder: false,
        refreshUserIds: [],
      }),
    },
    'features/campaigns/cards/figures.json': {
      figures: figuresCard(lang, sent, figures, '2026-11-23T10:00:00.000Z', [
        { name: 'Ahmed Hassan', reason: 'notInstalled' },
      ]),
    },
    'features/campaigns/cards/list.json': {
      list: campaignListCard(lang, [{ campaign }, { campaign: sent, tally: figures.total }]),
    },
    'features/campaigns/cards/unit.json': {
      unit: unitCard(lang, ['Akutmottagningen Norrviken'], [{ campaign: sent, tally: figures.total }]),
    },
    'features/campaigns/cards/notice.json': { notice: noticeCard('Kampanjer', 'Inga kampanjer ännu.') },
    'features/questions/cards/answer.json': {
      answer: answerCard(lang, actor('p1', ['employee']), {
        question: questionRecord('7b5e0a52-0000-4000-8000-000000000003'),
        answers: [
          {
            doc: 'policy.md',
            title: 'Säkerhetspolicy',
            section: '3',
            text: 'Brister rapporteras.',
            link: 'http://localhost/documents/policy.md',
            score: 1,
          },
        ],
        curated: [],
        organisation: 'Region Norrviken',
        feedbackGiven: false,
      }),
    },
    'features/questions/cards/question.json': {
      'to the security function': questionCard(lang, qActor, escalated, ['29:erik']),
      answered: questionCard(lang, qActor, answered, []),
    },
    'features/questions/cards/delivered.json': { delivered: deliveredCard(lang, answered) },
    'features/questions/cards/open.json': {
      open: openQuestionsCard(lang, [
        { question: escalated, sent: 0, queued: 0, failedNames: ['Malin Forsberg'] },
      ]),
    },
    'features/questions/cards/undelivered.json': { undelivered: undeliveredCard(lang, escalated) },
    'features/review/cards/review.json': {
      'to the manager': reviewCard(lang, asManager, { cycle, review: review({}), names, refreshUserIds: [] }),
      'to the approver': reviewCard(lang, asHead, { cycle, review: submitted, names, refreshUserIds: [] }),
    },
    'features/review/cards/area.json': {
      area: areaCard(lang, {
        cycle,
        review: review({}),
        areaId: 'ps',
        values: review({}).assessments,
        owners: people,
        today: '2026-11-22',
      }),
    },
    'features/review/cards/open.json': {
      open: openCard(lang, { template: goals, units, today: '2026-11-22', year: 2026 }),
    },
    'features/review/cards/list.json': {
      list: listCard(
        'Min uppföljning',
        ['Akutmottagningen'],
        [
          {
            text: 'Akutmottagningen Norrviken',
            action: { label: 'Öppna', verb: 'review.view', data: { reviewId: submitted.id } },
          },
        ],
      ),
    },
    'features/review/cards/deputy.json': {
      deputy: deputyCard(lang, {
        people,
        current: [{ name: 'Per Åkesson', from: '2026-12-01', to: '2026-12-10' }],
        today: '2026-11-22',
      }),
    },
    'features/review/followups/cards/followup.json': {
      'to the owner': followUpCard(lang, asManager, { followUp, names, refreshUserIds: [] }),
    },
    'features/governance/cards/review.json': {
      'to the owner': documentReviewCard(
        lang,
        actor(chief, ['securityChief'], true),
        {
          id: 'doc-1',
          documentId: 'doc-1',
          title: 'Säkerhetspolicy',
          link: 'http://localhost/documents/policy.md',
          ownerIds: [chief],
          nextReviewDate: '2026-12-01',
          periodYears: 1,
          state: 'awaitingAnswer',
          cards: [],
          answers: [],
        },
        undefined,
        [],
      ),
    },
    'features/reports/cards/form.json': {
      empty: formCard(lang, { areas: reportAreas, today: '2026-11-23' }),
      'refused, with what was typed': formCard(lang, {
        areas: reportAreas,
        today: '2026-11-23',
        values: { kind: 'deficiency', title: 'Dörren går inte i lås', description: 'Sedan i måndags' },
        problem: 'Ta bort personnumret ur texten.',
      }),
    },
    'features/reports/cards/report.json': {
      'to the manager': reportCard(lang, asManager, reportView(riskReport, 'incoming')),
      'a personal-data incident to the data protection officer': reportCard(
        lang,
        actor('dpo', ['dataProtectionOfficer']),
        reportView({ ...riskReport, kind: 'personalDataIncident' }, 'personalData'),
      ),
      'a threat, details left out of chat': reportCard(lang, actor(chief, ['securityChief'], true), {
        ...reportView({ ...riskReport, kind: 'threatOrViolence' }, 'incoming'),
        details: false,
      }),
      'being handled, to the reporter': reportCard(
        lang,
        actor('reporter', ['employee']),
        reportView({ ...riskReport, state: 'handling', managerId: manager }, 'update'),
      ),
    },
  };
}

const reportAreas = goals.areas.map((a) => ({ id: a.id, name: { sv: a.name.sv, en: a.name.en } }));
const riskReport: Report = {
  id: 'r1',
  kind: 'deficiency',
  title: 'Dörren till läkemedelsrummet går inte i lås',
  description: 'Låset har varit trasigt sedan i måndags.',
  where: 'Plan 3',
  occurredAt: '2026-11-23T07:00:00.000Z',
  areaId: goals.areas[0]?.id ?? 'area',
  severity: 'medium',
  reporterId: 'reporter',
  unitId: 'u-akutmottagningen',
  unitName: 'Akutmottagningen Norrviken',
  managerId: manager,
  forwardedTo: [],
  securityFunctionHandles: false,
  state: 'reported',
  year: 2026,
  reportedAt: '2026-11-23T08:00:00.000Z',
  dueAt: '2026-11-30T08:00:00.000Z',
  history: [],
  updatedAt: '2026-11-23T08:00:00.000Z',
};
const reportView = (report: Report, purpose: CardPurpose) => ({
  report,
  names,
  areas: reportAreas,
  owners: [{ id: manager, name: 'Lena Bergqvist' }],
  now: new Date('2026-11-23T09:00:00.000Z'),
  refreshUserIds: [manager],
  details: true,
  purpose,
});

/**
 * Actions that are meant to validate required inputs, each named with the inputs it validates. An
 * action on a card with required inputs that is not here must say associatedInputs "none".
 */
const PAIRINGS: readonly string[] = [
  // moving on from the first step needs a title and a text (the server checks them too)
  'features/campaigns/cards/compose-content.json: campaigns.compose→response validates title, text',
  'features/campaigns/cards/compose-content.json: campaigns.compose→preview validates title, text',
  // sending the quiz needs every answer (the server refuses an incomplete one, issue 13)
  'features/campaigns/cards/recipient.json: campaigns.quiz validates q1, q2',
  // a report needs its kind, title, text, date, area and severity (the server checks them too)
  'features/reports/cards/form.json: reports.create validates kind, title, description, occurredDate, area, severity',
  // the answer to an escalated question cannot be empty
  'features/questions/cards/question.json: questions.answer validates answer',
  // a deputy needs a person and a period
  'features/review/cards/deputy.json: review.deputy validates deputyId, from, to',
  // opening the year's review needs the year and the deadline
  'features/review/cards/open.json: review.openCycle validates year, deadline',
];

// --- the checks ----------------------------------------------------------------------------------

interface Pairing {
  template: string;
  verb: string;
  inputs: string[];
}
const described = (p: Pairing) => `${p.template}: ${p.verb} validates ${p.inputs.join(', ')}`;

function requiredPairings(template: string, card: object): Pairing[] {
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, new AC.SerializationContext(AC.Versions.v1_5));
  const seen = new Set<unknown>();
  const pairings: Pairing[] = [];
  for (const action of parsed.getAllActions()) {
    if (seen.has(action)) continue;
    seen.add(action);
    // the renderer's own answer: the inputs this action gathers and validates before it runs
    const referenced = Object.values(action.getReferencedInputs?.() ?? {}) as {
      id: string;
      isRequired: boolean;
    }[];
    const required = referenced.filter((input) => input.isRequired).map((input) => input.id);
    if (required.length === 0) continue;
    const { verb, data } = action as unknown as { verb?: string; data?: { verb?: string; goto?: string } };
    const goto = data?.goto ? `→${data.goto}` : '';
    pairings.push({ template, verb: `${verb ?? data?.verb ?? action.title}${goto}`, inputs: required });
  }
  return pairings;
}

const templateFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return templateFiles(full);
    return entry.name.endsWith('.json') && path.basename(dir) === 'cards'
      ? [path.relative(path.join(root, 'bot'), full)]
      : [];
  });

describe.each(['sv', 'en'] as const)('every card the bot can send (%s)', (lang) => {
  let cards: Record<string, Record<string, object>>;
  beforeAll(async () => {
    cards = await everyCard(lang);
  });

  test('every card template in bot/ is rendered here', () => {
    expect(Object.keys(cards).sort()).toEqual(templateFiles(path.join(root, 'bot')).sort());
  });

  test('each parses in adaptivecards 1.5 and stays under 80 KB', () => {
    for (const [template, rendered] of Object.entries(cards))
      for (const [name, card] of Object.entries(rendered))
        expect({ card: `${template}: ${name}`, problems: validateCard(card) }).toEqual({
          card: `${template}: ${name}`,
          problems: [],
        });
  });

  test('an action on a card with required inputs validates them only where that is meant (PAIRINGS)', () => {
    const found = new Set<string>();
    for (const [template, rendered] of Object.entries(cards))
      for (const card of Object.values(rendered))
        for (const pairing of requiredPairings(template, card)) found.add(described(pairing));
    expect([...found].sort()).toEqual([...PAIRINGS].sort());
  });

  test('the preview of a campaign with a quiz: Skicka, Redigera, Duplicera, Avbryt and Visa siffror validate nothing', () => {
    for (const card of Object.values(cards['features/campaigns/cards/preview.json'] ?? {}))
      expect(requiredPairings('preview', card)).toEqual([]);
  });

  test('a recipient can acknowledge without answering the quiz; sending the answers needs every answer', () => {
    const [pairing, ...others] = requiredPairings(
      'recipient',
      cards['features/campaigns/cards/recipient.json']?.['to a recipient'] ?? {},
    );
    expect(others).toEqual([]);
    expect(pairing && described(pairing)).toBe('recipient: campaigns.quiz validates q1, q2');
  });
});
