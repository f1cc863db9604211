import type { DocumentReview, DocumentReviewState } from '../../../bot/features/governance/model';
import { documentReviewPolicy } from '../../../bot/features/governance/policy';
import {
  isDue,
  nextReviewOf,
  ownerRoleOf,
  reviewPeriodOf,
  transitions,
} from '../../../bot/features/governance/rules';
import { parseText } from '../../../bot/features/knowledge/parse';
import { addYears, stockholmTime } from '../../../bot/platform/time';
import { actorOf } from '../../support/actor';

describe('what a governing document says about its review', () => {
  test('the metadata lines give the owner and the review as written', () => {
    const { metadata } = parseText(
      [
        'Dokumenttyp: Rutin',
        'Dokumentägare: Säkerhetschef',
        'Nästa revidering: 2027-01-15',
        '',
        '# Rutin för krisledning',
        '',
        'Text.',
      ].join('\n'),
    );
    expect(metadata).toMatchObject({
      owner: 'Säkerhetschef',
      nextReview: '2027-01-15',
      documentType: 'rutin',
    });
    expect(
      parseText('Ansvarig: Regiondirektören\nRevideras: årligen\n\n# Policy för säkerhet\n\nText.').metadata,
    ).toMatchObject({
      owner: 'Regiondirektören',
      nextReview: 'årligen',
    });
  });

  test.each([
    ['årligen', 1],
    ['Varje år', 1],
    ['en gång per år', 1],
    ['vartannat år', 2],
    ['vart tredje år', 3],
    ['vart 4:e år', 4],
    ['annually', 1],
    ['every two years', 2],
    ['vid behov', undefined],
    [undefined, undefined],
  ])('the period %j is %j years', (text, years) => {
    expect(reviewPeriodOf(text)).toBe(years);
  });

  test('a written date is the next review; a period counts from adoption to the first anniversary from today', () => {
    expect(nextReviewOf({ nextReview: '2027-01-15', adoptedDate: '2025-03-18' }, '2026-11-22')).toEqual({
      date: '2027-01-15',
      periodYears: 1,
    });
    expect(nextReviewOf({ nextReview: 'årligen', adoptedDate: '2025-03-18' }, '2026-11-22')).toEqual({
      date: '2027-03-18',
      periodYears: 1,
    });
    expect(nextReviewOf({ nextReview: 'årligen', adoptedDate: '2025-03-18' }, '2026-03-18')).toEqual({
      date: '2026-03-18',
      periodYears: 1,
    });
    expect(nextReviewOf({ nextReview: 'vartannat år', adoptedDate: '2021-05-06' }, '2026-11-22')).toEqual({
      date: '2027-05-06',
      periodYears: 2,
    });
    expect(nextReviewOf({ nextReview: 'årligen' }, '2026-11-22')).toBeUndefined();
    expect(nextReviewOf({ nextReview: '2027-02-30' }, '2026-11-22')).toBeUndefined();
    expect(nextReviewOf({ adoptedDate: '2025-03-18' }, '2026-11-22')).toBeUndefined();
  });

  test('a year on from 29 February is 28 February', () => {
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addYears('2027-03-18', 1)).toBe('2028-03-18');
  });

  test('the review card goes out at 08:00 Stockholm time, winter and summer', () => {
    expect(stockholmTime('2027-01-15', 8).toISOString()).toBe('2027-01-15T07:00:00.000Z');
    expect(stockholmTime('2027-06-15', 8).toISOString()).toBe('2027-06-15T06:00:00.000Z');
  });

  test.each([
    ['Säkerhetschef', 'securityChief'],
    ['säkerhetschefen', 'securityChief'],
    ['Regiondirektören', 'regionalDirector'],
    ['Förvaltningschef', 'headOfAdministration'],
    ['Dataskyddsombud', 'dataProtectionOfficer'],
    ['Informationssäkerhetssamordnare', 'securityOfficer'],
    ['Anna Andersson', undefined],
  ])('the owner line %j names the role %j', (text, role) => {
    expect(ownerRoleOf(text)).toBe(role);
  });
});

describe('the review state machine and its policy', () => {
  const review = (state: DocumentReviewState): DocumentReview => ({
    id: 'd1',
    documentId: 'd1',
    title: 'Säkerhetspolicy',
    link: '',
    ownerIds: ['owner'],
    nextReviewDate: '2027-03-18',
    periodYears: 1,
    state,
    cards: [],
    answers: [],
  });
  const owner = actorOf('owner');
  const chief = actorOf('chief', { roles: ['securityChief'] });
  const employee = actorOf('someone');

  test('the review date opens the task; the answer closes it until the next date', () => {
    expect(transitions).toEqual({
      open: { from: 'scheduled', to: 'awaitingAnswer' },
      answer: { from: 'awaitingAnswer', to: 'scheduled' },
    });
  });

  test.each([
    ['owner', owner, 'awaitingAnswer', true, true],
    ['owner', owner, 'scheduled', true, false],
    ['security chief', chief, 'awaitingAnswer', true, true],
    ['security chief', chief, 'scheduled', true, false],
    ['anyone else', employee, 'awaitingAnswer', false, false],
    ['anyone else', employee, 'scheduled', false, false],
  ] as const)('%s, review %s: view %s, answer %s', (_who, actor, state, view, answer) => {
    expect(documentReviewPolicy.can(actor, 'view', review(state))).toBe(view);
    expect(documentReviewPolicy.can(actor, 'answer', review(state))).toBe(answer);
  });

  test('a job is due only for the date the review waits for', () => {
    expect(isDue(review('scheduled'), '2027-03-18')).toBe(true);
    expect(isDue(review('scheduled'), '2026-03-18')).toBe(false);
    expect(isDue(review('awaitingAnswer'), '2027-03-18')).toBe(false);
  });
});
