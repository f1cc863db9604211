import {
  addDays,
  addYears,
  instantToStockholm,
  isValidDay,
  stockholmDay,
  stockholmTime,
  stockholmToInstant,
} from '../../../bot/platform/time';

// 2026: summer time starts Sunday 29 March (02:00 → 03:00) and ends Sunday 25 October (03:00 → 02:00)

describe('Stockholm time around the spring change (last Sunday of March)', () => {
  test('08:00 is 07:00Z the day before and 06:00Z on the day itself', () => {
    expect(stockholmTime('2026-03-28', 8).toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(stockholmTime('2026-03-29', 8).toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(stockholmToInstant('2026-03-29', '08:00')).toBe('2026-03-29T06:00:00.000Z');
  });

  test('02:30 on the morning the clocks go forward does not exist, 01:59 and 03:00 do', () => {
    expect(stockholmToInstant('2026-03-29', '02:30')).toBeUndefined();
    expect(stockholmToInstant('2026-03-29', '01:59')).toBe('2026-03-29T00:59:00.000Z');
    expect(stockholmToInstant('2026-03-29', '03:00')).toBe('2026-03-29T01:00:00.000Z');
  });

  test('the day changes at Stockholm midnight, not UTC midnight', () => {
    expect(stockholmDay(new Date('2026-03-28T22:59:59Z'))).toBe('2026-03-28');
    expect(stockholmDay('2026-03-28T23:00:00Z')).toBe('2026-03-29');
    expect(stockholmDay('2026-03-29T21:59:59Z')).toBe('2026-03-29');
    expect(stockholmDay('2026-03-29T22:00:00Z')).toBe('2026-03-30');
  });

  test('adding days across the change keeps the wall clock: a day has 23 hours here', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    const before = stockholmTime('2026-03-28', 8);
    const after = stockholmTime(addDays('2026-03-28', 1), 8);
    expect(after.getTime() - before.getTime()).toBe(23 * 3_600_000);
    expect(instantToStockholm(after)).toEqual({ date: '2026-03-29', time: '08:00' });
  });
});

describe('Stockholm time around the autumn change (last Sunday of October)', () => {
  test('08:00 is 06:00Z the day before and 07:00Z on the day itself', () => {
    expect(stockholmTime('2026-10-24', 8).toISOString()).toBe('2026-10-24T06:00:00.000Z');
    expect(stockholmTime('2026-10-25', 8).toISOString()).toBe('2026-10-25T07:00:00.000Z');
    expect(stockholmToInstant('2026-10-25', '08:00')).toBe('2026-10-25T07:00:00.000Z');
  });

  test('the repeated hour reads back as the time typed', () => {
    const instant = stockholmToInstant('2026-10-25', '02:30');
    expect(instant).toBeDefined();
    expect(instantToStockholm(instant as string)).toEqual({ date: '2026-10-25', time: '02:30' });
  });

  test('the day changes at Stockholm midnight on both sides of the change', () => {
    expect(stockholmDay('2026-10-24T21:59:59Z')).toBe('2026-10-24');
    expect(stockholmDay('2026-10-24T22:00:00Z')).toBe('2026-10-25');
    expect(stockholmDay('2026-10-25T22:59:59Z')).toBe('2026-10-25');
    expect(stockholmDay('2026-10-25T23:00:00Z')).toBe('2026-10-26');
  });

  test('adding days across the change keeps the wall clock: a day has 25 hours here', () => {
    const before = stockholmTime('2026-10-24', 8);
    const after = stockholmTime(addDays('2026-10-24', 1), 8);
    expect(after.getTime() - before.getTime()).toBe(25 * 3_600_000);
    expect(addDays('2026-10-26', -2)).toBe('2026-10-24');
  });
});

describe('days', () => {
  test('an impossible day or time is refused', () => {
    expect(isValidDay('2026-02-30')).toBe(false);
    expect(isValidDay('2028-02-29')).toBe(true);
    expect(stockholmToInstant('2026-02-30', '09:00')).toBeUndefined();
    expect(stockholmToInstant('2026-12-01', '24:00')).toBeUndefined();
    expect(stockholmToInstant('2026-12-01', '9:00')).toBeUndefined();
  });

  test('adding days crosses months and years; adding years keeps 29 February to 28 February', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addYears('2025-03-18', 2)).toBe('2027-03-18');
  });
});
