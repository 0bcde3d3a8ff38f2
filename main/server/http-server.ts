// The HTTP(S) server: security headers on every answer, the Host/Origin/token checks, CORS for allowed
// origins, routing to the API, the streams and the dashboard, and the WebSocket upgrade. It knows the hub
// only through ServerContext.
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ClientMessageError } from '../../protocol/client-messages';
import { isLoopbackAddress, type AccessDenied } from './access';
import { answerCors } from './cors';
import { SseClient, acceptsGzip } from './sse';
import { WsClient, createWsServer } from './ws';
import { handlePoll, parseWait } from './poll';
import { MetricsQueryError, parseHistoryQuery, sendPrometheus } from './metrics-routes';
import { parseLinesQuery, sendLines } from './lines-route';
import { parseSearchRequest, streamSearch } from './search-route';
import { DISK_READS_AT_ONCE, DiskReadSlots } from './disk-read-slots';
import { parseStreamQuery } from './stream-query';
import { serveStatic, tokenPage, TOKEN_PAGE_STYLE_HASH } from './static-files';
import type { ServerContext } from './server-context';

/** The routes that hold a stream open or wait, with the type they answer. */
const STREAM_ROUTES = new Map([
  ['/api/events', 'text/event-stream; charset=utf-8'],
  ['/api/poll', 'application/json; charset=utf-8'],
]);

/**
 * The request target as a URL on this server, or null when it is not a path. Origin-form (`/p?q`) is read
 * as a path even when it starts with `//` (which `new URL(target, base)` would take for another host);
 * absolute-form (`http://host/p`, RFC 9112 §3.2.2) keeps only its path and query.
 */
export function requestUrl(target: string | undefined): URL | null {
  try {
    if (target === undefined || target === '') return new URL('http://localhost/');
    if (target.startsWith('/')) return new URL(`http://localhost${target}`);
    const absolute = new URL(target);
    if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') return null;
    return new URL(`http://localhost${absolute.pathname}${absolute.search}`);
  } catch {
    return null;
  }
}

/** A redirect to `url`'s path on this server: never `//host/…` or `/\\host`, which browsers take for another site. */
export function sameSiteLocation(url: URL): string {
  return '/' + url.pathname.replace(/^[/\\]+/, '') + url.search;
}

const CSP = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  `style-src 'self' ${TOKEN_PAGE_STYLE_HASH}`,
  "script-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  // The token may be in a URL: never send it on in a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A certificate and its private key, PEM. */
export interface TlsCredentials {
  key: string;
  cert: string;
}

export interface TailwatchServerOptions {
  /** Serve HTTPS (and wss:) with these; the token cookie is then `Secure`. */
  tls?: TlsCredentials;
}

export interface TailwatchServer {
  /** An https.Server when serving TLS: it has the http.Server API this module uses. */
  readonly server: Server;
  /** Ends every stream and destroys every socket of this server, which goes on listening. */
  dropConnections(reason: string): void;
  /** Ends every stream and stops listening. */
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function deny(res: ServerResponse, d: AccessDenied): void {
  sendJson(res, d.status, { error: d.message, code: d.code });
}

export function createTailwatchServer(ctx: ServerContext, options: TailwatchServerOptions = {}): TailwatchServer {
  const wss = createWsServer();
  const diskReads = new DiskReadSlots();
  const timeouts = { requestTimeout: 60_000, headersTimeout: 20_000 };
  const secure = options.tls !== undefined;
  // node:https's Server is a tls.Server given http.Server's request handling and methods; its types do not say so.
  const server: Server = options.tls
    ? (createTlsServer({ ...timeouts, key: options.tls.key, cert: options.tls.cert }) as unknown as Server)
    : createServer(timeouts);

  server.on('request', (req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    // The answer depends on Origin (403, or CORS headers for an allowed one): caches must key on it.
    res.setHeader('Vary', 'Origin');
    handle(req, res).catch((err: unknown) => {
      if ((err instanceof ClientMessageError || err instanceof MetricsQueryError) && !res.headersSent) {
        return sendJson(res, 400, { error: err.message, code: err.code });
      }
      if (!res.headersSent) sendJson(res, 500, { error: `internal error: ${(err as Error).message}`, code: 'internal' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req.url);
    if (url === null) return sendJson(res, 400, { error: 'the request target is not a path', code: 'bad-request' });
    const hostDenied = ctx.access.checkHost(req);
    if (hostDenied) return deny(res, hostDenied);
    const originDenied = ctx.access.checkOrigin(req);
    if (originDenied) return deny(res, originDenied);
    const crossOrigin = ctx.access.allowedCrossOrigin(req);
    if (crossOrigin !== null && answerCors(req, res, crossOrigin)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(res, 405, { error: `method ${req.method} not allowed`, code: 'bad-method' });
    }
    const path = url.pathname;
    if (path === '/api/health') {
      return sendJson(res, 200, { status: 'ok', version: ctx.version, epoch: ctx.hub.epoch });
    }

    const auth = ctx.access.checkToken(req, url);
    const isPage = !path.startsWith('/api/') && path !== '/metrics';
    if (!('ok' in auth)) {
      if (isPage && path === '/') {
        res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        return void res.end(tokenPage(auth.code === 'bad-token'));
      }
      return deny(res, auth);
    }
    // A browser that came with the token gets a session cookie instead; a cross-origin caller (the desktop
    // window) sends its token every time and keeps no cookie.
    if ((auth.source === 'query' && crossOrigin === null) || auth.renewSession) res.setHeader('Set-Cookie', ctx.access.sessionCookie(secure));
    if (auth.source === 'query' && isPage && crossOrigin === null) {
      // Take the token out of the address bar (and history) once the cookie carries it.
      url.searchParams.delete('token');
      res.writeHead(303, { Location: sameSiteLocation(url) });
      return void res.end();
    }
    if (req.method === 'HEAD' && STREAM_ROUTES.has(path)) {
      // Headers only: a HEAD opens no stream and waits for nothing.
      res.writeHead(200, { 'Content-Type': STREAM_ROUTES.get(path)!, 'Cache-Control': 'no-store' });
      return void res.end();
    }

    switch (path) {
      case '/api/sources':
        return sendJson(res, 200, ctx.sources());
      case '/api/events':
        return openEvents(req, res, url);
      case '/api/poll': {
        const query = parseStreamQuery(url, req, ctx.options.backfill);
        const waitS = parseWait(url);
        const remote = req.socket.remoteAddress ?? '';
        const release = ctx.perAddress.acquire(remote);
        if (release === null) return tooManyClients(res, remote);
        res.once('close', release);
        res.once('close', ctx.pollers.begin(remote));
        return handlePoll(req, res, ctx, query, waitS);
      }
      case '/api/ws':
        return sendJson(res, 426, { error: 'this route is for WebSocket upgrades', code: 'upgrade-required' });
      case '/api/search': {
        const request = parseSearchRequest(url);
        return withDiskSlot(res, () => streamSearch(req, res, ctx.search, request));
      }
      case '/api/lines': {
        const query = parseLinesQuery(url);
        return withDiskSlot(res, () => sendLines(res, ctx.lines, query, sendJson));
      }
      case '/api/metrics/history': {
        const query = parseHistoryQuery(url);
        return sendJson(res, 200, ctx.metrics.history.query(query.seconds, query.step));
      }
      case '/metrics':
        return sendPrometheus(res, ctx);
    }
    if (isPage && (await serveStatic(ctx.staticDir, path, res, req.method === 'HEAD'))) return;
    if (path === '/') {
      return sendJson(res, 500, { error: `the dashboard is not built (no ${ctx.staticDir}): run npm run build`, code: 'not-built' });
    }
    sendJson(res, 404, { error: `no route ${path}`, code: 'not-found' });
  }

  function openEvents(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const query = parseStreamQuery(url, req, ctx.options.backfill);
    const remote = req.socket.remoteAddress ?? '';
    const release = ctx.perAddress.acquire(remote);
    if (release === null) return tooManyClients(res, remote);
    res.once('close', release);
    const mode = ctx.options.gzip;
    const compress = acceptsGzip(req) && (mode === 'on' || (mode === 'auto' && !isLoopbackAddress(remote)));
    const sub = ctx.subscribe(query.topics, query.sources);
    sub.start({ since: query.since, backfill: query.backfill }, ctx.hello());
    const client = new SseClient(res, sub, ctx.stats, { remoteAddress: remote, compress, heartbeatMs: ctx.options.heartbeatMs, retryMs: ctx.options.retryMs });
    track(client);
  }

  /** Runs a read of the files on disk in one of the server's slots, or answers 429 when none is free. */
  async function withDiskSlot(res: ServerResponse, read: () => Promise<void>): Promise<void> {
    const release = diskReads.take();
    if (release === null) {
      res.setHeader('Retry-After', '1');
      return sendJson(res, 429, { error: `${DISK_READS_AT_ONCE} reads of the files on disk are running; try again in a second`, code: 'too-many-reads' });
    }
    res.once('close', release);
    try {
      await read();
    } finally {
      release();
    }
  }

  function tooManyClients(res: ServerResponse, remote: string): void {
    res.setHeader('Retry-After', '10');
    sendJson(res, 429, ctx.perAddress.refusal(remote));
  }

  function track(client: SseClient | WsClient): void {
    ctx.clients.add(client);
    const stop = ctx.hub.onEvents(() => client.pump());
    client.onClose(() => {
      stop();
      ctx.clients.delete(client);
    });
    client.pump();
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, body: object) => {
      const text = JSON.stringify(body);
      const headers = Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    };
    const url = requestUrl(req.url);
    if (url === null) return refuse(400, { error: 'the request target is not a path', code: 'bad-request' });
    if (url.pathname !== '/api/ws') return refuse(404, { error: `no WebSocket at ${url.pathname.slice(0, 200)}`, code: 'not-found' });
    const denied = ctx.access.checkHost(req) ?? ctx.access.checkOrigin(req);
    if (denied) return refuse(denied.status, { error: denied.message, code: denied.code });
    const auth = ctx.access.checkToken(req, url);
    if (!('ok' in auth)) return refuse(auth.status, { error: auth.message, code: auth.code });
    const remote = req.socket.remoteAddress ?? '';
    const release = ctx.perAddress.acquire(remote);
    if (release === null) return refuse(429, ctx.perAddress.refusal(remote));
    // The socket closes with the WebSocket, or at once when the upgrade itself fails (ws answers 400 then).
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = new WsClient(ws, socket as Socket, ctx, remote);
      track(client);
    });
  });

  // A malformed request from a client ends its socket with a plain answer, never the process.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Only between requests: a raw answer in the middle of another response would corrupt it.
    if (socket.writable && !(socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });

  const sweep = setInterval(() => {
    const now = Date.now();
    // A client leaves ctx.clients as it closes (see track), so every one here is open.
    for (const client of ctx.clients) {
      client.checkStalled(now, ctx.options.clientStallMs);
      if (client instanceof WsClient) client.checkAlive(now);
    }
  }, ctx.options.sweepIntervalMs);
  sweep.unref();

  return {
    server,
    dropConnections: (reason) => {
      for (const client of [...ctx.clients]) client.close(reason);
      // Long-polls and idle keep-alive sockets too: nothing opened before this call goes on.
      server.closeAllConnections();
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweep);
        for (const client of ctx.clients) client.close('shutdown');
        ctx.clients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
