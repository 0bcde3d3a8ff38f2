// What the stream client asks of a transport (SSE, WebSocket, long-poll): open one connection that
// delivers wire events until it ends, and say once why it ended. Reconnecting is the client's job.
import type { Topic, WireEvent } from '../../protocol/events';
import type { ServerEndpoint } from '../worker-channel/worker-protocol';

interface StreamRequest {
  topics: readonly Topic[];
  /** Lines of history per source: on a fresh start, and after a `reset` (the server starts us over). */
  backfill: number;
  /** The last event id received: the server resumes right after it (or answers `gap`/`reset`). */
  since: string | null;
}

export interface TransportFailure {
  /** Why the connection ended, in words for the status line and the console. */
  reason: string;
  /** The HTTP status, when the server answered with one (401: the token is missing or wrong). */
  httpStatus?: number;
}

export interface TransportHandlers {
  /**
   * The stream is proven to flow although no event came: long-poll got an empty answer. Transports that
   * always start with `hello` never call it, since a connection that opens but delivers nothing (a
   * buffering proxy) is exactly the failure the client must detect.
   */
  ready(): void;
  event(event: WireEvent): void;
  /** At most once, and never after the client called close(). Never called synchronously from open. */
  closed(failure: TransportFailure): void;
}

export interface Transport {
  close(): void;
}

/** Seconds the server may hold a long-poll request open when it has nothing to send (pollTimeoutMs exceeds it). */
export const POLL_WAIT_S = 25;

/** How the transports that keep their own watch time it: the stream client's options of the same names. */
export interface TransportTimings {
  /** WebSocket: how often we ping; the server answers `pong`, which keeps proxies and our watchdog awake. */
  pingIntervalMs: number;
  /** WebSocket: no frame at all for this long means the connection is dead. */
  silenceLimitMs: number;
  /** Long-poll: a request that takes this long past its wait is dead (a proxy holding it, a sleeping laptop). */
  pollTimeoutMs: number;
}

export type OpenTransport = (server: ServerEndpoint, request: StreamRequest, handlers: TransportHandlers, timings: TransportTimings) => Transport;

/** The query string shared by the SSE and long-poll routes. Topics and ids are ASCII tokens. */
export function streamQuery(request: StreamRequest, sinceParam: 'lastEventId' | 'since'): string {
  const query = `topics=${request.topics.join(',')}&backfill=${request.backfill}`;
  return request.since === null ? query : `${query}&${sinceParam}=${encodeURIComponent(request.since)}`;
}
