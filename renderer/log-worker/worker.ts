// The log worker's entry point: it owns the stream connection and every log line the page holds (see
// ../worker-protocol.ts), so the page's main thread only draws. All behaviour is in WorkerSession.
import { serverReachable } from '../stream/server-probe';
import { StreamClient } from '../stream/stream-client';
import { openPoll } from '../stream/poll-transport';
import { openSse } from '../stream/sse-transport';
import { openWebSocket } from '../stream/ws-transport';
import type * as Contract from '../worker-channel/worker-protocol';
import { WorkerSession } from './worker-session';

const session = new WorkerSession(
  (message: Contract.WorkerMessage) => postMessage(message),
  (options, sink) => {
    const client = new StreamClient({ ...options, transports: { sse: openSse, ws: openWebSocket, poll: openPoll }, probe: serverReachable });
    client.onEvent(sink.event);
    client.onState(sink.state);
    client.start();
    sink.state(client.snapshot);
    return client;
  },
);

addEventListener('message', (event: MessageEvent<unknown>) => session.handle(event.data));
