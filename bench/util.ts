// Small shared helpers of the benchmark: clocks, bounded waits, statistics and number formatting.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Wall-clock milliseconds with sub-ms resolution. Writer and clients live in this one process, so a
 * timestamp written into a line and the time it is read back come from the same monotonic clock.
 */
export function hrNow(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it is true or `timeoutMs` passes. Never throws on timeout: a benchmark reports
 * how far it got instead of failing, so the caller gets `false` and prints what was reached.
 */
export async function waitUntil(check: () => boolean, timeoutMs: number, pollMs = 5): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

/** Nearest-rank percentile of an already sorted array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

export function fmtNum(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

export const MiB = 1024 * 1024;

export function fmtMiB(bytes: number, digits = 1): string {
  return Number.isFinite(bytes) ? `${(bytes / MiB).toFixed(digits)} MiB` : 'n/a';
}

/** A fresh temp directory for one server's watched files; removed at the end whatever happened. */
export async function makeTempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `tailwatch-bench-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Prints rows as an aligned text table (console.table quotes strings and adds an index column). */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/**
 * With BENCH_CPU_PROFILE=FILE set, a V8 CPU profile of this process from now until the returned stop() is
 * written to FILE (open it in Chrome's DevTools): the timed window alone, not the bench's set-up. With
 * BENCH_HEAP_PROFILE=FILE, a sampled allocation profile of the same window (`.heapprofile`, DevTools' Memory
 * tab): what the hot path allocates, which is what its garbage collection costs.
 */
export async function profileWindow(): Promise<() => Promise<void>> {
  const cpuFile = process.env.BENCH_CPU_PROFILE;
  const heapFile = process.env.BENCH_HEAP_PROFILE;
  if (!cpuFile && !heapFile) return async () => {};
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  if (cpuFile) {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  if (heapFile) {
    await session.post('HeapProfiler.enable');
    // Every ~4 KiB allocated on average, the garbage included: enough samples over a run of hundreds of MB.
    await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  return async () => {
    if (cpuFile) await writeFile(cpuFile, JSON.stringify((await session.post('Profiler.stop')).profile));
    if (heapFile) await writeFile(heapFile, JSON.stringify((await session.post('HeapProfiler.stopSampling')).profile));
    session.disconnect();
  };
}

/** Counts garbage-collection pauses from now until stop(): their total ms and how many. */
export async function gcWindow(): Promise<() => { ms: number; count: number }> {
  const { PerformanceObserver } = await import('node:perf_hooks');
  let ms = 0;
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      ms += entry.duration;
      count++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    for (const entry of observer.takeRecords()) {
      ms += entry.duration;
      count++;
    }
    observer.disconnect();
    return { ms, count };
  };
}
