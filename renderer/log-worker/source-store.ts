// Every line the page received, of every source, kept once: the views (panes) refer to these events rather
// than keeping their own, so any layout (merged, side by side, any set of panes) shows every line held of its
// sources, and lines read from disk (older pages, a gap's lines) reach every pane of their source.
//
// The bound is the page's bufferLines for all sources together (not per source): the same memory one view
// held before, whatever the number of sources or panes, and one number the user sets. When it is reached the
// lines received first go first (as `tail` would let them scroll away), whatever their source, and each
// source counts those it lost: a "dropped" marker tells the real number, never one a layout change made up.
import type { HeldLine } from './held-rows';
import { RowRing } from './rings';

const STORE_LIMITS = {
  /**
   * Sources counted; past it the first that holds no line any more is forgotten, with its dropped count
   * (names under a --dir come and go). Those holding lines are bounded by the lines held.
   */
  maxCountedSources: 10_000,
} as const;

/** Merged views' order: by the line's own time, ties by source then seq (an event goes by its first line). */
export function byTimeKey(a: HeldLine, b: HeldLine): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.seq - b.seq;
}

const bySeq = (a: HeldLine, b: HeldLine): number => a.seq - b.seq;

function sortedBy(events: HeldLine[], order: (a: HeldLine, b: HeldLine) => number): HeldLine[] {
  for (let i = 1; i < events.length; i++) {
    // Array.prototype.sort is a merge sort over runs: cheap on the nearly sorted lists this mostly sees.
    if (order(events[i - 1]!, events[i]!) > 0) return events.sort(order);
  }
  return events;
}

/**
 * The merged views' order: the sources interleaved by time (byTimeKey on each source's next event), each
 * source's events kept in the order given (`sort -m`, not `sort`). For sources whose times rise with their
 * lines, that is every event by time, ties by source then seq. A source whose times go back (a clock set
 * back, lines without a time of their own, stamped when read) keeps its order: older lines read later from
 * disk must not sink below newer ones. `events`: each source's in its order (other sources' between them).
 */
export function interleave(events: readonly HeldLine[]): HeldLine[] {
  const queues = new Map<string, HeldLine[]>();
  for (const event of events) {
    const queue = queues.get(event.source);
    if (queue === undefined) queues.set(event.source, [event]);
    else queue.push(event);
  }
  if (queues.size <= 1) return [...events];
  const lists = [...queues.values()];
  const heads = new Array<number>(lists.length).fill(0);
  const headOf = (q: number): HeldLine => lists[q]![heads[q]!]!;
  // A binary heap of the lists by their next event: thousands of sources (a --dir) cost log k per event.
  const heap = lists.map((_, q) => q);
  const less = (a: number, b: number): boolean => byTimeKey(headOf(a), headOf(b)) < 0;
  const down = (from: number): void => {
    for (let at = from; ; ) {
      const left = 2 * at + 1;
      if (left >= heap.length) return;
      const child = left + 1 < heap.length && less(heap[left + 1]!, heap[left]!) ? left + 1 : left;
      if (!less(heap[child]!, heap[at]!)) return;
      [heap[at], heap[child]] = [heap[child]!, heap[at]!];
      at = child;
    }
  };
  for (let at = Math.floor(heap.length / 2) - 1; at >= 0; at--) down(at);
  const merged: HeldLine[] = [];
  while (heap.length > 0) {
    const q = heap[0]!;
    merged.push(headOf(q));
    if (++heads[q]! === lists[q]!.length) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    down(0);
  }
  return merged;
}

/** Is `events` in the merged order already (every event by time: the common case of one batch)? */
export function inTimeOrder(events: readonly HeldLine[]): boolean {
  for (let i = 1; i < events.length; i++) if (byTimeKey(events[i - 1]!, events[i]!) > 0) return false;
  return true;
}

/** A source's lines held and let go. */
interface SourceCounts {
  held: number;
  dropped: number;
}

export class SourceStore {
  /** Events in the order they came (older pages read from disk before all): the first to come is the first to go. */
  private events: RowRing<HeldLine>;
  /** Lines the events hold (an event is its line and those continuing it): at most `bound`. */
  private lines = 0;
  private readonly counts = new Map<string, SourceCounts>();
  /** The counts used last: most events come in runs of one source (one map read per run, not per event). */
  private lastSource: string | null = null;
  private lastCounts: SourceCounts = { held: 0, dropped: 0 };

  constructor(private bound: number) {
    this.events = new RowRing(bound);
  }

  /** Events let go to keep the bound so far: a change tells the views to look at their tops. */
  evictions = 0;

  /** Lines held, of every source. */
  get held(): number {
    return this.lines;
  }

  /** Lines older ones read from disk may take. */
  get room(): number {
    return Math.max(0, Math.min(this.bound - this.lines, this.events.bound - this.events.length));
  }

  /** Forgets every line and counts (a new connection, a server restart), with a new bound when given. */
  clear(bound: number = this.bound): void {
    for (let position = this.events.start; position < this.events.end; position++) this.events.at(position).gone = true;
    this.bound = bound;
    this.events = new RowRing(bound);
    this.lines = 0;
    this.counts.clear();
    this.lastSource = null;
  }

  /** A new event (arrival order); the oldest go while the store holds more than its bound. */
  add(event: HeldLine): void {
    if (this.events.length === this.events.bound) this.evictOne();
    this.events.push(event);
    this.count(event.source, event.lineCount);
    this.evict();
  }

  /** `added` lines joined `event` after it was added. */
  grew(event: HeldLine, added: number): void {
    if (event.gone) return;
    this.count(event.source, added);
    this.evict();
  }

  /**
   * Older events read from disk, oldest first, put before everything held (they go first). As many of the
   * newest as `room` allows; returns those taken.
   */
  prepend(events: readonly HeldLine[]): HeldLine[] {
    let room = this.room;
    let from = events.length;
    while (from > 0 && events[from - 1]!.lineCount <= room) room -= events[--from]!.lineCount;
    const taken = events.slice(from);
    for (let i = taken.length - 1; i >= 0; i--) {
      this.events.unshift(taken[i]!);
      this.count(taken[i]!.source, taken[i]!.lineCount);
    }
    return taken;
  }

  /** The oldest event held of `source` (a pass over the store: asked once per page of older lines). */
  oldestOf(source: string): HeldLine | undefined {
    for (let position = this.events.start; position < this.events.end; position++) {
      const event = this.events.at(position);
      if (event.source === source && !event.gone) return event;
    }
    return undefined;
  }

  /**
   * `event` now holds the lines of `joined` too (an older page held the start of the event `joined` continued):
   * `joined` is no longer held on its own. Its lines still count, under `event`.
   */
  absorbed(joined: HeldLine): void {
    joined.gone = true;
  }

  /** Events put back by a gap's fill (they came now, as far as the bound is concerned). */
  insert(events: readonly HeldLine[]): void {
    for (const event of events) this.add(event);
  }

  /** The user cleared the lines of the sources `shows` accepts: forgotten, not counted as dropped. */
  forget(shows: (source: string) => boolean): void {
    for (let position = this.events.start; position < this.events.end; position++) {
      const event = this.events.at(position);
      if (event.gone || !shows(event.source)) continue;
      event.gone = true;
      this.lines -= event.lineCount;
    }
    for (const source of [...this.counts.keys()]) if (shows(source)) this.counts.delete(source);
    this.lastSource = null;
  }

  /** Does the store hold a line of `source`? */
  holds(source: string): boolean {
    return (this.counts.get(source)?.held ?? 0) > 0;
  }

  /** Lines of the sources `shows` accepts that the bound let go. */
  dropped(shows: (source: string) => boolean): number {
    let total = 0;
    for (const [source, counts] of this.counts) if (shows(source)) total += counts.dropped;
    return total;
  }

  /**
   * The events held of the sources `shows` accepts, in a view's order: one source's by seq, several
   * interleaved by time (see interleave).
   */
  eventsFor(shows: (source: string) => boolean, merged: boolean): HeldLine[] {
    const events: HeldLine[] = [];
    for (let position = this.events.start; position < this.events.end; position++) {
      const event = this.events.at(position);
      if (!event.gone && shows(event.source)) events.push(event);
    }
    if (!merged) return sortedBy(events, bySeq);
    // Each source by seq first: a gap's lines came after those that followed them.
    const bySource = new Map<string, HeldLine[]>();
    for (const event of events) {
      const list = bySource.get(event.source);
      if (list === undefined) bySource.set(event.source, [event]);
      else list.push(event);
    }
    const lists = [...bySource.values()].map((list) => sortedBy(list, bySeq));
    return lists.length === 1 ? lists[0]! : interleave(lists.flat());
  }

  private count(source: string, lines: number): void {
    this.lines += lines;
    this.countsOf(source).held += lines;
  }

  private countsOf(source: string): SourceCounts {
    if (source === this.lastSource) return this.lastCounts;
    let counts = this.counts.get(source);
    if (counts === undefined) {
      counts = { held: 0, dropped: 0 };
      this.counts.set(source, counts);
      if (this.counts.size > STORE_LIMITS.maxCountedSources) this.forgetOneIdle();
    }
    this.lastSource = source;
    this.lastCounts = counts;
    return counts;
  }

  /** Past the limit, the first counted source that holds no line is forgotten (its dropped count with it). */
  private forgetOneIdle(): void {
    for (const [source, counts] of this.counts) {
      if (counts.held > 0) continue;
      this.counts.delete(source);
      if (source === this.lastSource) this.lastSource = null;
      return;
    }
  }

  private evict(): void {
    while (this.lines > this.bound && this.events.length > 0) this.evictOne();
  }

  private evictOne(): void {
    const event = this.events.shift();
    // Forgotten (cleared) or absorbed events hold no line of their own here.
    if (event.gone) return;
    event.gone = true;
    this.evictions++;
    const lines = event.lineCount;
    this.lines -= lines;
    // Not through countsOf: the oldest event's source is seldom the one being added.
    const counts = this.counts.get(event.source);
    if (counts === undefined) return;
    counts.held -= lines;
    counts.dropped += lines;
  }
}
