/**
 * What the review sends outside anyone's turn: the sender's renderers (the card at send time, or
 * nothing when it is no longer needed) and the scheduler's reminders and escalations.
 */
import type { Outgoing, Renderer } from '../../platform/delivery/port';
import { langOf, translator } from '../../platform/i18n';
import type { Job, JobHandler } from '../../platform/schedule/port';
import { type Purpose, type ReviewContext, reviewKinds } from './context';
import type { UnitReview } from './model';
import { holderOf } from './policy';
import { escalationTarget } from './rules';
import { CONSEQUENCES_JOB, consequences } from './transitions';

/** The review card for `personId` as the delivery's purpose wants it, or undefined when it is no longer needed. */
async function render(
  ctx: ReviewContext,
  id: string,
  personId: string,
  purpose: Purpose,
): Promise<object | undefined> {
  const stored = await ctx.deps.store.unitReviews.get(id);
  if (!stored) return undefined;
  const review = stored.value;
  const cycle = await ctx.loadCycle(review.cycleId);
  if (cycle.status === 'closed') return undefined;
  const lang = langOf(await ctx.deps.people.lang(personId));
  const t = translator(lang);
  const holder = holderOf(review);
  if (purpose === 'reminder' || purpose === 'nudge') {
    // still theirs (or their principal's)?
    const actor = await ctx.actor(personId);
    if (holder === '' || (holder !== personId && !actor.deputyFor.includes(holder))) return undefined;
    const banner = purpose === 'nudge' ? 'review.nudgeBanner' : 'review.reminderBanner';
    return ctx.card(personId, lang, review, cycle, {
      banner: { text: t(banner, { deadline: cycle.deadline }), color: 'Warning' },
    });
  }
  if (purpose === 'escalation') {
    if (holder === '') return undefined;
    const names = await ctx.deps.people.names([holder]);
    return ctx.card(personId, lang, review, cycle, {
      banner: {
        text: t('review.escalationBanner', {
          unit: review.unitName,
          deadline: cycle.deadline,
          holder: names(holder),
        }),
        color: 'Attention',
      },
    });
  }
  return ctx.card(personId, lang, review, cycle);
}

/** One renderer per delivery kind; each remembers the sent card so a later change updates it. */
export function reviewRenderers(ctx: ReviewContext): Record<string, Renderer> {
  const renderers: Record<string, Renderer> = {};
  for (const purpose of Object.keys(reviewKinds) as Purpose[]) {
    renderers[reviewKinds[purpose]] = {
      render: (id, person) => render(ctx, id, person, purpose),
      sent: (delivery, message) => ctx.deps.copies.rememberDelivery(delivery, message),
    };
  }
  return renderers;
}

/** Reminders before the deadline: whoever holds the next step, and their deputies. */
function remind(ctx: ReviewContext, job: Job): Promise<void> {
  return notifyCycle(ctx, job, 'reminder', async (review) => {
    const holder = holderOf(review);
    return holder === '' ? [] : [holder, ...(await ctx.deps.people.deputiesOf(holder))];
  });
}

/** Escalations after the deadline: one level up the line from whoever holds the next step. */
function escalate(ctx: ReviewContext, job: Job): Promise<void> {
  return notifyCycle(ctx, job, 'escalation', async (review) => {
    const target = escalationTarget(review);
    return target ? [target] : [];
  });
}

/** One card per review and recipient, keyed by the job, so a re-run or a restart sends nothing twice. */
async function notifyCycle(
  ctx: ReviewContext,
  job: Job,
  purpose: 'reminder' | 'escalation',
  recipients: (review: UnitReview) => Promise<string[]>,
): Promise<void> {
  const { store, sender } = ctx.deps;
  const cycle = await store.reviewCycles.get(job.payload.cycleId ?? '');
  if (cycle?.value.status !== 'open') return;
  const outgoing: Outgoing[] = [];
  for (const { value: review } of await store.unitReviews.find({ cycleId: cycle.value.id })) {
    for (const personId of await recipients(review)) {
      outgoing.push({
        key: `review:${review.id}:${purpose}:${job.payload.label}:${personId}`,
        personId,
        kind: reviewKinds[purpose],
        recordId: review.id,
      });
    }
  }
  await sender.enqueue(cycle.value.id, outgoing);
}

/** The scheduler's job kinds (planned by rules.ts cycleJobs). */
export function reviewJobs(ctx: ReviewContext): Record<string, JobHandler> {
  return {
    'review.reminder': (job) => remind(ctx, job),
    'review.escalation': (job) => escalate(ctx, job),
    [CONSEQUENCES_JOB]: (job) => consequences(ctx, job),
  };
}
