/**
 * Graph requests counted per operation. An operation is a named piece of work (`store.questions.find`,
 * `provision`, `dashboard.load`); every HTTP request made while it runs, retries included (throttled
 * calls count against the limits too), is added to it and to every operation around it. Each
 * finished operation is logged once with its request count and duration.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../logger';

export interface OperationCount {
  requests: number;
  /** Requests answered 429 or 503 (they were retried). */
  throttled: number;
  /** Requests carried inside $batch calls (each counts against SharePoint's limits). */
  batched: number;
}

const empty = (): OperationCount => ({ requests: 0, throttled: 0, batched: 0 });

export class RequestMetrics {
  private readonly scope = new AsyncLocalStorage<{ name: string; count: OperationCount }[]>();
  private readonly totals = new Map<string, OperationCount>();

  constructor(private readonly log?: Logger) {}

  /** Runs `work` as a named operation; nested operations are counted in their own name and in every enclosing one. */
  async operation<R>(name: string, work: () => Promise<R>): Promise<R> {
    const stack = this.scope.getStore() ?? [];
    const frame = { name, count: empty() };
    const started = performance.now();
    try {
      return await this.scope.run([...stack, frame], work);
    } finally {
      const total = this.totals.get(name) ?? empty();
      total.requests += frame.count.requests;
      total.throttled += frame.count.throttled;
      total.batched += frame.count.batched;
      this.totals.set(name, total);
      this.log?.debug(
        { operation: name, ...frame.count, ms: Math.round(performance.now() - started) },
        'graph operation',
      );
    }
  }

  /** Called by the transport for every HTTP request it sends (status 0: no answer). */
  request(status: number): void {
    this.add({ requests: 1, throttled: status === 429 || status === 503 ? 1 : 0, batched: 0 });
  }

  /** Called by the $batch helper: how many requests a batch carried, and how many of them were throttled. */
  batched(carried: number, throttled: number): void {
    this.add({ requests: 0, throttled, batched: carried });
  }

  private add(delta: OperationCount): void {
    const frames = this.scope.getStore() ?? [{ name: '(none)', count: this.totalOf('(none)') }];
    for (const frame of frames) {
      frame.count.requests += delta.requests;
      frame.count.throttled += delta.throttled;
      frame.count.batched += delta.batched;
    }
  }

  /** Totals per operation name since start (finished operations). */
  snapshot(): Record<string, OperationCount> {
    return Object.fromEntries([...this.totals].map(([name, count]) => [name, { ...count }]));
  }

  /** The counts of the operation running now (for a caller that wants to log or return them). */
  current(): OperationCount | undefined {
    const stack = this.scope.getStore();
    return stack?.[stack.length - 1]?.count;
  }

  private totalOf(name: string): OperationCount {
    let total = this.totals.get(name);
    if (!total) {
      total = empty();
      this.totals.set(name, total);
    }
    return total;
  }
}
