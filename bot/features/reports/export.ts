/**
 * The export of one record with its full history, for a request for a public document (begäran om
 * allmän handling): the record as stored, every audit event about it (who did what, when), and the
 * records born from it (a report's follow-up). As JSON, and as a readable .docx that says it must be
 * reviewed for secrecy (OSL) before anything is released. For the security function only.
 */
import { forbidden, notFound } from '../../platform/errors';
import type { ApiRoute } from '../../platform/http/api';
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
            bytes: await (require('./exportDocx') as typeof import('./exportDocx')).renderExportDocx(
              exported,
              caller.lang,
            ),
          },
        };
      },
    },
  ];
}
