// What each IPC channel does, Electron-free: the shell registers these behind its sender check. Every
// argument comes from the page and is checked here, whatever the preload's types say.
import type { AlertRule, DesktopHosts, DesktopHostsView, DesktopPreferences, InvokeChannel, InvokeResult, NotificationRequest, ServerInfo } from '../../protocol/desktop-ipc';
import type { DesktopSources } from './desktop-sources';
import type { PageNotices } from './page-notices';
import type { ShareController } from './share-controller';
import { validateAlertRules } from './settings-file';
import { checkHosts, checkPreferenceChange } from './settings-schema';

/** One handler per channel: a channel without one does not compile. */
export type IpcHandlers = { [C in InvokeChannel]: (...args: unknown[]) => InvokeResult<C> | Promise<InvokeResult<C>> };

/** Longer notification texts are cut (the system would cut them anyway, after carrying them across). */
const MAX_TITLE_CHARS = 200;
const MAX_BODY_CHARS = 1000;

export interface IpcDependencies {
  serverInfo(): ServerInfo;
  /** The native open dialog: the chosen paths, empty when cancelled. */
  pickPaths(kind: 'folders' | 'files'): Promise<string[]>;
  sources: DesktopSources;
  /** The file of a wire source id, or null when no source has it. */
  pathOfWireSource(sourceId: string): string | null;
  revealPath(path: string): void;
  share: ShareController;
  alerts: { get(): AlertRule[]; set(rules: AlertRule[]): void };
  preferences: { get(): DesktopPreferences; set(change: Partial<DesktopPreferences>): Promise<DesktopPreferences> };
  /** Many hosts: `stored` is the setting as kept (password included), never sent to the page. */
  hosts: { stored(): DesktopHosts; view(): DesktopHostsView; set(hosts: DesktopHosts): Promise<DesktopHostsView> };
  notify(notification: NotificationRequest): void;
  notices: PageNotices;
}

export class IpcArgumentError extends Error {
  constructor(channel: InvokeChannel, what: string) {
    super(`tailwatch: ${channel}: ${what}`);
    this.name = 'IpcArgumentError';
  }
}

export function ipcHandlers(deps: IpcDependencies): IpcHandlers {
  return {
    'tailwatch:server-info': () => deps.serverInfo(),
    'tailwatch:pick-sources': async (kind) => {
      if (kind !== 'folders' && kind !== 'files') throw new IpcArgumentError('tailwatch:pick-sources', 'kind must be "folders" or "files"');
      return deps.sources.addPaths(await deps.pickPaths(kind));
    },
    'tailwatch:add-paths': (paths) => deps.sources.addPaths(paths),
    'tailwatch:list-sources': () => deps.sources.list(),
    'tailwatch:remove-source': (id) => deps.sources.remove(id),
    'tailwatch:reveal-file': (sourceId) => {
      if (typeof sourceId !== 'string') throw new IpcArgumentError('tailwatch:reveal-file', 'the source id must be a string');
      const path = deps.pathOfWireSource(sourceId);
      if (path === null) return false;
      deps.revealPath(path);
      return true;
    },
    'tailwatch:get-share': () => deps.share.state(),
    'tailwatch:set-share': (request) => deps.share.set(request),
    'tailwatch:revoke-share': () => deps.share.revoke(),
    'tailwatch:get-alerts': () => deps.alerts.get(),
    'tailwatch:set-alerts': (input) => {
      const { rules, errors } = validateAlertRules(input);
      if (errors.length > 0) throw new IpcArgumentError('tailwatch:set-alerts', errors.join('; '));
      deps.alerts.set(rules);
      return deps.alerts.get();
    },
    'tailwatch:get-preferences': () => deps.preferences.get(),
    'tailwatch:set-preferences': (input) => {
      const change = checkPreferenceChange(input);
      if (typeof change === 'string') throw new IpcArgumentError('tailwatch:set-preferences', change);
      return deps.preferences.set(change);
    },
    'tailwatch:get-hosts': () => deps.hosts.view(),
    'tailwatch:set-hosts': (input) => {
      const hosts = checkHosts(input, deps.hosts.stored());
      if (typeof hosts === 'string') throw new IpcArgumentError('tailwatch:set-hosts', hosts);
      return deps.hosts.set(hosts);
    },
    'tailwatch:notify': (input) => {
      const { title, body } = (input ?? {}) as Partial<NotificationRequest>;
      if (typeof title !== 'string' || typeof body !== 'string') throw new IpcArgumentError('tailwatch:notify', 'title and body must be strings');
      deps.notify({ title: title.slice(0, MAX_TITLE_CHARS), body: body.slice(0, MAX_BODY_CHARS) });
    },
    'tailwatch:take-notices': () => deps.notices.take(),
  };
}
