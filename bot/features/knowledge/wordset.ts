/**
 * A read-only set of words packed into one string, searched by halves: the Swedish dictionary's
 * 140,000 words cost about two megabytes this way instead of a hash set's twenty. Plain code, no I/O.
 */
export class PackedWordSet {
  private readonly text: string;
  /** where each word begins in `text`; one more than there are words (the end) */
  private readonly starts: Uint32Array;

  /** The packed form, for a cache file: the words' text and where each begins. */
  pack(): { text: string; starts: string } {
    return {
      text: this.text,
      starts: Buffer.from(this.starts.buffer, this.starts.byteOffset, this.starts.byteLength).toString(
        'base64',
      ),
    };
  }

  /** A set from its packed form (see pack). */
  static unpack(packed: { text: string; starts: string }): PackedWordSet {
    const set = Object.create(PackedWordSet.prototype) as { text: string; starts: Uint32Array };
    const bytes = Buffer.from(packed.starts, 'base64');
    set.text = packed.text;
    set.starts = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return set as unknown as PackedWordSet;
  }

  /** Takes the words (the array is sorted in place). */
  constructor(words: string[]) {
    words.sort(compare);
    const unique = words.filter((word, i) => i === 0 || word !== words[i - 1]);
    this.text = unique.join('');
    this.starts = new Uint32Array(unique.length + 1);
    let at = 0;
    unique.forEach((word, i) => {
      this.starts[i] = at;
      at += word.length;
    });
    this.starts[unique.length] = at;
  }

  get size(): number {
    return this.starts.length - 1;
  }

  has(word: string): boolean {
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = this.compareAt(middle, word);
      if (order === 0) return true;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** The order of the i-th word against `word`, by UTF-16 code units, as `compare` sorts. */
  private compareAt(i: number, word: string): number {
    const start = this.starts[i] as number;
    const length = (this.starts[i + 1] as number) - start;
    const shared = Math.min(length, word.length);
    for (let k = 0; k < shared; k++) {
      const difference = this.text.charCodeAt(start + k) - word.charCodeAt(k);
      if (difference !== 0) return difference;
    }
    return length - word.length;
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
