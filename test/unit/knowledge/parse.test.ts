import {
  documentTypeOf,
  normaliseText,
  organisationOf,
  parseHtml,
  parseText,
} from '../../../bot/features/knowledge/parse';

const headings = (text: string) =>
  parseText(text)
    .blocks.filter((b) => b.kind === 'heading')
    .map((b) => (b.kind === 'heading' ? `${b.level} ${b.text}` : ''));

describe('parseText: PDF-extracted text', () => {
  it('mends words hyphenated across lines but keeps suspended hyphens ("säkerhets- och")', () => {
    const { blocks } = parseText(
      'Kommunen ska arbeta med informationssäker-\nhet och med säkerhets- och\nkrisberedskapsarbete varje dag.\n',
    );
    expect(blocks).toEqual([
      {
        kind: 'paragraph',
        text: 'Kommunen ska arbeta med informationssäkerhet och med säkerhets- och krisberedskapsarbete varje dag.',
      },
    ]);
  });

  it('joins a sentence broken by a blank line (a page break)', () => {
    const { blocks } = parseText('Alla medarbetare ska rapportera\n\nbrister till sin närmaste chef.\n');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.text).toBe('Alla medarbetare ska rapportera brister till sin närmaste chef.');
  });

  it('reads bullet glyphs, private-use Symbol-font bullets and "o " items', () => {
    const text =
      'Målen är följande:\n\uf0b7 Invånarna ska känna sig trygga.\n• Informationen ska vara skyddad.\no Verksamheten ska klara störningar.\n';
    const items = parseText(text)
      .blocks.filter((b) => b.kind === 'item')
      .map((b) => b.text);
    expect(items).toEqual([
      'Invånarna ska känna sig trygga.',
      'Informationen ska vara skyddad.',
      'Verksamheten ska klara störningar.',
    ]);
    expect(normaliseText('\uf0b7 punkt')).toBe('• punkt');
  });

  it('finds numbered headings, including a section heading followed straight by its first sub-heading', () => {
    const text = [
      '1 Inledning',
      'Riktlinjen beskriver hur kommunen skyddar sin information.',
      '2 Roller och ansvar',
      '2.1 Kommunstyrelsen',
      'Kommunstyrelsen har det övergripande ansvaret för informationssäkerheten.',
      '2.2 Principer för säkerhetsarbetet',
      'Arbetet ska vara riskbaserat och följas upp varje år.',
    ].join('\n');
    expect(headings(text)).toEqual([
      '2 1 Inledning',
      '2 2 Roller och ansvar',
      '3 2.1 Kommunstyrelsen',
      '3 2.2 Principer för säkerhetsarbetet',
    ]);
  });

  it('makes a heading over another heading the higher level ("Områden" / "Brandskydd" / body)', () => {
    const text =
      'Områden för säkerhetsarbetet\n\nBrandskydd\nVarje enhet ska ha ett systematiskt brandskyddsarbete.\nHot och våld\nMedarbetare som hotas ska få stöd av sin chef.\n';
    expect(headings(text)).toEqual(['2 Områden för säkerhetsarbetet', '3 Brandskydd', '3 Hot och våld']);
  });

  it('reads a bullet-styled heading as a heading, and keeps a sentence-like short line as text', () => {
    const text = [
      'Övergripande mål',
      '\uf0b7 Fysisk säkerhet',
      'Sjöstads kommun ska skydda sina lokaler mot intrång.',
      'Stöd för genomförandet är Riktlinjer Fysisk säkerhet',
      '\uf0b7 Krisberedskap',
      'Kommunen ska kunna hantera allvarliga störningar.',
    ].join('\n');
    expect(headings(text)).toEqual(['2 Övergripande mål', '3 Fysisk säkerhet', '3 Krisberedskap']);
    const paragraphs = parseText(text)
      .blocks.filter((b) => b.kind === 'paragraph')
      .map((b) => b.text);
    expect(paragraphs).toContain('Stöd för genomförandet är Riktlinjer Fysisk säkerhet');
  });

  it('takes the title from a short line near the top that names the document kind', () => {
    const text =
      'Riktlinje för informationssäkerhet\nSjöstads kommun\nDnr KS 2021/00412\n\n1 Syfte\nRiktlinjen ska skydda kommunens information mot obehörig åtkomst.\n';
    const parsed = parseText(text);
    expect(parsed.metadata.title).toBe('Riktlinje för informationssäkerhet');
    expect(parsed.blocks[0]).toEqual({
      kind: 'heading',
      level: 1,
      text: 'Riktlinje för informationssäkerhet',
    });
  });

  it('drops page numbers and table-of-contents leaders', () => {
    const text =
      'Innehåll\n1 Syfte ........................ 3\nSida 2 av 7\nPolicyn gäller alla medarbetare i Region Norrviken.\n';
    const all = parseText(text)
      .blocks.map((b) => b.text)
      .join(' | ');
    expect(all).not.toMatch(/Sida 2|\.{5}/);
  });

  it('reads term–definition lines separated by wide spaces', () => {
    const { blocks } = parseText(
      'Följande principer gäller:\nNärhetsprincipen  En kris hanteras där den inträffar.\n',
    );
    expect(blocks).toContainEqual({
      kind: 'item',
      text: 'Närhetsprincipen: En kris hanteras där den inträffar.',
    });
  });
});

describe('metadata', () => {
  const letterhead = [
    'Säkerhetspolicy för Region Norrviken',
    'Beslutad av regionfullmäktige 2022-03-29, dnr RS 2022/118',
    '',
    'Bakgrund',
    'Region Norrviken ska vara en trygg arbetsplats. Region Norrvikens verksamheter ska fungera vid kriser.',
  ].join('\n');

  it('reads organisation, document type, date, case number and adopting body', () => {
    const { metadata } = parseText(letterhead);
    expect(metadata).toMatchObject({
      title: 'Säkerhetspolicy för Region Norrviken',
      organisation: 'Region Norrviken',
      documentType: 'policy',
      adoptedDate: '2022-03-29',
      caseNumber: 'RS 2022/118',
      adoptedBy: 'regionfullmäktige',
    });
  });

  it('finds a bare case number such as 2018/00929', () => {
    expect(
      parseText(
        'Ärendenummer 2018/00929\n\nRutin för incidenthantering\nIncidenter ska rapporteras samma dag.\n',
      ).metadata.caseNumber,
    ).toBe('2018/00929');
  });

  it('names the organisation from its most frequent name, genitive folded into the name', () => {
    expect(
      organisationOf('Sjöstads kommun gäller. Sjöstads kommun ska. Region Norrviken nämns en gång.'),
    ).toBe('Sjöstads kommun');
    expect(organisationOf('Region Norrviken ska. Region Norrvikens verksamheter.')).toBe('Region Norrviken');
  });

  it('reads names that begin or end with Å, Ä or Ö, hyphenated names and letterheads in capitals', () => {
    expect(organisationOf('Beslutat av Örträsks kommun. Örträsks kommun ansvarar.')).toBe('Örträsks kommun');
    expect(organisationOf('POLICY FÖR SÄKERHET I SJÖÅ KOMMUN')).toBe('Sjöå kommun');
    expect(organisationOf('Medarbetare i Norra-Vik kommun ska följa instruktionen.')).toBe(
      'Norra-Vik kommun',
    );
  });

  it('tells document types from their names', () => {
    expect(documentTypeOf('Riktlinjer för informationssäkerhet')).toBe('riktlinje');
    expect(documentTypeOf('Säkerhetspolicy')).toBe('policy');
    expect(documentTypeOf('Rutin vid hot och våld')).toBe('rutin');
  });
});

describe('parseHtml (docx)', () => {
  it('reads headings, paragraphs, list items and bold paragraphs as headings', () => {
    const { blocks } = parseHtml(
      '<h1>Säkerhetspolicy</h1><p><strong>Ansvar</strong></p><p>Chefen ansvarar för säkerheten.</p><ul><li>Lås datorn.</li></ul>',
    );
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Säkerhetspolicy' },
      { kind: 'heading', level: 3, text: 'Ansvar' },
      { kind: 'paragraph', text: 'Chefen ansvarar för säkerheten.' },
      { kind: 'item', text: 'Lås datorn.' },
    ]);
  });
});
