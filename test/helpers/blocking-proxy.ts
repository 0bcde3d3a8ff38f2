// A reverse proxy on loopback in front of a tailwatch server that lets plain HTTP through but refuses
// what some real proxies refuse: WebSocket upgrades, and (optionally) event streams. The dashboard's
// log worker makes its own requests, which a browser-side route cannot see; this sits on the wire instead.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  const upstream = new URL(target);
  let dropped = 0;
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (options.refusePaths?.some((prefix) => path.startsWith(prefix))) {
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end('refused by the test proxy');
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    // The client went away (or was cut): the server must see its stream end too.
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  // No proxying of upgrades: the socket is closed, as a proxy without WebSocket support does.
  server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    dropConnections: () => {
      server.closeAllConnections();
      dropped++;
    },
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
