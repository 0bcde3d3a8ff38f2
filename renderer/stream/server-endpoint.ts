// Where the dashboard's server is and how a request proves it may ask. In a browser the page comes from
// the server itself: same origin, and the cookie set by the token link authorises. In the desktop window
// the page comes from app:// and the server is another origin: its token travels in each URL instead.
// No DOM here: the log worker and the Node unit tests use it too.
import type { ServerEndpoint } from '../worker-channel/worker-protocol';

/** The server the page at `pageUrl` was loaded from. */
export function sameOriginEndpoint(pageUrl: string): ServerEndpoint {
  return { base: new URL('/', pageUrl).href, token: null };
}

/** `path` (absolute, `/api/…`) on the server, with `query` and the token. */
export function apiUrl(server: ServerEndpoint, path: string, query: string = ''): URL {
  const url = new URL(path, server.base);
  url.search = query;
  if (server.token !== null) url.searchParams.set('token', server.token);
  return url;
}

/** The same, as a ws: or wss: URL. */
export function webSocketUrl(server: ServerEndpoint, path: string): URL {
  const url = apiUrl(server, path);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

/**
 * The cookie is the proof only on the page's own origin; with the token in the URL, a cross-origin request
 * sends no cookie at all (and the server then needs no Access-Control-Allow-Credentials).
 */
export function requestCredentials(server: ServerEndpoint): 'same-origin' | 'omit' {
  return server.token === null ? 'same-origin' : 'omit';
}
