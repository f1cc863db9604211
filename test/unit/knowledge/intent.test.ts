import { intentBoost, intentsOf } from '../../../bot/features/knowledge/intent';

describe('intents', () => {
  it('recognises what a question asks for, in Swedish and English', () => {
    expect(intentsOf('Vem ansvarar för krisberedskapen?')).toEqual(['responsibility']);
    expect(intentsOf('hur ofta ska policyn revideras')).toEqual(['frequency']);
    expect(intentsOf('what does classification mean?')).toEqual(['definition']);
    expect(intentsOf('när kommer lönen ut')).toEqual([]);
  });

  it('reads words that begin with Å, Ä or Ö (a \\b in JavaScript counts them as no letters)', () => {
    expect(intentsOf('årlig uppföljning av säkerhetsarbetet?')).toContain('frequency');
    expect(intentBoost(['frequency'], 'Policyn ska revideras årligen.')).toBeGreaterThan(1);
    expect(intentBoost(['frequency'], 'Uppföljningen redovisas årsvis till nämnden.')).toBeGreaterThan(1);
    expect(
      intentBoost(['responsibility'], 'Det åligger förvaltningschefen att utse en samordnare.'),
    ).toBeGreaterThan(1);
    expect(intentBoost(['responsibility'], 'Kommunstyrelsen är ytterst den som beslutar.')).toBeGreaterThan(
      1,
    );
  });

  it('does not read a word inside a longer one', () => {
    expect(intentBoost(['frequency'], 'Dokumentet är skrivet på svenska.')).toBe(1);
    expect(intentBoost(['responsibility'], 'Rutinen gäller för hela förvaltningen.')).toBe(1);
  });
});
