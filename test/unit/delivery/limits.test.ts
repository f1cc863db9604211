/** The sender's rules without I/O: rate windows on a fake clock, backoff, and which failures are retried. */
import {
  type CallFailure,
  judge,
  RateWindows,
  retryDelayMs,
  TEAMS_RATE_RULES,
} from '../../../bot/platform/delivery/limits';

/** Sends as fast as the windows allow, on a fake clock, each call answered `latencyMs` later. Returns the start times. */
function simulate(windows: RateWindows, keys: string[], latencyMs: number): number[] {
  let now = 0;
  const starts: number[] = [];
  for (const key of keys) {
    let wait = windows.wait(key, now);
    while (wait > 0) {
      now += Number.isFinite(wait) ? wait : 1;
      wait = windows.wait(key, now);
    }
    const token = windows.start(key, now);
    starts.push(now);
    windows.finish(token, now + latencyMs);
  }
  return starts;
}

/** The most calls any window of `windowMs` (as the channel counts: arrivals within (t - window, t]) saw. */
function busiest(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && (times[j] as number) - (times[i] as number) < windowMs; j++) n++;
    most = Math.max(most, n);
  }
  return most;
}

describe('rate windows', () => {
  test('one conversation gets at most 7 a second, 8 in 2 s and 60 in 30 s', () => {
    const starts = simulate(new RateWindows(TEAMS_RATE_RULES, 0), Array(200).fill('p1'), 0);
    expect(busiest(starts, 1_000)).toBeLessThanOrEqual(7);
    expect(busiest(starts, 2_000)).toBeLessThanOrEqual(8);
    expect(busiest(starts, 30_000)).toBeLessThanOrEqual(60);
    // and not much slower than that: 200 sends at 60 per 30 s take a little over 90 s
    expect(starts[199]).toBeLessThan(100_000);
  });

  test('one conversation gets at most 1800 in an hour', () => {
    const rules = TEAMS_RATE_RULES.filter((r) => r.windowMs === 3_600_000);
    const starts = simulate(new RateWindows(rules, 0), Array(1_801).fill('p1'), 0);
    expect(starts[1_799]).toBe(0);
    expect(starts[1_800]).toBe(3_600_000);
  });

  test('the app makes at most 50 calls a second over many conversations, and close to 50', () => {
    const keys = Array.from({ length: 1_000 }, (_, i) => `p${i}`);
    const starts = simulate(new RateWindows(TEAMS_RATE_RULES, 0), keys, 20);
    expect(busiest(starts, 1_000)).toBe(50);
    const perSecond = 1_000 / ((starts[999] as number) / 1_000);
    expect(perSecond).toBeGreaterThan(45);
  });

  test('a call counts until a window after its answer, so a slow answer cannot let the channel see too many', () => {
    const windows = new RateWindows([{ scope: 'app', windowMs: 1_000, max: 2 }], 0);
    const a = windows.start('x', 0);
    windows.start('y', 0); // never answered
    expect(windows.wait('z', 5_000)).toBe(Number.POSITIVE_INFINITY);
    windows.finish(a, 800);
    expect(windows.wait('z', 1_000)).toBe(800);
    expect(windows.wait('z', 1_800)).toBe(0);
  });

  test('a busy conversation does not hold up another one', () => {
    const windows = new RateWindows(TEAMS_RATE_RULES, 0);
    for (let i = 0; i < 7; i++) windows.finish(windows.start('busy', 0), 0);
    expect(windows.wait('busy', 10)).toBe(990);
    expect(windows.wait('other', 10)).toBe(0);
    expect(windows.wait('busy', 10, 'app')).toBe(0);
  });
});

const failure = (over: Partial<CallFailure>): CallFailure => ({
  status: undefined,
  code: undefined,
  retryAfterMs: undefined,
  noAnswer: false,
  operation: 'send',
  detail: '',
  ...over,
});

describe('retries', () => {
  const half = () => 0.5;

  test('backoff doubles from 2 s, with ±20% jitter, up to the cap', () => {
    expect(retryDelayMs(1, undefined, half)).toBe(2_000);
    expect(retryDelayMs(2, undefined, half)).toBe(4_000);
    expect(retryDelayMs(3, undefined, () => 0)).toBe(6_400);
    expect(retryDelayMs(3, undefined, () => 1)).toBe(9_600);
    expect(retryDelayMs(20, undefined, half)).toBe(300_000);
  });

  test('Retry-After is a floor, never shortened by jitter', () => {
    expect(retryDelayMs(1, 7_000, () => 0)).toBe(7_000);
    expect(retryDelayMs(1, 7_000, () => 1)).toBe(8_000);
    expect(retryDelayMs(5, 500, () => 1)).toBe(600);
  });

  test.each([429, 412, 502, 503, 504])('%i is retried', (status) => {
    expect(judge(failure({ status, retryAfterMs: 3_000 }), 1, () => 0)).toEqual({ retryInMs: 3_000 });
  });

  test('no answer at all is retried; retryable failures are given up after the last attempt', () => {
    expect(judge(failure({ noAnswer: true }), 1, () => 0.5)).toEqual({ retryInMs: 2_000 });
    expect(judge(failure({ status: 429 }), 12, () => 0.5)).toMatchObject({ fail: 'other' });
  });

  test('403 and 404 are failures with their reason, not retried', () => {
    expect(judge(failure({ status: 403, code: 'ConversationBlockedByUser' }), 1, Math.random)).toMatchObject({
      fail: 'blocked',
    });
    expect(judge(failure({ status: 403, code: 'BotNotInConversationRoster' }), 1, Math.random)).toMatchObject(
      { fail: 'notInstalled' },
    );
    expect(judge(failure({ status: 403, operation: 'createConversation' }), 1, Math.random)).toMatchObject({
      fail: 'notInstalled',
    });
    expect(judge(failure({ status: 404, code: 'ConversationNotFound' }), 1, Math.random)).toMatchObject({
      fail: 'noConversation',
    });
    expect(judge(failure({ status: 400, code: 'BadArgument' }), 1, Math.random)).toMatchObject({
      fail: 'other',
    });
    expect(judge(failure({ status: 413 }), 1, Math.random)).toMatchObject({ fail: 'other' });
  });
});
