/**
 * The report's chat commands, card verbs and tab API: parse (zod), then the service loads, authorizes,
 * acts and presents. A new report is checked the same way from the card and from the tab; what does not
 * fit gets a message naming the problem in the person's language, and nothing is stored.
 */

import { z } from 'zod';
import { AppError, badInput } from '../../platform/errors';
import type { ApiRoute } from '../../platform/http/api';
import { type Lang, type MessageKey, t } from '../../platform/i18n';
import { parseCard } from '../../platform/parse';
import { type CommandRoute, type VerbRoute, wholeMessage as whole } from '../../platform/teams/routes';
import { stockholmDay, stockholmToInstant } from '../../platform/time';
import { reportKinds, severities } from './model';
import { type FormValues, formCard } from './present';

import type { NewReport, ReportService, StepInput } from './service';
import { verbs } from './verbs';

const text = (max: number) => z.string().trim().max(max);

/** The fields of a new report; each failure names its own message. */
const newReportSchema = z.object({
  kind: z.enum(reportKinds),
  title: text(200).min(1),
  description: text(4000).min(1),
  where: text(200).default(''),
  occurredAt: z.iso.datetime({ offset: true }),
  area: z.string().trim().min(1).max(50),
  severity: z.enum(severities),
});

const fieldMessages: Record<string, MessageKey> = {
  kind: 'reports.invalid.kind',
  title: 'reports.invalid.title',
  description: 'reports.invalid.description',
  where: 'reports.invalid.where',
  occurredAt: 'reports.invalid.occurredAt',
  area: 'reports.invalid.area',
  severity: 'reports.invalid.severity',
};

export function parseNewReport(input: unknown): NewReport {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw badInput('reports.invalid.body');
  const result = newReportSchema.safeParse(input);
  if (result.success) return result.data;
  const field = String(result.error.issues[0]?.path[0] ?? '');
  throw badInput(fieldMessages[field] ?? 'reports.invalid.body');
}

const seen = z.object({ reportId: z.string().min(1).max(100), seen: z.string().max(40).default('') });
const view = z.object({
  reportId: z.string().min(1).max(100),
  details: z.union([z.boolean(), z.string()]).optional(),
});
const decisionFields = z.object({
  decision: z.string().optional(),
  what: z.string().optional(),
  ownerId: z.string().optional(),
  due: z.string().optional(),
  reason: z.string().optional(),
});

/** A decision from the card's or the tab's fields: a follow-up needs what, owner and due day; no action a reason. */
function parseDecision(data: unknown): StepInput {
  const d = parseCard(decisionFields, data);
  const what = d.what?.trim() ?? '';
  const reason = d.reason?.trim() ?? '';
  if (d.decision === 'followUp') {
    if (!what || what.length > 1000 || !d.ownerId || !/^\d{4}-\d{2}-\d{2}$/.test(d.due ?? ''))
      throw badInput('reports.invalid.followUp');
    return { step: 'decide', decision: { kind: 'followUp', what, ownerId: d.ownerId, due: d.due as string } };
  }
  if (d.decision === 'noAction') {
    if (!reason || reason.length > 1000) throw badInput('reports.invalid.reason');
    return { step: 'decide', decision: { kind: 'noAction', reason } };
  }
  throw badInput('reports.invalid.decision');
}

const closeFields = z.object({ cause: z.string().optional(), lessons: z.string().optional() });
function parseClose(data: unknown): StepInput {
  const d = parseCard(closeFields, data);
  const cause = d.cause?.trim() ?? '';
  const lessons = d.lessons?.trim() ?? '';
  if (!cause || cause.length > 2000) throw badInput('reports.invalid.cause');
  if (!lessons || lessons.length > 2000) throw badInput('reports.invalid.lessons');
  return { step: 'close', cause, lessons };
}

const assessFields = z.object({ outcome: z.string().optional(), comment: z.string().max(1000).optional() });
function parseAssess(data: unknown): StepInput {
  const d = parseCard(assessFields, data);
  if (d.outcome !== 'notified' && d.outcome !== 'notRequired') throw badInput('reports.invalid.outcome');
  return { step: 'assessPersonalData', outcome: d.outcome, comment: d.comment?.trim() ?? '' };
}

const forwardFields = z.object({ comment: z.string().max(1000).optional() });
const parseForward = (data: unknown): StepInput => ({
  step: 'forward',
  comment: parseCard(forwardFields, data).comment?.trim() ?? '',
});

export function reportCommands(service: ReportService): CommandRoute[] {
  return [
    {
      name: 'reports.form',
      matches: whole(
        'rapportera( en)?( risk| brist| incident| avvikelse| händelse)?',
        'ny rapport',
        'report( a)?( risk| deficiency| incident)?',
        'new report',
      ),
      handle: (caller) => service.form(caller.personId, caller.lang),
    },
  ];
}

const formValues = z.object({
  kind: z.string().max(50).optional(),
  title: z.string().max(10_000).optional(),
  description: z.string().max(100_000).optional(),
  where: z.string().max(10_000).optional(),
  occurredDate: z.string().max(20).optional(),
  occurredTime: z.string().max(20).optional(),
  area: z.string().max(100).optional(),
  severity: z.string().max(20).optional(),
});

/** The form's inputs as Teams sends them (empty inputs as ""), Stockholm date and time → one instant. */
function fromForm(values: FormValues): unknown {
  const occurredAt = stockholmToInstant(values.occurredDate ?? '', values.occurredTime || '12:00');
  return {
    kind: values.kind || undefined,
    title: values.title ?? '',
    description: values.description ?? '',
    where: values.where ?? '',
    occurredAt: occurredAt ?? '',
    area: values.area || undefined,
    severity: values.severity || undefined,
  };
}

export function reportVerbRoutes(
  service: ReportService,
  areas: Parameters<typeof formCard>[1]['areas'],
  clock: () => Date,
): VerbRoute[] {
  const onCard =
    (parse: (data: unknown) => StepInput) =>
    (caller: { personId: string; lang: Lang }, data: Record<string, unknown>) => {
      const ref = parseCard(seen, data);
      return service.onCard(caller.personId, caller.lang, ref.reportId, ref.seen, parse(data));
    };
  return [
    { verb: verbs.form, handle: (caller) => service.form(caller.personId, caller.lang) },
    {
      verb: verbs.create,
      handle: async (caller, data) => {
        const values = parseCard(formValues, data);
        try {
          const report = await service.create(caller.personId, parseNewReport(fromForm(values)));
          return service.sentCard(caller.personId, caller.lang, report);
        } catch (error) {
          // the form again, with the person's own words and what to change; nothing was stored
          if (error instanceof AppError && error.status === 400)
            return formCard(caller.lang, {
              areas,
              today: stockholmDay(clock()),
              values,
              problem: t(caller.lang, error.messageKey, error.params),
            });
          throw error;
        }
      },
    },
    {
      verb: verbs.view,
      handle: (caller, data) => {
        const input = parseCard(view, data);
        return service.view(
          caller.personId,
          caller.lang,
          input.reportId,
          input.details === true || input.details === 'true',
        );
      },
    },
    { verb: verbs.acknowledge, handle: onCard(() => ({ step: 'acknowledge' })) },
    { verb: verbs.decide, handle: onCard(parseDecision) },
    { verb: verbs.forward, handle: onCard(parseForward) },
    { verb: verbs.close, handle: onCard(parseClose) },
    { verb: verbs.assessPersonalData, handle: onCard(parseAssess) },
  ];
}

const yearQuery = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/)
    .transform(Number)
    .optional(),
});

/** The tab's API (kept as the issue states it: acceptance checks use it). */
export function reportApi(service: ReportService, clock: () => Date): ApiRoute[] {
  const step = (path: string, parse: (body: unknown) => StepInput): ApiRoute => ({
    method: 'POST',
    path: `/reports/:id/${path}`,
    handle: async ({ caller, params, body }) => ({
      json: await service.onApi(caller.personId, params.id ?? '', parse(body ?? {})),
    }),
  });
  return [
    {
      method: 'POST',
      path: '/reports',
      handle: async ({ caller, body }) => {
        const report = await service.create(caller.personId, parseNewReport(body));
        return { status: 201, json: await service.get(caller.personId, report.id) };
      },
    },
    {
      method: 'GET',
      path: '/reports',
      handle: async ({ caller }) => ({ json: await service.list(caller.personId) }),
    },
    {
      method: 'GET',
      path: '/reports/figures',
      handle: async ({ caller, query }) => {
        const parsed = yearQuery.safeParse(query);
        if (!parsed.success) throw badInput('reports.invalid.year');
        return {
          json: await service.figures(
            caller.personId,
            parsed.data.year ?? Number(stockholmDay(clock()).slice(0, 4)),
          ),
        };
      },
    },
    {
      method: 'GET',
      path: '/reports/:id',
      handle: async ({ caller, params }) => ({ json: await service.get(caller.personId, params.id ?? '') }),
    },
    step('acknowledge', () => ({ step: 'acknowledge' })),
    step('decide', parseDecision),
    step('forward', parseForward),
    step('close', parseClose),
    step('personal-data-assessment', parseAssess),
  ];
}
