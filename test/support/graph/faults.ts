/**
 * Fault injection for the local Graph endpoint: throttling (429 TooManyRequests / 503 serviceNotAvailable with
 * Retry-After, learn.microsoft.com/graph/throttling), a SharePoint-style resource-unit budget, a racing second
 * writer, and latency. The dice are a seeded PRNG so that a run repeats.
 *
 * Resource units, per "Avoid getting throttled or blocked in SharePoint Online" (platform-facts §7): 1 unit for a
 * single-item read, a delta call with a token, or a download; 2 units for a multi-item query, a create, an update,
 * a delete or an upload. Requests inside $batch are counted one by one, and throttled requests still count.
 */

export interface ResourceUnitBudget {
  /** Units the app may spend per window. */
  units: number;
  windowSeconds: number;
}

export interface GraphFaults {
  throttleRate: number;
  unavailableRate: number;
  retryAfterSeconds: number;
  throttleKinds: string[] | undefined;
  raceRate: number;
  latencyMs: number;
  /** When set, requests beyond the budget in the current window are 429 until the window ends. */
  resourceUnits: ResourceUnitBudget | undefined;
}

export interface FailNextOptions {
  status?: 429 | 503;
  retryAfterSeconds?: number;
  /** Only requests of these kinds consume the failure (default: any Graph request). */
  kinds?: string[];
}

export const DEFAULT_FAULTS: GraphFaults = {
  throttleRate: 0,
  unavailableRate: 0,
  retryAfterSeconds: 1,
  throttleKinds: undefined,
  raceRate: 0,
  latencyMs: 0,
  resourceUnits: undefined,
};

/** mulberry32: a small seeded PRNG, so fault runs repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SINGLE_READS = new Set([
  'site',
  'list',
  'column',
  'item',
  'itemFields',
  'drive',
  'driveItem',
  'driveItem/listItem',
  'driveItem/listItem/fields',
  'driveItem/content',
  'download',
]);

/** The resource units one request costs (platform-facts §7). */
export function resourceUnitCost(method: string, kind: string, hasDeltaToken: boolean): number {
  if (method !== 'GET') return 2;
  if (kind === 'itemsDelta' || kind === 'driveItem/delta') return hasDeltaToken ? 1 : 2;
  return SINGLE_READS.has(kind) ? 1 : 2;
}

export interface Decision {
  status: 429 | 503;
  retryAfterSeconds: number;
  injected: 'throttled' | 'unavailable';
}

interface PendingFailure {
  status: 429 | 503;
  retryAfterSeconds: number;
  kinds?: string[];
}

/** Holds the fault settings and decides, request by request, whether Graph would refuse it. */
export class FaultInjector {
  faults: GraphFaults;
  /** Resource units spent since start (or the last reset). */
  unitsSpent = 0;
  private random: () => number;
  private pending: PendingFailure[] = [];
  private window = { start: 0, used: 0 };

  constructor(
    private readonly seed: number,
    initial: Partial<GraphFaults> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.faults = { ...DEFAULT_FAULTS, ...initial };
    this.random = seededRandom(seed);
  }

  set(partial: Partial<GraphFaults>): void {
    this.faults = { ...this.faults, ...partial };
  }

  failNext(n: number, opts: FailNextOptions = {}): void {
    for (let i = 0; i < n; i++) {
      const p: PendingFailure = {
        status: opts.status ?? 429,
        retryAfterSeconds: opts.retryAfterSeconds ?? this.faults.retryAfterSeconds,
      };
      if (opts.kinds) p.kinds = opts.kinds;
      this.pending.push(p);
    }
  }

  reset(): void {
    this.faults = { ...DEFAULT_FAULTS };
    this.pending = [];
    this.random = seededRandom(this.seed);
    this.window = { start: 0, used: 0 };
    this.unitsSpent = 0;
  }

  /** A number in [0, 1) from the seeded dice (also used to shuffle batch responses). */
  roll(): number {
    return this.random();
  }

  /** True when the race fault fires: someone else writes the item just before this update. */
  race(): boolean {
    return this.faults.raceRate > 0 && this.random() < this.faults.raceRate;
  }

  /**
   * A failure queued by failNext for this kind. A queued failure without kinds applies to Graph resource requests;
   * the $batch envelope (kind `batch`) only fails when a failure names it.
   */
  takeForced(kind: string): Decision | undefined {
    const idx = this.pending.findIndex((p) => (p.kinds ? p.kinds.includes(kind) : kind !== 'batch'));
    const forced = idx >= 0 ? this.pending.splice(idx, 1)[0] : undefined;
    if (!forced) return undefined;
    return {
      status: forced.status,
      retryAfterSeconds: forced.retryAfterSeconds,
      injected: forced.status === 429 ? 'throttled' : 'unavailable',
    };
  }

  /** Spends the request's resource units and decides whether it is refused. */
  decide(method: string, kind: string, hasDeltaToken: boolean): Decision | undefined {
    const cost = resourceUnitCost(method, kind, hasDeltaToken);
    this.unitsSpent += cost;
    const forced = this.takeForced(kind);
    if (forced) return forced;
    const budget = this.faults.resourceUnits;
    if (budget) {
      const t = this.now();
      const windowMs = budget.windowSeconds * 1000;
      if (t - this.window.start >= windowMs) this.window = { start: t, used: 0 };
      this.window.used += cost;
      if (this.window.used > budget.units) {
        const wait = Math.max(1, Math.ceil((this.window.start + windowMs - t) / 1000));
        return { status: 429, retryAfterSeconds: wait, injected: 'throttled' };
      }
    }
    if (this.faults.throttleKinds && !this.faults.throttleKinds.includes(kind)) return undefined;
    const retryAfterSeconds = this.faults.retryAfterSeconds;
    if (this.faults.throttleRate > 0 && this.random() < this.faults.throttleRate)
      return { status: 429, retryAfterSeconds, injected: 'throttled' };
    if (this.faults.unavailableRate > 0 && this.random() < this.faults.unavailableRate)
      return { status: 503, retryAfterSeconds, injected: 'unavailable' };
    return undefined;
  }
}
