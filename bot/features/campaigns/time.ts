/** Local times in Europe/Stockholm (what authors type in the composer) to and from instants. */
const ZONE = 'Europe/Stockholm';

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

function localParts(instant: Date): { date: string; time: string; asUtcMs: number } {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  const date = `${p.year}-${p.month}-${p.day}`;
  const time = `${p.hour}:${p.minute}`;
  return { date, time, asUtcMs: Date.parse(`${date}T${time}:${p.second}Z`) };
}

/** "2026-12-01" + "09:30" in Stockholm → ISO instant; undefined when the date or time is not real. */
export function stockholmToInstant(date: string, time: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  const wanted = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(wanted)) return undefined;
  // the offset is +1 h or +2 h; correct twice so that days when the clock changes land right
  let guess = wanted;
  for (let i = 0; i < 2; i++) guess += wanted - localParts(new Date(guess)).asUtcMs;
  const back = localParts(new Date(guess));
  // a time that does not exist (the spring-forward hour) or a date such as 2026-02-30
  if (back.date !== date || back.time !== time) return undefined;
  return new Date(guess).toISOString();
}

/** An instant as the date and time a person in Stockholm reads. */
export function instantToStockholm(iso: string): { date: string; time: string } {
  const { date, time } = localParts(new Date(iso));
  return { date, time };
}

/** The Stockholm calendar day of an instant, "2026-11-22". */
export const stockholmDay = (iso: string): string => localParts(new Date(iso)).date;
