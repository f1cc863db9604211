/**
 * The inverted index in compact form: terms interned to small ids, postings packed into typed
 * arrays (the entry and the term's weight in the entry, in hundredths) grouped by term, so that
 * tens of thousands of passages cost a few bytes per posting and a query walks flat arrays.
 * Built once, read-only afterwards. Plain code, no I/O.
 */

/** Term weights are sums of 1, 0.5, 0.3, 0.25, 0.2, 0.15, 0.1 and 0.06: whole hundredths, kept exactly. */
const SCALE = 100;

/** An append-only column of unsigned 32-bit numbers in fixed-size chunks (growing never copies). */
class Column {
  private static readonly CHUNK = 1 << 16;
  private readonly chunks: Uint32Array[] = [];
  length = 0;

  push(value: number): void {
    const offset = this.length % Column.CHUNK;
    if (offset === 0) this.chunks.push(new Uint32Array(Column.CHUNK));
    (this.chunks[this.chunks.length - 1] as Uint32Array)[offset] = value;
    this.length++;
  }

  at(i: number): number {
    return (this.chunks[Math.floor(i / Column.CHUNK)] as Uint32Array)[i % Column.CHUNK] as number;
  }
}

export class PostingsBuilder {
  private readonly ids = new Map<string, number>();
  private readonly terms = new Column();
  private readonly entries = new Column();
  private readonly weights = new Column();

  /** Adds an entry's terms with their weights; entries are added in increasing order. */
  add(entry: number, terms: Iterable<[string, number]>): void {
    for (const [term, weight] of terms) {
      let id = this.ids.get(term);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(term, id);
      }
      this.terms.push(id);
      this.entries.push(entry);
      this.weights.push(Math.round(weight * SCALE));
    }
  }

  /** Groups the postings by term (a counting sort: each term's entries stay in increasing order). */
  build(): Postings {
    const termCount = this.ids.size;
    const start = new Uint32Array(termCount + 1);
    for (let i = 0; i < this.terms.length; i++) {
      const k = this.terms.at(i) + 1;
      start[k] = (start[k] as number) + 1;
    }
    for (let t = 0; t < termCount; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
    const next = start.slice(0, termCount);
    const entry = new Uint32Array(this.terms.length);
    const weight = new Uint32Array(this.terms.length);
    for (let i = 0; i < this.terms.length; i++) {
      const t = this.terms.at(i);
      const at = next[t] as number;
      next[t] = at + 1;
      entry[at] = this.entries.at(i);
      weight[at] = this.weights.at(i);
    }
    return new Postings(this.ids, start, entry, weight);
  }
}

export class Postings {
  constructor(
    private readonly ids: Map<string, number>,
    /** Where each term's postings begin in `entry` and `weight`; one more than there are terms. */
    readonly start: Uint32Array,
    readonly entry: Uint32Array,
    private readonly weight: Uint32Array,
  ) {}

  static empty(): Postings {
    return new PostingsBuilder().build();
  }

  id(term: string): number | undefined {
    return this.ids.get(term);
  }

  has(term: string): boolean {
    return this.ids.has(term);
  }

  /** How many entries hold the term. */
  count(term: string): number {
    const id = this.ids.get(term);
    return id === undefined ? 0 : (this.start[id + 1] as number) - (this.start[id] as number);
  }

  /** The term's weight in the entry of posting `p`. */
  weightAt(p: number): number {
    return (this.weight[p] as number) / SCALE;
  }

  get size(): number {
    return this.entry.length;
  }
}
