// One live connection per tab to the server's event stream, whatever gets through: SSE, then WebSocket,
// then long-poll. The client supervises the connection: one transport at a time, a first event expected
// within helloTimeoutMs, a transport that fails before any event given up for the next only when the server
// itself answers, and reconnects with backoff. Where each connection resumes, and which of its events are
// new, is the ResumeCursor's: the views see each event once.
import type { Topic, WireEvent } from '../../protocol/events';
import { COUNT, DURATION, OptionError, withDefaults, type OptionBound } from '../services/options';
import type { ServerEndpoint, StreamState, TransportKind, TransportPreference } from '../worker-channel/worker-protocol';
import { Backoff } from './backoff';
import { ResumeCursor } from './resume-cursor';
import { POLL_WAIT_S, type OpenTransport, type Transport, type TransportFailure } from './transport';

/** The client's timings and limits, with their defaults. Tests use short ones. */
export const STREAM_CLIENT_DEFAULTS = {
  /** A transport that does not deliver its first event this soon is not getting through. */
  helloTimeoutMs: 5_000,
  /** Failures before any event, in a row, after which `auto` moves on to the next transport. */
  failuresBeforeFallback: 2,
  /** A connection that lasted this long was healthy: the next reconnect starts from the shortest delay. */
  stableConnectionMs: 10_000,
  /** The first reconnect waits between half this and this; each next one twice as long… */
  firstRetryDelayMs: 500,
  /** …up to this ceiling. */
  maxRetryDelayMs: 15_000,
  /** The health probe (is the server up at all?) gives up after this long: the server then counts as down. */
  probeTimeoutMs: 3_000,
  /** WebSocket: how often we ping. The server answers `pong`, which keeps proxies and the watchdog awake. */
  pingIntervalMs: 20_000,
  /** WebSocket: no frame at all for this long (two missed pongs and then some) means the connection is dead. */
  silenceLimitMs: 45_000,
  /** Long-poll: a request answered no sooner than this is dead. More than the server's longest wait (25 s). */
  pollTimeoutMs: 35_000,
  /** Sources whose last line number is remembered (for dropping repeated lines); oldest forgotten first. */
  maxTrackedSources: 10_000,
} as const;

type Tunable = keyof typeof STREAM_CLIENT_DEFAULTS;

const BOUNDS: Readonly<Record<Tunable, OptionBound>> = {
  helloTimeoutMs: DURATION,
  failuresBeforeFallback: COUNT,
  stableConnectionMs: DURATION,
  firstRetryDelayMs: DURATION,
  maxRetryDelayMs: DURATION,
  probeTimeoutMs: DURATION,
  pingIntervalMs: DURATION,
  silenceLimitMs: DURATION,
  pollTimeoutMs: { min: POLL_WAIT_S * 1000 + 1 },
  maxTrackedSources: COUNT,
};

export interface StreamClientOptions extends Partial<Record<Tunable, number>> {
  server: ServerEndpoint;
  topics: readonly Topic[];
  /** Lines of history per source on a fresh start. */
  backfill: number;
  transport: TransportPreference;
  /** How each kind of transport is opened: the browser's EventSource, WebSocket and fetch (worker.ts), or a test's own. */
  transports: Readonly<Record<TransportKind, OpenTransport>>;
  /** Whether the server answers at all, within `timeoutMs`: its health route (server-probe.ts), or a test's answer. */
  probe(server: ServerEndpoint, timeoutMs: number): Promise<boolean>;
  /** Where `online` fires when the network comes back (default: the global scope, where it has one). */
  network?: OnlineEvents | null;
}

type OnlineEvents = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

const FALLBACK_ORDER: readonly TransportKind[] = ['sse', 'ws', 'poll'];
const PREFERENCES: readonly TransportPreference[] = ['auto', ...FALLBACK_ORDER];

type Listener<T> = (value: T) => void;

export class StreamClient {
  private readonly settings: Readonly<Record<Tunable, number>>;
  private readonly chain: readonly TransportKind[];
  private chainIndex = 0;
  private readonly backoff: Backoff;
  private readonly cursor: ResumeCursor;
  private readonly network: OnlineEvents | null;
  private readonly eventListeners = new Set<Listener<WireEvent>>();
  private readonly stateListeners = new Set<Listener<Readonly<StreamState>>>();
  private state: StreamState;

  private running = false;
  /** Bumped on every connect and stop, so callbacks from an older connection are ignored. */
  private generation = 0;
  private transport: Transport | null = null;
  private helloTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private establishedAt: number | null = null;
  private everConnected = false;
  private earlyFailures = 0;

  constructor(private readonly options: StreamClientOptions) {
    const settings = withDefaults('StreamClient', STREAM_CLIENT_DEFAULTS, BOUNDS, options);
    if (settings.maxRetryDelayMs < settings.firstRetryDelayMs) {
      throw new OptionError('StreamClient', 'maxRetryDelayMs', `must be at least firstRetryDelayMs (${settings.firstRetryDelayMs}), got ${settings.maxRetryDelayMs}`);
    }
    if (settings.silenceLimitMs <= settings.pingIntervalMs) {
      throw new OptionError('StreamClient', 'silenceLimitMs', `must be more than pingIntervalMs (${settings.pingIntervalMs}), got ${settings.silenceLimitMs}`);
    }
    if (!PREFERENCES.includes(options.transport)) {
      throw new OptionError('StreamClient', 'transport', `must be one of ${PREFERENCES.join(', ')}, got ${String(options.transport)}`);
    }
    this.settings = settings;
    this.chain = options.transport === 'auto' ? FALLBACK_ORDER : [options.transport];
    this.backoff = new Backoff(settings.firstRetryDelayMs, settings.maxRetryDelayMs);
    this.cursor = new ResumeCursor(settings.maxTrackedSources);
    // The client runs in the log worker, whose global scope fires `online` too; Node's has no events.
    const scope = globalThis as Partial<OnlineEvents>;
    this.network = options.network !== undefined ? options.network : typeof scope.addEventListener === 'function' ? (scope as OnlineEvents) : null;
    this.state = { status: 'connecting', transport: this.chain[0]!, detail: null, clockOffsetMs: null, lastEventAt: null };
  }

  /**
   * Every event, in order: `hello` first on each connection; `reset` means "clear your views". A `log`
   * event carries only lines not delivered before, and at least one.
   */
  onEvent(listener: Listener<WireEvent>): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Status, transport or clock offset changed (`lastEventAt` moves silently: read `snapshot`). */
  onState(listener: Listener<Readonly<StreamState>>): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  get snapshot(): Readonly<StreamState> {
    return this.state;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.network?.addEventListener('online', this.retryNow);
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.network?.removeEventListener('online', this.retryNow);
    this.dropConnection();
  }

  private connect(): void {
    this.dropConnection();
    const generation = ++this.generation;
    const kind = this.chain[this.chainIndex]!;
    this.establishedAt = null;
    this.setState({ transport: kind });
    const current = (): boolean => generation === this.generation;
    const request = { topics: this.options.topics, backfill: this.options.backfill, since: this.cursor.since };
    this.transport = this.options.transports[kind](
      this.options.server,
      request,
      {
        ready: () => current() && this.established(),
        event: (event) => current() && this.receive(event),
        closed: (failure) => current() && this.lost(failure, false),
      },
      this.settings,
    );
    const helloTimeoutMs = this.settings.helloTimeoutMs;
    this.helloTimer = setTimeout(() => {
      if (current() && this.establishedAt === null) this.lost({ reason: `no answer within ${helloTimeoutMs / 1000} s` }, true);
    }, helloTimeoutMs);
  }

  private dropConnection(): void {
    clearTimeout(this.helloTimer);
    clearTimeout(this.retryTimer);
    this.transport?.close();
    this.transport = null;
  }

  private established(): void {
    if (this.establishedAt !== null) return;
    clearTimeout(this.helloTimer);
    this.establishedAt = Date.now();
    this.everConnected = true;
    this.earlyFailures = 0;
    this.setState({ status: 'connected', detail: null });
  }

  private receive(event: WireEvent): void {
    this.established();
    this.state.lastEventAt = Date.now();
    if (event.type === 'hello') this.setState({ clockOffsetMs: Date.now() - event.serverTime });
    this.cursor.receive(event, this.emit);
  }

  private lost(failure: TransportFailure, noHello: boolean): void {
    const kind = this.chain[this.chainIndex]!;
    const lasted = this.establishedAt === null ? null : Date.now() - this.establishedAt;
    this.dropConnection();
    const generation = ++this.generation;
    const detail = `${kind}: ${failure.reason}`;
    if (lasted !== null) {
      if (lasted >= this.settings.stableConnectionMs) this.backoff.reset();
      this.setState({ status: 'reconnecting', detail });
      this.retryLater();
      return;
    }
    this.setState({ status: this.everConnected ? 'reconnecting' : 'connecting', detail });
    if (failure.httpStatus === 401) {
      this.setState({ status: 'offline', detail: 'the access token is missing or wrong: open the link the server printed' });
      this.retryLater();
      return;
    }
    // The transport failed before any event: blame it only if the server itself answers.
    void this.options.probe(this.options.server, this.settings.probeTimeoutMs).then((reachable) => {
      if (generation !== this.generation || !this.running) return;
      if (!reachable) {
        this.setState({ status: 'offline', detail: `the server does not answer (${detail})` });
        this.retryLater();
        return;
      }
      this.earlyFailures++;
      const hasFallback = this.chainIndex < this.chain.length - 1;
      if (hasFallback && (noHello || this.earlyFailures >= this.settings.failuresBeforeFallback)) {
        this.chainIndex++;
        this.earlyFailures = 0;
        this.backoff.reset();
        console.info(`tailwatch: ${detail}; trying ${this.chain[this.chainIndex]}`);
        this.connect();
        return;
      }
      this.retryLater();
    });
  }

  private retryLater(): void {
    clearTimeout(this.retryTimer);
    const generation = this.generation;
    this.retryTimer = setTimeout(() => {
      if (generation === this.generation && this.running) this.connect();
    }, this.backoff.next());
  }

  /** The browser is back online: a waiting retry need not wait out its delay. */
  private readonly retryNow = (): void => {
    if (this.running && this.transport === null) {
      this.backoff.reset();
      this.connect();
    }
  };

  private setState(change: Partial<StreamState>): void {
    let changed = false;
    for (const key of Object.keys(change) as (keyof StreamState)[]) {
      if (this.state[key] !== change[key]) changed = true;
    }
    if (!changed) return;
    this.state = { ...this.state, ...change };
    for (const listener of this.stateListeners) listener(this.state);
  }

  private readonly emit = (event: WireEvent): void => {
    for (const listener of this.eventListeners) listener(event);
  };
}
