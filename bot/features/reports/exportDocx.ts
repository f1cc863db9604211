/**
 * The record export as a readable .docx (see export.ts): the record field by field, its history, and the
 * records born from it, under a line that says it must be reviewed for secrecy before release. Its own
 * module so that the docx library is loaded with the first export, not with the service.
 */
import {
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { formatDateTime, type Lang, translator } from '../../platform/i18n';
import type { RecordExport } from './export';

const row = (cells: string[], header = false) =>
  new TableRow({
    tableHeader: header,
    children: cells.map(
      (text) =>
        new TableCell({
          children: text
            .split('\n')
            .map((line) => new Paragraph({ children: [new TextRun({ text: line, bold: header })] })),
        }),
    ),
  });

/** Field by field: nested values as JSON, so nothing in the record is left out or reworded. */
const fieldRows = (record: unknown) =>
  Object.entries((record ?? {}) as Record<string, unknown>).map(([key, value]) =>
    row([key, typeof value === 'string' ? value : JSON.stringify(value, null, 1)]),
  );

export async function renderExportDocx(exported: RecordExport, lang: Lang): Promise<Uint8Array> {
  const t = translator(lang);
  const historyTable = (history: RecordExport['history']) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        row([t('export.when'), t('export.who'), t('export.what'), t('export.comment')], true),
        ...history.map((h) =>
          row([
            formatDateTime(h.at),
            h.onBehalfOf ? `${h.actorName} (${t('export.onBehalfOf', { id: h.onBehalfOf })})` : h.actorName,
            [h.action, h.fromState || h.toState ? `${h.fromState ?? '–'} → ${h.toState ?? '–'}` : '']
              .filter(Boolean)
              .join(' '),
            h.comment ?? '',
          ]),
        ),
      ],
    });
  const recordTable = (record: unknown) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [row([t('export.field'), t('export.value')], true), ...fieldRows(record)],
    });
  const doc = new Document({
    title: t('export.title', { type: exported.type, id: exported.id }),
    sections: [
      {
        children: [
          new Paragraph({
            heading: HeadingLevel.TITLE,
            text: t('export.title', { type: exported.type, id: exported.id }),
          }),
          new Paragraph({ children: [new TextRun({ text: t('export.secrecy'), bold: true })] }),
          new Paragraph({
            text: t('export.made', { when: formatDateTime(exported.exportedAt), by: exported.exportedBy }),
          }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, text: t('export.record') }),
          recordTable(exported.record),
          new Paragraph({ heading: HeadingLevel.HEADING_1, text: t('export.history') }),
          historyTable(exported.history),
          ...exported.related.flatMap((r) => [
            new Paragraph({
              heading: HeadingLevel.HEADING_1,
              text: t('export.related', { type: r.type, id: r.id }),
            }),
            recordTable(r.record),
            historyTable(r.history),
          ]),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
