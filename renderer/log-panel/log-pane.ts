// One pane of the log view: the rows of one worker view, drawn from the worker's window of rows, only those
// in sight. Its place is an anchor row index (see ScrollModel), so the reader's line stays put while lines
// stream in; it has its own scrollbar, a "new lines" button, a header in per-source layout, and empty states.
// Which rows it asks for and draws is window-policy.ts's, what the user does is read by pane-input.ts, and
// finding the reader's moment again after the filter changed is re-anchor.ts's.
import type { LogWorkerClient } from '../worker-channel/log-worker-client';
import { el, setText } from '../services/dom-builder';
import { icon } from '../services/icons';
import type { SourceDirectory } from '../services/source-directory';
import type { Notify } from '../services/toast';
import type { MarkRange, ViewSpec, ViewUpdate } from '../worker-channel/worker-protocol';
import { toolButton } from './controls';
import { ExpandedRows } from './expanded-rows';
import { countOf } from './log-format';
import { PaneEmptyState } from './pane-empty-state';
import { PaneHeader } from './pane-header';
import { listenToPane } from './pane-input';
import { LOG_PANEL_LIMITS } from './panel-limits';
import { Reanchor } from './re-anchor';
import { RowList, type RowItem } from './row-list';
import { RowSelection } from './row-selection';
import { buildDroppedMarker, buildHistoryMarker, buildLineRow, buildMarkerRow } from './row-view';
import { ScrollModel, type FollowState } from './scroll-model';
import { Scrollbar } from './scrollbar';
import { copyExported } from './text-export';
import { canLoadOlder, isTopSlot, rowAt, slotRange } from './view-update';
import { nextWindow, slotsToDraw, type PanePlace, type WindowRequest } from './window-policy';

/** What the panel needs of the worker client (a test harness can stand in for it). */
export type PanelWorker = Pick<LogWorkerClient, 'post' | 'seek' | 'find' | 'exportText'>;

interface PaneDeps {
  worker: PanelWorker;
  sources: SourceDirectory;
  spec: ViewSpec;
  /** Lines the page keeps, all sources together (the bufferLines setting): the "older lines dropped" marker says it. */
  bufferLines(): number;
  /** JSON keys shown as columns (the jsonKeys setting). */
  jsonKeys(): readonly string[];
  requestRender(): void;
  clearFilter(): void;
  notify: Notify;
  /** The pane was used (clicked, scrolled, focused): toolbar actions then apply to it. */
  activate(pane: LogPane): void;
  /** The user picked source `to` for this per-source pane (its header's picker). */
  pickSource(pane: LogPane, to: string): void;
}

/** One line of one source, as a desktop notification names it. */
export interface LineRef {
  source: string;
  seq: number;
}

export class LogPane {
  readonly element: HTMLElement;
  /** The list's viewport: role="log", focusable for keyboard scrolling. */
  readonly viewport: HTMLElement;
  readonly view: string;
  private readonly header: PaneHeader | null;
  private readonly body = el('div', 'lp-pane-body');
  private readonly rows = new RowList();
  private readonly scrollbar: Scrollbar;
  private readonly jumpButton: HTMLButtonElement;
  private readonly jumpLabel = el('span', 'label');
  private readonly rowCopyButton: HTMLButtonElement;
  private readonly empty: PaneEmptyState;
  private readonly model = new ScrollModel(LOG_PANEL_LIMITS.defaultRowHeightPx);
  private readonly selection = new RowSelection();
  private readonly expanded = new ExpandedRows(LOG_PANEL_LIMITS.maxExpandedRows);
  private readonly resizeObserver: ResizeObserver;
  private latest: ViewUpdate | null = null;
  /** Drawn elements by slot, from the last frame. */
  private drawn = new Map<number, HTMLElement>();
  private dirty = true;
  private viewportHeight = 0;
  private viewportWidth = 0;
  private sent: WindowRequest | null = null;
  private readonly reanchor: Reanchor;
  private flashSlot: number | null = null;
  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  /** A line to mark wherever it is drawn (a notification led here), until markTimer ends it. */
  private markedLine: LineRef | null = null;
  private markTimer: ReturnType<typeof setTimeout> | undefined;
  private hoveredSlot: number | null = null;
  /** A row whose JSON was just opened, or an entry just unfolded: the next layout that draws it open scrolls it into sight. */
  private revealSlot: number | null = null;
  /** The oldest row (firstIndex) when older lines were last asked for: asked again once they came. */
  private olderAskedAt: number | null = null;
  /** Bumped when something a row is drawn from changes outside its data (source names and colours). */
  private lookEpoch = 0;

  constructor(private readonly deps: PaneDeps) {
    this.view = deps.spec.id;
    this.element = el('section', 'lp-pane');
    this.element.dataset.view = this.view;
    const only = deps.spec.sources?.length === 1 ? deps.spec.sources[0]! : null;
    this.header = only === null ? null : new PaneHeader(only, deps.sources, (to) => deps.pickSource(this, to));
    if (this.header !== null) this.element.append(this.header.element);

    this.viewport = el('div', 'lp-viewport');
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'log');
    // A screen reader cannot follow thousands of lines a second: the log is read on demand, not announced.
    this.viewport.setAttribute('aria-live', 'off');
    this.viewport.setAttribute('aria-label', only === null ? 'Log lines' : `Log lines of ${deps.sources.nameOf(only)}`);
    this.viewport.append(this.rows.element);

    this.scrollbar = new Scrollbar({ drag: (fraction) => this.dragTo(fraction), page: (direction) => this.scrollBy(direction * this.pageHeight()) });
    this.jumpButton = el('button', 'lp-jump');
    this.jumpButton.type = 'button';
    this.jumpButton.hidden = true;
    this.jumpButton.title = 'Go to the newest line and follow (G)';
    this.jumpButton.append(this.jumpLabel, icon('down'));
    this.jumpButton.addEventListener('click', () => this.follow());
    this.rowCopyButton = toolButton({ icon: 'copy', title: 'Copy this line', className: 'lp-row-copy' });
    this.rowCopyButton.hidden = true;
    this.rowCopyButton.addEventListener('click', () => this.copyHovered());
    this.empty = new PaneEmptyState(deps.spec, deps.sources, deps.clearFilter);

    this.body.append(this.viewport, this.scrollbar.element, this.rowCopyButton, this.jumpButton, this.empty.element);
    this.element.append(this.body);
    this.reanchor = new Reanchor(this.model, {
      seek: (ts) => deps.worker.seek(this.view, ts),
      latest: () => this.latest,
      changed: () => this.changed(),
    });
    this.listen();
    this.resizeObserver = new ResizeObserver((entries) => this.resized(entries));
    this.resizeObserver.observe(this.viewport);
  }

  get state(): FollowState {
    return this.model.state;
  }

  get update(): ViewUpdate | null {
    return this.latest;
  }

  /** Asks the worker for this pane's rows; call whenever the worker was sent the views (it may be new to them). */
  start(): void {
    if (this.viewportHeight === 0) this.viewportHeight = this.viewport.clientHeight || window.innerHeight;
    this.sent = null;
    this.requestWindow(this.latest);
  }

  receive(update: ViewUpdate): void {
    const previous = this.latest;
    this.latest = update;
    this.dirty = true;
    if (previous !== null && previous.generation !== update.generation) {
      this.olderAskedAt = null;
      this.generationChanged(previous);
    }
  }

  follow(): void {
    this.model.follow();
    this.changed();
  }

  pause(): void {
    this.model.hold('paused');
    this.changed();
  }

  /** Goes to the oldest row held; at it already (g pressed again), asks for older lines from disk. */
  scrollToTop(): void {
    const latest = this.latest;
    const atTop = latest !== null && this.model.state !== 'follow' && this.model.anchor <= latest.firstIndex;
    if (this.model.state === 'follow') this.model.hold('scrolled');
    this.model.jumpTo(latest === null ? 0 : slotRange(latest).lo);
    if (atTop && latest.history?.loading !== true && latest.history?.start !== true) this.askOlder(latest);
    this.changed();
  }

  /** Shows the first row at or after `ts`, a little below the top, highlighted for a moment. */
  async seek(ts: number): Promise<void> {
    const index = await this.deps.worker.seek(this.view, ts);
    if (index === null) return;
    this.model.hold('paused');
    this.model.jumpTo(index - Math.floor(this.screenRows() / 3));
    clearTimeout(this.flashTimer);
    this.flashSlot = index;
    this.flashTimer = setTimeout(() => {
      this.flashSlot = null;
      this.changed();
    }, LOG_PANEL_LIMITS.seekFlashMs);
    this.changed();
  }

  /** Marks `line` while it is drawn, for a while (null: no line). */
  /** When this pane shows line (source, seq), scrolls to it and marks it for a while; false when it does not show it. */
  async showHeld(line: LineRef, ts: number): Promise<boolean> {
    const index = await this.deps.worker.find(this.view, line.source, line.seq, ts);
    if (index === null) return false;
    this.model.hold('paused');
    this.model.jumpTo(index - Math.floor(this.screenRows() / 3));
    this.markLine(line);
    return true;
  }

  markLine(line: LineRef | null): void {
    clearTimeout(this.markTimer);
    this.markedLine = line;
    if (line !== null) {
      this.markTimer = setTimeout(() => {
        this.markedLine = null;
        this.changed();
      }, LOG_PANEL_LIMITS.markedLineMs);
    }
    this.changed();
  }

  /** Row heights changed (wrap, columns): measure again. */
  relayout(): void {
    this.model.forgetHeights();
    this.changed();
  }

  /** Draws again: what the header or empty state shows (a source's state) may have changed. */
  refresh(): void {
    this.changed();
  }

  /** Source names changed: rebuild the rows. */
  restyle(): void {
    this.lookEpoch++;
    this.changed();
  }

  /** Drops the view's lines; the worker answers with a new generation, which clears selection and expansions. */
  clear(): void {
    this.deps.worker.post({ type: 'clear', view: this.view });
  }

  /** Copies the selected rows (through the worker: the range may reach far beyond the rows on screen). */
  async copySelection(): Promise<boolean> {
    const range = this.selection.range;
    if (range === null || this.latest === null) return false;
    const first = Math.max(range.first, this.latest.firstIndex);
    const last = Math.min(range.last, this.latest.firstIndex + this.latest.total - 1);
    if (last < first) return false;
    await this.copyRows(first, last);
    return true;
  }

  get hasSelection(): boolean {
    return this.selection.range !== null;
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    clearTimeout(this.flashTimer);
    clearTimeout(this.markTimer);
    this.reanchor.cancel();
  }

  /** Draws the pane if anything changed since the last frame. */
  render(): void {
    if (!this.dirty || this.reanchor.seeking) return;
    this.dirty = false;
    const update = this.latest;
    this.header?.render(update?.buffered ?? null);
    this.empty.render(update);
    if (update === null) return;
    const { lo, hi } = slotRange(update);
    this.model.setRange(lo, hi);
    if (hi <= lo) {
      this.rows.clear();
      this.drawn.clear();
    } else {
      const range = slotsToDraw(this.place(), this.model, update, lo, hi);
      // Rows not received yet (a jump far away): the last frame stays until the worker sends them.
      if (range !== null) this.draw(update, range.first, range.last);
    }
    // The reader scrolled to the oldest row: older lines are asked for, once for each oldest row.
    if (this.model.state !== 'follow' && this.model.anchor <= update.firstIndex && update.total > 0 && canLoadOlder(update) && this.olderAskedAt !== update.firstIndex) this.askOlder(update);
    this.scrollbar.show(hi > lo ? this.model.thumb() : null);
    this.renderJumpButton();
    this.placeRowCopy();
    this.requestWindow(update);
  }

  private draw(update: ViewUpdate, first: number, last: number): void {
    const items: RowItem[] = [];
    for (let slot = first; slot <= last; slot++) items.push(this.item(update, slot));
    const focused = this.focusedToggle();
    const elements = this.rows.sync(items);
    this.drawn.clear();
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i]!;
      const slot = first + i;
      this.drawn.set(slot, element);
      element.classList.toggle('selected', this.selection.has(slot));
      element.classList.toggle('flash', slot === this.flashSlot);
      element.classList.toggle('marked', this.isMarked(update, slot));
    }
    // A toggle pressed from the keyboard rebuilt its row: the focus goes on to the new row's toggle.
    if (focused !== null && !focused.element.isConnected) this.drawn.get(focused.slot)?.querySelector<HTMLElement>(focused.selector)?.focus({ preventScroll: true });
    // Every write of the frame is done: one layout for all the heights, then only a transform.
    const heights = this.rows.measure(elements);
    let top = this.model.place(first, heights, this.viewportHeight);
    const reveal = this.revealSlot;
    if (reveal !== null && reveal >= first && reveal <= last && this.drawnOpen(update, reveal)) {
      this.revealSlot = null;
      const dy = this.overflowBelow(top, heights, reveal - first);
      if (dy > 0) {
        this.model.reveal(dy);
        top = this.model.place(first, heights, this.viewportHeight);
      }
    }
    this.rows.moveTo(top);
  }

  /** An entry's lines are seq … seq + lines − 1: the marked line may be any of them. */
  private isMarked(update: ViewUpdate, slot: number): boolean {
    const marked = this.markedLine;
    if (marked === null) return false;
    const row = rowAt(update, slot);
    return row?.kind === 'line' && row.source === marked.source && marked.seq >= row.seq && marked.seq < row.seq + (row.lines ?? 1);
  }

  /** The row at `slot` is drawn as it will stay once opened: an entry unfolded, the worker's update having come. */
  private drawnOpen(update: ViewUpdate, slot: number): boolean {
    const row = rowAt(update, slot);
    return row?.kind !== 'line' || row.lines === undefined || row.unfolded === true || this.expanded.has(slot);
  }

  /** The fold or JSON toggle that has the focus, by its row's slot. */
  private focusedToggle(): { element: Element; slot: number; selector: string } | null {
    const focused = document.activeElement;
    if (focused === null || !this.rows.element.contains(focused)) return null;
    const selector = focused.classList.contains('fold-toggle') ? '.fold-toggle' : focused.classList.contains('json-toggle') ? '.json-toggle' : null;
    const row = focused.closest<HTMLElement>('[data-index]');
    return selector === null || row === null ? null : { element: focused, slot: Number(row.dataset.index), selector };
  }

  /** How far the drawn row `i` reaches below the viewport, as far as it can be scrolled up without its top going out of sight. */
  private overflowBelow(top: number, heights: readonly number[], i: number): number {
    let rowTop = top;
    for (let k = 0; k < i; k++) rowTop += heights[k]!;
    return Math.min(rowTop + heights[i]! - this.viewportHeight, rowTop);
  }

  private item(update: ViewUpdate, slot: number): RowItem {
    if (isTopSlot(update, slot)) {
      const history = update.history;
      if (history?.loading) return { key: 'history:loading', build: () => buildHistoryMarker('loading', 'Loading older lines…') };
      if (history?.note !== undefined) {
        const note = history.note;
        return { key: `history:note:${note}`, build: () => buildHistoryMarker('note', note) };
      }
      if (history?.start) return { key: 'history:start', build: () => buildHistoryMarker('start', 'Start of file: no older lines on disk') };
      const kept = this.deps.bufferLines();
      return { key: `dropped:${update.dropped}:${kept}`, build: () => buildDroppedMarker(update.dropped, kept) };
    }
    const row = rowAt(update, slot)!;
    if (row.kind === 'marker') return { key: `${update.generation}:${slot}:marker`, build: () => buildMarkerRow(row) };
    const expanded = this.expanded.has(slot);
    const { sources } = this.deps;
    const entry = row.lines === undefined ? '' : `${row.lines}:${row.unfolded ? 'u' : ''}:${row.more?.length ?? 0}`;
    return {
      key: `${update.generation}:${slot}:${row.source}:${row.seq}:${this.lookEpoch}:${expanded ? 'x' : ''}:${marksKey(row.marks)}:${entry}`,
      build: () =>
        buildLineRow(row, {
          // `host: name` while sources of more than one host are listed (serve --redis).
          sourceName: sources.labelOf(row.source),
          sourcePath: sources.get(row.source)?.path,
          sourceColour: sources.colour(row.source),
          jsonExpanded: expanded,
          jsonKeys: this.deps.jsonKeys(),
        }),
    };
  }

  private askOlder(update: ViewUpdate): void {
    this.olderAskedAt = update.firstIndex;
    this.deps.worker.post({ type: 'older', view: this.view });
  }

  private requestWindow(update: ViewUpdate | null): void {
    const request = nextWindow(this.place(), update, this.sent);
    if (request !== null) this.post(request);
  }

  private place(): PanePlace {
    return { following: this.model.state === 'follow', anchor: this.model.anchor, screenRows: this.screenRows() };
  }

  private post(request: WindowRequest): void {
    this.sent = request;
    this.deps.worker.post({ type: 'window', view: this.view, ...request });
  }

  /** Rows that fill the viewport for sure: no row is shorter than the shortest one measured. */
  private screenRows(): number {
    return Math.max(1, Math.ceil(this.viewportHeight / this.model.minHeight));
  }

  private pageHeight(): number {
    return Math.max(this.model.minHeight, this.viewportHeight - this.model.minHeight);
  }

  private generationChanged(previous: ViewUpdate): void {
    this.selection.clear();
    this.expanded.clear();
    this.revealSlot = null;
    this.model.forgetHeights();
    this.flashSlot = null;
    this.sent = null;
    this.reanchor.renumbered(previous);
  }

  private dragTo(fraction: number): void {
    if (this.model.state === 'follow') this.model.hold('scrolled');
    if (fraction >= 1 && this.model.state === 'scrolled') this.model.follow();
    else this.model.jumpTo(this.model.slotAt(fraction));
    this.deps.activate(this);
    this.changed();
  }

  private scrollBy(dy: number): void {
    if (this.reanchor.seeking || !this.model.scrollBy(dy)) return;
    this.deps.activate(this);
    this.changed();
  }

  private changed(): void {
    this.dirty = true;
    this.deps.requestRender();
  }

  private listen(): void {
    listenToPane(this.viewport, this.rows.element, this.body, {
      scrollBy: (dy) => this.scrollBy(dy),
      lineHeight: () => this.model.minHeight,
      pageHeight: () => this.pageHeight(),
      scrollToTop: () => this.scrollToTop(),
      follow: () => this.follow(),
      activate: () => this.deps.activate(this),
      pressed: () => {
        if (this.model.state === 'follow' && this.model.canScroll) {
          this.model.hold('scrolled');
          this.changed();
        }
      },
      clickRow: (slot, extend) => {
        this.selection.click(slot, extend);
        this.changed();
      },
      toggleJson: (slot) => this.toggleJson(slot),
      toggleFold: (slot) => this.toggleFold(slot),
      hover: (slot) => {
        this.hoveredSlot = slot;
        this.placeRowCopy();
      },
    });
  }

  /**
   * An opened block is read where it opened: a following view would push it up by its own height, out of
   * sight with its toggle, so the view holds; and the block is scrolled into sight (its row stays on screen).
   */
  private toggleJson(slot: number): void {
    this.expanded.toggle(slot);
    if (this.expanded.has(slot)) {
      if (this.model.state === 'follow') this.model.hold('scrolled');
      this.revealSlot = slot;
    }
    this.changed();
  }

  /**
   * The worker keeps which entries are unfolded and sends their lines. Unfolding holds the view and brings the
   * entry into sight once it comes back open, as for JSON.
   */
  private toggleFold(slot: number): void {
    const update = this.latest;
    const row = update === null ? undefined : rowAt(update, slot);
    if (update === null || row?.kind !== 'line' || row.lines === undefined) return;
    const open = row.unfolded !== true;
    this.deps.worker.post({ type: 'fold', view: this.view, generation: update.generation, index: slot, open });
    if (open) {
      if (this.model.state === 'follow') this.model.hold('scrolled');
      this.revealSlot = slot;
    } else if (this.revealSlot === slot) {
      this.revealSlot = null;
    }
    this.changed();
  }

  private resized(entries: readonly ResizeObserverEntry[]): void {
    const box = entries[entries.length - 1]?.contentRect;
    if (box === undefined) return;
    // A new width re-wraps lines: the heights measured before no longer hold.
    if (box.width !== this.viewportWidth) this.model.forgetHeights();
    this.viewportWidth = box.width;
    this.viewportHeight = box.height;
    this.changed();
  }

  private renderJumpButton(): void {
    const state = this.model.state;
    this.jumpButton.hidden = state === 'follow';
    if (state === 'follow') return;
    const fresh = this.model.newLines;
    const label =
      state === 'paused'
        ? fresh > 0
          ? `Paused — ${countOf(fresh, 'new line')} · Resume`
          : 'Paused · Resume'
        : fresh > 0
          ? countOf(fresh, 'new line')
          : 'Back to the newest';
    setText(this.jumpLabel, label);
    this.jumpButton.classList.toggle('paused', state === 'paused');
  }

  /** The per-row copy button floats over the hovered row, at the viewport's right edge. */
  private placeRowCopy(): void {
    const row = this.hoveredSlot === null ? undefined : this.drawn.get(this.hoveredSlot);
    if (row === undefined || !row.isConnected) {
      this.rowCopyButton.hidden = true;
      return;
    }
    const top = Math.max(0, row.offsetTop + this.rows.offset);
    this.rowCopyButton.hidden = top >= this.viewportHeight;
    this.rowCopyButton.style.top = `${top}px`;
  }

  private copyHovered(): void {
    if (this.hoveredSlot === null) return;
    void this.copyRows(this.hoveredSlot, this.hoveredSlot);
  }

  private async copyRows(first: number, last: number): Promise<void> {
    await copyExported(await this.deps.worker.exportText(this.view, { first, last }), this.deps.notify);
  }
}

/** Marks are the one thing about a row that changes without its index changing (new highlight rules). */
function marksKey(marks: readonly MarkRange[] | undefined): string {
  if (marks === undefined) return '';
  let key = '';
  for (const mark of marks) key += `${mark.start}.${mark.end}.${mark.rule},`;
  return key;
}
