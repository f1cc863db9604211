/** The document review's card verbs: parse (zod), then the service loads, authorizes, acts, presents. */
import { z } from 'zod';
import { parseVerbData as parse, type VerbRoute, verbs } from '../teams/routes';
import { OUTCOMES } from './model';
import type { GovernanceService } from './service';

const reviewRef = z.object({ documentId: z.string().min(1).max(200) });
const answer = reviewRef.extend({
  outcome: z.enum(OUTCOMES),
  comment: z.string().optional(),
});

export function governanceVerbs(service: GovernanceService): VerbRoute[] {
  return [
    {
      verb: verbs.answerDocumentReview,
      handle: (caller, data) => {
        const input = parse(answer, data);
        return service.answer(caller.personId, caller.lang, input.documentId, {
          outcome: input.outcome,
          comment: input.comment,
        });
      },
    },
    {
      verb: verbs.viewDocumentReview,
      handle: (caller, data) => service.view(caller.personId, caller.lang, parse(reviewRef, data).documentId),
    },
  ];
}
