/**
 * The review's chat commands, card verbs and tab API routes. Each handler reads as parse (schema.ts),
 * then the named command (which loads, authorizes, acts) and what it presents.
 */
import type { ApiRoute } from '../../platform/http/api';
import { parseApi, parseCard } from '../../platform/parse';
import { type CommandRoute, type VerbRoute, wholeMessage as whole } from '../../platform/teams/routes';
import { close, cycles, progressCard } from './closing';
import type { ReviewContext } from './context';
import { deputyForm, setDeputy } from './deputies';
import type { FollowUpService } from './followups';
import { openCycle, openForm, openFromForm } from './open';
import { cyclePolicy, holderOf, reviewPolicy } from './policy';
import { cycleCardStates, remindByHand } from './reminding';
import { progressOf } from './rules';
import {
  areaRef,
  areaValues,
  closeRef,
  cycleRef,
  decisionSchema,
  deputySchema,
  followUpRef,
  followUpUpdateSchema,
  openBody,
  openCycleForm,
  reviewRef,
  seenSchema,
} from './schema';
import { approve, returnReview, save, submit } from './transitions';
import { verbs } from './verbs';
import { area, mine, reviewState, reviewsFor, view } from './viewing';

export function reviewCommands(ctx: ReviewContext): CommandRoute[] {
  return [
    {
      name: 'review.open',
      matches: whole(
        'öppna (årets |den årliga )?uppföljning(en)?',
        'ny uppföljning',
        'open (the )?(yearly |annual )?review',
      ),
      handle: (caller) => openForm(ctx, caller.personId, caller.lang),
    },
    {
      name: 'review.progress',
      matches: whole(
        'uppföljningsläge(t)?',
        'läget i uppföljningen',
        'uppföljningens läge',
        'review progress',
      ),
      handle: (caller) => progressCard(ctx, caller.personId, caller.lang),
    },
    {
      name: 'review.mine',
      matches: whole('min(a)? uppföljning(ar)?', 'mina åtgärder', 'my review(s)?', 'my follow-ups'),
      handle: (caller) => mine(ctx, caller.personId, caller.lang),
    },
    {
      name: 'review.deputy',
      matches: whole('ersättare', 'utse ersättare', 'deputy', 'name (a )?deputy'),
      handle: (caller) => deputyForm(ctx, caller.personId, caller.lang),
    },
  ];
}

export function reviewVerbRoutes(ctx: ReviewContext, followUps: FollowUpService): VerbRoute[] {
  return [
    {
      verb: verbs.reviewOpenCycle,
      handle: (caller, data) =>
        openFromForm(ctx, caller.personId, caller.lang, openCycleForm(ctx.deps.template, data)),
    },
    {
      verb: verbs.reviewView,
      handle: (caller, data) => view(ctx, caller.personId, caller.lang, parseCard(reviewRef, data).reviewId),
    },
    {
      verb: verbs.reviewArea,
      handle: (caller, data) => {
        const input = parseCard(areaRef, data);
        return area(ctx, caller.personId, caller.lang, input.reviewId, input.areaId, input);
      },
    },
    {
      verb: verbs.reviewSave,
      handle: (caller, data) => {
        const input = parseCard(areaRef, data);
        const values = areaValues(data);
        return save(
          ctx,
          caller.personId,
          caller.lang,
          input.reviewId,
          input.areaId,
          input,
          values,
          input.back,
        );
      },
    },
    {
      verb: verbs.reviewSubmit,
      handle: (caller, data) => {
        const input = parseCard(seenSchema, data);
        return submit(ctx, caller.personId, caller.lang, input.reviewId, input);
      },
    },
    {
      verb: verbs.reviewApprove,
      handle: (caller, data) => {
        const input = parseCard(seenSchema, data);
        return approve(ctx, caller.personId, caller.lang, input.reviewId, input);
      },
    },
    {
      verb: verbs.reviewReturn,
      handle: (caller, data) => {
        const input = parseCard(decisionSchema, data);
        return returnReview(ctx, caller.personId, caller.lang, input.reviewId, input, input.comment ?? '');
      },
    },
    {
      verb: verbs.reviewClose,
      handle: (caller, data) => {
        const { cycleId, confirm } = parseCard(closeRef, data);
        return close(ctx, caller.personId, caller.lang, cycleId, confirm);
      },
    },
    {
      verb: verbs.reviewDeputy,
      handle: (caller, data) => setDeputy(ctx, caller.personId, caller.lang, parseCard(deputySchema, data)),
    },
    {
      verb: verbs.followUpView,
      handle: (caller, data) =>
        followUps.view(caller.personId, caller.lang, parseCard(followUpRef, data).followUpId),
    },
    {
      verb: verbs.followUpUpdate,
      handle: (caller, data) => {
        const input = parseCard(followUpUpdateSchema, data);
        return followUps.update(caller.personId, caller.lang, input.followUpId, input);
      },
    },
  ];
}

/** The tab's follow-ups: the caller's own open ones ("Mitt säkerhetsarbete"), and all they may see. */
export function followUpApi(followUps: FollowUpService): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/my/followups',
      handle: async ({ caller }) => ({ json: await followUps.mine(caller.personId) }),
    },
    {
      method: 'GET',
      path: '/followups',
      handle: async ({ caller }) => ({ json: await followUps.visibleTo(caller.personId) }),
    },
  ];
}

/** The tab's API: open a cycle, list cycles with their progress, one unit review's state. */
export function reviewApi(ctx: ReviewContext): ApiRoute[] {
  const { template } = ctx.deps;
  return [
    {
      method: 'POST',
      path: '/review/cycles',
      handle: async ({ caller, body }) => {
        const input = parseApi(openBody, body);
        const { cycle, reviews } = await openCycle(ctx, caller.personId, {
          year: input.year,
          deadline: input.deadline,
          scope: input.scope,
          chain: input.chain ?? template.chain,
          areas: input.areas ?? template.areas,
        });
        return { status: 201, json: { cycle, progress: progressOf(cycle, reviews) } };
      },
    },
    {
      method: 'GET',
      path: '/review/cycles',
      handle: async ({ caller }) => {
        const all = await cycles(ctx, caller.personId);
        const actor = await ctx.actor(caller.personId);
        const json = [];
        for (const { cycle, reviews } of all) {
          // whether each holder's card arrived: the open cycle's only (a closed one's cards are history)
          const cards = cycle.status === 'open' ? await cycleCardStates(ctx, cycle.id, reviews) : undefined;
          json.push({
            cycle,
            abilities: cyclePolicy.abilitiesOf(actor, cycle, ['close']),
            progress: progressOf(cycle, reviews),
            units: reviews.map((r) => ({
              reviewId: r.id,
              unitId: r.unitId,
              unitName: r.unitName,
              state: r.state,
              step: r.step,
              holderId: r.holderId,
              card: cards?.get(r.id) ?? { status: 'none' },
              abilities: reviewPolicy.abilitiesOf(actor, { review: r, cycle }, ['remind']),
            })),
          });
        }
        return { json };
      },
    },
    {
      method: 'GET',
      path: '/my/reviews',
      handle: async ({ caller }) => ({
        json: (await reviewsFor(ctx, caller.personId)).map(({ review: r, cycle }) => ({
          reviewId: r.id,
          unitName: r.unitName,
          state: r.state,
          year: cycle.year,
          deadline: cycle.deadline,
          cycleStatus: cycle.status,
          waitingForMe: holderOf(r) === caller.personId,
        })),
      }),
    },
    {
      method: 'POST',
      path: '/review/cycles/:id/close',
      handle: async ({ caller, params }) => {
        const { cycleId: id } = parseApi(cycleRef, { cycleId: params.id });
        // the tab asks its own confirmation (what is still open) before it calls this: the call is the confirmed close
        await close(ctx, caller.personId, caller.lang, id, true);
        const closed = (await cycles(ctx, caller.personId)).find((c) => c.cycle.id === id);
        return { json: { cycle: closed?.cycle } };
      },
    },
    {
      method: 'POST',
      path: '/review/reviews/:id/remind',
      handle: async ({ caller, params }) => ({
        json: await remindByHand(ctx, caller.personId, params.id ?? ''),
      }),
    },
    {
      method: 'GET',
      path: '/review/reviews/:id',
      handle: async ({ caller, params }) => ({
        json: await reviewState(ctx, caller.personId, params.id ?? ''),
      }),
    },
  ];
}
