/** The questions feature's card verbs: parse (zod), then the service loads, authorizes, acts, presents. */
import { z } from 'zod';
import { parseVerbData as parse, type VerbRoute, verbs } from '../teams/routes';
import type { QuestionService } from './service';

const questionRef = z.object({ questionId: z.string().uuid() });
const feedback = questionRef.extend({ helpful: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]) });
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
      handle: (caller, data) => service.escalate(caller.personId, caller.lang, parse(questionRef, data).questionId),
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
      handle: (caller, data) => service.view(caller.personId, caller.lang, parse(questionRef, data).questionId),
    },
  ];
}
