import { retryAfterMs, retryDelayMs, retryPolicy } from '../../../bot/platform/graph/retry';

test('Retry-After in seconds or as an HTTP date is honoured, with at most 10% jitter on top', () => {
  expect(retryAfterMs('3')).toBe(3000);
  expect(retryAfterMs('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(
    5000,
  );
  expect(retryAfterMs('soon')).toBeUndefined();
  expect(retryDelayMs(0, '2', { random: () => 0 })).toBe(2000);
  expect(retryDelayMs(0, '2', { random: () => 1 })).toBe(2200);
});

test('without Retry-After the wait grows exponentially with full jitter, and is capped', () => {
  expect(retryDelayMs(0, null, { random: () => 1 })).toBe(retryPolicy.baseMs);
  expect(retryDelayMs(3, null, { random: () => 1 })).toBe(retryPolicy.baseMs * 8);
  expect(retryDelayMs(3, null, { random: () => 0.5 })).toBe(retryPolicy.baseMs * 4);
  expect(retryDelayMs(30, null, { random: () => 1 })).toBe(retryPolicy.capMs);
  expect(retryDelayMs(0, '99999', { random: () => 0 })).toBe(retryPolicy.capMs);
});
