// The wiring of one tailwatch instance: sources → hub → server. The CLI, the desktop shell, the
// tests and the benchmark all start tailwatch through `startTailwatch`.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { SourceInfo } from '../../protocol/events';
import { ConfigError, makeConfig, type TailwatchConfig } from './config';
import { EventHub } from './event-hub';
import { Subscription } from './subscription';
import { LogSources } from '../sources/logs/log-sources';
import { MetricsSource } from '../sources/metrics/metrics-source';
import { MetricsHistory } from './metrics-history';
import { AccessControl, isLoopbackBind } from '../server/access';
import { createTailwatchServer } from '../server/http-server';
import { newTransportStats, type ClientInfo, type ClientStream, type TransportStats } from '../server/client-stream';
import type { ServerContext } from '../server/server-context';
import { POLL_MAX_WAIT_S } from '../server/poll';
import { DASHBOARD_DIR, VERSION } from './package-info';

/**
 * A long-poll client holds no subscription between its requests, so one that asked for `processes` keeps
 * the process list going this long (it asks again at least every POLL_MAX_WAIT_S).
 */
const POLLED_PROCESSES_HOLD_MS = (POLL_MAX_WAIT_S + 30) * 1000;

/** A token given for a server other machines can reach must be at least this long. */
export const MIN_REMOTE_TOKEN_LENGTH = 16;

export interface Logger {
  warn(message: string): void;
}

export interface RunningTailwatch {
  /** `http://HOST:PORT/` */
  readonly url: string;
  /** The dashboard URL with its token. */
  readonly dashboardUrl: string;
  readonly token: string;
  readonly port: number;
  readonly hub: EventHub;
  readonly stats: TransportStats;
  readonly config: TailwatchConfig;
  sources(): SourceInfo[];
  /** Who is connected now (SSE and WebSocket streams). */
  clients(): ClientInfo[];
  /** Ends every open stream (clients reconnect and resume; with a rotated token, they cannot). */
  dropClients(): void;
  /** Stops sources, streams and the listener. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Where the dashboard files are (default: this package's dist/renderer). */
  staticDir?: string;
}

export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Fills in the token and refuses what would be unsafe. */
export function resolveToken(config: TailwatchConfig): string {
  if (config.token === null) return randomBytes(24).toString('base64url');
  if (!isLoopbackBind(config.host) && config.token.length < MIN_REMOTE_TOKEN_LENGTH) {
    throw new ConfigError(
      `--token: a server on a non-loopback address (${config.host}) needs a token of at least ${MIN_REMOTE_TOKEN_LENGTH} characters`,
    );
  }
  return config.token;
}

export async function startTailwatch(input: TailwatchConfig | Partial<TailwatchConfig> = {}, options: StartOptions = {}): Promise<RunningTailwatch> {
  const config = makeConfig(input);
  const token = resolveToken(config);
  const logger = options.logger ?? { warn: (m: string) => process.stderr.write(`tailwatch: warning: ${m}\n`) };
  const hub = new EventHub({ ringEvents: config.ringEvents, ringBytes: config.ringBytes });
  const stats = newTransportStats();

  const logSources = new LogSources(config, {
    appendLines: (source, lines) => hub.appendLines(source, lines),
    sourceChanged: (op, source) => hub.publish('source', { op, source }, source.id),
    warn: (message) => logger.warn(message),
  });
  await logSources.start();

  const clients = new Set<ClientStream>();
  let processesAskedAt = -Infinity;
  const history = new MetricsHistory();
  const metrics = new MetricsSource({
    sink: hub,
    logSources: () => logSources.list(),
    counters: stats,
    wantsProcesses: () => Date.now() - processesAskedAt < POLLED_PROCESSES_HOLD_MS || [...clients].some((c) => c.wants('processes')),
    warn: (message) => logger.warn(message),
  });
  metrics.onSample((sample) => history.add(sample));
  await metrics.start();

  // The port is known only after listening (port 0); the cookie name and Origin check need it.
  let access: AccessControl | null = null;
  const ctx: ServerContext = {
    config,
    version: VERSION,
    hub,
    get access() {
      return access!;
    },
    stats,
    clients,
    staticDir: options.staticDir ?? DASHBOARD_DIR,
    metrics: { history, latest: () => metrics.latest() },
    sources: () => logSources.list(),
    hello: () => ({ serverTime: Date.now(), version: VERSION, sources: logSources.list() }),
    subscribe: (topics, sources) => {
      const list = [...topics];
      if (list.includes('processes')) processesAskedAt = Date.now();
      return new Subscription(hub, { topics: list, sources, maxLagBytes: config.clientQueueBytes });
    },
  };
  const http = createTailwatchServer(ctx);
  http.server.listen(config.port, config.host);
  try {
    await once(http.server, 'listening');
  } catch (err) {
    metrics.close();
    await logSources.close();
    hub.close();
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'EADDRNOTAVAIL' ? 'no such address here' : e.message;
    throw new Error(`cannot listen on ${urlHost(config.host)}:${config.port}: ${why}`, { cause: err });
  }
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  access = new AccessControl({ token, host: config.host, port, allowHost: config.allowHost, allowOrigin: config.allowOrigin });

  const url = `http://${urlHost(config.host)}:${port}/`;
  let closing: Promise<void> | null = null;
  return {
    url,
    dashboardUrl: `${url}?token=${encodeURIComponent(token)}`,
    token,
    port,
    hub,
    stats,
    config,
    sources: () => logSources.list(),
    clients: () => [...clients].map((c) => ({ ...c.info })),
    dropClients: () => {
      for (const c of [...clients]) c.close('dropped');
    },
    close: () =>
      (closing ??= (async () => {
        metrics.close();
        await logSources.close();
        hub.close();
        await http.close();
      })()),
  };
}
