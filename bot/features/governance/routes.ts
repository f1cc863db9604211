/** The document review's card verbs: parse (zod), then the service loads, authorizes, acts, presents. */
import { z } from 'zod';
import type { ApiRoute } from '../../platform/http/api';
import { parseCard as parse, parseApi } from '../../platform/parse';
import type { VerbRoute } from '../../platform/teams/routes';
import { OUTCOMES } from './model';
import type { DocumentRow, GovernanceService } from './service';
import { verbs } from './verbs';

/** The tab's change of a document: either or both; a date is a day (Europe/Stockholm). */
const details = z
  .object({
    ownerId: z.string().min(1).max(200).optional(),
    nextReviewDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .strict()
  .refine((d) => d.ownerId !== undefined || d.nextReviewDate !== undefined);

/** One document as the tab shows it. */
const documentJson = ({ document, review, abilities }: DocumentRow) => ({
  documentId: document.id,
  title: document.title,
  link: review?.link ?? document.link,
  documentType: document.documentType ?? null,
  adoptedDate: document.adoptedDate ?? null,
  owner: review?.ownerText ?? document.owner ?? null,
  ownerIds: review?.ownerIds ?? [],
  nextReviewDate: review?.nextReviewDate || null,
  state: review?.state ?? 'unscheduled',
  lastAnswer: review?.answers.at(-1) ?? null,
  setByHand: review?.setByHand ?? null,
  abilities,
});

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

/** The tab's view: the governing documents the caller answers for, when each is reviewed, and the last answer. */
export function governanceApiRoutes(service: GovernanceService): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/governance/reviews',
      handle: async ({ caller }) => ({
        json: (await service.listFor(caller.personId)).map(({ review, abilities }) => ({
          documentId: review.documentId,
          title: review.title,
          link: review.link,
          owner: review.ownerText ?? null,
          nextReviewDate: review.nextReviewDate,
          state: review.state,
          lastAnswer: review.answers.at(-1) ?? null,
          abilities,
        })),
      }),
    },
    {
      method: 'GET',
      path: '/governance/documents',
      handle: async ({ caller }) => {
        const { documents, owners } = await service.documentsFor(caller.personId);
        return { json: { documents: documents.map(documentJson), owners } };
      },
    },
    {
      method: 'PUT',
      path: '/governance/documents/:id',
      handle: async ({ caller, params, body }) => ({
        json: documentJson(
          await service.setDetails(caller.personId, params.id ?? '', parseApi(details, body)),
        ),
      }),
    },
  ];
}
