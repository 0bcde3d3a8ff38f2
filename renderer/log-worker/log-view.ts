// One pane's rows: a bounded buffer of held rows and, over it, the list of the rows the filter shows, with
// its counts and the window of rows the page draws. Indexes in that list are absolute: a row keeps its index
// while older rows go, until the list is rebuilt (new filter, cleared view), which changes `generation`.
import { HeldLine, Marker, type HeldRow } from './held-rows';
import { PASSES_QUERY, SHOWN, ruleBit, type LineFilter } from './line-filter';
import type { MarkerKind, Row, ViewUpdate } from '../worker-channel/worker-protocol';
import { PositionRing, RowRing } from './rings';
import { decorateRow } from './row-decoration';

export const WINDOW_LIMITS = {
  /** Rows sent for one window: several screens of the tallest display. */
  maxRows: 2_000,
  /** The window until the page asks for one: the newest rows, about a screenful. */
  defaultRows: 100,
} as const;

export interface ExportedText {
  text: string;
  lines: number;
}

/** Sources remembered by a view before it forgets those it holds no line of (see LogView.newestOf). */
const NEWEST_PRUNE_MIN = 1_024;

/** Generations are unique in the worker, so a view replaced under the same id never repeats its old one. */
let lastGeneration = 0;

export class LogView {
  readonly sources: ReadonlySet<string> | null;
  /** The source of a single-source view, whose lines keep arrival (seq) order instead of time order. */
  readonly only: string | null;
  /** Set when the page should be sent this view again. */
  changed = true;
  private rows: RowRing<HeldRow>;
  /** Buffer positions of the rows the filter shows, at absolute indexes: the page's row indexes. */
  private shown: PositionRing;
  private filter: LineFilter;
  /** Rows before this buffer position are judged by `filter` (and listed if shown); the rest await a rescan. */
  private judgedTo = 0;
  private generation = ++lastGeneration;
  private dropped = 0;
  private matches = 0;
  private highlightCounts: number[] = [];
  /** Position of the last row older than the row before it: once it is gone, the buffer is in time order. */
  private lastDescent = -1;
  private lastTs = -Infinity;
  private window: { follow: boolean; first: number; count: number } = { follow: true, first: 0, count: WINDOW_LIMITS.defaultRows };
  /** The decorated rows of the last window, reused while they stay in it (they are valid for one generation). */
  private windowRows = new Map<HeldRow, Row>();
  /**
   * Buffer position of the newest line of each source held, written when a run of one source's lines ends
   * (the current run is `runSource` up to `runEnd`): appending costs a comparison a line, `holds` a map read.
   * A source's lines leave in the order they came, so it holds none once its newest is gone.
   */
  private newestOf = new Map<string, number>();
  private runSource: string | null = null;
  private runEnd = -1;
  /** `newestOf` is rid of sources held no more when it grows to this (then twice what is left). */
  private pruneAt = NEWEST_PRUNE_MIN;

  constructor(
    readonly id: string,
    sources: readonly string[] | null,
    bound: number,
    filter: LineFilter,
  ) {
    this.sources = sources === null ? null : new Set(sources);
    this.only = sources?.length === 1 ? sources[0]! : null;
    this.rows = new RowRing(bound);
    this.shown = new PositionRing(bound);
    this.filter = filter;
    this.resetCounts();
  }

  /** Rows are waiting to be judged by a new filter: the view is not sent until they are. */
  get judging(): boolean {
    return this.judgedTo < this.rows.end;
  }

  shows(source: string): boolean {
    return this.sources === null || this.sources.has(source);
  }

  hasSources(sources: readonly string[] | null): boolean {
    if (sources === null || this.sources === null) return sources === this.sources;
    const wanted = new Set(sources);
    return wanted.size === this.sources.size && [...wanted].every((source) => this.sources!.has(source));
  }

  /** Adds a row at the end, dropping the oldest when the buffer is full. */
  append(row: HeldRow): void {
    if (this.rows.length === this.rows.bound) this.dropOldest();
    const position = this.rows.end;
    this.rows.push(row);
    if (row instanceof HeldLine) {
      if (row.source !== this.runSource) this.startRun(row.source);
      this.runEnd = position;
    }
    if (row.ts < this.lastTs) this.lastDescent = position;
    this.lastTs = row.ts;
    if (this.judgedTo === position) {
      this.judgedTo++;
      this.judge(row, position);
    }
    this.changed = true;
  }

  /** Adds a marker, placed in time at the row before it (or at `now` in an empty view). */
  appendMarker(kind: MarkerKind, text: string, now: number): void {
    this.append(new Marker(kind, this.rows.length > 0 ? this.lastTs : now, text));
  }

  /**
   * The newest `bound` of `lines`, in order, into an empty view (one just made from others' lines). `missing`:
   * lines of its sources received before those and held by no view now; they, and the lines past the bound,
   * count as dropped.
   */
  fill(lines: readonly HeldLine[], missing: number): void {
    const from = Math.max(0, lines.length - this.rows.bound);
    for (let i = from; i < lines.length; i++) this.append(lines[i]!);
    this.dropped = missing + from;
  }

  /** Does the buffer hold a line of `source`? */
  holds(source: string): boolean {
    const newest = source === this.runSource ? this.runEnd : this.newestOf.get(source);
    return newest !== undefined && newest >= this.rows.start;
  }

  forEachLine(visit: (line: HeldLine) => void): void {
    for (let position = this.rows.start; position < this.rows.end; position++) {
      const row = this.rows.at(position);
      if (row instanceof HeldLine) visit(row);
    }
  }

  /** Starts the filtered list over under `filter`; `scan` fills it, a slice at a time. */
  applyFilter(filter: LineFilter): void {
    this.filter = filter;
    this.startOver();
    this.shown.reset();
    this.judgedTo = this.rows.start;
  }

  /** Judges up to `budget` rows awaiting the current filter; returns how many it judged. */
  scan(budget: number): number {
    const stop = Math.min(this.rows.end, this.judgedTo + budget);
    const judged = stop - this.judgedTo;
    for (; this.judgedTo < stop; this.judgedTo++) this.judge(this.rows.at(this.judgedTo), this.judgedTo);
    return judged;
  }

  /** Drops every row (the user's "clear", a server restart, a new buffer size). Not counted as dropped. */
  clear(bound: number = this.rows.bound): void {
    this.startOver();
    this.rows = new RowRing(bound);
    this.shown = new PositionRing(bound);
    this.judgedTo = 0;
    this.dropped = 0;
    this.lastDescent = -1;
    this.lastTs = -Infinity;
    // The new buffer numbers its rows from 0 again.
    this.newestOf = new Map();
    this.runSource = null;
    this.runEnd = -1;
    this.pruneAt = NEWEST_PRUNE_MIN;
  }

  setWindow(follow: boolean, first: number, count: number): void {
    this.window = { follow, first, count: Math.min(Math.max(0, count), WINDOW_LIMITS.maxRows) };
    this.changed = true;
  }

  /** Absolute index of the first shown row at or after `ts`, or null. */
  seek(ts: number): number | null {
    this.scan(Infinity);
    const shown = this.shown;
    if (this.lastDescent > this.rows.start) {
      for (let index = shown.start; index < shown.end; index++) if (this.shownRow(index).ts >= ts) return index;
      return null;
    }
    let low = shown.start;
    let high = shown.end;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (this.shownRow(middle).ts < ts) low = middle + 1;
      else high = middle;
    }
    return low < shown.end ? low : null;
  }

  /** The text of shown rows [first, last] (all when absent): lines as they read, markers as `--- text ---`. */
  exportText(first?: number, last?: number): ExportedText {
    this.scan(Infinity);
    const shown = this.shown;
    const from = Math.max(first ?? shown.start, shown.start);
    const to = Math.min(last ?? shown.end - 1, shown.end - 1);
    const lines: string[] = [];
    for (let index = from; index <= to; index++) {
      const row = this.shownRow(index);
      lines.push(row instanceof Marker ? `--- ${row.text} ---` : row.text);
    }
    return { text: lines.join('\n'), lines: lines.length };
  }

  /** What the page is sent: counts, and the rows of its window, decorated. Clears `changed`. */
  update(): ViewUpdate {
    this.changed = false;
    const shown = this.shown;
    const { follow, count } = this.window;
    const first = follow ? Math.max(shown.start, shown.end - count) : Math.min(Math.max(this.window.first, shown.start), shown.end);
    const end = Math.min(shown.end, first + count);
    const rows: Row[] = [];
    const previous = this.windowRows;
    this.windowRows = new Map();
    for (let index = first; index < end; index++) {
      const row = this.shownRow(index);
      const decorated = previous.get(row) ?? decorateRow(row, index, this.filter);
      this.windowRows.set(row, decorated);
      rows.push(decorated);
    }
    const update: ViewUpdate = {
      view: this.id,
      generation: this.generation,
      firstIndex: shown.start,
      total: shown.length,
      buffered: this.rows.length,
      dropped: this.dropped,
      matches: this.matches,
      highlightCounts: [...this.highlightCounts],
      window: { first, rows },
    };
    if (this.filter.error !== undefined) update.filterError = this.filter.error;
    return update;
  }

  private shownRow(index: number): HeldRow {
    return this.rows.at(this.shown.at(index));
  }

  private judge(row: HeldRow, position: number): void {
    const verdict = row instanceof HeldLine ? this.filter.verdict(row) : SHOWN;
    if ((verdict & SHOWN) === 0) return;
    this.shown.push(position);
    this.count(verdict, 1);
  }

  private count(verdict: number, delta: 1 | -1): void {
    if ((verdict & PASSES_QUERY) !== 0) this.matches += delta;
    if (verdict < ruleBit(0)) return;
    for (let rule = 0; rule < this.filter.testedRules; rule++) {
      if ((verdict & ruleBit(rule)) !== 0) this.highlightCounts[rule]! += delta;
    }
  }

  private startRun(source: string): void {
    if (this.runSource !== null) this.newestOf.set(this.runSource, this.runEnd);
    this.runSource = source;
    if (this.newestOf.size < this.pruneAt) return;
    for (const [held, newest] of this.newestOf) if (newest < this.rows.start) this.newestOf.delete(held);
    this.pruneAt = Math.max(NEWEST_PRUNE_MIN, 2 * this.newestOf.size);
  }

  private dropOldest(): void {
    const position = this.rows.start;
    const row = this.rows.shift();
    if (row instanceof HeldLine) this.dropped++;
    if (position >= this.judgedTo) {
      this.judgedTo = position + 1;
      return;
    }
    if (this.shown.length > 0 && this.shown.at(this.shown.start) === position) {
      this.shown.shift();
      this.count(row instanceof HeldLine ? this.filter.verdict(row) : SHOWN, -1);
    }
  }

  /** A new list: new generation, indexes from 0, counts from 0, every window row decorated afresh. */
  private startOver(): void {
    this.generation = ++lastGeneration;
    this.resetCounts();
    this.windowRows = new Map();
    this.changed = true;
  }

  private resetCounts(): void {
    this.matches = 0;
    this.highlightCounts = new Array<number>(this.filter.ruleCount).fill(0);
  }
}
