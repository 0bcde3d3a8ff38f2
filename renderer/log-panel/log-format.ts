// How the log panel words and formats things: clock times, counts with their noun, download file names.
import { currentTimeZone, pad, wallTime } from '../services/time-zone';

/** HH:MM:SS.mmm in the zone shown (local or UTC): a fixed width, so the time column stays aligned. */
export function formatClock(ts: number): string {
  if (!Number.isFinite(ts)) return '';
  const w = wallTime(ts);
  return `${pad(w.hours)}:${pad(w.minutes)}:${pad(w.seconds)}.${pad(w.ms, 3)}`;
}

/** "1 line", "1,234 lines". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** tailwatch-YYYYMMDD-HHMMSS.log in the zone shown; a `Z` after the time when that is UTC. */
export function downloadName(date: Date): string {
  const w = wallTime(date.getTime());
  const zone = currentTimeZone() === 'utc' ? 'Z' : '';
  return `tailwatch-${w.year}${pad(w.month + 1)}${pad(w.day)}-${pad(w.hours)}${pad(w.minutes)}${pad(w.seconds)}${zone}.log`;
}
