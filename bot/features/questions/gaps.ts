/**
 * What the bot could not answer, as a list the security function can act on: the questions whose
 * answer was *none* or *uncertain* and that nobody sent on (those are in the queue already), the same
 * wording counted together, newest first. A question stays private to its asker: the list holds the
 * words and the day only, never who asked. The function acts by writing an answer, kept as a curated
 * one that the next such question finds first.
 */
import type { Question } from './model';

export interface Gap {
  /** The latest wording of the group. */
  text: string;
  count: number;
  /** The weakest outcome in the group: none before uncertain. */
  confidence: 'none' | 'uncertain';
  /** The day it was last asked (yyyy-mm-dd, UTC date of the instant: never the time, which could tell who). */
  lastAsked: string;
}

/** Lower-case words only: "Får jag ta med datorn utomlands?" and "får jag ta med datorn utomlands" are one. */
export const wordingOf = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Groups the unanswered questions (a plain function: tested without I/O). */
export function gapsOf(questions: readonly Question[], limit = 100): Gap[] {
  const groups = new Map<string, Gap & { at: string }>();
  for (const q of questions) {
    if (q.status !== 'asked' || (q.confidence !== 'none' && q.confidence !== 'uncertain')) continue;
    const key = wordingOf(q.text);
    if (!key) continue;
    const seen = groups.get(key);
    if (!seen) {
      groups.set(key, {
        text: q.text,
        count: 1,
        confidence: q.confidence,
        lastAsked: q.askedAt.slice(0, 10),
        at: q.askedAt,
      });
      continue;
    }
    seen.count++;
    if (q.confidence === 'none') seen.confidence = 'none';
    if (q.askedAt > seen.at)
      Object.assign(seen, { text: q.text, at: q.askedAt, lastAsked: q.askedAt.slice(0, 10) });
  }
  return [...groups.values()]
    .sort((a, b) => b.at.localeCompare(a.at) || b.count - a.count)
    .slice(0, limit)
    .map(({ at: _at, ...gap }) => gap);
}
