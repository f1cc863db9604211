/**
 * Group commit: many callers' writes share one transaction, and each caller goes on only when the
 * transaction that holds its write has committed. A write joins the batch that is being collected;
 * the batch is committed on the next turn of the event loop (so every turn whose request arrived
 * together lands in it), and while one batch commits the next one collects. Fifty concurrent
 * conversations therefore cost a few transactions, not fifty, and nothing a caller was told about
 * is only in memory.
 *
 * Batches commit one after another, in the order their writes were added, and a batch is all or
 * nothing: when its commit fails, every write in it fails with GroupCommitFailed (the cause attached)
 * and the store holds none of them. `flush` waits for what was added so far; `close` refuses new
 * writes and then flushes.
 */
import type { Store } from '.';

export interface GroupCommitOptions {
  /** At most this many writes per transaction; the rest go into the next batch. */
  maxBatch: number;
}

/** A batch could not be committed: none of its writes was stored. Each caller decides what its user reads. */
export class GroupCommitFailed extends Error {
  constructor(
    readonly batchSize: number,
    cause: unknown,
  ) {
    super(`a batch of ${batchSize} writes could not be committed; none of them was stored`, { cause });
    this.name = 'GroupCommitFailed';
  }
}

export class GroupCommitClosed extends Error {
  constructor() {
    super('the store is closing; no more writes are taken');
    this.name = 'GroupCommitClosed';
  }
}

interface Pending<W> {
  write: W;
  key: string | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<W> {
  private collecting: Pending<W>[] = [];
  /** A batch is scheduled or committing. */
  private busy = false;
  private closed = false;
  private last: Promise<void> = Promise.resolve();
  /** Committed (or failed) batches and their writes so far: how well writes are shared. */
  readonly counts = { batches: 0, writes: 0 };
  /** The last unfinished write per key, so a reader can wait for it. */
  private readonly byKey = new Map<string, Promise<void>>();

  constructor(
    private readonly commit: (writes: W[]) => Promise<void>,
    private readonly options: GroupCommitOptions = { maxBatch: 256 },
  ) {}

  /** Resolves once the batch holding `write` has committed; rejects with GroupCommitFailed if it did not. */
  write(write: W, key?: string): Promise<void> {
    if (this.closed) return Promise.reject(new GroupCommitClosed());
    const done = new Promise<void>((resolve, reject) => {
      this.collecting.push({ write, key, resolve, reject });
    });
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.last = settled;
    if (key !== undefined) {
      this.byKey.set(key, settled);
      settled.then(() => {
        if (this.byKey.get(key) === settled) this.byKey.delete(key);
      });
    }
    this.schedule();
    return done;
  }

  /** Waits until the writes added under `key` so far are committed or have failed (never rejects). */
  async written(key: string): Promise<void> {
    await this.byKey.get(key);
  }

  /** Waits until everything added so far has committed or failed (batches finish in order, so the last one is enough). */
  async flush(): Promise<void> {
    await this.last;
  }

  /** Takes no more writes and commits what is waiting. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(): void {
    if (this.busy) return;
    this.busy = true;
    setImmediate(() => void this.commitNext());
  }

  /**
   * Commits one batch. Writes added while it commits wait for the next batch, which starts on the
   * following turn of the event loop; the batch's callers are released only after its commit.
   */
  private async commitNext(): Promise<void> {
    const batch = this.collecting.splice(0, this.options.maxBatch);
    this.counts.batches += 1;
    this.counts.writes += batch.length;
    let failure: GroupCommitFailed | undefined;
    try {
      await this.commit(batch.map((p) => p.write));
    } catch (error) {
      failure = new GroupCommitFailed(batch.length, error);
    }
    this.busy = false;
    if (this.collecting.length > 0) this.schedule();
    for (const p of batch) {
      if (failure) p.reject(failure);
      else p.resolve();
    }
  }
}

/** A write to the store inside a shared transaction. */
export type StoreWrite = (tx: Store) => Promise<void>;

/** The group commit on a Store: each batch is one `store.transaction`, its writes run in order. */
export function storeGroupCommit(store: Store, options?: GroupCommitOptions): GroupCommit<StoreWrite> {
  return new GroupCommit<StoreWrite>(
    (writes) =>
      store.transaction(async (tx) => {
        for (const write of writes) await write(tx);
      }),
    options,
  );
}
