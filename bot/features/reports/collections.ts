/** The collections the report feature keeps: reports, filtered on who reported, who handles, state and year. */
import type { CollectionSpec } from '../../platform/store/schema';
import type { Report } from './model';

const reports: CollectionSpec<Report> = {
  name: 'reports',
  indexed: ['reporterId', 'managerId', 'state', 'year'],
  appendOnly: false,
  types: { year: 'number' },
};

export const reportCollections = { reports } as const;
