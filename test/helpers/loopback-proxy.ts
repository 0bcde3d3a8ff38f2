// A reverse proxy on 127.0.0.1 in front of a tailwatch server, for tests that must act on the wire between the
// page (or its worker) and the server: refuse some requests, hold a stream, cut connections. It forwards every
// request as it is; `answer` decides what reaches the client of each answer (by default all of it, piped).
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackProxyOptions {
  /** Answers a request itself (true) instead of forwarding it. */
  intercept?(req: IncomingMessage, res: ServerResponse): boolean;
  /** Passes the server's answer on, its head already written; by default piped whole. */
  answer?(req: IncomingMessage, res: ServerResponse, answer: IncomingMessage): void;
}

export interface LoopbackProxy {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startLoopbackProxy(target: string, options: LoopbackProxyOptions = {}): Promise<LoopbackProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    if (options.intercept?.(req, res)) return;
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url ?? '/', headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (options.answer) options.answer(req, res, answer);
      else answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    // The client went away (or was cut): the server must see its stream end too.
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
