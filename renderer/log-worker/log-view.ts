// One pane's rows: the store's events of its sources (see SourceStore: a row refers to an event kept there
// once) and its own markers, in a bounded ring; over it, the list of the rows the filter shows, with
// its counts and the window of rows the page draws. A row is an event (a line and the lines that continue
// it) or a marker; the bound counts lines. Indexes in that list are absolute: a row keeps its index while
// older rows go, until the list is rebuilt (new filter, cleared view), which changes `generation`.
import { HeldLine, Marker, VACATED, type HeldRow } from './held-rows';
import { PASSES_QUERY, SHOWN, ruleBit, type LineFilter } from './line-filter';
import type { MarkerKind, Row, ViewHistory, ViewUpdate } from '../worker-channel/worker-protocol';
import { PositionRing, RowRing } from './rings';
import { decorateRow } from './row-decoration';
import { byTimeKey, interleave } from './source-store';

export const WINDOW_LIMITS = {
  /** Rows sent for one window: several screens of the tallest display. */
  maxRows: 2_000,
  /** The window until the page asks for one: the newest rows, about a screenful. */
  defaultRows: 100,
} as const;

export const ORDER_LIMITS = {
  /**
   * Rows a merged view looks back from its end to place a line that came late (its time is older than the
   * newest row's): those after its place are put again behind it. Further back the view is rebuilt from the store.
   */
  reorderRows: 5_000,
} as const;

export const FOLD_LIMITS = {
  /** Events a view keeps unfolded; past it the one unfolded first folds again. */
  maxUnfolded: 1_000,
} as const;

export interface ExportedText {
  text: string;
  /** Log lines and markers in it (not the source headers). */
  lines: number;
}

/** Sources remembered by a view before it forgets those it holds no line of (see LogView.newestOf). */
const NEWEST_PRUNE_MIN = 1_024;

/** Generations are unique in the worker, so a view replaced under the same id never repeats its old one. */
let lastGeneration = 0;

/** What a row weighs against the bound: an event its lines, a marker one, a vacated place nothing. */
const linesOf = (row: HeldRow): number => (row instanceof HeldLine ? row.lineCount : row instanceof Marker ? 1 : 0);

/** An event as the page names it for folding: its source and first seq (one server run; cleared with the view). */
const eventKey = (event: HeldLine): string => `${event.source}\n${event.seq}`;

export class LogView {
  readonly sources: ReadonlySet<string> | null;
  /** The source of a single-source view, whose lines keep arrival (seq) order instead of time order. */
  readonly only: string | null;
  /** Set when the page should be sent this view again. */
  changed = true;
  private bound: number;
  private rows: RowRing<HeldRow>;
  /** Lines (and markers) the rows hold: at most `bound`. */
  private held = 0;
  /** Lines of the oldest row dropped already: an event cut at the buffer's start shows the rest. */
  private cut = 0;
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
  private lastDescent = -Infinity;
  private lastTs = -Infinity;
  private window: { follow: boolean; first: number; count: number } = { follow: true, first: 0, count: WINDOW_LIMITS.defaultRows };
  /** The decorated rows of the last window, reused while they stay in it and unchanged (valid for one generation). */
  private windowRows = new Map<HeldRow, Row>();
  /** Events the page unfolded (eventKey), oldest first. */
  private unfolded = new Set<string>();
  /**
   * Buffer position of the newest row of each source held, written when a run of one source's rows ends
   * (the current run is `runSource` up to `runEnd`): appending costs a comparison a row, `holds` a map read.
   * A source's rows leave in the order they came, so it holds none once its newest is gone.
   */
  private newestOf = new Map<string, number>();
  private runSource: string | null = null;
  private runEnd = -1;
  /** Older lines read from disk for this view: loading now, the start of the file reached, or why not. */
  history: ViewHistory = { loading: false, start: false, note: null };
  /** `newestOf` is rid of sources held no more when it grows to this (then twice what is left). */
  private pruneAt = NEWEST_PRUNE_MIN;

  constructor(
    readonly id: string,
    sources: readonly string[] | null,
    bound: number,
    filter: LineFilter,
    /** Lines of its sources the store let go (see SourceStore); without it, those the view let go itself. */
    private readonly droppedOf?: () => number,
  ) {
    this.sources = sources === null ? null : new Set(sources);
    this.only = sources?.length === 1 ? sources[0]! : null;
    this.bound = bound;
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

  /** Adds an event or a marker at the end; the oldest lines go while the view holds more than its bound. */
  append(row: HeldLine | Marker): void {
    this.place(row);
    this.held += linesOf(row);
    this.trim();
  }

  /** Adds a marker, placed in time at the row before it (or at `now` in an empty view); returns it. */
  appendMarker(kind: MarkerKind, text: string, now: number): Marker {
    const marker = new Marker(kind, this.rows.length > 0 ? this.lastTs : now, text);
    this.append(marker);
    return marker;
  }

  /**
   * Puts `rows` (a gap's lines read from disk, and a marker for any still missing) in the place of `marker`.
   * Rows cannot be put between indexes already given: the list is rebuilt (a new generation, which the page
   * re-anchors by time); lines over the bound go from the front, as always. False when the marker is gone.
   */
  replaceMarker(marker: Marker, rows: readonly (HeldLine | Marker)[]): boolean {
    const kept: (HeldLine | Marker)[] = [];
    let found = false;
    for (let position = this.rows.start; position < this.rows.end; position++) {
      const row = this.rows.at(position);
      if (row === marker) {
        found = true;
        kept.push(...rows);
      } else if (row !== VACATED) {
        kept.push(row as HeldLine | Marker);
      }
    }
    if (!found) return false;
    const { dropped, cut, history, unfolded } = this;
    this.clear();
    // The lines an event cut at the start had dropped are held again: no longer dropped ones.
    for (const row of kept) this.append(row);
    this.dropped += Math.max(0, dropped - cut);
    this.history = history;
    this.unfolded = unfolded;
    return true;
  }

  /**
   * `events` (in the merged order, see interleave) into a merged view in time order: appended when none is older than the
   * newest row (the common case), else put in their place among the last rows (up to ORDER_LIMITS.reorderRows),
   * those after it put again behind them (they change index; the rows before keep
   * theirs). A marker is a fence: rows never move above it (lines after a server restart stay below its
   * marker). False when the place is further back: the caller rebuilds the view.
   */
  placeSorted(events: readonly HeldLine[]): boolean {
    if (events.length === 0) return true;
    let least = events[0]!;
    for (const event of events) if (byTimeKey(event, least) < 0) least = event;
    let position = this.rows.end;
    for (let looked = 0; position > this.rows.start; position--) {
      const row = this.rows.at(position - 1);
      if (row instanceof Marker) break;
      if (row instanceof HeldLine && byTimeKey(row, least) <= 0) break;
      if (++looked > ORDER_LIMITS.reorderRows) return false;
    }
    if (position === this.rows.end) {
      for (const event of events) this.append(event);
      return true;
    }
    // The oldest row, cut, cannot be put again (its cut lines would come back): rebuild.
    if (position === this.rows.start && this.cut > 0) return false;
    if (this.runSource !== null) this.newestOf.set(this.runSource, this.runEnd);
    this.runSource = null;
    const tail: HeldLine[] = [];
    while (this.rows.end > position) {
      const row = this.popRow();
      if (row instanceof HeldLine && !row.gone) tail.push(row);
    }
    tail.reverse();
    const last = this.rows.length > 0 ? this.rows.at(this.rows.end - 1) : VACATED;
    this.lastTs = last instanceof HeldLine || last instanceof Marker ? last.ts : -Infinity;
    this.renumberedTail();
    // Each source's rows of the tail came before its new ones: interleaving keeps that.
    for (const event of interleave([...tail, ...events])) this.append(event);
    return true;
  }

  /**
   * Every row again from `events` (in the view's order, from the store), the view's markers kept: those at its
   * top stay there (a server restart's), the others go by their time. A new generation; what the page unfolded
   * and the history state stay.
   */
  rebuild(events: readonly HeldLine[]): void {
    const leading: Marker[] = [];
    const markers: Marker[] = [];
    let top = true;
    for (let position = this.rows.start; position < this.rows.end; position++) {
      const row = this.rows.at(position);
      if (row instanceof Marker) (top ? leading : markers).push(row);
      else if (row instanceof HeldLine) top = false;
    }
    const { dropped, history, unfolded } = this;
    this.clear();
    for (const marker of leading) this.append(marker);
    let m = 0;
    for (const event of events) {
      while (m < markers.length && markers[m]!.ts < event.ts) this.append(markers[m++]!);
      this.append(event);
    }
    while (m < markers.length) this.append(markers[m++]!);
    this.dropped = dropped;
    this.history = history;
    this.unfolded = unfolded;
  }

  /**
   * The store joined `first` to `older` (the start of its event, read from disk): if `first` is the view's
   * oldest row, `older` takes its place (its index kept), judged again. False otherwise: the caller rebuilds.
   */
  takeJoined(first: HeldLine, older: HeldLine): boolean {
    const position = this.rows.start;
    if (this.rows.length === 0 || this.rows.at(position) !== first || this.cut > 0) return false;
    const listed = this.shown.length > 0 && this.shown.at(this.shown.start) === position;
    const judged = position < this.judgedTo;
    const before = judged ? this.filter.verdict(first) : 0;
    this.rows.replace(position, older);
    this.held += older.lineCount - first.lineCount;
    this.windowRows.delete(first);
    this.changed = true;
    if (!judged) return true;
    const after = this.filter.verdict(older);
    if (listed) {
      // Listed it stays (its index was given), as an event that grew does (see grew).
      this.count(before, -1);
      this.count(after, 1);
    } else if ((after & SHOWN) !== 0) {
      this.shown.unshift(position);
      this.count(after, 1);
    }
    return true;
  }

  /** Can `events` (oldest first, older than every row in the view's order) go before every row? */
  precedes(events: readonly HeldLine[]): boolean {
    if (events.length === 0 || this.rows.length === 0) return true;
    const first = this.rows.at(this.rows.start);
    if (!(first instanceof HeldLine)) return true;
    const newest = events[events.length - 1]!;
    return this.only !== null ? newest.seq < first.seq : byTimeKey(newest, first) <= 0;
  }

  /** Does the buffer hold a line of `source`? */
  holds(source: string): boolean {
    const newest = this.newestPosition(source);
    return newest !== undefined && newest >= this.rows.start;
  }

  /**
   * The seq of the oldest line of each source the view holds, as whole events (an event cut at the buffer's
   * start counts from its first line: prepend takes its cut lines back). A pass over the buffer: asked per page.
   */
  oldestSeqs(): Map<string, number> {
    const oldest = new Map<string, number>();
    for (let position = this.rows.start; position < this.rows.end; position++) {
      const row = this.rows.at(position);
      if (row instanceof HeldLine && !oldest.has(row.source)) oldest.set(row.source, row.seq);
    }
    return oldest;
  }

  /** Lines of its sources let go since the view began (less those read back from disk). */
  get droppedLines(): number {
    return this.droppedOf?.() ?? this.dropped;
  }

  /** Lines older ones may take: what the bound leaves, less the lines an event cut at the start takes back. */
  get room(): number {
    return Math.max(0, Math.min(this.bound - this.held, this.rows.bound - this.rows.length) - this.cut);
  }

  /**
   * Older events (read from disk), oldest first, put before every row held: they keep the indexes already
   * given and take those below. As many of the newest of them as `room` allows; returns how many events it took.
   * Lines put back are no longer dropped ones.
   */
  prepend(events: readonly HeldLine[]): number {
    let lines = 0;
    let from = events.length;
    while (from > 0 && lines + events[from - 1]!.lineCount <= this.room) lines += events[--from]!.lineCount;
    if (from === events.length) return 0;
    if (this.cut > 0) {
      this.held += this.cut;
      this.dropped = Math.max(0, this.dropped - this.cut);
      this.cut = 0;
      this.windowRows.delete(this.rows.at(this.rows.start));
    }
    const newest = events.length;
    const first = this.rows.length > 0 ? this.rows.at(this.rows.start) : VACATED;
    let nextTs = first instanceof HeldLine || first instanceof Marker ? first.ts : Infinity;
    for (let i = newest - 1; i >= from; i--) {
      const event = events[i]!;
      this.rows.unshift(event);
      const position = this.rows.start;
      if (nextTs < event.ts) this.lastDescent = Math.max(this.lastDescent, position + 1);
      nextTs = event.ts;
      const newest = this.newestPosition(event.source);
      if (newest === undefined || newest < position) {
        if (event.source === this.runSource) this.runEnd = position;
        else this.newestOf.set(event.source, position);
      }
      // Rows [start, judgedTo) are judged and listed in order: one put before them is judged now and listed first.
      this.judgeFront(event, position);
    }
    if (this.rows.length === newest - from) this.lastTs = events[newest - 1]!.ts;
    this.held += lines;
    this.dropped = Math.max(0, this.dropped - lines);
    this.changed = true;
    return events.length - from;
  }

  forEachEvent(visit: (event: HeldLine) => void): void {
    for (let position = this.rows.start; position < this.rows.end; position++) {
      const row = this.rows.at(position);
      if (row instanceof HeldLine) visit(row);
    }
  }

  /**
   * `added` lines joined `event` (the newest event of its source) after it was placed. Where the view holds
   * it, the event grows in place; one the filter hid and now shows is listed, at the end (the place its new
   * line came) unless it is the newest row already. `before` and `after`: its verdict before and after, under
   * the current filter, or null when no view judged it under that filter.
   */
  grew(event: HeldLine, added: number, before: number | null, after: number | null): void {
    const position = this.newestPosition(event.source);
    // Never held a line of the source since the view began (or was cleared): nothing of the event is here.
    if (position === undefined) return;
    this.changed = true;
    if (position < this.rows.start || this.rows.at(position) !== event) {
      // The event's start left the buffer: its later lines are dropped with it.
      this.dropped += added;
      return;
    }
    this.held += added;
    this.windowRows.delete(event);
    if (position < this.judgedTo && before !== null && after !== null) {
      if ((before & SHOWN) !== 0) {
        // Listed it stays, until the next filter (an inverted query a new line matches would hide it).
        this.count(before, -1);
        this.count(after, 1);
      } else if ((after & SHOWN) !== 0) {
        this.reveal(event, position, after);
      }
    }
    this.trim();
  }

  /** Folds or unfolds the event at `index` of list `generation`; false when that list or row is gone. */
  fold(generation: number, index: number, open: boolean): boolean {
    if (generation !== this.generation || index < this.shown.start || index >= this.shown.end) return false;
    const row = this.shownRow(index);
    if (!(row instanceof HeldLine) || row.more === null) return false;
    const key = eventKey(row);
    this.unfolded.delete(key);
    if (open) {
      this.unfolded.add(key);
      // A Set iterates in insertion order: the first one is the oldest unfolding.
      if (this.unfolded.size > FOLD_LIMITS.maxUnfolded) this.unfolded.delete(this.unfolded.values().next().value!);
    }
    this.windowRows.delete(row);
    this.changed = true;
    return true;
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
  clear(bound: number = this.bound): void {
    this.startOver();
    this.bound = bound;
    this.rows = new RowRing(bound);
    this.shown = new PositionRing(bound);
    this.held = 0;
    this.cut = 0;
    this.judgedTo = 0;
    this.dropped = 0;
    this.lastDescent = -Infinity;
    this.history = { loading: false, start: false, note: null };
    this.lastTs = -Infinity;
    this.unfolded = new Set();
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

  /** Absolute index of the shown row whose event holds line `seq` of `source`, or null when none is shown. */
  find(source: string, seq: number): number | null {
    this.scan(Infinity);
    const shown = this.shown;
    for (let index = shown.end - 1; index >= shown.start; index--) {
      const row = this.shownRow(index);
      if (!(row instanceof HeldLine) || row.source !== source) continue;
      if (row.seq === seq || row.more?.some((line) => line.seq === seq)) return index;
    }
    return null;
  }

  /**
   * The text of shown rows [first, last] (all when absent): every line held of each event, folded or not,
   * markers as `--- text ---`. When the rows come from more than one source, every line (a stack frame
   * too) starts with its source's name, `name | text`, so a line keeps its source wherever it is pasted or
   * grepped; when they come from more than one host (`hostOf`: serve --redis), `host: name | text`.
   */
  exportText(first?: number, last?: number, nameOf: (source: string) => string = (source) => source, hostOf: (source: string) => string | undefined = () => undefined): ExportedText {
    this.scan(Infinity);
    const shown = this.shown;
    const from = Math.max(first ?? shown.start, shown.start);
    const to = Math.min(last ?? shown.end - 1, shown.end - 1);
    let sources: string | null | undefined;
    for (let index = from; index <= to && sources !== null; index++) {
      const row = this.shownRow(index);
      if (row instanceof HeldLine && row.source !== sources) sources = sources === undefined ? row.source : null;
    }
    const named = sources === null;
    // Hosts are named only when the rows span more than one: each distinct source asked once.
    const hosts = new Map<string, string | undefined>();
    let manyHosts = false;
    for (let index = from; named && index <= to && !manyHosts; index++) {
      const row = this.shownRow(index);
      if (!(row instanceof HeldLine) || hosts.has(row.source)) continue;
      hosts.set(row.source, hostOf(row.source));
      manyHosts = new Set(hosts.values()).size > 1;
    }
    const label = (source: string): string => {
      const host = manyHosts ? hostOf(source) : undefined;
      return host === undefined ? nameOf(source) : `${host}: ${nameOf(source)}`;
    };
    const out: string[] = [];
    let lines = 0;
    for (let index = from; index <= to; index++) {
      const position = this.shown.at(index);
      const row = this.rows.at(position);
      if (row instanceof Marker) {
        out.push(`--- ${row.text} ---`);
        lines++;
        continue;
      }
      if (!(row instanceof HeldLine)) continue;
      const prefix = named ? `${label(row.source)} | ` : '';
      const count = row.lineCount;
      for (let at = this.firstHeld(position); at < count; at++) {
        out.push(prefix + row.lineAt(at).text);
        lines++;
      }
    }
    return { text: out.join('\n'), lines };
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
      const position = shown.at(index);
      const row = this.rows.at(position) as HeldLine | Marker;
      const decorated =
        previous.get(row) ??
        decorateRow(row, index, this.filter, row instanceof HeldLine ? { first: this.firstHeld(position), unfolded: this.unfolded.has(eventKey(row)) } : null);
      this.windowRows.set(row, decorated);
      rows.push(decorated);
    }
    const update: ViewUpdate = {
      view: this.id,
      generation: this.generation,
      firstIndex: shown.start,
      total: shown.length,
      buffered: this.held,
      dropped: this.droppedLines,
      matches: this.matches,
      highlightCounts: [...this.highlightCounts],
      window: { first, rows },
    };
    if (this.filter.error !== undefined) update.filterError = this.filter.error;
    const { loading, start, note } = this.history;
    if (loading || start || note !== null) update.history = { loading, start, ...(note === null ? {} : { note }) };
    return update;
  }

  private shownRow(index: number): HeldLine | Marker {
    return this.rows.at(this.shown.at(index)) as HeldLine | Marker;
  }

  /** The first line held of the row at `position`: past the cut for the oldest row. */
  private firstHeld(position: number): number {
    return position === this.rows.start ? this.cut : 0;
  }

  /** Puts `row` at the end of the buffer and judges it (unless a rescan is behind); its lines are not counted here. */
  private place(row: HeldLine | Marker): void {
    // Vacated places (rare) hold no line: the ring can fill with rows before the lines reach the bound.
    if (this.rows.length === this.rows.bound) this.dropRow();
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

  /**
   * A hidden event at `position` that a new line shows. Indexes already given cannot move, so it is listed
   * where it is only as the newest row; otherwise it moves to the end, leaving a vacated place. The oldest
   * row, cut, stays (moving it would move its cut): the next filter lists it.
   */
  private reveal(event: HeldLine, position: number, verdict: number): void {
    if (position === this.rows.end - 1) {
      this.shown.push(position);
      this.count(verdict, 1);
      return;
    }
    if (position === this.rows.start && this.cut > 0) return;
    this.rows.replace(position, VACATED);
    this.place(event);
  }

  /** Drops the oldest lines until the view holds at most its bound, and the rows the store let go at its top. */
  private trim(): void {
    while (this.frontGone()) this.dropRow();
    while (this.held > this.bound) {
      const row = this.rows.at(this.rows.start);
      if (row instanceof HeldLine && row.lineCount - this.cut > 1) {
        // One line of the oldest event: the event stays, showing the lines it still has.
        this.cut++;
        this.held--;
        this.dropped++;
        this.windowRows.delete(row);
      } else {
        this.dropRow();
      }
    }
  }

  /** Takes the newest row out (to put it again in time order), its lines and its listing with it. */
  private popRow(): HeldRow {
    const position = this.rows.end - 1;
    const row = this.rows.pop();
    this.held -= linesOf(row) - (position === this.rows.start ? this.cut : 0);
    this.windowRows.delete(row);
    if (position < this.judgedTo) {
      this.judgedTo = position;
      if (this.shown.length > 0 && this.shown.at(this.shown.end - 1) === position) {
        this.shown.pop();
        this.count(row instanceof HeldLine ? this.filter.verdict(row) : SHOWN, -1);
      }
    }
    return row;
  }

  /** Lets go of the rows at its top the store let go (lines of other sources pushed them out); the view is sent again if any went. */
  releaseGone(): void {
    if (!this.frontGone()) return;
    while (this.frontGone()) this.dropRow();
    this.changed = true;
  }

  /**
   * Is the oldest row one the store let go, or a marker (a restart's, a gap's) or vacated place just above
   * one? A marker goes with the lines it stood above, as it would under the view's own bound.
   */
  private frontGone(): boolean {
    const start = this.rows.start;
    for (let position = start; position < this.rows.end && position < start + 8; position++) {
      const row = this.rows.at(position);
      if (row instanceof HeldLine) return row.gone;
    }
    return false;
  }

  /** Drops the oldest row with the lines it still holds. */
  private dropRow(): void {
    const position = this.rows.start;
    const row = this.rows.shift();
    const lines = linesOf(row) - this.cut;
    this.cut = 0;
    this.held -= lines;
    if (row instanceof HeldLine) this.dropped += lines;
    if (position >= this.judgedTo) {
      this.judgedTo = position + 1;
      return;
    }
    if (this.shown.length > 0 && this.shown.at(this.shown.start) === position) {
      this.shown.shift();
      this.count(row instanceof HeldLine ? this.filter.verdict(row) : SHOWN, -1);
    }
  }

  /** Judges a row put before every row judged: listed first. */
  private judgeFront(row: HeldLine, position: number): void {
    const verdict = this.filter.verdict(row);
    if ((verdict & SHOWN) === 0) return;
    this.shown.unshift(position);
    this.count(verdict, 1);
  }

  private judge(row: HeldRow, position: number): void {
    if (row === VACATED) return;
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

  private newestPosition(source: string): number | undefined {
    return source === this.runSource ? this.runEnd : this.newestOf.get(source);
  }

  private startRun(source: string): void {
    if (this.runSource !== null) this.newestOf.set(this.runSource, this.runEnd);
    this.runSource = source;
    if (this.newestOf.size < this.pruneAt) return;
    for (const [held, newest] of this.newestOf) if (newest < this.rows.start) this.newestOf.delete(held);
    this.pruneAt = Math.max(NEWEST_PRUNE_MIN, 2 * this.newestOf.size);
  }

  /**
   * Rows after a place were put again (a late line went between): their indexes changed, the others' did not.
   * Same generation (the page keys drawn rows by index, source and seq, so none is stale, and the reader's
   * selection and expansions stay); the rows moved were let go of the decorated window rows (popRow).
   */
  private renumberedTail(): void {
    this.changed = true;
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
