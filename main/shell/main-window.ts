// The dashboard window: the locked-down web preferences, the app:// page, and its size and place kept
// across launches.
import { BrowserWindow, nativeTheme, screen } from 'electron';
import { APP_ORIGIN } from '../desktop/app-csp';
import { WINDOW_WEB_PREFERENCES } from '../desktop/window-policy';
import { DEFAULT_WINDOW_SIZE, MIN_WINDOW_SIZE, restoreBounds, type WindowBounds } from '../desktop/window-bounds';

/** Moves and resizes arrive many per second while dragging; the settings file is written once they settle. */
const SAVE_BOUNDS_DELAY_MS = 500;

export interface MainWindowOptions {
  preloadPath: string;
  iconPath: string;
  saved: WindowBounds | null;
  saveBounds(bounds: WindowBounds): void;
}

export function createMainWindow({ preloadPath, iconPath, saved, saveBounds }: MainWindowOptions): BrowserWindow {
  const bounds = restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...(bounds ? { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height } : DEFAULT_WINDOW_SIZE),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'tailwatch',
    icon: iconPath,
    // The page's own background, so no white flash before the dashboard paints in the dark theme.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0d1117' : '#ffffff',
    webPreferences: { ...WINDOW_WEB_PREFERENCES, preload: preloadPath },
  });
  if (bounds?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    saveBounds({ ...win.getNormalBounds(), maximized: win.isMaximized() });
  };
  const saveSoon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, SAVE_BOUNDS_DELAY_MS);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', save);

  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** Brings the window to the front (from the tray, a second launch, a clicked notification). */
export function revealWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
