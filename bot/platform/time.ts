/**
 * Time as the organisation reads it: calendar days and wall-clock times in Europe/Stockholm, and
 * the instants they stand for. The one place that knows about the zone and its clock changes
 * (summer time starts on the last Sunday of March, 02:00 → 03:00, and ends on the last Sunday of
 * October, 03:00 → 02:00). Days are "yyyy-mm-dd" strings; instants are Dates or ISO strings.
 */
export const ZONE = 'Europe/Stockholm';

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;

const toDate = (instant: Date | string): Date => (typeof instant === 'string' ? new Date(instant) : instant);

/** The Stockholm wall clock at an instant, and that wall clock read as if it were UTC (for offsets). */
function localParts(instant: Date): { day: string; time: string; asUtcMs: number } {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  const day = `${p.year}-${p.month}-${p.day}`;
  const time = `${p.hour}:${p.minute}`;
  return { day, time, asUtcMs: Date.parse(`${day}T${time}:${p.second}Z`) };
}

/** Whether `day` is a real calendar day ("2026-02-30" is not). */
export function isValidDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** The Stockholm calendar day of an instant, "2026-11-22". */
export const stockholmDay = (instant: Date | string): string => localParts(toDate(instant)).day;

/** An instant as the day and time ("09:30") a person in Stockholm reads. */
export function instantToStockholm(instant: Date | string): { date: string; time: string } {
  const { day, time } = localParts(toDate(instant));
  return { date: day, time };
}

/** The instant whose Stockholm wall clock reads `day` `hh:mm`, corrected twice for the zone's offset. */
function resolve(day: string, hour: number, minute: number): number {
  const wanted = Date.parse(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`);
  let guess = wanted;
  for (let i = 0; i < 2; i++) guess += wanted - localParts(new Date(guess)).asUtcMs;
  return guess;
}

/**
 * The instant of `hour`:`minute` Stockholm time on `day`, summer and winter time alike (08:00 is
 * 07:00Z in winter and 06:00Z in summer). For the spring-forward gap and the repeated autumn hour,
 * use `stockholmToInstant`, which refuses a time that does not exist.
 */
export function stockholmTime(day: string, hour: number, minute = 0): Date {
  return new Date(resolve(day, hour, minute));
}

/**
 * "2026-12-01" + "09:30" typed by a person in Stockholm → ISO instant; undefined when the day or the
 * time is not real (2026-02-30, or 02:30 on the morning the clocks go forward).
 */
export function stockholmToInstant(day: string, time: string): string | undefined {
  if (!isValidDay(day) || !TIME.test(time)) return undefined;
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  if (hour > 23 || minute > 59) return undefined;
  const instant = new Date(resolve(day, hour, minute));
  const back = localParts(instant);
  if (back.day !== day || back.time !== time) return undefined;
  return instant.toISOString();
}

/** The day `days` after (or before, when negative) `day`: calendar days, never 24-hour steps. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The day `years` on; 29 February becomes 28 February in a common year. */
export function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}
