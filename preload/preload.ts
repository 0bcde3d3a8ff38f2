// The desktop window's preload (sandboxed, bundled to one CommonJS file): exposes `window.tailwatch`, one
// method per IPC channel of protocol/desktop-ipc.ts. The page never gets ipcRenderer, nor an IPC event
// object (listeners are called with the payload alone), nor any way to name a channel outside the map.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  EVENT_CHANNELS,
  type DesktopEventMap,
  type EventChannel,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
  type TailwatchBridge,
} from '../protocol/desktop-ipc';

/** A drop of more files than this is cut (each becomes a source; the main process caps the total anyway). */
const MAX_DROPPED_FILES = 100;

function invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<C>> {
  return ipcRenderer.invoke(channel, ...args) as Promise<InvokeResult<C>>;
}

/** Paths of dropped File objects; anything else the page passes is ignored. */
function droppedPaths(files: ArrayLike<unknown>): string[] {
  const paths: string[] = [];
  const count = Math.min(typeof files?.length === 'number' ? files.length : 0, MAX_DROPPED_FILES);
  for (let i = 0; i < count; i++) {
    const file = files[i];
    if (!(file instanceof File)) continue;
    const path = webUtils.getPathForFile(file);
    if (path) paths.push(path);
  }
  return paths;
}

const isEventChannel = (channel: unknown): channel is EventChannel => (EVENT_CHANNELS as readonly unknown[]).includes(channel);

const bridge: TailwatchBridge = {
  apiVersion: 1,
  serverInfo: () => invoke('tailwatch:server-info'),
  pickFolders: () => invoke('tailwatch:pick-sources', 'folders'),
  pickFiles: () => invoke('tailwatch:pick-sources', 'files'),
  addDropped: (files) => invoke('tailwatch:add-paths', droppedPaths(files)),
  listSources: () => invoke('tailwatch:list-sources'),
  removeSource: (id) => invoke('tailwatch:remove-source', String(id)),
  revealFile: (sourceId) => invoke('tailwatch:reveal-file', String(sourceId)),
  getShare: () => invoke('tailwatch:get-share'),
  setShare: (request) => invoke('tailwatch:set-share', request),
  revokeShare: () => invoke('tailwatch:revoke-share'),
  getAlerts: () => invoke('tailwatch:get-alerts'),
  setAlerts: (rules) => invoke('tailwatch:set-alerts', rules),
  getPreferences: () => invoke('tailwatch:get-preferences'),
  setPreferences: (change) => invoke('tailwatch:set-preferences', change),
  getHosts: () => invoke('tailwatch:get-hosts'),
  setHosts: (hosts) => invoke('tailwatch:set-hosts', hosts),
  notify: (notification) => invoke('tailwatch:notify', notification),
  takeNotices: () => invoke('tailwatch:take-notices'),
  on<C extends EventChannel>(channel: C, listener: (payload: DesktopEventMap[C]) => void): () => void {
    if (!isEventChannel(channel)) throw new Error(`tailwatch: no such event: ${String(channel).slice(0, 60)}`);
    if (typeof listener !== 'function') throw new Error('tailwatch: the listener must be a function');
    const relay = (_event: unknown, payload: DesktopEventMap[C]) => listener(payload);
    ipcRenderer.on(channel, relay);
    return () => void ipcRenderer.removeListener(channel, relay);
  },
};

contextBridge.exposeInMainWorld('tailwatch', Object.freeze(bridge));
