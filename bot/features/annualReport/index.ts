/**
 * The säkerhetsbokslut (the annual security report): written from a closed review cycle into the
 * document store (the SharePoint library, or the local files folder). No verbs of its own: the
 * review's close hands it the cycle.
 */
import type { DocumentStore } from '../../platform/documents/port';
import type { Feature } from '../../platform/feature';
import type { AnnualReportInput } from './model';
import { publishAnnualReport } from './service';

export interface AnnualReportFeature extends Feature {
  /** Publishes the report and its figures; returns the links of the .docx and the .csv. */
  writeReport(input: AnnualReportInput): Promise<{ docx: string; csv: string }>;
}

export function createAnnualReportFeature(deps: { documents: DocumentStore }): AnnualReportFeature {
  return {
    name: 'annualReport',
    verbs: [],
    commands: [],
    api: [],
    jobs: {},
    renderers: {},
    collections: [],
    // the säkerhetsbokslut is written for the board, in Swedish
    writeReport: async (input) => {
      const published = await publishAnnualReport(deps.documents, input, 'sv');
      return { docx: published.docx.link, csv: published.csv.link };
    },
  };
}
