// What Node's `os` module lacks on macOS and Windows: network and disk rates, swap, cached and reclaimable
// memory, every file system. `systeminformation` has them, but there it runs tools (vm_stat, netstat,
// PowerShell) that cost tens of milliseconds, so it is asked only every EXTRAS_REFRESH_MS, in the background,
// and a sample uses its latest answer. It is loaded only where it is used.
import type { DiskMetrics, FsMetrics, MemMetrics, NetMetrics } from '../../../protocol/events';
import { EXTRAS_REFRESH_MS } from './limits';
import { describeError, type SamplerProblem } from './system-sampler';

export interface ExtraFigures {
  net: NetMetrics[];
  /** One entry, `all`: systeminformation has read/write rates for all disks together only. */
  disk: DiskMetrics[];
  fs: FsMetrics[];
  mem: Pick<MemMetrics, 'available' | 'cached' | 'swapTotal' | 'swapUsed'>;
}

type SystemInformation = typeof import('systeminformation');

/** A rate systeminformation has no value for yet (its first call) or got wrong: not shown. */
const rate = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;

const isLoopback = (name: string) => /^lo\d*$/.test(name) || /loopback/i.test(name);

export class LowRateExtras {
  private latest: ExtraFigures | null = null;
  private refreshing = false;
  private refreshedAt = -Infinity;
  private closed = false;

  constructor(
    private readonly problem: SamplerProblem,
    private readonly everyMs = EXTRAS_REFRESH_MS,
  ) {}

  /** The newest figures (null until a first answer came); asks for new ones in the background when due. */
  current(now = Date.now()): ExtraFigures | null {
    if (!this.refreshing && !this.closed && now - this.refreshedAt >= this.everyMs) {
      this.refreshedAt = now;
      void this.refresh();
    }
    return this.latest;
  }

  close(): void {
    this.closed = true;
  }

  /** Asks now and waits for the answer (the first call of a sampler, and tests). */
  async refresh(): Promise<ExtraFigures | null> {
    this.refreshing = true;
    try {
      const si: SystemInformation = await import('systeminformation');
      const [net, disks, mem, sizes] = await Promise.all([si.networkStats('*'), si.fsStats(), si.mem(), si.fsSize()]);
      this.latest = {
        net: net
          .filter((n) => !isLoopback(n.iface))
          .flatMap((n) => {
            const rx = rate(n.rx_sec);
            const tx = rate(n.tx_sec);
            return rx === null || tx === null ? [] : [{ name: n.iface, rxBytesPerSec: rx, txBytesPerSec: tx }];
          }),
        disk: [disks]
          .filter((d) => d && rate(d.rx_sec) !== null && rate(d.wx_sec) !== null)
          .map((d) => ({ name: 'all', readBytesPerSec: d.rx_sec!, writeBytesPerSec: d.wx_sec! })),
        fs: sizes
          .filter((f) => f.size > 0)
          .map((f) => ({
            mount: f.mount,
            device: f.fs,
            type: f.type,
            size: f.size,
            used: f.used,
            usedPercent: Math.round((f.used / (f.used + f.available || 1)) * 10000) / 100,
          })),
        mem: { available: mem.available, cached: mem.cached, swapTotal: mem.swaptotal, swapUsed: mem.swapused },
      };
    } catch (err) {
      this.problem('systeminformation', `cannot read network, disk and swap figures: ${describeError(err)}`);
    } finally {
      this.refreshing = false;
    }
    return this.latest;
  }
}
