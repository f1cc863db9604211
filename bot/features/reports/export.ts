/**
 * The export of one record with its full history, for a request for a public document (begäran om
 * allmän handling): the record as stored, every audit event about it (who did what, when), and the
 * records born from it (a report's follow-up). As JSON, and as a readable .docx that says it must be
 * reviewed for secrecy (OSL) before anything is released. For the security function only.
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
import { forbidden, notFound } from '../../platform/errors';
import type { ApiRoute } from '../../platform/http/api';
import { formatDateTime, type Lang, translator } from '../../platform/i18n';
import type { Actor } from '../../platform/org/actor';
import type { Directory } from '../../platform/org/model';
import type { Store } from '../../platform/store';

export const exportableTypes = ['report', 'question', 'followUp'] as const;
export type ExportableType = (typeof exportableTypes)[number];

export interface RecordExport {
  type: ExportableType;
  id: string;
  exportedAt: string;
  exportedBy: string;
  record: unknown;
  history: {
    at: string;
    actorId: string;
    actorName: string;
    onBehalfOf?: string;
    action: string;
    fromState?: string;
    toState?: string;
    comment?: string;
  }[];
  related: { type: ExportableType; id: string; record: unknown; history: RecordExport['history'] }[];
}

export class RecordExporter {
  constructor(
    private readonly deps: {
      store: Store;
      directory: Directory;
      clock: () => Date;
      actor: (personId: string) => Promise<Actor>;
    },
  ) {}

  private async load(type: ExportableType, id: string): Promise<unknown> {
    const { store } = this.deps;
    switch (type) {
      case 'report':
        return (await store.reports.get(id))?.value;
      case 'question':
        return (await store.questions.get(id))?.value;
      case 'followUp':
        return (await store.followUps.get(id))?.value;
    }
  }

  private async history(type: ExportableType, id: string): Promise<RecordExport['history']> {
    const events = await this.deps.store.auditEvents.find({ recordType: type, recordId: id });
    const names = new Map<string, string>();
    for (const e of events)
      if (!names.has(e.actorId))
        names.set(e.actorId, (await this.deps.directory.person(e.actorId))?.name ?? e.actorId);
    return events.map((e) => ({
      at: e.at,
      actorId: e.actorId,
      actorName: names.get(e.actorId) ?? e.actorId,
      ...(e.onBehalfOf ? { onBehalfOf: e.onBehalfOf } : {}),
      action: e.action,
      ...(e.fromState ? { fromState: e.fromState } : {}),
      ...(e.toState ? { toState: e.toState } : {}),
      ...(e.comment ? { comment: e.comment } : {}),
    }));
  }

  /** The security function only; a record that does not exist is 404 (to them, existence is not secret). */
  async export(personId: string, type: string, id: string): Promise<RecordExport> {
    const actor = await this.deps.actor(personId);
    if (!actor.securityFunction) throw forbidden();
    const known = exportableTypes.find((t) => t === type);
    const record = known ? await this.load(known, id) : undefined;
    if (!known || record === undefined) throw notFound();
    const related: RecordExport['related'] = [];
    if (known === 'report') {
      const followUpId = `report:${id}`;
      const followUp = await this.load('followUp', followUpId);
      if (followUp)
        related.push({
          type: 'followUp',
          id: followUpId,
          record: followUp,
          history: await this.history('followUp', followUpId),
        });
    }
    return {
      type: known,
      id,
      exportedAt: this.deps.clock().toISOString(),
      exportedBy: personId,
      record,
      history: await this.history(known, id),
      related,
    };
  }
}

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

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function exportApi(exporter: RecordExporter): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/records/:type/:id/export',
      handle: async ({ caller, params, query }) => {
        const exported = await exporter.export(caller.personId, params.type ?? '', params.id ?? '');
        if (query.format !== 'docx') return { json: exported };
        return {
          file: {
            name: `${exported.type}-${exported.id.replace(/[^\w.-]/g, '_')}.docx`,
            contentType: DOCX,
            bytes: await renderExportDocx(exported, caller.lang),
          },
        };
      },
    },
  ];
}
