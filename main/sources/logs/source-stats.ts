// Per-source counters and rates, for the dashboard's source list and the metrics' log-rate charts.
import type { LogLine } from '../../../protocol/events';
import { RATE_WINDOW_SAMPLES } from './limits';

export interface SourceStatsSnapshot {
  bytes: number;
  errors: number;
  linesPerSec: number;
  errorsPerSec: number;
  lastLineAt?: number;
}

export class SourceStats {
  private lines = 0;
  private bytes = 0;
  private errors = 0;
  private lastLineAt: number | undefined;
  private linesPerSec = 0;
  private errorsPerSec = 0;
  /** Counters at the last RATE_WINDOW_SAMPLES + 1 samples, oldest first: rates are over that window. */
  private readonly samples: { at: number; lines: number; errors: number }[] = [{ at: Date.now(), lines: 0, errors: 0 }];

  countBytes(bytes: number): void {
    this.bytes += bytes;
  }

  countLines(lines: readonly LogLine[], readAt: number): void {
    this.lines += lines.length;
    for (const line of lines) if (line.level === 'error' || line.level === 'fatal') this.errors++;
    this.lastLineAt = readAt;
  }

  /** Rates count from now: what was counted so far (a backfill) is not activity. */
  restartRates(now: number): void {
    this.samples.splice(0, this.samples.length, { at: now, lines: this.lines, errors: this.errors });
  }

  /**
   * Called about once a second: works out the rates over the last few samples, so a short burst stays
   * visible for a few seconds whatever the update throttling. True when they changed.
   */
  sample(now: number): boolean {
    const oldest = this.samples[0]!;
    const seconds = (now - oldest.at) / 1000;
    if (seconds <= 0) return false;
    const linesPerSec = round((this.lines - oldest.lines) / seconds);
    const errorsPerSec = round((this.errors - oldest.errors) / seconds);
    this.samples.push({ at: now, lines: this.lines, errors: this.errors });
    if (this.samples.length > RATE_WINDOW_SAMPLES + 1) this.samples.shift();
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
