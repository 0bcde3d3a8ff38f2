// Per-source counters and rates, for the dashboard's source list and the metrics' log-rate charts.
//
// A line counts in the rate at its own time (the `ts` its text gave, else when it was read), not when it was
// read: a file read whole at start, or lines caught up after a pause, would otherwise show as thousands of
// lines a second that never happened. The page cannot do this itself: it sees only the sources it selected and
// the server's history, while every line passes here. Lines read as history (a backfill: what a file held when
// the server found it) never count. A line read late (a writer that buffers, a slow mount), whose second has
// left the window, counts when it was read, as a line stamped ahead of our clock does; one read more than
// LATE_LINE_MS after its own time is catch-up and counts nowhere.
import type { LogLine } from '../../../protocol/events';
import { RATE_WINDOW_SAMPLES } from './limits';

export interface SourceStatsSnapshot {
  bytes: number;
  errors: number;
  linesPerSec: number;
  errorsPerSec: number;
  lastLineAt?: number;
}

const SECOND_MS = 1000;
/** A live line read up to this long after its own time still counts (late); older ones are catch-up. */
export const LATE_LINE_MS = 60_000;

export class SourceStats {
  private bytes = 0;
  private errors = 0;
  private lastLineAt: number | undefined;
  private linesPerSec = 0;
  private errorsPerSec = 0;
  /**
   * Lines and errors by the second of their own time (ms / 1000, floored), for the seconds in the rate
   * window and the one being filled: at most RATE_WINDOW_SAMPLES + 2 entries.
   */
  private readonly bySecond = new Map<number, { lines: number; errors: number }>();

  countBytes(bytes: number): void {
    this.bytes += bytes;
  }

  /** `history`: the lines were what the file held when it was found (a backfill), not activity. */
  countLines(lines: readonly LogLine[], readAt: number, history = false): void {
    const count = this.lineCounter(readAt, history);
    for (const line of lines) count(line.ts, line.level === 'error' || line.level === 'fatal');
    this.lastLineAt = readAt;
  }

  /** The same for lines the line kernel wrote: `count` of them, their times, and which are errors. */
  countTimes(times: Float64Array, isError: (i: number) => boolean, count: number, readAt: number, history = false): void {
    const countLine = this.lineCounter(readAt, history);
    for (let i = 0; i < count; i++) countLine(times[i]!, isError(i));
    this.lastLineAt = readAt;
  }

  /** Counts the lines of one batch, one call each, in the bucket of each line's second. */
  private lineCounter(readAt: number, history: boolean): (ts: number, error: boolean) => void {
    const newest = Math.floor(readAt / SECOND_MS);
    // The oldest second the next sample still reports.
    const earliest = newest + 1 - RATE_WINDOW_SAMPLES;
    let lastSecond = Number.NaN;
    let lastBucket: { lines: number; errors: number } | undefined;
    return (ts, error) => {
      if (error) this.errors++;
      if (history) return;
      // A time ahead of the read (a clock ahead of ours) counts now.
      let second = Math.min(newest, Math.floor(ts / SECOND_MS));
      if (!(second >= earliest)) {
        if (!(readAt - ts <= LATE_LINE_MS)) return;
        second = newest;
      }
      // Lines come in runs of the same second: the last bucket is the likely one.
      let bucket = second === lastSecond ? lastBucket : this.bySecond.get(second);
      if (bucket === undefined) this.bySecond.set(second, (bucket = { lines: 0, errors: 0 }));
      lastSecond = second;
      lastBucket = bucket;
      bucket.lines++;
      if (error) bucket.errors++;
    };
  }

  /**
   * Called about once a second: the rates over the last RATE_WINDOW_SAMPLES whole seconds (by the lines' own
   * time), so a short burst stays visible for a few seconds whatever the update throttling. True when they changed.
   */
  sample(now: number): boolean {
    const current = Math.floor(now / SECOND_MS);
    let lines = 0;
    let errors = 0;
    for (const [second, bucket] of this.bySecond) {
      if (second < current - RATE_WINDOW_SAMPLES) this.bySecond.delete(second);
      else if (second < current) {
        lines += bucket.lines;
        errors += bucket.errors;
      }
    }
    const linesPerSec = round(lines / RATE_WINDOW_SAMPLES);
    const errorsPerSec = round(errors / RATE_WINDOW_SAMPLES);
    const changed = linesPerSec !== this.linesPerSec || errorsPerSec !== this.errorsPerSec;
    this.linesPerSec = linesPerSec;
    this.errorsPerSec = errorsPerSec;
    return changed;
  }

  snapshot(): SourceStatsSnapshot {
    const snapshot: SourceStatsSnapshot = {
      bytes: this.bytes,
      errors: this.errors,
      linesPerSec: this.linesPerSec,
      errorsPerSec: this.errorsPerSec,
    };
    if (this.lastLineAt !== undefined) snapshot.lastLineAt = this.lastLineAt;
    return snapshot;
  }
}

/** Two decimals: enough for a rate, and stable enough that a quiet source does not look changed. */
function round(rate: number): number {
  return Math.round(rate * 100) / 100;
}
