// The dashboard's entry point. The log worker owns the stream; this page shows what it sends: the
// charts, the log panel, the sources, the connection status, and the frame around them. The same bundle runs
// in a browser (served by the server, same origin) and in the desktop window (from app://, talking to the
// local server the app names).
import './styles/base.css';
import { ChartBoard } from './charts/chart-board';
import { LogPanel } from './log-panel/log-panel';
import { LogWorkerClient } from './worker-channel/log-worker-client';
import { bridgeErrorMessage, desktopBridge, desktopEndpoint } from './desktop/bridge';
import { installDesktopWindow } from './desktop/desktop-window';
import { refuseDroppedFiles } from './desktop/drop-target';
import { fillHelpDialog } from './frame/help-dialog';
import { installHeaderMenu } from './frame/header-menu';
import { installPageShortcuts } from './frame/page-shortcuts';
import { fillSettingsDialog } from './frame/settings-dialog';
import { SourceList } from './frame/source-list';
import { installSourcesDrawer } from './frame/sources-drawer';
import { shownSources, soloHidden } from './frame/source-solo';
import { StatusBadge, type ViewHold } from './frame/status-badge';
import { FrameScheduler } from './services/frame-scheduler';
import { pageElement as element } from './services/page-element';
import { SettingsStore } from './services/settings-store';
import { SourceDirectory } from './services/source-directory';
import { followTimeZone } from './services/time-zone';
import { applyTheme, nextTheme, onSystemThemeChange, themeLabel, THEME_CHANGE_EVENT } from './services/theme';
import { apiUrl, requestCredentials, sameOriginEndpoint } from './stream/server-endpoint';
import type { StreamMessage } from './worker-channel/worker-protocol';

/** History per source on first load: enough to fill a screen and scroll back a little. */
const BACKFILL_LINES = 1_000;
/** A screen where lines wrap on a first visit: a phone, upright or on its side. */
const NARROW_SCREEN = '(max-width: 700px), (pointer: coarse) and (max-height: 500px)';
/** How often the status tooltip ("last event N s ago") is refreshed. */
const STATUS_REFRESH_MS = 1_000;

async function main(): Promise<void> {
  // In a browser the origin is the server's, so settings are kept per server; the desktop window's app://
  // origin is one for all launches, whatever port the local server has.
  // On a phone a line cut at the screen's edge shows a dozen characters of its message: wrap there, unless the
  // user chose (a first visit only; the toolbar's wrap toggle is remembered as any setting).
  const settings = new SettingsStore(location.origin, { wrap: window.matchMedia(NARROW_SCREEN).matches });
  applyTheme(settings.value.theme);
  // Before any view subscribes to the settings: they draw in the zone it has already switched to.
  followTimeZone(settings);
  onSystemThemeChange(() => document.dispatchEvent(new Event(THEME_CHANGE_EVENT)));

  const desktop = desktopBridge();
  const server = desktop === null ? sameOriginEndpoint(location.href) : desktopEndpoint(await desktop.serverInfo());

  const sources = new SourceDirectory();
  const worker = new LogWorkerClient();
  const request = (path: string, query: URLSearchParams, signal: AbortSignal): Promise<Response> =>
    fetch(apiUrl(server, path, query.toString()), { credentials: requestCredentials(server), cache: 'no-store', signal });
  const logs = new LogPanel(element('logs', HTMLElement), { worker, settings, sources, desktop: desktop !== null, request });
  const chartsRoot = element('charts', HTMLElement);
  const charts = new ChartBoard(chartsRoot, {
    server,
    settings,
    sources,
    timeWindowHost: element('time-window', HTMLElement),
    onPickTime: (ts) => void logs.seekTime(ts),
  });
  const themeButton = element('toggle-theme', HTMLButtonElement);
  themeButton.textContent = themeLabel(settings.value.theme);
  const toggleTheme = (): void => settings.update({ theme: nextTheme(settings.value.theme) });
  themeButton.addEventListener('click', toggleTheme);

  const desktopWindow =
    desktop === null
      ? null
      : installDesktopWindow(desktop, {
          notify: logs.notify,
          sources,
          toggleTheme,
          jump: (jump) => void logs.showLine(jump.ts, jump.source === undefined || jump.seq === undefined ? null : { source: jump.source, seq: jump.seq }),
        });
  // A file dropped on a browser tab would replace the dashboard with itself: there, drops are refused.
  if (desktop === null) refuseDroppedFiles();
  const sourceIds = (): string[] => sources.list().map((source) => source.id);
  const sourceList = new SourceList(element('source-list', HTMLElement), element('sources-empty', HTMLElement), sources, desktopWindow?.reveal ?? null, {
    soloed: () => {
      const shown = shownSources(sourceIds(), settings.value.filter.hiddenSources);
      return shown.length === 1 && sourceIds().length > 1 ? shown[0]! : null;
    },
    toggle: (id) => {
      const filter = settings.value.filter;
      settings.update({ filter: { ...filter, hiddenSources: soloHidden(sourceIds(), filter.hiddenSources, id) } });
    },
  });
  const status = new StatusBadge(element('status', HTMLElement), element('status-text', HTMLElement), element('connection-banner', HTMLElement));
  let stream: StreamMessage | null = null;
  // The badge says "live" only while the log follows its tail and the charts their live window.
  const viewHold = (): ViewHold => {
    const hold = logs.hold;
    if (hold !== 'follow') return hold === 'paused' ? 'paused' : 'history';
    return charts.zoomed ? 'zoomed' : 'live';
  };
  const renderStatus = (): void => {
    if (stream) status.render(stream.state, stream.lagMs, viewHold());
  };

  const frame = new FrameScheduler(() => {
    renderStatus();
    sourceList.render();
  });
  sources.onChange(() => frame.request());
  // The log is paused or scrolled by clicks, keys and the wheel: the badge follows within a frame.
  const statusFrame = new FrameScheduler(renderStatus);
  charts.onZoomChange(() => statusFrame.request());
  for (const type of ['pointerup', 'keyup', 'wheel'] as const) document.addEventListener(type, () => statusFrame.request(), { passive: true });

  worker.on('stream', (message) => {
    stream = message;
    frame.request();
  });
  worker.on('update', (message) => logs.applyUpdate(message.views));
  worker.on('sources-released', (message) => sources.release(message.sources));
  worker.on('server-event', ({ event }) => {
    switch (event.type) {
      case 'hello':
        sources.replaceAll(event.sources, event.host);
        charts.setOwnHost(event.host);
        break;
      case 'source':
        if (event.op === 'remove') sources.markRemoved(event.source);
        else sources.upsert(event.source);
        break;
      case 'metrics':
        charts.addSample(event);
        sources.updateRates(event.logs);
        break;
      case 'reset':
        charts.serverRestarted();
        break;
      case 'processes':
        charts.addProcesses(event);
        break;
      case 'gap':
        // Gaps become markers in the log views (the worker puts them there).
        break;
    }
  });

  // Charts: toggled by the top-bar button and `c`, remembered.
  const chartsButton = element('toggle-charts', HTMLButtonElement);
  const showCharts = (visible: boolean): void => {
    chartsRoot.hidden = !visible;
    chartsButton.setAttribute('aria-pressed', String(visible));
  };
  showCharts(settings.value.chartsVisible);
  const toggleCharts = (): void => settings.update({ chartsVisible: !settings.value.chartsVisible });
  chartsButton.addEventListener('click', toggleCharts);

  settings.onChange((value, changed) => {
    if (changed.has('theme')) {
      applyTheme(value.theme);
      themeButton.textContent = themeLabel(value.theme);
    }
    if (changed.has('chartsVisible')) showCharts(value.chartsVisible);
    if (changed.has('filter')) frame.request();
  });

  const help = element('help-dialog', HTMLDialogElement);
  fillHelpDialog(help);
  const showHelp = (): void => {
    if (!help.open) help.showModal();
  };
  element('open-help', HTMLButtonElement).addEventListener('click', showHelp);
  const settingsDialog = element('settings-dialog', HTMLDialogElement);
  element('open-settings', HTMLButtonElement).addEventListener('click', () => {
    fillSettingsDialog(settingsDialog, settings, () => location.reload(), desktop);
    settingsDialog.showModal();
  });

  installHeaderMenu(element('open-menu', HTMLButtonElement), element('header-actions', HTMLElement));
  installSourcesDrawer(element('open-sources', HTMLButtonElement), element('sidebar', HTMLElement));

  installPageShortcuts({
    focusFilter: () => logs.focusFilter(),
    togglePause: () => logs.togglePause(),
    scrollToTop: () => logs.scrollToTop(),
    scrollToBottom: () => logs.scrollToBottom(),
    follow: () => logs.follow(),
    toggleCharts,
    toggleTheme,
    showHelp,
  });

  setInterval(renderStatus, STATUS_REFRESH_MS);
  void charts.loadHistory();
  worker.post({ type: 'connect', server, transport: settings.value.transport, backfill: BACKFILL_LINES, bufferLines: settings.value.bufferLines });
  frame.request();
}

main().catch((error: unknown) => {
  // Nothing else on the page can say it: the desktop app could not name its server, or the page is broken.
  const banner = document.getElementById('connection-banner');
  if (banner !== null) {
    banner.hidden = false;
    banner.textContent = `tailwatch could not start: ${bridgeErrorMessage(error)}`;
  }
  console.error('tailwatch: the dashboard could not start:', error);
});
