/**
 * The rate windows with waiting: `acquire(key)` resolves when a request for the key may start, in
 * the order asked, without one blocked conversation holding up the others.
 */
import { performance } from 'node:perf_hooks';
import { type RateRule, RateWindows, type SlotToken } from './limits';

interface Waiter {
  key: string;
  resolve: (done: () => void) => void;
  reject: (error: Error) => void;
}

export class Throttle {
  private readonly windows: RateWindows;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    rules: readonly RateRule[],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.windows = new RateWindows(rules);
  }

  /** Milliseconds until a request for `key` could start now (0: at once); `only` checks one scope. */
  readyIn(key: string, only?: RateRule['scope']): number {
    return this.windows.wait(key, this.now(), only);
  }

  /** Waits for the key's turn; call the returned function when the answer (or failure) came. */
  acquire(key: string): Promise<() => void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ key, resolve, reject });
      this.pump();
    });
  }

  /** Counts a request made elsewhere (not waited for): it takes room in the windows like the sender's own. */
  note(key: string): () => void {
    const token = this.windows.start(key, this.now());
    return () => this.finish(token);
  }

  /** Fails every waiting request (shutdown). */
  abort(error: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    this.clearTimer();
  }

  private pump = (): void => {
    this.clearTimer();
    let soonest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.waiters.length; ) {
      const waiter = this.waiters[i] as Waiter;
      const now = this.now();
      const wait = this.windows.wait(waiter.key, now);
      if (wait === 0) {
        this.waiters.splice(i, 1);
        const token = this.windows.start(waiter.key, now);
        waiter.resolve(() => this.finish(token));
        continue;
      }
      soonest = Math.min(soonest, wait);
      i++;
    }
    if (soonest !== Number.POSITIVE_INFINITY) {
      this.timer = setTimeout(this.pump, Math.max(1, Math.ceil(soonest)));
    }
  };

  private finish(token: SlotToken): void {
    this.windows.finish(token, this.now());
    if (this.waiters.length > 0) this.pump();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
