// The answer of `GET /api/metrics/history`: columns on one time axis, oldest first. The server and the
// dashboard share these types and series names; docs/protocol.md describes the same shape.

/** 1: one column entry per sample (about one a second). 60: one per wall-clock minute, as min/avg/max. */
export type HistoryStep = 1 | 60;

export const HISTORY_LIMITS = {
  defaultSeconds: 3600,
  /** How far back each step reaches: the fine tier holds 1 hour, the coarse tier 24 hours. */
  maxSeconds: { 1: 3600, 60: 86_400 } as Readonly<Record<HistoryStep, number>>,
} as const;

/**
 * Series every answer has, in this order. Units are those of the `metrics` event: percent 0–100 for
 * `cpu.*` and `self.cpu`, bytes for `mem.*` and `self.rss`, bytes per second for `net.*` and `disk.*`,
 * lines per second for `logs.*`. `net.*`, `disk.*` and `logs.*` here are sums over every interface,
 * device and source, including those past the per-name caps.
 */
export const HISTORY_FIXED_SERIES = [
  'cpu.total',
  'cpu.user',
  'cpu.system',
  'cpu.iowait',
  'cpu.steal',
  'mem.total',
  'mem.used',
  'mem.available',
  'mem.cached',
  'mem.swapTotal',
  'mem.swapUsed',
  'load.1',
  'load.5',
  'load.15',
  'net.rx',
  'net.tx',
  'disk.read',
  'disk.write',
  'logs.lines',
  'logs.errors',
  'self.cpu',
  'self.rss',
  'self.eventLoopLagMs',
] as const;
export type HistoryFixedSeries = (typeof HISTORY_FIXED_SERIES)[number];

/**
 * Series per name, keyed `<metric>:<name>`: `cpu.core:3` (core index), `net.rx:eth0`, `disk.read:sda`,
 * `logs.lines:<source id>`. The name is everything after the first `:` (it may itself hold `:` or `.`).
 */
export const HISTORY_NAMED_SERIES = ['cpu.core', 'net.rx', 'net.tx', 'disk.read', 'disk.write', 'logs.lines', 'logs.errors'] as const;
export type HistoryNamedSeries = (typeof HISTORY_NAMED_SERIES)[number];

/** What a series key names before any `:`: a fixed series, or the metric of a per-name one (`cpu.core`). */
export type HistoryMetric = HistoryFixedSeries | HistoryNamedSeries;

/**
 * Names with series of their own, per metric, with the server's default options: a name past its cap counts
 * only in the totals (docs/protocol.md). A client that keeps names of its own keeps no more.
 */
export const HISTORY_NAME_CAPS: Readonly<Record<HistoryNamedSeries, number>> = {
  'cpu.core': 256,
  'net.rx': 16,
  'net.tx': 16,
  'disk.read': 16,
  'disk.write': 16,
  'logs.lines': 64,
  'logs.errors': 64,
};

export function historySeriesKey(metric: HistoryNamedSeries, name: string | number): string {
  return `${metric}:${name}`;
}

/** Splits a series key into its metric and, for a per-name series, the name. */
export function parseHistorySeriesKey(key: string): { metric: string; name?: string } {
  const colon = key.indexOf(':');
  return colon === -1 ? { metric: key } : { metric: key.slice(0, colon), name: key.slice(colon + 1) };
}

/** null: no value at that time (the series was absent from the sample, or the minute had none). */
export type HistoryValue = number | null;

export interface FineHistory {
  step: 1;
  /** When each sample was taken, ms since the Unix epoch, increasing. A skipped second is simply absent. */
  ts: number[];
  /** Every fixed series, then each per-name series that has a value in the window; each as long as `ts`. */
  series: Record<string, HistoryValue[]>;
}

export interface MinAvgMax {
  min: HistoryValue[];
  avg: HistoryValue[];
  max: HistoryValue[];
}

export interface CoarseHistory {
  step: 60;
  /** The start of each minute, ms since the Unix epoch (a multiple of 60,000), increasing. */
  ts: number[];
  /** How many samples each minute holds (60 for a full minute; the newest minute is still filling). */
  samples: number[];
  series: Record<string, MinAvgMax>;
}

export type HistoryAnswer = FineHistory | CoarseHistory;
