import type { Block } from '../../../bot/features/knowledge/model';
import { MAX_PASSAGE_WORDS, sentences, toPassages } from '../../../bot/features/knowledge/passages';

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('sentences', () => {
  it('does not split at abbreviations or ordinal numbers', () => {
    expect(
      sentences(
        'Information, t.ex. personuppgifter, ska skyddas. Det gäller bl.a. e-post. Se kap. 3 för mer.',
      ),
    ).toEqual([
      'Information, t.ex. personuppgifter, ska skyddas.',
      'Det gäller bl.a. e-post.',
      'Se kap. 3 för mer.',
    ]);
  });

  it('cuts a very long sentence at clause boundaries', () => {
    const long = `${Array.from({ length: 60 }, (_, i) => `ord${i}`).join(' ')}, ${Array.from({ length: 60 }, (_, i) => `mer${i}`).join(' ')}.`;
    for (const part of sentences(long)) expect(words(part)).toBeLessThanOrEqual(MAX_PASSAGE_WORDS);
  });
});

describe('toPassages', () => {
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: 'Säkerhetspolicy för Region Norrviken' },
    { kind: 'heading', level: 2, text: 'Ansvar' },
    {
      kind: 'paragraph',
      text: 'Regionstyrelsen har det samlade ansvaret för säkerhetsarbetet. Säkerhetschefen samordnar arbetet, t.ex. utbildningar och övningar. Varje medarbetare ska anmäla brister till sin chef. Chefer ansvarar för säkerheten inom sitt område.',
    },
    { kind: 'heading', level: 2, text: 'Förslag till beslut' },
    { kind: 'paragraph', text: 'Regionstyrelsen föreslår regionfullmäktige besluta' },
    { kind: 'item', text: 'att anta säkerhetspolicyn' },
    { kind: 'item', text: 'att uppdra åt regiondirektören att ta fram riktlinjer' },
  ];
  const passages = toPassages(blocks);

  it('keeps passages within the word limit and made of whole sentences', () => {
    for (const p of passages) {
      expect(words(p.text)).toBeLessThanOrEqual(MAX_PASSAGE_WORDS);
      expect(p.text).toMatch(/^[\p{Lu}a-zåäö]/u);
    }
    expect(
      passages.some((p) => p.text === 'Säkerhetschefen samordnar arbetet, t.ex. utbildningar och övningar.'),
    ).toBe(true);
  });

  it('records the section and its path', () => {
    const first = passages.find((p) => p.text.startsWith('Regionstyrelsen har'));
    expect(first?.section).toBe('Ansvar');
    expect(first?.sectionPath).toEqual(['Säkerhetspolicy för Region Norrviken', 'Ansvar']);
  });

  it('never crosses a section boundary', () => {
    expect(passages.some((p) => p.text.includes('Chefer ansvarar') && p.text.includes('föreslår'))).toBe(
      false,
    );
  });

  it('lets a lead-in without a full stop travel with its list', () => {
    expect(
      passages.some((p) =>
        p.text.startsWith('Regionstyrelsen föreslår regionfullmäktige besluta att anta säkerhetspolicyn'),
      ),
    ).toBe(true);
  });
});
