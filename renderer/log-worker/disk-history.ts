// Lines read again from disk for the views (GET /api/lines): older pages when the reader reaches a view's top,
// and the lines of a `gap` the stream could not deliver, put in the marker's place. Never two requests at
// once for one source; answers that come after a new connection, or for a view replaced since, are dropped.
import type { LogLine } from '../../protocol/events';
import { MAX_LINES_PER_ANSWER } from '../../protocol/lines';
import { groupPage } from './event-grouping';
import type { FetchLines, LinesResult } from './disk-lines';
import { HeldLine, Marker } from './held-rows';
import type { LogView } from './log-view';
import type { LogViews } from './log-views';
import { goneMarkerText } from './markers';

export const HISTORY_LIMITS = {
  /** Lines asked for per source each time the reader reaches a view's top. */
  olderPageLines: 1_000,
  /** How long a view says why older lines did not come. */
  noteMs: 6_000,
  /** Sources whose last seq received is remembered (to know where a gap begins). */
  maxSources: 10_000,
} as const;

/** Where a gap of `source`'s lines was marked, and which lines it stands for. */
interface MarkedGap {
  source: string;
  from: number;
  to: number;
  placed: { view: LogView; marker: Marker }[];
}

export class DiskHistory {
  private fetchLines: FetchLines | null = null;
  /** Bumped by a new connection or a server restart: answers asked for before it are dropped. */
  private epoch = 0;
  /** The request of each source on its way (fills of one source wait for each other). */
  private readonly busy = new Map<string, Promise<void>>();
  /** The seq after the last line received of each source: where the next gap begins. */
  private readonly nextSeq = new Map<string, number>();
  /** Gaps of a source marked before any line of it came: they end where its next line begins. */
  private readonly waiting = new Map<string, { missed: number; placed: MarkedGap['placed'] }>();
  /** Sources whose oldest line on disk each view holds. */
  private started = new WeakMap<LogView, Set<string>>();

  constructor(
    private readonly views: LogViews,
    /** Something a view shows changed (lines came, a note, the loading mark). */
    private readonly changed: () => void,
    private readonly nameOf: (source: string) => string,
  ) {}

  /** A new connection (or the server restarted): what was asked before is dropped. */
  restart(fetchLines: FetchLines | null = this.fetchLines): void {
    this.fetchLines = fetchLines;
    this.epoch++;
    this.busy.clear();
    this.nextSeq.clear();
    this.waiting.clear();
    this.started = new WeakMap();
  }

  /** Lines of `source` arrived, in seq order. */
  received(source: string, lines: readonly LogLine[]): void {
    if (lines.length === 0) return;
    const waiting = this.waiting.get(source);
    if (waiting !== undefined) {
      this.waiting.delete(source);
      const to = lines[0]!.seq - 1;
      this.fill({ source, from: to - waiting.missed + 1, to, placed: waiting.placed });
    }
    this.nextSeq.delete(source);
    this.nextSeq.set(source, lines[lines.length - 1]!.seq + 1);
    if (this.nextSeq.size > HISTORY_LIMITS.maxSources) this.nextSeq.delete(this.nextSeq.keys().next().value!);
  }

  /** The stream missed `missed` lines of `source`, marked at `placed`: they are read from disk into the marks' place. */
  gapped(source: string, missed: number, placed: MarkedGap['placed']): void {
    if (missed <= 0 || placed.length === 0) return;
    const from = this.nextSeq.get(source);
    if (from === undefined) {
      this.waiting.set(source, { missed: missed + (this.waiting.get(source)?.missed ?? 0), placed: [...(this.waiting.get(source)?.placed ?? []), ...placed] });
      return;
    }
    this.nextSeq.set(source, from + missed);
    this.fill({ source, from, to: from + missed - 1, placed });
  }

  /** The reader reached the top of view `id`: a page of older lines for each source it holds. */
  older(id: string): void {
    const view = this.views.view(id);
    const fetchLines = this.fetchLines;
    if (view === undefined || fetchLines === null || view.history.loading) return;
    const started = this.startedOf(view);
    const room = this.views.roomFor(view);
    const wanted = [...view.oldestSeqs()].filter(([source]) => !started.has(source) && !this.busy.has(source));
    if (wanted.length === 0) return;
    if (room === 0) {
      // A view that dropped lines says so above its oldest row already ("N older lines dropped").
      if (view.droppedLines === 0) this.note(view, `the log holds its ${this.views.bound.toLocaleString()} lines (all sources): a larger buffer (Settings) holds older ones`);
      return;
    }
    const limit = Math.min(HISTORY_LIMITS.olderPageLines, room);
    const epoch = this.epoch;
    const results: { source: string; before: number; result: LinesResult }[] = [];
    view.history = { ...view.history, loading: true, note: null };
    view.changed = true;
    this.changed();
    const requests = wanted.map(([source, before]) =>
      this.exclusive(source, async () => {
        results.push({ source, before, result: await fetchLines({ source, before, limit }) });
      }),
    );
    void Promise.all(requests)
      .then(() => {
        if (epoch === this.epoch && this.views.has(view)) this.takeOlder(view, results);
      })
      .catch((error: unknown) => {
        console.warn('tailwatch log worker: putting older lines in place failed:', error);
        this.note(view, 'older lines could not be shown');
      });
  }

  private takeOlder(view: LogView, results: readonly { source: string; before: number; result: LinesResult }[]): void {
    const started = this.startedOf(view);
    const oldest = view.oldestSeqs();
    const pages: { source: string; events: HeldLine[]; start: boolean }[] = [];
    let note: string | null = null;
    for (const { source, before, result } of results) {
      if (!result.ok) {
        note = result.gone ? 'older lines are no longer on disk' : `older lines could not be read: ${result.reason}`;
        continue;
      }
      // The view let go of lines meanwhile (new ones pushed them out): this page no longer joins what it holds.
      if (oldest.get(source) !== before) continue;
      const lines = result.answer.lines.filter((line) => line.seq < before);
      pages.push({ source, events: groupPage(source, lines), start: result.answer.start });
    }
    // Into the store, and so into every pane showing these sources, not only this one.
    const taken = this.views.older(pages);
    for (const page of pages) if (page.start && (taken.get(page.source) ?? 0) === page.events.length) started.add(page.source);
    const held = [...view.oldestSeqs().keys()];
    view.history = { loading: false, start: held.length > 0 && held.every((source) => started.has(source)), note: null };
    view.changed = true;
    if (note !== null) this.note(view, note);
    this.changed();
  }

  /** A gap's lines, a page at a time, then in place of its marks; what could not be read stays marked, saying why. */
  private fill(gap: MarkedGap): void {
    const fetchLines = this.fetchLines;
    if (fetchLines === null || gap.to < gap.from) return;
    const epoch = this.epoch;
    void this.exclusive(gap.source, async () => {
      // Never more than a view holds: the newest of the gap's lines.
      const from = Math.max(gap.from, gap.to - this.views.bound + 1);
      let missing = from - gap.from;
      let why = missing > 0 ? 'more than this view holds' : '';
      const lines: LogLine[] = [];
      for (let first = from; first <= gap.to; first += MAX_LINES_PER_ANSWER) {
        const last = Math.min(gap.to, first + MAX_LINES_PER_ANSWER - 1);
        const result = await fetchLines({ source: gap.source, from: first, to: last });
        if (epoch !== this.epoch) return;
        // Not asked (the source is not followed now, the server did not answer): the marker stays as it was.
        if (!result.ok && !result.gone) {
          console.warn(`tailwatch log worker: the missed lines of ${this.nameOf(gap.source)} could not be read: ${result.reason}`);
          return;
        }
        const got = result.ok ? result.answer.lines.filter((line) => line.seq >= first && line.seq <= last) : [];
        missing += last - first + 1 - got.length;
        if (got.length < last - first + 1) why = 'no longer on disk';
        lines.push(...got);
      }
      const events = groupPage(gap.source, lines);
      const placed = gap.placed.map(({ view, marker }) => ({
        view,
        marker,
        rows: missing > 0 ? [new Marker('gap', marker.ts, goneMarkerText(missing, this.nameOf(gap.source), why)), ...events] : events,
      }));
      // Into the store, and so into every pane showing the source, not only those that had the gap's marker.
      this.views.filled(gap.source, events, placed);
      this.changed();
    });
  }

  private note(view: LogView, note: string): void {
    view.history = { ...view.history, loading: false, note };
    view.changed = true;
    this.changed();
    setTimeout(() => {
      if (view.history.note !== note) return;
      view.history = { ...view.history, note: null };
      view.changed = true;
      this.changed();
    }, HISTORY_LIMITS.noteMs);
  }

  private startedOf(view: LogView): Set<string> {
    let started = this.started.get(view);
    if (started === undefined) this.started.set(view, (started = new Set()));
    return started;
  }

  /** Runs `task` after the source's request on its way, if any. */
  private exclusive(source: string, task: () => Promise<void>): Promise<void> {
    const run = (this.busy.get(source) ?? Promise.resolve()).then(task, task).catch((error: unknown) => console.warn(`tailwatch log worker: reading lines of ${source} from disk failed:`, error));
    this.busy.set(source, run);
    void run.then(() => {
      if (this.busy.get(source) === run) this.busy.delete(source);
    });
    return run;
  }
}
