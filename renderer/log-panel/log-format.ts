// How the log panel words and formats things: clock times, counts with their noun, download file names.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** HH:MM:SS.mmm in local time: a fixed width, so the time column stays aligned. */
export function formatClock(ts: number): string {
  if (!Number.isFinite(ts)) return '';
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** "1 line", "1,234 lines". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** tailwatch-YYYYMMDD-HHMMSS.log, in local time. */
export function downloadName(date: Date): string {
  const day = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
  return `tailwatch-${day}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}.log`;
}
