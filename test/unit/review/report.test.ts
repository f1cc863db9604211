/** The closing step's mapping of review records to the säkerhetsbokslut's input, and its figures. */

import { computeReport } from '../../../bot/features/annualReport/figures';
import type { ReviewCycle, UnitReview } from '../../../bot/features/review/model';
import { reportState, toReportInput } from '../../../bot/features/review/report';
import type { AuditEvent } from '../../../bot/platform/audit/model';

const cycle: ReviewCycle = {
  id: 'cycle-2026',
  year: 2026,
  organisation: 'o',
  status: 'closed',
  deadline: '2026-12-15',
  areas: [
    {
      id: 'kb',
      name: { sv: 'Krisberedskap', en: 'Crisis preparedness' },
      goals: [
        { id: 'kb1', text: 'Övad plan' },
        { id: 'kb2', text: 'Ledning' },
      ],
    },
  ],
  chain: ['headOfAdministration'],
  unitIds: ['a', 'b'],
  schedule: { reminderDaysBefore: [], escalationDaysAfter: [], followUpOverdueDays: [1, 8] },
  openedBy: 'chief',
  openedAt: '2026-11-01T08:00:00Z',
  closedBy: 'chief',
  closedAt: '2026-12-20T08:00:00Z',
};

const review = (unitId: string, extra: Partial<UnitReview>): UnitReview => ({
  id: `cycle-2026:${unitId}`,
  cycleId: 'cycle-2026',
  unitId,
  unitName: `Enhet ${unitId}`,
  managerId: `m-${unitId}`,
  chain: [{ role: 'headOfAdministration', personId: 'head' }],
  lineIds: ['head'],
  state: 'signedOff',
  step: 0,
  round: 1,
  holderId: '',
  assessments: {},
  signOffs: [],
  updatedAt: '',
  ...extra,
});

test('ratings, the returned count, follow-ups with status and who acted for whom reach the report', () => {
  const a = review('a', {
    assessments: {
      kb1: {
        goalId: 'kb1',
        rating: 'partlyMet',
        followUp: { what: 'Öva', ownerId: 'owner', due: '2027-03-31' },
      },
      kb2: { goalId: 'kb2', rating: 'met', evidence: 'https://x.example/e' },
    },
  });
  const b = review('b', { state: 'open', round: 0, holderId: 'm-b', assessments: {} });
  const events = {
    'cycle-2026:a': [
      {
        id: '1',
        at: '2026-11-20T08:00:00Z',
        actorId: 'm-a',
        recordType: 'unitReview',
        recordId: a.id,
        action: 'submit',
        fromState: 'open',
        toState: 'submitted:0',
      },
      {
        id: '2',
        at: '2026-11-21T08:00:00Z',
        actorId: 'head',
        recordType: 'unitReview',
        recordId: a.id,
        action: 'return',
        fromState: 'submitted:0',
        toState: 'returned',
        comment: 'Mer',
      },
      {
        id: '3',
        at: '2026-11-22T08:00:00Z',
        actorId: 'm-a',
        recordType: 'unitReview',
        recordId: a.id,
        action: 'save',
        fromState: 'returned',
        toState: 'returned',
      },
      {
        id: '4',
        at: '2026-11-22T09:00:00Z',
        actorId: 'm-a',
        recordType: 'unitReview',
        recordId: a.id,
        action: 'submit',
        fromState: 'returned',
        toState: 'submitted:0',
      },
      {
        id: '5',
        at: '2026-11-23T08:00:00Z',
        actorId: 'dep',
        onBehalfOf: 'head',
        recordType: 'unitReview',
        recordId: a.id,
        action: 'approve',
        fromState: 'submitted:0',
        toState: 'signedOff',
      },
    ],
  } as Record<string, AuditEvent[]>;
  const input = toReportInput(
    cycle,
    [a, b],
    [
      {
        id: 'cycle-2026:a:kb1',
        sourceType: 'review',
        sourceId: a.id,
        goalId: 'kb1',
        cycleId: 'cycle-2026',
        unitId: 'a',
        unitName: 'Enhet a',
        goalText: 'Övad plan',
        what: 'Öva',
        ownerId: 'owner',
        managerId: 'm-a',
        due: '2027-03-31',
        status: 'inProgress',
        notes: [{ at: '', actorId: 'owner', from: 'open', to: 'inProgress', comment: 'Bokad' }],
        createdAt: '',
        updatedAt: '',
      },
    ],
    {
      organisation: 'Region Norrviken',
      generatedAt: '2026-12-20T08:00:00Z',
      names: (id) =>
        ({ 'm-a': 'Anna', head: 'Per', dep: 'Hanna', owner: 'Johanna', chief: 'Malin' })[id] ?? id,
      lineOf: () => ['Region', 'Förvaltningen'],
      eventsOf: (id) => events[id] ?? [],
    },
  );
  expect(
    input.units[0]?.history.map((h) => [h.action, h.byName, h.onBehalfOfName ?? '', h.comment ?? '']),
  ).toEqual([
    ['submitted', 'Anna', '', ''],
    ['returned', 'Per', '', 'Mer'],
    ['submitted', 'Anna', '', ''],
    ['signedOff', 'Hanna', 'Per', ''],
  ]);
  expect(input.units[0]?.followUps).toEqual([
    {
      id: 'cycle-2026:a:kb1',
      goalId: 'kb1',
      what: 'Öva',
      ownerName: 'Johanna',
      due: '2027-03-31',
      status: 'inProgress',
      comment: 'Bokad',
    },
  ]);
  expect(input.units.map((u) => u.state)).toEqual(['signedOff', 'notStarted']);
  expect(input.preparedBy).toBe('Malin');
  const figures = computeReport(input);
  expect(JSON.stringify(figures)).toContain('"returned":1');
});

test('a review with a draft is a draft; one in the chain is in sign-off', () => {
  expect(
    reportState(review('x', { state: 'open', assessments: { kb1: { goalId: 'kb1', rating: 'met' } } })),
  ).toBe('draft');
  expect(reportState(review('x', { state: 'submitted' }))).toBe('inSignOff');
  expect(reportState(review('x', { state: 'returned' }))).toBe('returned');
});
