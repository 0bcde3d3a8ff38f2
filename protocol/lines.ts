// GET /api/lines: a source's lines from its files on disk, older than the live tail or in a gap (contract:
// "The whole log, beyond the live tail").
import type { LogLine } from './events';

/** At most this many lines in one answer. */
export const MAX_LINES_PER_ANSWER = 10_000;

/** Which lines: the `limit` just before `before` (older lines), or `from`..`to` (a gap, both included). */
export type LinesQuery = { source: string; before: number; limit: number } | { source: string; from: number; to: number };

export interface LinesAnswer {
  source: string;
  /** Oldest first, as in `log` events. */
  lines: LogLine[];
  /** The first of them is the oldest line still on disk (for `before`). */
  start: boolean;
}

/** Why no lines: `gone` (410) when they are no longer on disk, `not-found` (404) for an unknown source. */
export interface LinesRefusal {
  code: 'gone' | 'not-found';
  error: string;
}
