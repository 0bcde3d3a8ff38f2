// Every view the page has, fed from one ingest batch: the lines that arrive between two flushes are grouped
// into events and kept once, in the store (SourceStore), which bounds them; each view lists the store's events
// of its sources: appended as they come for one source, in time order when merged (a late line goes in its
// place); lines continuing an event the views hold already join it there. A view made later (any layout
// change) is filled from the store, so it shows every line held of its sources.
import type { LogLine } from '../../protocol/events';
import { EVENT_LIMITS, EventGrouping, type Growth } from './event-grouping';
import type { HeldLine, Marker } from './held-rows';
import { LineFilter } from './line-filter';
import { LogView, type ExportedText } from './log-view';
import { inTimeOrder, interleave, SourceStore } from './source-store';
import type { FilterSpec, HighlightRule, ViewSpec, ViewUpdate } from '../worker-channel/worker-protocol';

export const BUFFER_LIMITS = {
  /** Lines the store keeps, of all sources together, unless the page says otherwise (ConnectMessage.bufferLines). */
  defaultLines: 100_000,
  minLines: 1_000,
  maxLines: 1_000_000,
} as const;

export const INGEST_LIMITS = {
  /** Lines waiting for the next flush; reaching it flushes at once (a burst, a page that asks for no frames). Checked after each batch of a source. */
  maxPendingLines: 20_000,
  /** The longest a line waits for a flush when no update is asked for (a hidden tab), so that buffers, seek and export stay current. */
  maxPendingMs: 100,
  /** Rows judged per macrotask when a new filter rescans the buffers; page messages are handled in between. */
  rescanSliceRows: 20_000,
} as const;

const VIEW_LIMITS = {
  /** Views (panes) the page may have; more are ignored. Each costs up to 16 bytes per row it lists. */
  maxViews: 64,
  /**
   * A view's own bound, in store bounds: it lists at most the store's lines of its sources, plus its markers
   * and lines the store let go that have not yet reached its top (a merged view drops them there).
   */
  viewBoundFactor: 2,
} as const;

export class LogViews {
  private views = new Map<string, LogView>();
  /** The single-source views of each source: a line finds its views in one lookup, however many panes. */
  private singleSource = new Map<string, LogView[]>();
  private merging: LogView[] = [];
  private filter = new LineFilter();
  private bufferLines: number = BUFFER_LIMITS.defaultLines;
  /** Events begun since the last flush, in arrival order (their lines so far with them). */
  private readonly pending: HeldLine[] = [];
  /** Lines received since the last flush. */
  private pendingLines = 0;
  private readonly grouping = new EventGrouping();
  /** Every event held, once: what the views list. */
  private readonly store = new SourceStore(BUFFER_LIMITS.defaultLines);
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private rescanTimer: ReturnType<typeof setTimeout> | undefined;

  /** `rescanned` is called after each rescan slice: views it finished are ready to be sent. */
  constructor(private readonly rescanned: () => void) {}

  /** Empties every view and sizes their buffers anew (a new connection starts from its own backfill). */
  restart(bufferLines: number): void {
    const bounded = Math.min(Math.max(Math.floor(bufferLines), BUFFER_LIMITS.minLines), BUFFER_LIMITS.maxLines);
    if (bounded !== bufferLines) console.warn(`tailwatch log worker: bufferLines ${bufferLines} is out of range; using ${bounded}`);
    this.bufferLines = bounded;
    this.dropPending();
    this.store.clear(bounded);
    for (const view of this.views.values()) view.clear(this.viewBound);
  }

  /**
   * The page's views, in its order. A view whose id and sources are unchanged keeps its rows; a new one
   * lists every line the store holds of its sources, so no layout change loses a line.
   */
  setViews(specs: readonly ViewSpec[]): void {
    this.flush();
    const views = new Map<string, LogView>();
    for (const spec of specs) {
      if (views.has(spec.id)) {
        console.warn(`tailwatch log worker: view "${spec.id}" is listed twice; the first is used`);
        continue;
      }
      if (views.size === VIEW_LIMITS.maxViews) {
        console.warn(`tailwatch log worker: more than ${VIEW_LIMITS.maxViews} views; the rest are ignored`);
        break;
      }
      const kept = this.views.get(spec.id);
      if (kept?.hasSources(spec.sources)) {
        views.set(spec.id, kept);
        continue;
      }
      const view = this.newView(spec);
      view.rebuild(this.storedFor(view));
      views.set(spec.id, view);
    }
    this.views = views;
    this.singleSource = new Map();
    this.merging = [];
    for (const view of views.values()) {
      if (view.only === null) this.merging.push(view);
      else this.singleSource.set(view.only, [...(this.singleSource.get(view.only) ?? []), view]);
    }
  }

  /** A new filter for every view: their lists are rebuilt by a rescan in slices; a newer filter restarts it. */
  setFilter(spec: FilterSpec, highlights: readonly HighlightRule[]): void {
    this.flush();
    this.filter = new LineFilter(spec, highlights);
    for (const view of this.views.values()) view.applyFilter(this.filter);
    this.scheduleRescan();
  }

  ingest(source: string, lines: readonly LogLine[]): void {
    if (lines.length === 0) return;
    this.pendingLines += this.grouping.group(source, lines, this.pending);
    if (this.pendingLines >= INGEST_LIMITS.maxPendingLines) this.flush();
    else if (this.flushTimer === undefined) this.flushTimer = setTimeout(() => this.flush(), INGEST_LIMITS.maxPendingMs);
  }

  /**
   * Hands the pending lines to the store and their views: lines continuing an event placed before join it,
   * then the new events are appended in arrival order for one source, placed in time order when merged.
   */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingLines === 0) return;
    this.pendingLines = 0;
    const evictions = this.store.evictions;
    for (const growth of this.grouping.flush()) this.grow(growth);
    const batch = this.pending;
    if (batch.length === 0) return this.releaseGone(evictions);
    for (const line of batch) this.store.add(line);
    // A burst larger than the bound: its oldest lines left the store already and go to no view.
    const kept = batch[0]!.gone ? batch.filter((line) => !line.gone) : batch;
    if (this.singleSource.size > 0) {
      for (const line of kept) {
        const views = this.singleSource.get(line.source);
        if (views !== undefined) for (const view of views) view.append(line);
      }
    }
    if (this.merging.length > 0) {
      const merged = inTimeOrder(kept) ? kept : interleave(kept);
      for (const view of this.merging) {
        const events = view.sources === null ? merged : merged.filter((line) => view.shows(line.source));
        if (!view.placeSorted(events)) view.rebuild(this.storedFor(view));
      }
    }
    batch.length = 0;
    this.releaseGone(evictions);
  }

  /** A marker for lines never received: in every view showing `source`, or in all views without one. Returns where each went. */
  gap(source: string | undefined, text: string, now: number): { view: LogView; marker: Marker }[] {
    this.flush();
    const placed: { view: LogView; marker: Marker }[] = [];
    for (const view of this.views.values()) {
      if (source === undefined || view.shows(source)) placed.push({ view, marker: view.appendMarker('gap', text, now) });
    }
    return placed;
  }

  /** Lines the store keeps, of all sources together. */
  get bound(): number {
    return this.bufferLines;
  }

  /** Lines older ones read from disk may take in `view`. */
  roomFor(view: LogView): number {
    return Math.min(view.room, this.store.room);
  }

  /**
   * Older events read from disk for `view` (each source's page oldest first; `pages` in any order) go into
   * the store, as many of the newest as its room allows, and into every view showing their sources: before
   * its rows when they are older than all (indexes kept), else the view is rebuilt. An event of the store
   * continued by its oldest line of a source (its start was not held) is joined to its start. Returns the
   * events taken, by source.
   */
  older(pages: readonly { source: string; events: readonly HeldLine[] }[]): Map<string, number> {
    this.flush();
    const evictions = this.store.evictions;
    const firsts = pages.map((page) => this.store.oldestOf(page.source));
    const all = interleave(pages.flatMap((page) => page.events));
    const taken = this.store.prepend(all);
    const counts = new Map<string, number>();
    for (const event of taken) counts.set(event.source, (counts.get(event.source) ?? 0) + 1);
    if (taken.length === 0) return counts;
    /** The store's oldest event of a source, and the older event it joined (which takes its place). */
    const joins: { first: HeldLine; older: HeldLine }[] = [];
    pages.forEach((page, i) => {
      let newest: HeldLine | undefined;
      for (const event of taken) if (event.source === page.source && (newest === undefined || event.seq > newest.seq)) newest = event;
      const first = firsts[i];
      if (newest !== undefined && first !== undefined && this.joinStart(newest, first)) joins.push({ first, older: newest });
    });
    const joined = new Set(joins.map((join) => join.older));
    for (const view of this.views.values()) {
      const shown = taken.filter((event) => view.shows(event.source) && !joined.has(event));
      const mine = joins.filter((join) => view.shows(join.first.source));
      if (shown.length === 0 && mine.length === 0) continue;
      const events = view.only === null ? shown : shown.sort((a, b) => a.seq - b.seq);
      const placed = mine.every((join) => view.takeJoined(join.first, join.older)) && view.precedes(events) && view.prepend(events) === events.length;
      if (!placed) view.rebuild(this.storedFor(view));
    }
    this.releaseGone(evictions);
    return counts;
  }

  /**
   * A gap's lines read from disk: into the store, and in place of the gap's markers in the views that have
   * them (`placed`, with the rows for each: a marker for lines still missing, and the events); every other
   * view showing `source` (made since the gap) is rebuilt from the store.
   */
  filled(source: string, events: readonly HeldLine[], placed: readonly { view: LogView; rows: readonly (HeldLine | Marker)[]; marker: Marker }[]): void {
    this.flush();
    const evictions = this.store.evictions;
    this.store.insert(events);
    const done = new Set<LogView>();
    for (const { view, marker, rows } of placed) if (this.has(view) && view.replaceMarker(marker, rows)) done.add(view);
    for (const view of this.views.values()) if (!done.has(view) && view.shows(source)) view.rebuild(this.storedFor(view));
    this.releaseGone(evictions);
  }

  /** The view `id` with its pending lines placed, or undefined. */
  view(id: string): LogView | undefined {
    this.flush();
    return this.views.get(id);
  }

  /** Is `view` still one of the page's views (not replaced, and no new connection emptied it)? */
  has(view: LogView): boolean {
    return this.views.get(view.id) === view;
  }

  /** The server restarted: every view is cleared and says so, once. */
  reset(text: string, now: number): void {
    this.dropPending();
    this.store.clear();
    for (const view of this.views.values()) {
      view.clear();
      view.appendMarker('reset', text, now);
    }
  }

  /** False when there is no such view. */
  clear(id: string): boolean {
    this.flush();
    const view = this.views.get(id);
    if (view === undefined) return false;
    // The lines are forgotten, not hidden: other views showing its sources let them go too.
    this.store.forget((source) => view.shows(source));
    view.clear();
    for (const other of this.views.values()) {
      if (other !== view && (other.sources === null || view.sources === null || [...other.sources].some((source) => view.shows(source)))) other.rebuild(this.storedFor(other));
    }
    return true;
  }

  /** Does the store hold a line of `source`? Pending lines are placed first. */
  holds(source: string): boolean {
    this.flush();
    return this.store.holds(source);
  }

  /** False when there is no such view. */
  setWindow(id: string, follow: boolean, first: number, count: number): boolean {
    const view = this.views.get(id);
    view?.setWindow(follow, first, count);
    return view !== undefined;
  }

  /** The absolute index of the row holding line `seq` of `source`; null when none is shown, undefined without such a view. */
  find(id: string, source: string, seq: number): number | null | undefined {
    this.flush();
    return this.views.get(id)?.find(source, seq);
  }

  /** The absolute index of the first row at or after `ts`; null when there is none, undefined without such a view. */
  seek(id: string, ts: number): number | null | undefined {
    this.flush();
    return this.views.get(id)?.seek(ts);
  }

  /** Undefined when there is no such view. `nameOf` names the sources in the text, `hostOf` their hosts. */
  exportText(id: string, first?: number, last?: number, nameOf?: (source: string) => string, hostOf?: (source: string) => string | undefined): ExportedText | undefined {
    this.flush();
    return this.views.get(id)?.exportText(first, last, nameOf, hostOf);
  }

  /** Folds or unfolds an entry of a view (see LogView.fold); false when there is no such view. */
  fold(id: string, generation: number, index: number, open: boolean): boolean {
    this.flush();
    const view = this.views.get(id);
    view?.fold(generation, index, open);
    return view !== undefined;
  }

  /** The update of every view that changed and is not waiting for a rescan. */
  takeUpdates(): ViewUpdate[] {
    this.flush();
    const updates: ViewUpdate[] = [];
    for (const view of this.views.values()) if (view.changed && !view.judging) updates.push(view.update());
    return updates;
  }

  /** The store let go of lines since `evictions`: every view drops those at its top (a quiet source's pane too). */
  private releaseGone(evictions: number): void {
    if (this.store.evictions === evictions) return;
    for (const view of this.views.values()) view.releaseGone();
  }

  private get viewBound(): number {
    return this.bufferLines * VIEW_LIMITS.viewBoundFactor;
  }

  private newView(spec: ViewSpec): LogView {
    const shows = (source: string): boolean => spec.sources === null || spec.sources.includes(source);
    return new LogView(spec.id, spec.sources, this.viewBound, this.filter, () => this.store.dropped(shows));
  }

  /** The store's events of `view`'s sources, in its order. */
  private storedFor(view: LogView): HeldLine[] {
    return this.store.eventsFor((source) => view.shows(source), view.only === null);
  }

  /**
   * `first` (the store's oldest event of a source, before an older page came) continues an event (`cont`: its
   * start was not held) that `older` (new to the store, the newest event of that page) begins: its lines join `older`.
   */
  private joinStart(older: HeldLine, first: HeldLine): boolean {
    if (first === older || !first.cont || first.source !== older.source) return false;
    if (older.lineAt(older.lineCount - 1).seq !== first.seq - 1 || older.lineCount + first.lineCount > EVENT_LIMITS.maxEventLines) return false;
    const from = older.lineCount;
    for (let at = 0; at < first.lineCount; at++) older.addLine(first.lineAt(at));
    this.filter.extend(older, from);
    this.store.absorbed(first);
    return true;
  }

  private dropPending(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending.length = 0;
    this.pendingLines = 0;
    this.grouping.clear();
  }

  /** Lines joined an event placed before: each view holding it takes them in, with the event's new verdict. */
  private grow({ event, lines }: Growth): void {
    const from = event.lineCount;
    const before = this.filter.judged(event);
    for (const line of lines) event.addLine(line);
    this.store.grew(event, lines.length);
    this.filter.extend(event, from);
    const after = this.filter.judged(event);
    for (const view of this.singleSource.get(event.source) ?? []) view.grew(event, lines.length, before, after);
    for (const view of this.merging) if (view.shows(event.source)) view.grew(event, lines.length, before, after);
  }

  private scheduleRescan(): void {
    if (this.rescanTimer !== undefined) return;
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      let budget: number = INGEST_LIMITS.rescanSliceRows;
      let unfinished = false;
      for (const view of this.views.values()) {
        if (budget > 0) budget -= view.scan(budget);
        unfinished ||= view.judging;
      }
      if (unfinished) this.scheduleRescan();
      this.rescanned();
    }, 0);
  }
}
