/**
 * The one parser at the edge: card data (an Action.Execute's or Action.Submit's `data`) and the tab
 * API's bodies, path parameters and queries go through a zod schema here, and the middle trusts the
 * types inferred from it. What does not fit is a 400 AppError whose message the caller reads in
 * their language, and nothing changes: on a card, "could not read what you sent" (a card's field
 * names mean nothing to its reader); from the API, the fields to check.
 */
import type { z } from 'zod';
import { badInput } from './errors';

export type Edge = 'card' | 'api';

export function parseEdge<T>(schema: z.ZodType<T>, input: unknown, edge: Edge): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  if (edge === 'card') throw badInput();
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '–'))].join(', ');
  throw badInput('api.badInput', { fields });
}

/** Card data through the verb's schema. */
export const parseCard = <T>(schema: z.ZodType<T>, data: unknown): T => parseEdge(schema, data, 'card');

/** A tab API body, query or path parameters through the route's schema. */
export const parseApi = <T>(schema: z.ZodType<T>, input: unknown): T => parseEdge(schema, input, 'api');
