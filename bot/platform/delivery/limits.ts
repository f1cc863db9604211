/**
 * The sender's rules as plain functions over plain data (no I/O, time passed in):
 * Teams' rate limits as sliding windows, which failures are retried and after how long.
 */
import type { FailureReason } from './port';

export interface RateRule {
  /** 'conversation': per bot and 1:1 conversation (one person); 'app': every call of the app. */
  scope: 'conversation' | 'app';
  windowMs: number;
  max: number;
}

/** Teams' limits (platform-facts §3): per conversation 7/1 s, 8/2 s, 60/30 s, 1800/h; 50 requests a second per app. */
export const TEAMS_RATE_RULES: readonly RateRule[] = [
  { scope: 'conversation', windowMs: 1_000, max: 7 },
  { scope: 'conversation', windowMs: 2_000, max: 8 },
  { scope: 'conversation', windowMs: 30_000, max: 60 },
  { scope: 'conversation', windowMs: 3_600_000, max: 1_800 },
  { scope: 'app', windowMs: 1_000, max: 50 },
];

interface Slot {
  start: number;
  /** When the answer came; undefined while the request is in flight. */
  end: number | undefined;
}

export interface SlotToken {
  readonly key: string;
  readonly slot: Slot;
}

/**
 * Sliding windows over the requests made. A request occupies its window from when it starts until
 * `windowMs` after its answer came: the channel counts it at some moment between the two, so
 * counting it for the whole span keeps every window the channel can see under its limit, however
 * the network reorders or delays requests. The cost is one round trip per window (a few per cent).
 */
export class RateWindows {
  private readonly byKey = new Map<string, Slot[]>();
  private readonly app: Slot[] = [];
  private readonly keyHorizon: number;
  private readonly appHorizon: number;
  private starts = 0;

  constructor(
    private readonly rules: readonly RateRule[] = TEAMS_RATE_RULES,
    /** Added to every window, against timer and clock granularity. */
    private readonly marginMs = 5,
  ) {
    const horizon = (scope: RateRule['scope']) =>
      Math.max(0, ...rules.filter((r) => r.scope === scope).map((r) => r.windowMs));
    this.keyHorizon = horizon('conversation') + marginMs;
    this.appHorizon = horizon('app') + marginMs;
  }

  /**
   * Milliseconds until a request for `key` may start at `now`: 0 now, Infinity while it waits for
   * answers in flight. `only` checks one scope's rules.
   */
  wait(key: string, now: number, only?: RateRule['scope']): number {
    let wait = 0;
    for (const rule of this.rules) {
      if (only && rule.scope !== only) continue;
      const slots = rule.scope === 'app' ? this.app : (this.byKey.get(key) ?? []);
      wait = Math.max(wait, this.waitFor(rule, slots, now));
      if (wait === Number.POSITIVE_INFINITY) break;
    }
    return wait;
  }

  private waitFor(rule: RateRule, slots: Slot[], now: number): number {
    const window = rule.windowMs + this.marginMs;
    let inFlight = 0;
    const ends: number[] = [];
    for (const slot of slots) {
      if (slot.end === undefined) inFlight++;
      else if (slot.end > now - window) ends.push(slot.end);
    }
    const counted = inFlight + ends.length;
    if (counted < rule.max) return 0;
    // this many must leave the window first; answered ones leave `window` after their answer
    const toLeave = counted - rule.max + 1;
    if (toLeave > ends.length) return Number.POSITIVE_INFINITY;
    ends.sort((a, b) => a - b);
    return Math.max(0, (ends[toLeave - 1] as number) + window - now);
  }

  /** Records a request for `key` starting at `now` (call only when `wait` said 0). */
  start(key: string, now: number): SlotToken {
    this.prune(now);
    const slot: Slot = { start: now, end: undefined };
    this.app.push(slot);
    const slots = this.byKey.get(key);
    if (slots) slots.push(slot);
    else this.byKey.set(key, [slot]);
    return { key, slot };
  }

  /** Records that the request's answer (or failure) came at `now`. */
  finish(token: SlotToken, now: number): void {
    token.slot.end ??= now;
  }

  /** How many requests are counted for `key` (tests, diagnostics). */
  counted(key: string, now: number): number {
    return (this.byKey.get(key) ?? []).filter((s) => s.end === undefined || s.end > now - this.keyHorizon)
      .length;
  }

  private prune(now: number): void {
    const keep = (horizon: number) => (s: Slot) => s.end === undefined || s.end > now - horizon;
    if (this.app.length > 0 && !keep(this.appHorizon)(this.app[0] as Slot)) {
      const kept = this.app.filter(keep(this.appHorizon));
      this.app.length = 0;
      this.app.push(...kept);
    }
    if (++this.starts % 1000 === 0) {
      for (const [key, slots] of this.byKey) {
        const kept = slots.filter(keep(this.keyHorizon));
        if (kept.length === 0) this.byKey.delete(key);
        else if (kept.length !== slots.length) this.byKey.set(key, kept);
      }
    }
  }
}

export interface RetryPolicy {
  /** First backoff; doubles with every attempt. */
  baseMs: number;
  maxMs: number;
  /** ± share of the backoff drawn at random (0.2 = ±20%). */
  jitter: number;
  /** Attempts (the first send included) after which a retryable failure is given up as `other`. */
  maxAttempts: number;
}

/** The platform's advice (min 2 s, ±20 %), with more patience than its example's 3 tries: a throttled campaign must not lose people. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 2_000, maxMs: 5 * 60_000, jitter: 0.2, maxAttempts: 12 };

/**
 * How long to wait before attempt `attempt + 1`, after `attempt` attempts failed. Retry-After, when
 * the platform sent one, is a floor: the delay is never shorter, plus a little jitter so that
 * many throttled deliveries do not come back in the same millisecond.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
  policy: RetryPolicy = DEFAULT_RETRY,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) {
    return Math.round(retryAfterMs + random() * Math.min(1_000, retryAfterMs * policy.jitter));
  }
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - policy.jitter + 2 * policy.jitter * random()));
}

/** A failed call as the sender sees it (from ChannelCallFailed or any other error). */
export interface CallFailure {
  status: number | undefined;
  code: string | undefined;
  retryAfterMs: number | undefined;
  /** true when no answer came (connection refused or reset, timeout). */
  noAnswer: boolean;
  operation: 'createConversation' | 'send' | 'render' | 'other';
  detail: string;
}

export type Verdict = { retryInMs: number } | { fail: FailureReason; detail: string };

const RETRYABLE = new Set([412, 429, 502, 503, 504]);

/**
 * What to do after a failure: retry later (429, 412, 502, 503, 504, no answer) with backoff, or give
 * up with a reason (403 blocked or not installed, 404 no conversation, anything else `other`).
 */
export function judge(
  failure: CallFailure,
  attempts: number,
  random: () => number,
  policy: RetryPolicy = DEFAULT_RETRY,
): Verdict {
  const what =
    `${failure.operation}: ${failure.status ?? 'no answer'}${failure.code ? ` ${failure.code}` : ''} ${failure.detail}`.trim();
  const retryable = failure.noAnswer || (failure.status !== undefined && RETRYABLE.has(failure.status));
  if (retryable) {
    if (attempts >= policy.maxAttempts)
      return { fail: 'other', detail: `gave up after ${attempts} attempts; last ${what}` };
    return { retryInMs: retryDelayMs(attempts, failure.retryAfterMs, random, policy) };
  }
  if (failure.status === 403) {
    const notInstalled =
      failure.operation === 'createConversation' ||
      /BotNotInConversationRoster|NotInstalled|ForbiddenOperation/i.test(failure.code ?? '');
    return { fail: notInstalled ? 'notInstalled' : 'blocked', detail: what };
  }
  if (failure.status === 404) return { fail: 'noConversation', detail: what };
  return { fail: 'other', detail: what };
}
