// The main side of the typed IPC map (protocol/desktop-ipc.ts): handlers are registered only through
// `serveIpc`, which refuses any sender that is not the app's own page, and events go out only through `sendEvent`.
import { ipcMain, type WebContents, type WebFrameMain } from 'electron';
import { INVOKE_CHANNELS, type DesktopEventMap, type EventChannel } from '../../protocol/desktop-ipc';
import { isTrustedSender } from '../desktop/window-policy';
import type { IpcHandlers } from '../desktop/ipc-handlers';

function senderOf(frame: WebFrameMain | null | undefined): { url: string; isMainFrame: boolean } | null {
  if (!frame || frame.isDestroyed()) return null;
  return { url: frame.url, isMainFrame: frame.parent === null };
}

/** Registers one handler per channel (the map's type makes a missing one a compile error). */
export function serveIpc(handlers: IpcHandlers, warn: (message: string) => void): void {
  for (const channel of INVOKE_CHANNELS) {
    const handler = handlers[channel] as (...args: unknown[]) => unknown;
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      const sender = senderOf(event.senderFrame);
      if (!isTrustedSender(sender)) {
        warn(`refused IPC ${channel} from ${sender?.url.slice(0, 200) ?? 'a closed frame'}`);
        throw new Error(`tailwatch: ${channel} is only for the app's own page`);
      }
      return handler(...args);
    });
  }
}

export function sendEvent<C extends EventChannel>(contents: WebContents | null | undefined, channel: C, payload: DesktopEventMap[C]): void {
  if (contents && !contents.isDestroyed()) contents.send(channel, payload);
}
