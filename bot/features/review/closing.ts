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
    // a manager whose first card never arrived is not simply "to be filled in": the chief must act
    const unreached = new Map<string, string>();
    if (cycle.status === 'open')
      for (const d of await ctx.deps.sender.deliveries(cycle.id))
        if (d.status === 'failed' && d.key.startsWith(`review:${d.recordId}:assign:0:`))
          unreached.set(d.recordId, t(`campaign.figures.failed.${d.failure?.reason ?? 'other'}`));
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
        const line = holder
          ? t('review.progress.unitLine', {
              unit: r.unitName,
              state: stateText(lang, r),
              holder: names(holder),
            })
          : t('review.progress.unitLineDone', { unit: r.unitName, state: stateText(lang, r) });
        const failure = r.state === 'open' && r.round === 0 ? unreached.get(r.id) : undefined;
        return failure ? `${line} ${t('review.progress.notReached', { reason: failure })}` : line;
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

/** What closing the cycle now means, with the units not signed off by name, and the one button that closes. */
function closeConfirmation(lang: Lang, cycle: ReviewCycle, reviews: readonly UnitReview[]): object {
  const t = translator(lang);
  const notDone = reviews.filter((r) => r.state !== 'signedOff');
  return listCard(
    t('review.close.confirmTitle', { year: cycle.year }),
    [t('review.close.confirmBody', { year: cycle.year })],
    [
      {
        text:
          notDone.length > 0
            ? t('review.close.notDone', { count: notDone.length, units: reviews.length })
            : t('review.close.allDone', { units: reviews.length }),
        details: notDone.map((r) => `${r.unitName}: ${stateText(lang, r)}`),
        bold: true,
        action: {
          label: t('review.close.confirm', { year: cycle.year }),
          verb: verbs.reviewClose,
          data: { cycleId: cycle.id, confirm: 'true' },
        },
      },
    ],
  );
}

/** Closes the cycle (once confirmed) and writes the annual report; the chief is told where it is. */
export async function close(
  ctx: ReviewContext,
  actorId: string,
  lang: Lang,
  cycleId: string,
  confirmed = false,
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
  // closing cannot be undone: the first click shows what closing now would leave out, the second closes
  if (!confirmed) return closeConfirmation(lang, stored.value, reviews);
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
