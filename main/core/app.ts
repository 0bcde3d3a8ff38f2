// The wiring of one tailwatch instance: sources → hub → listeners (the server, and Share Dashboard's
// second one while it is on). The CLI, the desktop shell, the tests and the benchmark all start tailwatch
// through `startTailwatch`.
import { randomBytes } from 'node:crypto';
import type { MetricsData, SourceInfo } from '../../protocol/events';
import { CLIENT_LIMITS } from '../../protocol/client-messages';
import { visibleName } from '../../protocol/visible-text';
import { ConfigError, makeConfig, type TailwatchConfig } from './config';
import { EventHub } from './event-hub';
import { LineTaps, type LinesListener } from './line-taps';
import { Subscription } from './subscription';
import { LogSources } from '../sources/logs/log-sources';
import { MetricsSource } from '../sources/metrics/metrics-source';
import { MetricsHistory } from './metrics-history';
import { canonicalOrigin, hostName, isLoopbackBind } from '../server/access';
import type { TlsCredentials } from '../server/http-server';
import { newTransportStats, type ClientInfo, type TransportStats } from '../server/client-stream';
import { openListener, urlHost, type Listener, type SharedServerContext } from '../server/listener';
import { POLL_MAX_WAIT_S } from '../server/poll';
import { DASHBOARD_DIR, VERSION } from './package-info';

export { urlHost, type LinesListener };

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

/** Share Dashboard: a second listener for other machines (see `RunningTailwatch.share`). */
export interface ShareOptions {
  /** The address to bind: one of this machine's, or `0.0.0.0` / `::` for every interface. */
  host: string;
  /** 0: any free port. */
  port: number;
  /** At least MIN_REMOTE_TOKEN_LENGTH characters. */
  token: string;
  /** Serve HTTPS with this certificate. */
  tls?: TlsCredentials;
}

export interface SharedListener {
  /** `http(s)://HOST:PORT/`, the host as given (`0.0.0.0` for every interface). */
  readonly url: string;
  readonly port: number;
  token(): string;
  /** Who is connected through this listener now (SSE and WebSocket streams). */
  clients(): ClientInfo[];
  /**
   * Makes `token` the only one that works here: every connection made before is dropped (streams closed,
   * sockets destroyed), so nobody holding the old token stays connected. The main listener is untouched.
   */
  rotateToken(token: string): void;
  /** Ends its streams and stops listening. Idempotent. */
  close(): Promise<void>;
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
  /** Follows a directory from now on, as a --dir (see LogSources.addDir); resolves once its files are backfilled. */
  addDir(path: string): Promise<void>;
  /** Follows one file from now on, as a --file; rejects with FileCapError past --max-files. */
  addFile(path: string): Promise<void>;
  /** Stops following a --dir or --file root; its files no other root covers get a `source` remove. */
  removeRoot(path: string): Promise<void>;
  /** The roots followed now, as absolute paths. */
  roots(): { dirs: string[]; files: string[] };
  /**
   * Calls `listener` synchronously with every batch of lines handed to the hub (with `live` false for the
   * backfill of a root added now), and returns the unsubscribe function. A listener that throws is reported
   * once through the logger; ingestion goes on.
   */
  onLines(listener: LinesListener): () => void;
  /** Calls `listener` with every metrics sample as it is published. Returns the unsubscribe function. */
  onMetrics(listener: (sample: MetricsData) => void): () => void;
  /**
   * Opens a second listener (Share Dashboard) on another address, with its own token, Host check and
   * clients, over the same sources and metrics. Rejects with ConfigError for a short token, and with
   * `cannot listen on HOST:PORT: …` when it cannot bind.
   */
  share(options: ShareOptions): Promise<SharedListener>;
  /** Stops sources, streams and every listener (shared ones too). */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Where the dashboard files are (default: this package's dist/renderer). */
  staticDir?: string;
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

/** Refuses a token too weak for a listener other machines reach. */
function checkRemoteToken(what: string, token: string): void {
  if (token.length < MIN_REMOTE_TOKEN_LENGTH) {
    throw new ConfigError(`${what}: the token must be at least ${MIN_REMOTE_TOKEN_LENGTH} characters, got ${token.length}`);
  }
}

/** Every --allow-host must be a host name or address, as a Host header carries it (a port is ignored). */
function checkAllowHost(config: TailwatchConfig): void {
  for (const host of config.allowHost) {
    if (hostName(host) === null) throw new ConfigError(`--allow-host: expected a host name such as tailwatch.example.org, got ${JSON.stringify(host)}`);
  }
}

/** Every --allow-origin must be an origin a browser sends (not `null`, `*` or a URL with a path). */
function checkAllowOrigin(config: TailwatchConfig): void {
  for (const origin of config.allowOrigin) {
    if (canonicalOrigin(origin) === null) {
      throw new ConfigError(`--allow-origin: expected an origin such as app://tailwatch or http://host:port, got ${JSON.stringify(origin)}`);
    }
  }
}

export async function startTailwatch(input: TailwatchConfig | Partial<TailwatchConfig> = {}, options: StartOptions = {}): Promise<RunningTailwatch> {
  const config = makeConfig(input);
  const token = resolveToken(config);
  checkAllowHost(config);
  checkAllowOrigin(config);
  // File names in warnings could carry terminal escapes or bidi overrides: shown as ⟨U+XXXX⟩ instead.
  const logger = options.logger ?? { warn: (m: string) => process.stderr.write(`tailwatch: warning: ${visibleName(m)}\n`) };
  const hub = new EventHub({ ringEvents: config.ringEvents, ringBytes: config.ringBytes });
  const stats = newTransportStats();

  const taps = new LineTaps((id) => logSources.info(id), (message) => logger.warn(message));
  const logSources: LogSources = new LogSources(config, {
    appendLines: (source, lines, live) => {
      hub.appendLines(source, lines);
      if (taps.active) taps.emit(source, lines, live);
    },
    sourceChanged: (op, source) => hub.publish('source', { op, source }, source.id),
    warn: (message) => logger.warn(message),
  });
  await logSources.start();

  const listeners = new Set<Listener>();
  let processesAskedAt = -Infinity;
  const someClientWants = (topic: 'processes') => {
    for (const l of listeners) for (const c of l.clients) if (c.wants(topic)) return true;
    return false;
  };
  const history = new MetricsHistory();
  const metrics = new MetricsSource({
    sink: hub,
    logSources: () => logSources.list(),
    counters: stats,
    wantsProcesses: () => Date.now() - processesAskedAt < POLLED_PROCESSES_HOLD_MS || someClientWants('processes'),
    warn: (message) => logger.warn(message),
  });
  metrics.onSample((sample) => history.add(sample));
  await metrics.start();

  const shared: SharedServerContext = {
    config,
    version: VERSION,
    hub,
    stats,
    staticDir: options.staticDir ?? DASHBOARD_DIR,
    metrics: { history, latest: () => metrics.latest() },
    sources: () => logSources.list(),
    hello: () => ({ serverTime: Date.now(), version: VERSION, sources: logSources.list() }),
    subscribe: (topics, sources) => {
      const list = [...topics];
      if (list.includes('processes')) processesAskedAt = Date.now();
      return new Subscription(hub, { topics: list, sources, maxLagBytes: config.clientQueueBytes, maxSources: CLIENT_LIMITS.maxSourcesPerClient });
    },
  };
  let main: Listener;
  try {
    main = await openListener(shared, { host: config.host, port: config.port, token, allowHost: config.allowHost, allowOrigin: config.allowOrigin });
  } catch (err) {
    metrics.close();
    await logSources.close();
    hub.close();
    throw err;
  }
  listeners.add(main);

  let closing: Promise<void> | null = null;
  const share = async (request: ShareOptions): Promise<SharedListener> => {
    checkRemoteToken('share', request.token);
    if (closing) throw new Error('cannot share: tailwatch is closing');
    // Same sources, metrics and counters; its own token and clients. Its Host names: its address (the
    // machine's names on a wildcard) and --allow-host. No --allow-origin: its pages are its own.
    const listener = await openListener(shared, { ...request, allowHost: config.allowHost, allowOrigin: [] });
    if (closing) {
      await listener.close();
      throw new Error('cannot share: tailwatch is closing');
    }
    listeners.add(listener);
    return {
      url: listener.url,
      port: listener.port,
      token: () => listener.token(),
      clients: () => listener.clientInfo(),
      rotateToken: (next) => {
        checkRemoteToken('share', next);
        listener.rotateToken(next);
      },
      close: () => {
        listeners.delete(listener);
        return listener.close();
      },
    };
  };

  return {
    url: main.url,
    dashboardUrl: `${main.url}?token=${encodeURIComponent(token)}`,
    token,
    port: main.port,
    hub,
    stats,
    config,
    sources: () => logSources.list(),
    clients: () => main.clientInfo(),
    dropClients: () => main.dropClients(),
    addDir: (path) => logSources.addDir(path),
    addFile: (path) => logSources.addFile(path),
    removeRoot: (path) => logSources.removeRoot(path),
    roots: () => logSources.roots(),
    onLines: (listener) => taps.add(listener),
    onMetrics: (listener) => metrics.onSample(listener),
    share,
    close: () =>
      (closing ??= (async () => {
        metrics.close();
        await logSources.close();
        hub.close();
        await Promise.all([...listeners].map((l) => l.close()));
        listeners.clear();
      })()),
  };
}
