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
