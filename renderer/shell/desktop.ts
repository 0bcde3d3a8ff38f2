// Desktop-only features: present when the desktop app's preload exposed `window.tailwatch`, hidden in
// a plain browser. Only what the dashboard calls is typed here; the preload owns the full surface.

export interface DesktopBridge {
  /** Native dialogs; the chosen folders or files become sources (they arrive as `source` events). */
  addFolders(): Promise<unknown>;
  addFiles(): Promise<unknown>;
}

export function desktopBridge(): DesktopBridge | null {
  const candidate = (globalThis as { tailwatch?: Partial<DesktopBridge> }).tailwatch;
  if (typeof candidate?.addFolders !== 'function' || typeof candidate.addFiles !== 'function') return null;
  return candidate as DesktopBridge;
}

/** Shows the desktop-only controls and wires them; in a browser they stay hidden. */
export function showDesktopActions(bridge: DesktopBridge, actions: HTMLElement, addFolder: HTMLButtonElement, addFile: HTMLButtonElement): void {
  actions.hidden = false;
  const run = (call: () => Promise<unknown>) => () => {
    call().catch((error: unknown) => console.error(`tailwatch: ${(error as Error).message}`));
  };
  addFolder.addEventListener('click', run(() => bridge.addFolders()));
  addFile.addEventListener('click', run(() => bridge.addFiles()));
}
