// A reverse proxy on loopback in front of a tailwatch server that lets plain HTTP through but refuses
// what some real proxies refuse: WebSocket upgrades, and (optionally) event streams. The dashboard's
// log worker makes its own requests, which a browser-side route cannot see; this sits on the wire instead.
import { startLoopbackProxy } from './loopback-proxy';

export interface BlockingProxy {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  /** Cuts every connection now, as a network drop or a proxy restart does. */
  dropConnections(): void;
  /** How many times dropConnections cut the connections. */
  dropped(): number;
  close(): Promise<void>;
}

export interface BlockingProxyOptions {
  /** Path prefixes answered with 502, like a proxy that cannot pass them. */
  refusePaths?: readonly string[];
}

export async function startBlockingProxy(target: string, options: BlockingProxyOptions = {}): Promise<BlockingProxy> {
  let dropped = 0;
  const proxy = await startLoopbackProxy(target, {
    intercept: (req, res) => {
      if (!options.refusePaths?.some((prefix) => (req.url ?? '/').startsWith(prefix))) return false;
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end('refused by the test proxy');
      return true;
    },
  });
  // No proxying of upgrades: the socket is closed, as a proxy without WebSocket support does.
  proxy.server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
  return {
    base: proxy.base,
    dropConnections: () => {
      proxy.server.closeAllConnections();
      dropped++;
    },
    dropped: () => dropped,
    close: () => proxy.close(),
  };
}
