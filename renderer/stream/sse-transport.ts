// Server-sent events through the browser's EventSource: the preferred transport (plain HTTP, passes
// most proxies, compressed by the server for remote clients).
import type { EventType, WireEvent } from '../../protocol/events';
import { apiUrl } from './server-endpoint';
import { streamQuery, type OpenTransport } from './transport';

/**
 * The named events a subscription can carry. `error` is left out on purpose: on an EventSource that name
 * is the connection-error event, and the server sends client errors only on WebSocket anyway.
 */
const SSE_EVENT_TYPES: readonly EventType[] = ['hello', 'log', 'metrics', 'processes', 'source', 'gap', 'reset'];

export const openSse: OpenTransport = (server, request, handlers) => {
  // withCredentials stays false: the cookie still goes to the page's own origin, and cross-origin the
  // token in the URL is the proof.
  const source = new EventSource(apiUrl(server, '/api/events', streamQuery(request, 'lastEventId')));
  let done = false;

  const end = (reason: string): void => {
    if (done) return;
    done = true;
    source.close();
    handlers.closed({ reason });
  };

  const onMessage = (message: MessageEvent<string>): void => {
    if (done) return;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      end(`the server sent an unreadable ${message.type} event`);
      return;
    }
    // On SSE the type and id travel in the `event:` and `id:` fields, not in the JSON.
    handlers.event({ ...(data as object), type: message.type, id: message.lastEventId } as WireEvent);
  };
  for (const type of SSE_EVENT_TYPES) source.addEventListener(type, onMessage as EventListener);

  // EventSource would retry by itself, but with its own delay, without `lastEventId` in our control and
  // without any fallback: the stream client reconnects instead.
  source.onerror = () => end('the event stream was interrupted');

  return {
    close() {
      done = true;
      source.close();
    },
  };
};
