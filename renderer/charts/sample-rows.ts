// Turns a live `metrics` sample, or the history answer, into rows of the charts' store, under the series keys
// of the history protocol (`cpu.total`, `cpu.core:3`, `net.rx:eth0`, `logs.lines:<id>`): live and past data
// then are one kind of column.
import type { MetricsData } from '../../protocol/events';
import { historySeriesKey, parseHistorySeriesKey, type FineHistory, type HistoryNamedSeries } from '../../protocol/metrics-history';
import type { MetricStore } from './metric-store';

/** Per-name caps, the server history's (docs/protocol.md): names past them count only in the totals. */
export const NAME_CAPS: Readonly<Record<string, number>> = {
  'cpu.core': 256,
  'net.rx': 16,
  'net.tx': 16,
  'disk.read': 16,
  'disk.write': 16,
  'logs.lines': 64,
  'logs.errors': 64,
};

/** The metrics some chart draws; the history's other series (cpu.user, self.*…) are not kept. */
const CHARTED_METRICS: ReadonlySet<string> = new Set([
  'cpu.total',
  'cpu.core',
  'mem.total',
  'mem.used',
  'mem.cached',
  'mem.swapTotal',
  'mem.swapUsed',
  'load.1',
  'load.5',
  'load.15',
  'net.rx',
  'net.tx',
  'disk.read',
  'disk.write',
  'logs.lines',
  'logs.errors',
]);

const LOAD_KEYS = ['load.1', 'load.5', 'load.15'] as const;

/** Appends one live sample; false when it is not newer than the newest row (a replay after the history). */
export function appendSample(store: MetricStore, sample: MetricsData): boolean {
  if (!store.beginRow(sample.ts)) return false;
  store.set('cpu.total', sample.cpu.total);
  sample.cpu.cores.forEach((busy, core) => store.set(historySeriesKey('cpu.core', core), busy));
  store.set('mem.total', sample.mem.total);
  store.set('mem.used', sample.mem.used);
  store.set('mem.cached', sample.mem.cached);
  store.set('mem.swapTotal', sample.mem.swapTotal);
  store.set('mem.swapUsed', sample.mem.swapUsed);
  LOAD_KEYS.forEach((key, i) => {
    const load = sample.load[i];
    if (load !== undefined) store.set(key, load);
  });
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
  store: MetricStore,
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

/** Appends the rows of a step-1 history answer (oldest first) that are newer than the newest row. */
export function appendHistory(store: MetricStore, history: FineHistory): void {
  const charted = Object.entries(history.series).filter(([key]) => CHARTED_METRICS.has(parseHistorySeriesKey(key).metric));
  history.ts.forEach((ts, row) => {
    if (!store.beginRow(ts)) return;
    for (const [key, values] of charted) {
      const value = values[row];
      if (typeof value === 'number') store.set(key, value);
    }
  });
}

/** "12" names not drawn on their own, or "12+" when the metric is at its cap (more exist, counted in the totals). */
export function otherCount(rest: number, kept: number, metric: string): string {
  return kept >= (NAME_CAPS[metric] ?? Infinity) ? `${rest}+` : String(rest);
}

/** Cores in the newest sample (0 before the first, or where the platform gives no per-core figures). */
export function coresInNewest(store: MetricStore): number {
  return store.names('cpu.core').filter((core) => Number.isFinite(store.latest(historySeriesKey('cpu.core', core)))).length;
}
