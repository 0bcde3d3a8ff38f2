// The dashboard's entry point. The log worker owns the stream; this page shows what it sends: the
// charts, the log panel, the sources, the connection status, and the shell around them.
import './styles/base.css';
import { ChartBoard } from './charts/chart-board';
import { LogPanel } from './log-panel/log-panel';
import { LogWorkerClient } from './log-worker-client';
import { desktopBridge, showDesktopActions } from './shell/desktop';
import { FrameScheduler } from './shell/frame-scheduler';
import { fillHelpDialog } from './shell/help-dialog';
import { installShortcuts } from './shell/keyboard';
import { fillSettingsDialog } from './shell/settings-dialog';
import { SettingsStore } from './shell/settings-store';
import { SourceDirectory } from './shell/source-directory';
import { SourceList } from './shell/source-list';
import { StatusBadge } from './shell/status-badge';
import { applyTheme, nextTheme, onSystemThemeChange, themeLabel, THEME_CHANGE_EVENT } from './shell/theme';
import type { StreamMessage } from './worker-protocol';

/** History per source on first load: enough to fill a screen and scroll back a little. */
const BACKFILL_LINES = 1_000;
/** How often the status tooltip ("last event N s ago") is refreshed. */
const STATUS_REFRESH_MS = 1_000;

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`tailwatch: index.html lacks the #${id} element`);
  return found;
}

function main(): void {
  // The desktop window and remote browsers may talk to different servers from one origin: key by server.
  const settings = new SettingsStore(location.origin);
  applyTheme(settings.value.theme);
  onSystemThemeChange(() => document.dispatchEvent(new Event(THEME_CHANGE_EVENT)));

  const desktop = desktopBridge();
  if (desktop) showDesktopActions(desktop, element('desktop-actions', HTMLElement), element('add-folder', HTMLButtonElement), element('add-file', HTMLButtonElement));

  const sources = new SourceDirectory();
  const worker = new LogWorkerClient();
  const logs = new LogPanel(element('logs', HTMLElement), { worker, settings, sources });
  const chartsRoot = element('charts', HTMLElement);
  const charts = new ChartBoard(chartsRoot, {
    settings,
    sources,
    timeWindowHost: element('time-window', HTMLElement),
    onPickTime: (ts) => void logs.seekTime(ts),
  });
  const sourceList = new SourceList(element('source-list', HTMLElement), element('sources-empty', HTMLElement), sources, desktop !== null);
  const status = new StatusBadge(element('status', HTMLElement), element('status-text', HTMLElement), element('connection-banner', HTMLElement));
  let stream: StreamMessage | null = null;
  const renderStatus = (): void => {
    if (stream) status.render(stream.state, stream.lagMs);
  };

  const frame = new FrameScheduler(() => {
    renderStatus();
    sourceList.render();
  });
  sources.onChange(() => frame.request());

  worker.on('stream', (message) => {
    stream = message;
    frame.request();
  });
  worker.on('update', (message) => logs.applyUpdate(message.views));
  worker.on('server-event', ({ event }) => {
    switch (event.type) {
      case 'hello':
        sources.replaceAll(event.sources);
        break;
      case 'source':
        if (event.op === 'remove') sources.remove(event.source.id);
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
      case 'gap':
        // Gaps become markers in the log views (the worker puts them there); processes are not shown yet.
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

  const themeButton = element('toggle-theme', HTMLButtonElement);
  themeButton.textContent = themeLabel(settings.value.theme);
  const toggleTheme = (): void => settings.update({ theme: nextTheme(settings.value.theme) });
  themeButton.addEventListener('click', toggleTheme);

  settings.onChange((value, changed) => {
    if (changed.has('theme')) {
      applyTheme(value.theme);
      themeButton.textContent = themeLabel(value.theme);
    }
    if (changed.has('chartsVisible')) showCharts(value.chartsVisible);
  });

  const help = element('help-dialog', HTMLDialogElement);
  fillHelpDialog(help);
  const showHelp = (): void => {
    if (!help.open) help.showModal();
  };
  element('open-help', HTMLButtonElement).addEventListener('click', showHelp);
  const settingsDialog = element('settings-dialog', HTMLDialogElement);
  element('open-settings', HTMLButtonElement).addEventListener('click', () => {
    fillSettingsDialog(settingsDialog, settings, () => location.reload());
    settingsDialog.showModal();
  });

  installShortcuts({
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
  worker.post({ type: 'connect', transport: settings.value.transport, backfill: BACKFILL_LINES, bufferLines: settings.value.bufferLines });
  frame.request();
}

main();
