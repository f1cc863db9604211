/**
 * Spelling correction against the words the documents use: a misspelt question word
 * (krisberedsap, informationssäkehet) becomes the document word one or two edits away.
 * Words are kept once, bucketed by their first letter and length, so that a large vocabulary
 * costs little memory and a lookup compares only words of about the same length.
 * Plain code, no I/O.
 */

/** Three rows of the distance table, reused by every call (the function is synchronous). */
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)] as const;

/** Restricted Damerau–Levenshtein (optimal string alignment) distance, capped: above `cap` returns cap + 1. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const width = b.length + 1;
  if (rows[0].length < width)
    rows = [new Int32Array(width * 2), new Int32Array(width * 2), new Int32Array(width * 2)];
  let [twoBack, previous, row] = rows;
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j < width; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (twoBack[j - 2] as number) + 1);
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    [twoBack, previous, row] = [previous, row, twoBack];
  }
  return previous[b.length] as number;
}

/** The words of the documents (four letters or more, no digits), for spelling correction. */
export class SurfaceVocabulary {
  private readonly words = new Set<string>();
  /** first letter → words by length */
  private readonly buckets = new Map<string, string[][]>();

  add(token: string): void {
    if (token.length < 4 || this.words.has(token) || /\d/.test(token)) return;
    this.words.add(token);
    const first = token[0] as string;
    let byLength = this.buckets.get(first);
    if (!byLength) {
      byLength = [];
      this.buckets.set(first, byLength);
    }
    let list = byLength[token.length];
    if (!list) {
      list = [];
      byLength[token.length] = list;
    }
    list.push(token);
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  /**
   * The document word nearest to a misspelt one: within one edit, two for words of nine letters or
   * more; on a tie, the word more passages use (`frequency`). Words are compared with those of the same
   * first letter, and with the word's own deletions (an extra letter typed first).
   */
  correct(word: string, frequency: (word: string) => number): string | undefined {
    if (word.length < 5 || this.words.has(word) || /\d/.test(word)) return undefined;
    const maxDistance = word.length >= 9 ? 2 : 1;
    let best: string | undefined;
    let bestDistance = maxDistance + 1;
    let bestFrequency = 0;
    const consider = (candidate: string) => {
      const distance = editDistance(word, candidate, maxDistance);
      if (distance > maxDistance || distance > bestDistance) return;
      const f = frequency(candidate);
      if (distance < bestDistance || f > bestFrequency) {
        best = candidate;
        bestDistance = distance;
        bestFrequency = f;
      }
    };
    const byLength = this.buckets.get(word[0] as string) ?? [];
    for (let length = word.length - maxDistance; length <= word.length + maxDistance; length++) {
      for (const candidate of byLength[length] ?? []) consider(candidate);
    }
    // a typo in the first letter: an extra one, a missing one, or the wrong one
    const rest = word.slice(1);
    if (this.words.has(rest)) consider(rest);
    for (const letter of this.buckets.keys()) {
      if (letter === word[0]) continue;
      for (const candidate of [letter + word, letter + rest])
        if (this.words.has(candidate)) consider(candidate);
    }
    return best;
  }
}
