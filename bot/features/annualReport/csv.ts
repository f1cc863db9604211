/**
 * The säkerhetsbokslut as CSV: one row per unit × goal with the unit's figures beside the goal's
 * rating, comment and follow-ups (a follow-up tied to no goal gets a row of its own).
 *
 * RFC 4180 quoting and CRLF line ends, UTF-8 with a byte order mark so that Excel reads å, ä, ö.
 * The separator follows the reader's Excel: a semicolon in Swedish (Excel with Swedish regional
 * settings splits on ";", since "," is the decimal sign), a comma in English. Percentages are
 * whole numbers, so no decimal sign is needed. A text cell that Excel would take for a formula
 * (starting with = + - @) is prefixed with an apostrophe (CSV injection).
 */
import { formatDate, type Lang, translator } from '../../platform/i18n';
import type { AnnualReportFigures, FollowUpFigure } from './figures';
import { labels } from './labels';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const BOM = '\ufeff';

export const separatorFor = (lang: Lang): ';' | ',' => (lang === 'en' ? ',' : ';');

const FORMULA = /^[=+\-@\t\r]/;

/** One field, quoted when it holds the separator, a quote or a line break (RFC 4180 §2.6–2.7). */
export function csvField(value: string | number | undefined, separator: string): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA.test(value) ? `'${value}` : value;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: (string | number | undefined)[], separator: string): string {
  return fields.map((f) => csvField(f, separator)).join(separator);
}

const percent = (share: number | undefined) => (share === undefined ? undefined : Math.round(share * 100));

export function renderCsv(figures: AnnualReportFigures, lang: Lang): Uint8Array {
  const t = translator(lang);
  const l = labels(t);
  const sep = separatorFor(lang);
  const header = [
    t('report.year'),
    t('report.unit'),
    t('report.line'),
    t('report.manager'),
    t('report.reviewState'),
    t('report.signedOffAt'),
    t('report.returned'),
    `${t('report.unitCompletion')} (%)`,
    `${t('report.unitFulfilment')} (%)`,
    t('report.area'),
    t('report.goal'),
    t('report.rating'),
    t('report.comment'),
    t('report.evidence'),
    t('report.followUp'),
    t('report.owner'),
    t('report.due'),
    t('report.followUpState'),
  ];
  const areaName = new Map(figures.input.areas.map((a) => [a.id, a.name]));
  const follow = (list: FollowUpFigure[]) => {
    const join = (f: (x: FollowUpFigure) => string) =>
      list.length === 0 ? undefined : list.map(f).join('\n');
    return [
      join((f) => f.what),
      join((f) => f.ownerName),
      join((f) => formatDate(f.due)),
      join((f) =>
        f.overdue
          ? t('report.overdueMark', { status: l.followUpStatus(f.status) })
          : l.followUpStatus(f.status),
      ),
    ];
  };
  const lines = [csvLine(header, sep)];
  for (const u of figures.units) {
    const unit = [
      figures.input.year,
      u.unit.name,
      u.unit.line.join(' › '),
      u.unit.managerName,
      l.unitState(u.unit.state),
      u.signedOffAt ? formatDate(u.signedOffAt) : undefined,
      u.returned,
      percent(u.completion),
      percent(u.fulfilment),
    ];
    for (const row of u.rows) {
      const a = row.assessment;
      const comment = [a?.comment, a?.reason ? t('report.reason', { reason: a.reason }) : undefined]
        .filter(Boolean)
        .join('\n');
      lines.push(
        csvLine(
          [
            ...unit,
            areaName.get(row.goal.areaId),
            row.goal.text,
            l.rating(a?.rating ?? 'notAssessed'),
            comment || undefined,
            a?.evidenceLink,
            ...follow(u.followUpItems.filter((f) => f.goalId === row.goal.id)),
          ],
          sep,
        ),
      );
    }
    const goalIds = new Set(u.rows.map((r) => r.goal.id));
    for (const f of u.followUpItems.filter((x) => x.goalId === undefined || !goalIds.has(x.goalId))) {
      lines.push(
        csvLine([...unit, undefined, undefined, undefined, undefined, undefined, ...follow([f])], sep),
      );
    }
  }
  return new TextEncoder().encode(`${BOM}${lines.join('\r\n')}\r\n`);
}
