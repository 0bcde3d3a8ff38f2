// GET /api/ws: the WebSocket endpoint (`ws` in noServer mode, after the HTTP server has checked
// Host, Origin and token). JSON text frames both ways; every client message is validated.
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { wireJson } from '../../protocol/encode';
import { DEFAULT_TOPICS, type ErrorData } from '../../protocol/events';
import { CLIENT_LIMITS, ClientMessageError, parseClientMessage, type ClientMessage } from '../../protocol/client-messages';
import type { Outgoing } from '../core/subscription';
import { ClientStream, dropStalledSocket } from './client-stream';
import type { ServerContext } from './server-context';

/** Frames larger than this close the connection with 1009 (message too big). */
export const WS_MAX_PAYLOAD = 64 * 1024;
/** Stop sending while more than this is buffered for the socket. */
const WS_HIGH_WATER_BYTES = 1024 * 1024;
/**
 * A client that asks for replies (pong, error) and does not read them is closed once this much waits for
 * its socket: replies are not events, so no `gap` can stand in for them.
 */
export const WS_MAX_UNREAD_BYTES = 4 * 1024 * 1024;
/** Messages a client may send: a burst of this many, then WS_MESSAGES_PER_S; past that it is closed (1008). */
export const WS_MESSAGE_BURST = 100;
export const WS_MESSAGES_PER_S = 20;
const TEXT = { binary: false } as const;

export function createWsServer(): WebSocketServer {
  // permessage-deflate off: it costs CPU and memory per connection, and the data is already batched.
  return new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false, clientTracking: false });
}

export class WsClient extends ClientStream {
  private alive = true;
  private lastPing = Date.now();
  /** Messages the client may still send now (a token bucket: WS_MESSAGE_BURST, refilled at WS_MESSAGES_PER_S). */
  private allowance = WS_MESSAGE_BURST;
  private allowanceAt = Date.now();

  constructor(
    private readonly ws: WebSocket,
    /** The upgraded connection, so that a stalled peer can be reset (see dropStalledSocket). */
    private readonly socket: Socket,
    private readonly ctx: ServerContext,
    remoteAddress: string,
  ) {
    super(null, ctx.stats, { kind: 'ws', remoteAddress });
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    ws.on('close', () => this.close('client closed'));
    ws.on('error', () => this.close('socket error'));
  }

  /** Pings every interval; a peer that did not answer the last ping is terminated. */
  checkAlive(now: number): void {
    if (this.closed || now - this.lastPing < this.ctx.options.pingIntervalMs) return;
    if (!this.alive) {
      this.close('no pong');
      return;
    }
    this.alive = false;
    this.lastPing = now;
    this.ws.ping();
  }

  /** Every message ends here: whatever it holds, nothing it causes may reach `ws`'s listener as an exception. */
  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    if (!this.takeAllowance()) return this.close('flooding');
    try {
      if (isBinary) throw new ClientMessageError('bad-message', 'binary frames are not accepted; send JSON text');
      this.handle(parseClientMessage(data.toString()));
    } catch (err) {
      const reply: ErrorData =
        err instanceof ClientMessageError
          ? { code: err.code, message: err.message }
          : { code: 'internal', message: 'the server failed on this message; the connection stays open' };
      this.sendControl('error', reply);
    }
  }

  private takeAllowance(): boolean {
    const now = Date.now();
    this.allowance = Math.min(WS_MESSAGE_BURST, this.allowance + ((now - this.allowanceAt) / 1000) * WS_MESSAGES_PER_S);
    this.allowanceAt = now;
    if (this.allowance < 1) return false;
    this.allowance--;
    return true;
  }

  private handle(msg: ClientMessage): void {
    switch (msg.type) {
      case 'ping':
        this.sendControl('pong', { serverTime: Date.now() });
        return;
      case 'subscribe': {
        const backfill = msg.backfill ?? this.ctx.options.backfill;
        if (!this.subscription) {
          // The first subscribe starts the stream: hello, then a resume or a backfill.
          this.subscription = this.ctx.subscribe(msg.topics ?? DEFAULT_TOPICS, msg.sources ?? null);
          this.subscription.start({ since: msg.since, backfill }, this.ctx.hello());
        } else {
          // Later ones add topics and sources from the current position (sources left out: unchanged).
          if (!this.subscription.add(msg.topics ?? [], msg.sources ?? [])) throw tooManySources();
          if (msg.since !== undefined) this.subscription.reposition({ since: msg.since, backfill });
        }
        this.pump();
        return;
      }
      case 'unsubscribe': {
        const removed =
          msg.topics === undefined && msg.sources === undefined
            ? this.subscription?.remove(DEFAULT_TOPICS, null)
            : this.subscription?.remove(msg.topics ?? null, msg.sources ?? null);
        if (removed === false) throw tooManySources();
        return;
      }
    }
  }

  /** Replies that are not part of the event stream; they carry the stream's current position as id. */
  private sendControl(type: 'pong' | 'error', data: object): void {
    if (this.closed) return;
    if (this.ws.bufferedAmount > WS_MAX_UNREAD_BYTES) {
      this.stats.clientsDisconnectedSlow++;
      this.close('stalled');
      return;
    }
    const id = this.subscription?.positionId ?? this.ctx.hub.idOf(this.ctx.hub.ring.headN);
    this.ws.send(wireJson(type, id, JSON.stringify(data)));
  }

  protected write(batch: Outgoing[]): boolean {
    // Corked: the batch's frames (each a header and the event's bytes) leave in one writev, not one each.
    this.socket.cork();
    try {
      for (let i = 0; i < batch.length; i++) {
        const { wire } = batch[i]!;
        this.stats.bytesSent += wire.length;
        // The event's UTF-8 JSON goes out as it is, as a text frame. The last frame's callback runs once
        // everything before it is on the socket: resume then.
        if (i === batch.length - 1) this.ws.send(wire, TEXT, () => this.blockedSince !== 0 && !this.closed && this.drained());
        else this.ws.send(wire, TEXT);
      }
    } finally {
      this.socket.uncork();
    }
    return this.ws.bufferedAmount < WS_HIGH_WATER_BYTES;
  }

  protected release(reason: string): void {
    if (reason === 'client closed') return;
    if (reason === 'shutdown') return this.closeHandshake(1001, 'server shutting down');
    if (reason === 'flooding') return this.closeHandshake(1008, `more than ${WS_MESSAGES_PER_S} messages a second`);
    if (reason === 'stalled' || reason === 'no pong') dropStalledSocket(this.socket);
    this.ws.terminate();
  }

  private closeHandshake(code: number, reason: string): void {
    this.ws.close(code, reason);
    // A peer that does not answer the close handshake must not hold its socket.
    setTimeout(() => this.ws.terminate(), 500).unref();
  }

}

function tooManySources(): ClientMessageError {
  return new ClientMessageError(
    'too-many-sources',
    `a subscription may name at most ${CLIENT_LIMITS.maxSourcesPerClient} sources; unsubscribe some first, or subscribe to every source`,
  );
}
