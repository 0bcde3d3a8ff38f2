// The desktop app's bridge (`window.tailwatch`, exposed by its preload): present in the desktop window, absent
// in a browser, where every desktop-only control stays hidden. Its contract is protocol/desktop-ipc.ts.
import type { ServerInfo, TailwatchBridge } from '../../protocol/desktop-ipc';
import type { ServerEndpoint } from '../worker-channel/worker-protocol';

export type { TailwatchBridge };

/** The bridge, if this page runs in the desktop window with a preload this page was built for. */
export function desktopBridge(): TailwatchBridge | null {
  const candidate = (globalThis as { tailwatch?: Partial<TailwatchBridge> }).tailwatch;
  return candidate?.apiVersion === 1 ? (candidate as TailwatchBridge) : null;
}

/** The local server, reached cross-origin from app:// with this launch's token. */
export function desktopEndpoint(info: ServerInfo): ServerEndpoint {
  return { base: new URL('/', info.url).href, token: info.token };
}

/**
 * What a refused call says, for the user. Electron wraps an error thrown in the main process as
 * "Error invoking remote method 'tailwatch:set-alerts': IpcArgumentError: tailwatch: tailwatch:set-alerts: …",
 * and the main process names its channel for its own log; only the last part is meant for people.
 */
export function bridgeErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?(?:tailwatch: tailwatch:[\w-]+: )?/, '');
}
