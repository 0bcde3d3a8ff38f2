// tailwatch's own figures: CPU, memory, event-loop lag, open fds, and what the transports have sent.
import { readdirSync, statSync } from 'node:fs';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { SelfMetrics } from '../../../protocol/events';
import { LAG_RESOLUTION_MS } from './limits';

/** The transports' running totals (main/server/client-stream.ts TransportStats has these fields). */
export interface TransportCounters {
  readonly clientsConnected: number;
  readonly eventsSent: number;
  readonly bytesSent: number;
  /** Log lines slow clients did not get (replaced by `gap` events). */
  readonly linesDropped: number;
}

export interface SelfSamplerOptions {
  counters: TransportCounters;
  platform?: NodeJS.Platform;
  lagResolutionMs?: number;
  /** Monotonic milliseconds (default performance.now). */
  clock?: () => number;
}

/**
 * Open fds of this process. Since Linux 6.2 the size of /proc/self/fd is that count (one stat); before, it
 * is 0 and the directory is listed (less the fd the listing itself holds).
 */
export function openFdCount(): number | null {
  try {
    const size = statSync('/proc/self/fd').size;
    return size > 0 ? size : readdirSync('/proc/self/fd').length - 1;
  } catch {
    return null;
  }
}

/**
 * How late a timer that should fire every `resolutionMs` actually fires: the event loop's lag. (Not
 * perf_hooks.monitorEventLoopDelay: its reset() forgets the previous tick, so a stall that begins just
 * after a sample, before its timer next fires, is never recorded.)
 */
export class LagMeter {
  private readonly timer: NodeJS.Timeout;
  private readonly readings: RecordableHistogram = createHistogram();
  private last = performance.now();

  constructor(private readonly resolutionMs: number) {
    this.timer = setInterval(() => this.tick(), resolutionMs);
    this.timer.unref();
  }

  /** The 99th percentile of the lateness since the previous call, in ms (0 when the timer has not fired). */
  takeP99Ms(): number {
    const p99 = this.readings.count > 0 ? this.readings.percentile(99) / 1e6 : 0;
    this.readings.reset();
    return p99;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = performance.now();
    const lateNs = Math.round((now - this.last - this.resolutionMs) * 1e6);
    this.last = now;
    // The histogram takes integers from 1: a timer on time (or a hair early) records 1 ns.
    this.readings.record(Math.max(1, lateNs));
  }
}

export class SelfSampler {
  private readonly counters: TransportCounters;
  private readonly linux: boolean;
  private readonly clock: () => number;
  private readonly lag: LagMeter;
  private prevCpu = process.cpuUsage();
  private prevAt: number;

  constructor(options: SelfSamplerOptions) {
    this.counters = options.counters;
    this.linux = (options.platform ?? process.platform) === 'linux';
    this.clock = options.clock ?? (() => performance.now());
    this.lag = new LagMeter(options.lagResolutionMs ?? LAG_RESOLUTION_MS);
    this.prevAt = this.clock();
  }

  /**
   * Figures since the previous call. CPU is % of one core. Event-loop lag is the 99th percentile, in ms, of
   * how late the lag timer fired since the previous call: with a timer every 100 ms, some 10 readings a
   * second, that is the worst of them.
   */
  sample(): SelfMetrics {
    const now = this.clock();
    const cpu = process.cpuUsage();
    const wallUs = (now - this.prevAt) * 1000;
    const cpuUs = cpu.user - this.prevCpu.user + (cpu.system - this.prevCpu.system);
    this.prevCpu = cpu;
    this.prevAt = now;
    const lagMs = this.lag.takeP99Ms();
    const c = this.counters;
    return {
      cpu: wallUs > 0 ? Math.max(0, (cpuUs * 100) / wallUs) : 0,
      rss: process.memoryUsage.rss(),
      eventLoopLagMs: lagMs,
      openFds: this.linux ? openFdCount() : null,
      clients: c.clientsConnected,
      eventsSent: c.eventsSent,
      eventsDropped: c.linesDropped,
      bytesSent: c.bytesSent,
    };
  }

  close(): void {
    this.lag.close();
  }
}
