// How the charts write numbers: bytes in IEC units (KiB, MiB…, as `free -h` and the memory chart's binary
// gridlines), rates, percentages, load averages and line counts; and byte-friendly axis steps.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** "0 B", "512 B", "1.5 KiB", "12 MiB": one decimal below 10 of a unit, none above (3 significant digits at most). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const sign = bytes < 0 ? '−' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  let text = trimZero(value.toFixed(value < 10 && unit > 0 ? 1 : 0));
  // 1023.7 KiB rounds to "1024 KiB": say "1 MiB" instead.
  if (text === '1024' && unit < BYTE_UNITS.length - 1) {
    text = '1';
    unit++;
  }
  return `${sign}${text} ${BYTE_UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return Number.isFinite(bytesPerSecond) ? `${formatBytes(bytesPerSecond)}/s` : '–';
}

/** "0.4%", "23%". */
export function formatPercent(percent: number): string {
  if (!Number.isFinite(percent)) return '–';
  return `${trimZero(percent.toFixed(percent < 10 ? 1 : 0))}%`;
}

export function formatLoad(load: number): string {
  return Number.isFinite(load) ? load.toFixed(2) : '–';
}

/** Counts such as lines per second: "0", "2.5", "340", "1.2k", "45k", "1.2M". */
export function formatCount(count: number): string {
  if (!Number.isFinite(count)) return '–';
  const abs = Math.abs(count);
  if (abs >= 1e6) return `${trimZero((count / 1e6).toFixed(abs < 1e7 ? 1 : 0))}M`;
  if (abs >= 1e3) return `${trimZero((count / 1e3).toFixed(abs < 1e4 ? 1 : 0))}k`;
  return trimZero(count.toFixed(abs < 10 ? 1 : 0));
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/**
 * Axis steps for byte values: whole bytes in 1-2-5 steps below 1 KiB, then powers of two of each unit, so
 * gridlines fall on "4 GiB" and "512 MiB" rather than on "3.73 GiB" (4e9 bytes).
 */
const BYTE_STEPS: readonly number[] = [
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500],
  ...[1, 2, 3, 4, 5].flatMap((power) => [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((m) => m * 1024 ** power)),
];

/** Ticks for [min, max] with at most `maxCount` intervals, on byte steps; the first and last enclose the range. */
export function byteTicks(min: number, max: number, maxCount: number): number[] {
  const span = Math.max(max - min, 1);
  const step = BYTE_STEPS.find((s) => span / s <= Math.max(1, maxCount)) ?? BYTE_STEPS[BYTE_STEPS.length - 1]!;
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let value = first; value <= last + step / 2; value += step) ticks.push(value);
  return ticks;
}
