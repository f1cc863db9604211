/**
 * New records written after the reply, in batches: a question the bot has answered becomes a row within
 * `delayMs` (one transaction for all questions of that moment), not inside the employee's turn. A record
 * added as held (its card not sent yet) waits for `release` — so it is written once, complete — but no
 * longer than `maxHoldMs`. Whoever
 * needs the row (feedback, escalation, the security function) calls `settle(id)`, which writes the
 * pending batch first, so every action on a question works on the stored record and an escalated
 * question is always in the store. A crash can lose at most the last `delayMs` of questions that nobody
 * has acted on yet; a graceful stop writes them (`flush`).
 */
import type { Logger } from '../logger';

export interface WriteBehindOptions {
  delayMs: number;
  /** Write at once when this many records wait. */
  maxBatch: number;
  /** A held record is written after this long even if it was never released. */
  maxHoldMs: number;
}

export class WriteBehind<T extends { id: string }> {
  private pending = new Map<string, T>();
  /** Held records: since when. */
  private held = new Map<string, number>();
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly write: (records: T[]) => Promise<void>,
    private readonly log: Logger,
    private readonly options: WriteBehindOptions = { delayMs: 200, maxBatch: 100, maxHoldMs: 5000 },
    private readonly now: () => number = Date.now,
  ) {}

  add(record: T, options: { hold?: boolean } = {}): void {
    this.pending.set(record.id, record);
    if (options.hold) this.held.set(record.id, this.now());
    if (this.pending.size - this.held.size >= this.options.maxBatch) this.flushReady().catch(() => undefined);
    else this.schedule(this.options.delayMs);
  }

  /**
   * Changes a record that is not written yet and releases it if it was held; false when it is not
   * pending (then change the stored one).
   */
  change(id: string, change: (record: T) => T): boolean {
    const record = this.pending.get(id);
    if (!record) return false;
    this.pending.set(id, change(record));
    this.held.delete(id);
    return true;
  }

  /** Makes sure the record (if it was added here) is in the store. */
  async settle(id: string): Promise<void> {
    if (this.pending.has(id)) await this.flush();
    else if (this.inFlight) await this.inFlight;
  }

  /** Writes everything pending now, held or not; resolves when it is written (rejects if the write failed; the records stay pending). */
  flush(): Promise<void> {
    return this.writeWhere(() => true);
  }

  /** Writes what is not held (or held too long); the rest waits for the next turn of the timer. */
  private flushReady(): Promise<void> {
    const oldest = this.now() - this.options.maxHoldMs;
    return this.writeWhere((id) => (this.held.get(id) ?? 0) <= oldest);
  }

  private async writeWhere(ready: (id: string) => boolean): Promise<void> {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()].filter((r) => ready(r.id));
    for (const record of batch) {
      this.pending.delete(record.id);
      this.held.delete(record.id);
    }
    if (this.pending.size > 0) this.schedule(this.options.delayMs);
    if (batch.length === 0) return;
    const flight = this.write(batch).then(
      () => {
        this.failures = 0;
      },
      (error: unknown) => {
        // keep them (unless a newer version was added meanwhile) and try again later
        for (const record of batch) if (!this.pending.has(record.id)) this.pending.set(record.id, record);
        this.failures += 1;
        this.log.error(
          { err: error, records: batch.length, attempt: this.failures },
          'pending records could not be written; retrying',
        );
        this.schedule(Math.min(30_000, this.options.delayMs * 2 ** this.failures));
        throw error;
      },
    );
    this.inFlight = flight;
    try {
      await flight;
    } finally {
      if (this.inFlight === flight) this.inFlight = undefined;
    }
  }

  get size(): number {
    return this.pending.size;
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushReady().catch(() => undefined); // logged above; the records stay pending
    }, delayMs);
    this.timer.unref();
  }
}
