// The charts' day: the server's minute tier (GET /api/metrics/history?step=60, each minute's average) as rows
// of a store of its own, kept current by folding each live sample into the minute it falls in. Bounded as any
// MetricStore is: MINUTE_ROWS rows.
import { parseHistorySeriesKey, type CoarseHistory, type HistoryMetric } from '../../protocol/metrics-history';
import { MetricStore } from './metric-store';
import type { RowSink } from './sample-rows';

const MINUTE_MS = 60_000;
/** A day of minutes (the server's coarse tier), and the minute still filling at each end. */
export const MINUTE_ROWS = 24 * 60 + 2;

export function minuteStore(nameCaps: Readonly<Record<string, number>>): MetricStore {
  return new MetricStore({ nameCaps, rows: MINUTE_ROWS, stepMs: MINUTE_MS });
}

/**
 * Appends the minutes of a step-60 answer newer than the newest row, each series at its minute's average, for
 * the `charted` metrics. Returns how many samples the newest minute appended held (its weight when live samples
 * join it), or null when no minute was newer than the store's.
 */
export function appendMinuteHistory(store: MetricStore, history: CoarseHistory, charted: ReadonlySet<HistoryMetric>): number | null {
  const kept = Object.entries(history.series).filter(([key]) => charted.has(parseHistorySeriesKey(key).metric as HistoryMetric));
  let weight: number | null = null;
  history.ts.forEach((ts, row) => {
    if (!store.beginRow(ts)) return;
    weight = history.samples[row] ?? 0;
    for (const [key, { avg }] of kept) {
      const value = avg[row];
      if (typeof value === 'number') store.set(key, value);
    }
  });
  return weight;
}

/**
 * Takes live samples as a RowSink and keeps the newest minute row of `store` at the average of its samples.
 * A minute begun by the history answer counts its samples there (`continueFrom`) as its starting weight.
 */
export class MinuteFolder implements RowSink {
  private minute = NaN;
  /** Per key of the current minute: the sum and count of its samples. */
  private sums = new Map<string, { sum: number; count: number }>();
  /** Samples the history's newest minute held, for keys live samples have not touched yet. */
  private seedWeight = 0;
  /** The newest sample folded: a replayed one is not counted twice. */
  private lastTs = -Infinity;

  constructor(private readonly store: MetricStore) {}

  /** The store now ends with the history's newest minute, holding `weight` samples up to sample time `lastTs`. */
  continueFrom(weight: number, lastTs: number): void {
    this.minute = this.store.size === 0 ? NaN : this.store.lastTs;
    this.sums.clear();
    this.seedWeight = weight;
    this.lastTs = Number.isFinite(lastTs) ? lastTs : -Infinity;
  }

  beginRow(ts: number): boolean {
    if (!Number.isFinite(ts) || ts <= this.lastTs) return false;
    this.lastTs = ts;
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    if (minute === this.minute) return true;
    if (!this.store.beginRow(minute)) return false;
    this.minute = minute;
    this.sums.clear();
    this.seedWeight = 0;
    return true;
  }

  set(key: string, value: number): void {
    if (!Number.isFinite(value)) return;
    let entry = this.sums.get(key);
    if (entry === undefined) {
      const before = this.store.latest(key);
      entry = this.seedWeight > 0 && Number.isFinite(before) ? { sum: before * this.seedWeight, count: this.seedWeight } : { sum: 0, count: 0 };
      this.sums.set(key, entry);
    }
    entry.sum += value;
    entry.count++;
    this.store.set(key, entry.sum / entry.count);
  }
}
