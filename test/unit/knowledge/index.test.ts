import type { DocumentRecord, Passage } from '../../../bot/features/knowledge/model';
import { parseText } from '../../../bot/features/knowledge/parse';
import { toPassages } from '../../../bot/features/knowledge/passages';
import { KnowledgeIndex } from '../../../bot/features/knowledge/searchIndex';

function load(files: Record<string, string>): KnowledgeIndex {
  const documents: DocumentRecord[] = [];
  const passages: Passage[] = [];
  for (const [fileName, text] of Object.entries(files)) {
    const parsed = parseText(text);
    const id = fileName;
    const drafts = toPassages(parsed.blocks);
    documents.push({
      ...parsed.metadata,
      id,
      sourceKey: fileName,
      fileName,
      link: `file:///${fileName}`,
      contentHash: id,
      importedAt: '2024-01-01T00:00:00Z',
      passageCount: drafts.length,
    });
    drafts.forEach((draft, ordinal) => {
      passages.push({ id: `${id}:${ordinal}`, documentId: id, ordinal, ...draft });
    });
  }
  return new KnowledgeIndex(documents, passages);
}

const norrviken = `Säkerhetspolicy för Region Norrviken
Beslutad av regionfullmäktige 2022-03-29, dnr RS 2022/118

Omfattning
Policyn gäller för samtliga förvaltningar och bolag i Region Norrviken. Den gäller även konsulter som arbetar åt regionen.

Ansvar
Regionstyrelsen har det samlade ansvaret för säkerhetsarbetet i regionen. Säkerhetschefen samordnar säkerhetsarbetet och ger stöd till förvaltningarna.
Varje medarbetare ska anmäla brister i säkerheten till sin närmaste chef.

Brandskydd
Varje verksamhet ska bedriva ett systematiskt brandskyddsarbete. Utrymningsövningar genomförs minst en gång per år.

Uppföljning
Säkerhetsarbetet ska följas upp varje år och redovisas i regionens årsredovisning.

Anna Berglund
Säkerhetschef
`;

const sjostad = `Riktlinje för informationssäkerhet
Sjöstads kommun

1 Klassning
All information ska klassas efter hur skyddsvärd den är. Informationsägaren ansvarar för klassningen.

2 Lösenord
Lösenord är personliga och får aldrig lämnas ut till någon annan.

3 Incidenter
Incidenter som rör information ska rapporteras till IT-servicedesk samma dag.
`;

describe('KnowledgeIndex', () => {
  const index = load({ 'norrviken.txt': norrviken, 'sjostad.txt': sjostad });
  const top = (question: string) => index.search(question).answers[0];

  it('answers "vem ansvarar" with the passage that assigns responsibility', () => {
    expect(top('vem ansvarar för säkerhetsarbetet i norrviken?')?.passage.text).toMatch(
      /Regionstyrelsen har det samlade ansvaret/,
    );
  });

  it('answers "hur ofta" with the passage that states a frequency', () => {
    expect(top('hur ofta ska säkerhetsarbetet följas upp')?.passage.text).toMatch(/varje år/);
    expect(top('hur ofta ska vi öva utrymning?')?.passage.text).toMatch(/minst en gång per år/);
  });

  it('finds Swedish text for an English question', () => {
    const answer = top('who should I report security deficiencies to?');
    expect(answer?.passage.text).toMatch(/anmäla brister/);
    expect(index.search('who should I report security deficiencies to?').language).toBe('en');
  });

  it('finds an inflected English word through its base form', () => {
    expect(top('who is classifying?')?.passage.text).toMatch(/ansvarar för klassningen/);
  });

  it('finds Swedish text for an English word the list lacks, through a WordNet synonym it has (inadequacy → deficiency)', () => {
    expect(top('whom do I tell about an inadequacy in security?')?.passage.text).toMatch(/anmäla brister/);
  });

  it('tolerates typos', () => {
    expect(top('vem ansvarar för klasningen av informationen')?.passage.text).toMatch(
      /Informationsägaren ansvarar/,
    );
  });

  it('prefers a short signature only when a name is asked for', () => {
    expect(top('vad gör säkerhetschefen?')?.passage.text).toMatch(/Säkerhetschefen samordnar/);
    expect(top('vem är säkerhetschef i norrviken?')?.passage.text).toMatch(/Anna Berglund/);
  });

  it('prefers the organisation the question names, also in genitive and with a typo', () => {
    for (const q of [
      'vad säger Sjöstads kommun om lösenord?',
      'vad gäller för lösenord i sjöstad',
      'lösenord i sjösstad',
    ]) {
      const result = index.search(q);
      expect(result.answers[0]?.document.organisation).toBe('Sjöstads kommun');
    }
  });

  it('prefers the organisation named in full over one that only shares its place name', () => {
    // the same body under its former name: "Landstinget Norrviken" became "Region Norrviken"
    const former = norrviken
      .replaceAll('Region Norrviken', 'Landstinget Norrviken')
      .replace('Anna Berglund', 'Per Ek');
    const both = load({ 'landstinget.txt': former, 'region.txt': norrviken });
    for (const [q, expected] of [
      ['vem ansvarar för säkerhetsarbetet i Region Norrviken?', 'Region Norrviken'],
      ['vem ansvarar för säkerhetsarbetet i landstinget norrviken?', 'Landstinget Norrviken'],
    ]) {
      expect(both.search(q as string).answers[0]?.document.organisation).toBe(expected);
    }
  });

  it('abstains on an out-of-scope question', () => {
    const result = index.search('när kommer lönen ut i december?');
    expect(result.abstained).toBe(true);
    expect(result.answers).toEqual([]);
  });

  it("abstains on another organisation's policy", () => {
    const result = index.search('vad säger Region Västmark om lösenord?');
    expect(result.abstained).toBe(true);
    expect(result.reason).toBe('other-organisation');
    expect(result.unknownOrganisations).toEqual(['västmark']);
  });

  it('abstains when a date is asked for and the text holds none', () => {
    expect(
      index.search('vilket datum beslutades riktlinjen för informationssäkerhet i sjöstad?').abstained,
    ).toBe(true);
    expect(top('vilket datum beslutades säkerhetspolicyn i norrviken?')?.passage.text).toMatch(/2022-03-29/);
  });

  it('shows at most three answers, the best passage of each document first', () => {
    const many = load({
      'a.txt': 'Policy A\n\nAnsvar\nChefen ansvarar för informationssäkerheten i verksamheten.',
      'b.txt':
        'Policy B\n\nAnsvar\nChefen ansvarar för informationssäkerheten i enheten. Chefen ansvarar även för att informationssäkerheten följs upp.',
      'c.txt': 'Policy C\n\nAnsvar\nChefen ansvarar för informationssäkerheten på arbetsplatsen.',
      'd.txt': 'Policy D\n\nAnsvar\nChefen ansvarar för informationssäkerheten hos bolaget.',
    });
    const result = many.search('vem ansvarar för informationssäkerheten?');
    expect(result.answers.length).toBeLessThanOrEqual(3);
    expect(new Set(result.answers.map((a) => a.document.id)).size).toBe(result.answers.length);
  });

  it('reports its size and abstains on an empty question', () => {
    expect(index.size).toBeGreaterThan(5);
    expect(index.search('hej!').abstained).toBe(true);
  });
});

describe('KnowledgeIndex: the passages around the best one', () => {
  const kustby = `Riktlinje för krisberedskap i Kustby kommun

1 Mål för krisberedskapen
Kommunen ska ha en god förmåga att hantera kriser.
- Samhällsviktig verksamhet ska fungera även vid allvarliga störningar.
- Invånarna ska få korrekt information i rätt tid.
- Kommunen ska kunna ta emot stöd från andra kommuner.

2 Arbetssätt
Krisberedskapsarbetet bedrivs genom risk- och sårbarhetsanalyser, planering och övningar.

3 Hantering av en händelse
Före: riskanalys, planering och utbildning av personalen.
Under: larma, leda insatsen och informera allmänheten om incidenten.
Efter: återgång till normal verksamhet, utvärdering och lärande.

4 Omfattning
Riktlinjen gäller för alla förvaltningar och kommunala bolag i Kustby kommun.

5 Informationssäkerhet
Informationssäkerhetsarbetet ska bedrivas systematiskt i alla verksamheter.

6 Kommunikation
Kommunens kommunikationsfunktion informerar invånarna vid en kris.
`;
  const index = load({ 'kustby.txt': kustby });
  const texts = (question: string) => index.search(question).answers.map((a) => a.passage.text);

  it('fills the free slots with the next-best passages of the answering document, without repeating a sentence', () => {
    const shown = texts('vilka mål har kustby för krisberedskap?');
    expect(shown).toHaveLength(3);
    const sentences = shown.flatMap((t) => t.split(/(?<=[.!?])\s+/));
    expect(new Set(sentences).size).toBe(sentences.length);
    expect(shown.join(' ')).toMatch(/ta emot stöd från andra kommuner/);
  });

  it('answers "under", "efter" and "before" questions with the phase they name', () => {
    expect(texts('vad gör man under en incident?')[0]).toMatch(/^Under:/);
    expect(texts('vad händer efter en incident')[0]).toMatch(/^Efter:/);
    expect(texts('what should we do before an incident?')[0]).toMatch(/^Före:/);
  });

  it('answers "hur ska vi jobba med" with the passage that says how the work is done', () => {
    expect(texts('hur ska vi jobba med krisberedskap?')[0]).toMatch(/bedrivs genom/);
    expect(index.search('how do we work with crisis preparedness?').intents).toContain('method');
  });

  it('answers "vem gäller den för" with the passage that states the scope', () => {
    expect(texts('vem gäller riktlinjen för?')[0]).toMatch(/gäller för alla förvaltningar/);
  });

  it('finds a compound whose part is an everyday word for the policy word (avdelning → funktion)', () => {
    expect(texts('vad gör kommunikationsavdelningen vid en kris?')[0]).toMatch(
      /kommunikationsfunktion informerar/,
    );
  });

  it('corrects a typo inside a long compound rather than splitting it into parts', () => {
    expect(index.correct('informationssäkehetsarbetet')).toBe('informationssäkerhetsarbetet');
    expect(texts('hur bedrivs informationssäkehetsarbetet?')[0]).toMatch(
      /Informationssäkerhetsarbetet ska bedrivas/,
    );
  });
});
