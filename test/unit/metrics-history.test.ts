import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsHistory } from '../../main/sources/metrics/metrics-history';
import { HISTORY_FIXED_SERIES, parseHistorySeriesKey, type CoarseHistory, type FineHistory } from '../../protocol/metrics-history';
import type { MetricsData } from '../../protocol/events';
import { metricsSample } from '../fixtures/metrics-sample';

/** A minute boundary, so minute buckets are easy to reason about. */
const T0 = 28_333_334 * 60_000;

function sample(ts: number, change: (s: MetricsData) => void = () => {}): MetricsData {
  const s = metricsSample(ts, 0);
  change(s);
  return s;
}
const fine = (h: MetricsHistory, seconds = 3600) => h.query(seconds, 1) as FineHistory;
const coarse = (h: MetricsHistory, seconds = 86_400) => h.query(seconds, 60) as CoarseHistory;
const net = (name: string, rx: number, tx = 0) => ({ name, rxBytesPerSec: rx, txBytesPerSec: tx });

test('the 1 s tier answers every series oldest first, with totals over names', () => {
  const h = new MetricsHistory();
  for (let i = 0; i < 5; i++) {
    h.add(
      sample(T0 + i * 1000, (s) => {
        s.cpu.total = i * 1.5;
        s.cpu.cores = [i, 2 * i];
        s.mem.total = 2 ** 33;
        s.load = [0.25, 0.5, 0.75];
        s.net = [net('eth0', i * 1000, 7), net('wlan0', 1, 2)];
        s.disk = [{ name: 'nvme0n1', readBytesPerSec: 4096, writeBytesPerSec: i }];
        s.logs = [{ source: 'src-a', linesPerSec: i, errorsPerSec: 0.25, lines: 10 * i }];
      }),
    );
  }
  const a = fine(h);
  assert.equal(a.step, 1);
  assert.deepEqual(a.ts, [0, 1, 2, 3, 4].map((i) => T0 + i * 1000));
  assert.deepEqual(Object.keys(a.series), [
    ...HISTORY_FIXED_SERIES,
    'cpu.core:0',
    'cpu.core:1',
    'net.rx:eth0',
    'net.tx:eth0',
    'net.rx:wlan0',
    'net.tx:wlan0',
    'disk.read:nvme0n1',
    'disk.write:nvme0n1',
    'logs.lines:src-a',
    'logs.errors:src-a',
  ]);
  assert.deepEqual(a.series['cpu.total'], [0, 1.5, 3, 4.5, 6]);
  assert.deepEqual(a.series['cpu.core:1'], [0, 2, 4, 6, 8]);
  assert.deepEqual(a.series['mem.total'], [2 ** 33, 2 ** 33, 2 ** 33, 2 ** 33, 2 ** 33]);
  assert.deepEqual(a.series['load.15'], [0.75, 0.75, 0.75, 0.75, 0.75]);
  assert.deepEqual(a.series['net.rx'], [1, 1001, 2001, 3001, 4001]);
  assert.deepEqual(a.series['net.tx'], [9, 9, 9, 9, 9]);
  assert.deepEqual(a.series['net.rx:eth0'], [0, 1000, 2000, 3000, 4000]);
  assert.deepEqual(a.series['disk.write:nvme0n1'], [0, 1, 2, 3, 4]);
  assert.deepEqual(a.series['logs.lines'], [0, 1, 2, 3, 4]);
  assert.deepEqual(a.series['logs.errors:src-a'], [0.25, 0.25, 0.25, 0.25, 0.25]);
  assert.deepEqual(parseHistorySeriesKey('net.rx:br-1.100:x'), { metric: 'net.rx', name: 'br-1.100:x' });

  // The window counts back from the newest sample: 2 s holds the samples after T0 + 2000.
  const last2 = fine(h, 2);
  assert.deepEqual(last2.ts, [T0 + 3000, T0 + 4000]);
  assert.deepEqual(last2.series['cpu.total'], [4.5, 6]);
  assert.ok(Object.values(last2.series).every((v) => v.length === 2));
});

test('values come back as short decimals: float32 noise is rounded away', () => {
  const h = new MetricsHistory();
  h.add(sample(T0, (s) => {
    s.cpu.total = 12.3;
    s.cpu.user = 0.0001;
    s.mem.used = 17_179_869_184 + 12_345;
  }));
  const a = fine(h);
  assert.deepEqual(a.series['cpu.total'], [12.3]);
  assert.deepEqual(a.series['cpu.user'], [0.0001]);
  // float32 keeps 24 bits: 2^34 + 12345 is stored as the nearest multiple of 2048, 2^34 + 6 × 2048.
  assert.deepEqual(a.series['mem.used'], [2 ** 34 + 6 * 2048]);
  assert.deepEqual(a.series['load.1'], [0]);
});

test('the 1 s tier wraps after 3600 samples and keeps the newest hour in order', () => {
  const h = new MetricsHistory();
  const n = 3600 + 250;
  for (let i = 0; i < n; i++) h.add(sample(T0 + i * 1000, (s) => void (s.cpu.total = i % 100)));
  const a = fine(h);
  assert.equal(a.ts.length, 3600);
  assert.deepEqual(a.ts, Array.from({ length: 3600 }, (_, j) => T0 + (250 + j) * 1000));
  assert.deepEqual(a.series['cpu.total'], Array.from({ length: 3600 }, (_, j) => (250 + j) % 100));
  assert.deepEqual(fine(h, 3).series['cpu.total'], [(n - 3) % 100, (n - 2) % 100, (n - 1) % 100]);
});

test('a skipped second leaves no hole in the time axis and shifts nothing; stale samples are ignored', () => {
  const h = new MetricsHistory();
  for (const [dt, v] of [[0, 1], [1000, 2], [5000, 6], [6000, 7]] as const) h.add(sample(T0 + dt, (s) => void (s.cpu.total = v)));
  h.add(sample(T0 + 6000, (s) => void (s.cpu.total = 99)));
  h.add(sample(T0 + 2000, (s) => void (s.cpu.total = 99)));
  h.add(sample(NaN, (s) => void (s.cpu.total = 99)));
  const a = fine(h);
  assert.deepEqual(a.ts, [T0, T0 + 1000, T0 + 5000, T0 + 6000]);
  assert.deepEqual(a.series['cpu.total'], [1, 2, 6, 7]);
  assert.deepEqual(fine(h, 5).ts, [T0 + 5000, T0 + 6000]);
  assert.deepEqual(fine(h, 6).ts, [T0 + 1000, T0 + 5000, T0 + 6000]);
});

test('a name missing from a sample is null there, and a series never seen in the window is left out', () => {
  const h = new MetricsHistory();
  h.add(sample(T0, (s) => void (s.net = [net('eth0', 5)])));
  h.add(sample(T0 + 1000, (s) => void (s.net = [net('eth1', 6)])));
  h.add(sample(T0 + 2000, (s) => void (s.net = [net('eth0', 7)])));
  const a = fine(h);
  assert.deepEqual(a.series['net.rx:eth0'], [5, null, 7]);
  assert.deepEqual(a.series['net.rx:eth1'], [null, 6, null]);
  assert.deepEqual(a.series['net.rx'], [5, 6, 7]);
  const last = fine(h, 1);
  assert.deepEqual(last.series['net.rx:eth0'], [7]);
  assert.equal(last.series['net.rx:eth1'], undefined);
});

test('the 1 min tier: min, avg and max per wall-clock minute, samples per minute, empty minutes absent', () => {
  const h = new MetricsHistory();
  // Minute 0: 60 samples, cpu 0..59; eth0 only in its first 10 seconds.
  for (let i = 0; i < 60; i++) {
    h.add(sample(T0 + i * 1000, (s) => {
      s.cpu.total = i;
      s.mem.used = 1000 * (i + 1);
      if (i < 10) s.net = [net('eth0', i * 2)];
    }));
  }
  // Minute 1: 30 samples at 10, 20, 10, 20…; minute 2: none; minute 3: one sample.
  for (let i = 0; i < 30; i++) h.add(sample(T0 + 60_000 + i * 2000, (s) => void (s.cpu.total = i % 2 === 0 ? 10 : 20)));
  h.add(sample(T0 + 180_500, (s) => void (s.cpu.total = 42)));

  const a = coarse(h);
  assert.equal(a.step, 60);
  assert.deepEqual(a.ts, [T0, T0 + 60_000, T0 + 180_000]);
  assert.deepEqual(a.samples, [60, 30, 1]);
  assert.deepEqual(a.series['cpu.total'], { min: [0, 10, 42], avg: [29.5, 15, 42], max: [59, 20, 42] });
  // The fixture's mem.used is 1 outside minute 0.
  assert.deepEqual(a.series['mem.used'], { min: [1000, 1, 1], avg: [30_500, 1, 1], max: [60_000, 1, 1] });
  assert.deepEqual(a.series['net.rx:eth0'], { min: [0, null, null], avg: [9, null, null], max: [18, null, null] });
  assert.deepEqual(Object.keys(a.series).filter((k) => k.includes(':')), ['net.rx:eth0', 'net.tx:eth0']);

  // A minute is in the window when any part of it is: 61 s back from T0 + 180.5 s reaches into minute 1.
  assert.deepEqual(coarse(h, 61).ts, [T0 + 60_000, T0 + 180_000]);
  assert.deepEqual(coarse(h, 60).ts, [T0 + 180_000]);
  // Only minute 3 in the window: eth0 has no value there, so it is left out.
  assert.equal(coarse(h, 60).series['net.rx:eth0'], undefined);
});

test('the 1 min tier wraps after 1440 minutes', () => {
  const h = new MetricsHistory({ fineSlots: 10 });
  for (let m = 0; m < 1500; m++) {
    h.add(sample(T0 + m * 60_000, (s) => void (s.cpu.total = m % 50)));
    h.add(sample(T0 + m * 60_000 + 30_000, (s) => void (s.cpu.total = (m % 50) + 1)));
  }
  const a = coarse(h);
  assert.equal(a.ts.length, 1440);
  assert.equal(a.ts[0], T0 + 60 * 60_000);
  assert.equal(a.ts.at(-1), T0 + 1499 * 60_000);
  assert.deepEqual(a.series['cpu.total']!.min.slice(0, 3), [10, 11, 12]);
  assert.deepEqual(a.series['cpu.total']!.avg.slice(0, 3), [10.5, 11.5, 12.5]);
  assert.ok(a.samples.every((n) => n === 2));
});

test('names past a cap get no series but still count in the totals; memory stays at the bound', () => {
  const options = { maxCores: 2, maxInterfaces: 2, maxDisks: 1, maxSources: 1 };
  const h = new MetricsHistory(options);
  const fill = (ts: number, prefix: string) =>
    h.add(sample(ts, (s) => {
      s.cpu.cores = [1, 2, 3, 4];
      s.net = [net(`${prefix}0`, 1), net(`${prefix}1`, 10), net(`${prefix}2`, 100)];
      s.disk = [0, 1].map((i) => ({ name: `${prefix}sd${i}`, readBytesPerSec: 1, writeBytesPerSec: 1 }));
      s.logs = [0, 1, 2].map((i) => ({ source: `${prefix}s${i}`, linesPerSec: 1, errorsPerSec: 0, lines: 1 }));
    }));
  fill(T0, 'a');
  const bound = MetricsHistory.maxBytes(options);
  assert.equal(h.byteLength, bound, 'every cap is full');
  const a = fine(h);
  assert.deepEqual(Object.keys(a.series).filter((k) => k.includes(':')), [
    'cpu.core:0',
    'cpu.core:1',
    'net.rx:a0',
    'net.tx:a0',
    'net.rx:a1',
    'net.tx:a1',
    'disk.read:asd0',
    'disk.write:asd0',
    'logs.lines:as0',
    'logs.errors:as0',
  ]);
  assert.deepEqual(a.series['net.rx'], [111]);
  assert.deepEqual(a.series['logs.lines'], [3]);
  // A thousand more names do not grow it.
  for (let i = 1; i <= 1000; i++) fill(T0 + i * 1000, `n${i}-`);
  assert.equal(h.byteLength, bound);
  assert.ok(!Object.keys(fine(h).series).some((k) => k.startsWith('net.rx:n')));
});

test('a slot is given to a new name once both rings have dropped everything of the old one', () => {
  const h = new MetricsHistory({ fineSlots: 5, coarseSlots: 2, maxInterfaces: 1 });
  // One sample a minute: each sample opens a minute, so both rings move one slot per sample.
  h.add(sample(T0, (s) => void (s.net = [net('old', 1)])));
  for (let i = 1; i <= 5; i++) h.add(sample(T0 + i * 60_000, (s) => void (s.net = [net('new', 10 * i)])));
  const a = fine(h);
  assert.equal(a.ts.length, 5);
  assert.equal(a.series['net.rx:old'], undefined);
  assert.deepEqual(a.series['net.rx:new'], [null, null, null, null, 50]);
  assert.deepEqual(a.series['net.rx'], [10, 20, 30, 40, 50]);
  assert.deepEqual(coarse(h).series['net.rx:new'], { min: [null, 50], avg: [null, 50], max: [null, 50] });
});

test('the memory bound in the comment is the computed one, and a full history holds exactly that', () => {
  assert.equal(MetricsHistory.maxBytes(), 14_978_316);
  const h = new MetricsHistory();
  const full = (ts: number, prefix: string) =>
    sample(ts, (s) => {
      s.cpu.cores = Array.from({ length: 300 }, (_, i) => i % 100);
      s.net = Array.from({ length: 20 }, (_, i) => net(`${prefix}${i}`, i));
      s.disk = Array.from({ length: 20 }, (_, i) => ({ name: `${prefix}d${i}`, readBytesPerSec: i, writeBytesPerSec: i }));
      s.logs = Array.from({ length: 80 }, (_, i) => ({ source: `${prefix}s${i}`, linesPerSec: i, errorsPerSec: 0, lines: i }));
    });
  // Before any sample: the fixed series' columns, the time axes, the scratch arrays and the name slots.
  assert.equal(h.byteLength, HISTORY_FIXED_SERIES.length * 31_680 + 46_080 + 9_420 + 1_536);
  h.add(full(T0, 'a'));
  assert.equal(h.byteLength, MetricsHistory.maxBytes());
  for (let i = 1; i < 100; i++) h.add(full(T0 + i * 1000, `x${i}-`));
  assert.equal(h.byteLength, MetricsHistory.maxBytes());
});

test('an empty history answers every fixed series, empty; bad options and windows are refused', () => {
  const h = new MetricsHistory();
  assert.deepEqual(fine(h), { step: 1, ts: [], series: Object.fromEntries(HISTORY_FIXED_SERIES.map((k) => [k, []])) });
  assert.deepEqual(coarse(h).samples, []);
  assert.throws(() => new MetricsHistory({ maxInterfaces: 0 }), /option maxInterfaces must be a whole number from 1 to 4096, got 0/);
  assert.throws(() => new MetricsHistory({ fineSlots: 1.5 }), /option fineSlots/);
  assert.throws(() => h.query(0, 1), RangeError);
});
