// How alerts read: a log line as a notification shows it, and durations in words.
import { INVISIBLE_IN_LINES, codePointMark } from '../../protocol/visible-text';

/** The matched line is cut to about this many characters in a notification. */
const SHOWN_LINE_CHARS = 200;

/**
 * A log line as a notification shows it: without terminal escapes and control characters, its bidi and
 * zero-width characters as `⟨U+XXXX⟩`, cut short.
 */
export function shownLine(text: string): string {
  // Cut before cleaning (with room for the escapes removed) so a 64 KiB line is not copied whole.
  const head = text.slice(0, SHOWN_LINE_CHARS * 2);
  const clean = head
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .replace(INVISIBLE_IN_LINES, codePointMark)
    .trim();
  if (clean.length <= SHOWN_LINE_CHARS && head.length === text.length) return clean;
  let end = Math.min(clean.length, SHOWN_LINE_CHARS - 1);
  // Not between the halves of a surrogate pair.
  if (/[\ud800-\udbff]/.test(clean.charAt(end - 1))) end--;
  return `${clean.slice(0, end)}…`;
}

/** `45 s`, `3 min`, `2 h`: whole units, the largest that still reads as at least two of it. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}
