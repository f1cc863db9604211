/**
 * The report's rules as plain functions: catching a Swedish personal identity number before anything is
 * stored, who a report goes to, when its handling falls due, and the year's figures.
 */
import type { Report, ReportKind, Severity } from './model';
import { isSensitive, PROTECTIVE_SECURITY_AREA, reportKinds, severities, toSecurityFunction } from './model';

/**
 * A Swedish personal identity number (personnummer) or coordination number (samordningsnummer, the day
 * plus 60): YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDDNNNN, YYYYMMDD-NNNN, YYMMDDNNNN, with the check digit right
 * (Luhn over the ten digits). Returns the first found, as written, or undefined.
 */
export function findPersonalNumber(text: string): string | undefined {
  const pattern = /(?<![\d-])((?:19|20)?\d{2})(\d{2})(\d{2})\s?([-+]?)\s?(\d{4})(?![\d])/g;
  for (const match of text.matchAll(pattern)) {
    const [whole, year = '', month = '', day = '', , last = ''] = match;
    const m = Number(month);
    const d = Number(day);
    if (m < 1 || m > 12) continue;
    if (!((d >= 1 && d <= 31) || (d >= 61 && d <= 91))) continue;
    const ten = `${year.slice(-2)}${month}${day}${last}`;
    if (luhn(ten)) return whole;
  }
  return undefined;
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let v = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 === 0;
}

/** Who a new report goes to besides its manager, by kind. */
export interface Routing {
  securityFunction: boolean;
  securityChief: boolean;
  dataProtectionOfficer: boolean;
}

export function routingOf(report: Pick<Report, 'kind' | 'areaId'>): Routing {
  return {
    securityFunction: toSecurityFunction.has(report.kind),
    securityChief: isSensitive(report),
    dataProtectionOfficer: report.kind === 'personalDataIncident',
  };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface ReportSchedule {
  /** Days after reporting by which the handler should have decided (then: a reminder). */
  handlingDays: number;
  /** Days after that reminder before it goes one level up the line. */
  escalationDays: number;
}

export const defaultReportSchedule: ReportSchedule = { handlingDays: 7, escalationDays: 7 };

export function handlingTimes(reportedAt: string, schedule: ReportSchedule) {
  const start = new Date(reportedAt).getTime();
  const remind = new Date(start + schedule.handlingDays * DAY).toISOString();
  const escalate = new Date(start + (schedule.handlingDays + schedule.escalationDays) * DAY).toISOString();
  return { remind, escalate };
}

/** GDPR art. 33: the 72 hours end here; the reminder goes 24 hours before. */
export function personalDataClock(reportedAt: string) {
  const start = new Date(reportedAt).getTime();
  return {
    deadline: new Date(start + 72 * HOUR).toISOString(),
    reminder: new Date(start + 48 * HOUR).toISOString(),
  };
}

/** The year's picture for the säkerhetsbokslut: counts per kind, area and unit, closed and how fast, the significant ones. */
export interface ReportYearFigures {
  year: number;
  total: number;
  closed: number;
  /** Median days from reported to closed (closed reports), undefined when none is closed. */
  medianDaysToClose?: number;
  byKind: Record<ReportKind, number>;
  bySeverity: Record<Severity, number>;
  byArea: { areaId: string; count: number; closed: number }[];
  byUnit: { unitId: string; unitName: string; count: number; closed: number }[];
  /** Closed reports of high severity or with lessons, most serious first (at most ten; säkerhetsskydd is left out). */
  significant: {
    title: string;
    kind: ReportKind;
    unitName: string;
    occurredAt: string;
    cause?: string;
    lessons?: string;
  }[];
}

export function yearFigures(year: number, reports: readonly Report[]): ReportYearFigures {
  const of = reports.filter((r) => r.year === year);
  const closed = of.filter((r) => r.state === 'closed' && r.closedAt);
  const days = closed
    .map((r) => (new Date(r.closedAt as string).getTime() - new Date(r.reportedAt).getTime()) / DAY)
    .sort((a, b) => a - b);
  const median =
    days.length === 0
      ? undefined
      : days.length % 2
        ? days[(days.length - 1) / 2]
        : ((days[days.length / 2 - 1] as number) + (days[days.length / 2] as number)) / 2;
  const count = <K extends string>(keys: readonly K[], key: (r: Report) => K) =>
    Object.fromEntries(keys.map((k) => [k, of.filter((r) => key(r) === k).length])) as Record<K, number>;
  const group = <G>(key: (r: Report) => string, make: (r: Report) => G) => {
    const map = new Map<string, G & { count: number; closed: number }>();
    for (const r of of) {
      const g = map.get(key(r)) ?? { ...make(r), count: 0, closed: 0 };
      g.count++;
      if (r.state === 'closed') g.closed++;
      map.set(key(r), g);
    }
    return [...map.values()];
  };
  const rank = (r: Report) => severities.indexOf(r.severity) * 10 + (r.kind === 'risk' ? 0 : 1);
  return {
    year,
    total: of.length,
    closed: closed.length,
    ...(median === undefined ? {} : { medianDaysToClose: Math.round(median * 10) / 10 }),
    byKind: count(reportKinds, (r) => r.kind),
    bySeverity: count(severities, (r) => r.severity),
    byArea: group(
      (r) => r.areaId,
      (r) => ({ areaId: r.areaId }),
    ).sort((a, b) => a.areaId.localeCompare(b.areaId)),
    byUnit: group(
      (r) => r.unitId,
      (r) => ({ unitId: r.unitId, unitName: r.unitName }),
    ).sort((a, b) => a.unitName.localeCompare(b.unitName, 'sv')),
    significant: closed
      .filter((r) => (r.severity === 'high' || r.lessons) && r.areaId !== PROTECTIVE_SECURITY_AREA)
      .sort((a, b) => rank(b) - rank(a) || a.occurredAt.localeCompare(b.occurredAt))
      .slice(0, 10)
      .map((r) => ({
        title: r.title,
        kind: r.kind,
        unitName: r.unitName,
        occurredAt: r.occurredAt,
        ...(r.cause ? { cause: r.cause } : {}),
        ...(r.lessons ? { lessons: r.lessons } : {}),
      })),
  };
}

/** Hours left of the 72 (negative once passed), rounded down. */
export const hoursLeft = (deadline: string, now: Date) =>
  Math.floor((new Date(deadline).getTime() - now.getTime()) / HOUR);
