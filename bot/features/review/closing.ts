/** The chief's side: the cycles with their progress, and closing a cycle into the säkerhetsbokslut. */
import type { AuditEvent } from '../../platform/audit/model';
import { notFound } from '../../platform/errors';
import { type Lang, translator } from '../../platform/i18n';
import { VersionConflict } from '../../platform/store';
import { event, type ReviewContext } from './context';
import type { ReviewCycle, UnitReview } from './model';
import { canOnCycle, cyclePolicy, holderOf } from './policy';
import { type ListItem, listCard, progressLines, stateText } from './present';
import { toReportInput } from './report';
import { cycleJobs, progressOf } from './rules';
import { verbs } from './verbs';

/** Every cycle, newest first, with its reviews; for the chief and the security officers. */
export async function cycles(
  ctx: ReviewContext,
  actorId: string,
): Promise<{ cycle: ReviewCycle; reviews: UnitReview[] }[]> {
  const { store } = ctx.deps;
  cyclePolicy.authorize(await ctx.actor(actorId), 'viewProgress', undefined);
  const all = (await store.reviewCycles.list()).map((s) => s.value).sort((a, b) => b.year - a.year);
  const result: { cycle: ReviewCycle; reviews: UnitReview[] }[] = [];
  for (const cycle of all) {
    result.push({
      cycle,
      reviews: (await store.unitReviews.find({ cycleId: cycle.id })).map((s) => s.value),
    });
  }
  return result;
}

/** "uppföljningsläge": each open cycle's progress by unit (with who holds it), closed cycles' reports. */
export async function progressCard(ctx: ReviewContext, actorId: string, lang: Lang): Promise<object> {
  const t = translator(lang);
  const all = await cycles(ctx, actorId);
  if (all.length === 0) return listCard(t('review.progress.title'), [t('review.progress.none')], []);
  const actor = await ctx.actor(actorId);
  const names = await ctx.deps.people.names(
    all.flatMap(({ reviews }) => reviews.map((r) => holderOf(r))).filter(Boolean),
  );
  const items: ListItem[] = [];
  for (const { cycle, reviews } of all) {
    if (cycle.status === 'closed') {
      items.push({
        text: t('review.progress.closedLine', {
          year: cycle.year,
          when: cycle.closedAt ? cycle.closedAt.slice(0, 10) : '',
          docx: cycle.report?.docx ?? '',
        }),
        bold: true,
      });
      continue;
    }
    items.push({
      text: progressLines(lang, cycle, progressOf(cycle, reviews)),
      bold: true,
      details: reviews.map((r) => {
        const holder = holderOf(r);
        return t('review.progress.unitLine', {
          unit: r.unitName,
          state: stateText(lang, r),
          holder: holder ? names(holder) : '–',
        });
      }),
      action: canOnCycle(actor, 'close', cycle)
        ? {
            label: t('review.progress.close', { year: cycle.year }),
            verb: verbs.reviewClose,
            data: { cycleId: cycle.id },
          }
        : undefined,
    });
  }
  return listCard(t('review.progress.title'), [], items);
}

/** Closes the cycle and writes the annual report; the chief is told where it is. */
export async function close(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  cycleId: string,
): Promise<object> {
  const { store, directory } = ctx.deps;
  const t = translator(lang);
  const stored = await store.reviewCycles.get(cycleId);
  if (!stored) throw notFound();
  const actor = await ctx.actor(actorId);
  cyclePolicy.authorize(actor, 'viewProgress', stored.value);
  if (stored.value.status === 'closed') {
    return listCard(
      t('review.cycleTitle', { year: stored.value.year }),
      [t('review.close.alreadyClosed', { year: stored.value.year })],
      [],
    );
  }
  cyclePolicy.authorize(actor, 'close', stored.value);
  const now = ctx.now();
  const reviews = (await store.unitReviews.find({ cycleId })).map((s) => s.value);
  const followUps = await ctx.deps.followUps.ofCycle(cycleId);
  const names = await ctx.deps.people.names([
    actorId,
    ...reviews.flatMap((r) => [
      r.managerId,
      ...r.chain.map((s) => s.personId),
      ...r.signOffs.flatMap((s) => [s.actorId, s.onBehalfOf ?? '']),
    ]),
    ...followUps.map((f) => f.ownerId),
  ]);
  const units = await directory.units();
  const events = new Map<string, AuditEvent[]>();
  for (const r of reviews) events.set(r.id, await store.auditEvents.find({ recordId: r.id }));
  const closing: ReviewCycle = { ...stored.value, status: 'closed', closedBy: actorId, closedAt: now };
  const report = await ctx.deps.writeReport(
    toReportInput(closing, reviews, followUps, {
      organisation: directory.organisation.name,
      generatedAt: now,
      names,
      lineOf: (unitId) => {
        const unit = units.find((u) => u.id === unitId);
        const line: string[] = [];
        let parent = unit?.parentId ? units.find((u) => u.id === unit.parentId) : undefined;
        while (parent) {
          line.unshift(parent.name);
          parent = parent.parentId ? units.find((u) => u.id === parent?.parentId) : undefined;
        }
        return line;
      },
      eventsOf: (id) => events.get(id) ?? [],
    }),
  );
  let closed: ReviewCycle;
  try {
    closed = await store.transaction(async (tx) => {
      const saved = await tx.reviewCycles.update({ ...closing, report }, stored.version);
      await tx.auditEvents.append(
        event(actorId, 'reviewCycle', cycleId, 'close', now, { fromState: 'open', toState: 'closed' }),
      );
      return saved.value;
    });
  } catch (error) {
    if (error instanceof VersionConflict) return close(ctx, actorId, lang, cycleId);
    throw error;
  }
  for (const job of cycleJobs(closed)) await ctx.deps.scheduler.cancel(job.id);
  return listCard(
    t('review.cycleTitle', { year: closed.year }),
    [t('review.close.done', { year: closed.year, docx: report.docx, csv: report.csv })],
    [],
  );
}
