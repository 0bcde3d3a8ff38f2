// Turns a live `metrics` sample, or the history answer, into rows of the charts' store, under the series keys
// of the history protocol (`cpu.total`, `cpu.core:3`, `net.rx:eth0`, `logs.lines:<id>`): live and past data
// then are one kind of column.
import type { MetricsData } from '../../protocol/events';
import { historySeriesKey, parseHistorySeriesKey, type FineHistory } from '../../protocol/metrics-history';
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
  let rx = 0;
  let tx = 0;
  for (const net of sample.net) {
    store.set(historySeriesKey('net.rx', net.name), net.rxBytesPerSec);
    store.set(historySeriesKey('net.tx', net.name), net.txBytesPerSec);
    rx += net.rxBytesPerSec;
    tx += net.txBytesPerSec;
  }
  store.set('net.rx', rx);
  store.set('net.tx', tx);
  let read = 0;
  let write = 0;
  for (const disk of sample.disk) {
    store.set(historySeriesKey('disk.read', disk.name), disk.readBytesPerSec);
    store.set(historySeriesKey('disk.write', disk.name), disk.writeBytesPerSec);
    read += disk.readBytesPerSec;
    write += disk.writeBytesPerSec;
  }
  store.set('disk.read', read);
  store.set('disk.write', write);
  let lines = 0;
  let errors = 0;
  for (const log of sample.logs) {
    store.set(historySeriesKey('logs.lines', log.source), log.linesPerSec);
    store.set(historySeriesKey('logs.errors', log.source), log.errorsPerSec);
    lines += log.linesPerSec;
    errors += log.errorsPerSec;
  }
  store.set('logs.lines', lines);
  store.set('logs.errors', errors);
  return true;
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
