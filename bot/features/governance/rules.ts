/**
 * The rules of a governing document's review: when it falls due, who owns it, which step leads
 * where. Plain functions over plain data.
 */
import type { Role } from '../../platform/org/model';
import { addYears, isValidDay } from '../../platform/time';
import type { DocumentReview, DocumentReviewState } from './model';

/** The state machine: the review date opens the task, the owner's answer closes it until the next date. */
export const transitions = {
  open: { from: 'scheduled', to: 'awaitingAnswer' },
  answer: { from: 'awaitingAnswer', to: 'scheduled' },
} as const satisfies Record<string, { from: DocumentReviewState; to: DocumentReviewState }>;

const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/;
const SWEDISH_ORDINALS: Record<string, number> = { annat: 2, tredje: 3, fjärde: 4, femte: 5 };
const ENGLISH_NUMBERS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, other: 2 };

/** "årligen", "varje år", "vartannat år", "vart tredje år", "annually", "every two years" → years. */
export function reviewPeriodOf(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const s = text.toLowerCase().trim();
  if (
    /(?<!\p{L})(?:årligen|årlig|varje år|en gång (?:per|om|i) år(?:et)?|annually|yearly|every year)(?!\p{L})/u.test(
      s,
    )
  )
    return 1;
  const swedish = /(?<!\p{L})vart(annat| tredje| fjärde| femte| (\d+):?e)\s+år(?!\p{L})/u.exec(s);
  if (swedish) return swedish[2] ? Number(swedish[2]) : SWEDISH_ORDINALS[(swedish[1] as string).trim()];
  const english = /\bevery (two|three|four|five|other|\d+) years?\b/.exec(s);
  if (english) return ENGLISH_NUMBERS[english[1] as string] ?? Number(english[1]);
  return undefined;
}

/** An unanswered review is brought back to the owner (and the security chief) this many days after it opened. */
export const REMINDER_AFTER_DAYS = 14;

/**
 * When a document is next reviewed, from what it says: a date ("Nästa revidering: 2027-03-18"),
 * or a period counted from its adoption date to the first anniversary on or after today
 * ("Revideras: årligen", adopted 2025-03-18, today 2026-11-22 → 2027-03-18). Undefined when the
 * document says neither.
 */
export function nextReviewOf(
  metadata: { nextReview?: string; adoptedDate?: string },
  today: string,
): { date: string; periodYears: number } | undefined {
  const period = reviewPeriodOf(metadata.nextReview);
  const explicit = metadata.nextReview ? ISO_DATE.exec(metadata.nextReview)?.[0] : undefined;
  if (explicit && isValidDay(explicit)) return { date: explicit, periodYears: period ?? 1 };
  const adopted = metadata.adoptedDate ? ISO_DATE.exec(metadata.adoptedDate)?.[0] : undefined;
  if (!period || !adopted || !isValidDay(adopted)) return undefined;
  let date = addYears(adopted, period);
  for (let k = 2; date < today; k++) date = addYears(adopted, period * k);
  return { date, periodYears: period };
}

/** Role titles a document may name as its owner. */
const OWNER_ROLES: [RegExp, Role][] = [
  [/^(?:säkerhetschef(?:en)?|security chief|chief security officer)$/i, 'securityChief'],
  [/^(?:regiondirektör(?:en)?|kommundirektör(?:en)?|regional director)$/i, 'regionalDirector'],
  [/^(?:förvaltningschef(?:en)?|vd|head of administration)$/i, 'headOfAdministration'],
  [/^(?:dataskyddsombud(?:et)?|data protection officer)$/i, 'dataProtectionOfficer'],
  [
    /^(?:säkerhetssamordnare(?:n)?|informationssäkerhetssamordnare(?:n)?|säkerhetshandläggare(?:n)?|security officer)$/i,
    'securityOfficer',
  ],
];

/** The role a document's owner line names, if it names one. */
export function ownerRoleOf(owner: string | undefined): Role | undefined {
  const text = owner?.trim().replace(/\s+/g, ' ');
  return text ? OWNER_ROLES.find(([pattern]) => pattern.test(text))?.[1] : undefined;
}

/** Whether a stored review is still the one a job was scheduled for. */
export const isDue = (review: Pick<DocumentReview, 'state' | 'nextReviewDate'>, date: string) =>
  review.state === 'scheduled' && review.nextReviewDate === date;
