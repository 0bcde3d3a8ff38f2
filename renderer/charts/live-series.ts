// One dataset's points, {x: ms since the epoch, y} as Chart.js takes them with `parsing: false`, kept in step
// with the store: each render appends the rows added since the last one and drops those the store let go.
import type { MetricStore } from './metric-store';

export interface Point {
  x: number;
  y: number;
}

/** The value of a row for one dataset; NaN when the row has none (no point is drawn there). */
export type RowReader = (store: MetricStore, seq: number) => number;

/**
 * Past this many new rows at once (the history arriving, a tab coming back), the points are rebuilt in a new
 * array: Chart.js watches a dataset's array and handles each push of a stacked dataset in time linear in its
 * length, which is fine once a second and not 3,600 times in a row.
 */
const IN_PLACE_MAX_ROWS = 32;

export class LiveSeries {
  private pointsValue: Point[] = [];
  private lastSeq = -1;
  private generation = -1;

  constructor(private readonly read: RowReader) {}

  /** The current array; it is replaced after big changes, so read it after each `sync`. */
  get points(): Point[] {
    return this.pointsValue;
  }

  /** Brings the points up to the store's rows; true when they changed. */
  sync(store: MetricStore): boolean {
    if (this.generation !== store.generation) {
      this.generation = store.generation;
      this.pointsValue = [];
      this.lastSeq = -1;
    }
    const oldestTs = store.size === 0 ? Infinity : store.tsAt(store.oldest);
    let drop = 0;
    while (drop < this.pointsValue.length && this.pointsValue[drop]!.x < oldestTs) drop++;
    const from = Math.max(this.lastSeq + 1, store.oldest);
    const added = store.newest - from + 1;
    if (drop === 0 && added <= 0) return false;
    if (added > IN_PLACE_MAX_ROWS) {
      const points = this.pointsValue.slice(drop);
      this.append(points, store, from);
      this.pointsValue = points;
    } else {
      if (drop > 0) this.pointsValue.splice(0, drop);
      this.append(this.pointsValue, store, from);
    }
    this.lastSeq = store.newest;
    return true;
  }

  private append(points: Point[], store: MetricStore, from: number): void {
    for (let seq = from; seq <= store.newest; seq++) {
      const y = this.read(store, seq);
      if (Number.isFinite(y)) points.push({ x: store.tsAt(seq), y });
    }
  }
}

/**
 * The points of [min, max] averaged per `bucketMs` of wall-clock time, at each bucket's middle. Buckets sit on
 * multiples of `bucketMs` since the epoch, so every dataset of a stacked chart gets the same x values (stacking
 * adds the values that share an x) and the buckets do not shift as the chart scrolls.
 */
export function bucketMeans(points: readonly Point[], bucketMs: number, min: number, max: number): Point[] {
  const out: Point[] = [];
  let bucket = NaN;
  let sum = 0;
  let count = 0;
  const flush = (): void => {
    if (count > 0) out.push({ x: bucket * bucketMs + bucketMs / 2, y: sum / count });
  };
  for (let i = firstAtOrAfter(points, min - bucketMs); i < points.length; i++) {
    const { x, y } = points[i]!;
    if (x > max + bucketMs) break;
    const b = Math.floor(x / bucketMs);
    if (b !== bucket) {
      flush();
      bucket = b;
      sum = 0;
      count = 0;
    }
    sum += y;
    count++;
  }
  flush();
  return out;
}

/** The points inside [min, max] and one on each side (so lines run to the plot's edges), as a new array. */
export function pointsWithin(points: readonly Point[], min: number, max: number): Point[] {
  return points.slice(Math.max(0, firstAtOrAfter(points, min) - 1), firstAtOrAfter(points, max) + 1);
}

function firstAtOrAfter(points: readonly Point[], x: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.x < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
