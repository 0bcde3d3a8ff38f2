// The composition root: one tailwatch instance wired from its layers, sources → hub → listeners (the server,
// and Share Dashboard's second one while it is on), each given its own options, and stopped in the reverse
// order. The CLI, the desktop shell, the tests and the benchmark all start tailwatch through `startTailwatch`.
import { hostname } from 'node:os';
import type { MetricsData, SourceInfo } from '../../protocol/events';
import { CLIENT_LIMITS } from '../../protocol/client-messages';
import { visibleName } from '../../protocol/visible-text';
import { ConfigError, makeConfig, type TailwatchConfig } from './options';
import { checkAccessOptions, checkRemoteToken, resolveToken } from './access-policy';
import { ProcessDemand } from './process-demand';
import { EventHub } from '../core/event-hub';
import { LineTaps, type LinesListener } from '../core/line-taps';
import { Subscription } from '../core/subscription';
import { LogSources, type LogTimings } from '../sources/logs/log-sources';
import { linesOfJson } from '../sources/logs/line-kernel';
import { MetricsSource } from '../sources/metrics/metrics-source';
import { MetricsHistory } from '../sources/metrics/metrics-history';
import { HostStreamsReader } from '../sources/hosts/host-streams-reader';
import { RedisStartError } from '../hosts/redis/redis-connection';
import type { TlsCredentials } from '../server/http-server';
import { newTransportStats, type ClientInfo, type TransportStats } from '../server/client-stream';
import { openListener, urlHost, type Listener, type SharedServerContext } from '../server/listener';
import { serverOptions, type ServerOptions } from '../server/server-options';
import { DASHBOARD_DIR, VERSION } from './package-info';

export { urlHost, type LinesListener };



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
  /**
   * The sources followed now. Clients are also told of the removed ones whose lines the hub still holds
   * (`hello`, /api/sources: see `listedSources`).
   */
  sources(): SourceInfo[];
  /** What `hello` and /api/sources list: the followed sources, then the removed ones whose lines are held. */
  listedSources(): SourceInfo[];
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

/** Timings of the layers that are not command-line options: each layer's defaults unless given (tests give short ones). */
export interface TailwatchTimings {
  logs?: Partial<LogTimings>;
  server?: Partial<Pick<ServerOptions, 'pingIntervalMs' | 'heartbeatMs' | 'retryMs' | 'sweepIntervalMs'>>;
  metrics?: { intervalMs?: number; processEvery?: number };
  /** Reading hosts from Redis: how often new hosts are looked for, and how long one XREAD blocks. */
  hosts?: { scanIntervalMs?: number; blockMs?: number };
}

export interface StartOptions {
  logger?: Logger;
  /** Where the dashboard files are (default: this package's dist/renderer). */
  staticDir?: string;
  timings?: TailwatchTimings;
}

export async function startTailwatch(input: TailwatchConfig | Partial<TailwatchConfig> = {}, options: StartOptions = {}): Promise<RunningTailwatch> {
  const config = makeConfig(input);
  const token = resolveToken(config);
  checkAccessOptions(config);
  const timings = options.timings ?? {};
  const serverOptionsOf = serverOptions({
    backfill: config.backfill,
    gzip: config.gzip,
    clientStallMs: config.clientStallMs,
    maxClientsPerAddress: config.maxClientsPerAddress,
    ...timings.server,
  });
  // File names in warnings could carry terminal escapes or bidi overrides: shown as ⟨U+XXXX⟩ instead.
  const logger = options.logger ?? { warn: (m: string) => process.stderr.write(`tailwatch: warning: ${visibleName(m)}\n`) };
  if (config.redisCa !== null && config.redis === null) throw new ConfigError('--redis-ca: only with --redis');
  const hub = new EventHub({ ringEvents: config.ringEvents, ringBytes: config.ringBytes, cursors: config.redis !== null });
  const stats = newTransportStats();
  // With --redis, this server's own sources and metrics say which machine they are on, beside the agents'.
  const ownHost = config.redis !== null ? hostname() : undefined;
  const withHost = ownHost === undefined ? (source: SourceInfo) => source : (source: SourceInfo): SourceInfo => ({ ...source, host: ownHost });

  let hosts: HostStreamsReader | null = null;
  if (config.redis !== null) {
    hosts = new HostStreamsReader({
      url: config.redis,
      ...(config.redisCa !== null ? { ca: config.redisCa } : {}),
      backfill: config.backfill,
      sink: hub,
      warn: (message) => logger.warn(message),
      // A host is disconnected after 3 sample periods without an entry.
      silenceMs: 3 * (timings.metrics?.intervalMs ?? 1000),
      ...timings.hosts,
    });
    try {
      await hosts.start();
    } catch (err) {
      hub.close();
      if (err instanceof RedisStartError) throw new ConfigError(err.message);
      throw err;
    }
  }

  const taps = new LineTaps((id) => logSources.info(id), (message) => logger.warn(message));
  const logSources: LogSources = new LogSources({ ...config, ...(timings.logs ? { timings: timings.logs } : {}) }, {
    appendLines: (source, lines, live, place) => {
      hub.appendLines(source, lines, place.plain);
      if (taps.active) taps.emit(source, lines, live);
    },
    // The hub only passes lines on as JSON: the line kernel's goes as it is. A tap (the desktop shell's alerts
    // and tray) gets the lines as objects, parsed back from it.
    appendEncoded: (source, lines, live) => {
      hub.appendEncoded(source, lines.json, lines.count);
      if (taps.active) taps.emit(source, linesOfJson(lines.json), live);
    },
    sourceChanged: (op, source) => hub.publish('source', { op, source: withHost(source) }, source.id),
    warn: (message) => logger.warn(message),
  });
  try {
    await logSources.start();
  } catch (err) {
    await hosts?.close();
    hub.close();
    throw err;
  }

  const listeners = new Set<Listener>();
  const processes = new ProcessDemand(listeners);
  const history = new MetricsHistory();
  const metrics = new MetricsSource({
    sink: ownHost === undefined ? hub : { publish: (type, data) => hub.publish(type, type === 'metrics' ? { ...data, host: ownHost } : data) },
    logSources: () => logSources.list(),
    counters: stats,
    wantsProcesses: () => processes.wanted(),
    warn: (message) => logger.warn(message),
    ...timings.metrics,
  });
  metrics.onSample((sample) => history.add(sample));
  await metrics.start();
  const followedSources = (): SourceInfo[] => {
    const own = logSources.list();
    return hosts === null ? own : [...own.map(withHost), ...hosts.sources()];
  };
  const listedSources = (): SourceInfo[] => hub.removedSources.withFollowed(followedSources());

  const shared: SharedServerContext = {
    options: serverOptionsOf,
    version: VERSION,
    hub,
    stats,
    staticDir: options.staticDir ?? DASHBOARD_DIR,
    metrics: { history, latest: () => metrics.latest() },
    sources: listedSources,
    lines: (query) => logSources.lines(query),
    search: (request, signal) => logSources.search(request, signal),
    hello: () => ({ serverTime: Date.now(), version: VERSION, sources: listedSources(), ...(ownHost !== undefined ? { host: ownHost } : {}) }),
    subscribe: (topics, sources) => {
      const list = [...topics];
      if (list.includes('processes')) processes.asked();
      return new Subscription(hub, {
        topics: list,
        sources,
        maxLagBytes: config.clientQueueBytes,
        maxSources: CLIENT_LIMITS.maxSourcesPerClient,
        ...(hosts !== null ? { replay: hosts.replay } : {}),
      });
    },
  };
  let main: Listener;
  try {
    main = await openListener(shared, { host: config.host, port: config.port, token, allowHost: config.allowHost, allowOrigin: config.allowOrigin });
  } catch (err) {
    metrics.close();
    await hosts?.close();
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
    listedSources,
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
        await hosts?.close();
        await logSources.close();
        hub.close();
        await Promise.all([...listeners].map((l) => l.close()));
        listeners.clear();
      })()),
  };
}
