// Turns a live `metrics` sample, or the history answer, into rows of the charts' store, under the series keys
// of the history protocol (`cpu.total`, `cpu.core:3`, `net.rx:eth0`, `logs.lines:<id>`): live and past data
// then are one kind of column.
import type { MetricsData } from '../../protocol/events';
import {
  HISTORY_NAME_CAPS,
  historySeriesKey,
  parseHistorySeriesKey,
  type FineHistory,
  type HistoryFixedSeries,
  type HistoryMetric,
  type HistoryNamedSeries,
} from '../../protocol/metrics-history';
import type { MetricStore } from './metric-store';

/** A live sample's value of each fixed series the charts read (undefined: none in this sample), as the history keys it. */
const FIXED_VALUES: readonly (readonly [HistoryFixedSeries, (sample: MetricsData) => number | undefined])[] = [
  ['cpu.total', (s) => s.cpu.total],
  ['mem.total', (s) => s.mem.total],
  ['mem.used', (s) => s.mem.used],
  ['mem.cached', (s) => s.mem.cached],
  ['mem.swapTotal', (s) => s.mem.swapTotal],
  ['mem.swapUsed', (s) => s.mem.swapUsed],
  ['load.1', (s) => s.load[0]],
  ['load.5', (s) => s.load[1]],
  ['load.15', (s) => s.load[2]],
];

/** Where a sample's rows go: a store, or something that folds them into one (MinuteFolder). */
export type RowSink = Pick<MetricStore, 'beginRow' | 'set'>;

/** Appends one live sample; false when it is not newer than the newest row (a replay after the history). */
export function appendSample(store: RowSink, sample: MetricsData): boolean {
  if (!store.beginRow(sample.ts)) return false;
  for (const [key, read] of FIXED_VALUES) {
    const value = read(sample);
    if (value !== undefined) store.set(key, value);
  }
  sample.cpu.cores.forEach((busy, core) => store.set(historySeriesKey('cpu.core', core), busy));
  setNamedPair(store, ['net.rx', 'net.tx'], sample.net, (net) => [net.name, net.rxBytesPerSec, net.txBytesPerSec]);
  setNamedPair(store, ['disk.read', 'disk.write'], sample.disk, (disk) => [disk.name, disk.readBytesPerSec, disk.writeBytesPerSec]);
  setNamedPair(store, ['logs.lines', 'logs.errors'], sample.logs, (log) => [log.source, log.linesPerSec, log.errorsPerSec]);
  return true;
}

/**
 * Two series per named item (`net.rx:eth0`, `net.tx:eth0`), and their sums under the bare names (`net.rx`),
 * which the history answer carries too.
 */
function setNamedPair<T>(
  store: RowSink,
  [first, second]: readonly [HistoryNamedSeries, HistoryNamedSeries],
  items: readonly T[],
  values: (item: T) => readonly [name: string, first: number, second: number],
): void {
  let firstSum = 0;
  let secondSum = 0;
  for (const item of items) {
    const [name, a, b] = values(item);
    store.set(historySeriesKey(first, name), a);
    store.set(historySeriesKey(second, name), b);
    firstSum += a;
    secondSum += b;
  }
  store.set(first, firstSum);
  store.set(second, secondSum);
}

/**
 * Appends the rows of a step-1 history answer (oldest first) that are newer than the newest row, with the
 * series of the `charted` metrics (the charts' own lists); the history's others (cpu.user, self.*…) are not kept.
 */
export function appendHistory(store: MetricStore, history: FineHistory, charted: ReadonlySet<HistoryMetric>): void {
  const kept = Object.entries(history.series).filter(([key]) => charted.has(parseHistorySeriesKey(key).metric as HistoryMetric));
  history.ts.forEach((ts, row) => {
    if (!store.beginRow(ts)) return;
    for (const [key, values] of kept) {
      const value = values[row];
      if (typeof value === 'number') store.set(key, value);
    }
  });
}

/** "12" names not drawn on their own, or "12+" when the metric is at its cap (more exist, counted in the totals). */
export function otherCount(rest: number, kept: number, metric: HistoryNamedSeries): string {
  return kept >= HISTORY_NAME_CAPS[metric] ? `${rest}+` : String(rest);
}

/** Cores in the newest sample (0 before the first, or where the platform gives no per-core figures). */
export function coresInNewest(store: MetricStore): number {
  return store.names('cpu.core').filter((core) => Number.isFinite(store.latest(historySeriesKey('cpu.core', core)))).length;
}
