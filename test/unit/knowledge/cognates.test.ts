import { swedishCognates } from '../../../bot/features/knowledge/cognates';

describe('Swedish spellings of English loanwords', () => {
  it.each([
    ['classification', 'klassificering'],
    ['physical', 'fysisk'],
    ['continuity', 'kontinuitet'],
    ['quality', 'kvalitet'],
    ['evacuation', 'evakuering'],
    ['evacuate', 'evakuera'],
    ['critical', 'kritisk'],
    ['electronic', 'elektronisk'],
    ['analysis', 'analys'],
    ['procedure', 'procedur'],
    ['control', 'kontroll'],
    ['authentication', 'autentisering'],
    ['documentation', 'dokumentation'],
    ['confidential', 'konfidentiell'],
    ['external', 'extern'],
    ['strategy', 'strategi'],
    ['organization', 'organisation'],
    ['competence', 'kompetens'],
  ])('%s → %s', (english, swedish) => {
    expect(swedishCognates(english)).toContain(swedish);
  });

  it('offers nothing for short words and nothing but the word as written', () => {
    expect(swedishCognates('fire')).toEqual([]);
    expect(swedishCognates('security')).not.toContain('security');
  });
});
