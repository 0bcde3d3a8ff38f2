// The top processes by CPU and by memory, from /proc/[pid]/stat (Linux only). Incremental: the CPU ticks
// of each pid are kept from one reading to the next (with its start time, so a reused pid is a new
// process), and pids that exited are forgotten. Reads are synchronous (in-memory kernel text) but cut
// into chunks with a turn of the event loop between them, so 500 processes never stall it for long.
import { readdirSync } from 'node:fs';
import type { ProcessesData, ProcessInfo } from '../../../protocol/events';
import { PROCESS_READ_CHUNK, TOP_PROCESSES, USER_HZ } from './limits';
import { readSmallFile } from './proc-file';
import { parsePidStat, parseUptime } from './proc-parsers';
import { describeError, type SamplerProblem } from './system-sampler';

export interface ProcessSamplerOptions {
  /** Where procfs is (default /proc). */
  procRoot?: string;
  /** Bytes per page, for RSS. Default: this machine's with the real /proc, else 4096. */
  pageSize?: number;
  /** Processes per list (default TOP_PROCESSES). */
  top?: number;
  /** Monotonic milliseconds (default performance.now). */
  clock?: () => number;
  problem?: SamplerProblem;
}

interface Seen {
  cpuTicks: number;
  startTicks: number;
  /** The reading that last saw it: entries left behind are pids that exited. */
  reading: number;
}

/** This machine's page size: RSS in bytes (process.memoryUsage) over RSS in pages (/proc/self/statm). */
export function detectPageSize(): number {
  try {
    const pages = Number(readSmallFile('/proc/self/statm').split(' ')[1]);
    const ratio = process.memoryUsage.rss() / pages;
    // RSS moves between the two readings; page sizes are powers of two from 4 to 64 KiB.
    const size = 2 ** Math.round(Math.log2(ratio));
    return Number.isFinite(size) ? Math.min(65536, Math.max(4096, size)) : 4096;
  } catch {
    return 4096;
  }
}

/** Puts `p` into `list` (sorted by `key`, highest first) if it is among the `max` highest. */
function insertTop(list: ProcessInfo[], p: ProcessInfo, key: 'cpu' | 'rss', max: number): void {
  if (list.length === max && p[key] <= list[max - 1]![key]) return;
  let i = list.length;
  while (i > 0 && list[i - 1]![key] < p[key]) i--;
  list.splice(i, 0, p);
  if (list.length > max) list.pop();
}

const isDigit = (c: number) => c >= 48 && c <= 57;

export class ProcessSampler {
  private readonly procRoot: string;
  private readonly pageSize: number;
  private readonly top: number;
  private readonly clock: () => number;
  private readonly problem: SamplerProblem;
  private readonly seen = new Map<number, Seen>();
  private readonly fields: number[] = [];
  private reading = 0;
  private prevAt = 0;
  private prevUptimeTicks = 0;
  private primed = false;

  constructor(options: ProcessSamplerOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.pageSize = options.pageSize ?? (this.procRoot === '/proc' ? detectPageSize() : 4096);
    this.top = options.top ?? TOP_PROCESSES;
    this.clock = options.clock ?? (() => performance.now());
    this.problem = options.problem ?? (() => {});
  }

  /** Has a reading been taken that the next one can compute CPU % from? */
  get hasBaseline(): boolean {
    return this.primed;
  }

  /**
   * Reads every process. The first call after construction or `reset` only takes the baseline and resolves
   * to null; later ones give each process's CPU % since the previous call. A process that started since
   * then counts all its CPU time; one first seen that is older (its read failed before) counts 0.
   */
  async sample(): Promise<ProcessesData | null> {
    const now = this.clock();
    const ts = Date.now();
    let names: string[];
    let uptimeTicks: number;
    try {
      uptimeTicks = parseUptime(readSmallFile(`${this.procRoot}/uptime`)) * USER_HZ;
      names = readdirSync(this.procRoot);
    } catch (err) {
      this.problem(this.procRoot, `cannot list processes in ${this.procRoot}: ${describeError(err)}`);
      return null;
    }
    const reading = ++this.reading;
    const baseline = !this.primed;
    const seconds = (now - this.prevAt) / 1000;
    const byCpu: ProcessInfo[] = [];
    const byMem: ProcessInfo[] = [];
    let count = 0;
    let sinceYield = 0;
    for (const name of names) {
      if (!isDigit(name.charCodeAt(0))) continue;
      if (++sinceYield === PROCESS_READ_CHUNK) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      let text: string;
      try {
        text = readSmallFile(`${this.procRoot}/${name}/stat`, 'utf8');
      } catch {
        continue; // exited since the listing
      }
      const st = parsePidStat(text, this.fields);
      if (!st) continue;
      count++;
      let ticks = 0;
      const before = this.seen.get(st.pid);
      if (before && before.startTicks === st.startTicks) {
        ticks = Math.max(0, st.cpuTicks - before.cpuTicks);
        before.cpuTicks = st.cpuTicks;
        before.reading = reading;
      } else {
        if (!baseline && st.startTicks >= this.prevUptimeTicks) ticks = st.cpuTicks;
        this.seen.set(st.pid, { cpuTicks: st.cpuTicks, startTicks: st.startTicks, reading });
      }
      if (baseline) continue;
      const p: ProcessInfo = { pid: st.pid, name: st.name, cpu: seconds > 0 ? (ticks * 100) / USER_HZ / seconds : 0, rss: st.rssPages * this.pageSize };
      insertTop(byCpu, p, 'cpu', this.top);
      insertTop(byMem, p, 'rss', this.top);
    }
    for (const [pid, s] of this.seen) if (s.reading !== reading) this.seen.delete(pid);
    this.primed = true;
    this.prevAt = now;
    this.prevUptimeTicks = uptimeTicks;
    return baseline ? null : { ts, byCpu, byMem, count };
  }

  /** Forgets every process (nobody is watching); the next `sample` is a baseline again. */
  reset(): void {
    this.seen.clear();
    this.primed = false;
  }
}
