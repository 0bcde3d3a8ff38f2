// Which clock the page shows times in: the browser's zone or UTC (Settings → Times). Every time the page
// prints (log rows and their tooltips, the charts' axis and tooltips, file names) reads the wall-clock parts
// here, so one switch moves them all. The choice is module state, set from the settings before any view draws.

export type TimeZoneChoice = 'local' | 'utc';

/** The part of SettingsStore read here (that module needs the DOM's types; this one is also used in Node tests). */
interface ZoneSetting {
  readonly value: { readonly timeZone: TimeZoneChoice };
  onChange(listener: (value: { readonly timeZone: TimeZoneChoice }, changed: ReadonlySet<string>) => void): unknown;
}

let zone: TimeZoneChoice = 'local';

/** Takes the zone from the settings now and whenever it changes (call before the views subscribe, so they draw with it). */
export function followTimeZone(settings: ZoneSetting): void {
  zone = settings.value.timeZone;
  settings.onChange((value, changed) => {
    if (changed.has('timeZone')) zone = value.timeZone;
  });
}

export function currentTimeZone(): TimeZoneChoice {
  return zone;
}

/** For tests and for the one-off formatting of another zone. */
export function setTimeZone(choice: TimeZoneChoice): void {
  zone = choice;
}

export interface WallTime {
  year: number;
  /** 0 … 11 */
  month: number;
  day: number;
  hours: number;
  minutes: number;
  seconds: number;
  ms: number;
}

/** The calendar and clock of `ts` in `choice` (the page's zone unless told). */
export function wallTime(ts: number, choice: TimeZoneChoice = zone): WallTime {
  const d = new Date(ts);
  return choice === 'utc'
    ? { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), hours: d.getUTCHours(), minutes: d.getUTCMinutes(), seconds: d.getUTCSeconds(), ms: d.getUTCMilliseconds() }
    : { year: d.getFullYear(), month: d.getMonth(), day: d.getDate(), hours: d.getHours(), minutes: d.getMinutes(), seconds: d.getSeconds(), ms: d.getMilliseconds() };
}

/** How far the zone's clock is ahead of UTC at `ts`, in ms (0 in UTC; DST included). */
export function zoneOffsetMs(ts: number, choice: TimeZoneChoice = zone): number {
  return choice === 'utc' ? 0 : -new Date(ts).getTimezoneOffset() * 60_000;
}

let localName: string | undefined;

/** "Europe/Berlin", or "UTC". */
export function zoneName(choice: TimeZoneChoice = zone): string {
  if (choice === 'utc') return 'UTC';
  // Read once: a formatter costs far more than the row whose tooltip asks.
  localName ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  return localName;
}

export const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** ISO 8601 with the zone's offset: "2026-12-04T04:15:00.000+01:00" ("+00:00" in UTC). */
export function isoWithOffset(ts: number, choice: TimeZoneChoice = zone): string {
  const w = wallTime(ts, choice);
  const offset = zoneOffsetMs(ts, choice) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${pad(w.year, 4)}-${pad(w.month + 1)}-${pad(w.day)}T${pad(w.hours)}:${pad(w.minutes)}:${pad(w.seconds)}.${pad(w.ms, 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
