// A source's lines/s counts each line at its own time, never a backfill, and never catch-up older than its window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../protocol/events';
import { LATE_LINE_MS, SourceStats } from '../../main/sources/logs/source-stats';
import { RATE_WINDOW_SAMPLES } from '../../main/sources/logs/limits';

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);

function lines(ts: readonly number[], level?: LogLine['level']): LogLine[] {
  return ts.map((t, k) => ({ seq: k + 1, ts: t, text: `line ${k}`, ...(level ? { level } : {}) }));
}

test('an hour of lines read at once counts nothing as history (a backfill)', () => {
  const hour = Array.from({ length: 3600 }, (_, k) => T0 - 3600_000 + k * 1000);
  const stats = new SourceStats();
  stats.countLines(lines(hour), T0, true);
  for (let s = 1; s <= RATE_WINDOW_SAMPLES + 1; s++) {
    stats.sample(T0 + s * 1000);
    assert.equal(stats.snapshot().linesPerSec, 0);
  }
});

test('read live, lines stamped longer ago than LATE_LINE_MS are catch-up; later ones count as late, once', () => {
  const old = Array.from({ length: 3600 }, (_, k) => T0 - 3600_000 + k * 1000).filter((ts) => T0 - ts > LATE_LINE_MS);
  const stats = new SourceStats();
  stats.countLines(lines(old), T0);
  for (let s = 1; s <= RATE_WINDOW_SAMPLES + 1; s++) {
    stats.sample(T0 + s * 1000);
    assert.equal(stats.snapshot().linesPerSec, 0);
  }
  // A writer that buffers: 10 lines stamped 20 s ago count when read, in the next samples' windows, and then go.
  const late = new SourceStats();
  late.countLines(lines(Array.from({ length: 10 }, () => T0 - 20_000)), T0 + 500);
  late.sample(T0 + 1000);
  assert.equal(late.snapshot().linesPerSec, 10 / RATE_WINDOW_SAMPLES);
  late.sample(T0 + RATE_WINDOW_SAMPLES * 1000);
  assert.equal(late.snapshot().linesPerSec, 10 / RATE_WINDOW_SAMPLES, 'in the window as long as a line on time');
  late.sample(T0 + (RATE_WINDOW_SAMPLES + 1) * 1000);
  assert.equal(late.snapshot().linesPerSec, 0);
});

test('a backfill of lines stamped just now still counts nothing, but its errors are totalled', () => {
  const stats = new SourceStats();
  stats.countLines(lines([T0, T0, T0], 'error'), T0, true);
  stats.sample(T0 + 1500);
  assert.deepEqual([stats.snapshot().linesPerSec, stats.snapshot().errorsPerSec, stats.snapshot().errors], [0, 0, 3]);
});

test('live lines count at their own second, late ones included while that second is in the window', () => {
  const stats = new SourceStats();
  // 10 lines a second for 5 s, each batch read 2 s after it was written.
  for (let s = 0; s < 5; s++) {
    const batch = Array.from({ length: 10 }, (_, k) => T0 + s * 1000 + k * 100);
    const errorLine = { seq: 0, ts: T0 + s * 1000, text: 'boom', level: 'error' as const };
    stats.countLines([...lines(batch), errorLine], T0 + (s + 2) * 1000);
  }
  stats.sample(T0 + 5000 + 1);
  // Seconds T0 … T0+4 are the window ending at T0+5 s: 55 lines, 5 of them errors, over 5 s.
  assert.equal(stats.snapshot().linesPerSec, 11);
  assert.equal(stats.snapshot().errorsPerSec, 1);
});

test('a line stamped ahead of the clock counts when it was read; the rate falls to 0 once the window passes', () => {
  const stats = new SourceStats();
  stats.countLines(lines([T0 + 3600_000, T0 + 3600_000]), T0 + 200);
  assert.equal(stats.sample(T0 + 1000), true);
  assert.equal(stats.snapshot().linesPerSec, 2 / RATE_WINDOW_SAMPLES);
  stats.sample(T0 + (RATE_WINDOW_SAMPLES + 1) * 1000);
  assert.equal(stats.snapshot().linesPerSec, 0);
});
