/** The figures as CSV (RFC 4180: comma, CRLF, quoted where needed; UTF-8 with a BOM so Excel reads å, ä, ö). */
import { stringify } from 'csv-stringify/sync';
import { type Lang, translator } from '../../platform/i18n';
import { FAILURE_REASONS, type Figures, type Tally } from './rules';

const pct = (n: number, of: number) => (of === 0 ? '' : String(Math.round((n / of) * 100)));

export function figuresCsv(lang: Lang, figures: Figures): Uint8Array {
  const t = translator(lang);
  const header = [
    t('campaign.csv.unitId'),
    t('campaign.figures.unit'),
    t('campaign.figures.targeted'),
    t('campaign.figures.delivered'),
    t('campaign.figures.pending'),
    t('campaign.figures.failed'),
    ...FAILURE_REASONS.map((r) => t(`campaign.csv.failed.${r}`)),
    t('campaign.figures.notSent'),
    t('campaign.figures.acknowledged'),
    t('campaign.csv.acknowledgedPct'),
    t('campaign.figures.quizAnswered'),
    t('campaign.figures.quizPassed'),
    t('campaign.csv.passRate'),
  ];
  const row = (id: string, name: string, x: Tally) => [
    id,
    name,
    x.targeted,
    x.delivered,
    x.pending,
    x.failed,
    ...FAILURE_REASONS.map((r) => x.failedBy[r]),
    x.notSent,
    x.acknowledged,
    pct(x.acknowledged, x.delivered),
    x.quizAnswered,
    x.quizPassed,
    pct(x.quizPassed, x.quizAnswered),
  ];
  const rows = [
    header,
    ...figures.units.map((u) => row(u.unitId, u.unitName, u)),
    row('', t('campaign.csv.total'), figures.total),
  ];
  return new TextEncoder().encode(
    stringify(rows, { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ }),
  );
}
