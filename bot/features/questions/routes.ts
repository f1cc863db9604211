/** The questions feature's card verbs: parse (zod), then the service loads, authorizes, acts, presents. */
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import type { ApiRoute } from '../../platform/http/api';
import { parseCard as parse, parseApi } from '../../platform/parse';
import type { CommandRoute, VerbRoute } from '../../platform/teams/routes';
import type { QuestionService, QuestionWithAbilities } from './service';
import { verbs } from './verbs';

const questionRef = z.object({ questionId: z.string().uuid() });
const feedback = questionRef.extend({
  helpful: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]),
});
const answer = questionRef.extend({ answer: z.unknown().optional(), keep: z.unknown().optional() });

export function questionVerbs(service: QuestionService): VerbRoute[] {
  return [
    {
      verb: verbs.feedback,
      handle: (caller, data) => {
        const input = parse(feedback, data);
        return service.feedback(caller.personId, caller.lang, input.questionId, input.helpful);
      },
    },
    {
      verb: verbs.escalate,
      handle: (caller, data) =>
        service.escalate(caller.personId, caller.lang, parse(questionRef, data).questionId),
    },
    {
      verb: verbs.answer,
      handle: (caller, data) => {
        const input = parse(answer, data);
        return service.answer(caller.personId, caller.lang, input.questionId, input);
      },
    },
    {
      verb: verbs.viewQuestion,
      handle: (caller, data) =>
        service.view(caller.personId, caller.lang, parse(questionRef, data).questionId),
    },
  ];
}

/** The security function's chat command: the open questions, with whether their cards reached anyone. */
export function questionCommands(service: QuestionService): CommandRoute[] {
  return [
    {
      name: 'questions.open',
      matches: (text) =>
        /^\s*(obesvarade frågor|öppna frågor|open questions|unanswered questions)\s*[?.!]?\s*$/i.test(text),
      handle: (caller) => service.openQuestions(caller.personId, caller.lang),
    },
  ];
}

const conflict = () => new AppError({ id: 'conflict', status: 409, messageKey: 'error.alreadyHandled' });

/** What the tab shows of a question: no card bookkeeping. */
const questionJson = ({ question: q, abilities }: QuestionWithAbilities) => ({
  id: q.id,
  text: q.text,
  status: q.status,
  askedByName: q.askedByName,
  askedAt: q.askedAt,
  escalatedAt: q.escalatedAt ?? null,
  shown: q.shown,
  answer: q.answer ?? null,
  answeredByName: q.answeredByName ?? null,
  answeredAt: q.answeredAt ?? null,
  curated: q.curated,
  abilities,
});

/** The questions feature's tab API: the security function's queue, and one question for whoever may see it. */
export function questionApiRoutes(service: QuestionService): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/questions',
      handle: async ({ caller }) => ({ json: (await service.queue(caller.personId)).map(questionJson) }),
    },
    {
      method: 'GET',
      path: '/my/questions',
      handle: async ({ caller }) => ({ json: (await service.asked(caller.personId)).map(questionJson) }),
    },
    {
      method: 'POST',
      path: '/questions/:id/answer',
      handle: async ({ caller, params, body }) => {
        const { id } = parseApi(z.object({ id: z.string().uuid() }), params);
        const input = parseApi(z.object({ answer: z.string(), keep: z.boolean().optional() }), body);
        await service.answer(caller.personId, caller.lang, id, input);
        const answered = await service.get(caller.personId, id);
        const question = answered.question;
        // the question was no longer open (answered by someone else): nothing changed, and the caller is told
        if (question.answeredBy !== caller.personId || question.answer !== input.answer.trim())
          throw conflict();
        return { json: questionJson(answered) };
      },
    },
    {
      method: 'GET',
      path: '/questions/unanswered',
      handle: async ({ caller }) => ({ json: await service.unanswered(caller.personId) }),
    },
    {
      method: 'POST',
      path: '/questions/curated',
      handle: async ({ caller, body }) => {
        const input = parseApi(
          z.object({ question: z.string().max(500), answer: z.string() }).strict(),
          body,
        );
        const kept = await service.curate(caller.personId, input);
        return { status: 201, json: { id: kept.id, question: kept.text, answer: kept.answer } };
      },
    },
    {
      method: 'GET',
      path: '/questions/:id',
      handle: async ({ caller, params }) => {
        const { id } = parseApi(z.object({ id: z.string().uuid() }), params);
        return { json: questionJson(await service.get(caller.personId, id)) };
      },
    },
  ];
}
