// Where a source's lines are on disk: a sparse map from seq to (file, byte offset), noted as lines are read,
// so older lines and the lines of a gap can be read again from the files in time that follows the lines
// asked for, not the file's size. A checkpoint is noted where the content changes and every
// LINES_PER_CHECKPOINT lines; pages read backwards before the first line add their own.
import type { Content, EventHead } from './content';
import type { EventContinuation } from './event-continuation';

/** A rotated file older than every content read in this run (`app.log.1`, `app.log.2.gz`), found by paging back. */
export interface RotatedFile {
  path: string;
  /** dev:ino when found: it must still be the same file when read again. */
  key: string;
  mtimeMs: number;
  /** Read through gunzip (offsets are in its uncompressed bytes). */
  gz: boolean;
  /** The followed path it is a rotation of. */
  base: string;
}

/** The bytes a checkpoint's lines are in: a content read in this run, or an older rotated file. */
export type HistoryFile = { content: Content } | { rotated: RotatedFile };

/** A line of the source starts here; lines after it (up to the next checkpoint) follow it in the same file. */
export interface Checkpoint {
  seq: number;
  file: HistoryFile;
  offset: number;
  /** The time of the last line before it that had one (lines without a time of their own get it). */
  lastOwnTs: number | null;
  /** The event open before it (a trace it may be in the middle of), when it was noted as lines were read. */
  events?: EventContinuation;
  head?: EventHead | null;
}

/** At most one checkpoint per this many lines of one content: reading from one costs at most that many extra lines. */
export const LINES_PER_CHECKPOINT = 1000;

/**
 * Checkpoints kept per source: 4,096 of a few hundred bytes (at least 4 million lines back). Past it the oldest go,
 * and lines before the oldest left are no longer reachable (`gone`).
 */
export const CHECKPOINTS_KEPT = 4096;

export class LineIndex {
  /** In seq order. */
  private readonly points: Checkpoint[] = [];

  /** The line `seq` (the next to be read) starts at `offset` in `content`: noted when useful. */
  noteNext(seq: number, content: Content, offset: number | null): void {
    const last = this.points.at(-1);
    const same = last !== undefined && 'content' in last.file && last.file.content === content;
    if (offset === null || (same && seq - last.seq < LINES_PER_CHECKPOINT)) return;
    if (last && last.seq >= seq) return; // a content started over without a line read: nothing to note
    this.points.push({ seq, file: { content }, offset, lastOwnTs: content.lastOwnTs, events: content.events.copy(), head: content.head && { ...content.head } });
    if (this.points.length > CHECKPOINTS_KEPT) this.points.shift();
  }

  /** A page read before the first checkpoint: the line `seq` starts at `offset` in `file`. */
  noteEarlier(seq: number, file: HistoryFile, offset: number): void {
    const first = this.points[0];
    if (!first || seq >= first.seq) return;
    if (this.points.length >= CHECKPOINTS_KEPT) return; // keeps the newest: paging back far stops here
    this.points.unshift({ seq, file, offset, lastOwnTs: null });
  }

  get first(): Checkpoint | undefined {
    return this.points[0];
  }

  /** The last checkpoint at or before `seq`, and the one after it (undefined: none). */
  around(seq: number): { at: Checkpoint; next: Checkpoint | undefined } | undefined {
    let lo = 0;
    let hi = this.points.length - 1;
    if (hi < 0 || this.points[0]!.seq > seq) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.points[mid]!.seq <= seq) lo = mid;
      else hi = mid - 1;
    }
    return { at: this.points[lo]!, next: this.points[lo + 1] };
  }
}
