/**
 * The review's edge: card data and API bodies through zod into the typed input the commands take.
 * What does not fit is bad input through platform/parse.ts (a clear message in the caller's language, nothing changes).
 */
import { z } from 'zod';
import { badInput } from '../../platform/errors';
import { parseCard } from '../../platform/parse';
import { type Area, type ChainRole, chainRoles, type GoalTemplate, type Rating, ratings } from './model';
import { chainPresets } from './present';

const number = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
export const reviewRef = z.object({ reviewId: z.string().min(1).max(200) });
/** A button on a review card: the round and step the card showed, so an old card's click is stale. */
export const seenSchema = reviewRef.extend({ round: number, step: number });
/** The round and step the clicked card showed. */
export type Seen = { round: number; step: number };
export const areaRef = seenSchema.extend({
  areaId: z.string().min(1).max(50),
  back: z
    .union([z.boolean(), z.string()])
    .optional()
    .transform((back) => back === true || back === 'true'),
});
export const decisionSchema = seenSchema.extend({ comment: z.string().max(2000).optional() });
export const cycleRef = z.object({ cycleId: z.string().min(1).max(100) });
/** Closing: the first click asks, the confirmation's button says confirm. */
export const closeRef = cycleRef.extend({
  confirm: z
    .union([z.boolean(), z.string()])
    .optional()
    .transform((confirm) => confirm === true || confirm === 'true'),
});
export const deputySchema = z.object({
  deputyId: z.string().min(1).max(100),
  from: z.string().max(10),
  to: z.string().max(10),
});
export type DeputyInput = z.infer<typeof deputySchema>;
export const followUpRef = z.object({ followUpId: z.string().min(1).max(300) });
export const followUpUpdateSchema = followUpRef.extend({
  status: z.string().optional(),
  comment: z.string().max(2000).optional(),
  seen: z.string().optional(),
});

// ---- the area card's inputs ----

/** A text input as Teams sends it: trimmed; anything that is not a string was not sent. */
const sentText = z.unknown().transform((v) => (typeof v === 'string' ? v.trim() : undefined));

/** One goal's inputs on the area card; `undefined` = not on the card (the stored draft stays). */
export interface GoalInput {
  /** The card showed this goal's fields: one it did not send was cleared (clients leave empty inputs out). */
  shown?: boolean;
  rating?: Rating | '';
  comment?: string;
  evidence?: string;
  followUpWhat?: string;
  followUpOwner?: string;
  followUpDue?: string;
  reason?: string;
}
/** The area card's inputs by goal id. */
export type AreaValues = Record<string, GoalInput>;

const goalField = /^(rating|comment|evidence|followUpWhat|followUpOwner|followUpDue|reason)_(.+)$/;
const ratingInput = z.union([z.literal(''), z.enum(ratings)]);

const areaValuesSchema = z.record(z.string(), z.unknown()).transform((data, ctx) => {
  const values: AreaValues = {};
  // the save button names the goals whose fields the card showed
  const shown = typeof data.shown === 'string' ? data.shown.split(',') : [];
  for (const goalId of shown) if (goalId !== '') values[goalId] = { shown: true };
  for (const [key, raw] of Object.entries(data)) {
    const match = goalField.exec(key);
    if (!match) continue;
    const field = match[1] as keyof GoalInput;
    const goalId = match[2] as string;
    // a follow-up's "what" that came as something other than text was sent empty (it clears the draft's)
    const text =
      field === 'followUpWhat' && raw !== undefined ? (sentText.parse(raw) ?? '') : sentText.parse(raw);
    if (text === undefined) continue;
    const goal: GoalInput = values[goalId] ?? {};
    values[goalId] = goal;
    if (field === 'rating') {
      const rating = ratingInput.safeParse(text);
      if (!rating.success) {
        ctx.addIssue({ code: 'custom', message: 'unknown rating' });
        return z.NEVER;
      }
      goal.rating = rating.data;
    } else goal[field as Exclude<keyof GoalInput, 'shown' | 'rating'>] = text;
  }
  return values;
});

/** The area card's goal inputs (rating_<goal>, comment_<goal>, …); an unknown rating is bad input. */
export const areaValues = (data: unknown): AreaValues => parseCard(areaValuesSchema, data);

/** A day as a card's date input sends it (yyyy-mm-dd). */
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

// ---- opening a cycle ----

/** What opening a cycle needs, from the card form or the tab API. */
export interface OpenCycleInput {
  year: number;
  deadline: string;
  scope: 'all' | { subtree: string };
  chain: ChainRole[];
  areas: Area[];
}

const text = (data: Record<string, unknown>, key: string) =>
  typeof data[key] === 'string' ? (data[key] as string).trim() : '';

/** Reads the opening form's fields over the goal template (goals kept, reworded, dropped or added). */
export function openCycleForm(template: GoalTemplate, raw: unknown): OpenCycleInput {
  const data = parseCard(z.record(z.string(), z.unknown()), raw);
  const preset = chainPresets(template.chain).find((p) => p.id === (text(data, 'chain') || 'default'));
  if (!preset) throw badInput('review.open.badChain');
  const scope = text(data, 'scope') || 'all';
  let extra = 0;
  const areas: Area[] = template.areas.map((area) => ({
    id: area.id,
    name: area.name,
    goals: [
      ...area.goals
        .filter((g) => data[`include_${g.id}`] !== false && data[`include_${g.id}`] !== 'false')
        .map((g) => ({ id: g.id, text: text(data, `text_${g.id}`) || g.text })),
      ...text(data, `add_${area.id}`)
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map((line) => ({ id: `${area.id}x${++extra}`, text: line.slice(0, 500) })),
    ],
  }));
  return {
    year: Number(data.year),
    deadline: text(data, 'deadline'),
    scope: scope === 'all' ? 'all' : { subtree: scope },
    chain: preset.roles,
    areas,
  };
}

const id = z.string().regex(/^[a-z][a-z0-9]*$/);
export const openBody = z.object({
  year: z.number().int(),
  deadline: z.string(),
  scope: z.union([z.literal('all'), z.object({ subtree: z.string().min(1) })]).default('all'),
  chain: z.array(z.enum(chainRoles)).min(1).optional(),
  areas: z
    .array(
      z.object({
        id,
        name: z.object({ sv: z.string().min(1), en: z.string().min(1) }),
        goals: z.array(z.object({ id, text: z.string().min(1).max(500) })),
      }),
    )
    .optional(),
});
