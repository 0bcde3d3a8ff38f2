// The time column: the clock for today's lines, the date for older ones, the year for another year's, each
// in one width; the tooltip's ISO 8601 time with offset and zone, and file:line; local and UTC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogTime, timeTooltip } from '../../renderer/log-panel/log-time';
import { formatClock, timeTicks } from '../../renderer/charts/time-axis';
import { downloadName } from '../../renderer/log-panel/log-format';
import { setTimeZone } from '../../renderer/services/time-zone';

const NOW = Date.UTC(2026, 11, 7, 18, 30, 0);

test('today shows the clock; another day its date; another year the year too, each form one width', (t) => {
  setTimeZone('utc');
  t.after(() => setTimeZone('local'));
  assert.deepEqual(formatLogTime(Date.UTC(2026, 11, 7, 4, 15, 0, 7), NOW), { text: '04:15:00.007', form: 'clock' });
  assert.deepEqual(formatLogTime(Date.UTC(2026, 11, 4, 4, 15, 0), NOW), { text: 'Dec 04 04:15:00.000', form: 'day' });
  assert.deepEqual(formatLogTime(Date.UTC(2026, 0, 14, 23, 59, 59, 999), NOW), { text: 'Jan 14 23:59:59.999', form: 'day' });
  assert.deepEqual(formatLogTime(Date.UTC(2025, 11, 7, 4, 15, 0), NOW), { text: '2025-12-07 04:15:00.000', form: 'year' });
  const widths = new Map<string, Set<number>>();
  for (let day = 0; day < 800; day += 7) {
    const { text, form } = formatLogTime(NOW - day * 86_400_000 - 3_600_000, NOW);
    widths.set(form, (widths.get(form) ?? new Set()).add(text.length));
  }
  assert.deepEqual([...widths].map(([form, set]) => [form, [...set]]), [['clock', [12]], ['day', [19]], ['year', [23]]]);
});

test('"today" and the shown clock are those of the zone chosen', (t) => {
  const tz = process.env.TZ;
  process.env.TZ = 'Asia/Kolkata'; // +05:30, no daylight saving
  t.after(() => {
    process.env.TZ = tz;
    setTimeZone('local');
  });
  const ts = Date.UTC(2026, 11, 7, 20, 0, 0); // 01:30 on Dec 8 in Kolkata
  const now = Date.UTC(2026, 11, 7, 12, 0, 0); // Dec 7 on both clocks
  setTimeZone('utc');
  assert.equal(formatLogTime(ts, now).text, '20:00:00.000');
  assert.equal(formatClock(ts, true), '20:00:00');
  assert.equal(downloadName(new Date(ts)), 'tailwatch-20261207-200000Z.log');
  setTimeZone('local');
  assert.equal(formatLogTime(ts, now).text, 'Dec 08 01:30:00.000');
  assert.equal(formatClock(ts, true), '01:30:00');
  assert.equal(downloadName(new Date(ts)), 'tailwatch-20261208-013000.log');
  // Hour ticks fall on the zone's whole hours: :30 UTC in Kolkata, :00 in UTC.
  assert.equal(new Date(timeTicks(ts - 1, ts + 3_600_000, 3_600_000)[0]!).getUTCMinutes(), 30);
  setTimeZone('utc');
  assert.equal(new Date(timeTicks(ts - 1, ts + 3_600_000, 3_600_000)[0]!).getUTCMinutes(), 0);
});

test('the tooltip: ISO 8601 with offset and zone name on the clock shown, then the other clock, then path:seq', (t) => {
  const tz = process.env.TZ;
  process.env.TZ = 'Europe/Berlin'; // +01:00 in December
  t.after(() => {
    process.env.TZ = tz;
    setTimeZone('local');
  });
  const ts = Date.UTC(2026, 11, 4, 4, 15, 0, 250);
  setTimeZone('local');
  assert.equal(timeTooltip(ts, '/var/log/app.log', 1234), '2026-12-04T05:15:00.250+01:00 (Europe/Berlin)\n2026-12-04T04:15:00.250+00:00 (UTC)\n/var/log/app.log:1234');
  setTimeZone('utc');
  assert.equal(timeTooltip(ts, '/var/log/app.log', -3), '2026-12-04T04:15:00.250+00:00 (UTC)\n2026-12-04T05:15:00.250+01:00 (Europe/Berlin)\n/var/log/app.log:-3');
});
