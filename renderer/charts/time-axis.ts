// The shared time axis: ticks on round times (every 10 s, 1 min, 15 min…) of the zone shown (local or UTC,
// services/time-zone.ts) and their HH:MM[:SS] labels. The x values are ms since the epoch on a plain linear
// scale (Chart.js's time scale needs a date adapter this bundle does not ship).
import { pad, wallTime, zoneOffsetMs } from '../services/time-zone';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Tick intervals, each of which divides the next larger unit, so ticks land on round clock times. */
const STEPS_MS: readonly number[] = [
  ...[1, 2, 5, 10, 15, 30].map((s) => s * SECOND),
  ...[1, 2, 5, 10, 15, 30].map((m) => m * MINUTE),
  ...[1, 2, 3, 6, 12].map((h) => h * HOUR),
];

/** The tick interval that puts at most `maxCount` ticks on [min, max]. */
export function timeStep(min: number, max: number, maxCount: number): number {
  const span = Math.max(max - min, 1);
  return STEPS_MS.find((step) => span / step <= Math.max(1, maxCount)) ?? STEPS_MS[STEPS_MS.length - 1]!;
}

/** Tick values inside [min, max], on multiples of `step` in the zone shown (zones off the hour included). */
export function timeTicks(min: number, max: number, step: number): number[] {
  const offset = zoneOffsetMs(min);
  const ticks: number[] = [];
  for (let t = Math.ceil((min + offset) / step) * step - offset; t <= max; t += step) ticks.push(t);
  return ticks;
}

/** 24-hour clock time in the zone shown: "14:05", or "14:05:30" with seconds. */
export function formatClock(ts: number, withSeconds: boolean): string {
  const w = wallTime(ts);
  const hm = `${pad(w.hours)}:${pad(w.minutes)}`;
  return withSeconds ? `${hm}:${pad(w.seconds)}` : hm;
}

/** "2026-11-21 14:05:30" in the zone shown: the PNG caption and file name. */
export function formatDateTime(ts: number): string {
  const w = wallTime(ts);
  return `${w.year}-${pad(w.month + 1)}-${pad(w.day)} ${formatClock(ts, true)}`;
}

/** A range as the user reads it: "14:02:10 – 14:05:00". */
export function formatRange(min: number, max: number): string {
  return `${formatClock(min, true)} – ${formatClock(max, true)}`;
}

/** Whether labels at this step need seconds to be told apart. */
export function stepNeedsSeconds(step: number): boolean {
  return step < MINUTE;
}
