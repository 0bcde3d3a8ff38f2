// The desktop window, emulated in a plain browser for the e2e tests: the renderer bundle served from a second
// 127.0.0.1 origin (it plays app://tailwatch) with the window's own Content-Security-Policy, and a fake
// `window.tailwatch` that answers like the preload: the real server's URL and token, canned answers to the
// rest, every call recorded, and the main → page events fired when the test says.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { appContentSecurityPolicy } from '../../main/desktop/app-csp';
import type { DesktopEventMap, DesktopNotice, EventChannel, ServerInfo, TailwatchBridge } from '../../protocol/desktop-ipc';
import { PAGE_TIMEOUT_MS, inPage } from './dashboard-browser';

const RENDERER = fileURLToPath(new URL('../../dist/renderer', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

export interface AppOrigin {
  /** `http://127.0.0.1:PORT`: what the server's allowOrigin must list. */
  readonly origin: string;
  /** The server the window talks to: it names the only place the page's CSP lets it connect to. */
  useServer(url: string): void;
  close(): Promise<void>;
}

/** Serves dist/renderer as the app:// protocol handler does, under appContentSecurityPolicy(server). */
export async function serveAppOrigin(): Promise<AppOrigin> {
  let csp: string | null = null;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    const file = normalize(join(RENDERER, path === '/' ? 'index.html' : decodeURIComponent(path.slice(1))));
    const type = TYPES[extname(file)];
    if (csp === null || !file.startsWith(RENDERER + sep) || type === undefined) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': csp!, 'Cache-Control': 'no-store' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    useServer(url) {
      csp = appContentSecurityPolicy(url);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A method of the bridge, as the fake records its calls. */
export type BridgeMethod = Exclude<keyof TailwatchBridge, 'apiVersion' | 'on'>;

/**
 * The fake bridge, as page script (the tests are compiled without the DOM's types, and the page's CSP forbids
 * eval: an init script is the way in). `window.__bridge` is the test's handle: `calls`, `state`, `failures`
 * (method → the message its next call rejects with, wrapped as Electron and main/desktop/ipc-handlers.ts wrap it) and `emit`.
 */
function fakeBridgeScript(server: ServerInfo, missedNotices: DesktopNotice[]): string {
  return `(() => {
  const qr = 'data:image/svg+xml,' + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" shape-rendering="crispEdges"><path d="M0 0h7v7H0zM14 0h7v7h-7zM0 14h7v7H0zM9 9h3v3H9z"/></svg>');
  const state = {
    sources: [{ id: 'root-logs', kind: 'folder', path: '/home/me/projects/shop/logs' }],
    alerts: [],
    preferences: { openAtLogin: false, closeToTray: false },
    hosts: { redis: null, redisCa: null, inUse: null, fromCommandLine: false },
    notices: ${JSON.stringify(missedNotices)},
    share: {
      enabled: false, address: '0.0.0.0', port: 0, tls: false, remember: false,
      interfaces: [{ label: 'All interfaces', address: '0.0.0.0' }, { label: 'eth0 — 192.168.1.20', address: '192.168.1.20' }],
      url: null, qrDataUrl: null, fingerprint: null, clients: [], error: null,
    },
  };
  const listeners = new Map();
  const bridge = {
    calls: [],
    failures: {},
    state,
    qr,
    emit(channel, payload) {
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    },
  };
  const clone = (value) => JSON.parse(JSON.stringify(value));
  const call = (method, args, channel, answer) => {
    bridge.calls.push({ method, args: clone(args) });
    const failure = bridge.failures[method];
    if (failure !== undefined) {
      delete bridge.failures[method];
      return Promise.reject(new Error("Error invoking remote method '" + channel + "': IpcArgumentError: tailwatch: " + channel + ': ' + failure));
    }
    return Promise.resolve(clone(answer()));
  };
  // As the main process does: every change of the added folders is announced, whoever made it.
  const sourcesChanged = (result) => {
    setTimeout(() => bridge.emit('tailwatch:sources-changed', clone(state.sources)));
    return result;
  };
  const sharing = (request) => {
    if (!request.enabled) return { ...state.share, ...request, url: null, qrDataUrl: null, fingerprint: null, clients: [], error: null };
    const host = request.address === '0.0.0.0' ? '192.168.1.20' : request.address;
    const url = (request.tls ? 'https' : 'http') + '://' + host + ':' + (request.port || 51234) + '/?token=share-token-1';
    return { ...state.share, ...request, url, qrDataUrl: qr, fingerprint: request.tls ? 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89' : null, error: null };
  };
  window.__bridge = bridge;
  window.tailwatch = {
    apiVersion: 1,
    serverInfo: () => call('serverInfo', [], 'tailwatch:server-info', () => (${JSON.stringify(server)})),
    pickFolders: () => call('pickFolders', [], 'tailwatch:pick-sources', () => {
      const added = [{ id: 'root-picked', kind: 'folder', path: '/home/me/picked' }];
      state.sources.push(...added);
      return sourcesChanged({ added, rejected: [] });
    }),
    pickFiles: () => call('pickFiles', [], 'tailwatch:pick-sources', () => ({ added: [], rejected: [{ path: '/etc/shadow', reason: 'not readable' }] })),
    addDropped: (files) => call('addDropped', [Array.from(files, (file) => file.name)], 'tailwatch:add-paths', () => {
      const added = Array.from(files, (file, i) => ({ id: 'root-dropped-' + i, kind: 'file', path: '/home/me/dropped/' + file.name }));
      state.sources.push(...added);
      return sourcesChanged({ added, rejected: [{ path: '/home/me/dropped/core.bin', reason: 'not a text file' }] });
    }),
    listSources: () => call('listSources', [], 'tailwatch:list-sources', () => state.sources),
    removeSource: (id) => call('removeSource', [id], 'tailwatch:remove-source', () => sourcesChanged((state.sources = state.sources.filter((s) => s.id !== id)))),
    revealFile: (sourceId) => call('revealFile', [sourceId], 'tailwatch:reveal-file', () => true),
    getShare: () => call('getShare', [], 'tailwatch:get-share', () => state.share),
    setShare: (request) => call('setShare', [request], 'tailwatch:set-share', () => (state.share = sharing(request))),
    revokeShare: () => call('revokeShare', [], 'tailwatch:revoke-share', () => (state.share = { ...state.share, url: state.share.url && state.share.url.replace(/token=.*/, 'token=share-token-2'), clients: [] })),
    getAlerts: () => call('getAlerts', [], 'tailwatch:get-alerts', () => state.alerts),
    setAlerts: (rules) => call('setAlerts', [rules], 'tailwatch:set-alerts', () => (state.alerts = rules)),
    getPreferences: () => call('getPreferences', [], 'tailwatch:get-preferences', () => state.preferences),
    setPreferences: (change) => call('setPreferences', [change], 'tailwatch:set-preferences', () => (state.preferences = { ...state.preferences, ...change })),
    getHosts: () => call('getHosts', [], 'tailwatch:get-hosts', () => state.hosts),
    // As the main process answers: the URL without its password (the tests use none).
    setHosts: (hosts) => call('setHosts', [hosts], 'tailwatch:set-hosts', () => (state.hosts = { ...state.hosts, redis: hosts.redis.trim() || null, redisCa: hosts.redisCa.trim() || null })),
    notify: (notification) => call('notify', [notification], 'tailwatch:notify', () => undefined),
    takeNotices: () => call('takeNotices', [], 'tailwatch:take-notices', () => state.notices.splice(0)),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return () => listeners.get(channel).delete(listener);
    },
  };
})();`;
}

/** Every CSP violation the document reports (the worker's own are caught by the stream failing). */
const CSP_WATCH = `window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));`;

export interface DesktopWindow {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions, of the page and its log worker. */
  problems: string[];
  /** The URL of every request the page and its worker made, from the first. */
  requests: string[];
  /** Arguments of each call of `method` so far, in order. */
  calls(method: BridgeMethod): Promise<unknown[][]>;
  /** Fires a main → page event, as the preload would. */
  emit<C extends EventChannel>(channel: C, payload: DesktopEventMap[C]): Promise<void>;
  /** The next call of `method` is refused by the "main process" with `message`. */
  failNext(method: BridgeMethod, message: string): Promise<void>;
  cspViolations(): Promise<string[]>;
}

export interface DesktopWindowOptions {
  transport?: 'auto' | 'sse' | 'ws' | 'poll';
  viewport?: { width: number; height: number };
  /** What the main process had to say before the page loaded (`takeNotices` answers it once). */
  missedNotices?: DesktopNotice[];
}

/** Opens the dashboard as the desktop window shows it: from `app`, with the fake bridge naming `server`. */
export async function openDesktopWindow(
  browser: Browser,
  app: AppOrigin,
  server: ServerInfo,
  t: { after(fn: () => Promise<void>): void },
  options: DesktopWindowOptions = {},
): Promise<DesktopWindow> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 760 }, colorScheme: 'light' });
  t.after(() => context.close());
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  await context.addInitScript(fakeBridgeScript(server, options.missedNotices ?? []));
  await context.addInitScript(CSP_WATCH);
  if (options.transport) {
    const key = `tailwatch.settings@${app.origin}`;
    await context.addInitScript(`localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify({ transport: options.transport }))})`);
  }
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('worker', (worker) =>
    worker.on('console', (message) => {
      if (message.type() === 'error') problems.push(`worker: ${message.text()}`);
    }),
  );
  await page.goto(`${app.origin}/index.html`);
  return {
    page,
    context,
    problems,
    requests,
    calls: async (method) => {
      const calls = await inPage<{ method: string; args: unknown[] }[]>(page, 'window.__bridge.calls');
      return calls.filter((call) => call.method === method).map((call) => call.args);
    },
    emit: (channel, payload) => inPage<void>(page, `window.__bridge.emit(${JSON.stringify(channel)}, ${JSON.stringify(payload)})`),
    failNext: (method, message) => inPage<void>(page, `void (window.__bridge.failures[${JSON.stringify(method)}] = ${JSON.stringify(message)})`),
    cspViolations: () => inPage<string[]>(page, 'window.__cspViolations'),
  };
}
