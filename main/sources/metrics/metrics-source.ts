// The metrics source: a sample of the machine, of tailwatch itself and of the log rates once a second (at
// whole seconds of the wall clock), and the top processes every few seconds while a client wants them.
// It hands them to a sink (the hub) and to listeners (the history). Nothing it reads can throw out of
// its timer: a figure that cannot be read is empty or zero in that sample, with one warning per cause.
import type { EventDataMap, MetricsData, SourceInfo } from '../../../protocol/events';
import { LinuxSampler } from './linux-sampler';
import { PROCESS_SAMPLE_EVERY, SAMPLE_INTERVAL_MS, WARNED_PROBLEMS_KEPT } from './limits';
import { PortableSampler } from './portable-sampler';
import { ProcessSampler } from './process-sampler';
import { SelfSampler, type TransportCounters } from './self-sampler';
import { describeError, type SamplerProblem, type SystemSampler } from './system-sampler';

export interface MetricsSink {
  publish<T extends 'metrics' | 'processes'>(type: T, data: EventDataMap[T]): void;
}

export interface MetricsSourceOptions {
  sink: MetricsSink;
  /** The log sources now, for their rates. */
  logSources: () => readonly SourceInfo[];
  counters: TransportCounters;
  /** Does any client want the `processes` topic now? The list is read only while it does. */
  wantsProcesses?: () => boolean;
  warn: (message: string) => void;
  /** Makes the machine's sampler (default: /proc on Linux, Node's os module elsewhere). */
  system?: (problem: SamplerProblem) => SystemSampler;
  /** Makes the process sampler (default: /proc/[pid]/stat on Linux); null: none (no `processes` events). */
  processes?: ((problem: SamplerProblem) => ProcessSampler) | null;
  platform?: NodeJS.Platform;
  intervalMs?: number;
  /** The process list every this many samples. */
  processEvery?: number;
}

export function createSystemSampler(problem: SamplerProblem, platform: NodeJS.Platform = process.platform): SystemSampler {
  return platform === 'linux' ? new LinuxSampler({ problem }) : new PortableSampler({ problem, platform });
}

/** Milliseconds from `now` to the next whole `interval` at least half an interval away (so a timer that fires a little early does not sample twice). */
export function delayToNextTick(now: number, interval: number): number {
  return Math.ceil((now + interval / 2) / interval) * interval - now;
}

export class MetricsSource {
  private readonly sink: MetricsSink;
  private readonly logSources: () => readonly SourceInfo[];
  private readonly wantsProcesses: () => boolean;
  private readonly warn: (message: string) => void;
  private readonly system: SystemSampler;
  private readonly self: SelfSampler;
  private readonly processes: ProcessSampler | null;
  private readonly intervalMs: number;
  private readonly processEvery: number;
  private readonly listeners = new Set<(sample: MetricsData) => void>();
  private readonly warned = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private last: MetricsData | null = null;
  /** Samples to go before the next process list. */
  private processCountdown = 0;

  constructor(options: MetricsSourceOptions) {
    const platform = options.platform ?? process.platform;
    const problem: SamplerProblem = (key, message) => this.warnOnce(key, message);
    this.sink = options.sink;
    this.logSources = options.logSources;
    this.wantsProcesses = options.wantsProcesses ?? (() => false);
    this.warn = options.warn;
    this.system = options.system ? options.system(problem) : createSystemSampler(problem, platform);
    this.self = new SelfSampler({ counters: options.counters, platform });
    const makeProcesses = options.processes !== undefined ? options.processes : platform === 'linux' ? (p: SamplerProblem) => new ProcessSampler({ problem: p }) : null;
    this.processes = makeProcesses ? makeProcesses(problem) : null;
    this.intervalMs = options.intervalMs ?? SAMPLE_INTERVAL_MS;
    this.processEvery = options.processEvery ?? PROCESS_SAMPLE_EVERY;
  }

  /** Takes the baseline the first rates are computed from, then samples on the timer. */
  async start(): Promise<void> {
    await this.system.sample();
    this.self.sample();
    this.schedule();
  }

  /** Calls `listener` with every sample published. Returns the unsubscribe function. */
  onSample(listener: (sample: MetricsData) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The newest sample published, or null before the first. */
  latest(): MetricsData | null {
    return this.last;
  }

  /** One sample now, with rates since the previous one; not published (the timer publishes). */
  async sample(): Promise<MetricsData> {
    const ts = Date.now();
    const system = await this.system.sample();
    const logs = this.logSources().map((s) => ({ source: s.id, linesPerSec: s.linesPerSec, errorsPerSec: s.errorsPerSec, lines: s.lines }));
    return { ts, ...system, self: this.self.sample(), logs };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.system.close();
    this.self.close();
    this.processes?.reset();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.tick(), delayToNextTick(Date.now(), this.intervalMs));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      const sample = await this.sample();
      if (this.closed) return;
      this.last = sample;
      this.sink.publish('metrics', sample);
      for (const listener of this.listeners) {
        try {
          listener(sample);
        } catch (err) {
          this.warnOnce('listener', `a metrics listener failed: ${describeError(err)}`);
        }
      }
      await this.processTick();
    } catch (err) {
      this.warnOnce('tick', `metrics sample failed: ${describeError(err)}`);
    } finally {
      this.schedule();
    }
  }

  /**
   * While someone wants processes: a baseline at once, the first list one sample later (CPU % over one
   * second), then one every `processEvery` samples. When nobody does, the kept state is dropped.
   */
  private async processTick(): Promise<void> {
    const p = this.processes;
    if (!p) return;
    if (!this.wantsProcesses()) {
      if (p.hasBaseline) p.reset();
      return;
    }
    if (!p.hasBaseline) {
      await p.sample();
      this.processCountdown = 1;
      return;
    }
    if (--this.processCountdown > 0) return;
    this.processCountdown = this.processEvery;
    const data = await p.sample();
    if (data && !this.closed) this.sink.publish('processes', data);
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    // Bounded: past the bound the set starts over, so a cause may be warned about again, rarely.
    if (this.warned.size >= WARNED_PROBLEMS_KEPT) this.warned.clear();
    this.warned.add(key);
    this.warn(message);
  }
}
