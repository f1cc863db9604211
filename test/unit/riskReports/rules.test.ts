/** The report's rules without I/O: the personal identity number check, need to know, routing, the 72 hours, the year's figures. */
import type { Report } from '../../../bot/features/reports/model';
import { canOnReport } from '../../../bot/features/reports/policy';
import { cutoffOf, expired } from '../../../bot/features/reports/retention';
import {
  findPersonalNumber,
  handlingTimes,
  personalDataClock,
  routingOf,
  yearFigures,
} from '../../../bot/features/reports/rules';
import type { Actor } from '../../../bot/platform/org/actor';
import { stockholmToInstant } from '../../../bot/platform/time';

describe('a Swedish personal identity number in the text', () => {
  test.each([
    ['811218-9876', 'YYMMDD-NNNN'],
    ['811218+9876', 'over a hundred years old'],
    ['8112189876', 'ten digits'],
    ['19811218-9876', 'with century and separator'],
    ['198112189876', 'twelve digits'],
    ['811218 - 9876', 'spaces around the separator'],
    ['701063-2391', 'a samordningsnummer (day + 60)'],
  ])('%s (%s) is caught', (number) => {
    expect(findPersonalNumber(`Patienten ${number} fick fel brev.`)).toBeDefined();
  });

  test.each([
    ['811218-9875', 'a wrong check digit'],
    ['811318-9876', 'month 13'],
    ['811200-9876', 'day 0'],
    ['2026-11-23', 'a date'],
    ['070-123 45 67', 'a phone number'],
    ['Rum 4512, hus 3', 'room numbers'],
    ['123456789012345', 'a longer number'],
  ])('%s (%s) is not', (text) => {
    expect(findPersonalNumber(text)).toBeUndefined();
  });
});

const report = (over: Partial<Report> = {}): Report => ({
  id: 'r1',
  kind: 'deficiency',
  title: 't',
  description: 'd',
  where: '',
  occurredAt: '2026-11-23T07:00:00.000Z',
  areaId: 'as',
  severity: 'medium',
  reporterId: 'reporter',
  unitId: 'u1',
  unitName: 'Enheten',
  managerId: 'manager',
  forwardedTo: [],
  securityFunctionHandles: false,
  state: 'reported',
  year: 2026,
  reportedAt: '2026-11-23T08:00:00.000Z',
  dueAt: '2026-11-30T08:00:00.000Z',
  history: [],
  updatedAt: '2026-11-23T08:00:00.000Z',
  ...over,
});
const actor = (id: string, over: Partial<Actor> = {}): Actor => ({
  id,
  roles: ['employee'],
  deputyFor: [],
  securityFunction: false,
  managedUnits: new Set(),
  grants: new Set(),
  ...over,
});

describe('need to know', () => {
  test('the reporter, the manager, the deputy, those it was forwarded to and the security function see it; nobody else', () => {
    const r = report({ forwardedTo: ['chief'] });
    expect(canOnReport(actor('reporter'), 'view', r)).toBe(true);
    expect(canOnReport(actor('manager'), 'view', r)).toBe(true);
    expect(canOnReport(actor('deputy', { deputyFor: ['manager'] }), 'view', r)).toBe(true);
    expect(canOnReport(actor('chief'), 'view', r)).toBe(true);
    expect(canOnReport(actor('officer', { securityFunction: true }), 'view', r)).toBe(true);
    expect(canOnReport(actor('colleague'), 'view', r)).toBe(false);
    expect(canOnReport(actor('otherManager', { roles: ['employee', 'unitManager'] }), 'view', r)).toBe(false);
    expect(canOnReport(actor('deputyOfSomeoneElse', { deputyFor: ['otherManager'] }), 'view', r)).toBe(false);
  });

  test('the data protection officer sees personal-data incidents only', () => {
    const dpo = actor('dpo', { roles: ['employee', 'dataProtectionOfficer'] });
    expect(canOnReport(dpo, 'view', report({ kind: 'personalDataIncident' }))).toBe(true);
    expect(canOnReport(dpo, 'view', report({ kind: 'deficiency' }))).toBe(false);
    expect(canOnReport(dpo, 'assessPersonalData', report({ kind: 'personalDataIncident' }))).toBe(true);
  });

  test('only the manager (or deputy) handles, in order; the security function once it was handed over', () => {
    const manager = actor('manager');
    expect(canOnReport(manager, 'acknowledge', report())).toBe(true);
    expect(canOnReport(manager, 'close', report({ state: 'handling' }))).toBe(false); // nothing decided yet
    const decided = report({ state: 'handling', decision: { kind: 'noAction', reason: 'r' } });
    expect(canOnReport(manager, 'close', decided)).toBe(true);
    expect(canOnReport(manager, 'decide', decided)).toBe(false);
    expect(canOnReport(actor('reporter'), 'acknowledge', report())).toBe(false);
    const officer = actor('officer', { securityFunction: true });
    expect(canOnReport(officer, 'decide', report())).toBe(false);
    const handedOver = report({
      state: 'handling',
      securityFunctionHandles: true,
      decision: { kind: 'forwarded' },
    });
    expect(canOnReport(officer, 'decide', handedOver)).toBe(true);
    expect(canOnReport(manager, 'forward', handedOver)).toBe(false);
    expect(canOnReport(manager, 'acknowledge', report({ state: 'closed' }))).toBe(false);
  });
});

test('routing by kind: incidents to the security function, threats and säkerhetsskydd to the chief, personal data to the DPO', () => {
  expect(routingOf({ kind: 'deficiency', areaId: 'as' })).toEqual({
    securityFunction: false,
    securityChief: false,
    dataProtectionOfficer: false,
  });
  expect(routingOf({ kind: 'incident', areaId: 'is' }).securityFunction).toBe(true);
  expect(routingOf({ kind: 'threatOrViolence', areaId: 'ps' }).securityChief).toBe(true);
  expect(routingOf({ kind: 'risk', areaId: 'ss' }).securityChief).toBe(true);
  expect(routingOf({ kind: 'personalDataIncident', areaId: 'is' }).dataProtectionOfficer).toBe(true);
});

test('times: the 72 hours and their reminder, handling and escalation, Stockholm wall-clock input', () => {
  expect(personalDataClock('2026-11-23T08:00:00.000Z')).toEqual({
    deadline: '2026-11-26T08:00:00.000Z',
    reminder: '2026-11-25T08:00:00.000Z',
  });
  expect(handlingTimes('2026-11-23T08:00:00.000Z', { handlingDays: 7, escalationDays: 7 })).toEqual({
    remind: '2026-11-30T08:00:00.000Z',
    escalate: '2026-12-07T08:00:00.000Z',
  });
  expect(stockholmToInstant('2026-11-23', '07:30')).toBe('2026-11-23T06:30:00.000Z'); // winter, +01:00
  expect(stockholmToInstant('2026-06-23', '07:30')).toBe('2026-06-23T05:30:00.000Z'); // summer, +02:00
  expect(stockholmToInstant('23/11', '07:30')).toBeUndefined();
});

test('the year’s figures: per kind, area and unit, closed and how fast, the significant ones with their lessons', () => {
  const day = 86_400_000;
  const closed = (id: string, days: number, over: Partial<Report> = {}) =>
    report({
      id,
      state: 'closed',
      closedAt: new Date(new Date('2026-11-23T08:00:00.000Z').getTime() + days * day).toISOString(),
      ...over,
    });
  const figures = yearFigures(2026, [
    closed('a', 2, {
      severity: 'high',
      title: 'Hot i receptionen',
      kind: 'threatOrViolence',
      lessons: 'Larmknapp',
    }),
    closed('b', 4, { lessons: 'Skyddsrond', title: 'Lås' }),
    closed('c', 10, { severity: 'high', areaId: 'ss', title: 'Hemligt' }),
    report({ id: 'd', unitId: 'u2', unitName: 'Annan enhet', kind: 'risk' }),
    report({ id: 'e', year: 2025 }),
  ]);
  expect(figures).toMatchObject({ year: 2026, total: 4, closed: 3, medianDaysToClose: 4 });
  expect(figures.byKind).toMatchObject({ deficiency: 2, threatOrViolence: 1, risk: 1, incident: 0 });
  expect(figures.byUnit).toEqual([
    { unitId: 'u2', unitName: 'Annan enhet', count: 1, closed: 0 },
    { unitId: 'u1', unitName: 'Enheten', count: 3, closed: 3 },
  ]);
  // high severity first; säkerhetsskydd never goes into the board's document
  expect(figures.significant.map((s) => s.title)).toEqual(['Hot i receptionen', 'Lås']);
});

test('retention: a cutoff per rule, "never" has none', () => {
  const now = new Date('2029-03-01T02:00:00.000Z');
  expect(cutoffOf(now, { amount: 5, unit: 'y' })).toBe('2024-03-01T02:00:00.000Z');
  expect(cutoffOf(now, { amount: 18, unit: 'm' })).toBe('2027-09-01T02:00:00.000Z');
  expect(cutoffOf(now, { amount: 90, unit: 'd' })).toBe('2028-12-01T02:00:00.000Z');
  expect(cutoffOf(now, 'never')).toBeUndefined();
  expect(expired('2024-01-01T00:00:00.000Z', '2024-03-01T02:00:00.000Z')).toBe(true);
  expect(expired(undefined, '2024-03-01T02:00:00.000Z')).toBe(false);
  expect(expired('2020-01-01T00:00:00.000Z', undefined)).toBe(false);
});
