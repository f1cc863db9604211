/**
 * The säkerhetsbokslut as the security chief gets it: made from a closed cycle's figures, kept in
 * the document store, opened from its link over real HTTP.
 */
import { publishAnnualReport } from '../../bot/features/annualReport/service';
import { type Running, startApp } from '../support/app';
import { parseCsv } from '../support/csv';
import { readDocx, rowOf, tableUnder } from '../support/docx';
import { reportInput } from '../unit/reports/fixture';

let running: Running;
beforeAll(async () => {
  running = await startApp();
}, 120_000); // a cold start (importing the documents) is slow on a loaded machine
afterAll(async () => running?.close());

/**
 * The link's path, fetched from the running service (the configured public URL is not this test's port) as
 * the tab does: with the security chief's token (files are served to those whose role may read them).
 */
const open = async (link: string) => {
  const issued = await fetch(`http://127.0.0.1:${running.port}/api/dev/token`, {
    method: 'POST',
    body: JSON.stringify({ personId: 'f914f698-58ac-45e8-bba5-493d50e811a2' }), // Malin Forsberg, the security chief
  });
  const { token } = (await issued.json()) as { token: string };
  return fetch(`http://127.0.0.1:${running.port}${new URL(link).pathname}`, {
    headers: { authorization: `Bearer ${token}` },
  });
};

test('the report is kept in the year’s folder and its links open the .docx and the CSV with the right figures', async () => {
  const published = await publishAnnualReport(running.app.documents, reportInput(), 'sv');
  expect(published.docx.name).toBe('sakerhetsbokslut-2026.docx');
  expect((await running.app.documents.list('Säkerhetsbokslut/2026')).map((d) => d.name)).toEqual([
    'sakerhetsbokslut-2026.csv',
    'sakerhetsbokslut-2026.docx',
  ]);

  const docx = await open(published.docx.link);
  expect(docx.status).toBe(200);
  expect(docx.headers.get('content-type')).toBe(
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  );
  expect(docx.headers.get('content-disposition')).toBe(
    "attachment; filename*=UTF-8''sakerhetsbokslut-2026.docx",
  );
  const doc = await readDocx(new Uint8Array(await docx.arrayBuffer()));
  expect(rowOf(tableUnder(doc, 'Sammanfattning'), 'Måluppfyllelse')[1]).toBe('64 %');

  const csv = await open(published.csv.link);
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const bytes = new Uint8Array(await csv.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(parseCsv(new TextDecoder().decode(bytes), ';').length).toBe(17);
});

test('making the report again replaces the files: same links, no second copy', async () => {
  const first = await publishAnnualReport(running.app.documents, reportInput(), 'sv');
  const again = await publishAnnualReport(
    running.app.documents,
    { ...reportInput(), preparedBy: 'Erik Nordlund' },
    'sv',
  );
  expect(again.docx.link).toBe(first.docx.link);
  expect((await running.app.documents.list('Säkerhetsbokslut/2026')).length).toBe(2);
  const doc = await readDocx(new Uint8Array(await (await open(again.docx.link)).arrayBuffer()));
  expect(doc.text).toContain('Upprättad av: Erik Nordlund');
});

test('nothing outside the store can be reached through /files, and a wrong name or id finds nothing', async () => {
  const { docx } = await publishAnnualReport(running.app.documents, reportInput(), 'en');
  const id = new URL(docx.link).pathname.split('/')[2];
  for (const path of [
    `/files/${id}/other-name.docx`,
    '/files/00000000-0000-4000-8000-000000000000/annual-security-report-2026.docx',
    '/files/..%2F..%2Fpackage.json/x',
    '/files/../package.json',
    '/files/.meta/x',
    `/files/${id}/..%2F..%2F..%2Fpackage.json`,
  ]) {
    const response = await fetch(`http://127.0.0.1:${running.port}${path}`);
    expect([path, response.status]).toEqual([path, 404]);
  }
});

test('a file whose name has spaces and Swedish letters opens from its link', async () => {
  const bytes = new TextEncoder().encode('åtgärd;ansvarig\r\n');
  const { link } = await running.app.documents.put(
    'Säkerhetsbokslut/2026',
    'Åtgärder och brister 2026.csv',
    bytes,
  );
  expect(link).toMatch(/\/files\/[0-9a-f-]{36}\/%C3%85tg%C3%A4rder%20och%20brister%202026\.csv$/);
  const response = await open(link);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-disposition')).toBe(
    "attachment; filename*=UTF-8''%C3%85tg%C3%A4rder%20och%20brister%202026.csv",
  );
  expect(new TextDecoder().decode(await response.arrayBuffer())).toBe('åtgärd;ansvarig\r\n');
});
