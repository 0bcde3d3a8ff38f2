// GET /api/events: the Server-Sent Events stream (WHATWG HTML §9.2). Headers, a `retry`, then the
// client's events as they come; a comment line every heartbeat (15 s) keeps proxies and dead-peer checks honest.
import { constants as zlib, createGzip, type Gzip } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { sseFrameParts } from '../../protocol/encode';
import type { Outgoing, Subscription } from '../core/subscription';
import { ClientStream, dropStalledSocket, type TransportStats } from './client-stream';

/** After the server ends a stream, its socket is destroyed this long after (the peer had time to read the end). */
const CLOSE_GRACE_MS = 1000;
/** Fast, and still saves most of the bytes of typical logs. */
const GZIP_LEVEL = 4;

export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

export interface SseClientOptions {
  remoteAddress: string;
  /** gzip the stream (the client accepts it, and the server's policy wants it). */
  compress: boolean;
  heartbeatMs: number;
  retryMs: number;
}

export class SseClient extends ClientStream {
  private readonly out: Writable;
  private readonly gzip: Gzip | null;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    subscription: Subscription,
    stats: TransportStats,
    options: SseClientOptions,
  ) {
    super(subscription, stats, { kind: 'sse', remoteAddress: options.remoteAddress });
    const { compress } = options;
    // Added to the server's `Vary: Origin`: a header given to writeHead would replace it.
    if (compress) res.appendHeader('Vary', 'Accept-Encoding');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      ...(compress ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.socket?.setNoDelay(true);
    if (compress) {
      // Z_SYNC_FLUSH after every write: each batch leaves the compressor at once, never waits in it.
      this.gzip = createGzip({ level: GZIP_LEVEL, flush: zlib.Z_SYNC_FLUSH });
      this.gzip.pipe(res);
      this.gzip.on('error', () => this.close('gzip error'));
      this.out = this.gzip;
    } else {
      this.gzip = null;
      this.out = res;
    }
    this.out.on('drain', () => this.drained());
    res.on('close', () => this.close('client closed'));
    res.on('error', () => this.close('socket error'));
    this.out.write(`retry: ${options.retryMs}\n\n`);
    this.heartbeat = setInterval(() => {
      if (this.blockedSince === 0) this.out.write(`: ${Date.now()}\n\n`);
    }, options.heartbeatMs);
    this.heartbeat.unref();
  }

  protected write(batch: Outgoing[]): boolean {
    if (this.gzip) {
      // One buffer per write: one sync flush per batch, not per frame.
      const parts: Uint8Array[] = [];
      for (const o of batch) for (const part of sseFrameParts(o.type, o.id, o.wire)) parts.push(part);
      const chunk = Buffer.concat(parts);
      this.stats.bytesSent += chunk.length;
      return this.gzip.write(chunk);
    }
    // The frames' parts as they are (each event's bytes straight from the ring, not copied into one buffer),
    // with the socket corked: the batch leaves in one writev. Corked, a write says false once the socket holds
    // more than its high-water mark, and the socket's 'drain' (passed on as the response's) follows.
    const res = this.res;
    let ok = true;
    let bytes = 0;
    res.cork();
    try {
      for (const o of batch) {
        for (const part of sseFrameParts(o.type, o.id, o.wire)) {
          ok = res.write(part);
          bytes += part.length;
        }
      }
    } finally {
      res.uncork();
    }
    this.stats.bytesSent += bytes;
    return ok;
  }

  protected release(reason: string): void {
    clearInterval(this.heartbeat);
    const socket = this.res.socket;
    // A peer that stopped reading would hold the socket, and the kernel's send queue, for good: ending the
    // response politely waits for it to read, and even a closed fd leaves the queue to the kernel. A reset
    // (RST) frees both at once.
    if (reason === 'stalled' || this.blockedSince !== 0) return dropStalledSocket(socket);
    if (this.gzip) this.gzip.end();
    else this.res.end();
    // The response is done; a peer that does not close its side must not keep the socket either.
    if (socket) setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  }
}
