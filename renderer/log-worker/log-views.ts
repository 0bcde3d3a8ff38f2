// Every view the page has, fed from one ingest batch: the lines that arrive between two flushes are grouped
// into events and stored once, the events put in time order for the views that merge sources and appended
// to every view that shows them; lines continuing an event the views hold already join it there.
import type { LogLine } from '../../protocol/events';
import { EventGrouping, type Growth } from './event-grouping';
import type { HeldLine, Marker } from './held-rows';
import { LineFilter } from './line-filter';
import { LogView, type ExportedText } from './log-view';
import { ReceivedLines } from './received-lines';
import type { FilterSpec, HighlightRule, ViewSpec, ViewUpdate } from '../worker-channel/worker-protocol';

export const BUFFER_LIMITS = {
  /** Rows each view keeps unless the page says otherwise (ConnectMessage.bufferLines). */
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
  /** Views (panes) the page may have; more are ignored. Each costs up to 16 bytes per buffered row. */
  maxViews: 64,
} as const;

const bySourceThenSeq = (a: HeldLine, b: HeldLine): number => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.seq - b.seq);
const bySeq = (a: HeldLine, b: HeldLine): number => a.seq - b.seq;

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
  /** Lines of each source received: a view made later counts those it cannot hold as dropped. */
  private readonly received = new ReceivedLines();
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
    this.received.clear();
    for (const view of this.views.values()) view.clear(bounded);
  }

  /**
   * The page's views, in its order. A view whose id and sources are unchanged keeps its rows; a new one
   * starts with the lines the others hold for its sources, so a pane split off is not empty.
   */
  setViews(specs: readonly ViewSpec[]): void {
    this.flush();
    const donors = [...this.views.values()];
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
      const view = new LogView(spec.id, spec.sources, this.bufferLines, this.filter);
      view.fill(eventsHeldFor(view, donors), this.received.of((source) => view.shows(source)));
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
    this.received.add(source, lines.length);
    this.pendingLines += this.grouping.group(source, lines, this.pending);
    if (this.pendingLines >= INGEST_LIMITS.maxPendingLines) this.flush();
    else if (this.flushTimer === undefined) this.flushTimer = setTimeout(() => this.flush(), INGEST_LIMITS.maxPendingMs);
  }

  /**
   * Hands the pending lines to their views: lines continuing an event placed before join it, then the new
   * events are appended, in arrival order for one source, in time order (stable) when merged.
   */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingLines === 0) return;
    this.pendingLines = 0;
    for (const growth of this.grouping.flush()) this.grow(growth);
    const batch = this.pending;
    if (batch.length === 0) return;
    if (this.singleSource.size > 0) {
      for (const line of batch) {
        const views = this.singleSource.get(line.source);
        if (views !== undefined) for (const view of views) view.append(line);
      }
    }
    if (this.merging.length > 0) {
      const merged = mergeByTime(batch);
      for (const view of this.merging) for (const line of merged) if (view.shows(line.source)) view.append(line);
    }
    batch.length = 0;
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

  /** Lines each view keeps. */
  get bound(): number {
    return this.bufferLines;
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
    this.received.clear();
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
    view.clear();
    this.received.forget((source) => view.shows(source));
    return true;
  }

  /** Does any view hold a line of `source`? Pending lines are placed first. */
  holds(source: string): boolean {
    this.flush();
    for (const view of this.views.values()) if (view.holds(source)) return true;
    return false;
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

  /** Undefined when there is no such view. `nameOf` names the sources in the text. */
  exportText(id: string, first?: number, last?: number, nameOf?: (source: string) => string): ExportedText | undefined {
    this.flush();
    return this.views.get(id)?.exportText(first, last, nameOf);
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

function inTimeOrder(lines: readonly HeldLine[]): boolean {
  for (let i = 1; i < lines.length; i++) if (lines[i]!.ts < lines[i - 1]!.ts) return false;
  return true;
}

/**
 * Interleaves the sources by time while each keeps its own order (`sort -m`, not `sort`): a line's time
 * is what the log claims, and a file whose clock jumps back, or whose lines carry no time, must not have
 * its lines shuffled or its newest line buried above older ones. Ties go to the source seen first in the batch.
 */
export function mergeByTime(lines: readonly HeldLine[]): readonly HeldLine[] {
  if (inTimeOrder(lines)) return lines;
  const bySource = new Map<string, HeldLine[]>();
  for (const line of lines) {
    const own = bySource.get(line.source);
    if (own) own.push(line);
    else bySource.set(line.source, [line]);
  }
  if (bySource.size === 1) return lines;
  const queues = [...bySource.values()];
  const heads = new Array<number>(queues.length).fill(0);
  const merged: HeldLine[] = [];
  for (;;) {
    let pick = -1;
    for (let q = 0; q < queues.length; q++) {
      const head = queues[q]![heads[q]!];
      if (head !== undefined && (pick === -1 || head.ts < queues[pick]![heads[pick]!]!.ts)) pick = q;
    }
    if (pick === -1) return merged;
    merged.push(queues[pick]![heads[pick]!++]!);
  }
}

/**
 * The events other views hold for `view`'s sources, each once, in the order `view` keeps them: by seq for
 * one source, by time (stable) when merged. Markers stay with their views. Bounded by what the donors hold.
 */
function eventsHeldFor(view: LogView, donors: readonly LogView[]): HeldLine[] {
  const events: HeldLine[] = [];
  const givers = donors.filter((donor) => donor.sources === null || view.sources === null || [...donor.sources].some((source) => view.shows(source)));
  // An event shared by two donors must not be taken twice; one donor holds each event once.
  const seen = givers.length > 1 ? new Set<HeldLine>() : null;
  for (const donor of givers) {
    donor.forEachEvent((event) => {
      if (!view.shows(event.source) || seen?.has(event)) return;
      seen?.add(event);
      events.push(event);
    });
  }
  return view.only === null ? [...mergeByTime(events.sort(bySourceThenSeq))] : events.sort(bySeq);
}
