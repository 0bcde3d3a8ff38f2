// The window's security checklist (Electron's security tutorial, item by item) as pure decisions: which
// pages it may show, which links leave for the browser, which permissions and IPC senders are trusted.
import type { WebPreferences } from 'electron';
import { APP_ORIGIN } from './app-csp';

const APP = new URL(APP_ORIGIN);

/**
 * Isolation, sandbox, no Node in any page, frame or worker, no <webview>, web security on, no
 * experimental features, and a file dropped on the window is handed to the page rather than opened in
 * its place. The shell adds the preload path.
 */
export const WINDOW_WEB_PREFERENCES: Readonly<WebPreferences> = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
});

/** Checklist: limit navigation. Only the app's own pages (a reload); every other URL is blocked. */
export function mayNavigate(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Checklist: do not use openExternal with untrusted content. A link leaves for the system browser only
 * when it is http or https without user:password (which could pass a local URL off as another);
 * everything else — file:, javascript:, data:, app:, any custom scheme that would start another program,
 * a malformed URL — is denied (null). The answer is the URL as parsed and serialised, never the raw text.
 */
export function externalOpenTarget(url: string): string | null {
  const parsed = URL.parse(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}

/**
 * Checklist: handle permission requests. Every permission is denied except two, and those only to the app's
 * own page, because the dashboard cannot work without them in Electron:
 *  - `clipboard-sanitized-write`: Electron (unlike Chrome) gates `navigator.clipboard.writeText` behind it;
 *    the Copy buttons need it. Reading the clipboard stays denied.
 *  - `loopback-network`: Local Network Access (Chromium 142 on) may gate a request from a non-http page to
 *    127.0.0.1, where the window's one server is. The CSP's connect-src already limits it to that server.
 * Notifications are denied too: the page asks through IPC (`tailwatch:notify`) and the main process shows
 * them. `requesting` is the request handler's URL or the check handler's origin.
 */
export function mayGrantPermission(permission: string, requesting: string): boolean {
  return (permission === 'clipboard-sanitized-write' || permission === 'loopback-network') && isAppUrl(requesting);
}

/**
 * Checklist: validate the sender of every IPC message. The main frame of the app's own page only (not a
 * subframe, not a page the window was somehow navigated to); null is a frame that has gone.
 */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null): boolean {
  return frame !== null && frame.isMainFrame && isAppUrl(frame.url);
}

/**
 * app://tailwatch exactly: no credentials, no port, no other host. Compared by parts, not by `URL.origin`,
 * which Node reports as "null" for a scheme it does not know to be standard, as app: is not to Node.
 */
function isAppUrl(url: string): boolean {
  const parsed = URL.parse(url);
  return parsed !== null && parsed.protocol === APP.protocol && parsed.host === APP.host && parsed.username === '' && parsed.password === '';
}
