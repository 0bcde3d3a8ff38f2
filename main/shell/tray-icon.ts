// The tray icon: what tailwatch is doing at a glance (sources, errors in the last minute, sharing), and a
// menu to show or hide the window. Linux shows the tray only through an AppIndicator host, which redraws
// the menu only when it is set again: it is rebuilt when its text changes, never on a timer alone.
import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  isWindowVisible(): boolean;
  toggleWindow(): void;
  addFolder(): void;
  shareDashboard(): void;
  quit(): void;
}

export class TrayIcon {
  private readonly tray: Tray;
  private shown = '';

  constructor(iconPath: string, private readonly actions: TrayActions) {
    this.tray = new Tray(nativeImage.createFromPath(iconPath));
    this.tray.on('click', () => actions.toggleWindow());
    this.update({ tooltip: 'tailwatch', menuLabel: 'tailwatch' });
  }

  update(status: { tooltip: string; menuLabel: string }): void {
    const visible = this.actions.isWindowVisible();
    const key = `${status.tooltip}\n${status.menuLabel}\n${visible}`;
    if (key === this.shown || this.tray.isDestroyed()) return;
    this.shown = key;
    this.tray.setToolTip(status.tooltip);
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: status.menuLabel, enabled: false },
        { type: 'separator' },
        { label: visible ? 'Hide Window' : 'Show Window', click: () => this.actions.toggleWindow() },
        { label: 'Add Folder…', click: () => this.actions.addFolder() },
        { label: 'Share Dashboard…', click: () => this.actions.shareDashboard() },
        { type: 'separator' },
        { label: 'Quit tailwatch', click: () => this.actions.quit() },
      ]),
    );
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }
}
