/** The review's rules over plain data: chains from the sample organisation, completeness, schedule, escalation. */
import fs from 'node:fs';
import path from 'node:path';
import { loadGoalTemplate } from '../../../bot/features/review/index';
import type { UnitReview } from '../../../bot/features/review/model';
import {
  assessmentProblems,
  cycleJobs,
  escalationTarget,
  followUpJobTimes,
  participatingUnits,
  resolveChain,
} from '../../../bot/features/review/rules';
import { organisationFileSchema } from '../../../bot/platform/org/model';
import { stockholmDay, stockholmTime } from '../../../bot/platform/time';

const root = path.resolve(__dirname, '../../..');
const org = organisationFileSchema.parse(
  JSON.parse(fs.readFileSync(path.join(root, 'content/organisation.json'), 'utf8')),
);
const id = (name: string) => org.people.find((p) => p.name === name)?.id as string;
const unit = (unitId: string) => org.units.find((u) => u.id === unitId) as (typeof org.units)[number];

test('the default chain of a clinic: its head of administration, then the security chief', () => {
  expect(resolveChain(org, unit('u-akutmottagningen'), ['headOfAdministration', 'securityChief'])).toEqual([
    { role: 'headOfAdministration', personId: id('Per Åkesson') },
    { role: 'securityChief', personId: id('Malin Forsberg') },
  ]);
});

test('steps that would be the manager themselves are left out (the administration, and the security unit)', () => {
  expect(
    resolveChain(org, unit('u-hsf'), ['headOfAdministration', 'securityChief']).map((s) => s.personId),
  ).toEqual([id('Malin Forsberg')]);
  expect(
    resolveChain(org, unit('u-sakerhetsenheten'), ['headOfAdministration', 'securityChief']).map(
      (s) => s.personId,
    ),
  ).toEqual([id('Annika Holmberg')]);
});

test('a longer chain goes through the line manager first (IT drift → IT → Regionservice → security chief)', () => {
  expect(
    resolveChain(org, unit('u-it-drift'), ['lineManager', 'headOfAdministration', 'securityChief']).map(
      (s) => s.personId,
    ),
  ).toEqual([id('Fredrik Nyberg'), id('Thomas Engström'), id('Malin Forsberg')]);
});

test('participating units: every unit with a manager, the units under a chosen one, or nothing for an unknown unit', () => {
  expect(participatingUnits(org, 'all')?.length).toBe(org.units.length);
  expect(participatingUnits(org, { subtree: 'u-hsf' })?.map((u) => u.id)).toEqual([
    'u-akutmottagningen',
    'u-medicinkliniken',
    'u-vc-bjorkhamn',
  ]);
  expect(participatingUnits(org, { subtree: 'u-regionservice' })?.map((u) => u.id)).toEqual([
    'u-it',
    'u-it-drift',
    'u-fastighet',
  ]);
  expect(participatingUnits(org, { subtree: 'u-finns-inte' })).toBeUndefined();
});

describe('an assessment', () => {
  const known = (p: string) => p === 'owner';
  const today = '2026-11-23';
  test.each([
    [{ goalId: 'g' }, false, ['missingRating']],
    [{ goalId: 'g' }, true, []],
    [{ goalId: 'g', rating: 'met' }, false, []],
    [{ goalId: 'g', rating: 'partlyMet' }, false, ['gapNeedsFollowUpOrReason']],
    [{ goalId: 'g', rating: 'notMet', reason: 'Verksamheten avvecklas' }, false, []],
    [
      { goalId: 'g', rating: 'notMet', followUp: { what: 'Öva', ownerId: '', due: '' } },
      true,
      ['followUpIncomplete'],
    ],
    [
      { goalId: 'g', rating: 'notMet', followUp: { what: 'Öva', ownerId: 'owner', due: '2026-11-22' } },
      true,
      ['dueInPast'],
    ],
    [
      { goalId: 'g', rating: 'notMet', followUp: { what: 'Öva', ownerId: 'nobody', due: '2026-12-22' } },
      false,
      ['unknownOwner'],
    ],
    [
      { goalId: 'g', rating: 'notMet', followUp: { what: 'Öva', ownerId: 'owner', due: '2026-11-23' } },
      false,
      [],
    ],
    [{ goalId: 'g', rating: 'met', evidence: 'javascript:alert(1)' }, false, ['badEvidence']],
  ] as const)('%j (draft %s) → %j', (a, draft, expected) => {
    expect(assessmentProblems(a as never, today, known, draft)).toEqual(expected);
  });
});

test('reminders and escalations fall at 08:00 Stockholm time, winter and summer', () => {
  const jobs = cycleJobs({
    id: 'cycle-2026',
    deadline: '2026-12-15',
    schedule: { reminderDaysBefore: [14, 3], escalationDaysAfter: [1], followUpOverdueDays: [1, 8] },
  });
  expect(jobs.map((j) => [j.id, j.dueAt])).toEqual([
    ['review:cycle-2026:reminder:14d', '2026-12-01T07:00:00.000Z'],
    ['review:cycle-2026:reminder:3d', '2026-12-12T07:00:00.000Z'],
    ['review:cycle-2026:escalation:1d', '2026-12-16T07:00:00.000Z'],
  ]);
  expect(stockholmTime('2026-06-10', 8).toISOString()).toBe('2026-06-10T06:00:00.000Z');
  expect(stockholmDay(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  expect(
    followUpJobTimes('2027-01-31', {
      reminderDaysBefore: [],
      escalationDaysAfter: [],
      followUpOverdueDays: [1, 8],
    }),
  ).toEqual({
    owner: '2027-02-01T07:00:00.000Z',
    manager: '2027-02-08T07:00:00.000Z',
  });
});

test('escalation goes one level up from whoever holds the next step', () => {
  const base = {
    managerId: 'm',
    chain: [
      { role: 'headOfAdministration', personId: 'h' },
      { role: 'securityChief', personId: 'c' },
    ],
    lineIds: ['h', 'd'],
  } as unknown as UnitReview;
  expect(escalationTarget({ ...base, state: 'open', step: 0 })).toBe('h');
  expect(escalationTarget({ ...base, state: 'submitted', step: 0 })).toBe('c');
  expect(escalationTarget({ ...base, state: 'submitted', step: 1 })).toBe('d');
  expect(escalationTarget({ ...base, state: 'signedOff', step: 1 })).toBeUndefined();
});

test('the shipped goal template is valid and covers the policy’s six areas', () => {
  const template = loadGoalTemplate(path.join(root, 'content'));
  expect(template.areas.map((a) => a.name.sv)).toEqual([
    'Personsäkerhet',
    'Krisberedskap',
    'Civilt försvar',
    'Informationssäkerhet och dataskydd',
    'Säkerhetsskydd',
    'Allmän säkerhet och brandskydd',
  ]);
});
