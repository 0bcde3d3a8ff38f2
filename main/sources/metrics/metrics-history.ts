// The metrics history behind GET /api/metrics/history: the last hour of samples as they came (1 s) and
// the last 24 hours as per-minute min/avg/max, in typed-array rings of a size fixed by the options.
//
// Memory. Every series is one Float32Array column of fineSlots + 3 × coarseSlots values, allocated the
// first time the series has a value. Fixed series exist from the start, per-name ones up to their caps:
//   column   (3600 + 3 × 1440) × 4 B                                   =     31,680 B
//   series   23 fixed + 256 cores + 2 × 16 interfaces + 2 × 16 devices
//            + 2 × 64 log sources                                       =        471
//   columns  471 × 31,680 B                                             = 14,921,280 B
//   axes     3600 × 8 (sample ts) + 1440 × 8 (minute ts) + 1440 × 4 (samples per minute) = 46,080 B
//   scratch  471 × (8 value + 8 minute sum + 4 minute count)            =      9,420 B
//   names    (16 + 16 + 64) slots × 2 × 8 (when each last had a value)  =      1,536 B
//   bound                                                               = 14,978,316 B (about 14.3 MiB)
// with the default options (`MetricsHistory.maxBytes()` computes it; a test holds the two equal). A
// machine with 8 cores, 2 interfaces, 2 disks and 10 log sources has 59 series: about 1.9 MB. The name
// maps add at most one string per slot. Values are float32: about 7 significant digits.
//
// Names past a cap (the 17th interface, the 65th log source…) get no series of their own; they still
// count in the totals (`net.rx`, `logs.lines`…). A slot is given to a new name once everything its old
// name left in both rings has been overwritten, so interfaces or sources that come and go over days do
// not lock the caps forever.
import type { MetricsData } from '../../../protocol/events';
import {
  HISTORY_FIXED_SERIES,
  HISTORY_NAME_CAPS,
  historySeriesKey,
  type HistoryAnswer,
  type HistoryFixedSeries,
  type HistoryNamedSeries,
  type HistoryStep,
  type HistoryValue,
  type MinAvgMax,
} from '../../../protocol/metrics-history';

export interface MetricsHistoryOptions {
  /** Samples kept as they came (default 3600: one hour at the sampler's 1 Hz). */
  fineSlots?: number;
  /** Minutes kept as min/avg/max (default 1440: 24 hours). */
  coarseSlots?: number;
  /** Cores with a series of their own (default 256); later cores count only in `cpu.total`. */
  maxCores?: number;
  /** Network interfaces with series of their own (default 16). */
  maxInterfaces?: number;
  /** Block devices with series of their own (default 16). */
  maxDisks?: number;
  /** Log sources with series of their own (default 64). */
  maxSources?: number;
}

export const METRICS_HISTORY_DEFAULTS: Readonly<Required<MetricsHistoryOptions>> = {
  fineSlots: 3600,
  coarseSlots: 1440,
  // The page keeps as many per name (protocol's one list of caps), so both cut at the same name.
  maxCores: HISTORY_NAME_CAPS['cpu.core'],
  maxInterfaces: HISTORY_NAME_CAPS['net.rx'],
  maxDisks: HISTORY_NAME_CAPS['disk.read'],
  maxSources: HISTORY_NAME_CAPS['logs.lines'],
};

const MINUTE_MS = 60_000;

/** Sums over every interface, device and source of one sample, names past the caps included. */
interface Totals {
  rx: number;
  tx: number;
  read: number;
  write: number;
  lines: number;
  errors: number;
}

const FIXED_VALUE: Record<HistoryFixedSeries, (s: MetricsData, t: Totals) => number> = {
  'cpu.total': (s) => s.cpu.total,
  'cpu.user': (s) => s.cpu.user,
  'cpu.system': (s) => s.cpu.system,
  'cpu.iowait': (s) => s.cpu.iowait,
  'cpu.steal': (s) => s.cpu.steal,
  'mem.total': (s) => s.mem.total,
  'mem.used': (s) => s.mem.used,
  'mem.available': (s) => s.mem.available,
  'mem.cached': (s) => s.mem.cached,
  'mem.swapTotal': (s) => s.mem.swapTotal,
  'mem.swapUsed': (s) => s.mem.swapUsed,
  'load.1': (s) => s.load[0] ?? NaN,
  'load.5': (s) => s.load[1] ?? NaN,
  'load.15': (s) => s.load[2] ?? NaN,
  'net.rx': (_, t) => t.rx,
  'net.tx': (_, t) => t.tx,
  'disk.read': (_, t) => t.read,
  'disk.write': (_, t) => t.write,
  'logs.lines': (_, t) => t.lines,
  'logs.errors': (_, t) => t.errors,
  'self.cpu': (s) => s.self.cpu,
  'self.rss': (s) => s.self.rss,
  'self.eventLoopLagMs': (s) => s.self.eventLoopLagMs,
};
const FIXED_GETTERS = HISTORY_FIXED_SERIES.map((name) => FIXED_VALUE[name]);
const FIXED_COUNT = HISTORY_FIXED_SERIES.length;

/** Series per name (an interface, a device, a log source): a fixed number of slots, each given to one name. */
class NamedSlots {
  readonly byName = new Map<string, number>();
  readonly names: (string | null)[];
  /** The fine and coarse sequence numbers at which each slot's name last had a value. */
  readonly lastFine: Float64Array;
  readonly lastCoarse: Float64Array;

  constructor(
    readonly metrics: readonly HistoryNamedSeries[],
    readonly cap: number,
    /** Index of the first series of slot 0. */
    readonly base: number,
  ) {
    this.names = new Array<string | null>(cap).fill(null);
    this.lastFine = new Float64Array(cap).fill(-Infinity);
    this.lastCoarse = new Float64Array(cap).fill(-Infinity);
  }

  /** The series index of `metric` (its position in `metrics`) for a slot. */
  series(slot: number, metric: number): number {
    return this.base + slot * this.metrics.length + metric;
  }

  /**
   * The slot of `name` at fine sequence `fine` and coarse sequence `coarse`, or -1 past the cap. A taken
   * slot is free again once both rings have wrapped past the last value of its name.
   */
  slot(name: string, fine: number, coarse: number, fineSlots: number, coarseSlots: number): number {
    let slot = this.byName.get(name);
    if (slot === undefined) {
      slot = -1;
      for (let i = 0; i < this.cap; i++) {
        if (this.names[i] === null || (fine - this.lastFine[i]! >= fineSlots && coarse - this.lastCoarse[i]! >= coarseSlots)) {
          slot = i;
          break;
        }
      }
      if (slot === -1) return -1;
      const old = this.names[slot];
      if (old !== null && old !== undefined) this.byName.delete(old);
      this.names[slot] = name;
      this.byName.set(name, slot);
    }
    this.lastFine[slot] = fine;
    this.lastCoarse[slot] = coarse;
    return slot;
  }

  get byteLength(): number {
    return this.lastFine.byteLength + this.lastCoarse.byteLength;
  }
}

function checkCount(options: MetricsHistoryOptions, key: keyof MetricsHistoryOptions, max: number): number {
  const value = options[key] ?? METRICS_HISTORY_DEFAULTS[key];
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`MetricsHistory: option ${key} must be a whole number from 1 to ${max}, got ${String(value)}`);
  }
  return value;
}

function resolve(options: MetricsHistoryOptions): Required<MetricsHistoryOptions> {
  return {
    fineSlots: checkCount(options, 'fineSlots', 1_000_000),
    coarseSlots: checkCount(options, 'coarseSlots', 1_000_000),
    maxCores: checkCount(options, 'maxCores', 4096),
    maxInterfaces: checkCount(options, 'maxInterfaces', 4096),
    maxDisks: checkCount(options, 'maxDisks', 4096),
    maxSources: checkCount(options, 'maxSources', 4096),
  };
}

function seriesCount(o: Required<MetricsHistoryOptions>): number {
  return FIXED_COUNT + o.maxCores + 2 * o.maxInterfaces + 2 * o.maxDisks + 2 * o.maxSources;
}

/** A float32 as compact JSON: 4 decimals below 10,000, whole numbers above (float32 holds no more). */
function jsonValue(v: number): HistoryValue {
  if (v !== v) return null;
  const r = Math.abs(v) >= 10_000 ? Math.round(v) : Math.round(v * 10_000) / 10_000;
  return Number.isFinite(r) ? r : null;
}

export class MetricsHistory {
  /** The most memory this history's typed arrays can take, in bytes (see the top of this file). */
  static maxBytes(options: MetricsHistoryOptions = {}): number {
    const o = resolve(options);
    const series = seriesCount(o);
    const column = (o.fineSlots + 3 * o.coarseSlots) * Float32Array.BYTES_PER_ELEMENT;
    const axes = o.fineSlots * 8 + o.coarseSlots * 8 + o.coarseSlots * 4;
    const scratch = series * (8 + 8 + 4);
    const names = (o.maxInterfaces + o.maxDisks + o.maxSources) * 2 * 8;
    return series * column + axes + scratch + names;
  }

  private readonly fineSlots: number;
  private readonly coarseSlots: number;
  private readonly fineTs: Float64Array;
  private readonly coarseTs: Float64Array;
  private readonly coarseSamples: Uint32Array;
  /** One column per series, null until the series first has a value. Layout: fine | min | avg | max. */
  private readonly columns: (Float32Array | null)[];
  private readonly allocated: number[] = [];
  /** This sample's value per series (NaN: absent). */
  private readonly values: Float64Array;
  /** The current minute's running sum and count per series, for its average. */
  private readonly minuteSum: Float64Array;
  private readonly minuteCount: Uint32Array;
  private readonly maxCores: number;
  private readonly net: NamedSlots;
  private readonly disk: NamedSlots;
  private readonly logs: NamedSlots;
  private readonly totals: Totals = { rx: 0, tx: 0, read: 0, write: 0, lines: 0, errors: 0 };
  /** Samples and minutes written so far; the ring slot is the count modulo the ring's size. */
  private fineCount = 0;
  private coarseCount = 0;
  private minute = NaN;
  private lastTs = -Infinity;

  constructor(options: MetricsHistoryOptions = {}) {
    const o = resolve(options);
    this.fineSlots = o.fineSlots;
    this.coarseSlots = o.coarseSlots;
    this.fineTs = new Float64Array(o.fineSlots);
    this.coarseTs = new Float64Array(o.coarseSlots);
    this.coarseSamples = new Uint32Array(o.coarseSlots);
    const series = seriesCount(o);
    this.columns = new Array<Float32Array | null>(series).fill(null);
    this.values = new Float64Array(series);
    this.minuteSum = new Float64Array(series);
    this.minuteCount = new Uint32Array(series);
    this.maxCores = o.maxCores;
    let base = FIXED_COUNT + o.maxCores;
    this.net = new NamedSlots(['net.rx', 'net.tx'], o.maxInterfaces, base);
    base += 2 * o.maxInterfaces;
    this.disk = new NamedSlots(['disk.read', 'disk.write'], o.maxDisks, base);
    base += 2 * o.maxDisks;
    this.logs = new NamedSlots(['logs.lines', 'logs.errors'], o.maxSources, base);
    for (let i = 0; i < FIXED_COUNT; i++) this.allocate(i);
  }

  /** Bytes held by this history's typed arrays now; never more than `MetricsHistory.maxBytes(options)`. */
  get byteLength(): number {
    let bytes = this.fineTs.byteLength + this.coarseTs.byteLength + this.coarseSamples.byteLength;
    bytes += this.values.byteLength + this.minuteSum.byteLength + this.minuteCount.byteLength;
    for (const g of [this.net, this.disk, this.logs]) bytes += g.byteLength;
    for (const i of this.allocated) bytes += this.columns[i]!.byteLength;
    return bytes;
  }

  /** Records one sample. A sample not newer than the last one is ignored, so `ts` always increases. */
  add(sample: MetricsData): void {
    const ts = sample.ts;
    if (!Number.isFinite(ts) || ts <= this.lastTs) return;
    this.lastTs = ts;
    const fine = this.fineCount++;
    const fi = fine % this.fineSlots;
    this.fineTs[fi] = ts;
    const minute = Math.floor(ts / MINUTE_MS);
    if (minute !== this.minute) this.openMinute(minute);
    const coarse = this.coarseCount - 1;
    const mi = coarse % this.coarseSlots;
    this.coarseSamples[mi]!++;

    const values = this.values;
    values.fill(NaN);
    const t = this.totals;
    t.rx = t.tx = t.read = t.write = t.lines = t.errors = 0;
    const cores = sample.cpu.cores;
    for (let i = 0; i < cores.length && i < this.maxCores; i++) this.put(FIXED_COUNT + i, cores[i]!);
    for (const n of sample.net) {
      t.rx += n.rxBytesPerSec;
      t.tx += n.txBytesPerSec;
      this.putNamed(this.net, n.name, fine, coarse, n.rxBytesPerSec, n.txBytesPerSec);
    }
    for (const d of sample.disk) {
      t.read += d.readBytesPerSec;
      t.write += d.writeBytesPerSec;
      this.putNamed(this.disk, d.name, fine, coarse, d.readBytesPerSec, d.writeBytesPerSec);
    }
    for (const l of sample.logs) {
      t.lines += l.linesPerSec;
      t.errors += l.errorsPerSec;
      this.putNamed(this.logs, l.source, fine, coarse, l.linesPerSec, l.errorsPerSec);
    }
    for (let i = 0; i < FIXED_COUNT; i++) values[i] = FIXED_GETTERS[i]!(sample, t);

    const F = this.fineSlots;
    const C = this.coarseSlots;
    for (const i of this.allocated) {
      const col = this.columns[i]!;
      const v = values[i]!;
      col[fi] = v;
      if (v !== v) continue;
      const n = ++this.minuteCount[i]!;
      const sum = (this.minuteSum[i]! += v);
      if (n === 1 || v < col[F + mi]!) col[F + mi] = v;
      col[F + C + mi] = sum / n;
      if (n === 1 || v > col[F + 2 * C + mi]!) col[F + 2 * C + mi] = v;
    }
  }

  /**
   * The samples (step 1) or minutes (step 60) of the last `seconds`, counted back from the newest
   * sample, oldest first. A minute is in when any part of it is.
   */
  query(seconds: number, step: HistoryStep): HistoryAnswer {
    if (!(seconds > 0) || !Number.isFinite(seconds)) throw new RangeError(`MetricsHistory.query: seconds must be positive, got ${seconds}`);
    const cutoff = this.lastTs - seconds * 1000;
    if (step === 1) {
      const held = Math.min(this.fineCount, this.fineSlots);
      let k = 0;
      while (k < held && this.fineTs[(this.fineCount - 1 - k) % this.fineSlots]! > cutoff) k++;
      const slots = this.slots(this.fineCount - k, k, this.fineSlots);
      const series: Record<string, HistoryValue[]> = {};
      this.eachSeries((key, col, fixed) => {
        const values = slots.map((s) => jsonValue(col[s]!));
        if (fixed || values.some((v) => v !== null)) series[key] = values;
      });
      return { step: 1, ts: slots.map((s) => this.fineTs[s]!), series };
    }
    const held = Math.min(this.coarseCount, this.coarseSlots);
    let k = 0;
    while (k < held && this.coarseTs[(this.coarseCount - 1 - k) % this.coarseSlots]! + MINUTE_MS > cutoff) k++;
    const slots = this.slots(this.coarseCount - k, k, this.coarseSlots);
    const F = this.fineSlots;
    const C = this.coarseSlots;
    const series: Record<string, MinAvgMax> = {};
    this.eachSeries((key, col, fixed) => {
      const avg = slots.map((s) => jsonValue(col[F + C + s]!));
      if (!fixed && avg.every((v) => v === null)) return;
      series[key] = { min: slots.map((s) => jsonValue(col[F + s]!)), avg, max: slots.map((s) => jsonValue(col[F + 2 * C + s]!)) };
    });
    return { step: 60, ts: slots.map((s) => this.coarseTs[s]!), samples: slots.map((s) => this.coarseSamples[s]!), series };
  }

  /** Ring indices of `count` entries starting at sequence number `from`. */
  private slots(from: number, count: number, size: number): number[] {
    const out = new Array<number>(count);
    for (let j = 0; j < count; j++) out[j] = (from + j) % size;
    return out;
  }

  /** Every allocated series in answer order: fixed ones, then cores, interfaces, devices and sources by slot. */
  private eachSeries(visit: (key: string, column: Float32Array, fixed: boolean) => void): void {
    for (let i = 0; i < FIXED_COUNT; i++) visit(HISTORY_FIXED_SERIES[i]!, this.columns[i]!, true);
    for (let core = 0; core < this.maxCores; core++) {
      const col = this.columns[FIXED_COUNT + core];
      if (col) visit(historySeriesKey('cpu.core', core), col, false);
    }
    for (const g of [this.net, this.disk, this.logs]) {
      for (let slot = 0; slot < g.cap; slot++) {
        const name = g.names[slot];
        if (name === null || name === undefined) continue;
        for (const [m, metric] of g.metrics.entries()) {
          const col = this.columns[g.series(slot, m)];
          if (col) visit(historySeriesKey(metric, name), col, false);
        }
      }
    }
  }

  private openMinute(minute: number): void {
    this.minute = minute;
    const mi = this.coarseCount++ % this.coarseSlots;
    this.coarseTs[mi] = minute * MINUTE_MS;
    this.coarseSamples[mi] = 0;
    this.minuteSum.fill(0);
    this.minuteCount.fill(0);
    const F = this.fineSlots;
    const C = this.coarseSlots;
    for (const i of this.allocated) {
      const col = this.columns[i]!;
      col[F + mi] = NaN;
      col[F + C + mi] = NaN;
      col[F + 2 * C + mi] = NaN;
    }
  }

  private put(series: number, value: number): void {
    if (this.columns[series] === null) this.allocate(series);
    this.values[series] = value;
  }

  private putNamed(g: NamedSlots, name: string, fine: number, coarse: number, a: number, b: number): void {
    const slot = g.slot(name, fine, coarse, this.fineSlots, this.coarseSlots);
    if (slot === -1) return;
    this.put(g.series(slot, 0), a);
    this.put(g.series(slot, 1), b);
  }

  private allocate(series: number): void {
    this.columns[series] = new Float32Array(this.fineSlots + 3 * this.coarseSlots).fill(NaN);
    this.allocated.push(series);
  }
}
