/** The säkerhetsbokslut as a board member reads it: the .docx read back with mammoth, the CSV as Excel would split it. */
import { renderCsv } from '../../../bot/features/annualReport/csv';
import { renderDocx } from '../../../bot/features/annualReport/docx';
import { computeReport } from '../../../bot/features/annualReport/figures';
import { parseCsv } from '../../support/csv';
import { type ReadDocument, readDocx, rowOf, tableUnder } from '../../support/docx';
import { reportInput } from './fixture';

const figures = computeReport(reportInput());

describe('the .docx in Swedish', () => {
  let doc: ReadDocument;
  beforeAll(async () => {
    doc = await readDocx(await renderDocx(figures, 'sv'));
  });

  test('the title page names the report, the organisation and the cycle dates (Stockholm)', () => {
    const top = doc.text.split('\n').slice(0, 8);
    expect(top).toEqual([
      'Säkerhetsbokslut 2026',
      'Region Norrviken',
      'Årlig uppföljning av säkerhetsarbetet i Region Norrviken',
      'Uppföljningen öppnad: 2026-09-01',
      'Sista dag: 2026-10-31',
      'Uppföljningen avslutad: 2026-11-20',
      'Upprättad: 2026-11-22',
      'Upprättad av: Malin Forsberg',
    ]);
    expect(doc.headings.slice(0, 4)).toEqual([
      'Sammanfattning',
      'Resultat per säkerhetsområde',
      'Personsäkerhet',
      'Informationssäkerhet och dataskydd',
    ]);
  });

  test('the summary gives the figures a board asks for first', () => {
    expect(doc.text).toContain(
      '2 av 3 enheter har fått sin uppföljning attesterad. 12 av 15 bedömningar är gjorda. Måluppfyllelsen är 64 %.',
    );
    const summary = tableUnder(doc, 'Sammanfattning');
    expect(rowOf(summary, 'Attesterade enheter')[1]).toBe('2 av 3');
    expect(rowOf(summary, 'Enheter vars uppföljning returnerats')[1]).toBe('1');
    expect(rowOf(summary, 'Andel bedömda mål')[1]).toBe('80 % (12 av 15)');
    expect(rowOf(summary, 'Måluppfyllelse')[1]).toBe('64 %');
    expect(rowOf(summary, 'Ej uppfyllt')[1]).toBe('2');
    expect(rowOf(summary, 'Brister')[1]).toBe('4');
    expect(rowOf(summary, 'Brister utan åtgärd eller motivering')[1]).toBe('1');
    expect(rowOf(summary, 'Åtgärder')[1]).toBe('3 (Ej påbörjad 2, Pågår 1)');
    expect(rowOf(summary, 'Försenade åtgärder')[1]).toBe('1');
  });

  test('a table per security area: each goal across the units and the whole area', () => {
    const info = tableUnder(doc, 'Informationssäkerhet och dataskydd');
    expect(info[0]).toEqual([
      'Målsättning',
      'Uppfyllt',
      'Delvis uppfyllt',
      'Ej uppfyllt',
      'Ej tillämpligt',
      'Ej bedömt',
      'Måluppfyllelse',
    ]);
    expect(rowOf(info, 'Informationen är klassad')).toEqual([
      'Informationen är klassad',
      '1',
      '1',
      '0',
      '0',
      '1',
      '50 %',
    ]);
    expect(rowOf(info, 'Hela området')).toEqual(['Hela området', '2', '2', '1', '1', '3', '40 %']);
    expect(rowOf(tableUnder(doc, 'Personsäkerhet'), 'Hela området').at(-1)).toBe('83 %');
  });

  test('the units overview: line, manager, state, assessed, fulfilment, gaps, follow-ups and returns', () => {
    const units = tableUnder(doc, 'Resultat per enhet');
    expect(units.map((r) => r[0])).toEqual([
      'Enhet',
      'Akutmottagningen Norrviken',
      'Norrvikens museum',
      'Fastighet',
    ]);
    expect(rowOf(units, 'Akutmottagningen Norrviken')).toEqual([
      'Akutmottagningen Norrviken',
      'Region Norrviken › Hälso- och sjukvårdsförvaltningen',
      'Lena Bergqvist',
      'Attesterad',
      '5/5',
      '50 %',
      '2',
      '2',
      '1',
    ]);
    expect(rowOf(units, 'Norrvikens museum').slice(3)).toEqual(['Utkast', '2/5', '50 %', '1', '1', '0']);
  });

  test('goal fulfilment per unit and security area, side by side', () => {
    const matrix = tableUnder(doc, 'Måluppfyllelse per enhet och säkerhetsområde');
    expect(matrix[0]).toEqual(['Enhet', 'Personsäkerhet', 'Informationssäkerhet och dataskydd', 'Totalt']);
    expect(rowOf(matrix, 'Akutmottagningen Norrviken')).toEqual([
      'Akutmottagningen Norrviken',
      '100 %',
      '0 %',
      '50 %',
    ]);
    expect(rowOf(matrix, 'Norrvikens museum')).toEqual(['Norrvikens museum', '50 %', '–', '50 %']);
    expect(rowOf(matrix, 'Fastighet')).toEqual(['Fastighet', '100 %', '67 %', '80 %']);
  });

  test("each unit's section: who signed off, the sign-off history with deputies and comments", () => {
    expect(doc.text).toContain('Attesterad: 2026-10-08 av Malin Forsberg');
    const [history] = doc.tables.filter((t) => t.heading === 'Akutmottagningen Norrviken');
    expect(history?.rows[0]).toEqual(['Datum', 'Vem', 'Händelse', 'Kommentar']);
    expect(history?.rows).toContainEqual([
      '2026-10-03',
      'Hanna Berg (ersättare för Per Åkesson)',
      'Returnerad',
      'Komplettera klassningen',
    ]);
    expect(history?.rows.at(-1)).toEqual(['2026-10-08', 'Malin Forsberg', 'Attesterad', '']);
    expect(doc.text).toMatch(/Norrvikens museum\n(?:.*\n){2}Status: Utkast\nAttesterad: –/);
    expect(doc.text).toContain('Ingen attestering ännu.');
  });

  test('gaps and follow-ups: owner, due date, status, overdue marked; a gap without follow-up shows its reason or that one is missing', () => {
    const gaps = tableUnder(doc, 'Brister och åtgärder');
    expect(gaps[0]).toEqual([
      'Enhet',
      'Säkerhetsområde',
      'Målsättning',
      'Bedömning',
      'Kommentar',
      'Åtgärd',
      'Ansvarig',
      'Klart senast',
      'Status',
    ]);
    expect(gaps).toContainEqual([
      'Akutmottagningen Norrviken',
      'Informationssäkerhet och dataskydd',
      'Kontinuitetsplanen för IT-avbrott är övad',
      'Ej uppfyllt',
      'Ingen övning i år',
      'Genomför en övning av IT-avbrott',
      'Johanna Persson',
      '2026-11-01',
      'Ej påbörjad (försenad)',
    ]);
    expect(rowOf(gaps, 'Norrvikens museum').slice(3, 6)).toEqual([
      'Ej uppfyllt',
      '=HYPERLINK("http://evil.example","klicka")',
      'Åtgärd saknas',
    ]);
    expect(rowOf(gaps, 'Fastighet')[5]).toBe('Motivering: Ingen budget förrän 2027');
    expect(rowOf(tableUnder(doc, 'Övriga åtgärder'), 'Norrvikens museum')).toEqual([
      'Norrvikens museum',
      '–',
      'Utbilda ny personal i brandskydd',
      'Ingrid Falk',
      '2027-03-01',
      'Ej påbörjad',
    ]);
  });
});

test('in English for a chief whose Teams speaks English, every text from the catalogue', async () => {
  const doc = await readDocx(await renderDocx(figures, 'en'));
  expect(doc.text.split('\n')[0]).toBe('Annual security report 2026');
  const summary = tableUnder(doc, 'Summary');
  expect(rowOf(summary, 'Goal fulfilment')[1]).toBe('64%');
  expect(rowOf(summary, 'Units signed off')[1]).toBe('2 of 3');
  expect(rowOf(tableUnder(doc, 'Gaps and follow-ups'), 'Norrvikens museum')[5]).toBe('No follow-up');
  expect(doc.text).not.toMatch(/Uppfyllt|Åtgärd|Sammanfattning|report\./);
});

describe('the CSV', () => {
  const bytes = renderCsv(figures, 'sv');
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const rows = parseCsv(text.slice(1), ';');
  const header = rows[0] as string[];
  const find = (unit: string, goal: string) => {
    const row = rows.find((r) => r[1] === unit && r[10] === goal);
    if (!row) throw new Error(`no row for ${unit} × ${goal}`);
    return Object.fromEntries(header.map((h, i) => [h, row[i]]));
  };

  test('starts with a UTF-8 byte order mark, so Excel reads å, ä and ö', () => {
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toContain('Hälso- och sjukvårdsförvaltningen');
  });

  test('one row per unit × goal, plus a row for a follow-up tied to no goal, every row as wide as the header', () => {
    expect(rows.length).toBe(1 + 3 * 5 + 1);
    expect(new Set(rows.map((r) => r.length))).toEqual(new Set([header.length]));
    expect(header.slice(0, 12)).toEqual([
      'År',
      'Enhet',
      'Linje',
      'Chef',
      'Uppföljningens status',
      'Attesterad',
      'Returer',
      'Enhetens andel bedömda mål (%)',
      'Enhetens måluppfyllelse (%)',
      'Säkerhetsområde',
      'Målsättning',
      'Bedömning',
    ]);
  });

  test("each row carries the unit's figures and the goal's rating, comment and follow-up", () => {
    expect(find('Akutmottagningen Norrviken', 'Kontinuitetsplanen för IT-avbrott är övad')).toMatchObject({
      År: '2026',
      'Uppföljningens status': 'Attesterad',
      Attesterad: '2026-10-08',
      Returer: '1',
      'Enhetens andel bedömda mål (%)': '100',
      'Enhetens måluppfyllelse (%)': '50',
      Bedömning: 'Ej uppfyllt',
      Åtgärd: 'Genomför en övning av IT-avbrott',
      Ansvarig: 'Johanna Persson',
      'Klart senast': '2026-11-01',
      'Åtgärdens status': 'Ej påbörjad (försenad)',
    });
    expect(new Set(header).size).toBe(header.length);
    expect(find('Norrvikens museum', 'Informationen är klassad')).toMatchObject({
      Bedömning: 'Ej bedömt',
      Attesterad: '',
    });
    expect(find('Fastighet', 'Behörigheter gås igenom varje år').Kommentar).toBe(
      'Halva systemen genomgångna\nMotivering: Ingen budget förrän 2027',
    );
    expect(find('Fastighet', 'Kontinuitetsplanen för IT-avbrott är övad').Underlag).toBe(
      'https://intranet.example/ovning-2026',
    );
  });

  test('separators, quotes and line breaks in a comment survive; a comment that looks like a formula is not run by Excel', () => {
    expect(text).toContain('"Larm testat; ""allt fungerade""\nnästa test i maj"');
    expect(find('Norrvikens museum', 'Alla medarbetare vet hur de larmar vid hot och våld').Kommentar).toBe(
      'Larm testat; "allt fungerade"\nnästa test i maj',
    );
    expect(find('Norrvikens museum', 'Brandskyddet kontrolleras systematiskt').Kommentar).toBe(
      '\'=HYPERLINK("http://evil.example","klicka")',
    );
  });

  test('in English the separator is a comma and the words are English', () => {
    const en = new TextDecoder().decode(renderCsv(figures, 'en'));
    const enRows = parseCsv(en, ',');
    expect(enRows[0]?.slice(0, 3)).toEqual(['Year', 'Unit', 'Line']);
    expect(
      enRows.find(
        (r) => r[1] === 'Norrvikens museum' && r[10] === 'Brandskyddet kontrolleras systematiskt',
      )?.[11],
    ).toBe('Not met');
  });
});
