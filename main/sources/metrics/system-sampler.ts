// The machine-wide part of a metrics sample, behind one interface: read from /proc on Linux
// (linux-sampler.ts), from Node's `os` module elsewhere (portable-sampler.ts); metrics-source.ts picks one.
import type { MetricsData } from '../../../protocol/events';

export type SystemSample = Pick<MetricsData, 'cpu' | 'mem' | 'load' | 'net' | 'disk' | 'fs' | 'uptime'>;

/**
 * Something went wrong reading one figure. `key` names what (a file, a mount) so that the caller can
 * warn once per key rather than every second; the figure is empty or zero in that sample.
 */
export type SamplerProblem = (key: string, message: string) => void;

export interface SystemSampler {
  /**
   * Reads every figure. Rates and CPU shares are since the previous call: the first call gives zeros
   * and no per-device rates, so take one before the first sample that is shown. Never rejects.
   */
  sample(): Promise<SystemSample>;
  /** Releases kept file descriptors. */
  close(): void;
}

/** An error's code and message, for a problem report. */
export function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e && typeof e.message === 'string' ? e.message : String(err);
}
