/** The review's state machine and policies, exhaustively: every state × action × kind of person. */

import { type FollowUp, followUpStatuses } from '../../../bot/features/review/followups/model';
import {
  canMove,
  canOnFollowUp,
  followUpTransitions,
  isOverdue,
} from '../../../bot/features/review/followups/policy';
import { decide, nextState, reviewActions, reviewTransitions } from '../../../bot/features/review/machine';
import type { ReviewCycle, ReviewState, UnitReview } from '../../../bot/features/review/model';
import { canOnCycle, canOnReview, holderOf, type ReviewActor } from '../../../bot/features/review/policy';

const cycle = (status: ReviewCycle['status'] = 'open'): ReviewCycle => ({
  id: 'cycle-2026',
  year: 2026,
  organisation: 'o',
  status,
  deadline: '2026-12-15',
  areas: [],
  chain: ['headOfAdministration', 'securityChief'],
  unitIds: ['u'],
  schedule: { reminderDaysBefore: [7], escalationDaysAfter: [1], followUpOverdueDays: [1, 8] },
  openedBy: 'chief',
  openedAt: '2026-11-01T08:00:00Z',
});

const review = (state: ReviewState, step = 0): UnitReview => ({
  id: 'cycle-2026:u',
  cycleId: 'cycle-2026',
  unitId: 'u',
  unitName: 'Enheten',
  managerId: 'manager',
  chain: [
    { role: 'headOfAdministration', personId: 'head' },
    { role: 'securityChief', personId: 'chief' },
  ],
  lineIds: ['head', 'director'],
  state,
  step,
  round: state === 'open' ? 0 : 1,
  holderId: '',
  assessments: {},
  signOffs: [],
  updatedAt: '2026-11-01T08:00:00Z',
});

const actors: Record<string, ReviewActor> = {
  manager: { id: 'manager', roles: ['unitManager'], deputyFor: [] },
  managerDeputy: { id: 'md', roles: ['employee'], deputyFor: ['manager'] },
  head: { id: 'head', roles: ['headOfAdministration'], deputyFor: [] },
  headDeputy: { id: 'hd', roles: ['employee'], deputyFor: ['head'] },
  chief: { id: 'chief', roles: ['securityChief'], deputyFor: [] },
  officer: { id: 'officer', roles: ['securityOfficer'], deputyFor: [] },
  director: { id: 'director', roles: ['regionalDirector'], deputyFor: [] },
  otherManager: { id: 'other', roles: ['unitManager'], deputyFor: [] },
  employee: { id: 'employee', roles: ['employee'], deputyFor: [] },
};

const states: { state: ReviewState; step: number; label: string }[] = [
  { state: 'open', step: 0, label: 'open' },
  { state: 'returned', step: 0, label: 'returned' },
  { state: 'submitted', step: 0, label: 'submitted:0' },
  { state: 'submitted', step: 1, label: 'submitted:1' },
  { state: 'signedOff', step: 1, label: 'signedOff' },
];

/** Who may take each action from each state (the declared table, written out by hand). */
const movers: Record<string, string[]> = {
  'open/save': ['manager', 'managerDeputy'],
  'open/submit': ['manager', 'managerDeputy'],
  'returned/save': ['manager', 'managerDeputy'],
  'returned/submit': ['manager', 'managerDeputy'],
  'submitted:0/approve': ['head', 'headDeputy'],
  'submitted:0/return': ['head', 'headDeputy'],
  'submitted:1/approve': ['chief'],
  'submitted:1/return': ['chief'],
};
const viewers = ['manager', 'managerDeputy', 'head', 'headDeputy', 'chief', 'officer', 'director'];
const expectedTo: Record<string, string> = {
  'open/save': 'open',
  'open/submit': 'submitted:0',
  'returned/save': 'returned',
  'returned/submit': 'submitted:0',
  'submitted:0/approve': 'submitted:1',
  'submitted:0/return': 'returned',
  'submitted:1/approve': 'signedOff',
  'submitted:1/return': 'returned',
};

describe('every state × action × person', () => {
  for (const status of ['open', 'closed'] as const) {
    for (const s of states) {
      for (const action of reviewActions) {
        for (const [name, actor] of Object.entries(actors)) {
          const key = `${s.label}/${action}`;
          const expected = !viewers.includes(name)
            ? 'forbidden'
            : status === 'closed'
              ? 'stale'
              : movers[key]?.includes(name)
                ? 'move'
                : reviewTransitions[action].from.includes(s.state)
                  ? 'forbidden'
                  : 'stale';
          test(`cycle ${status}, ${key} by ${name} → ${expected}`, () => {
            const r = review(s.state, s.step);
            const decision = decide(actor, action, r, cycle(status), { round: r.round, step: r.step });
            expect(decision.kind).toBe(expected);
            if (decision.kind === 'move') {
              expect(decision.from).toBe(s.label);
              expect(decision.to).toBe(expectedTo[key]);
              expect(decision.onBehalfOf).toBe(
                name.endsWith('Deputy') ? (name === 'managerDeputy' ? 'manager' : 'head') : undefined,
              );
            }
          });
        }
      }
    }
  }
});

test('the next holder after each move: approver after submit, next step after approve, nobody after the last, the manager after return', () => {
  const r = review('open');
  const move = (rv: UnitReview, action: (typeof reviewActions)[number], actor: ReviewActor) => {
    const d = decide(actor, action, rv, cycle(), { round: rv.round, step: rv.step });
    if (d.kind !== 'move') throw new Error(d.kind);
    return {
      ...rv,
      state: d.state,
      step: d.step,
      holderId: d.holderId,
      round: action === 'submit' ? rv.round + 1 : rv.round,
    };
  };
  const submitted = move(r, 'submit', actors.manager as ReviewActor);
  expect(submitted.holderId).toBe('head');
  const returned = move(submitted, 'return', actors.head as ReviewActor);
  expect([returned.state, returned.holderId]).toEqual(['returned', 'manager']);
  const again = move(returned, 'submit', actors.manager as ReviewActor);
  const second = move(again, 'approve', actors.headDeputy as ReviewActor);
  expect([second.state, second.step, second.holderId]).toEqual(['submitted', 1, 'chief']);
  const signed = move(second, 'approve', actors.chief as ReviewActor);
  expect([signed.state, signed.holderId]).toEqual(['signedOff', '']);
});

test('a card that no longer matches the record (a double click, an old round) is stale, whoever clicks', () => {
  const r = review('submitted', 1);
  expect(decide(actors.chief as ReviewActor, 'approve', r, cycle(), { round: 1, step: 0 }).kind).toBe(
    'stale',
  );
  expect(decide(actors.chief as ReviewActor, 'approve', r, cycle(), { round: 0, step: 1 }).kind).toBe(
    'stale',
  );
  expect(decide(actors.employee as ReviewActor, 'approve', r, cycle(), { round: 1, step: 0 }).kind).toBe(
    'forbidden',
  );
});

test('a chain of one step signs off on the first approval; an empty chain signs off on submission', () => {
  const one = { ...review('submitted', 0), chain: [{ role: 'securityChief' as const, personId: 'chief' }] };
  expect(nextState(one, 'approve')).toEqual({ state: 'signedOff', step: 0 });
  expect(nextState({ ...review('open'), chain: [] }, 'submit')).toEqual({ state: 'signedOff', step: 0 });
});

test('holder of each state', () => {
  expect(states.map((s) => holderOf(review(s.state, s.step)))).toEqual([
    'manager',
    'manager',
    'head',
    'chief',
    '',
  ]);
});

test('cycle policy: only the security chief opens and closes; security officers see progress', () => {
  const table = Object.fromEntries(
    Object.entries(actors).map(([name, a]) => [
      name,
      [
        canOnCycle(a, 'open'),
        canOnCycle(a, 'close', cycle('open')),
        canOnCycle(a, 'close', cycle('closed')),
        canOnCycle(a, 'viewProgress'),
      ],
    ]),
  );
  expect(table).toEqual({
    manager: [false, false, false, false],
    managerDeputy: [false, false, false, false],
    head: [false, false, false, false],
    headDeputy: [false, false, false, false],
    chief: [true, true, false, true],
    officer: [false, false, false, true],
    director: [false, false, false, false],
    otherManager: [false, false, false, false],
    employee: [false, false, false, false],
  });
});

test('a deputy whose period is not active (not in deputyFor) has no rights', () => {
  const lapsed: ReviewActor = { id: 'hd', roles: ['employee'], deputyFor: [] };
  expect(canOnReview(lapsed, 'view', review('submitted'), cycle())).toBe(false);
});

describe('follow-ups', () => {
  const followUp = (status: FollowUp['status']): FollowUp => ({
    id: 'f',
    sourceType: 'review',
    sourceId: 'r',
    goalId: 'g',
    cycleId: 'c',
    unitId: 'u',
    unitName: 'U',
    goalText: 'G',
    what: 'W',
    ownerId: 'owner',
    managerId: 'manager',
    due: '2026-12-01',
    status,
    notes: [],
    createdAt: '',
    updatedAt: '',
  });
  const people: Record<string, ReviewActor> = {
    owner: { id: 'owner', roles: ['employee'], deputyFor: [] },
    manager: { id: 'manager', roles: ['unitManager'], deputyFor: [] },
    ownerDeputy: { id: 'od', roles: ['employee'], deputyFor: ['owner'] },
    chief: { id: 'chief', roles: ['securityChief'], deputyFor: [] },
    stranger: { id: 's', roles: ['employee'], deputyFor: [] },
  };
  for (const status of followUpStatuses) {
    for (const [name, actor] of Object.entries(people)) {
      const involved = ['owner', 'manager', 'ownerDeputy'].includes(name);
      const final = status === 'done' || status === 'cancelled';
      test(`${status}: ${name} may view=${involved || name === 'chief'} update=${involved && !final}`, () => {
        expect(canOnFollowUp(actor, 'view', followUp(status))).toBe(involved || name === 'chief');
        expect(canOnFollowUp(actor, 'update', followUp(status))).toBe(involved && !final);
      });
    }
    for (const to of followUpStatuses) {
      const allowed =
        status === to ? !['done', 'cancelled'].includes(status) : followUpTransitions[status].includes(to);
      test(`status ${status} → ${to} ${allowed ? 'allowed' : 'refused'}`, () =>
        expect(canMove(status, to)).toBe(allowed));
    }
  }
  test('overdue: after the due day and not finished', () => {
    expect(isOverdue({ due: '2026-12-01', status: 'open' }, '2026-12-02')).toBe(true);
    expect(isOverdue({ due: '2026-12-01', status: 'open' }, '2026-12-01')).toBe(false);
    expect(isOverdue({ due: '2026-12-01', status: 'done' }, '2026-12-09')).toBe(false);
  });
});
