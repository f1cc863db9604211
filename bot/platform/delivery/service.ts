/**
 * The shared sender (port.ts): Delivery records in the store, drained by a worker inside the
 * service, never inside a user's turn.
 *
 * One delivery is a ladder of small steps: claim → render → reach (open the 1:1 chat, installing the
 * app first when needed) → send → record. Each call to Teams waits for its turn in the rate windows
 * (limits.ts); failures are judged there too: retried later (the delivery goes back to `queued` with
 * `notBefore`) or recorded as failed with a reason.
 *
 * Crash safety. A delivery is claimed in the store (version-checked update: `claim.by`, `claim.until`)
 * right before the first call to Teams, and the outcome replaces the claim in one write. A graceful
 * stop lets the sends in flight finish and be recorded, so a restart neither repeats nor skips anyone.
 * A process that dies between the claim and the record leaves a claim behind; the next process sends
 * that delivery again once the claim's lease has passed. Teams offers no way to ask whether a message
 * arrived and no idempotency key, so the one choice left is between a possible duplicate (the crash
 * fell in the millisecond between Teams' answer and the write) and a possible silent loss (the crash
 * fell before the request left); for a security programme's cards a lost recipient is the worse
 * outcome, so the sender resends, and the audit log shows the second attempt.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type AuditEvent, auditEvent } from '../audit/model';
import type { Logger } from '../logger';
import {
  type AppInstaller,
  ChannelCallFailed,
  type Conversations,
  type Messenger,
  NotReachable,
  type SentMessage,
} from '../messaging';
import type { Directory } from '../org/model';
import { type Store, type Stored, VersionConflict } from '../store';
import {
  type CallFailure,
  DEFAULT_RETRY,
  judge,
  type RateRule,
  type RetryPolicy,
  TEAMS_RATE_RULES,
} from './limits';
import type {
  BatchProgress,
  Delivery,
  DeliveryStatus,
  FailureReason,
  Outgoing,
  Renderer,
  Sender,
} from './port';
import { Throttle } from './throttle';

export interface SenderOptions {
  rules: readonly RateRule[];
  retry: RetryPolicy;
  /** Deliveries worked on at once (each makes one or two calls to Teams at a time). */
  concurrency: number;
  /** How long a claim holds; a claim older than this is taken to be a crashed process's. */
  leaseMs: number;
  /** How often the worker looks in the store for deliveries it did not enqueue itself (another process, a restart). */
  pollMs: number;
  random: () => number;
}

export interface SenderDeps {
  store: Store;
  messenger: Messenger;
  conversations: Conversations;
  installer: AppInstaller;
  directory: Pick<Directory, 'person'>;
  log: Logger;
  clock: () => Date;
  options?: Partial<SenderOptions>;
}

const ACTOR = 'system:sender';
/** The conversation key of calls made outside the sender: they share only the app's window with its sends. */
const OTHER_CALLS = '(turns)';

/** The delivery id: derived from the key, short and safe for any store. */
export const deliveryId = (key: string): string =>
  createHash('sha256').update(key).digest('base64url').slice(0, 32);

class Stopping extends Error {}

/** How often recording a sent card is tried before it is left to its lease. */
const SENT_RECORD_ATTEMPTS = 5;

export class DeliveryService implements Sender {
  private readonly renderers = new Map<string, Renderer>();
  private readonly options: SenderOptions;
  private readonly throttle: Throttle;
  private readonly instance = randomUUID();
  /** Queued deliveries the worker knows, in the order they came. */
  private readonly pending = new Map<string, Stored<Delivery>>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private loaded = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private lastRefresh = 0;
  private idleWaiters: (() => void)[] = [];
  /** Batches cancelled while this process runs: a delivery of theirs that was in flight is not retried. */
  private readonly cancelledBatches = new Set<string>();

  constructor(private readonly deps: SenderDeps) {
    this.options = {
      rules: TEAMS_RATE_RULES,
      retry: DEFAULT_RETRY,
      concurrency: 16,
      leaseMs: 2 * 60_000,
      pollMs: 10_000,
      random: Math.random,
      ...deps.options,
    };
    this.throttle = new Throttle(this.options.rules);
  }

  /**
   * Counts a call to Teams the sender did not make (a reply inside a user's turn): the app's window
   * is shared, so the sender makes room for it. Call the returned function when the answer came.
   */
  countCall(): () => void {
    return this.throttle.note(OTHER_CALLS);
  }

  register(kind: string, renderer: Renderer): void {
    if (this.renderers.has(kind)) throw new Error(`a renderer for ${kind} is already registered`);
    this.renderers.set(kind, renderer);
  }

  async enqueue(batchId: string, messages: readonly Outgoing[]): Promise<void> {
    const added = await this.deps.store.transaction((tx) => this.record(tx, batchId, messages));
    this.queued(batchId, added, messages.length);
  }

  async enqueueWithin(tx: Store, batchId: string, messages: readonly Outgoing[]): Promise<() => void> {
    const added = await this.record(tx, batchId, messages);
    return () => this.queued(batchId, added, messages.length);
  }

  /** Writes the new deliveries (and their audit events) in the given transaction. */
  private async record(
    tx: Store,
    batchId: string,
    messages: readonly Outgoing[],
  ): Promise<Stored<Delivery>[]> {
    if (!batchId) throw new Error('enqueue needs a batch id');
    for (const m of messages) {
      if (!m.key || !m.personId || !m.recordId)
        throw new Error(`enqueue: key, personId and recordId are required (${JSON.stringify(m)})`);
      if (!this.renderers.has(m.kind)) throw new Error(`enqueue: no renderer registered for ${m.kind}`);
    }
    const now = this.now();
    const added: Stored<Delivery>[] = [];
    for (const m of messages) {
      const id = deliveryId(m.key);
      if (await tx.deliveries.get(id)) continue;
      const delivery: Delivery = {
        id,
        key: m.key,
        batchId,
        personId: m.personId,
        kind: m.kind,
        recordId: m.recordId,
        status: 'queued',
        attempts: 0,
        notBefore: now,
        createdAt: now,
      };
      added.push(await tx.deliveries.insert(delivery));
      await tx.auditEvents.append(this.event(delivery, 'enqueue', undefined, 'queued', now));
    }
    return added;
  }

  /** Hands committed deliveries to the worker. */
  private queued(batchId: string, added: Stored<Delivery>[], given: number): void {
    this.cancelledBatches.delete(batchId);
    for (const stored of added) this.pending.set(stored.value.id, stored);
    if (added.length > 0) this.deps.log.info({ batchId, added: added.length, given }, 'deliveries queued');
    this.wake();
  }

  async cancel(batchId: string): Promise<number> {
    this.cancelledBatches.add(batchId);
    for (const [id, stored] of this.pending) if (stored.value.batchId === batchId) this.pending.delete(id);
    let cancelled = 0;
    const inFlight: Promise<void>[] = [];
    const wasInFlight: string[] = [];
    for (let stored of await this.deps.store.deliveries.find({ batchId, status: 'queued' })) {
      for (;;) {
        // being sent right now: it ends sent, failed, or (when Teams asked to retry) cancelled
        const sending = this.inFlight.get(stored.value.id);
        if (sending) {
          inFlight.push(sending);
          wasInFlight.push(stored.value.id);
          break;
        }
        try {
          await this.write(stored, { ...stored.value, status: 'cancelled', claim: undefined }, 'cancel');
          cancelled++;
          break;
        } catch (error) {
          if (!(error instanceof VersionConflict)) throw error;
          const again = await this.deps.store.deliveries.get(stored.value.id);
          if (again?.value.status !== 'queued') break;
          stored = again;
        }
      }
    }
    await Promise.allSettled(inFlight);
    for (const id of wasInFlight)
      if ((await this.deps.store.deliveries.get(id))?.value.status === 'cancelled') cancelled++;
    this.deps.log.info({ batchId, cancelled }, 'batch cancelled');
    return cancelled;
  }

  async progress(batchId: string): Promise<BatchProgress> {
    const progress: BatchProgress = { queued: 0, sent: 0, failed: 0, cancelled: 0, skipped: 0 };
    for (const d of await this.deps.store.deliveries.find({ batchId })) progress[d.value.status]++;
    return progress;
  }

  async deliveries(batchId: string): Promise<Delivery[]> {
    return (await this.deps.store.deliveries.find({ batchId })).map((d) => d.value);
  }

  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake();
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.work();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    // deliveries still waiting for their turn are given back; the calls in flight finish and are
    // recorded, so that a restart repeats nobody
    this.throttle.abort(new Stopping('the sender stopped'));
    await Promise.allSettled([...this.inFlight.values()]);
    this.pending.clear();
    this.loaded = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  // ----- the worker -----

  private async work(): Promise<void> {
    while (this.running) {
      try {
        if (!this.loaded) {
          await this.refresh();
          this.loaded = true;
        }
        await this.step();
      } catch (error) {
        // the store failed (busy, full disk): nothing is lost, the records say what is left; try again shortly
        this.deps.log.error({ err: error }, 'the sender worker failed; retrying');
        await this.sleep(Math.min(this.options.pollMs, 1_000));
      }
    }
  }

  /** Dispatches one due delivery, or waits until one could be. */
  private async step(): Promise<void> {
    const now = this.deps.clock().getTime();
    if (now - this.lastRefresh >= this.options.pollMs) await this.refresh();
    if (this.inFlight.size >= this.options.concurrency) {
      await this.sleep(this.options.pollMs);
      return;
    }
    const appWait = this.throttle.readyIn('', 'app');
    if (appWait > 0) {
      await this.sleep(Number.isFinite(appWait) ? appWait : 50);
      return;
    }
    const { next, soonest } = this.pick(now);
    if (!next) {
      this.settleIdle(now);
      await this.sleep(Math.max(1, Math.min(this.options.pollMs, soonest - now)));
      return;
    }
    this.pending.delete(next.value.id);
    const work = this.process(next)
      .catch((error: unknown) => {
        if (!(error instanceof Stopping))
          this.deps.log.error({ err: error, deliveryId: next.value.id }, 'a delivery failed unexpectedly');
      })
      .finally(() => {
        this.inFlight.delete(next.value.id);
        this.wake();
      });
    this.inFlight.set(next.value.id, work);
  }

  /** The first delivery that is due and whose conversation has room now; else when the soonest one could be. */
  private pick(now: number): { next?: Stored<Delivery>; soonest: number } {
    let soonest = Number.POSITIVE_INFINITY;
    for (const stored of this.pending.values()) {
      // a kind nobody has registered (yet): left queued for the process that knows it
      if (!this.renderers.has(stored.value.kind)) continue;
      const due = this.dueAt(stored.value);
      if (due > now) {
        soonest = Math.min(soonest, due);
        continue;
      }
      const wait = this.throttle.readyIn(stored.value.personId, 'conversation');
      if (wait === 0) return { next: stored, soonest: now };
      soonest = Math.min(soonest, now + (Number.isFinite(wait) ? wait : this.options.pollMs));
    }
    return { soonest };
  }

  private dueAt(d: Delivery): number {
    const notBefore = Date.parse(d.notBefore);
    // a claim nobody is working on (a process that is gone, or an outcome that could not be recorded): due when its lease ends
    const claimed = d.claim ? Date.parse(d.claim.until) : 0;
    return Math.max(notBefore, claimed);
  }

  private settleIdle(now: number): void {
    if (!this.loaded || this.inFlight.size > 0 || this.idleWaiters.length === 0) return;
    for (const stored of this.pending.values()) {
      if (this.renderers.has(stored.value.kind) && this.dueAt(stored.value) <= now) return;
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async refresh(): Promise<void> {
    this.lastRefresh = this.deps.clock().getTime();
    for (const stored of await this.deps.store.deliveries.find({ status: 'queued' })) {
      if (this.inFlight.has(stored.value.id)) continue;
      const known = this.pending.get(stored.value.id);
      if (!known || known.version !== stored.version) this.pending.set(stored.value.id, stored);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }

  // ----- one delivery -----

  private async process(found: Stored<Delivery>): Promise<void> {
    const claimed = await this.claim(found);
    if (!claimed) return;
    const d = claimed.value;
    const renderer = this.renderers.get(d.kind) as Renderer;
    let sending: { message: SentMessage; reachedBy: 'conversation' | 'created' | 'installed' };
    try {
      const card = await this.attempt('render', () => renderer.render(d.recordId, d.personId));
      if (!card) {
        await this.finish(claimed, 'skipped', {});
        return;
      }
      const reachedBy = await this.reach(d);
      if (typeof reachedBy === 'object') {
        const failed = await this.finish(claimed, 'failed', { failure: reachedBy });
        if (failed) await this.failedHook(renderer, failed.value);
        return;
      }
      const message = await this.call(d.personId, 'send', () =>
        this.deps.messenger.sendCard(d.personId, card),
      );
      sending = { message, reachedBy };
    } catch (error) {
      if (error instanceof Stopping) {
        // stopped before the call left: give the delivery back untouched (no attempt counted)
        await this.finish(claimed, 'queued', { attempts: found.value.attempts }, 'release').catch(
          () => undefined,
        );
        throw error;
      }
      await this.failed(claimed, toFailure(error));
      return;
    }
    // The card is out: from here on, a failure to record it must never lead to sending it again.
    const sent = await this.recordSent(claimed, {
      sentAt: this.now(),
      message: sending.message,
      reachedBy: sending.reachedBy,
    });
    if (sent && renderer.sent) await this.hook(renderer, sent.value, sending.message);
  }

  /** Records a send, retrying the store (throttling, a lost answer) a few times rather than resending. */
  private async recordSent(
    claimed: Stored<Delivery>,
    change: Partial<Delivery>,
  ): Promise<Stored<Delivery> | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.finish(claimed, 'sent', change);
      } catch (error) {
        if (attempt >= SENT_RECORD_ATTEMPTS) {
          // left claimed: after its lease the delivery is sent again (the header's crash case)
          this.deps.log.error(
            { err: error, deliveryId: claimed.value.id },
            'a card was sent but its delivery could not be recorded',
          );
          return undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }

  /** Takes the delivery for this process with a version-checked write; undefined when someone else changed it. */
  private async claim(found: Stored<Delivery>): Promise<Stored<Delivery> | undefined> {
    const until = new Date(this.deps.clock().getTime() + this.options.leaseMs).toISOString();
    const resumed = found.value.claim !== undefined;
    try {
      const claimed = await this.deps.store.deliveries.update(
        { ...found.value, attempts: found.value.attempts + 1, claim: { by: this.instance, until } },
        found.version,
      );
      if (resumed) {
        // the process that claimed it before died before recording the outcome (see the header)
        this.deps.log.warn(
          { deliveryId: found.value.id, previous: found.value.claim },
          'resending a delivery a stopped process had claimed',
        );
        await this.deps.store.auditEvents.append(
          this.event(
            found.value,
            'resume',
            'queued',
            'queued',
            this.now(),
            'claimed by a process that stopped before recording the outcome',
          ),
        );
      }
      return claimed;
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      const current = await this.deps.store.deliveries.get(found.value.id);
      // still queued and unclaimed (e.g. a retry time changed): try again later with the current version
      if (current?.value.status === 'queued' && !current.value.claim)
        this.pending.set(current.value.id, current);
      return undefined;
    }
  }

  /** Makes sure there is a 1:1 conversation; a FailureReason when the person cannot be reached. */
  private async reach(
    d: Delivery,
  ): Promise<'conversation' | 'created' | 'installed' | { reason: FailureReason; detail: string }> {
    if (await this.deps.conversations.has(d.personId)) return 'conversation';
    if (!(await this.deps.directory.person(d.personId)))
      return { reason: 'leftOrganisation', detail: 'not in the organisation directory' };
    const installation = await this.deps.installer.ensureInstalled(d.personId);
    if (!installation.installed) return { reason: 'notInstalled', detail: installation.detail };
    await this.call(d.personId, 'createConversation', () => this.deps.conversations.open(d.personId));
    return installation.now ? 'installed' : 'created';
  }

  /** One call to Teams, in its turn in the rate windows. */
  private async call<R>(
    personId: string,
    operation: 'send' | 'createConversation',
    work: () => Promise<R>,
  ): Promise<R> {
    const done = await this.throttle.acquire(personId);
    try {
      return await work();
    } catch (error) {
      throw error instanceof ChannelCallFailed || error instanceof NotReachable
        ? error
        : new OperationFailed(operation, error);
    } finally {
      done();
    }
  }

  private async attempt<R>(operation: 'render', work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      throw new OperationFailed(operation, error);
    }
  }

  private async failed(claimed: Stored<Delivery>, failure: CallFailure): Promise<void> {
    const d = claimed.value;
    const verdict = judge(failure, d.attempts, this.options.random, this.options.retry);
    if ('retryInMs' in verdict && this.cancelledBatches.has(d.batchId)) {
      await this.finish(claimed, 'cancelled', {});
      return;
    }
    if ('retryInMs' in verdict) {
      const notBefore = new Date(this.deps.clock().getTime() + verdict.retryInMs).toISOString();
      const lastError =
        `${failure.operation}: ${failure.status ?? 'no answer'} ${failure.code ?? ''} ${failure.detail}`.trim();
      this.deps.log.info(
        { deliveryId: d.id, attempts: d.attempts, retryInMs: verdict.retryInMs, lastError },
        'delivery will be retried',
      );
      const back = await this.finish(claimed, 'queued', { notBefore, lastError });
      if (back && this.running) this.pending.set(back.value.id, back);
      return;
    }
    let reason = verdict.fail;
    if (reason !== 'other' && !(await this.deps.directory.person(d.personId))) reason = 'leftOrganisation';
    this.deps.log.info({ deliveryId: d.id, reason, detail: verdict.detail }, 'delivery failed');
    const failed = await this.finish(claimed, 'failed', { failure: { reason, detail: verdict.detail } });
    const renderer = this.renderers.get(d.kind);
    if (failed && renderer) await this.failedHook(renderer, failed.value);
  }

  /** Records the outcome (and drops the claim) with the audit event, in one transaction. */
  private async finish(
    claimed: Stored<Delivery>,
    status: DeliveryStatus,
    change: Partial<Delivery>,
    action: string = status === 'queued' ? 'retry' : status,
  ): Promise<Stored<Delivery> | undefined> {
    const next: Delivery = { ...claimed.value, ...change, status, claim: undefined };
    if (status !== 'queued') delete next.lastError;
    try {
      return await this.write(claimed, next, action);
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      // someone wrote the record meanwhile: reload, and when it is still this process's claim (nobody
      // else acts on a claimed delivery), record the outcome on the current version instead
      const current = await this.deps.store.deliveries.get(claimed.value.id);
      if (
        current &&
        current.value.claim?.by === this.instance &&
        current.value.status === claimed.value.status
      ) {
        return this.finish(current, status, change, action);
      }
      this.deps.log.error(
        { deliveryId: claimed.value.id, status },
        'a claimed delivery was changed by someone else; its outcome was not recorded',
      );
      return undefined;
    }
  }

  private async write(from: Stored<Delivery>, next: Delivery, action: string): Promise<Stored<Delivery>> {
    const now = this.now();
    return this.deps.store.transaction(async (tx) => {
      const written = await tx.deliveries.update(next, from.version);
      await tx.auditEvents.append(
        this.event(next, action, from.value.status, next.status, now, next.failure?.detail ?? next.lastError),
      );
      return written;
    });
  }

  private async hook(renderer: Renderer, delivery: Delivery, message: SentMessage): Promise<void> {
    try {
      await renderer.sent?.(delivery, message);
    } catch (error) {
      // the message is out and recorded; the feature can still find it in the delivery record
      this.deps.log.error(
        { err: error, deliveryId: delivery.id, kind: delivery.kind },
        'the sent hook failed',
      );
    }
  }

  private async failedHook(renderer: Renderer, delivery: Delivery): Promise<void> {
    try {
      await renderer.failed?.(delivery);
    } catch (error) {
      this.deps.log.error(
        { err: error, deliveryId: delivery.id, kind: delivery.kind },
        'the failed hook failed',
      );
    }
  }

  private event(
    d: Delivery,
    action: string,
    fromState: string | undefined,
    toState: string,
    at: string,
    comment?: string,
  ): AuditEvent {
    return auditEvent({
      at,
      actorId: ACTOR,
      recordType: 'delivery',
      recordId: d.id,
      action,
      fromState,
      toState,
      comment: comment || undefined,
    });
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }
}

/** An error from a step that is not a channel call with a status (render, a connection that failed). */
class OperationFailed extends Error {
  constructor(
    readonly operation: CallFailure['operation'],
    cause: unknown,
  ) {
    super(`${operation}: ${String((cause as { message?: unknown })?.message ?? cause)}`, { cause });
    this.name = 'OperationFailed';
  }
}

function toFailure(error: unknown): CallFailure {
  if (error instanceof ChannelCallFailed) {
    return {
      status: error.status,
      code: error.code,
      retryAfterMs: error.retryAfterMs,
      noAnswer: error.status === undefined,
      operation: error.operation === 'createConversation' ? 'createConversation' : 'send',
      detail: error.message,
    };
  }
  if (error instanceof NotReachable) {
    return {
      status: 404,
      code: 'NoConversation',
      retryAfterMs: undefined,
      noAnswer: false,
      operation: 'send',
      detail: error.message,
    };
  }
  const operation = error instanceof OperationFailed ? error.operation : 'other';
  // an unexpected error (a renderer that threw, a connection that broke): retried with backoff, then given up
  return {
    status: undefined,
    code: undefined,
    retryAfterMs: undefined,
    noAnswer: true,
    operation,
    detail: String((error as Error)?.message ?? error),
  };
}
