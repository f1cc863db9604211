/**
 * The säkerhetsbokslut as a Word document a board can read: a title page, the summary figures,
 * a table per security area, the units (an overview, then each unit's results per area and its
 * sign-off history), and the gaps with their follow-ups. Every text comes from the catalogue;
 * dates are shown in Europe/Stockholm. Lays out the computed figures, computes nothing itself.
 */
import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageBreak,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { formatDate, type Lang, type MessageKey, type Translate, translator } from '../../platform/i18n';
import type {
  AnnualReportFigures,
  AreaFigures,
  FollowUpCounts,
  GapFigure,
  RatingCounts,
  Share,
  UnitFigures,
} from './figures';
import { labels } from './labels';

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const HEADER_FILL = 'D9E2F3';
const TOTAL_FILL = 'F2F2F2';

const RATING_COLUMNS: (keyof RatingCounts)[] = ['met', 'partlyMet', 'notMet', 'notApplicable', 'notAssessed'];

type Cell = string | { text: string; bold?: boolean };

function cell(
  content: Cell,
  options: { header?: boolean; fill?: string; alignRight?: boolean } = {},
): TableCell {
  const text = typeof content === 'string' ? content : content.text;
  const bold = options.header || (typeof content !== 'string' && content.bold);
  return new TableCell({
    shading: options.fill ? { type: ShadingType.CLEAR, color: 'auto', fill: options.fill } : undefined,
    children: text.split('\n').map(
      (line) =>
        new Paragraph({
          alignment: options.alignRight ? AlignmentType.RIGHT : undefined,
          children: [bold ? new TextRun({ text: line, bold }) : new TextRun(line)],
        }),
    ),
  });
}

/** A table with a repeated header row; numeric columns (by index) are right-aligned. */
function table(
  header: string[],
  rows: Cell[][],
  options: { numeric?: number[]; totalRow?: boolean } = {},
): Table {
  const numeric = new Set(options.numeric ?? []);
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    rows: [
      new TableRow({
        tableHeader: true,
        children: header.map((h, i) =>
          cell(h, { header: true, fill: HEADER_FILL, alignRight: numeric.has(i) }),
        ),
      }),
      ...rows.map(
        (row, r) =>
          new TableRow({
            cantSplit: true,
            children: row.map((c, i) =>
              cell(c, {
                alignRight: numeric.has(i),
                fill: options.totalRow && r === rows.length - 1 ? TOTAL_FILL : undefined,
              }),
            ),
          }),
      ),
    ],
  });
}

const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
  new Paragraph({ heading: level, text });
const paragraph = (text: string) => new Paragraph({ children: [new TextRun(text)], spacing: { after: 120 } });
const spacer = () => new Paragraph({ text: '' });

function ratingCells(share: Share, l: ReturnType<typeof labels>): string[] {
  return [...RATING_COLUMNS.map((k) => String(share.ratings[k])), l.percent(share.fulfilment)];
}

function followUpSummary(t: Translate, counts: FollowUpCounts): string {
  const l = labels(t);
  const parts = (['open', 'inProgress', 'done', 'cancelled'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${l.followUpStatus(s)} ${counts[s]}`);
  return parts.length === 0 ? String(counts.total) : `${counts.total} (${parts.join(', ')})`;
}

function titlePage(t: Translate, figures: AnnualReportFigures): Paragraph[] {
  const { input } = figures;
  const facts: [string, string][] = [
    [t('report.opened'), formatDate(input.openedAt)],
    [t('report.deadline'), formatDate(input.deadline)],
    [t('report.closed'), input.closedAt ? formatDate(input.closedAt) : t('report.notClosed')],
    [t('report.generated'), formatDate(input.generatedAt)],
  ];
  if (input.preparedBy) facts.push([t('report.preparedBy'), input.preparedBy]);
  return [
    new Paragraph({ text: '', spacing: { before: 2400 } }),
    new Paragraph({ heading: HeadingLevel.TITLE, text: t('report.title', { year: input.year }) }),
    new Paragraph({
      children: [new TextRun({ text: input.organisation, size: 32 })],
      spacing: { after: 240 },
    }),
    paragraph(t('report.subtitle', { organisation: input.organisation })),
    new Paragraph({ text: '', spacing: { after: 480 } }),
    ...facts.map(
      ([label, value]) =>
        new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)] }),
    ),
    new Paragraph({ children: [new PageBreak()] }),
  ];
}

function summary(t: Translate, figures: AnnualReportFigures): (Paragraph | Table)[] {
  const l = labels(t);
  const { totals } = figures;
  const ofTotal = (count: number, total: number) => t('report.ofTotal', { count, total });
  const rows: Cell[][] = [
    [t('report.units'), String(totals.units)],
    [t('report.signedOffUnits'), ofTotal(totals.signedOff, totals.units)],
    [t('report.returnedUnits'), String(totals.returnedUnits)],
    [t('report.returns'), String(totals.returns)],
    [
      t('report.completion'),
      `${l.percent(totals.completion)} (${ofTotal(totals.assessed, totals.assessments)})`,
    ],
    [t('report.fulfilment'), l.percent(totals.fulfilment)],
    ...RATING_COLUMNS.map((k): Cell[] => [l.rating(k), String(totals.ratings[k])]),
    [t('report.gaps'), String(totals.gaps)],
    [t('report.unansweredGaps'), String(totals.unansweredGaps)],
    [t('report.followUps'), followUpSummary(t, totals.followUps)],
    [t('report.overdue'), String(totals.followUps.overdue)],
  ];
  return [
    heading(t('report.summary'), HeadingLevel.HEADING_1),
    paragraph(
      t('report.summaryText', {
        signedOff: totals.signedOff,
        units: totals.units,
        assessed: totals.assessed,
        assessments: totals.assessments,
        fulfilment: l.percent(totals.fulfilment),
        gaps: totals.gaps,
        followUps: totals.followUps.total,
      }),
    ),
    table([t('report.figure'), t('report.value')], rows),
    spacer(),
    new Paragraph({
      children: [
        new TextRun({ text: t('report.definitions', { asOf: figures.asOf }), italics: true, size: 18 }),
      ],
    }),
  ];
}

function ratingHeader(t: Translate, first: string): string[] {
  const l = labels(t);
  return [first, ...RATING_COLUMNS.map((k) => l.rating(k)), t('report.fulfilment')];
}

function areaSection(t: Translate, area: AreaFigures): (Paragraph | Table)[] {
  const l = labels(t);
  const rows: Cell[][] = area.goals.map((g) => [g.goal.text, ...ratingCells(g, l)]);
  rows.push([
    { text: t('report.areaTotal'), bold: true },
    ...ratingCells(area, l).map((text) => ({ text, bold: true })),
  ]);
  return [
    heading(area.area.name, HeadingLevel.HEADING_2),
    table(ratingHeader(t, t('report.goal')), rows, { numeric: [1, 2, 3, 4, 5, 6], totalRow: true }),
    paragraph(
      `${t('report.gaps')}: ${area.gaps}. ${t('report.followUps')}: ${followUpSummary(t, area.followUps)}.`,
    ),
  ];
}

function unitsOverview(t: Translate, units: UnitFigures[]): Table {
  const l = labels(t);
  return table(
    [
      t('report.unit'),
      t('report.line'),
      t('report.manager'),
      t('report.state'),
      t('report.assessed'),
      t('report.fulfilment'),
      t('report.gaps'),
      t('report.followUps'),
      t('report.returned'),
    ],
    units.map((u) => [
      u.unit.name,
      u.unit.line.join(' › '),
      u.unit.managerName,
      l.unitState(u.unit.state),
      `${u.assessed}/${u.goals}`,
      l.percent(u.fulfilment),
      String(u.gaps.length),
      String(u.followUps.total),
      String(u.returned),
    ]),
    { numeric: [4, 5, 6, 7, 8] },
  );
}

/** One row per unit, one column per area: the goal fulfilment a board compares at a glance. */
function unitAreaMatrix(t: Translate, figures: AnnualReportFigures): Table {
  const l = labels(t);
  const areas = figures.input.areas;
  return table(
    [t('report.unit'), ...areas.map((a) => a.name), t('report.total')],
    figures.units.map((u) => [
      u.unit.name,
      ...u.byArea.map((a) => l.percent(a.fulfilment)),
      l.percent(u.fulfilment),
    ]),
    { numeric: areas.map((_, i) => i + 1).concat(areas.length + 1) },
  );
}

function unitSection(t: Translate, u: UnitFigures): (Paragraph | Table)[] {
  const l = labels(t);
  const facts: [string, string][] = [
    [t('report.line'), u.unit.line.join(' › ') || t('report.none')],
    [t('report.manager'), u.unit.managerName],
    [t('report.state'), l.unitState(u.unit.state)],
    [
      t('report.signedOffAt'),
      u.signedOffAt
        ? t('report.signedOffBy', { date: formatDate(u.signedOffAt), name: u.signedOffBy ?? '' })
        : t('report.none'),
    ],
    [t('report.completion'), `${l.percent(u.completion)} (${u.assessed}/${u.goals})`],
    [t('report.fulfilment'), l.percent(u.fulfilment)],
    [t('report.returned'), String(u.returned)],
    [t('report.followUps'), followUpSummary(t, u.followUps)],
  ];
  const history = u.unit.history.map((h): Cell[] => [
    formatDate(h.at),
    h.onBehalfOfName ? t('report.onBehalfOf', { name: h.byName, for: h.onBehalfOfName }) : h.byName,
    l.action(h.action),
    h.comment ?? '',
  ]);
  return [
    heading(u.unit.name, HeadingLevel.HEADING_3),
    ...facts.map(
      ([label, value]) =>
        new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)] }),
    ),
    new Paragraph({
      children: [new TextRun({ text: t('report.history'), bold: true })],
      spacing: { before: 120 },
    }),
    history.length === 0
      ? paragraph(t('report.noHistory'))
      : table([t('report.when'), t('report.who'), t('report.event'), t('report.comment')], history),
    spacer(),
  ];
}

function gapRows(t: Translate, gaps: GapFigure[]): Cell[][] {
  const l = labels(t);
  const rows: Cell[][] = [];
  for (const gap of gaps) {
    const assessed = [gap.unitName, gap.areaName, gap.goal.text, l.rating(gap.rating), gap.comment ?? ''];
    if (gap.followUps.length === 0) {
      rows.push([
        ...assessed,
        gap.reason
          ? t('report.reason', { reason: gap.reason })
          : { text: t('report.missingFollowUp'), bold: true },
        '',
        '',
        '',
      ]);
      continue;
    }
    for (const f of gap.followUps) {
      const status = l.followUpStatus(f.status);
      rows.push([
        ...assessed,
        f.what,
        f.ownerName,
        formatDate(f.due),
        f.overdue ? { text: t('report.overdueMark', { status }), bold: true } : status,
      ]);
    }
  }
  return rows;
}

function gapsSection(t: Translate, figures: AnnualReportFigures): (Paragraph | Table)[] {
  const l = labels(t);
  const out: (Paragraph | Table)[] = [heading(t('report.gapsAndFollowUps'), HeadingLevel.HEADING_1)];
  if (figures.gaps.length === 0) out.push(paragraph(t('report.noGaps')));
  else
    out.push(
      table(
        [
          t('report.unit'),
          t('report.area'),
          t('report.goal'),
          t('report.rating'),
          t('report.comment'),
          t('report.followUp'),
          t('report.owner'),
          t('report.due'),
          t('report.status'),
        ],
        gapRows(t, figures.gaps),
      ),
    );
  const other = figures.followUps.filter(
    (f) => !figures.gaps.some((g) => g.unitId === f.unitId && g.goal.id === f.goalId),
  );
  if (other.length > 0) {
    out.push(
      heading(t('report.otherFollowUps'), HeadingLevel.HEADING_2),
      table(
        [
          t('report.unit'),
          t('report.goal'),
          t('report.followUp'),
          t('report.owner'),
          t('report.due'),
          t('report.status'),
        ],
        other.map((f) => {
          const status = l.followUpStatus(f.status);
          return [
            f.unitName,
            f.goalText ?? t('report.none'),
            f.what,
            f.ownerName,
            formatDate(f.due),
            f.overdue ? { text: t('report.overdueMark', { status }), bold: true } : status,
          ];
        }),
      ),
    );
  }
  return out;
}

/** Renders the report as .docx bytes in the reader's language. */
/** The year's reports of risks, deficiencies and incidents: per kind, area and unit, and the lessons of the most significant. */
function reportsSection(t: Translate, figures: AnnualReportFigures): (Paragraph | Table)[] {
  const reports = figures.input.reports;
  if (!reports) return [];
  const areaName = new Map(figures.input.areas.map((a) => [a.id, a.name]));
  const kindName = (kind: string) => t(`reports.kind.${kind}` as MessageKey);
  const days =
    reports.medianDaysToClose === undefined ? '–' : String(reports.medianDaysToClose).replace('.', ',');
  const countHeader = [t('report.reports.count'), t('report.reports.closed')];
  return [
    new Paragraph({ children: [new PageBreak()] }),
    heading(t('report.reports.title'), HeadingLevel.HEADING_1),
    paragraph(t('report.reports.summary', { total: reports.total, closed: reports.closed, days })),
    heading(t('report.reports.byKind'), HeadingLevel.HEADING_2),
    table(
      [t('reports.kindLabel'), t('report.reports.count')],
      Object.entries(reports.byKind).map(([kind, n]) => [kindName(kind), String(n)]),
      { numeric: [1] },
    ),
    heading(t('report.reports.byArea'), HeadingLevel.HEADING_2),
    table(
      [t('report.area'), ...countHeader],
      reports.byArea.map((a) => [areaName.get(a.areaId) ?? a.areaId, String(a.count), String(a.closed)]),
      { numeric: [1, 2] },
    ),
    heading(t('report.reports.byUnit'), HeadingLevel.HEADING_2),
    table(
      [t('report.unit'), ...countHeader],
      reports.byUnit.map((u) => [u.unitName, String(u.count), String(u.closed)]),
      { numeric: [1, 2] },
    ),
    heading(t('report.reports.significant'), HeadingLevel.HEADING_2),
    ...(reports.significant.length === 0
      ? [paragraph(t('report.reports.noneSignificant'))]
      : [
          table(
            [
              t('report.reports.event'),
              t('reports.unitLabel'),
              t('reports.causeLabel'),
              t('reports.lessonsLabel'),
            ],
            reports.significant.map((s) => [
              `${kindName(s.kind)}: ${s.title} (${formatDate(s.occurredAt)})`,
              s.unitName,
              s.cause ?? '',
              s.lessons ?? '',
            ]),
          ),
        ]),
  ];
}

export async function renderDocx(figures: AnnualReportFigures, lang: Lang): Promise<Uint8Array> {
  const t = translator(lang);
  const { input } = figures;
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({
            text: `${t('report.footer', { year: input.year, organisation: input.organisation })} · `,
            size: 16,
          }),
          new TextRun({
            children: [
              `${t('report.page')} `,
              PageNumber.CURRENT,
              ` ${t('report.pageOf')} `,
              PageNumber.TOTAL_PAGES,
            ],
            size: 16,
          }),
        ],
      }),
    ],
  });
  const landscape = {
    page: {
      size: { orientation: PageOrientation.LANDSCAPE },
      margin: { top: 1000, bottom: 1000, left: 1000, right: 1000 },
    },
  };
  const doc = new Document({
    creator: input.preparedBy ?? input.organisation,
    title: t('report.title', { year: input.year }),
    description: t('report.subtitle', { organisation: input.organisation }),
    styles: {
      default: {
        document: {
          run: { font: 'Calibri', size: 20, language: { value: lang === 'en' ? 'en-GB' : 'sv-SE' } },
        },
      },
    },
    sections: [
      {
        footers: { default: footer },
        children: [...titlePage(t, figures), ...summary(t, figures)],
      },
      {
        properties: landscape,
        footers: { default: footer },
        children: [
          heading(t('report.byArea'), HeadingLevel.HEADING_1),
          ...figures.areas.flatMap((a) => areaSection(t, a)),
          new Paragraph({ children: [new PageBreak()] }),
          heading(t('report.byUnit'), HeadingLevel.HEADING_1),
          unitsOverview(t, figures.units),
          heading(t('report.byUnitAndArea'), HeadingLevel.HEADING_2),
          unitAreaMatrix(t, figures),
          heading(t('report.unitDetails'), HeadingLevel.HEADING_2),
          ...figures.units.flatMap((u) => unitSection(t, u)),
          new Paragraph({ children: [new PageBreak()] }),
          ...gapsSection(t, figures),
          ...reportsSection(t, figures),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
