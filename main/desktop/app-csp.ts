// The Content-Security-Policy of the desktop window's pages (served from app://): the page's own files, and
// the local server as the only place it may connect to. Electron-free, so the browser tests serve the same.

/** The window's origin: the renderer bundle, served by the app:// protocol handler. */
export const APP_ORIGIN = 'app://tailwatch';

/** `serverUrl` is the local server's `http://127.0.0.1:PORT/`: its http and ws forms are all the page may reach. */
export function appContentSecurityPolicy(serverUrl: string): string {
  const server = new URL(serverUrl);
  const ws = `${server.protocol === 'https:' ? 'wss' : 'ws'}://${server.host}`;
  return [
    "default-src 'self'",
    `connect-src ${server.origin} ${ws}`,
    "img-src 'self' data: blob:",
    "style-src 'self'",
    "script-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
