// The log panel: its toolbar and the panes of the live log. It tells the worker which views to keep and how
// to filter them, hands each update to its pane, draws once per animation frame, and only then tells the
// worker it may send the next update (a hidden tab draws nothing, so it is sent nothing).
import './log-panel.css';
import { el } from '../services/dom-builder';
import { FrameScheduler } from '../services/frame-scheduler';
import { SETTINGS_LIMITS, type Settings, type SettingsStore } from '../services/settings-store';
import { shortcutAction } from '../services/shortcuts';
import type { SourceDirectory } from '../services/source-directory';
import type { Notify } from '../services/toast';
import type { ViewSpec, ViewUpdate } from '../worker-channel/worker-protocol';
import { countOf, downloadName } from './log-format';
import { LogPane, type LineRef, type PanelWorker } from './log-pane';
import { buildNoSources } from './no-sources';
import { paneSourceOf, paneSpecs, panesThatFit, pickedPanes } from './pane-layout';
import { LOG_PANEL_LIMITS } from './panel-limits';
import { PanelToolbar, type ToolbarCounts } from './panel-toolbar';
import type { ServerRequest } from './disk-search';
import { SearchDrawer, type SearchScope } from './search-drawer';
import { copyExported, downloadText } from './text-export';
import { UpdateAsker, type UpdateAskerOptions } from './update-asker';

/** The id the e2e tests know the first pane's viewport by. */
const FIRST_VIEWPORT_ID = 'log-view';

interface LogPanelDeps {
  worker: PanelWorker;
  settings: SettingsStore;
  sources: SourceDirectory;
  /** In the desktop window: the user adds sources there, not on a command line. */
  desktop: boolean;
  /** Requests to the server (search on disk); null: the panel offers no search on disk. */
  request: ServerRequest | null;
}

export class LogPanel {
  private readonly toolbar: PanelToolbar;
  private readonly search: SearchDrawer | null;
  private readonly panesElement = el('div', 'lp-panes');
  private readonly noSources: HTMLElement;
  private readonly frame = new FrameScheduler(() => this.render());
  private panes: LogPane[] = [];
  private active: LogPane | null = null;
  /** An update arrived since the last `frame` message: the next drawn frame sends one. */
  private updated = false;
  private readonly asker: UpdateAsker;
  /** Every source's id and name, to tell a rename (rows must be rebuilt) from a rate update. */
  private sourceNames = '';
  /** Short feedback under the toolbar, for the panel and for the page around it. */
  readonly notify: Notify = (message, tone) => this.toolbar.toast.show(message, tone);

  /** `options`: the update pacing (see UpdateAsker), checked here. */
  constructor(
    private readonly root: HTMLElement,
    private readonly deps: LogPanelDeps,
    options: UpdateAskerOptions = {},
  ) {
    const { settings, sources } = deps;
    this.asker = new UpdateAsker(() => deps.worker.post({ type: 'frame' }), options);
    this.noSources = buildNoSources(deps.desktop);
    this.toolbar = new PanelToolbar(settings, sources, {
      togglePause: () => this.togglePause(),
      copy: () => void this.copy(),
      download: () => void this.download(),
      clear: () => this.clear(),
      leaveFilter: () => this.currentPane()?.viewport.focus(),
      panedSources: () => this.panedSources(),
      paneLimit: () => panesThatFit(this.root.clientWidth),
    });
    this.search = deps.request === null ? null : new SearchDrawer({ request: deps.request, sources, showHeld: (match) => this.showHeld(match.source, match.seq, match.ts) });
    root.classList.add('log-panel');
    root.replaceChildren(this.toolbar.element, ...(this.search === null ? [] : [this.search.element]), this.noSources, this.panesElement);
    root.addEventListener('keydown', (event) => this.key(event));
    settings.onChange((value, changed) => this.settingsChanged(value, changed));
    sources.onChange(() => this.sourcesChanged());

    this.toolbar.sync(settings.value);
    this.applyLook(settings.value);
    this.applyHighlightColours(settings.value);
    this.applySourceWidth();
    this.syncPanes();
    this.postFilter();
    // The worker sends one update per `frame`: this first one lets the first update come.
    deps.worker.post({ type: 'frame' });
    this.frame.request();
  }

  /** True while any pane is held (paused, or scrolled away from the newest line). */
  get paused(): boolean {
    return this.panes.some((pane) => pane.state !== 'follow');
  }

  /** How the log is held, for the status: 'paused' when a pane is paused, else 'scrolled' when one is off its tail. */
  get hold(): 'follow' | 'paused' | 'scrolled' {
    if (this.panes.some((pane) => pane.state === 'paused')) return 'paused';
    return this.panes.some((pane) => pane.state === 'scrolled') ? 'scrolled' : 'follow';
  }

  applyUpdate(views: ViewUpdate[]): void {
    for (const update of views) this.panes.find((pane) => pane.view === update.view)?.receive(update);
    this.updated = true;
    this.frame.request();
  }

  focusFilter(): void {
    this.toolbar.filter.focus();
  }

  togglePause(): void {
    const resume = this.paused;
    for (const pane of this.panes) {
      if (resume) pane.follow();
      else pane.pause();
    }
  }

  scrollToTop(): void {
    for (const pane of this.panes) pane.scrollToTop();
  }

  scrollToBottom(): void {
    this.follow();
  }

  follow(): void {
    for (const pane of this.panes) pane.follow();
  }

  async seekTime(ts: number): Promise<void> {
    await Promise.all(this.panes.map((pane) => pane.seek(ts)));
  }

  /** Goes to the moment `ts` and, in the panes where the line (source, seq) is drawn, marks it for a while. */
  async showLine(ts: number, line: LineRef | null): Promise<void> {
    for (const pane of this.panes) pane.markLine(line);
    await this.seekTime(ts);
  }

  /** Scrolls each pane that shows line (source, seq) to it and marks it; true when one did. */
  private async showHeld(source: string, seq: number, ts: number): Promise<boolean> {
    const shown = await Promise.all(this.panes.map((pane) => pane.showHeld({ source, seq }, ts)));
    return shown.includes(true);
  }

  private render(): void {
    const noSources = this.deps.sources.known && this.deps.sources.list().length === 0;
    this.noSources.hidden = !noSources;
    this.panesElement.hidden = noSources;
    for (const pane of this.panes) pane.render();
    const counts = this.counts();
    this.toolbar.showCounts(counts);
    this.search?.update(this.searchScope(counts));
    this.toolbar.showPaused(this.paused);
    if (this.updated) {
      this.updated = false;
      this.asker.drew();
    }
  }

  /** The query's and the rules' counts over every pane (per-source panes hold disjoint lines). */
  private counts(): ToolbarCounts {
    const counts: ToolbarCounts = { matches: 0, highlightCounts: [], error: undefined };
    for (const pane of this.panes) {
      const update = pane.update;
      if (update === null) continue;
      counts.matches += update.matches;
      update.highlightCounts.forEach((count, k) => (counts.highlightCounts[k] = (counts.highlightCounts[k] ?? 0) + count));
      counts.error ??= update.filterError;
    }
    return counts;
  }

  /** What a search on disk would look for, and where: the filter's query over the sources shown. */
  private searchScope(counts: ToolbarCounts): SearchScope {
    const { filter } = this.deps.settings.value;
    const hidden = new Set(filter.hiddenSources);
    const sources = this.deps.sources
      .list()
      .filter((source) => !hidden.has(source.id) && source.state !== 'removed')
      .map((source) => ({ id: source.id, size: source.size }));
    const heldLines = this.panes.reduce((sum, pane) => sum + (pane.update?.buffered ?? 0), 0);
    return { query: filter.invert ? '' : filter.query, valid: counts.error === undefined, matches: counts.matches, heldLines, sources };
  }

  /** Makes the panes match the layout setting (panes that stay keep their place) and tells the worker. */
  private syncPanes(): void {
    const shown = this.panedSources();
    const specs = paneSpecs(this.deps.settings.value, this.deps.sources, shown, panesThatFit(this.root.clientWidth));
    // One source shown: its name on every row says nothing (log-panel.css hides the column).
    const hidden = this.deps.settings.value.filter.hiddenSources;
    this.root.classList.toggle('one-source', this.deps.sources.list().filter((s) => !hidden.includes(s.id)).length <= 1);
    if (specs.length === this.panes.length && specs.every((spec, i) => spec.id === this.panes[i]!.view)) return;
    const kept = new Map(this.panes.map((pane) => [pane.view, pane]));
    const next = specs.map((spec) => kept.get(spec.id) ?? this.createPane(spec));
    for (const pane of this.panes) if (!next.includes(pane)) pane.destroy();
    if (this.active !== null && !next.includes(this.active)) this.active = null;
    this.panes = next;
    this.panesElement.replaceChildren(...next.map((pane) => pane.element));
    next.forEach((pane, i) => {
      if (i === 0) pane.viewport.id = FIRST_VIEWPORT_ID;
      else pane.viewport.removeAttribute('id');
    });
    this.panesElement.style.setProperty('--panes', String(next.length));
    this.root.classList.toggle('split', specs[0]?.sources !== null);
    this.deps.worker.post({ type: 'views', views: specs });
    for (const pane of this.panes) pane.start();
  }

  private createPane(spec: ViewSpec): LogPane {
    return new LogPane({
      worker: this.deps.worker,
      sources: this.deps.sources,
      spec,
      bufferLines: () => this.deps.settings.value.bufferLines,
      jsonKeys: () => this.deps.settings.value.jsonKeys,
      requestRender: () => this.frame.request(),
      clearFilter: () => this.clearFilter(),
      notify: this.notify,
      activate: (pane) => (this.active = pane),
      pickSource: (pane, to) => this.pickSource(pane, to),
    });
  }

  /** A pane's picker: that pane shows `to` (swapping with a pane that showed it); the panes become the user's pick. */
  private pickSource(pane: LogPane, to: string): void {
    const from = paneSourceOf(pane.view);
    if (from === null) return;
    this.deps.settings.update({ paneSources: pickedPanes(this.panedSources(), from, to) });
  }

  /** The sources with a pane of their own now, in pane order (none in the merged layout). */
  private panedSources(): string[] {
    return this.panes.map((pane) => paneSourceOf(pane.view)).filter((id) => id !== null);
  }

  private currentPane(): LogPane | undefined {
    return this.active ?? this.panes[0];
  }

  private settingsChanged(value: Readonly<Settings>, changed: ReadonlySet<keyof Settings>): void {
    this.toolbar.sync(value);
    if (changed.has('filter') || changed.has('highlights')) this.postFilter();
    if (changed.has('highlights')) this.applyHighlightColours(value);
    if (changed.has('columns') || changed.has('wrap')) {
      this.applyLook(value);
      for (const pane of this.panes) pane.relayout();
    }
    // Hidden sources change which panes the per-source layout shows, when the user picked none.
    if (changed.has('logLayout') || changed.has('paneSources') || changed.has('filter')) this.syncPanes();
    if (changed.has('bufferLines')) for (const pane of this.panes) pane.refresh();
    // Rows are drawn in the zone shown (services/time-zone.ts, already switched) and with the JSON keys
    // chosen: draw them again when either changes.
    if (changed.has('timeZone') || changed.has('jsonKeys')) for (const pane of this.panes) pane.restyle();
    this.frame.request();
  }

  /** Sources change every second (their rates): rows are rebuilt only when a name (or its host label) changed. */
  private sourcesChanged(): void {
    const names = this.deps.sources
      .list()
      .map((source) => `${source.id}\t${this.deps.sources.labelOf(source.id)}`)
      .join('\n');
    const renamed = names !== this.sourceNames;
    this.sourceNames = names;
    if (renamed) this.applySourceWidth();
    for (const pane of this.panes) {
      if (renamed) pane.restyle();
      else pane.refresh();
    }
    this.toolbar.syncSources();
    this.syncPanes();
    this.frame.request();
  }

  private postFilter(): void {
    const { filter, highlights } = this.deps.settings.value;
    this.deps.worker.post({ type: 'filter', filter, highlights });
  }

  /** Columns and wrap are classes on the panel: the rows stay as built, CSS shows or hides their cells. */
  private applyLook(value: Readonly<Settings>): void {
    this.root.classList.toggle('wrap', value.wrap);
    this.root.classList.toggle('hide-time', !value.columns.time);
    this.root.classList.toggle('hide-level', !value.columns.level);
    this.root.classList.toggle('hide-source', !value.columns.source);
  }

  /**
   * Marks of rule k take their colour from --hl-k, set through the CSSOM (the CSP forbids style attributes).
   * Only a valid colour is set: the settings are stored, and a hand-edited value is not to be trusted.
   */
  private applyHighlightColours(value: Readonly<Settings>): void {
    for (let k = 0; k < SETTINGS_LIMITS.maxHighlights; k++) {
      const colour = value.highlights[k]?.color;
      if (colour !== undefined && CSS.supports('color', colour)) this.root.style.setProperty(`--hl-${k}`, colour);
      else this.root.style.removeProperty(`--hl-${k}`);
    }
  }

  /** The source column is as wide as the longest source name, within bounds. */
  private applySourceWidth(): void {
    const longest = Math.max(0, ...this.deps.sources.list().map((source) => this.deps.sources.labelOf(source.id).length));
    const chars = Math.min(LOG_PANEL_LIMITS.maxSourceChars, Math.max(LOG_PANEL_LIMITS.minSourceChars, longest));
    this.root.style.setProperty('--source-chars', String(chars));
  }

  private key(event: KeyboardEvent): void {
    const action = shortcutAction('log', event);
    const inFilter = this.toolbar.filter.element.contains(event.target as Node);
    if (!inFilter) this.toolbar.filter.keyOutside(action === 'clearFilter');
    if (action !== 'copyRows' || (event.target as Element).closest('input, textarea') !== null) return;
    // Text selected with the mouse is the browser's to copy; otherwise the rows picked by clicking are copied.
    const text = document.getSelection();
    if (text !== null && !text.isCollapsed) return;
    const pane = this.panes.find((p) => p.element.contains(event.target as Node)) ?? this.currentPane();
    if (pane === undefined || !pane.hasSelection) return;
    event.preventDefault();
    void pane.copySelection();
  }

  private async copy(): Promise<void> {
    const pane = this.currentPane();
    if (pane === undefined || (await pane.copySelection())) return;
    await copyExported(await this.deps.worker.exportText(pane.view), this.notify);
  }

  private async download(): Promise<void> {
    const pane = this.currentPane();
    if (pane === undefined) return;
    const exported = await this.deps.worker.exportText(pane.view);
    if (exported.lines === 0) {
      this.notify('Nothing to download');
      return;
    }
    downloadText(exported.text, downloadName(new Date()));
    this.notify(`Downloaded ${countOf(exported.lines, 'line')}`);
  }

  private clear(): void {
    for (const pane of this.panes) pane.clear();
  }

  private clearFilter(): void {
    const { filter } = this.deps.settings.value;
    this.deps.settings.update({ filter: { ...filter, query: '', invert: false, hiddenLevels: [], hiddenSources: [] } });
  }
}
