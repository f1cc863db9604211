/**
 * Small in-test stand-ins for the shared Sender and Scheduler (bot/delivery/port.ts,
 * bot/schedule/port.ts), used until the sender's branch is merged. The sender sends one delivery at a
 * time through the app's Messenger, records failures with their reason, honours cancel, and is idempotent by key;
 * the scheduler runs due jobs under the app's clock when a test calls runDue().
 */
import type { BatchProgress, Delivery, Outgoing, Renderer, Sender } from '../../bot/delivery/port';
import { type Messenger, NotReachable } from '../../bot/messaging';
import type { Job, JobHandler, Scheduler } from '../../bot/schedule/port';

export class FakeSender implements Sender {
  readonly all = new Map<string, Delivery>();
  private readonly renderers = new Map<string, Renderer>();
  private draining: Promise<void> | undefined;

  constructor(
    private readonly messenger: Messenger,
    private readonly clock: () => Date,
  ) {}

  register(kind: string, renderer: Renderer): void {
    this.renderers.set(kind, renderer);
  }

  async enqueue(batchId: string, messages: readonly Outgoing[]): Promise<void> {
    const now = this.clock().toISOString();
    for (const m of messages) {
      if (this.all.has(m.key)) continue;
      this.all.set(m.key, {
        ...m,
        id: m.key,
        batchId,
        status: 'queued',
        attempts: 0,
        notBefore: now,
        createdAt: now,
      });
    }
    this.wake();
  }

  private wake(): void {
    if (!this.draining) {
      this.draining = this.drain().finally(() => {
        this.draining = undefined;
      });
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = [...this.all.values()].find((d) => d.status === 'queued');
      if (!next) return;
      next.attempts += 1;
      try {
        const card = await this.renderers.get(next.kind)?.render(next.recordId, next.personId);
        if (next.status !== 'queued') continue; // cancelled while rendering
        if (!card) {
          next.status = 'skipped';
          continue;
        }
        next.message = await this.messenger.sendCard(next.personId, card);
        next.status = 'sent';
        next.sentAt = this.clock().toISOString();
      } catch (error) {
        next.status = 'failed';
        const status = (error as { statusCode?: number }).statusCode;
        next.failure =
          error instanceof NotReachable
            ? { reason: 'noConversation', detail: error.message }
            : status === 403
              ? { reason: 'blocked', detail: String(error) }
              : { reason: 'other', detail: String(error) };
      }
    }
  }

  async cancel(batchId: string): Promise<number> {
    let n = 0;
    for (const d of this.all.values()) {
      if (d.batchId === batchId && d.status === 'queued') {
        d.status = 'cancelled';
        n += 1;
      }
    }
    return n;
  }

  async progress(batchId: string): Promise<BatchProgress> {
    const p: BatchProgress = { queued: 0, sent: 0, failed: 0, cancelled: 0, skipped: 0 };
    for (const d of this.all.values()) if (d.batchId === batchId) p[d.status] += 1;
    return p;
  }

  async deliveries(batchId: string): Promise<Delivery[]> {
    return [...this.all.values()].filter((d) => d.batchId === batchId).map((d) => ({ ...d }));
  }

  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  start(): void {}

  async stop(): Promise<void> {
    await this.idle();
  }
}

export class FakeScheduler implements Scheduler {
  readonly jobs = new Map<string, Job>();
  private readonly handlers = new Map<string, JobHandler>();

  constructor(private readonly clock: () => Date) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  async schedule(job: {
    id: string;
    kind: string;
    dueAt: string;
    payload?: Record<string, string>;
  }): Promise<void> {
    const existing = this.jobs.get(job.id);
    if (existing && existing.status !== 'pending') return;
    this.jobs.set(job.id, { ...job, payload: job.payload ?? {}, status: 'pending', attempts: 0 });
  }

  async cancel(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (job?.status === 'pending') job.status = 'cancelled';
  }

  async runDue(): Promise<number> {
    let ran = 0;
    for (const job of [...this.jobs.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt))) {
      if (job.status !== 'pending' || Date.parse(job.dueAt) > this.clock().getTime()) continue;
      job.status = 'running';
      job.attempts += 1;
      await this.handlers.get(job.kind)?.(job);
      job.status = 'done';
      ran += 1;
    }
    return ran;
  }

  start(): void {}

  async stop(): Promise<void> {}
}
