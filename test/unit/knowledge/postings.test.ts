import { Postings, PostingsBuilder } from '../../../bot/features/knowledge/postings';

describe('PostingsBuilder', () => {
  const build = () => {
    const builder = new PostingsBuilder();
    builder.add(
      0,
      new Map([
        ['säk', 1],
        ['policy', 0.06],
      ]),
    );
    builder.add(1, new Map([['kris', 1.5]]));
    builder.add(2, [
      ['säk', 0.25],
      ['kris', 0.3],
    ]);
    return builder.build();
  };

  it('groups the postings by term, each term with its entries in order', () => {
    const postings = build();
    const entries = (term: string) => {
      const id = postings.id(term) as number;
      return [...postings.entry.subarray(postings.start[id], postings.start[id + 1])];
    };
    expect(entries('säk')).toEqual([0, 2]);
    expect(entries('kris')).toEqual([1, 2]);
    expect(entries('policy')).toEqual([0]);
    expect(postings.size).toBe(5);
  });

  it('keeps the weights exactly, in hundredths', () => {
    const postings = build();
    const weights = (term: string) => {
      const id = postings.id(term) as number;
      const out: number[] = [];
      for (let p = postings.start[id] as number; p < (postings.start[id + 1] as number); p++)
        out.push(postings.weightAt(p));
      return out;
    };
    expect(weights('säk')).toEqual([1, 0.25]);
    expect(weights('kris')).toEqual([1.5, 0.3]);
    expect(weights('policy')).toEqual([0.06]);
  });

  it('counts the entries that hold a term, and knows none for an unknown one', () => {
    const postings = build();
    expect(postings.count('säk')).toBe(2);
    expect(postings.has('kris')).toBe(true);
    expect(postings.count('wifi')).toBe(0);
    expect(postings.id('wifi')).toBeUndefined();
    expect(Postings.empty().size).toBe(0);
  });

  it('holds more postings than one chunk of its columns', () => {
    const builder = new PostingsBuilder();
    for (let entry = 0; entry < 70_000; entry++) builder.add(entry, [[entry % 2 ? 'udda' : 'jämn', 1]]);
    const postings = builder.build();
    expect(postings.count('udda')).toBe(35_000);
    const id = postings.id('jämn') as number;
    expect(postings.entry[(postings.start[id + 1] as number) - 1]).toBe(69_998);
  });
});
