// The machine's figures on Linux, read from /proc (kept open, see proc-file.ts) and fs.statfs; no child
// process, no library. One sample reads seven small files and costs some tens of µs of CPU.
import { statfs as statfsAsync } from 'node:fs/promises';
import type { FsMetrics, MemMetrics } from '../../../protocol/events';
import { WholeDiskCheck } from './block-devices';
import { fsMetrics, realMounts, type FsSpace } from './file-systems';
import { MOUNTS_REFRESH_MS, STATFS_WAIT_MS } from './limits';
import { KeptFile } from './proc-file';
import {
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseProcStat,
  parseUptime,
  type DiskCounters,
  type MountEntry,
  type NetCounters,
  type ProcStat,
} from './proc-parsers';
import { cpuMetrics, diskRates, netRates } from './rates';
import { describeError, type SamplerProblem, type SystemSample, type SystemSampler } from './system-sampler';

export interface LinuxSamplerOptions {
  /** Where procfs is (default /proc); tests point it at captured files. */
  procRoot?: string;
  /** Where sysfs is, to tell partitions from disks; null: by name only. Default /sys with the real /proc, else null. */
  sysRoot?: string | null;
  /** Show the loopback interface too (default false). */
  includeLoopback?: boolean;
  /** Default fs.promises.statfs. */
  statfs?: (path: string) => Promise<FsSpace>;
  /** Monotonic milliseconds (default performance.now). */
  clock?: () => number;
  problem?: SamplerProblem;
  statfsWaitMs?: number;
  mountsRefreshMs?: number;
}

type ProcFileName = 'stat' | 'meminfo' | 'loadavg' | 'uptime' | 'diskstats' | 'netDev' | 'mounts';

const NO_MEMORY: MemMetrics = { total: 0, used: 0, available: 0, cached: 0, swapTotal: 0, swapUsed: 0 };

export class LinuxSampler implements SystemSampler {
  private readonly procRoot: string;
  private readonly includeLoopback: boolean;
  private readonly statfs: (path: string) => Promise<FsSpace>;
  private readonly clock: () => number;
  private readonly problem: SamplerProblem;
  private readonly statfsWaitMs: number;
  private readonly mountsRefreshMs: number;
  private readonly disks: WholeDiskCheck;
  private readonly files: Record<ProcFileName, KeptFile>;

  private prevStat: ProcStat | null = null;
  private prevNet = new Map<string, NetCounters>();
  private prevNetAt = 0;
  private prevDisk = new Map<string, DiskCounters>();
  private prevDiskAt = 0;
  private mounts: MountEntry[] = [];
  private mountsReadAt = -Infinity;
  /** The last statfs answer per mount point, and the mount points whose statfs has not answered yet. */
  private readonly space = new Map<string, FsMetrics>();
  private readonly statfsPending = new Set<string>();

  constructor(options: LinuxSamplerOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.includeLoopback = options.includeLoopback ?? false;
    this.statfs = options.statfs ?? statfsAsync;
    this.clock = options.clock ?? (() => performance.now());
    this.problem = options.problem ?? (() => {});
    this.statfsWaitMs = options.statfsWaitMs ?? STATFS_WAIT_MS;
    this.mountsRefreshMs = options.mountsRefreshMs ?? MOUNTS_REFRESH_MS;
    this.disks = new WholeDiskCheck(options.sysRoot !== undefined ? options.sysRoot : this.procRoot === '/proc' ? '/sys' : null);
    const p = this.procRoot;
    this.files = {
      stat: new KeptFile(`${p}/stat`),
      meminfo: new KeptFile(`${p}/meminfo`),
      loadavg: new KeptFile(`${p}/loadavg`),
      uptime: new KeptFile(`${p}/uptime`),
      diskstats: new KeptFile(`${p}/diskstats`),
      netDev: new KeptFile(`${p}/net/dev`),
      mounts: new KeptFile(`${p}/self/mounts`, 'utf8'),
    };
  }

  async sample(): Promise<SystemSample> {
    const now = this.clock();
    const stat = this.read('stat', parseProcStat);
    const cpu = stat ? cpuMetrics(this.prevStat, stat) : cpuMetrics(null, { total: [], cores: [] });
    if (stat) this.prevStat = stat;
    const mem = this.read('meminfo', parseMeminfo);
    const sample: SystemSample = {
      cpu,
      mem: mem
        ? { total: mem.total, used: mem.total - mem.available, available: mem.available, cached: mem.cached, swapTotal: mem.swapTotal, swapUsed: mem.swapTotal - mem.swapFree }
        : NO_MEMORY,
      load: this.read('loadavg', parseLoadavg) ?? [0, 0, 0],
      net: this.net(now),
      disk: this.disk(now),
      fs: [],
      uptime: this.read('uptime', parseUptime) ?? 0,
    };
    sample.fs = await this.fileSystems(now);
    return sample;
  }

  close(): void {
    for (const file of Object.values(this.files)) file.close();
  }

  /** One file parsed, or null (reported) when it cannot be read. */
  private read<T>(which: ProcFileName, parse: (text: string) => T): T | null {
    const file = this.files[which];
    try {
      return parse(file.read());
    } catch (err) {
      this.problem(file.path, `cannot read ${file.path}: ${describeError(err)}`);
      return null;
    }
  }

  private net(now: number): SystemSample['net'] {
    const all = this.read('netDev', parseNetDev);
    if (!all) {
      // No rate across the gap: the next good reading starts afresh.
      this.prevNet.clear();
      return [];
    }
    const cur = this.includeLoopback ? all : all.filter((n) => n.name !== 'lo');
    const out = netRates(this.prevNet, cur, (now - this.prevNetAt) / 1000);
    this.prevNet = new Map(cur.map((n) => [n.name, n]));
    this.prevNetAt = now;
    return out;
  }

  private disk(now: number): SystemSample['disk'] {
    const all = this.read('diskstats', parseDiskstats);
    if (!all) {
      this.prevDisk.clear();
      return [];
    }
    const cur = all.filter((d) => this.disks.isWholeDisk(d.name));
    if (this.disks.size > all.length) this.disks.forget(new Set(all.map((d) => d.name)));
    const out = diskRates(this.prevDisk, cur, (now - this.prevDiskAt) / 1000);
    this.prevDisk = new Map(cur.map((d) => [d.name, d]));
    this.prevDiskAt = now;
    return out;
  }

  /**
   * Space of every real mount. statfs runs in the thread pool, and at most once at a time per mount: a hung
   * network mount holds one thread and shows its last figures (or none), instead of blocking the event
   * loop or piling up calls. A sample waits `statfsWaitMs` at most for the answers.
   */
  private async fileSystems(now: number): Promise<SystemSample['fs']> {
    if (now - this.mountsReadAt >= this.mountsRefreshMs) {
      const mounts = this.read('mounts', parseMounts);
      if (mounts) {
        this.mounts = realMounts(mounts);
        this.mountsReadAt = now;
        const listed = new Set(this.mounts.map((m) => m.mount));
        for (const mount of this.space.keys()) if (!listed.has(mount)) this.space.delete(mount);
      }
    }
    const asked: Promise<void>[] = [];
    for (const m of this.mounts) {
      if (this.statfsPending.has(m.mount)) continue;
      this.statfsPending.add(m.mount);
      asked.push(
        this.statfs(m.mount).then(
          (s) => {
            this.statfsPending.delete(m.mount);
            const figures = fsMetrics(m, s);
            if (figures) this.space.set(m.mount, figures);
            else this.space.delete(m.mount);
          },
          (err: unknown) => {
            this.statfsPending.delete(m.mount);
            this.space.delete(m.mount);
            this.problem(`statfs ${m.mount}`, `cannot statfs ${m.mount}: ${describeError(err)}`);
          },
        ),
      );
    }
    if (asked.length > 0) await settledWithin(Promise.all(asked), this.statfsWaitMs);
    const out: FsMetrics[] = [];
    for (const m of this.mounts) {
      const figures = this.space.get(m.mount);
      if (figures) out.push(figures);
    }
    return out;
  }
}

/** Resolves when `promise` settles or after `ms`, whichever is first. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.race([promise.then(() => {}), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
