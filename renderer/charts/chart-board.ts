// The charts area: six cards (log lines, CPU, memory, load, network, disk) on one time axis, fed by the
// metrics history and the live `metrics` events, redrawn together in one animation frame and not at all while
// the tab or the charts area is hidden; the top processes under them; a handle at its foot sets its height.
// Two stores: the last hour at 1 s, and the last day at 1 min (windows past an hour, and ranges older than the
// hour); both are kept across a server restart, the new run's history appended to them. With --redis, one
// pair of stores per host (host-metrics.ts) and a picker of the host drawn; the history is the server's own.
import type { MetricsData, ProcessesData } from '../../protocol/events';
import type { HistoryMetric } from '../../protocol/metrics-history';
import { FrameScheduler } from '../services/frame-scheduler';
import type { SettingsStore } from '../services/settings-store';
import { shortcutAction } from '../services/shortcuts';
import type { SourceDirectory } from '../services/source-directory';
import type { ServerEndpoint } from '../worker-channel/worker-protocol';
import { ChartCard } from './chart-card';
import type { TimeRange, ViewContext } from './chart-definition';
import type { PointerHandlers } from './chart-pointer';
import { ChartTooltip } from './chart-tooltip';
import { ChartsSplitter } from './charts-splitter';
import { CpuChart } from './cpu-chart';
import { fetchHistory, fetchMinuteHistory, HistoryError } from './history-client';
import { LoadChart } from './load-chart';
import { linesCountedFrom, LogRateChart } from './log-rate-chart';
import { MemoryChart } from './memory-chart';
import { HostMetrics, type HostStores } from './host-metrics';
import { HostPicker } from './host-picker';
import { MAX_ROWS, type MetricStore } from './metric-store';
import { appendMinuteHistory } from './minute-rows';
import { ProcessTable } from './process-table';
import { appendHistory, appendSample } from './sample-rows';
import { onThemeChange, readPalette, type Palette } from './theme-palette';
import { ThroughputChart } from './throughput-chart';
import { TimeView } from './time-view';
import { TimeWindowControl } from './time-window-control';
import './charts.css';
import './process-table.css';

/** While live, the charts scroll on this beat even if samples stop (a stalled server shows as a growing gap). */
const LIVE_TICK_MS = 1_000;
/** Per-name choices (the busiest cores, interfaces, sources) are made again every this many samples. */
const RECHOOSE_EVERY_ROWS = 10;
/** Live samples kept while the history loads, to replay after it: more than an hour's would be cut anyway. */
const MAX_PENDING_SAMPLES = MAX_ROWS;
/** Windows up to this are drawn from the 1 s store; longer ones from the minute store. */
const FINE_WINDOW_MS = 60 * 60_000;

interface ChartBoardDeps {
  /** Where the metrics history comes from. */
  server: ServerEndpoint;
  settings: SettingsStore;
  sources: SourceDirectory;
  /** An empty element in the top bar, for the time window control. */
  timeWindowHost: HTMLElement;
  /** The user clicked the log-rate chart: `ts` is where the lines counted by the nearest point begin. */
  onPickTime(ts: number): void;
}

export class ChartBoard {
  /** Per host: the last hour at 1 s, and the last day at 1 min (the minute history and the live samples folded per minute). */
  private readonly hosts = new HostMetrics();
  private readonly picker: HostPicker;
  /** The store of the range shown (the last render's). */
  private store: MetricStore = this.hosts.own.fine;
  private readonly processes = new ProcessTable();
  private readonly view: TimeView;
  private readonly cards: ChartCard[];
  /** Every metric some chart reads: the series of the history kept. */
  private readonly charted: ReadonlySet<HistoryMetric>;
  private readonly control: TimeWindowControl;
  private readonly tooltip: ChartTooltip;
  private readonly note: HTMLElement;
  private readonly noteText: HTMLElement;
  private readonly frame = new FrameScheduler(() => this.render());
  private readonly overlayFrame = new FrameScheduler(() => this.drawOverlays());
  private palette: Palette = readPalette();
  private hoverTs: number | null = null;
  private band: TimeRange | null = null;
  /** A render was skipped while hidden: catch up when shown. */
  private stale = false;
  private lastRenderAt = -Infinity;
  /** Live samples that arrived while the history was on its way; null when no load is under way. */
  private pending: MetricsData[] | null = null;
  /** After a restart, live samples wait in `pending` (not drawn) until the new run's history is in. */
  private holding = false;
  private historyAbort: AbortController | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly deps: ChartBoardDeps,
  ) {
    this.view = new TimeView(deps.settings.value.timeWindowMinutes);
    this.control = new TimeWindowControl(deps.timeWindowHost, {
      choose: (minutes) => {
        deps.settings.update({ timeWindowMinutes: minutes });
        this.view.setWindow(minutes);
      },
      backToLive: () => this.view.backToLive(),
    });

    this.note = document.createElement('div');
    this.note.className = 'charts-note';
    this.note.setAttribute('role', 'status');
    this.note.hidden = true;
    this.noteText = document.createElement('span');
    const retry = document.createElement('button');
    retry.type = 'button';
    retry.className = 'chart-link';
    retry.textContent = 'Retry';
    retry.addEventListener('click', () => void this.loadHistory());
    this.note.append(this.noteText, retry);

    const area = document.createElement('div');
    area.className = 'chart-area';
    const grid = document.createElement('div');
    grid.className = 'chart-grid';
    area.append(grid, this.processes.element);
    this.tooltip = new ChartTooltip();

    const pointer: PointerHandlers = {
      hover: (ts) => this.setOverlay(ts, this.band),
      band: (range) => this.setOverlay(this.hoverTs, range),
      select: (min, max) => {
        this.setOverlay(this.hoverTs, null);
        this.view.select(min, max);
      },
      click: (ts) => this.pick(ts),
      reset: () => this.view.backToLive(),
    };
    const logs = new LogRateChart(deps.sources);
    const definitions = [
      logs,
      new CpuChart(deps.settings),
      new MemoryChart(),
      new LoadChart(),
      new ThroughputChart({ id: 'net', title: 'Network', incoming: 'net.rx', outgoing: 'net.tx', incomingLabel: 'in', outgoingLabel: 'out' }),
      new ThroughputChart({ id: 'disk', title: 'Disk', incoming: 'disk.read', outgoing: 'disk.write', incomingLabel: 'read', outgoingLabel: 'write' }),
    ];
    this.charted = new Set(definitions.flatMap((def) => def.metrics));
    this.cards = definitions.map((def) => {
      const card = new ChartCard(def, this.palette, { tooltip: this.tooltip, pointer, clickable: def === logs, requestRender: () => this.frame.request() });
      grid.append(card.element);
      return card;
    });
    const splitter = new ChartsSplitter(root, deps.settings);
    this.picker = new HostPicker((host) => deps.settings.update({ chartsHost: host }));
    root.replaceChildren(this.picker.element, this.note, area, splitter.element, this.tooltip.element);

    this.listen();
    this.frame.request();
  }

  /**
   * Fills the charts with the server's last hour (1 s) and last day (1 min). `keep`: after a server restart,
   * the rows held stay and the new run's history is appended after them. Never rejects: a failure is a note
   * above the charts.
   */
  async loadHistory(keep = false): Promise<void> {
    this.historyAbort?.abort();
    const abort = new AbortController();
    this.historyAbort = abort;
    this.pending = [];
    this.holding = keep;
    // The day is worth having even when the hour fails, and the other way round.
    const minutes = fetchMinuteHistory(this.deps.server, abort.signal).catch(() => null);
    try {
      const history = await fetchHistory(this.deps.server, abort.signal);
      const minuteHistory = await minutes;
      if (abort.signal.aborted) return;
      // The history holds every sample the server took of its own machine before it was read; the live ones
      // since then follow it. Other hosts' samples are not in it (their charts start from live samples).
      const own = this.hosts.own;
      if (!keep) {
        own.fine.clear();
        own.minutes.clear();
      }
      appendHistory(own.fine, history, this.charted);
      const weight = minuteHistory === null ? null : appendMinuteHistory(own.minutes, minuteHistory, this.charted);
      if (weight !== null || !keep) own.folder.continueFrom(weight ?? 0, history.ts[history.ts.length - 1] ?? NaN);
      for (const sample of this.pending) this.append(sample);
      if (this.pending.length === 0 && own.fine.size > 0) this.view.noteServerTime(own.fine.lastTs);
      this.showNote(null);
    } catch (error) {
      if (abort.signal.aborted) return;
      this.showNote(error instanceof HistoryError ? error.message : 'it could not be read');
      // Samples held back for the history that did not come are drawn now.
      if (this.holding) for (const sample of this.pending) this.append(sample);
    } finally {
      if (this.historyAbort === abort) {
        this.historyAbort = null;
        this.pending = null;
        this.holding = false;
      }
      this.frame.request();
    }
  }

  addSample(sample: MetricsData): void {
    if (this.pending !== null) {
      this.pending.push(sample);
      if (this.pending.length > MAX_PENDING_SAMPLES) this.pending.shift();
      if (this.holding) return;
    }
    if (!this.append(sample)) return;
    // The live window follows the server's clock: another host's clock may be off.
    if (sample.host === undefined || sample.host === this.hosts.ownName) this.view.noteServerTime(sample.ts);
    this.frame.request();
  }

  /** The server's own host name (`hello.host`, with --redis): its samples go with the history. */
  setOwnHost(host: string | undefined): void {
    this.hosts.setOwnHost(host);
    this.processes.setHost(host);
    this.frame.request();
  }

  /** The server's top processes (the `processes` topic): its own machine's only, whatever host is picked. */
  addProcesses(data: ProcessesData): void {
    this.processes.update(data);
  }

  /** Whether the charts show a range the user chose rather than the live window. */
  get zoomed(): boolean {
    return !this.view.live;
  }

  /** Calls `listener` when the charts go from live to a chosen range or back. */
  onZoomChange(listener: () => void): void {
    this.view.onChange(listener);
  }

  private append(sample: MetricsData): boolean {
    const stores = this.hosts.storesFor(sample.host, this.pickedHost);
    if (!appendSample(stores.fine, sample)) return false;
    appendSample(stores.folder, sample);
    return true;
  }

  /** The host chosen in the picker ('' = the server's own). */
  private get pickedHost(): string {
    return this.deps.settings.value.chartsHost;
  }

  /** The stores drawn: the picked host's, or the server's own while that host has sent nothing. */
  private get shown(): HostStores {
    return this.hosts.shown(this.pickedHost);
  }

  /**
   * A new server run: its history starts afresh, while the page keeps what it has drawn so far (the server's
   * history of the old run is gone with it); the new run's history is appended once read.
   */
  serverRestarted(): void {
    this.processes.clear();
    this.frame.request();
    void this.loadHistory(true);
  }

  private listen(): void {
    const { settings, sources } = this.deps;
    settings.onChange((value, changed) => {
      if (changed.has('timeWindowMinutes')) this.view.setWindow(value.timeWindowMinutes);
      if (changed.has('chartsHost')) {
        this.tooltip.hide();
        this.frame.request();
      }
      if (changed.has('timeZone')) {
        // The axis labels and ticks follow the zone shown (time-axis.ts): a new look redraws every chart, paused or not.
        this.palette = readPalette();
        this.frame.request();
      }
    });
    sources.onChange(() => this.frame.request());
    this.view.onChange(() => this.frame.request());
    onThemeChange(() => {
      this.palette = readPalette();
      this.frame.request();
    });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.stale) this.frame.request();
    });
    // The page collapses the charts by hiding the root: catch up (and let Chart.js resize) when it returns.
    new MutationObserver(() => {
      if (this.root.hidden) this.tooltip.hide();
      else if (this.stale) this.frame.request();
    }).observe(this.root, { attributes: true, attributeFilter: ['hidden'] });
    // Back to live when nothing else has the keyboard: focus on the page itself, the charts or the time
    // control (the log panel has its own uses for the same key).
    document.addEventListener('keydown', (event) => {
      if (shortcutAction('charts', event) !== 'backToLive' || this.view.live || event.defaultPrevented) return;
      const target = event.target;
      const ours = target === document.body || (target instanceof Node && (this.root.contains(target) || this.deps.timeWindowHost.contains(target)));
      if (ours) this.view.backToLive();
    });
    setInterval(() => {
      if (this.view.live && !document.hidden && performance.now() - this.lastRenderAt >= LIVE_TICK_MS * 0.9) this.frame.request();
    }, LIVE_TICK_MS);
  }

  private render(): void {
    this.control.render(this.deps.settings.value.timeWindowMinutes, this.view.selection);
    const others = this.hosts.otherHosts();
    this.picker.render(this.hosts.ownName, others, this.pickedHost);
    this.processes.setManyHosts(others.length > 0);
    if (document.hidden || this.root.hidden) {
      this.stale = true;
      return;
    }
    this.stale = false;
    this.lastRenderAt = performance.now();
    const range = this.view.range();
    const shown = this.shown;
    this.store = this.storeFor(range, shown);
    // Which host and tier are drawn, and the rows of each held: tests read them, the canvas keeps its points to itself.
    this.root.dataset.host = shown === this.hosts.own ? '' : this.pickedHost;
    this.root.dataset.tier = this.store === shown.fine ? 'seconds' : 'minutes';
    this.root.dataset.rows = `${shown.fine.size}/${shown.minutes.size}`;
    const view: ViewContext = {
      store: this.store,
      palette: this.palette,
      range,
      epoch: `${this.store.generation}:${Math.floor(this.store.newest / RECHOOSE_EVERY_ROWS)}:${this.view.version}`,
    };
    for (const card of this.cards) card.render(view);
  }

  /**
   * The 1 s store while it holds the range; the minute store for windows past an hour and for a range that
   * starts before the 1 s store's oldest row (a minute's slack: the hour window's edge trails it).
   */
  private storeFor(range: TimeRange, { fine, minutes }: HostStores): MetricStore {
    if (this.view.live) return range.max - range.min <= FINE_WINDOW_MS ? fine : minutes;
    const oldest = fine.size === 0 ? Infinity : fine.tsAt(fine.oldest);
    return range.min >= oldest - 60_000 || minutes.size === 0 ? fine : minutes;
  }

  private setOverlay(hoverTs: number | null, band: TimeRange | null): void {
    if (hoverTs === this.hoverTs && band === this.band) return;
    this.hoverTs = hoverTs;
    this.band = band;
    this.overlayFrame.request();
  }

  private drawOverlays(): void {
    if (document.hidden || this.root.hidden) return;
    for (const card of this.cards) card.redraw(this.hoverTs, this.band);
  }

  private pick(ts: number): void {
    const seq = this.store.nearestSeq(ts);
    if (seq < 0) return;
    // A minute row counts the lines from its minute's start.
    const at = this.store.tsAt(seq);
    this.deps.onPickTime(this.store === this.shown.fine ? linesCountedFrom(at) : at);
  }

  private showNote(reason: string | null): void {
    this.note.hidden = reason === null;
    if (reason !== null) this.noteText.textContent = `Metrics history unavailable (${reason}); the charts fill from live samples.`;
  }
}
