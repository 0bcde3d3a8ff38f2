// One address the dashboard and the API are served on, with its own token, access rules and clients, over
// the hub, sources and metrics that every listener of one tailwatch shares. The main server is one
// listener; Share Dashboard opens a second one.
import { once } from 'node:events';
import type { Server } from 'node:http';
import { AccessControl } from './access';
import { ClientsPerAddress } from './address-limit';
import type { ClientInfo, ClientStream } from './client-stream';
import { createTailwatchServer, type TailwatchServer, type TlsCredentials } from './http-server';
import { RecentPollers } from './recent-pollers';
import type { ServerContext } from './server-context';

/** Everything a listener serves that is not its own: all of ServerContext but access and clients. */
export type SharedServerContext = Omit<ServerContext, 'access' | 'clients' | 'pollers' | 'perAddress'>;

export interface ListenerOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  token: string;
  allowHost: readonly string[];
  allowOrigin: readonly string[];
  /** Serve HTTPS. */
  tls?: TlsCredentials;
}

export interface Listener {
  /** `http(s)://HOST:PORT/`, the host as bound (a wildcard address as given). */
  readonly url: string;
  readonly port: number;
  /** Its open SSE and WebSocket clients. */
  readonly clients: ReadonlySet<ClientStream>;
  token(): string;
  /** Its SSE and WebSocket clients, and the long-poll clients seen lately. */
  clientInfo(): ClientInfo[];
  /** Ends every open stream; the clients reconnect and resume. */
  dropClients(): void;
  /** Only `token` works from now on, and every connection made before (with the old one) is dropped. */
  rotateToken(token: string): void;
  /** Ends its streams and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** A host as it is written in a URL: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Starts listening; errors say which address and why, in words (`cannot listen on …: the port is in use`). */
export async function openListener(shared: SharedServerContext, options: ListenerOptions): Promise<Listener> {
  const clients = new Set<ClientStream>();
  const pollers = new RecentPollers();
  const where = `${urlHost(options.host)}:${options.port}`;
  // The port is known only after listening (port 0); the cookie name and the Origin check need it.
  let access: AccessControl | null = null;
  const ctx: ServerContext = {
    ...shared,
    clients,
    pollers,
    perAddress: new ClientsPerAddress(shared.options.maxClientsPerAddress),
    get access() {
      return access!;
    },
  };
  let http: TailwatchServer;
  try {
    http = createTailwatchServer(ctx, options.tls ? { tls: options.tls } : {});
  } catch (err) {
    // Only node:https checks what it is given here: a key and certificate that do not parse or match.
    if (!options.tls) throw err;
    throw new Error(`cannot serve HTTPS on ${where}: the TLS key or certificate is not usable (${(err as Error).message})`, { cause: err });
  }
  let port: number;
  try {
    port = await listen(http.server, options.port, options.host);
  } catch (err) {
    await http.close();
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'EADDRNOTAVAIL' ? 'no such address here' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new Error(`cannot listen on ${where}: ${why}`, { cause: err });
  }
  const accessWith = (token: string) =>
    new AccessControl({ token, host: options.host, port, allowHost: options.allowHost, allowOrigin: options.allowOrigin });
  access = accessWith(options.token);

  let closing: Promise<void> | null = null;
  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost(options.host)}:${port}/`,
    port,
    clients,
    token: () => access!.token,
    clientInfo: () => [...[...clients].map((c) => ({ ...c.info })), ...pollers.list()],
    dropClients: () => {
      for (const c of [...clients]) c.close('dropped');
    },
    rotateToken: (token) => {
      if (closing) return;
      access = accessWith(token);
      http.dropConnections('token revoked');
      pollers.clear();
    },
    close: () => (closing ??= http.close()),
  };
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
