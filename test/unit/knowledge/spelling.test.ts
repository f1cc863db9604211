import { editDistance, SurfaceVocabulary } from '../../../bot/features/knowledge/spelling';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('krisberedskap', 'krisberedskap')).toBe(0);
    expect(editDistance('krisberedsap', 'krisberedskap')).toBe(1);
    expect(editDistance('krisberedsakp', 'krisberedskap')).toBe(1);
    expect(editDistance('incidnet', 'incident')).toBe(1);
    expect(editDistance('polcyn', 'policyn')).toBe(1);
    expect(editDistance('säkerhet', 'säkrehte')).toBe(2);
  });

  it('stops at the cap', () => {
    expect(editDistance('brand', 'informationssäkerhet', 2)).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });

  it('gives the same answer when called with longer words after shorter ones', () => {
    expect(editDistance('ab', 'ac')).toBe(1);
    const long = 'informationssäkerhetsarbetet'.repeat(3);
    expect(editDistance(long, `${long}x`)).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });
});

describe('SurfaceVocabulary', () => {
  const vocabulary = new SurfaceVocabulary();
  for (const word of [
    'krisberedskap',
    'informationssäkerhet',
    'incident',
    'policyn',
    'policy',
    'brandskydd',
    'säkerhet',
  ])
    vocabulary.add(word);
  const frequency = (word: string) => (word === 'policy' ? 10 : 1);

  it('corrects a typo inside a long compound with up to two edits', () => {
    expect(vocabulary.correct('informationssäkehet', frequency)).toBe('informationssäkerhet');
    expect(vocabulary.correct('krisberedsakp', frequency)).toBe('krisberedskap');
    expect(vocabulary.correct('kirsbredskap', frequency)).toBe('krisberedskap');
  });

  it('allows one edit in a shorter word, also in its first letter', () => {
    expect(vocabulary.correct('incidnet', frequency)).toBe('incident');
    expect(vocabulary.correct('xbrandskydd', frequency)).toBe('brandskydd');
    expect(vocabulary.correct('randskydd', frequency)).toBe('brandskydd');
    expect(vocabulary.correct('vrandskydd', frequency)).toBe('brandskydd');
    expect(vocabulary.correct('incxdxnt', frequency)).toBeUndefined();
  });

  it('prefers the word more passages use when two are as near', () => {
    const near = new SurfaceVocabulary();
    near.add('police');
    near.add('policy');
    expect(near.correct('policx', frequency)).toBe('policy');
    expect(near.correct('policx', (word) => (word === 'police' ? 10 : 1))).toBe('police');
  });

  it('leaves known, short and numeric words alone', () => {
    expect(vocabulary.correct('incident', frequency)).toBeUndefined();
    expect(vocabulary.correct('wifi', frequency)).toBeUndefined();
    expect(vocabulary.correct('2018/00929', frequency)).toBeUndefined();
    expect(vocabulary.has('incident')).toBe(true);
    expect(vocabulary.has('kri')).toBe(false);
  });
});
