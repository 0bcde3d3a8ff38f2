// The charts area: six cards (log lines, CPU, memory, load, network, disk) on one time axis, fed by the
// metrics history and the live `metrics` events, redrawn together in one animation frame and not at all while
// the tab or the charts area is hidden; a handle at its foot sets its height.
import type { MetricsData } from '../../protocol/events';
import { HISTORY_NAME_CAPS, type HistoryMetric } from '../../protocol/metrics-history';
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
import { fetchHistory, HistoryError } from './history-client';
import { LoadChart } from './load-chart';
import { linesCountedFrom, LogRateChart } from './log-rate-chart';
import { MemoryChart } from './memory-chart';
import { MAX_ROWS, MetricStore } from './metric-store';
import { appendHistory, appendSample } from './sample-rows';
import { onThemeChange, readPalette, type Palette } from './theme-palette';
import { ThroughputChart } from './throughput-chart';
import { TimeView } from './time-view';
import { TimeWindowControl } from './time-window-control';
import './charts.css';

/** While live, the charts scroll on this beat even if samples stop (a stalled server shows as a growing gap). */
const LIVE_TICK_MS = 1_000;
/** Per-name choices (the busiest cores, interfaces, sources) are made again every this many samples. */
const RECHOOSE_EVERY_ROWS = 10;
/** Live samples kept while the history loads, to replay after it: more than an hour's would be cut anyway. */
const MAX_PENDING_SAMPLES = MAX_ROWS;

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
  private readonly store = new MetricStore({ nameCaps: HISTORY_NAME_CAPS });
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
    area.append(grid);
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
    root.replaceChildren(this.note, area, splitter.element, this.tooltip.element);

    this.listen();
    this.frame.request();
  }

  /** Fills the charts with the server's last hour. Never rejects: a failure is a note above the charts. */
  async loadHistory(): Promise<void> {
    this.historyAbort?.abort();
    const abort = new AbortController();
    this.historyAbort = abort;
    this.pending = [];
    try {
      const history = await fetchHistory(this.deps.server, abort.signal);
      if (abort.signal.aborted) return;
      // The history holds every sample taken before it was read; the live ones since then follow it.
      this.store.clear();
      appendHistory(this.store, history, this.charted);
      for (const sample of this.pending) appendSample(this.store, sample);
      if (this.pending.length === 0 && this.store.size > 0) this.view.noteServerTime(this.store.lastTs);
      this.showNote(null);
    } catch (error) {
      if (abort.signal.aborted) return;
      this.showNote(error instanceof HistoryError ? error.message : 'it could not be read');
    } finally {
      if (this.historyAbort === abort) {
        this.historyAbort = null;
        this.pending = null;
      }
      this.frame.request();
    }
  }

  addSample(sample: MetricsData): void {
    if (this.pending !== null) {
      this.pending.push(sample);
      if (this.pending.length > MAX_PENDING_SAMPLES) this.pending.shift();
    }
    if (!appendSample(this.store, sample)) return;
    this.view.noteServerTime(sample.ts);
    this.frame.request();
  }

  /** A new server run: its samples start afresh, and so does its history. */
  serverRestarted(): void {
    this.historyAbort?.abort();
    this.historyAbort = null;
    this.store.clear();
    this.view.backToLive();
    this.frame.request();
    void this.loadHistory();
  }

  private listen(): void {
    const { settings, sources } = this.deps;
    settings.onChange((value, changed) => {
      if (changed.has('timeWindowMinutes')) this.view.setWindow(value.timeWindowMinutes);
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
    if (document.hidden || this.root.hidden) {
      this.stale = true;
      return;
    }
    this.stale = false;
    this.lastRenderAt = performance.now();
    const view: ViewContext = {
      store: this.store,
      palette: this.palette,
      range: this.view.range(),
      epoch: `${this.store.generation}:${Math.floor(this.store.newest / RECHOOSE_EVERY_ROWS)}:${this.view.version}`,
    };
    for (const card of this.cards) card.render(view);
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
    if (seq >= 0) this.deps.onPickTime(linesCountedFrom(this.store.tsAt(seq)));
  }

  private showNote(reason: string | null): void {
    this.note.hidden = reason === null;
    if (reason !== null) this.noteText.textContent = `Metrics history unavailable (${reason}); the charts fill from live samples.`;
  }
}
