// Open at login: Electron's login items on macOS and Windows; an XDG autostart entry on Linux, where
// `app.setLoginItemSettings` does nothing.
import { app } from 'electron';
import { homedir } from 'node:os';
import { isLinuxAutostartEnabled, linuxAutostartTarget, setLinuxAutostart } from '../desktop/autostart';

function linuxTarget() {
  // Run from a checkout (`electron .`), the entry must name the app's folder after the binary.
  return linuxAutostartTarget({ env: process.env, homeDir: homedir(), execPath: process.execPath, args: app.isPackaged ? [] : [app.getAppPath()] });
}

export async function setOpenAtLogin(enabled: boolean): Promise<void> {
  if (process.platform === 'linux') await setLinuxAutostart(enabled, linuxTarget());
  else app.setLoginItemSettings({ openAtLogin: enabled });
}

export async function isOpenAtLogin(): Promise<boolean> {
  if (process.platform === 'linux') return isLinuxAutostartEnabled(linuxTarget());
  return app.getLoginItemSettings().openAtLogin;
}
