// The Electron main process: one instance per user, the core on 127.0.0.1 with this launch's token, the
// dashboard window (app://), the menu, the tray, native dialogs and notifications, and a clean quit.
// Everything that can be decided without Electron is in main/desktop/ and tested there.
import { BrowserWindow, Menu, app, dialog, shell } from 'electron';
import { join } from 'node:path';
import { startTailwatch, type RunningTailwatch } from '../app/start-tailwatch';
import { helpText } from '../app/command-line';
import { ConfigError } from '../app/options';
import { DASHBOARD_DIR, PACKAGE_ROOT, VERSION } from '../app/package-info';
import type { AddPathsResult, AlertJump, DesktopCommand, DesktopEventMap, EventChannel } from '../../protocol/desktop-ipc';
import { APP_ORIGIN } from '../desktop/app-csp';
import { DesktopAlerts } from '../desktop/desktop-alerts';
import { DesktopSources } from '../desktop/desktop-sources';
import { ipcHandlers } from '../desktop/ipc-handlers';
import { PageNotices } from '../desktop/page-notices';
import { parseDesktopLaunch, readSecondInstanceData, secondInstanceData, type DesktopLaunch } from '../desktop/launch-args';
import { applicationMenu } from '../desktop/menu-template';
import { SettingsFile, desktopSourceId } from '../desktop/settings-file';
import { hostsView } from '../desktop/settings-schema';
import { ShareController } from '../desktop/share-controller';
import { loadOrCreateCertificate, shareInterfaces } from '../desktop/share-plan';
import { RecentErrors, trayStatus } from '../desktop/error-rate';
import { registerAppScheme, serveAppFiles } from './app-protocol';
import { serveIpc, sendEvent } from './ipc';
import { createMainWindow, revealWindow } from './main-window';
import { showNotification } from './notifications';
import { isOpenAtLogin, setOpenAtLogin } from './open-at-login';
import { TrayIcon } from './tray-icon';
import { enforceWebSecurity } from './web-security';

/** Quit must not hang on a peer that holds a socket open (the headless server's bound too). */
const SHUTDOWN_DEADLINE_MS = 1500;
const TRAY_REFRESH_MS = 2000;

const distDir = join(PACKAGE_ROOT, 'dist');
const assets = join(distDir, 'electron', 'assets');
const warn = (message: string) => process.stderr.write(`tailwatch: warning: ${message}\n`);

function readLaunch(): DesktopLaunch {
  try {
    return parseDesktopLaunch(process.argv, { defaultApp: process.defaultApp === true, cwd: process.cwd() });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`tailwatch: ${err.message} (see --help)\n`);
    process.exit(2);
  }
}

const launch = readLaunch();
if (launch.command !== 'serve') {
  process.stdout.write(`${launch.command === 'help' ? helpText(VERSION) : VERSION}\n`);
  app.exit(0);
}
registerAppScheme();
if (!app.requestSingleInstanceLock(secondInstanceData(process.argv, process.cwd(), process.defaultApp === true))) {
  // The first instance gets our folders through `second-instance` and comes to the front.
  app.exit(0);
} else {
  app.whenReady().then(
    () => startDesktop(launch),
    (err: unknown) => fatal(err),
  );
}

function fatal(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`tailwatch: ${message}\n`);
  dialog.showErrorBox('tailwatch cannot start', message);
  app.exit(1);
  throw err;
}

/** The core on the asked port, or any free one when another tailwatch holds it: the window learns the port by IPC. */
async function startCore(config: DesktopLaunch['config']): Promise<RunningTailwatch> {
  const input = { ...config, dir: [], file: [], allowOrigin: [...config.allowOrigin, APP_ORIGIN] };
  try {
    return await startTailwatch(input);
  } catch (err) {
    if (((err as Error).cause as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') throw err;
    warn(`port ${config.port} is in use; the desktop app listens on a free port instead`);
    return startTailwatch({ ...input, port: 0 });
  }
}

async function startDesktop({ config, paths, ignored }: DesktopLaunch): Promise<void> {
  if (ignored.length > 0) warn(`left to Electron: ${ignored.join(' ')}`);
  enforceWebSecurity(warn);
  let win: BrowserWindow | null = null;
  const send = <C extends EventChannel>(channel: C, payload: DesktopEventMap[C]) => sendEvent(win?.webContents, channel, payload);
  // What the user should learn of without a terminal goes to the window too.
  const notices = new PageNotices((notice) => send('tailwatch:notice', notice));
  const tell = (message: string) => {
    warn(message);
    notices.post({ kind: 'problem', message });
  };
  const settings = await SettingsFile.open(app.getPath('userData'), tell);
  // Many hosts: --redis on the command line, else the Redis of the settings (Settings → Many hosts).
  const stored = settings.get().hosts;
  const fromCommandLine = config.redis !== null;
  let inUse = config.redis;
  let tw: RunningTailwatch;
  if (fromCommandLine || stored.redis === null) tw = await startCore(config).catch(fatal);
  else {
    // A Redis from the settings that cannot be used must not keep the app from starting: Settings can fix it.
    tw = await startCore({ ...config, redis: stored.redis, redisCa: stored.redisCa }).then(
      (running) => {
        inUse = stored.redis;
        return running;
      },
      (err: unknown) => {
        if (!(err instanceof ConfigError)) fatal(err);
        tell(`${err.message}; started with this machine only (Settings → Many hosts)`);
        return startCore(config).catch(fatal);
      },
    );
  }
  serveAppFiles(DASHBOARD_DIR, () => tw.url);
  const command = (name: DesktopCommand) => {
    showWindow();
    send('tailwatch:command', name);
  };
  const showWindow = () => {
    if (!win || win.isDestroyed()) win = openWindow();
    revealWindow(win);
  };

  const sources = new DesktopSources({
    roots: tw,
    idOf: desktopSourceId,
    save: (list) => void settings.update((s) => ({ ...s, sources: list })),
    changed: (list) => send('tailwatch:sources-changed', list),
    warn: tell,
  });
  await sources.restore(settings.get().sources);
  /** Adds paths the page did not ask for (the menu, the tray, a launch) and tells it what came of them. */
  const addUnasked = async (paths: string[], { quietIfKnown }: { quietIfKnown: boolean }) => {
    const result = await sources.addPaths(paths);
    // A launch names remembered folders again each time: that they are known already is no news.
    const told: AddPathsResult = { ...result, rejected: result.rejected.filter((r) => !(quietIfKnown && r.reason === 'already added')) };
    for (const { path, reason } of told.rejected) warn(`${path}: ${reason}`);
    if (told.added.length > 0 || told.rejected.length > 0) notices.post({ kind: 'added', result: told });
  };
  await addUnasked([...config.dir, ...config.file, ...paths], { quietIfKnown: true });

  const share = new ShareController({
    listen: (options) => tw.share(options),
    interfaces: () => shareInterfaces(),
    certificate: () => loadOrCreateCertificate(app.getPath('userData')),
    remember: (request) => void settings.update((s) => ({ ...s, share: request })),
    changed: (state) => send('tailwatch:share-changed', state),
  });
  await share.restore(settings.get().share);

  const recentErrors = new RecentErrors({ windowSeconds: 60 });
  const jumpTo = (jump: AlertJump) => {
    showWindow();
    send('tailwatch:jump', jump);
  };
  const alerts = new DesktopAlerts({ core: tw, rules: settings.get().alerts, notify: (fired) => showNotification(fired, () => jumpTo(fired.jump)), warn: tell });
  tw.onLines((_source, _id, lines, live) => live && recentErrors.add(lines));

  const pickPaths = async (kind: 'folders' | 'files'): Promise<string[]> => {
    const options: Electron.OpenDialogOptions = {
      title: kind === 'folders' ? 'Add folders to follow' : 'Add log files to follow',
      properties: kind === 'folders' ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections', 'showHiddenFiles'],
    };
    const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };
  const addFromMenu = (kind: 'folders' | 'files') => () => {
    pickPaths(kind)
      .then((chosen) => addUnasked(chosen, { quietIfKnown: false }))
      .catch((err: unknown) => tell(`nothing was added: ${(err as Error).message}`));
  };

  serveIpc(
    ipcHandlers({
      serverInfo: () => ({ url: tw.url, token: tw.token }),
      pickPaths,
      sources,
      pathOfWireSource: (id) => tw.sources().find((s) => s.id === id)?.path ?? null,
      revealPath: (path) => shell.showItemInFolder(path),
      share,
      alerts: {
        get: () => settings.get().alerts,
        set: (rules) => {
          alerts.setRules(rules);
          void settings.update((s) => ({ ...s, alerts: rules }));
        },
      },
      preferences: {
        get: () => settings.get().preferences,
        set: async (change) => {
          if (change.openAtLogin !== undefined && change.openAtLogin !== settings.get().preferences.openAtLogin) {
            await setOpenAtLogin(change.openAtLogin);
          }
          await settings.update((s) => ({ ...s, preferences: { ...s.preferences, ...change } }));
          return settings.get().preferences;
        },
      },
      hosts: {
        stored: () => settings.get().hosts,
        view: () => hostsView(settings.get().hosts, inUse, fromCommandLine),
        set: async (hosts) => {
          await settings.update((s) => ({ ...s, hosts }));
          return hostsView(hosts, inUse, fromCommandLine);
        },
      },
      notify: (notification) => showNotification(notification, showWindow),
      notices,
    }),
    warn,
  );

  const openWindow = () => {
    const opened = createMainWindow({
      preloadPath: join(distDir, 'preload', 'preload.cjs'),
      iconPath: join(assets, 'tray@2x.png'),
      saved: settings.get().window,
      saveBounds: (bounds) => void settings.update((s) => ({ ...s, window: bounds })),
    });
    // Until the (re)loaded page asks for them, notices wait rather than being sent into the void.
    notices.pageGone();
    opened.webContents.on('did-start-loading', () => notices.pageGone());
    opened.on('close', (event) => {
      if (quitting || !settings.get().preferences.closeToTray) return;
      event.preventDefault();
      opened.hide();
      if (!toldInTray) {
        toldInTray = true;
        showNotification({ title: 'tailwatch is still running', body: 'Alerts and sharing go on. Open it or quit from the tray icon, or launch tailwatch again.' }, showWindow);
      }
    });
    return opened;
  };
  /** Said once per run, the first time closing the window leaves the app running. */
  let toldInTray = false;
  /** Set by before-quit: from then on a closing window closes. */
  let quitting = false;
  win = openWindow();

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenu(
        { isMac: process.platform === 'darwin', isDevelopment: !app.isPackaged, appName: app.name },
        {
          addFolder: addFromMenu('folders'),
          addFile: addFromMenu('files'),
          shareDashboard: () => command('share'),
          alerts: () => command('alerts'),
          toggleTheme: () => command('toggle-theme'),
          reload: () => win?.webContents.reload(),
          toggleDevTools: () => win?.webContents.toggleDevTools(),
          showWindow,
        },
      ),
    ),
  );

  const tray = new TrayIcon(join(assets, 'tray.png'), {
    isWindowVisible: () => win !== null && !win.isDestroyed() && win.isVisible(),
    toggleWindow: () => (win && !win.isDestroyed() && win.isVisible() ? win.hide() : showWindow()),
    addFolder: addFromMenu('folders'),
    shareDashboard: () => command('share'),
    quit: () => app.quit(),
  });
  const refreshTray = () => {
    const shared = share.state();
    tray.update(
      trayStatus({
        sources: sources.list().length,
        files: tw.sources().length,
        errorsLastMinute: recentErrors.count(),
        sharing: shared.enabled,
        clients: shared.clients.length,
      }),
    );
  };
  const trayTimer = setInterval(refreshTray, TRAY_REFRESH_MS);
  refreshTray();

  // The login item may have been changed outside the app: the setting follows what the system says. An
  // entry that is on is written again, so it names this binary even if the AppImage moved.
  isOpenAtLogin()
    .then(async (openAtLogin) => {
      if (openAtLogin) await setOpenAtLogin(true);
      await settings.update((s) => ({ ...s, preferences: { ...s.preferences, openAtLogin } }));
    })
    .catch((err: unknown) => tell(`open at login: ${(err as Error).message}`));

  app.on('second-instance', (_event, _argv, _cwd, data) => {
    showWindow();
    const asked = readSecondInstanceData(data);
    if (asked.length > 0) void addUnasked(asked.map((a) => a.path), { quietIfKnown: false });
  });
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    // macOS keeps the app (and its alerts) running until Quit; elsewhere closing the window quits.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    clearInterval(trayTimer);
    tray.destroy();
    alerts.close();
    setTimeout(() => app.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    void Promise.allSettled([share.close(), tw.close(), settings.flush()]).then(() => app.exit(0));
  });
  process.stdout.write(`tailwatch ${VERSION} desktop: core listening on ${tw.url}\n`);
}
