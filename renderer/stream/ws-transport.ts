// WebSocket transport: the fallback when an event stream cannot get through (some proxies buffer
// text/event-stream). Subscribes after open and watches for silence, since a dead TCP peer is not
// reported by the browser for minutes.
import type { WireEvent } from '../../protocol/events';
import type { PingMessage, SubscribeMessage } from '../../protocol/client-messages';
import { webSocketUrl } from './server-endpoint';
import type { OpenTransport } from './transport';

const PING: string = JSON.stringify({ type: 'ping' } satisfies PingMessage);

export const openWebSocket: OpenTransport = (server, request, handlers, { pingIntervalMs, silenceLimitMs }) => {
  const socket = new WebSocket(webSocketUrl(server, '/api/ws'));
  let done = false;
  let pinger: ReturnType<typeof setInterval> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;

  const stop = (): void => {
    done = true;
    clearInterval(pinger);
    clearTimeout(watchdog);
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.close();
  };
  const end = (reason: string): void => {
    if (done) return;
    stop();
    handlers.closed({ reason });
  };
  const armWatchdog = (): void => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => end(`no message from the server for ${silenceLimitMs / 1000} s`), silenceLimitMs);
  };

  socket.onopen = () => {
    const subscribe: SubscribeMessage = { type: 'subscribe', topics: [...request.topics], backfill: request.backfill };
    if (request.since !== null) subscribe.since = request.since;
    socket.send(JSON.stringify(subscribe));
    pinger = setInterval(() => socket.send(PING), pingIntervalMs);
    armWatchdog();
  };
  socket.onmessage = (message: MessageEvent) => {
    armWatchdog();
    if (typeof message.data !== 'string') return;
    let event: WireEvent;
    try {
      event = JSON.parse(message.data) as WireEvent;
    } catch {
      end('the server sent an unreadable WebSocket message');
      return;
    }
    if (event.type === 'pong') return;
    // An `error` answers a message of ours: a bug on this side, worth a trace, not a reconnect.
    if (event.type === 'error') console.warn(`tailwatch: the server refused a message (${event.code}): ${event.message}`);
    else handlers.event(event);
  };
  // `error` is always followed by `close`, which carries the code.
  socket.onclose = (close: CloseEvent) =>
    end(`the WebSocket closed (${close.code}${close.reason ? `: ${close.reason}` : ''})`);

  return { close: stop };
};
