// Per-source counters and rates, for the dashboard's source list and the metrics' log-rate charts.
import type { LogLine } from '../../../protocol/events';

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
  private sampledAt = Date.now();
  private linesAtSample = 0;
  private errorsAtSample = 0;

  countBytes(bytes: number): void {
    this.bytes += bytes;
  }

  countLines(lines: readonly LogLine[], readAt: number): void {
    this.lines += lines.length;
    for (const line of lines) if (line.level === 'error' || line.level === 'fatal') this.errors++;
    this.lastLineAt = readAt;
  }

  /** Works out the rates since the last call (about once a second); true when they changed. */
  sample(now: number): boolean {
    const seconds = (now - this.sampledAt) / 1000;
    if (seconds <= 0) return false;
    const linesPerSec = round((this.lines - this.linesAtSample) / seconds);
    const errorsPerSec = round((this.errors - this.errorsAtSample) / seconds);
    this.sampledAt = now;
    this.linesAtSample = this.lines;
    this.errorsAtSample = this.errors;
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
