/**
 * The campaigns feature's edges: card verbs, chat commands and the tab's API routes. Each parses its
 * input (zod), then the service loads, authorizes and acts; presenters make what the caller sees.
 */
import { z } from 'zod';
import { badInput } from '../../platform/errors';
import type { ApiRequest, ApiResponse, ApiRoute } from '../../platform/http/api';
import { formatDateTime, type Lang, t, translator } from '../../platform/i18n';
import { parseCard as parse, parseApi } from '../../platform/parse';
import type { Caller, CommandRoute, VerbRoute } from '../../platform/teams/routes';
import { stockholmToInstant } from '../../platform/time';
import {
  type Campaign,
  type CampaignContent,
  campaignContentSchema,
  MAX_QUIZ_QUESTIONS,
  type QuizQuestion,
} from './model';
import { campaignAbilities, campaignPolicy, inState } from './policy';
import {
  type ComposeStep,
  composeCard,
  figuresCard,
  listCard,
  noticeCard,
  previewCard,
  problemText,
  recipientCard,
  stepOf,
  unitCard,
} from './present';
import type { Problem } from './rules';
import { type CampaignService, contentOf, defaultContent } from './service';
import { verbs } from './verbs';

const campaignRef = z.object({ campaignId: z.string().uuid() });
const steps = ['content', 'response', 'audience'] as const;
const composeRef = z.object({
  campaignId: z.string().optional(),
  step: z.enum(steps).optional(),
  goto: z.enum([...steps, 'preview']),
});
const text = z
  .preprocess((v) => (v === undefined || v === null ? '' : v), z.string())
  .transform((s) => s.trim());
const optionalText = text.transform((s) => (s === '' ? undefined : s));
const flag = z.preprocess((v) => v === true || v === 'true', z.boolean());
const idList = text.transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== ''),
);

const contentStep = z.object({
  title: text,
  text: z.preprocess((v) => v ?? '', z.string()),
  imageUrl: optionalText,
  documentUrl: optionalText,
  documentTitle: optionalText,
});
const audienceStep = z.object({
  audienceKind: z.enum(['everyone', 'units', 'groups', 'managers']),
  units: idList,
  subUnits: flag,
  groups: idList,
  sendDate: text,
  sendTime: text,
  reminderDate: text,
  reminderTime: text,
  closeDate: text,
  closeTime: text,
});

/** A date and a time typed in Stockholm; both empty is "none"; one without the other cannot be read. */
function localTime(date: string, time: string): string | undefined {
  if (date === '' && time === '') return undefined;
  return stockholmToInstant(date, time) ?? 'unreadable';
}

const wholeNumber = (s: string): number | undefined =>
  /^\s*\d+\s*$/.test(s) ? Number(s) : s.trim() === '' ? undefined : Number.NaN;

/** The composer step's inputs as a change to the content. */
function stepChange(
  step: ComposeStep,
  data: Record<string, unknown>,
): (content: CampaignContent) => CampaignContent {
  if (step === 'content') {
    const input = parse(contentStep, data);
    return (content) => ({ ...content, ...input });
  }
  if (step === 'response') {
    const field = (name: string) => parse(text, data[name]);
    const questions: QuizQuestion[] = [];
    for (let n = 1; n <= MAX_QUIZ_QUESTIONS; n++) {
      const [q, options, correct, explanation] = ['text', 'options', 'correct', 'explanation'].map((f) =>
        field(`q${n}${f}`),
      ) as [string, string, string, string];
      if (q === '' && options === '' && correct === '' && explanation === '') continue;
      const index = wholeNumber(correct);
      questions.push({
        text: q,
        options: options
          .split(/\r?\n/)
          .map((o) => o.trim())
          .filter((o) => o !== ''),
        ...(index === undefined ? {} : { correct: index - 1 }),
        explanation,
      });
    }
    const passMark = wholeNumber(field('passMark')) ?? questions.length;
    const requiresAcknowledgement = parse(flag, data.acknowledge);
    return (content) => {
      const { quiz: _old, ...rest } = content;
      return {
        ...rest,
        requiresAcknowledgement,
        ...(questions.length ? { quiz: { questions, passMark } } : {}),
      };
    };
  }
  const input = parse(audienceStep, data);
  const audience: CampaignContent['audience'] =
    input.audienceKind === 'units'
      ? { kind: 'units', unitIds: input.units, includeSubUnits: input.subUnits }
      : input.audienceKind === 'groups'
        ? { kind: 'groups', groupIds: input.groups }
        : { kind: input.audienceKind };
  const sendAt = localTime(input.sendDate, input.sendTime);
  const reminder = localTime(input.reminderDate, input.reminderTime);
  const closeAt = localTime(input.closeDate, input.closeTime);
  return (content) => {
    const { sendAt: _s, closeAt: _c, ...rest } = content;
    return {
      ...rest,
      audience,
      reminderAt: reminder ? [reminder] : [],
      ...(sendAt ? { sendAt } : {}),
      ...(closeAt ? { closeAt } : {}),
    };
  };
}

/** Card verbs and chat commands. */
export function campaignBot(service: CampaignService): { verbs: VerbRoute[]; commands: CommandRoute[] } {
  const preview = async (
    caller: Caller,
    campaignId: string,
    extra: { status?: string; problems?: Problem[] } = {},
  ) => {
    const { campaign, problems, recipients, actor } = await service.inspect(caller.personId, campaignId);
    const { units, groups } = await service.choices();
    return previewCard(caller.lang, {
      campaign,
      recipientCard: recipientCard(caller.lang, {
        campaign,
        reminder: false,
        refreshUserIds: [],
        preview: true,
      }),
      recipients,
      problems: extra.problems ?? problems,
      status: extra.status,
      units,
      groups,
      abilities: {
        edit: inState(campaign, 'edit'),
        send: inState(campaign, 'send'),
        cancel: campaign.status === 'scheduled' || campaign.status === 'sending',
        figures: campaignPolicy.can(actor, 'seeFigures', { campaign }) && campaign.status !== 'draft',
      },
    });
  };

  const compose = async (caller: Caller, data: Record<string, unknown>): Promise<object> => {
    const input = parse(composeRef, data);
    let campaignId = input.campaignId || undefined;
    const choices = await service.choices();
    if (input.step) {
      const step = input.step;
      const change = stepChange(step, data);
      const only = (p: Problem) => stepOf(p) === step;
      if (!campaignId) {
        const content = change(defaultContent());
        const created = await service.create(caller.personId, content, only);
        if (!created.campaign)
          return composeCard(caller.lang, step, {
            campaignId: '',
            content,
            problems: created.problems,
            ...choices,
          });
        campaignId = created.campaign.id;
      } else {
        const edited = await service.edit(caller.personId, campaignId, change, only);
        if (edited.problems.length)
          return composeCard(caller.lang, step, {
            campaignId,
            content: edited.attempted,
            problems: edited.problems,
            ...choices,
          });
      }
    } else if (!(await service.can(caller.personId, 'compose'))) {
      return noticeCard(t(caller.lang, 'error.forbidden'), t(caller.lang, 'campaign.notAuthor'));
    }
    if (input.goto === 'preview' && campaignId) return preview(caller, campaignId);
    const goto = input.goto === 'preview' ? 'content' : input.goto;
    const content = campaignId ? contentOf((await service.load(campaignId)).value) : defaultContent();
    return composeCard(caller.lang, goto, {
      campaignId: campaignId ?? '',
      content,
      problems: [],
      ...choices,
    });
  };

  const verbRoutes: VerbRoute[] = [
    { verb: verbs.campaignCompose, handle: compose },
    {
      verb: verbs.campaignPreview,
      handle: (caller, data) => preview(caller, parse(campaignRef, data).campaignId),
    },
    {
      verb: verbs.campaignDuplicate,
      handle: async (caller, data) => {
        const source = (await service.load(parse(campaignRef, data).campaignId)).value;
        const copy = await service.duplicate(caller.personId, source.id);
        return preview(caller, copy.id, {
          status: t(caller.lang, 'campaign.duplicatedStatus', { title: source.title }),
        });
      },
    },
    {
      verb: verbs.campaignSend,
      handle: async (caller, data) => {
        const { campaignId } = parse(campaignRef, data);
        const result = await service.send(caller.personId, campaignId);
        if (result.problems.length) return preview(caller, campaignId, { problems: result.problems });
        const status = result.campaign.sendAt
          ? t(caller.lang, 'campaign.sentLater', { when: formatDateTime(result.campaign.sendAt) })
          : t(caller.lang, 'campaign.sentNow', { count: result.recipients });
        return preview(caller, campaignId, { status });
      },
    },
    {
      verb: verbs.campaignCancel,
      handle: async (caller, data) => {
        const { campaignId } = parse(campaignRef, data);
        await service.cancel(caller.personId, campaignId);
        return preview(caller, campaignId, { status: t(caller.lang, 'campaign.cancelledStatus') });
      },
    },
    {
      verb: verbs.campaignFigures,
      handle: async (caller, data) => {
        const { campaign, figures, at, unreached } = await service.figures(
          caller.personId,
          parse(campaignRef, data).campaignId,
        );
        return figuresCard(caller.lang, campaign, figures, at, unreached);
      },
    },
    {
      verb: verbs.campaignAcknowledge,
      handle: (caller, data) =>
        service.acknowledge(caller.personId, caller.lang, parse(campaignRef, data).campaignId),
    },
    {
      verb: verbs.campaignQuiz,
      handle: (caller, data) => {
        const { campaignId } = parse(campaignRef, data);
        const answers = Array.from({ length: MAX_QUIZ_QUESTIONS }, (_, i) => {
          const value = data[`q${i + 1}`];
          const n =
            typeof value === 'string' || typeof value === 'number' ? wholeNumber(String(value)) : undefined;
          if (n !== undefined && Number.isNaN(n)) throw badInput('campaign.error.badAnswer');
          return n ?? null;
        });
        return service.answerQuiz(caller.personId, caller.lang, campaignId, answers);
      },
    },
    {
      verb: verbs.campaignView,
      handle: (caller, data) =>
        service.view(caller.personId, caller.lang, parse(campaignRef, data).campaignId),
    },
  ];

  const commands: CommandRoute[] = [
    {
      name: 'campaigns.new',
      matches: (s) => /^\s*(ny kampanj|new campaign)\s*[.!]?\s*$/i.test(s),
      handle: (caller) => compose(caller, { goto: 'content' }),
    },
    {
      name: 'campaigns.list',
      matches: (s) => /^\s*(kampanjer|campaigns)\s*[.!]?\s*$/i.test(s),
      handle: async (caller) =>
        (await service.can(caller.personId, 'seeFigures'))
          ? listCard(caller.lang, await service.overview(caller.personId))
          : noticeCard(t(caller.lang, 'error.forbidden'), t(caller.lang, 'campaign.notAuthor')),
    },
    {
      name: 'campaigns.ownUnit',
      matches: (s) =>
        /^\s*(hur ligger min enhet till|hur går det för min enhet|how is my unit doing)\s*[?.!]?\s*$/i.test(
          s,
        ),
      handle: async (caller) => {
        if (!(await service.can(caller.personId, 'seeOwnUnit')))
          return noticeCard(t(caller.lang, 'campaign.unit.notManager'));
        const { unitNames, campaigns } = await service.ownUnit(caller.personId);
        return unitCard(caller.lang, unitNames, campaigns);
      },
    },
  ];
  return { verbs: verbRoutes, commands };
}

// ---------------------------------------------------------------------------------------------
// the tab's API

const apiContent = campaignContentSchema;

const problemsResponse = (lang: Lang, problems: Problem[]): ApiResponse => {
  const tr = translator(lang);
  return {
    status: 400,
    json: {
      error: {
        code: 'invalid_campaign',
        problems: problems.map((p) => ({ field: p.field, message: problemText(tr, p) })),
      },
    },
  };
};

const idOf = (request: ApiRequest) =>
  parseApi(z.object({ id: z.string().uuid() }), { id: request.params.id }).id;

/** The routes the tab uses (mounted under /api by http/, which authenticates the caller first). */
export function campaignApi(service: CampaignService): ApiRoute[] {
  /** A campaign as the tab receives it: with what the caller may do with it now. */
  const withAbilities = async (caller: Caller, campaign: Campaign) => ({
    ...campaign,
    abilities: campaignAbilities(await service.actor(caller.personId), campaign),
  });
  return [
    {
      method: 'GET',
      path: '/campaigns',
      handle: async ({ caller }) => {
        const campaigns = await service.list(caller.personId);
        const actor = await service.actor(caller.personId);
        return {
          json: { campaigns: campaigns.map((c) => ({ ...c, abilities: campaignAbilities(actor, c) })) },
        };
      },
    },
    {
      method: 'POST',
      path: '/campaigns',
      handle: async ({ caller, body }) => {
        const result = await service.create(caller.personId, parseApi(apiContent, body));
        return result.campaign
          ? { status: 201, json: { campaign: await withAbilities(caller, result.campaign) } }
          : problemsResponse(caller.lang, result.problems);
      },
    },
    {
      method: 'GET',
      path: '/campaigns/choices',
      handle: async ({ caller }) => {
        campaignPolicy.authorize(await service.actor(caller.personId), 'compose', undefined);
        const { units, groups } = await service.choices();
        return {
          json: { units: units.map((u) => ({ id: u.id, name: u.name, parentId: u.parentId })), groups },
        };
      },
    },
    {
      method: 'GET',
      path: '/campaigns/:id',
      handle: async (request) => {
        const { campaign, problems, recipients } = await service.inspect(
          request.caller.personId,
          idOf(request),
        );
        const tr = translator(request.caller.lang);
        return {
          json: {
            campaign: await withAbilities(request.caller, campaign),
            recipients,
            problems: problems.map((p) => ({ field: p.field, message: problemText(tr, p) })),
          },
        };
      },
    },
    {
      method: 'PUT',
      path: '/campaigns/:id',
      handle: async (request) => {
        const content = parseApi(apiContent, request.body);
        const result = await service.edit(request.caller.personId, idOf(request), () => content);
        return result.problems.length
          ? problemsResponse(request.caller.lang, result.problems)
          : { json: { campaign: await withAbilities(request.caller, result.campaign) } };
      },
    },
    {
      method: 'POST',
      path: '/campaigns/:id/duplicate',
      handle: async (request) => ({
        status: 201,
        json: {
          campaign: await withAbilities(
            request.caller,
            await service.duplicate(request.caller.personId, idOf(request)),
          ),
        },
      }),
    },
    {
      method: 'GET',
      path: '/campaigns/:id/preview',
      handle: async (request) => {
        const { campaign } = await service.inspect(request.caller.personId, idOf(request));
        return {
          json: {
            card: recipientCard(request.caller.lang, {
              campaign,
              reminder: false,
              refreshUserIds: [],
              preview: true,
            }),
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/campaigns/:id/send',
      handle: async (request) => {
        const result = await service.send(request.caller.personId, idOf(request));
        return result.problems.length
          ? problemsResponse(request.caller.lang, result.problems)
          : {
              json: {
                campaign: await withAbilities(request.caller, result.campaign),
                recipients: result.recipients,
              },
            };
      },
    },
    {
      method: 'POST',
      path: '/campaigns/:id/cancel',
      handle: async (request) => {
        const { campaign, stopped } = await service.cancel(request.caller.personId, idOf(request));
        return { json: { campaign: await withAbilities(request.caller, campaign), stopped } };
      },
    },
    {
      method: 'GET',
      path: '/campaigns/:id/figures',
      handle: async (request) => ({ json: await service.figures(request.caller.personId, idOf(request)) }),
    },
    {
      method: 'GET',
      path: '/campaigns/:id/figures.csv',
      handle: async (request) => {
        const { name, bytes } = await service.csv(
          request.caller.personId,
          request.caller.lang,
          idOf(request),
        );
        return { file: { name, contentType: 'text/csv; charset=utf-8', bytes } };
      },
    },
    {
      method: 'PUT',
      path: '/campaign-authors/:personId',
      handle: async (request) => {
        await service.nameAuthor(
          request.caller.personId,
          parseApi(z.object({ personId: z.string().min(1) }), request.params).personId,
          true,
        );
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      path: '/campaign-authors/:personId',
      handle: async (request) => {
        await service.nameAuthor(
          request.caller.personId,
          parseApi(z.object({ personId: z.string().min(1) }), request.params).personId,
          false,
        );
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/my/campaigns',
      handle: async ({ caller }) => ({
        json: (await service.awaiting(caller.personId)).map((c) => ({
          id: c.id,
          title: c.title,
          dispatchedAt: c.dispatchedAt ?? null,
          closeAt: c.closeAt ?? null,
        })),
      }),
    },
    {
      method: 'GET',
      path: '/my-unit/campaigns',
      handle: async ({ caller }) => ({ json: await service.ownUnit(caller.personId) }),
    },
  ];
}
