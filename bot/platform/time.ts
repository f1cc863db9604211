/**
 * Europe/Stockholm: the calendar day of an instant, and the instant of a Stockholm wall-clock time
 * (summer time included). (The yearly review keeps its own copies in review/rules.ts for now.)
 */
const TZ = 'Europe/Stockholm';
const dayFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: TZ, timeZoneName: 'longOffset' });

/** The Stockholm calendar day (yyyy-mm-dd) of an instant. */
export const stockholmDay = (at: Date): string => dayFormat.format(at);

/** The instant of a Stockholm wall-clock time (a card's date and time inputs), or undefined when malformed. */
export function stockholmToInstant(day: string, time: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  const guess = new Date(`${day}T${time}:00Z`);
  if (Number.isNaN(guess.getTime())) return undefined;
  const offset = offsetFormat.formatToParts(guess).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offset);
  const minutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return new Date(guess.getTime() - minutes * 60_000).toISOString();
}
