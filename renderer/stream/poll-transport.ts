// Long-poll transport: the last resort when neither an event stream nor a WebSocket gets through.
// One request at a time; each answers the events after `since`, waiting on the server when there are none.
import type { WireEvent } from '../../protocol/events';
import { apiUrl, requestCredentials } from './server-endpoint';
import { POLL_WAIT_S, streamQuery, type OpenTransport } from './transport';

/** Header with the id to pass as `since` next; without it, the last event's id is used. */
const NEXT_ID_HEADER = 'X-Tailwatch-Next';

export const openPoll: OpenTransport = (server, request, handlers, { pollTimeoutMs }) => {
  let done = false;
  let inFlight: AbortController | null = null;

  const end = (reason: string, httpStatus?: number): void => {
    if (done) return;
    done = true;
    handlers.closed(httpStatus === undefined ? { reason } : { reason, httpStatus });
  };

  const loop = async (): Promise<void> => {
    let since = request.since;
    // The first request asks for no wait, so that reaching the server is proven at once even when
    // resuming with nothing new; after that, each request waits for events.
    let wait = 0;
    while (!done) {
      const controller = new AbortController();
      inFlight = controller;
      const timer = setTimeout(() => controller.abort(), pollTimeoutMs);
      let events: unknown;
      let next: string | null;
      try {
        const response = await fetch(apiUrl(server, '/api/poll', `${streamQuery({ ...request, since }, 'since')}&wait=${wait}`), {
          signal: controller.signal,
          credentials: requestCredentials(server),
          cache: 'no-store',
          headers: { Accept: 'application/json' },
        });
        if (!response.ok) return end(`the long-poll request was answered ${response.status}`, response.status);
        next = response.headers.get(NEXT_ID_HEADER);
        events = await response.json();
      } catch (err) {
        return end(controller.signal.aborted ? 'the long-poll request timed out' : `the long-poll request failed: ${String(err)}`);
      } finally {
        clearTimeout(timer);
        inFlight = null;
      }
      if (done) return;
      if (!Array.isArray(events)) return end('the long-poll answer is not a list of events');
      if (wait === 0) handlers.ready();
      for (const event of events as WireEvent[]) {
        if (done) return;
        handlers.event(event);
      }
      since = next ?? (events.length > 0 ? (events[events.length - 1] as WireEvent).id : since);
      wait = POLL_WAIT_S;
    }
  };
  void loop();

  return {
    close() {
      done = true;
      inFlight?.abort();
    },
  };
};
