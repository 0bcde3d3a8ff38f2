// One live connection per tab to the server's event stream, whatever gets through: SSE, then WebSocket,
// then long-poll. Resumes after every reconnect from the last event id, so the views see each event once.
import type { LogData, Topic, WireEvent } from '../../protocol/events';
import { parseEventId } from '../../protocol/event-id';
import { Backoff } from './backoff';
import { serverReachable } from './server-probe';
import type { ServerEndpoint } from './server-endpoint';
import type { OpenTransport, Transport, TransportFailure, TransportKind, TransportPreference } from './transports/transport';
import type { StreamState } from './stream-state';
import { openSse } from './transports/sse-transport';
import { openWebSocket } from './transports/ws-transport';
import { openPoll } from './transports/poll-transport';

export interface StreamClientOptions {
  server: ServerEndpoint;
  topics: readonly Topic[];
  /** Lines of history per source on a fresh start. */
  backfill: number;
  transport: TransportPreference;
}

export const STREAM_LIMITS = {
  /** A transport that does not deliver its first event this soon is not getting through. */
  helloTimeoutMs: 5_000,
  /** Failures before any event, in a row, after which `auto` moves on to the next transport. */
  failuresBeforeFallback: 2,
  /** A connection that lasted this long was healthy: the next reconnect starts from the shortest delay. */
  stableConnectionMs: 10_000,
  /** Sources whose last line number is remembered (for dropping repeated lines); oldest forgotten first. */
  maxTrackedSources: 10_000,
} as const;

const FALLBACK_ORDER: readonly TransportKind[] = ['sse', 'ws', 'poll'];
const OPEN: Record<TransportKind, OpenTransport> = { sse: openSse, ws: openWebSocket, poll: openPoll };

type Listener<T> = (value: T) => void;

export class StreamClient {
  private readonly chain: readonly TransportKind[];
  private chainIndex = 0;
  private readonly backoff = new Backoff();
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

  /** Resume point: the id of the last stream event delivered. */
  private lastEventId: string | null = null;
  private epoch: string | null = null;
  /** Set when a `hello` from a new epoch already made us reset, so the server's own `reset` is not doubled. */
  private resetAtHello = false;
  /** Last line number delivered per source: a reconnect that has to backfill never shows a line twice. */
  private readonly lastSeq = new Map<string, number>();

  constructor(private readonly options: StreamClientOptions) {
    this.chain = options.transport === 'auto' ? FALLBACK_ORDER : [options.transport];
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
    // `globalThis`: the client runs in the log worker, whose global scope fires `online` too.
    globalThis.addEventListener('online', this.retryNow);
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    globalThis.removeEventListener('online', this.retryNow);
    this.dropConnection();
  }

  private connect(): void {
    this.dropConnection();
    const generation = ++this.generation;
    const kind = this.chain[this.chainIndex]!;
    this.establishedAt = null;
    this.setState({ transport: kind });
    const current = (): boolean => generation === this.generation;
    const request = { topics: this.options.topics, backfill: this.options.backfill, since: this.lastEventId };
    this.transport = OPEN[kind](this.options.server, request, {
      ready: () => current() && this.established(),
      event: (event) => current() && this.receive(event),
      closed: (failure) => current() && this.lost(failure, false),
    });
    this.helloTimer = setTimeout(() => {
      if (current() && this.establishedAt === null) {
        this.lost({ reason: `no answer within ${STREAM_LIMITS.helloTimeoutMs / 1000} s` }, true);
      }
    }, STREAM_LIMITS.helloTimeoutMs);
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
    switch (event.type) {
      case 'hello':
        this.setState({ clockOffsetMs: Date.now() - event.serverTime });
        // A server that restarted while we were away may greet us before (or instead of) saying `reset`.
        this.resetAtHello = this.epoch !== null && event.epoch !== this.epoch;
        if (this.resetAtHello) this.reset({ type: 'reset', id: event.id, epoch: event.epoch, reason: 'unknown-epoch' });
        this.epoch = event.epoch;
        // Not a resume point: `hello` greets a connection, it is not a position in the stream.
        this.emit(event);
        return;
      case 'reset':
        if (this.resetAtHello && event.epoch === this.epoch) {
          this.resetAtHello = false;
          this.lastEventId = this.resumableId(event.id, event.epoch);
          return;
        }
        this.reset(event);
        return;
      case 'log': {
        const fresh = this.freshLines(event);
        this.lastEventId = event.id;
        if (fresh !== null) this.emit(fresh);
        return;
      }
      case 'source':
        if (event.op === 'remove') this.lastSeq.delete(event.source.id);
        break;
      case 'pong':
      case 'error':
        // Transport-level answers; the WebSocket transport consumes them.
        return;
    }
    this.lastEventId = event.id;
    this.emit(event);
  }

  private reset(event: Extract<WireEvent, { type: 'reset' }>): void {
    this.epoch = event.epoch;
    this.lastSeq.clear();
    this.lastEventId = this.resumableId(event.id, event.epoch);
    this.emit(event);
  }

  /** A reset's id is a resume point only if it belongs to the new run; else the next connect starts fresh. */
  private resumableId(id: string, epoch: string): string | null {
    return parseEventId(id)?.epoch === epoch ? id : null;
  }

  /** The event without lines already delivered, or null when none is new. */
  private freshLines(event: Extract<WireEvent, { type: 'log' }>): (LogData & { type: 'log'; id: string }) | null {
    const lines = event.lines;
    if (lines.length === 0) return null;
    const last = this.lastSeq.get(event.source) ?? 0;
    this.rememberSeq(event.source, Math.max(last, lines[lines.length - 1]!.seq));
    if (lines[0]!.seq > last) return event;
    const fresh = lines.filter((line) => line.seq > last);
    return fresh.length === 0 ? null : { ...event, lines: fresh };
  }

  private rememberSeq(source: string, seq: number): void {
    this.lastSeq.delete(source);
    this.lastSeq.set(source, seq);
    if (this.lastSeq.size > STREAM_LIMITS.maxTrackedSources) {
      this.lastSeq.delete(this.lastSeq.keys().next().value!);
    }
  }

  private lost(failure: TransportFailure, noHello: boolean): void {
    const kind = this.chain[this.chainIndex]!;
    const lasted = this.establishedAt === null ? null : Date.now() - this.establishedAt;
    this.dropConnection();
    const generation = ++this.generation;
    const detail = `${kind}: ${failure.reason}`;
    if (lasted !== null) {
      if (lasted >= STREAM_LIMITS.stableConnectionMs) this.backoff.reset();
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
    void serverReachable(this.options.server).then((reachable) => {
      if (generation !== this.generation || !this.running) return;
      if (!reachable) {
        this.setState({ status: 'offline', detail: `the server does not answer (${detail})` });
        this.retryLater();
        return;
      }
      this.earlyFailures++;
      const hasFallback = this.chainIndex < this.chain.length - 1;
      if (hasFallback && (noHello || this.earlyFailures >= STREAM_LIMITS.failuresBeforeFallback)) {
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

  private emit(event: WireEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }
}
