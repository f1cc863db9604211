/**
 * Makes the säkerhetsbokslut and keeps it in the document store: the figures once, then the
 * .docx and the CSV, each put in the year's folder (a second run replaces the files, same links).
 * The review cycle calls this when it closes and tells the security chief the links.
 */
import type { DocumentStore } from '../../platform/documents/port';
import { type Lang, translator } from '../../platform/i18n';
import { CSV_CONTENT_TYPE, renderCsv } from './csv';
import { type AnnualReportFigures, computeReport } from './figures';
import type { AnnualReportInput } from './model';

export interface PublishedFile {
  id: string;
  name: string;
  link: string;
}

export interface PublishedReport {
  figures: AnnualReportFigures;
  docx: PublishedFile;
  csv: PublishedFile;
}

/** The folder of a year's reports, e.g. "Säkerhetsbokslut/2026". */
export const reportFolder = (lang: Lang, year: number) => `${translator(lang)('report.folder')}/${year}`;

export async function publishAnnualReport(
  documents: DocumentStore,
  input: AnnualReportInput,
  lang: Lang,
): Promise<PublishedReport> {
  const t = translator(lang);
  const figures = computeReport(input);
  const folder = reportFolder(lang, input.year);
  const base = t('report.fileName', { year: input.year });
  const metadata = {
    kind: 'annualReport',
    year: String(input.year),
    organisation: input.organisation,
    language: lang,
  };
  const docxName = `${base}.docx`;
  const csvName = `${base}.csv`;
  // the docx library is loaded with the first report, not with the service
  const { DOCX_CONTENT_TYPE, renderDocx } = require('./docx') as typeof import('./docx');
  const docx = await documents.put(folder, docxName, await renderDocx(figures, lang), {
    contentType: DOCX_CONTENT_TYPE,
    metadata,
  });
  const csv = await documents.put(folder, csvName, renderCsv(figures, lang), {
    contentType: CSV_CONTENT_TYPE,
    metadata,
  });
  return { figures, docx: { ...docx, name: docxName }, csv: { ...csv, name: csvName } };
}
