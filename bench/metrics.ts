// Metrics figure: what one sample costs (CPU µs, median of 200, process.cpuUsage around each), what a
// running metrics source costs an otherwise idle process (its timer and lag meter included), how the /proc
// files are best read (readFile, open + read + close, or pread on kept fds), and what the process list costs
// with at least 500 processes (sleepers are started up to that count, and killed after).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import type { EventDataMap } from '../protocol/events';
import { newTransportStats } from '../main/server/client-stream';
import { MetricsSource } from '../main/sources/metrics/metrics-source';
import { ProcessSampler } from '../main/sources/metrics/process-sampler';
import { percentile, sleep, waitUntil } from './util';

export interface CostStats {
  samples: number;
  medianCpuUs: number;
  p90CpuUs: number;
  meanCpuUs: number;
  medianWallUs: number;
}

export interface ReadWay {
  label: string;
  cpuUs: number;
}

export interface MetricsBenchResult {
  platform: NodeJS.Platform;
  /** The whole sample the timer publishes: machine, self and 20 log sources. */
  sample: CostStats;
  /** The seven /proc files read three ways (Linux only). */
  readWays: ReadWay[];
  processes: (CostStats & { count: number; started: number; shareOfCore: number }) | null;
  /** Share of one core per second with a source running (median, mean), and without it (median). */
  idle: { seconds: number; medianShare: number; meanShare: number; baselineShare: number };
  warnings: string[];
}

const SAMPLES = 200;
const WARM_UP = 20;
const PROCESS_SAMPLES = 20;
const PROCESS_TARGET = 500;
const PROCESS_EVERY_S = 5;
const IDLE_SAMPLES = 10;
const IDLE_WARM_UP_SAMPLES = 2;
const PROC_FILES = ['/proc/stat', '/proc/meminfo', '/proc/loadavg', '/proc/uptime', '/proc/diskstats', '/proc/net/dev', '/proc/self/mounts'];

async function measure(n: number, warmUp: number, body: () => Promise<unknown> | unknown): Promise<CostStats> {
  for (let i = 0; i < warmUp; i++) await body();
  const cpu: number[] = [];
  const wall: number[] = [];
  const total0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await body();
    wall.push((performance.now() - t0) * 1000);
    const d = process.cpuUsage(c0);
    cpu.push(d.user + d.system);
  }
  const total = process.cpuUsage(total0);
  cpu.sort((a, b) => a - b);
  wall.sort((a, b) => a - b);
  return {
    samples: n,
    medianCpuUs: percentile(cpu, 50),
    p90CpuUs: percentile(cpu, 90),
    meanCpuUs: (total.user + total.system) / n,
    medianWallUs: percentile(wall, 50),
  };
}

/** CPU µs per round of reading the seven files, by way of reading, over many rounds (one round is too short to time alone). */
function readWays(): ReadWay[] {
  const buf = Buffer.allocUnsafe(256 * 1024);
  const drain = (fd: number, positioned: boolean) => {
    let n = 0;
    let r: number;
    while ((r = readSync(fd, buf, n, buf.length - n, positioned ? n : null)) > 0) n += r;
    return buf.toString('latin1', 0, n);
  };
  const kept = PROC_FILES.map((f) => openSync(f, 'r'));
  const ways: [string, () => void][] = [
    ['readFileSync each file', () => PROC_FILES.forEach((f) => readFileSync(f, 'latin1'))],
    [
      'open + read + close each',
      () =>
        PROC_FILES.forEach((f) => {
          const fd = openSync(f, 'r');
          drain(fd, false);
          closeSync(fd);
        }),
    ],
    ['pread on kept fds (used)', () => kept.forEach((fd) => drain(fd, true))],
  ];
  const rounds = 2000;
  const out = ways.map(([label, round]) => {
    for (let i = 0; i < 200; i++) round();
    const c0 = process.cpuUsage();
    for (let i = 0; i < rounds; i++) round();
    const d = process.cpuUsage(c0);
    return { label, cpuUs: (d.user + d.system) / rounds };
  });
  kept.forEach((fd) => closeSync(fd));
  return out;
}

function processCount(): number {
  return readdirSync('/proc').filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57).length;
}

/** Starts `sleep` processes until this machine has `target` processes; they end by themselves after 10 min. */
async function fillProcesses(target: number): Promise<ChildProcess[]> {
  const started: Promise<void>[] = [];
  const children: ChildProcess[] = [];
  for (let i = processCount(); i < target; i++) {
    const child = spawn('sleep', ['600'], { stdio: 'ignore' });
    children.push(child);
    started.push(new Promise((resolve) => child.once('spawn', resolve).once('error', () => resolve())));
  }
  await Promise.all(started);
  return children;
}

export async function runMetrics(): Promise<MetricsBenchResult> {
  const warnings: string[] = [];
  const sink = { publish<T extends 'metrics' | 'processes'>(_type: T, _data: EventDataMap[T]): void {} };
  const logSources = Array.from({ length: 20 }, (_, i) => ({
    id: `src${i}`, path: `/var/log/app${i}.log`, name: `app${i}.log`, state: 'live' as const, size: 1000, lines: 100 + i, bytes: 1000, errors: 0, linesPerSec: i, errorsPerSec: 0,
  }));
  const source = new MetricsSource({ sink, logSources: () => logSources, counters: newTransportStats(), warn: (m) => warnings.push(m), processes: null });
  let sample: CostStats;
  try {
    await source.sample();
    sample = await measure(SAMPLES, WARM_UP, () => source.sample());
  } finally {
    source.close();
  }

  // A running source in an otherwise idle process (its code warmed up by the samples above): the CPU of each
  // second between two samples, median and mean (V8's background compiles and GCs make a few seconds
  // costlier); and the same process idle without it.
  const running = new MetricsSource({ sink, logSources: () => logSources, counters: newTransportStats(), warn: (m) => warnings.push(m), processes: null });
  const seconds: number[] = [];
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  running.onSample(() => {
    const d = process.cpuUsage(c0);
    const t = performance.now();
    seconds.push((d.user + d.system) / 1000 / (t - t0));
    c0 = process.cpuUsage();
    t0 = t;
  });
  await running.start();
  try {
    await waitUntil(() => seconds.length > IDLE_WARM_UP_SAMPLES + IDLE_SAMPLES, (IDLE_WARM_UP_SAMPLES + IDLE_SAMPLES + 5) * 1000, 100);
  } finally {
    running.close();
  }
  const steady = seconds.slice(IDLE_WARM_UP_SAMPLES + 1);
  const baseline: number[] = [];
  for (let i = 0; i < 5; i++) {
    const b0 = process.cpuUsage();
    const s0 = performance.now();
    await sleep(1000);
    const d = process.cpuUsage(b0);
    baseline.push((d.user + d.system) / 1000 / (performance.now() - s0));
  }
  const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
  const idle = {
    seconds: steady.length,
    medianShare: median(steady),
    meanShare: steady.reduce((a, b) => a + b, 0) / Math.max(1, steady.length),
    baselineShare: median(baseline),
  };

  const linux = process.platform === 'linux';
  let processes: MetricsBenchResult['processes'] = null;
  if (linux) {
    const sleepers = await fillProcesses(PROCESS_TARGET);
    try {
      const sampler = new ProcessSampler({ problem: (_k, m) => warnings.push(m) });
      await sampler.sample();
      const count = processCount();
      const cost = await measure(PROCESS_SAMPLES, 2, () => sampler.sample());
      processes = { ...cost, count, started: sleepers.length, shareOfCore: cost.medianCpuUs / (PROCESS_EVERY_S * 1e6) };
    } finally {
      for (const s of sleepers) s.kill('SIGKILL');
      await sleep(200);
    }
  }

  return {
    platform: process.platform,
    sample,
    readWays: linux ? readWays() : [],
    processes,
    idle,
    warnings,
  };
}
