/**
 * The shared sender: how a feature sends many 1:1 cards (a review cycle's first cards, a campaign,
 * reminders) without doing it inside a user's turn. Every message becomes a Delivery record in the
 * store before anything is sent; a worker drains them within Teams' rate limits, retries what the
 * platform says to retry, records what failed and why, and resumes after a restart. Nobody gets a
 * message twice: the key of an Outgoing is unique, and enqueuing the same key again is a no-op.
 *
 * The card is made at send time by the renderer the feature registered for the kind, so a card
 * that waits in the queue is current when it goes out (and a renderer may say it is no longer needed).
 */
import type { SentMessage } from '../messaging';
import type { Store } from '../store';

export interface Outgoing {
  /** Unique and stable, e.g. `review:<reviewId>:submit:<personId>`; the same key enqueued twice is one delivery. */
  key: string;
  personId: string;
  /** Names the renderer (registered by the feature) that makes the card at send time. */
  kind: string;
  /** The record the renderer reads, e.g. a UnitReview or Campaign id. */
  recordId: string;
}

export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'cancelled' | 'skipped';

/** Why a delivery failed for good (not retried). */
export type FailureReason = 'blocked' | 'notInstalled' | 'leftOrganisation' | 'noConversation' | 'other';

export interface Delivery {
  /** Derived from the key. */
  id: string;
  key: string;
  /** Groups deliveries for progress and cancelling: a campaign id, a cycle id. */
  batchId: string;
  personId: string;
  kind: string;
  recordId: string;
  status: DeliveryStatus;
  attempts: number;
  /** ISO time before which the worker does not try again (backoff, Retry-After). */
  notBefore: string;
  createdAt: string;
  sentAt?: string;
  message?: SentMessage;
  failure?: { reason: FailureReason; detail: string };
  /**
   * Set while a worker sends it (claimed with a version check before the first request). A claim that
   * outlives its lease belongs to a process that died mid-send: the delivery is sent again (see service.ts).
   */
  claim?: { by: string; until: string };
  /** How the person was reached: an existing 1:1 conversation, or one the sender created (after installing the app). */
  reachedBy?: 'conversation' | 'created' | 'installed';
  /** The last retryable error, while the delivery waits to be tried again. */
  lastError?: string;
}

export interface Renderer {
  /** The card for this person now, or undefined when it is no longer needed (the delivery is skipped). */
  render(recordId: string, personId: string): Promise<object | undefined>;
  /** Called once after a successful send, e.g. to remember the message so it can be updated later. */
  sent?(delivery: Delivery, message: SentMessage): Promise<void>;
  /** Called once when the delivery has failed for good (not when it will be retried), e.g. to tell someone. */
  failed?(delivery: Delivery): Promise<void>;
}

export interface BatchProgress {
  queued: number;
  sent: number;
  failed: number;
  cancelled: number;
  skipped: number;
}

export interface Sender {
  register(kind: string, renderer: Renderer): void;
  /** Records the deliveries (idempotent by key) and wakes the worker; returns at once. */
  enqueue(batchId: string, messages: readonly Outgoing[]): Promise<void>;
  /**
   * Records the deliveries inside the caller's transaction, so that a state change and its cards
   * commit together (an outbox). Call the returned function once the transaction has committed: it
   * wakes the worker (without it, the worker finds them at its next poll).
   */
  enqueueWithin(tx: Store, batchId: string, messages: readonly Outgoing[]): Promise<() => void>;
  /** Stops further sends of the batch promptly; returns how many queued deliveries were cancelled. */
  cancel(batchId: string): Promise<number>;
  progress(batchId: string): Promise<BatchProgress>;
  deliveries(batchId: string): Promise<Delivery[]>;
  /** Resolves when nothing is due (tests and shutdown). */
  idle(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}
