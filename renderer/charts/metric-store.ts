// The charts' data: metrics samples as named columns over one ring of rows (a row per sample: the last hour
// at 1 s, or a day of minutes), in typed arrays of a fixed length, so the memory stays bounded however long
// the page stays open: rows × (columns kept) × 4 bytes; the columns are bounded by the name caps (about 460
// in all), so at most about 6.6 MB for the hour at 1 s and 2.7 MB for the day at 1 min.
import type { HistoryNamedSeries } from '../../protocol/metrics-history';

/** Rows kept by default: one hour of samples at the sampler's 1 Hz, the length of the server's fine history tier. */
export const MAX_ROWS = 3_600;
/** Every store's generations are distinct, so a series that switches stores (1 s ↔ 1 min) starts again. */
let generations = 0;
/** Names a per-name metric (`cpu.core`, `net.rx`…) may hold unless the store is told otherwise. */
const DEFAULT_NAME_CAP = 16;

interface Column {
  /** Value per ring slot; NaN where the row had none. 32-bit, as the server stores its history. */
  readonly values: Float32Array;
  /** The last row that set a value: a column no row of the ring uses is dropped. */
  lastSeq: number;
}

interface MetricStoreOptions {
  /** Rows kept (default MAX_ROWS). */
  rows?: number;
  /** Time between rows, ms (default 1,000): what a chart takes for a gap between samples. */
  stepMs?: number;
  /** Most names kept per metric (`cpu.core` → 256); the rest are ignored, as the server's history does. */
  nameCaps?: Readonly<Partial<Record<HistoryNamedSeries, number>>>;
}

export class MetricStore {
  private readonly capacity: number;
  private readonly times: Float64Array;
  /** Time between rows, ms. */
  readonly stepMs: number;
  private readonly columns = new Map<string, Column>();
  /** Per-name metric → names it has a column for, so a chart can list interfaces without scanning keys. */
  private readonly namesOf = new Map<string, Set<string>>();
  private readonly nameCaps: Readonly<Record<string, number>>;
  /** Sequence number of the next row; row `seq` lives in slot `seq % capacity`. */
  private nextSeq = 0;
  private generationValue = ++generations;

  constructor(options: MetricStoreOptions = {}) {
    this.nameCaps = options.nameCaps ?? {};
    this.capacity = options.rows ?? MAX_ROWS;
    this.stepMs = options.stepMs ?? 1_000;
    this.times = new Float64Array(this.capacity);
  }

  /** Changes when the store is cleared: whoever copied rows out starts again. */
  get generation(): number {
    return this.generationValue;
  }

  get size(): number {
    return this.nextSeq - this.oldest;
  }

  /** Sequence number of the oldest row held (equal to `newest + 1` when empty). */
  get oldest(): number {
    return Math.max(0, this.nextSeq - this.capacity);
  }

  /** Sequence number of the newest row (−1 before the first). */
  get newest(): number {
    return this.nextSeq - 1;
  }

  tsAt(seq: number): number {
    return this.times[seq % this.capacity]!;
  }

  /** When the newest row was taken; NaN when empty. */
  get lastTs(): number {
    return this.size === 0 ? NaN : this.tsAt(this.newest);
  }

  /**
   * Starts the row for a sample taken at `ts`; the values that follow with `set` belong to it. False (and
   * nothing changes) unless `ts` is after the newest row's: a replayed or overlapping sample is skipped.
   */
  beginRow(ts: number): boolean {
    if (!Number.isFinite(ts) || (this.size > 0 && ts <= this.lastTs)) return false;
    const seq = this.nextSeq++;
    const slot = seq % this.capacity;
    this.times[slot] = ts;
    const oldest = this.oldest;
    for (const [key, column] of this.columns) {
      if (column.lastSeq < oldest) this.dropColumn(key);
      else column.values[slot] = NaN;
    }
    return true;
  }

  /** Sets a value of the current row. `key` is a history series key: `cpu.total`, `net.rx:eth0`… */
  set(key: string, value: number): void {
    if (this.size === 0) return;
    let column = this.columns.get(key);
    if (column === undefined) {
      const created = this.createColumn(key);
      if (created === null) return;
      column = created;
    }
    column.values[this.newest % this.capacity] = value;
    column.lastSeq = this.newest;
  }

  /** The value of `key` at row `seq`; NaN when it has none (or the row is not held). */
  value(key: string, seq: number): number {
    const column = this.columns.get(key);
    if (column === undefined || seq < this.oldest || seq > this.newest) return NaN;
    return column.values[seq % this.capacity]!;
  }

  latest(key: string): number {
    return this.value(key, this.newest);
  }

  /** The names a per-name metric has columns for (`names('net.rx')` → ['eth0', 'wlan0']), in no set order. */
  names(metric: HistoryNamedSeries): string[] {
    const names = this.namesOf.get(metric);
    return names === undefined ? [] : [...names];
  }

  /** The mean of the finite values of `key` over rows [from, to], read at most `maxReads` times (evenly spread). */
  mean(key: string, from: number, to: number, maxReads: number): number {
    const column = this.columns.get(key);
    const lo = Math.max(from, this.oldest);
    const hi = Math.min(to, this.newest);
    if (column === undefined || hi < lo) return 0;
    const stride = Math.max(1, Math.ceil((hi - lo + 1) / maxReads));
    let sum = 0;
    let count = 0;
    for (let seq = hi; seq >= lo; seq -= stride) {
      const v = column.values[seq % this.capacity]!;
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    return count === 0 ? 0 : sum / count;
  }

  /** The first row taken at or after `ts` (`newest + 1` when none is). */
  seqAtOrAfter(ts: number): number {
    let lo = this.oldest;
    let hi = this.nextSeq;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tsAt(mid) < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The row taken closest to `ts`; −1 when empty. */
  nearestSeq(ts: number): number {
    if (this.size === 0) return -1;
    const after = Math.min(this.seqAtOrAfter(ts), this.newest);
    const before = Math.max(after - 1, this.oldest);
    return Math.abs(this.tsAt(before) - ts) <= Math.abs(this.tsAt(after) - ts) ? before : after;
  }

  clear(): void {
    this.columns.clear();
    this.namesOf.clear();
    this.nextSeq = 0;
    this.generationValue = ++generations;
  }

  private createColumn(key: string): Column | null {
    const colon = key.indexOf(':');
    if (colon !== -1) {
      const metric = key.slice(0, colon);
      let names = this.namesOf.get(metric);
      if (names === undefined) this.namesOf.set(metric, (names = new Set()));
      if (names.size >= (this.nameCaps[metric] ?? DEFAULT_NAME_CAP)) return null;
      names.add(key.slice(colon + 1));
    }
    const column: Column = { values: new Float32Array(this.capacity).fill(NaN), lastSeq: this.newest };
    this.columns.set(key, column);
    return column;
  }

  private dropColumn(key: string): void {
    this.columns.delete(key);
    const colon = key.indexOf(':');
    if (colon !== -1) this.namesOf.get(key.slice(0, colon))?.delete(key.slice(colon + 1));
  }
}
