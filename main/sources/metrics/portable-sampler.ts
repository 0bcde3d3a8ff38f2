// The machine's figures where there is no /proc (macOS, Windows): Node's `os` module and fs.statfs each
// second, and what `os` lacks (network and disk rates, swap, cached memory, every file system) from
// systeminformation every 5 s (LowRateExtras). Missing there, for the README: cpu.iowait and cpu.steal
// (always 0); disk rates only for all disks together (`all`), and none on Windows; load is [0, 0, 0] on
// Windows, which has no load average. Until systeminformation first answers, and if it fails: mem.cached
// and swap are 0, mem.available is os.freemem(), net and disk are empty, fs holds only the system drive.
import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os';
import { statfs as statfsAsync } from 'node:fs/promises';
import { fsMetrics, type FsSpace } from './file-systems';
import type { CpuTimes, ProcStat } from './proc-parsers';
import { LowRateExtras } from './low-rate-extras';
import { cpuMetrics } from './rates';
import { describeError, type SamplerProblem, type SystemSample, type SystemSampler } from './system-sampler';

export interface PortableSamplerOptions {
  problem?: SamplerProblem;
  platform?: NodeJS.Platform;
  statfs?: (path: string) => Promise<FsSpace>;
  /** What `os` lacks; by default systeminformation off Linux, none on Linux (which has LinuxSampler). */
  extras?: LowRateExtras | null;
}

/** os.cpus() as /proc/stat would have it (ms instead of ticks: only ratios are used). */
export function cpuTimesFromOs(list: ReturnType<typeof cpus>): ProcStat {
  const total: CpuTimes = [0, 0, 0, 0, 0, 0, 0, 0];
  const cores = list.map((c, id) => {
    const t = c.times;
    const times: CpuTimes = [t.user, t.nice, t.sys, t.idle, 0, t.irq, 0, 0];
    for (let f = 0; f < times.length; f++) total[f]! += times[f]!;
    return { id, times };
  });
  return { total, cores };
}

export class PortableSampler implements SystemSampler {
  private readonly problem: SamplerProblem;
  private readonly root: string;
  private readonly statfs: (path: string) => Promise<FsSpace>;
  private prev: ProcStat | null = null;
  private readonly extras: LowRateExtras | null;

  constructor(options: PortableSamplerOptions = {}) {
    this.problem = options.problem ?? (() => {});
    this.statfs = options.statfs ?? statfsAsync;
    this.root = (options.platform ?? process.platform) === 'win32' ? `${process.env.SystemDrive ?? 'C:'}\\` : '/';
    this.extras = options.extras !== undefined ? options.extras : process.platform === 'linux' ? null : new LowRateExtras(this.problem);
  }

  async sample(): Promise<SystemSample> {
    const times = cpuTimesFromOs(cpus());
    const cpu = cpuMetrics(this.prev, times);
    this.prev = times;
    const total = totalmem();
    const available = Math.min(total, freemem());
    const sample: SystemSample = {
      cpu,
      mem: { total, used: total - available, available, cached: 0, swapTotal: 0, swapUsed: 0 },
      load: loadavg(),
      net: [],
      disk: [],
      fs: [],
      uptime: uptime(),
    };
    const extra = this.extras?.current();
    if (extra) {
      Object.assign(sample.mem, extra.mem, { used: total - extra.mem.available });
      sample.net = extra.net;
      sample.disk = extra.disk;
      if (extra.fs.length > 0) {
        sample.fs = extra.fs;
        return sample;
      }
    }
    try {
      const figures = fsMetrics({ mount: this.root, device: this.root, type: '' }, await this.statfs(this.root));
      if (figures) sample.fs.push(figures);
    } catch (err) {
      this.problem(`statfs ${this.root}`, `cannot statfs ${this.root}: ${describeError(err)}`);
    }
    return sample;
  }

  close(): void {
    this.extras?.close();
  }
}
