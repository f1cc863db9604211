import { type AuditEvent, auditEvent } from '../audit/model';
import type { Logger } from '../logger';
import { DuplicateId, type Store, type Stored, VersionConflict } from '../store';
import type { Job, JobHandler, Scheduler } from './port';

export interface SchedulerOptions {
  /** How often the timer looks for due jobs. */
  pollMs: number;
  /** A running job older than this is taken to have crashed. */
  leaseMs: number;
  /** Runs (the first included) before a failing job is given up as `failed`. */
  maxAttempts: number;
  /** Backoff after a failed run, doubled per attempt. */
  retryMs: number;
}

export interface SchedulerDeps {
  store: Store;
  log: Logger;
  clock: () => Date;
  options?: Partial<SchedulerOptions>;
}

const ACTOR = 'system:scheduler';

export class JobScheduler implements Scheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly options: SchedulerOptions;
  private timer: NodeJS.Timeout | undefined;
  /** runDue calls run one after another, whoever calls (the timer, a test). */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly warnedUnknown = new Set<string>();
  /** One-shot timers for jobs due before the next poll. */
  private readonly wakes = new Set<NodeJS.Timeout>();

  constructor(private readonly deps: SchedulerDeps) {
    this.options = { pollMs: 60_000, leaseMs: 10 * 60_000, maxAttempts: 3, retryMs: 60_000, ...deps.options };
  }

  register(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`a handler for ${kind} is already registered`);
    this.handlers.set(kind, handler);
  }

  async schedule(
    job: {
      id: string;
      kind: string;
      dueAt: string;
      payload?: Record<string, string>;
    },
    options: { tx?: Store } = {},
  ): Promise<void> {
    if (!job.id || !job.kind) throw new Error('schedule: id and kind are required');
    if (Number.isNaN(Date.parse(job.dueAt))) throw new Error(`schedule: dueAt is not a time: ${job.dueAt}`);
    const dueAt = new Date(job.dueAt).toISOString();
    if (options.tx) return this.scheduleIn(options.tx, job, dueAt);
    for (;;) {
      const existing = await this.deps.store.jobs.get(job.id);
      try {
        if (!existing) {
          const created: Job = {
            id: job.id,
            kind: job.kind,
            dueAt,
            payload: job.payload ?? {},
            status: 'pending',
            attempts: 0,
          };
          await this.deps.store.transaction(async (tx) => {
            await tx.jobs.insert(created);
            await tx.auditEvents.append(this.event(created, 'schedule', undefined, `due ${dueAt}`));
          });
          this.wakeAt(dueAt);
          return;
        }
        // a job that ran (or is running) stays as it is: scheduling is idempotent, a new run needs a new id
        if (existing.value.status === 'running' || existing.value.status === 'done') return;
        // the same pending job again (a feature re-scheduling at every start) changes nothing and logs nothing
        if (
          existing.value.status === 'pending' &&
          existing.value.kind === job.kind &&
          existing.value.dueAt === dueAt &&
          (job.payload === undefined ||
            JSON.stringify(job.payload) === JSON.stringify(existing.value.payload))
        )
          return;
        const { retryAt: _retry, lastError: _error, ...rest } = existing.value;
        const updated: Job = {
          ...rest,
          kind: job.kind,
          dueAt,
          payload: job.payload ?? existing.value.payload,
          status: 'pending',
        };
        if (existing.value.status !== 'pending') updated.attempts = 0;
        await this.write(existing, updated, 'reschedule', `due ${dueAt}`);
        this.wakeAt(dueAt);
        return;
      } catch (error) {
        if (!(error instanceof VersionConflict || error instanceof DuplicateId)) throw error;
      }
    }
  }

  /**
   * The outbox form of schedule: the job is written by the caller's transaction, so it exists exactly
   * when the state change that causes it does. A conflict is the caller's (its transaction is retried).
   */
  private async scheduleIn(
    tx: Store,
    job: { id: string; kind: string; payload?: Record<string, string> },
    dueAt: string,
  ): Promise<void> {
    const existing = await tx.jobs.get(job.id);
    if (existing && (existing.value.status === 'running' || existing.value.status === 'done')) return;
    const payload = job.payload ?? existing?.value.payload ?? {};
    if (
      existing?.value.status === 'pending' &&
      existing.value.kind === job.kind &&
      existing.value.dueAt === dueAt &&
      JSON.stringify(payload) === JSON.stringify(existing.value.payload)
    )
      return;
    const next: Job = existing
      ? (({ retryAt: _r, lastError: _e, ...rest }) => ({
          ...rest,
          kind: job.kind,
          dueAt,
          payload,
          status: 'pending' as const,
          attempts: existing.value.status === 'pending' ? rest.attempts : 0,
        }))(existing.value)
      : { id: job.id, kind: job.kind, dueAt, payload, status: 'pending', attempts: 0 };
    if (existing) await tx.jobs.update(next, existing.version);
    else await tx.jobs.insert(next);
    await tx.auditEvents.append(
      this.event(next, existing ? 'reschedule' : 'schedule', existing?.value.status, `due ${dueAt}`),
    );
  }

  /**
   * Runs one pending job now, whatever its due time (in turn with runDue, claimed like any run): a
   * transition's consequences written as a job in its transaction are carried out at once, and if the
   * process dies first, the job is still there for the next start (or after its lease, if it was running).
   * Never throws: false when the job was not run to its end here.
   */
  runNow(id: string): Promise<boolean> {
    const run = this.chain.then(async () => {
      try {
        const found = await this.deps.store.jobs.get(id);
        if (found?.value.status !== 'pending' || !this.handlers.has(found.value.kind)) return false;
        const claimed = await this.claim(found, this.deps.clock().getTime());
        if (!claimed) return false;
        await this.run(claimed);
        return true;
      } catch (error) {
        // The caller's own change is committed and the job is in the store: failing to claim it or to record
        // how the run went (the store unreachable, or the job changed by another writer) is not the caller's
        // failure. The job runs at the scheduler's next poll (or after its lease); its handlers are idempotent.
        this.deps.log.warn({ err: error, jobId: id }, 'job not run now; the scheduler runs it later');
        return false;
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  async cancel(id: string): Promise<void> {
    for (;;) {
      const existing = await this.deps.store.jobs.get(id);
      if (existing?.value.status !== 'pending') return;
      try {
        await this.write(existing, { ...existing.value, status: 'cancelled' }, 'cancel');
        return;
      } catch (error) {
        if (!(error instanceof VersionConflict)) throw error;
      }
    }
  }

  runDue(): Promise<number> {
    const run = this.chain.then(() => this.runDueNow());
    this.chain = run.catch(() => undefined);
    return run;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.options.pollMs);
    this.timer.unref();
    this.tick(); // jobs that fell due while the service was down
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const wake of this.wakes) clearTimeout(wake);
    this.wakes.clear();
    await this.chain;
  }

  private tick(): void {
    this.runDue().catch((error: unknown) => this.deps.log.error({ err: error }, 'running due jobs failed'));
  }

  /**
   * A job that falls due before the next poll runs when it is due, not up to a poll later: a campaign
   * sent "now" goes out now. Only while the scheduler runs (tests that call runDue themselves are not woken).
   */
  private wakeAt(dueAt: string): void {
    if (!this.timer) return;
    const delay = Math.max(0, Date.parse(dueAt) - this.deps.clock().getTime());
    if (delay >= this.options.pollMs) return;
    const wake = setTimeout(() => {
      this.wakes.delete(wake);
      if (this.timer) this.tick();
    }, delay);
    wake.unref();
    this.wakes.add(wake);
  }

  private async runDueNow(): Promise<number> {
    const now = this.deps.clock().getTime();
    const candidates = [
      ...(await this.deps.store.jobs.find({ status: 'pending' })),
      // a run that outlived its lease: the process running it is gone
      ...(await this.deps.store.jobs.find({ status: 'running' })).filter(
        (j) => Date.parse(j.value.leaseUntil ?? '') < now,
      ),
    ];
    const due = candidates
      .filter((j) => Date.parse(j.value.dueAt) <= now && Date.parse(j.value.retryAt ?? j.value.dueAt) <= now)
      .filter((j) => {
        if (this.handlers.has(j.value.kind)) return true;
        if (!this.warnedUnknown.has(j.value.id))
          this.deps.log.warn({ jobId: j.value.id, kind: j.value.kind }, 'a due job has no handler');
        this.warnedUnknown.add(j.value.id);
        return false;
      })
      .sort((a, b) => a.value.dueAt.localeCompare(b.value.dueAt));
    let ran = 0;
    for (const found of due) {
      const claimed = await this.claim(found, now);
      if (!claimed) continue;
      ran++;
      await this.run(claimed);
    }
    return ran;
  }

  private async claim(found: Stored<Job>, now: number): Promise<Stored<Job> | undefined> {
    const { retryAt: _retry, ...rest } = found.value;
    try {
      return await this.deps.store.jobs.update(
        {
          ...rest,
          status: 'running',
          attempts: found.value.attempts + 1,
          leaseUntil: new Date(now + this.options.leaseMs).toISOString(),
        },
        found.version,
      );
    } catch (error) {
      if (error instanceof VersionConflict) return undefined; // another process (or a reschedule) got there first
      throw error;
    }
  }

  private async run(claimed: Stored<Job>): Promise<void> {
    const job = claimed.value;
    const handler = this.handlers.get(job.kind) as JobHandler;
    const { leaseUntil: _lease, lastError: _error, ...rest } = job;
    let failure: { error: unknown } | undefined;
    try {
      await handler(job);
    } catch (error) {
      failure = { error };
    }
    if (!failure) {
      await this.write(claimed, { ...rest, status: 'done', doneAt: this.deps.clock().toISOString() }, 'run');
      this.deps.log.info({ jobId: job.id, kind: job.kind }, 'job done');
      return;
    }
    const lastError = String((failure.error as Error)?.message ?? failure.error);
    const giveUp = job.attempts >= this.options.maxAttempts;
    const retryAt = new Date(
      this.deps.clock().getTime() + this.options.retryMs * 2 ** (job.attempts - 1),
    ).toISOString();
    this.deps.log.error({ err: failure.error, jobId: job.id, attempts: job.attempts, giveUp }, 'job failed');
    const next: Job = giveUp
      ? { ...rest, status: 'failed', lastError }
      : { ...rest, status: 'pending', lastError, retryAt };
    await this.write(claimed, next, giveUp ? 'fail' : 'retry', lastError);
  }

  private async write(from: Stored<Job>, next: Job, action: string, comment?: string): Promise<Stored<Job>> {
    return this.deps.store.transaction(async (tx) => {
      const written = await tx.jobs.update(next, from.version);
      await tx.auditEvents.append(this.event(next, action, from.value.status, comment));
      return written;
    });
  }

  private event(job: Job, action: string, fromState: string | undefined, comment?: string): AuditEvent {
    return auditEvent({
      at: this.deps.clock().toISOString(),
      actorId: ACTOR,
      recordType: 'job',
      recordId: job.id,
      action,
      fromState,
      toState: job.status,
      comment: comment || undefined,
    });
  }
}
