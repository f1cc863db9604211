/**
 * The one retry policy for every Graph call (and any other Microsoft 365 call that wants it):
 * 429, 503 and 504 are retried; Retry-After is honoured when the server sends it (seconds or an
 * HTTP date), otherwise exponential backoff with full jitter. Throttled attempts count against the
 * limits too, so the number of attempts is bounded.
 */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  /** First backoff step when the server gives no Retry-After. */
  baseMs: number;
  /** No single wait is longer than this. */
  capMs: number;
  statuses: readonly number[];
}

export const retryPolicy: RetryPolicy = {
  attempts: 8,
  baseMs: 500,
  capMs: 60_000,
  statuses: [429, 503, 504],
};

export const isRetryable = (status: number, policy: RetryPolicy = retryPolicy): boolean =>
  policy.statuses.includes(status);

/** Parses Retry-After (delta-seconds or an HTTP date) into milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 0). With Retry-After: that long
 * plus up to 10% jitter, so that many waiting callers do not come back in the same instant.
 * Without: full jitter over base·2^attempt.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null | undefined,
  options: { policy?: RetryPolicy; random?: () => number; now?: number } = {},
): number {
  const policy = options.policy ?? retryPolicy;
  const random = options.random ?? Math.random;
  const told = retryAfterMs(retryAfter, options.now);
  if (told !== undefined) return Math.min(policy.capMs, Math.round(told * (1 + 0.1 * random())));
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return Math.round(ceiling * random());
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
