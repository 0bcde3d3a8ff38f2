// What SSE and WebSocket clients share: pulling from the client's Subscription while its socket
// takes data, stopping when the socket pushes back, and being found out when it stays stuck.
// A client's memory is bounded by its socket buffer (one write chunk past the high-water mark);
// how far behind it may fall is bounded by Subscription's maxLagBytes.
import type { Socket } from 'node:net';
import type { Topic } from '../../protocol/events';
import type { Outgoing, Subscription } from '../core/subscription';

/** How much one write takes from the subscription: large enough for throughput, small enough to bound memory. */
export const WRITE_CHUNK_BYTES = 256 * 1024;

export interface TransportStats {
  clientsConnected: number;
  clientsTotal: number;
  eventsSent: number;
  bytesSent: number;
  linesDropped: number;
  clientsDisconnectedSlow: number;
}

export function newTransportStats(): TransportStats {
  return { clientsConnected: 0, clientsTotal: 0, eventsSent: 0, bytesSent: 0, linesDropped: 0, clientsDisconnectedSlow: 0 };
}

export interface ClientInfo {
  kind: 'sse' | 'ws' | 'poll';
  remoteAddress: string;
  since: number;
}

export abstract class ClientStream {
  readonly info: ClientInfo;
  /** When the socket last refused more (0 when it takes data). */
  blockedSince = 0;
  closed = false;
  private pumping = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    /** Null until a WebSocket client subscribes. */
    protected subscription: Subscription | null,
    protected readonly stats: TransportStats,
    info: Omit<ClientInfo, 'since'>,
  ) {
    this.info = { ...info, since: Date.now() };
    stats.clientsConnected++;
    stats.clientsTotal++;
  }

  /** Does this client take events of `topic` now (false until a WebSocket client subscribes)? */
  wants(topic: Topic): boolean {
    return this.subscription?.wants(topic) ?? false;
  }

  /** Sends what the client can take now. Called when the hub has new events and when the socket drains. */
  pump(): void {
    const sub = this.subscription;
    if (!sub || this.closed || this.blockedSince !== 0 || this.pumping) return;
    this.pumping = true;
    try {
      while (sub.ready && !this.closed) {
        const dropped = sub.linesDropped;
        const batch = sub.take(WRITE_CHUNK_BYTES);
        this.stats.linesDropped += sub.linesDropped - dropped;
        if (batch.length === 0) break;
        this.stats.eventsSent += batch.length;
        if (!this.write(batch)) {
          this.blockedSince = Date.now();
          break;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The socket took what was buffered: go on. */
  protected drained(): void {
    this.blockedSince = 0;
    this.pump();
  }

  /** Closes the client if its socket has taken nothing for `stallMs`. */
  checkStalled(now: number, stallMs: number): void {
    if (this.blockedSince !== 0 && now - this.blockedSince > stallMs) {
      this.stats.clientsDisconnectedSlow++;
      this.close('stalled');
    }
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** Marks the stream closed once; subclasses release their socket. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.subscription?.close();
    this.stats.clientsConnected--;
    this.release(reason);
    for (const listener of this.closeListeners) listener();
  }

  /** Writes events; false when the socket pushes back (then `drained()` must be called later). */
  protected abstract write(batch: Outgoing[]): boolean;
  protected abstract release(reason: string): void;
}

/**
 * Drops a connection whose peer stopped reading. A plain close leaves the unsent bytes in the kernel's send
 * queue, held until TCP gives up on the peer (minutes); a reset (RST) frees them at once. TLS sockets cannot
 * be reset from Node (their handle is not TCP's): they are destroyed.
 */
export function dropStalledSocket(socket: Socket | null | undefined): void {
  if (!socket) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
