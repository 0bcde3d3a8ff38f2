// What the dashboard does only in the desktop window: the top bar's Add folder / Add file / Alerts / Share
// buttons, dropping files on the window, the added folders in the sidebar, and the commands the app's menu
// and notifications send (share, alerts, theme, jump to a line), and what the app tells the user on its own
// (folders added from the menu, settings it cannot save…). Wired once, from app.ts.
import type { AddPathsResult, AlertJump, DesktopNotice } from '../../protocol/desktop-ipc';
import { pageElement } from '../services/page-element';
import type { SourceDirectory } from '../services/source-directory';
import type { Notify } from '../services/toast';
import { AlertsDialog } from './alerts-dialog';
import { bridgeErrorMessage, type TailwatchBridge } from './bridge';
import { DesktopSources } from './desktop-sources';
import { followDroppedFiles } from './drop-target';
import { NoticeQueue } from './notice-queue';
import { ShareDialog } from './share-dialog';

interface DesktopWindowDeps {
  notify: Notify;
  sources: SourceDirectory;
  toggleTheme(): void;
  /** Shows the moment (and line) a notification was about. */
  jump(jump: AlertJump): void;
}

export interface DesktopWindow {
  /** Shows a source's file in the system's file manager. */
  reveal(sourceId: string): void;
}

export function installDesktopWindow(bridge: TailwatchBridge, deps: DesktopWindowDeps): DesktopWindow {
  const { notify } = deps;
  const added = (result: AddPathsResult): void => {
    const said = describeAdded(result);
    if (said !== null) notify(said.message, said.tone);
  };
  const failed = (what: string) => (error: unknown) => notify(`${what}: ${bridgeErrorMessage(error)}`, 'bad');

  pageElement('desktop-actions', HTMLElement).hidden = false;
  pageElement('add-folder', HTMLButtonElement).addEventListener('click', () => bridge.pickFolders().then(added, failed('No folder was added')));
  pageElement('add-file', HTMLButtonElement).addEventListener('click', () => bridge.pickFiles().then(added, failed('No file was added')));
  followDroppedFiles({ add: (files) => bridge.addDropped(files), done: added, failed: failed('Nothing was added') });
  new DesktopSources(pageElement('desktop-sources', HTMLElement), bridge, (message) => notify(message, 'bad'));

  const alerts = new AlertsDialog(pageElement('alerts-dialog', HTMLDialogElement), bridge, deps.sources);
  const share = new ShareDialog(pageElement('share-dialog', HTMLDialogElement), bridge);
  pageElement('open-alerts', HTMLButtonElement).addEventListener('click', () => void alerts.open());
  pageElement('open-share', HTMLButtonElement).addEventListener('click', () => void share.open());

  bridge.on('tailwatch:command', (command) => {
    switch (command) {
      case 'alerts':
        void alerts.open();
        break;
      case 'share':
        void share.open();
        break;
      case 'toggle-theme':
        deps.toggleTheme();
        break;
    }
  });
  bridge.on('tailwatch:jump', (jump) => deps.jump(jump));

  const notices = new NoticeQueue();
  const showNotice = (notice: DesktopNotice) =>
    notices.push(() => (notice.kind === 'added' ? added(notice.result) : notify(notice.message, 'bad')));
  // Listening first, then asking for what came before: none is missed, none comes twice (main sends either way, not both).
  bridge.on('tailwatch:notice', showNotice);
  bridge.takeNotices().then((missed) => missed.forEach(showNotice), failed('Messages from the app were lost'));

  return {
    reveal: (sourceId) => {
      bridge.revealFile(sourceId).then((shown) => {
        if (!shown) notify(`${deps.sources.nameOf(sourceId)} cannot be shown: the app does not know where its file is`, 'bad');
      }, failed('The folder could not be shown'));
    },
  };
}

/** One line about folders or files the user added: how many, and why any were not; null when nothing happened (a cancelled dialog). */
function describeAdded(result: AddPathsResult): { message: string; tone: 'ok' | 'bad' } | null {
  const parts: string[] = [];
  if (result.added.length > 0) parts.push(`Following ${foldersAndFiles(result.added)}`);
  const [first, ...more] = result.rejected;
  if (first !== undefined) {
    const others = more.length > 0 ? ` (and ${more.length} more)` : '';
    parts.push(`not added: ${first.path}: ${first.reason}${others}`);
  }
  if (parts.length === 0) return null;
  const message = parts.join('; ');
  return { message: message[0]!.toUpperCase() + message.slice(1), tone: result.rejected.length > 0 ? 'bad' : 'ok' };
}

function foldersAndFiles(added: AddPathsResult['added']): string {
  const folders = added.filter((source) => source.kind === 'folder').length;
  const files = added.length - folders;
  const words: string[] = [];
  if (folders > 0) words.push(`${folders} ${folders === 1 ? 'folder' : 'folders'}`);
  if (files > 0) words.push(`${files} ${files === 1 ? 'file' : 'files'}`);
  return words.join(' and ');
}
