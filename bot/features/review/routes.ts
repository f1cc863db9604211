/** The review's chat commands, card verbs and tab API routes: parse (zod), then the service loads, authorizes, acts, presents. */
import { z } from 'zod';
import { badInput } from '../../platform/errors';
import type { ApiRoute } from '../../platform/http/api';
import { type CommandRoute, type VerbRoute, verbs } from '../../platform/teams/routes';
import type { FollowUpService } from './followups/service';
import { chainRoles } from './model';
import { holderOf } from './policy';
import { progressOf } from './rules';
import type { ReviewService } from './service';

const number = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const reviewRef = z.object({ reviewId: z.string().min(1).max(200) });
const seen = reviewRef.extend({ round: number, step: number });
const area = seen.extend({
  areaId: z.string().min(1).max(50),
  back: z.union([z.boolean(), z.string()]).optional(),
});
const decision = seen.extend({ comment: z.string().max(2000).optional() });
const cycleRef = z.object({ cycleId: z.string().min(1).max(100) });
const deputy = z.object({
  deputyId: z.string().min(1).max(100),
  from: z.string().max(10),
  to: z.string().max(10),
});
const followUpRef = z.object({ followUpId: z.string().min(1).max(300) });
const followUpUpdate = followUpRef.extend({
  status: z.string().optional(),
  comment: z.string().max(2000).optional(),
  seen: z.string().optional(),
});

function parse<T>(schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data);
  if (!result.success) throw badInput();
  return result.data;
}

const whole = (...patterns: string[]) => {
  const re = new RegExp(`^\\s*(${patterns.join('|')})\\s*[.!?]?\\s*$`, 'i');
  return (text: string) => re.test(text);
};

export function reviewCommands(review: ReviewService): CommandRoute[] {
  return [
    {
      name: 'review.open',
      matches: whole(
        'öppna (årets |den årliga )?uppföljning(en)?',
        'ny uppföljning',
        'open (the )?(yearly |annual )?review',
      ),
      handle: (caller) => review.openForm(caller.personId, caller.lang),
    },
    {
      name: 'review.progress',
      matches: whole(
        'uppföljningsläge(t)?',
        'läget i uppföljningen',
        'uppföljningens läge',
        'review progress',
      ),
      handle: (caller) => review.progressCard(caller.personId, caller.lang),
    },
    {
      name: 'review.mine',
      matches: whole('min(a)? uppföljning(ar)?', 'mina åtgärder', 'my review(s)?', 'my follow-ups'),
      handle: (caller) => review.mine(caller.personId, caller.lang),
    },
    {
      name: 'review.deputy',
      matches: whole('ersättare', 'utse ersättare', 'deputy', 'name (a )?deputy'),
      handle: (caller) => review.deputyForm(caller.personId, caller.lang),
    },
  ];
}

export function reviewVerbs(review: ReviewService, followUps: FollowUpService): VerbRoute[] {
  return [
    {
      verb: verbs.reviewOpenCycle,
      handle: (caller, data) => review.openFromForm(caller.personId, caller.lang, data),
    },
    {
      verb: verbs.reviewView,
      handle: (caller, data) => review.view(caller.personId, caller.lang, parse(reviewRef, data).reviewId),
    },
    {
      verb: verbs.reviewArea,
      handle: (caller, data) => {
        const input = parse(area, data);
        return review.area(caller.personId, caller.lang, input.reviewId, input.areaId, input);
      },
    },
    {
      verb: verbs.reviewSave,
      handle: (caller, data) => {
        const input = parse(area, data);
        return review.save(
          caller.personId,
          caller.lang,
          input.reviewId,
          input.areaId,
          input,
          data,
          input.back === true || input.back === 'true',
        );
      },
    },
    {
      verb: verbs.reviewSubmit,
      handle: (caller, data) => {
        const input = parse(seen, data);
        return review.submit(caller.personId, caller.lang, input.reviewId, input);
      },
    },
    {
      verb: verbs.reviewApprove,
      handle: (caller, data) => {
        const input = parse(seen, data);
        return review.approve(caller.personId, caller.lang, input.reviewId, input);
      },
    },
    {
      verb: verbs.reviewReturn,
      handle: (caller, data) => {
        const input = parse(decision, data);
        return review.returnReview(caller.personId, caller.lang, input.reviewId, input, input.comment ?? '');
      },
    },
    {
      verb: verbs.reviewClose,
      handle: (caller, data) => review.close(caller.personId, caller.lang, parse(cycleRef, data).cycleId),
    },
    {
      verb: verbs.reviewDeputy,
      handle: (caller, data) => review.setDeputy(caller.personId, caller.lang, parse(deputy, data)),
    },
    {
      verb: verbs.followUpView,
      handle: (caller, data) =>
        followUps.view(caller.personId, caller.lang, parse(followUpRef, data).followUpId),
    },
    {
      verb: verbs.followUpUpdate,
      handle: (caller, data) => {
        const input = parse(followUpUpdate, data);
        return followUps.update(caller.personId, caller.lang, input.followUpId, input);
      },
    },
  ];
}

const openBody = z.object({
  year: z.number().int(),
  deadline: z.string(),
  scope: z.union([z.literal('all'), z.object({ subtree: z.string().min(1) })]).default('all'),
  chain: z.array(z.enum(chainRoles)).min(1).optional(),
  areas: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][a-z0-9]*$/),
        name: z.object({ sv: z.string().min(1), en: z.string().min(1) }),
        goals: z.array(
          z.object({ id: z.string().regex(/^[a-z][a-z0-9]*$/), text: z.string().min(1).max(500) }),
        ),
      }),
    )
    .optional(),
});

/** The tab's "Mitt säkerhetsarbete": the follow-ups the caller owns or manages, not finished. */
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
export function reviewApi(
  review: ReviewService,
  defaults: { chain: import('./model').ChainRole[]; areas: import('./model').Area[] },
): ApiRoute[] {
  return [
    {
      method: 'POST',
      path: '/review/cycles',
      handle: async ({ caller, body }) => {
        const input = parse(openBody, body);
        const { cycle, reviews } = await review.openCycle(caller.personId, {
          year: input.year,
          deadline: input.deadline,
          scope: input.scope,
          chain: input.chain ?? defaults.chain,
          areas: input.areas ?? defaults.areas,
        });
        return { status: 201, json: { cycle, progress: progressOf(cycle, reviews) } };
      },
    },
    {
      method: 'GET',
      path: '/review/cycles',
      handle: async ({ caller }) => ({
        json: (await review.cycles(caller.personId)).map(({ cycle, reviews }) => ({
          cycle,
          progress: progressOf(cycle, reviews),
          units: reviews.map((r) => ({
            reviewId: r.id,
            unitId: r.unitId,
            unitName: r.unitName,
            state: r.state,
            step: r.step,
            holderId: r.holderId,
          })),
        })),
      }),
    },
    {
      method: 'GET',
      path: '/my/reviews',
      handle: async ({ caller }) => ({
        json: (await review.reviewsFor(caller.personId)).map(({ review: r, cycle }) => ({
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
        const { cycleId: id } = parse(cycleRef, { cycleId: params.id });
        await review.close(caller.personId, caller.lang, id);
        const closed = (await review.cycles(caller.personId)).find((c) => c.cycle.id === id);
        return { json: { cycle: closed?.cycle } };
      },
    },
    {
      method: 'GET',
      path: '/review/reviews/:id',
      handle: async ({ caller, params }) => ({
        json: await review.reviewState(caller.personId, params.id ?? ''),
      }),
    },
  ];
}
