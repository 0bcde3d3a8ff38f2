// Rates and shares from two readings of kernel counters: counter wrap and reset, CPU shares, and
// per-device rates that survive devices coming and going. Pure functions over parsed values.
import type { CpuMetrics, DiskMetrics, NetMetrics } from '../../../protocol/events';
import type { CpuTimes, DiskCounters, NetCounters, ProcStat } from './proc-parsers';

const WRAP_32 = 2 ** 32;
/** /proc/diskstats counts sectors of 512 bytes, whatever the device's own sector size. */
const SECTOR_BYTES = 512;

/**
 * How much a counter grew from `prev` to `cur`. A counter that went backwards either wrapped at 32 bits
 * (when that reading gives a growth under 2^31: the counter was near its top) or was reset (driver reload,
 * device replaced under the same name): then 0, since what it counted before the reset is unknown. A
 * 64-bit counter never wraps in practice, so it is always a reset. Never negative, never a wrap-sized jump.
 */
export function counterDelta(prev: number, cur: number): number {
  if (cur >= prev) return cur - prev;
  if (prev < WRAP_32) {
    const wrapped = WRAP_32 - prev + cur;
    if (wrapped < WRAP_32 / 2) return wrapped;
  }
  return 0;
}

// Indexes into CpuTimes (CPU_FIELDS order).
const USER = 0;
const NICE = 1;
const SYSTEM = 2;
const IDLE = 3;
const IOWAIT = 4;
const IRQ = 5;
const SOFTIRQ = 6;
const STEAL = 7;

export interface CpuShares {
  /** Busy share: user + system + steal (iowait is idle time, as in top and psutil). */
  total: number;
  user: number;
  system: number;
  iowait: number;
  steal: number;
}

const ZERO_SHARES: CpuShares = { total: 0, user: 0, system: 0, iowait: 0, steal: 0 };

/**
 * Percentages of all CPU time between two readings of one `cpu` line. user = user + nice (guest time is
 * inside both already); system = system + irq + softirq. A field that went backwards (iowait does on
 * some tickless kernels) counts as 0.
 */
export function cpuShares(prev: CpuTimes, cur: CpuTimes): CpuShares {
  const d = (i: number) => Math.max(0, cur[i]! - prev[i]!);
  const user = d(USER) + d(NICE);
  const system = d(SYSTEM) + d(IRQ) + d(SOFTIRQ);
  const iowait = d(IOWAIT);
  const steal = d(STEAL);
  const all = user + system + iowait + steal + d(IDLE);
  if (all === 0) return ZERO_SHARES;
  const pct = (v: number) => (v * 100) / all;
  return { total: pct(user + system + steal), user: pct(user), system: pct(system), iowait: pct(iowait), steal: pct(steal) };
}

/** The CPU figures of a sample: the machine's shares and each core's busy %, matched by core id. */
export function cpuMetrics(prev: ProcStat | null, cur: ProcStat): CpuMetrics {
  const cores: number[] = new Array<number>(cur.cores.length).fill(0);
  if (!prev) return { total: 0, cores, user: 0, system: 0, iowait: 0, steal: 0 };
  for (let i = 0; i < cur.cores.length; i++) {
    const core = cur.cores[i]!;
    // Same position in nearly every sample; a core that came online has no previous reading (0 this time).
    const before = prev.cores[i]?.id === core.id ? prev.cores[i] : prev.cores.find((c) => c.id === core.id);
    if (before) cores[i] = cpuShares(before.times, core.times).total;
  }
  return { ...cpuShares(prev.total, cur.total), cores };
}

/**
 * Network rates since the previous reading. An interface seen for the first time gets no rate (it is left
 * out until its second reading); one that went away is absent from `cur`, so from the result.
 */
export function netRates(prev: ReadonlyMap<string, NetCounters>, cur: readonly NetCounters[], seconds: number): NetMetrics[] {
  const out: NetMetrics[] = [];
  if (!(seconds > 0)) return out;
  for (const c of cur) {
    const p = prev.get(c.name);
    if (p) out.push({ name: c.name, rxBytesPerSec: counterDelta(p.rxBytes, c.rxBytes) / seconds, txBytesPerSec: counterDelta(p.txBytes, c.txBytes) / seconds });
  }
  return out;
}

/** Disk rates in bytes/s since the previous reading; new and vanished devices as in `netRates`. */
export function diskRates(prev: ReadonlyMap<string, DiskCounters>, cur: readonly DiskCounters[], seconds: number): DiskMetrics[] {
  const out: DiskMetrics[] = [];
  if (!(seconds > 0)) return out;
  for (const c of cur) {
    const p = prev.get(c.name);
    if (!p) continue;
    out.push({
      name: c.name,
      readBytesPerSec: (counterDelta(p.sectorsRead, c.sectorsRead) * SECTOR_BYTES) / seconds,
      writeBytesPerSec: (counterDelta(p.sectorsWritten, c.sectorsWritten) * SECTOR_BYTES) / seconds,
    });
  }
  return out;
}
