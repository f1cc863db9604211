import { PackedWordSet } from '../../../bot/features/knowledge/wordset';

describe('PackedWordSet', () => {
  const set = new PackedWordSet([
    'säkerhet',
    'kris',
    'beredskap',
    'kris',
    'åtgärd',
    'ö',
    'informations',
    'information',
  ]);

  it('knows the words it was given, once each', () => {
    for (const word of ['säkerhet', 'kris', 'beredskap', 'åtgärd', 'ö', 'informations', 'information'])
      expect(set.has(word)).toBe(true);
    expect(set.size).toBe(7);
  });

  it('knows no other word, not even a prefix or an extension of one', () => {
    for (const word of ['säker', 'säkerheten', 'kri', 'krisberedskap', 'informationen', '', 'a', 'öö'])
      expect(set.has(word)).toBe(false);
  });

  it('is empty when given nothing', () => {
    const empty = new PackedWordSet([]);
    expect(empty.size).toBe(0);
    expect(empty.has('kris')).toBe(false);
  });
});

describe('PackedWordSet in a cache file', () => {
  it('answers the same after packing and unpacking', () => {
    const set = new PackedWordSet(['säkerhet', 'policy', 'krisberedskap', 'ö']);
    const copy = PackedWordSet.unpack(JSON.parse(JSON.stringify(set.pack())));
    for (const word of ['säkerhet', 'policy', 'krisberedskap', 'ö']) expect(copy.has(word)).toBe(true);
    expect(copy.has('brandskydd')).toBe(false);
    expect(copy.size).toBe(4);
  });
});
