/** The collections the report feature keeps: reports, filtered on who reported, who handles, state and year. */
import { collection } from '../../platform/store/schema';
import type { Report } from './model';

export const reportCollections = {
  reports: collection<Report>('reports', ['reporterId', 'managerId', 'state', 'year'], {
    types: { year: 'number' },
  }),
} as const;
