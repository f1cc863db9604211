import {
  compoundParts,
  detectLanguage,
  particleVerbs,
  spellSv,
  splitCompound,
  stemSv,
  tokenize,
} from '../../../bot/features/knowledge/analysis';

describe('tokenize', () => {
  it('keeps case numbers and hyphenated words', () => {
    expect(tokenize('Dnr 2018/00929 gäller IT-säkerhet.')).toEqual([
      'dnr',
      '2018/00929',
      'gäller',
      'it-säkerhet',
    ]);
  });
});

describe('stemSv', () => {
  it('brings inflected and definite forms together', () => {
    expect(stemSv('policyn')).toBe(stemSv('policy'));
    expect(stemSv('säkerhetspolicyn')).toBe(stemSv('säkerhetspolicy'));
    expect(stemSv('totalförsvaret')).toBe(stemSv('totalförsvar'));
    expect(stemSv('ansvarar')).toBe(stemSv('ansvaret'));
    expect(stemSv('riktlinjerna')).toBe(stemSv('riktlinje'));
  });

  it('meets a -ning noun with its verb', () => {
    expect(stemSv('omfattning')).toBe(stemSv('omfattas'));
    expect(stemSv('uppföljningen')).toBe(stemSv('uppfölja'));
    expect(stemSv('klassning')).toBe(stemSv('klassas'));
  });

  it('leaves short words and numbers alone', () => {
    expect(stemSv('ordning')).not.toBe(stemSv('ord'));
    expect(stemSv('2019-2022')).toBe('2019-2022');
  });
});

describe('compounds (dictionary-sv flags)', () => {
  it('splits informationssäkerhet and säkerhetsskyddet', () => {
    expect(splitCompound('informationssäkerhet')).toEqual([stemSv('information'), stemSv('säkerhet')]);
    expect(splitCompound('säkerhetsskyddet')).toEqual([stemSv('säkerhet'), stemSv('skydd')]);
  });

  it('finds parts of parts', () => {
    expect(compoundParts('brandskyddsarbete')?.subParts).toEqual(
      expect.arrayContaining([stemSv('brand'), stemSv('skydd')]),
    );
  });

  it('also gives the compounds that neighbouring parts make, so the concept inside a longer word is found', () => {
    expect(compoundParts('krisberedskapsarbetet')?.spans).toContain(stemSv('krisberedskap'));
    expect(compoundParts('informationssäkerhetsarbetet')?.spans).toContain(stemSv('informationssäkerhet'));
    expect(compoundParts('dataskyddsombudet')?.spans).toContain(stemSv('dataskydd'));
    expect(compoundParts('brandskydd')?.spans).toEqual([]);
  });

  it('does not split plain words', () => {
    expect(splitCompound('information')).toBeNull();
  });
});

describe('particle verbs', () => {
  it('finds "följs … upp" with words between', () => {
    expect(particleVerbs(tokenize('hur följs säkerhetsarbetet upp'))).toEqual([
      { verb: 1, particle: 3, term: 'uppföljning' },
    ]);
  });
});

describe('detectLanguage', () => {
  it('tells Swedish from English', () => {
    expect(detectLanguage('vem ansvarar för informationssäkerheten?')).toBe('sv');
    expect(detectLanguage('who is responsible for information security?')).toBe('en');
    expect(detectLanguage('krisberedskap')).toBe('sv');
  });
});

describe('spellSv', () => {
  it('corrects a word one edit from a dictionary word', () => {
    expect(spellSv('incidnet')).toBe('incident');
    expect(spellSv('säkerhet')).toBeUndefined();
  });
});
