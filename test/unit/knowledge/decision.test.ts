import { type DecisionSignals, decide } from '../../../bot/features/knowledge/decision';
import type { DocumentRecord, Passage } from '../../../bot/features/knowledge/model';
import { parseText } from '../../../bot/features/knowledge/parse';
import { toPassages } from '../../../bot/features/knowledge/passages';
import { KnowledgeIndex } from '../../../bot/features/knowledge/searchIndex';

/** A question fully met by one passage, well above every other section. */
const clear: DecisionSignals = {
  concepts: 3,
  unknownConcepts: 0,
  knownCoverage: 1,
  coverage: 1,
  margin: 2,
  agreement: 1,
  specificity: 0.6,
  answerTypeMissing: false,
  otherOrganisation: false,
  candidates: 3,
};

describe('the decision to answer', () => {
  it('answers when the best passage covers the question and stands clear of other sections', () => {
    expect(decide(clear).confidence).toBe('answer');
  });

  it('is uncertain, not none, when one word of the question is unknown to every document', () => {
    // "Får jag ta med jobbdatorn till Thailand?": Thailand is in no document; the rest is met
    const oneUnknown = { ...clear, concepts: 2, unknownConcepts: 1, coverage: 0.5 };
    expect(decide(oneUnknown).confidence).toBe('uncertain');
    // even when the known part is met only partly, one unknown word alone never decides none
    expect(decide({ ...oneUnknown, knownCoverage: 0.4, coverage: 0.2 }).confidence).toBe('uncertain');
  });

  it('is uncertain when two passages of different sections are nearly as good', () => {
    expect(decide({ ...clear, margin: 1.05 }).confidence).toBe('uncertain');
  });

  it('says none when no concept the documents use is met well', () => {
    expect(decide({ ...clear, knownCoverage: 0.1, coverage: 0.1 }).confidence).toBe('none');
    expect(decide({ ...clear, candidates: 0 }).confidence).toBe('none');
  });

  it('says none when most of the question is words no document uses', () => {
    const lunch = { ...clear, concepts: 4, unknownConcepts: 3, knownCoverage: 1, coverage: 0.25 };
    expect(decide(lunch)).toEqual({ confidence: 'none', reason: 'no-match' });
  });

  it('says none when the question asks for a kind of answer no passage holds', () => {
    expect(decide({ ...clear, answerTypeMissing: true })).toEqual({
      confidence: 'none',
      reason: 'answer-type',
    });
  });

  it('says none for an organisation with no documents here', () => {
    expect(decide({ ...clear, otherOrganisation: true }).reason).toBe('other-organisation');
  });
});

describe('the decision over an index', () => {
  const text = `Riktlinje för informationssäkerhet i Kustby kommun

1 Resor
Inför resor utomlands med kommunens dator ska du kontakta säkerhetsenheten i god tid.

2 Lösenord
Använd en lång lösenfras som du inte använder någon annanstans.

3 Förlorad utrustning
Har du förlorat en dator eller telefon ska du genast kontakta servicedesk.

4 Kontakter
Servicedesk nås på internnummer 4000.
`;
  const parsed = parseText(text);
  const drafts = toPassages(parsed.blocks);
  const document: DocumentRecord = {
    ...parsed.metadata,
    id: 'kustby',
    sourceKey: 'kustby',
    fileName: 'kustby.txt',
    link: '',
    contentHash: '',
    importedAt: '',
    passageCount: drafts.length,
  };
  const passages: Passage[] = drafts.map((d, ordinal) => ({
    id: `k:${ordinal}`,
    documentId: 'kustby',
    ordinal,
    ...d,
  }));
  const index = new KnowledgeIndex([document], passages);

  it('does not say none for a question whose one unknown word no document uses', () => {
    const result = index.search('Måste jag kontakta säkerhetsenheten före resor utomlands till Zanzibar?');
    expect(result.confidence).not.toBe('none');
    expect(result.abstained).toBe(false);
    expect(result.answers[0]?.passage.text).toMatch(/resor utomlands/);
  });

  it('says none, and lists nothing, when the question shares no meaning with the documents', () => {
    const result = index.search('Vad blir det för lunch i matsalen på fredag?');
    expect(result).toMatchObject({ confidence: 'none', abstained: true, answers: [] });
  });

  it('says none when a phone number is asked for and no passage holds one, and answers when one does', () => {
    expect(index.search('Vilket telefonnummer har säkerhetsenheten?').confidence).toBe('none');
    const servicedesk = index.search('Vilket telefonnummer har servicedesk?');
    expect(servicedesk.confidence).not.toBe('none');
    expect(servicedesk.answers.map((a) => a.passage.text).join(' ')).toContain('4000');
  });

  it('finds Swedish text for an English question through the dictionary', () => {
    const result = index.search('What should I do if I lost my computer?');
    expect(result.confidence).not.toBe('none');
    expect(result.answers[0]?.passage.text).toMatch(/förlorat en dator/);
  });
});

describe('a place name', () => {
  const policy = (organisation: string, text: string): [DocumentRecord, Passage] => [
    {
      id: organisation,
      sourceKey: organisation,
      fileName: `${organisation}.txt`,
      title: `Säkerhetspolicy för ${organisation}`,
      organisation,
      link: '',
      contentHash: '',
      importedAt: '',
      passageCount: 1,
    },
    {
      id: `${organisation}:0`,
      documentId: organisation,
      ordinal: 0,
      section: '3 Incidenter',
      sectionPath: [],
      text,
    },
  ];
  const [halland, hallandText] = policy(
    'Region Halland',
    'Incidenter rapporteras till närmaste chef och till säkerhetsenheten samma dag.',
  );
  const [kustby, kustbyText] = policy(
    'Kustby kommun',
    'Incidenter rapporteras till närmaste chef och till säkerhetssamordnaren samma vecka.',
  );
  const index = new KnowledgeIndex([halland, kustby], [hallandText, kustbyText]);

  it('finds its region: the county seat and the county name the region’s documents', () => {
    for (const question of [
      'Hur rapporteras incidenter i Halmstad?',
      'Hur rapporteras incidenter i Hallands län?',
    ]) {
      const result = index.search(question);
      expect(result.answers[0]?.document.organisation).toBe('Region Halland');
      expect(result.answers.map((a) => a.document.organisation)).not.toContain('Kustby kommun');
    }
  });
});
