// What `serve` says at start about what it follows: the summary line (how many files, which of them are not
// there yet). Worked out from the sources after their first scan; the tailer is asked nothing more.
// The lines are for a terminal: paths are shown with visibleName (no escape or bidi override acts).
import type { SourceInfo } from '../../protocol/events';
import { visibleName } from '../../protocol/visible-text';

/** Waiting files named in the summary line; more are only counted. */
const WAITING_NAMED = 3;

/** `following 3 files (1 waiting: /var/log/missing.log)`. */
export function followingLine(sources: readonly SourceInfo[]): string {
  const n = sources.length;
  const waiting = sources.filter((s) => s.state === 'waiting').map((s) => s.path);
  let line = `following ${n} file${n === 1 ? '' : 's'}`;
  if (waiting.length > 0) {
    const more = waiting.length > WAITING_NAMED ? ` and ${waiting.length - WAITING_NAMED} more` : '';
    line += ` (${waiting.length} waiting: ${waiting.slice(0, WAITING_NAMED).join(', ')}${more})`;
  }
  return visibleName(line);
}
