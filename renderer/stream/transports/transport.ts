// What the stream client asks of a transport (SSE, WebSocket, long-poll): open one connection that
// delivers wire events until it ends, and say once why it ended. Reconnecting is the client's job.
import type { Topic, WireEvent } from '../../../protocol/events';
import type { ServerEndpoint } from '../server-endpoint';

export type TransportKind = 'sse' | 'ws' | 'poll';
/** `auto` tries SSE, then WebSocket, then long-poll. */
export type TransportPreference = 'auto' | TransportKind;

export interface StreamRequest {
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

export type OpenTransport = (server: ServerEndpoint, request: StreamRequest, handlers: TransportHandlers) => Transport;

/** The query string shared by the SSE and long-poll routes. Topics and ids are ASCII tokens. */
export function streamQuery(request: StreamRequest, sinceParam: 'lastEventId' | 'since'): string {
  const query = `topics=${request.topics.join(',')}&backfill=${request.backfill}`;
  return request.since === null ? query : `${query}&${sinceParam}=${encodeURIComponent(request.since)}`;
}
