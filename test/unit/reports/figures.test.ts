import { computeReport, fulfilmentOf, isOverdue } from '../../../bot/features/annualReport/figures';
import { reportInput } from './fixture';

describe('the figures of the säkerhetsbokslut', () => {
  const figures = computeReport(reportInput());

  test('units are listed along the line organisation (line, then name), whatever order they came in', () => {
    expect(figures.units.map((u) => u.unit.name)).toEqual([
      'Akutmottagningen Norrviken',
      'Norrvikens museum',
      'Fastighet',
    ]);
  });

  test('totals: units signed off, returns, completion, fulfilment, ratings, gaps and follow-ups', () => {
    const { totals } = figures;
    expect(totals).toMatchObject({
      units: 3,
      signedOff: 2,
      returnedUnits: 1,
      returns: 1,
      goals: 5,
      assessments: 15,
      assessed: 12,
      gaps: 4,
      unansweredGaps: 1,
      byState: { notStarted: 0, draft: 1, inSignOff: 0, returned: 0, signedOff: 2 },
    });
    expect(totals.ratings).toEqual({ met: 7, partlyMet: 2, notMet: 2, notApplicable: 1, notAssessed: 3 });
    expect(totals.completion).toBeCloseTo(12 / 15);
    expect(totals.fulfilment).toBeCloseTo(7 / 11);
    expect(totals.followUps).toEqual({ total: 3, open: 2, inProgress: 1, done: 0, cancelled: 0, overdue: 1 });
  });

  test('per unit: completion, fulfilment, returns counted from the history, who signed off and when', () => {
    const [akut, museum, fastighet] = figures.units;
    expect(akut).toMatchObject({
      assessed: 5,
      completion: 1,
      fulfilment: 0.5,
      returned: 1,
      signedOff: true,
      signedOffBy: 'Malin Forsberg',
    });
    expect(akut?.signedOffAt).toBe('2026-10-08T08:00:00Z');
    expect(akut?.submittedAt).toBe('2026-10-01T08:00:00Z');
    expect(museum).toMatchObject({
      assessed: 2,
      completion: 0.4,
      fulfilment: 0.5,
      returned: 0,
      signedOff: false,
      signedOffAt: undefined,
    });
    expect(fastighet).toMatchObject({ assessed: 5, fulfilment: 0.8, returned: 0 });
    expect(museum?.byArea.map((a) => [a.area.name, a.ratings])).toEqual([
      ['Personsäkerhet', { met: 1, partlyMet: 0, notMet: 1, notApplicable: 0, notAssessed: 0 }],
      [
        'Informationssäkerhet och dataskydd',
        { met: 0, partlyMet: 0, notMet: 0, notApplicable: 0, notAssessed: 3 },
      ],
    ]);
    expect(museum?.byArea[1]?.fulfilment).toBeUndefined();
  });

  test('per area: each goal across the units, and the area as a whole', () => {
    const [person, info] = figures.areas;
    expect(person?.goals.map((g) => [g.goal.id, g.ratings.met, g.ratings.notMet])).toEqual([
      ['g1', 3, 0],
      ['g2', 2, 1],
    ]);
    expect(person).toMatchObject({ gaps: 1, fulfilment: 5 / 6 });
    expect(info?.ratings).toEqual({ met: 2, partlyMet: 2, notMet: 1, notApplicable: 1, notAssessed: 3 });
    expect(info?.fulfilment).toBeCloseTo(0.4);
    expect(info?.gaps).toBe(3);
    expect(info?.followUps).toMatchObject({ total: 2, overdue: 1, inProgress: 1 });
  });

  test('gaps carry their follow-ups; a gap with neither a follow-up nor a reason is unanswered', () => {
    const gaps = figures.gaps.map((g) => ({
      unit: g.unitName,
      goal: g.goal.id,
      rating: g.rating,
      followUps: g.followUps.map((f) => f.id),
      unanswered: g.unanswered,
    }));
    expect(gaps).toEqual([
      {
        unit: 'Akutmottagningen Norrviken',
        goal: 'g3',
        rating: 'partlyMet',
        followUps: ['f1'],
        unanswered: false,
      },
      {
        unit: 'Akutmottagningen Norrviken',
        goal: 'g5',
        rating: 'notMet',
        followUps: ['f2'],
        unanswered: false,
      },
      { unit: 'Norrvikens museum', goal: 'g2', rating: 'notMet', followUps: [], unanswered: true },
      { unit: 'Fastighet', goal: 'g4', rating: 'partlyMet', followUps: [], unanswered: false },
    ]);
  });

  test('a cancelled follow-up does not answer a gap', () => {
    const input = reportInput();
    const akut = input.units.find((u) => u.id === 'u-akut');
    if (!akut?.followUps[0]) throw new Error('fixture changed');
    akut.followUps[0].status = 'cancelled';
    expect(
      computeReport(input).gaps.find((g) => g.goal.id === 'g3' && g.unitId === 'u-akut')?.unanswered,
    ).toBe(true);
  });

  test('overdue means open or in progress past the due date, counted on the day the report is made (Stockholm)', () => {
    expect(figures.asOf).toBe('2026-11-22');
    expect(figures.followUps.filter((f) => f.overdue).map((f) => f.id)).toEqual(['f2']);
    expect(isOverdue({ status: 'done', due: '2020-01-01' }, '2026-11-22')).toBe(false);
    expect(isOverdue({ status: 'inProgress', due: '2026-11-21' }, '2026-11-22')).toBe(true);
    expect(isOverdue({ status: 'open', due: '2026-11-22' }, '2026-11-22')).toBe(false);
    // 23:30 UTC on 31 December is already New Year's Day in Stockholm
    expect(computeReport({ ...reportInput(), generatedAt: '2026-12-31T23:30:00Z' }).asOf).toBe('2027-01-01');
  });

  test('fulfilment leaves out not applicable and not assessed goals, and is undefined when nothing applicable was rated', () => {
    expect(fulfilmentOf({ met: 1, partlyMet: 1, notMet: 0, notApplicable: 5, notAssessed: 5 })).toBe(0.5);
    expect(
      fulfilmentOf({ met: 0, partlyMet: 0, notMet: 0, notApplicable: 2, notAssessed: 1 }),
    ).toBeUndefined();
  });

  test('an assessment of a goal that is not in the cycle is ignored; an empty cycle has no fulfilment', () => {
    const input = reportInput();
    input.units[0]?.assessments.push({ goalId: 'dropped-goal', rating: 'notMet' });
    expect(computeReport(input).totals.ratings.notMet).toBe(2);
    const empty = computeReport({ ...reportInput(), units: [] });
    expect(empty.totals).toMatchObject({ units: 0, completion: 0, fulfilment: undefined, gaps: 0 });
  });
});

test('a history that records the final step as an approval still names who signed off', () => {
  const input = reportInput();
  const fastighet = input.units.find((u) => u.id === 'u-fastighet');
  if (!fastighet) throw new Error('fixture changed');
  fastighet.history = fastighet.history.filter((h) => h.action !== 'signedOff');
  const figures = computeReport(input).units.find((u) => u.unit.id === 'u-fastighet');
  expect(figures).toMatchObject({
    signedOff: true,
    signedOffBy: 'Thomas Engström',
    signedOffAt: '2026-10-04T08:00:00Z',
  });
});
