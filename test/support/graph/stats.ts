/** Request counting for the local Graph endpoint: what a test or benchmark reads to see how an adapter behaved. */

export interface RecordedGraphRequest {
  at: number;
  method: string;
  /** Path below /v1.0 (or /_upload/…, /_download/…), as sent. */
  path: string;
  query: string;
  kind: string;
  status: number;
  inBatch: boolean;
  injected?: 'throttled' | 'unavailable';
}

export interface GraphStats {
  /** Graph resource requests, counting each request inside a $batch (as throttling does). */
  total: number;
  /** HTTP round trips to Graph (a $batch envelope counts once). */
  httpRequests: number;
  batches: number;
  batchedRequests: number;
  byKind: Record<string, number>;
  /** Keyed `METHOD kind`, e.g. `PATCH itemFields`. */
  byMethodKind: Record<string, number>;
  byStatus: Record<string, number>;
  throttled: number;
  unavailable: number;
  races: number;
  /** Successful item updates/deletes sent without If-Match (a blind overwrite; DESIGN.md wants If-Match). */
  unconditionalWrites: number;
  tokenRequests: number;
  /** GETs of the openid-configuration and of instance discovery. */
  discoveryRequests: number;
  /** SharePoint resource units spent by Graph requests (see faults.ts for the cost table). */
  resourceUnits: number;
}

export type Counter = 'races' | 'unconditionalWrites' | 'tokenRequests' | 'discoveryRequests';

function emptyStats(): GraphStats {
  return {
    total: 0,
    httpRequests: 0,
    batches: 0,
    batchedRequests: 0,
    byKind: {},
    byMethodKind: {},
    byStatus: {},
    throttled: 0,
    unavailable: 0,
    races: 0,
    unconditionalWrites: 0,
    tokenRequests: 0,
    discoveryRequests: 0,
    resourceUnits: 0,
  };
}

const bump = (rec: Record<string, number>, key: string): void => {
  rec[key] = (rec[key] ?? 0) + 1;
};

export class StatsRecorder {
  private stats = emptyStats();
  private log: RecordedGraphRequest[] = [];

  /** One Graph resource request (top level or inside $batch), an upload-URL call or a download. */
  record(entry: Omit<RecordedGraphRequest, 'at'>): void {
    this.log.push({ at: Date.now(), ...entry });
    const s = this.stats;
    s.total++;
    bump(s.byKind, entry.kind);
    bump(s.byMethodKind, `${entry.method} ${entry.kind}`);
    bump(s.byStatus, String(entry.status));
    if (entry.inBatch) s.batchedRequests++;
    else s.httpRequests++;
    if (entry.injected === 'throttled') s.throttled++;
    if (entry.injected === 'unavailable') s.unavailable++;
  }

  /** A $batch envelope: one HTTP round trip, not a resource request. */
  recordBatch(method: string, path: string, status: number): void {
    this.log.push({ at: Date.now(), method, path, query: '', kind: 'batch', status, inBatch: false });
    this.stats.batches++;
    this.stats.httpRequests++;
    bump(this.stats.byKind, 'batch');
    bump(this.stats.byStatus, String(status));
  }

  count(counter: Counter): void {
    this.stats[counter]++;
  }

  snapshot(resourceUnits: number): GraphStats {
    return { ...structuredClone(this.stats), resourceUnits };
  }

  requests(): RecordedGraphRequest[] {
    return this.log.map((r) => ({ ...r }));
  }

  reset(): void {
    this.stats = emptyStats();
    this.log = [];
  }
}
