// A log row's time as the time column shows it, and the full time its tooltip gives. Today's lines show the
// clock only; older ones their date too ("Dec 04 04:15:00.000", the year in front when it is not this year's),
// each form one fixed width (zero-padded), so the column stays aligned. "Today" is in the zone shown.
import { currentTimeZone, isoWithOffset, pad, wallTime, zoneName, type TimeZoneChoice } from '../services/time-zone';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `day`: the date is shown; `year`: the year too. The time column is as wide as its widest row's form. */
export type TimeForm = 'clock' | 'day' | 'year';

export function formatLogTime(ts: number, now: number): { text: string; form: TimeForm } {
  if (!Number.isFinite(ts)) return { text: '', form: 'clock' };
  const w = wallTime(ts);
  const today = wallTime(now);
  const clock = `${pad(w.hours)}:${pad(w.minutes)}:${pad(w.seconds)}.${pad(w.ms, 3)}`;
  if (w.year !== today.year) return { text: `${pad(w.year, 4)}-${pad(w.month + 1)}-${pad(w.day)} ${clock}`, form: 'year' };
  if (w.month !== today.month || w.day !== today.day) return { text: `${MONTHS[w.month]} ${pad(w.day)} ${clock}`, form: 'day' };
  return { text: clock, form: 'clock' };
}

/**
 * The tooltip of a row's time: the full time with its offset and zone in the zone shown (and in the other one),
 * then where the line is, `path:seq` (seq is the server's line number for this run, see docs/protocol.md).
 */
export function timeTooltip(ts: number, path: string, seq: number): string {
  const shown = currentTimeZone();
  const other: TimeZoneChoice = shown === 'utc' ? 'local' : 'utc';
  const lines: string[] = [];
  if (Number.isFinite(ts)) {
    lines.push(`${isoWithOffset(ts, shown)} (${zoneName(shown)})`);
    // The same instant on the other clock, unless it reads the same (a browser set to UTC).
    if (isoWithOffset(ts, other) !== isoWithOffset(ts, shown)) lines.push(`${isoWithOffset(ts, other)} (${zoneName(other)})`);
  }
  lines.push(`${path}:${seq}`);
  return lines.join('\n');
}
