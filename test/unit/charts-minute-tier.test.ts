// The charts' day (the server's minute tier, live samples folded per minute) and the process table's rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessesData } from '../../protocol/events';
import { HISTORY_NAME_CAPS, type CoarseHistory, type HistoryMetric } from '../../protocol/metrics-history';
import { MetricStore } from '../../renderer/charts/metric-store';
import { appendMinuteHistory, MINUTE_ROWS, MinuteFolder, minuteStore } from '../../renderer/charts/minute-rows';
import { processRows } from '../../renderer/charts/process-rows';
import { appendSample } from '../../renderer/charts/sample-rows';
import { metricsSample } from '../fixtures/metrics-sample';

const MINUTE = 60_000;
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % MINUTE);
const CHARTED: ReadonlySet<HistoryMetric> = new Set<HistoryMetric>(['cpu.total', 'cpu.core']);

function minutes(count: number, avg: (i: number) => number, samples = 60): CoarseHistory {
  const ts = Array.from({ length: count }, (_, i) => T0 + i * MINUTE);
  const values = ts.map((_, i) => avg(i));
  return { step: 60, ts, samples: ts.map(() => samples), series: { 'cpu.total': { min: values, avg: values, max: values }, 'self.cpu': { min: values, avg: values, max: values } } };
}

test('a store keeps only its rows: a day of minutes in the minute store, an hour of seconds by default', () => {
  const day = minuteStore(HISTORY_NAME_CAPS);
  assert.equal(day.stepMs, MINUTE);
  const history = minutes(MINUTE_ROWS + 100, (i) => i);
  appendMinuteHistory(day, history, CHARTED);
  assert.equal(day.size, MINUTE_ROWS, 'bounded');
  assert.equal(day.latest('cpu.total'), MINUTE_ROWS + 99);
  assert.equal(day.tsAt(day.oldest), T0 + 100 * MINUTE);
  assert.ok(Number.isNaN(day.latest('self.cpu')), 'series no chart reads are not kept');
  const second = new MetricStore();
  assert.equal(second.stepMs, 1_000);
  assert.notEqual(second.generation, day.generation, 'two stores never share a generation (a chart switching tiers starts again)');
});

test('the minute history is appended after what is held, never over it', () => {
  const day = minuteStore(HISTORY_NAME_CAPS);
  assert.equal(appendMinuteHistory(day, minutes(3, () => 10), CHARTED), 60);
  // A new server run's history: its first minute is the one already held.
  const rerun: CoarseHistory = { ...minutes(4, () => 50, 20) };
  assert.equal(appendMinuteHistory(day, rerun, CHARTED), 20);
  assert.deepEqual([0, 1, 2, 3].map((i) => day.value('cpu.total', day.oldest + i)), [10, 10, 10, 50]);
  assert.equal(appendMinuteHistory(day, minutes(4, () => 70), CHARTED), null, 'nothing newer: nothing appended');
});

test('live samples fold into the minute they fall in, at its average, continuing the history\'s newest minute with its weight', () => {
  const day = minuteStore(HISTORY_NAME_CAPS);
  const weight = appendMinuteHistory(day, minutes(2, () => 10, 30), CHARTED);
  const folder = new MinuteFolder(day);
  // The history was read at T0 + 1 min + 29 s: its newest minute holds 30 samples at 10 %.
  folder.continueFrom(weight!, T0 + MINUTE + 29_000);
  assert.equal(appendSample(folder, metricsSample(T0 + MINUTE + 20_000, 99)), false, 'a sample the history counted is not counted again');
  assert.equal(appendSample(folder, metricsSample(T0 + MINUTE + 30_000, 40)), true);
  assert.equal(day.size, 2, 'the same minute');
  assert.ok(Math.abs(day.latest('cpu.total') - (30 * 10 + 40) / 31) < 1e-4);
  appendSample(folder, metricsSample(T0 + 2 * MINUTE + 1_000, 20));
  appendSample(folder, metricsSample(T0 + 2 * MINUTE + 2_000, 30));
  assert.equal(day.size, 3, 'a new minute row');
  assert.equal(day.tsAt(day.newest), T0 + 2 * MINUTE);
  assert.equal(day.latest('cpu.total'), 25);
});

const p = (pid: number, name: string, cpu: number, rss: number) => ({ pid, name, cpu, rss });

test('process rows: both lists once each, sorted by the chosen column, bounded', () => {
  const data: ProcessesData = {
    ts: 0,
    count: 321,
    byCpu: [p(3, 'node', 90, 100), p(1, 'chrome', 40, 900), p(2, 'bash', 1, 5)],
    byMem: [p(1, 'chrome', 40, 900), p(4, 'postgres', 0, 500), p(3, 'node', 90, 100)],
  };
  assert.deepEqual(processRows(data, { key: 'cpu', descending: true }).map((r) => r.pid), [3, 1, 2, 4]);
  assert.deepEqual(processRows(data, { key: 'rss', descending: true }).map((r) => r.pid), [1, 4, 3, 2]);
  assert.deepEqual(processRows(data, { key: 'name', descending: false }).map((r) => r.name), ['bash', 'chrome', 'node', 'postgres']);
  assert.deepEqual(processRows(data, { key: 'pid', descending: true }, 2).map((r) => r.pid), [4, 3]);
  const many: ProcessesData = { ts: 0, count: 40, byCpu: Array.from({ length: 10 }, (_, i) => p(i, `c${i}`, 50 - i, 1)), byMem: Array.from({ length: 10 }, (_, i) => p(100 + i, `m${i}`, 0, 1e9 - i)) };
  assert.equal(processRows(many, { key: 'cpu', descending: true }).length, 10);
  assert.deepEqual(processRows(many, { key: 'rss', descending: true }).map((r) => r.pid).slice(0, 2), [100, 101], 'by memory: the top by memory first');
});
