// The application menu: the standard roles plus tailwatch's own commands. A plain template (Electron's
// own type, no Electron import at run time), so what is in it, DevTools only in development, is tested.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  addFolder(): void;
  addFile(): void;
  shareDashboard(): void;
  alerts(): void;
  toggleTheme(): void;
  reload(): void;
  toggleDevTools(): void;
  showWindow(): void;
}

export interface MenuContext {
  isMac: boolean;
  /** Not packaged (`app.isPackaged` false): DevTools are offered. */
  isDevelopment: boolean;
  appName: string;
}

export function applicationMenu(context: MenuContext, actions: MenuActions): MenuItemConstructorOptions[] {
  const { isMac, isDevelopment, appName } = context;
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Add Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.addFolder() },
      { label: 'Add File…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.addFile() },
      { type: 'separator' },
      { label: 'Share Dashboard…', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.shareDashboard() },
      { label: 'Alerts…', click: () => actions.alerts() },
      ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { label: 'Toggle Theme', accelerator: 'CmdOrCtrl+Shift+T', click: () => actions.toggleTheme() },
      { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: () => actions.reload() },
      ...(isDevelopment ? [{ label: 'Toggle Developer Tools', accelerator: isMac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I', click: () => actions.toggleDevTools() }] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(isMac ? [{ label: appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } satisfies MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ];
}
