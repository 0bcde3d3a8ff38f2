import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentErrors, trayStatus } from '../../main/desktop/error-rate';
import type { LogLevel, LogLine } from '../../protocol/events';

const T0 = 1_700_000_000_000;

function lines(...levels: (LogLevel | undefined)[]): LogLine[] {
  return levels.map((level, i) => ({ seq: i + 1, ts: T0, text: `line ${i}`, ...(level ? { level } : {}) }));
}

function recent() {
  const c = { t: T0 };
  return { errors: new RecentErrors({ windowSeconds: 60, now: () => c.t }), c };
}

test('only error and fatal lines count', () => {
  const { errors } = recent();
  errors.add(lines('trace', 'debug', 'info', 'warn', undefined, 'error', 'fatal', 'error'));
  assert.equal(errors.count(), 3);
  errors.add([]);
  assert.equal(errors.count(), 3);
});

test('errors older than the window drop out, second by second', () => {
  const { errors, c } = recent();
  errors.add(lines('error'));
  c.t += 10_000;
  errors.add(lines('error', 'error'));
  c.t += 49_999;
  assert.equal(errors.count(), 3);
  // T0's second is now 60 s old.
  c.t = T0 + 60_000;
  assert.equal(errors.count(), 2);
  c.t = T0 + 70_000;
  assert.equal(errors.count(), 0);
});

test('a counter reused a full turn later does not keep what it held', () => {
  const { errors, c } = recent();
  errors.add(lines('error', 'error', 'error'));
  // Same slot of the ring, one turn later.
  c.t += 60_000;
  errors.add(lines('fatal'));
  assert.equal(errors.count(), 1);
  // And after a long quiet spell (many turns), nothing old comes back.
  c.t += 3_600_000;
  assert.equal(errors.count(), 0);
});

test('a clock set back does not count the future', () => {
  const { errors, c } = recent();
  errors.add(lines('error'));
  c.t -= 5000;
  assert.equal(errors.count(), 0);
});

test('the window must be a whole number of seconds', () => {
  assert.throws(() => new RecentErrors({ windowSeconds: 0 }), /windowSeconds: expected a whole number of seconds from 1 to 3600, got 0/);
  assert.throws(() => new RecentErrors({ windowSeconds: 1.5 }), RangeError);
  assert.equal(new RecentErrors().count(), 0);
});

test('tray texts', () => {
  assert.deepEqual(trayStatus({ sources: 3, files: 12, errorsLastMinute: 4, sharing: false, clients: 0 }), {
    tooltip: 'tailwatch — 3 sources, 12 files, 4 errors in the last minute',
    menuLabel: '4 errors in the last minute',
  });
  assert.deepEqual(trayStatus({ sources: 1, files: 1, errorsLastMinute: 1, sharing: true, clients: 1 }), {
    tooltip: 'tailwatch — 1 source, 1 file, 1 error in the last minute, shared with 1 browser',
    menuLabel: '1 error in the last minute · shared with 1 browser',
  });
  const quiet = trayStatus({ sources: 0, files: 0, errorsLastMinute: 0, sharing: true, clients: 0 });
  assert.equal(quiet.tooltip, 'tailwatch — 0 sources, 0 files, no errors in the last minute, shared with 0 browsers');
  assert.equal(quiet.menuLabel, 'No errors in the last minute · shared with 0 browsers');
  // Windows cuts tray tooltips at 127 characters: even large figures fit.
  const big = trayStatus({ sources: 99_999, files: 999_999, errorsLastMinute: 9_999_999, sharing: true, clients: 9_999 });
  assert.equal(big.tooltip, 'tailwatch — 99,999 sources, 999,999 files, 9,999,999 errors in the last minute, shared with 9,999 browsers');
  assert.ok(big.tooltip.length <= 127);
});
