/**
 * Schedules that run inside the service and survive a restart: a job is a record in the store
 * with the time it is due; the scheduler runs each due job once (claimed with a version check, so
 * two processes or a restart cannot run it twice) and never skips one that fell due while the
 * service was down. A handler that sends should enqueue with a stable key on the shared sender,
 * so that even a job re-run after a crash sends nothing twice.
 */
import type { Store } from '../store';

export type JobStatus = 'pending' | 'running' | 'done' | 'cancelled' | 'failed';

export interface Job {
  /** Stable and meaningful, e.g. `review:<cycleId>:reminder:7d`; scheduling the same id again updates a pending job. */
  id: string;
  kind: string;
  /** ISO time. */
  dueAt: string;
  payload: Record<string, string>;
  status: JobStatus;
  attempts: number;
  /** Set while running; a running job older than the lease is taken to have crashed and runs again. */
  leaseUntil?: string;
  lastError?: string;
  /** After a failed run: not before this ISO time (backoff); cleared when it runs. */
  retryAt?: string;
  doneAt?: string;
}

export type JobHandler = (job: Job) => Promise<void>;

export interface Scheduler {
  register(kind: string, handler: JobHandler): void;
  /**
   * Creates the job, or moves a pending (or cancelled, or failed) one to the new time. A job that is
   * running or done is left as it is: scheduling is idempotent, and another run needs another id.
   */
  schedule(
    job: { id: string; kind: string; dueAt: string; payload?: Record<string, string> },
    /** `tx`: written by the caller's transaction (an outbox): the job exists exactly when the change that causes it does. */
    options?: { tx?: Store },
  ): Promise<void>;
  /** Runs a pending job now, whatever its due time; false when it is not pending (done, running elsewhere, unknown). */
  runNow(id: string): Promise<boolean>;
  /** Cancels a pending job; a running or finished one is left as it is. */
  cancel(id: string): Promise<void>;
  /** Runs every job due at the clock's now; returns how many ran. The timer calls it; tests call it. */
  runDue(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}
