// The HTTP(S) server: security headers on every answer, the Host/Origin/token checks, CORS for allowed
// origins, routing to the API, the streams and the dashboard, and the WebSocket upgrade. It knows the hub
// only through ServerContext.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { ClientMessageError } from '../../protocol/client-messages';
import { isLoopbackAddress, type AccessDenied } from './access';
import { answerCors } from './cors';
import { SseClient, acceptsGzip } from './sse';
import { WsClient, createWsServer } from './ws';
import { handlePoll, parseWait } from './poll';
import { MetricsQueryError, parseHistoryQuery, sendPrometheus } from './metrics-routes';
import { parseStreamQuery } from './stream-query';
import { serveStatic, tokenPage, TOKEN_PAGE_STYLE_HASH } from './static-files';
import type { ServerContext } from './server-context';

/** How often stalled clients and dead WebSocket peers are looked for. */
const SWEEP_INTERVAL_MS = 1000;

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
    const url = new URL(req.url ?? '/', 'http://localhost');
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
    if (auth.source === 'query') {
      res.setHeader('Set-Cookie', ctx.access.cookieHeader(secure));
      if (isPage) {
        // Take the token out of the address bar (and history) once the cookie carries it.
        url.searchParams.delete('token');
        res.writeHead(303, { Location: url.pathname + url.search });
        return void res.end();
      }
    }

    switch (path) {
      case '/api/sources':
        return sendJson(res, 200, ctx.sources());
      case '/api/events':
        return openEvents(req, res, url);
      case '/api/poll': {
        const query = parseStreamQuery(url, req, ctx.config.backfill);
        const waitS = parseWait(url);
        res.once('close', ctx.pollers.begin(req.socket.remoteAddress ?? ''));
        return handlePoll(req, res, ctx, query, waitS);
      }
      case '/api/ws':
        return sendJson(res, 426, { error: 'this route is for WebSocket upgrades', code: 'upgrade-required' });
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
    const query = parseStreamQuery(url, req, ctx.config.backfill);
    const remote = req.socket.remoteAddress ?? '';
    const mode = ctx.config.gzip;
    const compress = acceptsGzip(req) && (mode === 'on' || (mode === 'auto' && !isLoopbackAddress(remote)));
    const sub = ctx.subscribe(query.topics, query.sources);
    sub.start({ since: query.since, backfill: query.backfill }, ctx.hello());
    const client = new SseClient(res, sub, ctx.stats, remote, compress);
    track(client);
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
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, body: object) => {
      const text = JSON.stringify(body);
      const headers = Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(
        `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 401 ? 'Unauthorized' : 'Forbidden'}\r\n${headers}` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    };
    if (url.pathname !== '/api/ws') return refuse(404, { error: `no WebSocket at ${url.pathname}`, code: 'not-found' });
    const denied = ctx.access.checkHost(req) ?? ctx.access.checkOrigin(req);
    if (denied) return refuse(denied.status, { error: denied.message, code: denied.code });
    const auth = ctx.access.checkToken(req, url);
    if (!('ok' in auth)) return refuse(auth.status, { error: auth.message, code: auth.code });
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = new WsClient(ws, ctx, req.socket.remoteAddress ?? '');
      track(client);
    });
  });

  // A malformed request from a client ends its socket, never the process.
  server.on('clientError', (_err, socket) => socket.destroy());

  const sweep = setInterval(() => {
    const now = Date.now();
    // A client leaves ctx.clients as it closes (see track), so every one here is open.
    for (const client of ctx.clients) {
      client.checkStalled(now, ctx.config.clientStallMs);
      if (client instanceof WsClient) client.checkAlive(now);
    }
  }, SWEEP_INTERVAL_MS);
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
