// The desktop app's IPC: every channel between the Electron main process and the dashboard window, with
// its arguments and answer, in one place that main/shell, preload and renderer import. The page never
// sees ipcRenderer or an event object: the preload turns each channel into one method of `TailwatchBridge`.
// Paths cross only from main to the page (to show them) or from a native dialog or a drop; the page
// names sources by id, as on the wire.

/** The local server the window talks to (127.0.0.1, this launch's token). */
export interface ServerInfo {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  token: string;
}

/** A folder or file the user added (a root: a folder yields many wire sources, one per file). */
export interface DesktopSource {
  /** Opaque, stable for this path. */
  id: string;
  kind: 'folder' | 'file';
  path: string;
}

export interface AddPathsResult {
  added: DesktopSource[];
  /** Paths not added, with why (not there, already added, not a file or folder…). */
  rejected: { path: string; reason: string }[];
}

/** An address the dashboard can be shared on. */
export interface ShareInterface {
  /** What the dialog shows: `eth0 — 192.168.1.20`, `All interfaces`. */
  label: string;
  address: string;
}

/** What the user asks of Share Dashboard. */
export interface ShareRequest {
  enabled: boolean;
  /** One of `ShareState.interfaces[].address`. */
  address: string;
  /** 0 = any free port. */
  port: number;
  tls: boolean;
  /** Keep sharing on across restarts (off: sharing ends with the app). */
  remember: boolean;
}

export interface ShareClient {
  address: string;
  /** ms since the epoch */
  since: number;
  transport: 'sse' | 'ws' | 'poll';
}

export interface ShareState extends ShareRequest {
  interfaces: ShareInterface[];
  /** The URL with its token while sharing, else null. */
  url: string | null;
  /** A QR code of `url` as a `data:image/svg+xml` URL (img-src allows data:), else null. */
  qrDataUrl: string | null;
  /** SHA-256 fingerprint of the certificate (`AB:CD:…`) while sharing over TLS, else null. */
  fingerprint: string | null;
  clients: ShareClient[];
  /** Why sharing could not start (port in use…), else null. */
  error: string | null;
}

export type AlertMetric = 'cpu' | 'memory' | 'load' | 'disk';

interface AlertRuleBase {
  /** Opaque, unique among the rules. */
  id: string;
  name: string;
  enabled: boolean;
  /** No second notification for this rule within this many seconds. */
  cooldownSeconds: number;
}

/** Fires on a log line that matches `pattern` (a JavaScript regular expression). */
export interface LineAlertRule extends AlertRuleBase {
  kind: 'line';
  pattern: string;
  /** Regular expression flags: any of `i`, `s`, `u`. */
  flags: string;
  /** Wire source ids; empty = every source. */
  sources: string[];
}

/**
 * Fires when a metric stays above `above` for `forSeconds`: cpu and memory and disk (the fullest file
 * system) in percent, load as the 1-minute load average.
 */
export interface MetricAlertRule extends AlertRuleBase {
  kind: 'metric';
  metric: AlertMetric;
  above: number;
  forSeconds: number;
}

export type AlertRule = LineAlertRule | MetricAlertRule;

/** Where a clicked notification leads. */
export interface AlertJump {
  ruleId: string;
  /** The wire source id and line of a line alert; absent for a metric alert. */
  source?: string;
  seq?: number;
  /** ms since the epoch: the line's time, or when the metric crossed. */
  ts: number;
}

export interface DesktopPreferences {
  openAtLogin: boolean;
  /** Closing the window hides it: the app, its alerts and Share Dashboard keep running (tray) until Quit. */
  closeToTray: boolean;
}

/** Many hosts: the Redis the app's server reads (as `serve --redis`), kept in its settings. */
export interface DesktopHosts {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`; null: this machine only. */
  redis: string | null;
  /** The CA certificate (PEM file, absolute path) of a `rediss://` server; null: the system's CAs. */
  redisCa: string | null;
}

/** The hosts setting as the page sees it: never a password. */
export interface DesktopHostsView {
  /** The stored URL without its password (sending it back unchanged keeps the stored password). */
  redis: string | null;
  redisCa: string | null;
  /** The URL this run reads, without its password (a change is used from the next start); null: none. */
  inUse: string | null;
  /** This run's --redis came from the command line, which is used rather than the setting. */
  fromCommandLine: boolean;
}

export interface NotificationRequest {
  title: string;
  body: string;
}

/**
 * What the app did or could not do on its own, not in answer to the page: the page shows it as a toast.
 * `added`: folders or files added from the menu, the tray or a second launch. `problem`: settings that are
 * not saved, an alert rule paused, a remembered folder that cannot be followed, and the like.
 */
export type DesktopNotice = { kind: 'added'; result: AddPathsResult } | { kind: 'problem'; message: string };

/** Commands from the application menu (and tray) that the dashboard carries out. */
export type DesktopCommand = 'share' | 'alerts' | 'toggle-theme';

/** Page → main, answered: channel → arguments and answer. */
export interface DesktopInvokeMap {
  'tailwatch:server-info': { args: []; result: ServerInfo };
  'tailwatch:pick-sources': { args: [kind: 'folders' | 'files']; result: AddPathsResult };
  /** Paths of dropped files and folders (the preload reads them from the File objects). */
  'tailwatch:add-paths': { args: [paths: string[]]; result: AddPathsResult };
  'tailwatch:list-sources': { args: []; result: DesktopSource[] };
  'tailwatch:remove-source': { args: [id: string]; result: DesktopSource[] };
  /** Shows the file of a wire source in the system's file manager; false when it is not known. */
  'tailwatch:reveal-file': { args: [sourceId: string]; result: boolean };
  'tailwatch:get-share': { args: []; result: ShareState };
  'tailwatch:set-share': { args: [request: ShareRequest]; result: ShareState };
  /** New token, every shared connection dropped. */
  'tailwatch:revoke-share': { args: []; result: ShareState };
  'tailwatch:get-alerts': { args: []; result: AlertRule[] };
  /** Replaces every rule; answers the rules as stored (invalid ones are refused with an error). */
  'tailwatch:set-alerts': { args: [rules: AlertRule[]]; result: AlertRule[] };
  'tailwatch:get-preferences': { args: []; result: DesktopPreferences };
  /** Changes the preferences named (at least one); answers them all, as they now are. */
  'tailwatch:set-preferences': { args: [change: Partial<DesktopPreferences>]; result: DesktopPreferences };
  'tailwatch:get-hosts': { args: []; result: DesktopHostsView };
  /** Stores the Redis URL and CA file (used from the next start); refused with an error when one is not usable. */
  'tailwatch:set-hosts': { args: [hosts: DesktopHosts]; result: DesktopHostsView };
  'tailwatch:notify': { args: [notification: NotificationRequest]; result: void };
  /** The notices the page missed (from before it loaded); from this call on, each comes as `tailwatch:notice`. */
  'tailwatch:take-notices': { args: []; result: DesktopNotice[] };
}

/** Main → page: channel → payload. */
export interface DesktopEventMap {
  'tailwatch:command': DesktopCommand;
  'tailwatch:jump': AlertJump;
  'tailwatch:share-changed': ShareState;
  'tailwatch:sources-changed': DesktopSource[];
  'tailwatch:notice': DesktopNotice;
}

export type InvokeChannel = keyof DesktopInvokeMap;
export type EventChannel = keyof DesktopEventMap;
export type InvokeArgs<C extends InvokeChannel> = DesktopInvokeMap[C]['args'];
export type InvokeResult<C extends InvokeChannel> = DesktopInvokeMap[C]['result'];

/** Every invoke channel, for the main process to register and the tests to check (kept in step by the type). */
export const INVOKE_CHANNELS = [
  'tailwatch:server-info',
  'tailwatch:pick-sources',
  'tailwatch:add-paths',
  'tailwatch:list-sources',
  'tailwatch:remove-source',
  'tailwatch:reveal-file',
  'tailwatch:get-share',
  'tailwatch:set-share',
  'tailwatch:revoke-share',
  'tailwatch:get-alerts',
  'tailwatch:set-alerts',
  'tailwatch:get-preferences',
  'tailwatch:set-preferences',
  'tailwatch:get-hosts',
  'tailwatch:set-hosts',
  'tailwatch:notify',
  'tailwatch:take-notices',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = [
  'tailwatch:command',
  'tailwatch:jump',
  'tailwatch:share-changed',
  'tailwatch:sources-changed',
  'tailwatch:notice',
] as const satisfies readonly EventChannel[];

/** `window.tailwatch` in the desktop window: what the preload exposes, nothing more. */
export interface TailwatchBridge {
  /** Bumped when a method changes meaning. */
  readonly apiVersion: 1;
  serverInfo(): Promise<ServerInfo>;
  pickFolders(): Promise<AddPathsResult>;
  pickFiles(): Promise<AddPathsResult>;
  /** Files from a drop event (`DataTransfer.files`); folders come as File objects too. */
  addDropped(files: ArrayLike<unknown>): Promise<AddPathsResult>;
  listSources(): Promise<DesktopSource[]>;
  removeSource(id: string): Promise<DesktopSource[]>;
  revealFile(sourceId: string): Promise<boolean>;
  getShare(): Promise<ShareState>;
  setShare(request: ShareRequest): Promise<ShareState>;
  revokeShare(): Promise<ShareState>;
  getAlerts(): Promise<AlertRule[]>;
  setAlerts(rules: AlertRule[]): Promise<AlertRule[]>;
  getPreferences(): Promise<DesktopPreferences>;
  setPreferences(change: Partial<DesktopPreferences>): Promise<DesktopPreferences>;
  getHosts(): Promise<DesktopHostsView>;
  setHosts(hosts: DesktopHosts): Promise<DesktopHostsView>;
  notify(notification: NotificationRequest): Promise<void>;
  /** Notices from before the page listened; call once, after listening to `tailwatch:notice`. */
  takeNotices(): Promise<DesktopNotice[]>;
  /** Listens to one main → page event with its payload only; returns the function that stops listening. */
  on<C extends EventChannel>(channel: C, listener: (payload: DesktopEventMap[C]) => void): () => void;
}
