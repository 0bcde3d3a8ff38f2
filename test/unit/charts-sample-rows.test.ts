import { test } from 'node:test';
import assert from 'node:assert/strict';
import { METRICS_HISTORY_DEFAULTS, MetricsHistory } from '../../main/sources/metrics/metrics-history';
import type { MetricsData } from '../../protocol/events';
import { HISTORY_FIXED_SERIES, HISTORY_NAME_CAPS, HISTORY_NAMED_SERIES, historySeriesKey, type FineHistory, type HistoryMetric } from '../../protocol/metrics-history';
import { MetricStore } from '../../renderer/charts/metric-store';
import { appendHistory, appendSample, otherCount } from '../../renderer/charts/sample-rows';
import { metricsSample } from '../fixtures/metrics-sample';

/** What the six charts read (their `metrics`): every per-name metric, and the fixed series they draw. */
const CHARTED: ReadonlySet<HistoryMetric> = new Set<HistoryMetric>([
  'cpu.total',
  'mem.total',
  'mem.used',
  'mem.cached',
  'mem.swapTotal',
  'mem.swapUsed',
  'load.1',
  'load.5',
  'load.15',
  ...HISTORY_NAMED_SERIES,
]);

function sample(ts: number): MetricsData {
  const base = metricsSample(ts, 37.5);
  return {
    ...base,
    cpu: { ...base.cpu, cores: [10, 65], user: 30, system: 7.5 },
    mem: { total: 8e9, used: 5e9, available: 3e9, cached: 1e9, swapTotal: 2e9, swapUsed: 1e8 },
    load: [0.5, 0.75, 1.25],
    net: [
      { name: 'eth0', rxBytesPerSec: 1_000, txBytesPerSec: 200 },
      { name: 'wlan0', rxBytesPerSec: 24, txBytesPerSec: 8 },
    ],
    disk: [{ name: 'sda', readBytesPerSec: 4_096, writeBytesPerSec: 512 }],
    logs: [{ source: 'src1', linesPerSec: 12, errorsPerSec: 2, lines: 100 }],
  };
}

/** The keys a chart could read of a sample: the fixed series, the per-name ones, and the sums. */
const keysOf = (s: MetricsData): string[] => [
  ...HISTORY_FIXED_SERIES,
  ...s.cpu.cores.map((_, core) => historySeriesKey('cpu.core', core)),
  ...s.net.flatMap((n) => [historySeriesKey('net.rx', n.name), historySeriesKey('net.tx', n.name)]),
  ...s.disk.flatMap((d) => [historySeriesKey('disk.read', d.name), historySeriesKey('disk.write', d.name)]),
  ...s.logs.flatMap((l) => [historySeriesKey('logs.lines', l.source), historySeriesKey('logs.errors', l.source)]),
];

test('a live sample and the same sample read back from the server\'s history give the charts the same columns', () => {
  const live = new MetricStore({ nameCaps: HISTORY_NAME_CAPS });
  const past = new MetricStore({ nameCaps: HISTORY_NAME_CAPS });
  const history = new MetricsHistory();
  const samples = [sample(1_000), sample(2_000)];
  for (const s of samples) {
    appendSample(live, s);
    history.add(s);
  }
  appendHistory(past, history.query(3600, 1) as FineHistory, CHARTED);
  assert.equal(past.size, 2);
  for (const key of keysOf(samples[1]!)) {
    const charted = CHARTED.has(key.split(':')[0] as HistoryMetric);
    // Float32 columns on both sides: equal to the bit.
    assert.equal(past.latest(key), charted ? live.latest(key) : NaN, key);
    if (charted) assert.ok(Number.isFinite(live.latest(key)), `${key} is set live`);
  }
  assert.equal(live.latest('net.rx'), 1_024, 'a per-name metric\'s bare name is the sum over its names');
});

test('of the history, only the series of the charted metrics are kept', () => {
  const history = new MetricsHistory();
  history.add(sample(1_000));
  const store = new MetricStore({ nameCaps: HISTORY_NAME_CAPS });
  appendHistory(store, history.query(3600, 1) as FineHistory, new Set<HistoryMetric>(['cpu.core', 'load.1']));
  assert.deepEqual(store.names('cpu.core').sort(), ['0', '1']);
  assert.equal(store.latest('load.1'), 0.5);
  for (const key of ['cpu.total', 'cpu.user', 'self.rss', 'logs.lines:src1']) assert.ok(Number.isNaN(store.latest(key)), key);
});

test('the per-name caps are the server history\'s defaults, and "N+ other" says a cap is reached', () => {
  assert.deepEqual(HISTORY_NAME_CAPS, {
    'cpu.core': METRICS_HISTORY_DEFAULTS.maxCores,
    'net.rx': METRICS_HISTORY_DEFAULTS.maxInterfaces,
    'net.tx': METRICS_HISTORY_DEFAULTS.maxInterfaces,
    'disk.read': METRICS_HISTORY_DEFAULTS.maxDisks,
    'disk.write': METRICS_HISTORY_DEFAULTS.maxDisks,
    'logs.lines': METRICS_HISTORY_DEFAULTS.maxSources,
    'logs.errors': METRICS_HISTORY_DEFAULTS.maxSources,
  });
  assert.equal(otherCount(3, 63, 'logs.lines'), '3');
  assert.equal(otherCount(60, 64, 'logs.lines'), '60+');
  assert.equal(otherCount(12, 16, 'net.rx'), '12+');
});
