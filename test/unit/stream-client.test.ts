import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { WireEvent } from '../../protocol/events';
import { OptionError } from '../../renderer/services/options';
import { STREAM_CLIENT_DEFAULTS, StreamClient, type StreamClientOptions } from '../../renderer/stream/stream-client';
import type { TransportHandlers, TransportTimings } from '../../renderer/stream/transport';
import type { StreamState, TransportKind } from '../../renderer/worker-channel/worker-protocol';
import { waitFor } from '../helpers/wait';

const SERVER = { base: 'http://127.0.0.1:8080/', token: null };
/** Short timings: the supervisor's decisions in milliseconds instead of seconds. */
const SHORT = { helloTimeoutMs: 40, stableConnectionMs: 60, firstRetryDelayMs: 4, maxRetryDelayMs: 8, probeTimeoutMs: 20 } as const;

interface Opened {
  kind: TransportKind;
  since: string | null;
  handlers: TransportHandlers;
  timings: TransportTimings;
  closed: boolean;
}

/** A client over fake transports: each open is recorded and driven by the test. */
function client(t: TestContext, options: Partial<StreamClientOptions> = {}, reachable = true) {
  const opened: Opened[] = [];
  const fake = (kind: TransportKind) => (_server: unknown, request: { since: string | null }, handlers: TransportHandlers, timings: TransportTimings) => {
    const entry: Opened = { kind, since: request.since, handlers, timings, closed: false };
    opened.push(entry);
    return { close: () => (entry.closed = true) };
  };
  const probes: number[] = [];
  const network = new EventTarget();
  t.mock.method(console, 'info', () => {});
  const stream = new StreamClient({
    server: SERVER,
    topics: ['logs'],
    backfill: 10,
    transport: 'auto',
    ...SHORT,
    transports: { sse: fake('sse'), ws: fake('ws'), poll: fake('poll') },
    probe: async (_server, timeoutMs) => {
      probes.push(timeoutMs);
      return reachable;
    },
    network,
    ...options,
  });
  const events: WireEvent[] = [];
  const states: StreamState[] = [];
  stream.onEvent((event) => events.push(event));
  stream.onState((state) => states.push(state));
  t.after(() => stream.stop());
  const last = () => opened[opened.length - 1]!;
  return { stream, opened, last, events, states, probes, network };
}

const hello = (id: string, epoch = 'e1'): WireEvent => ({ type: 'hello', id, epoch, serverTime: Date.now(), version: '0.1.0', sources: [] });
const log = (id: string, ...seqs: number[]): WireEvent => ({ type: 'log', id, source: 'a', lines: seqs.map((seq) => ({ seq, ts: seq, text: `line ${seq}` })) });

test('options: the defaults are documented values; every timing reaches the transports', (t) => {
  assert.deepEqual(STREAM_CLIENT_DEFAULTS, {
    helloTimeoutMs: 5_000,
    failuresBeforeFallback: 2,
    stableConnectionMs: 10_000,
    firstRetryDelayMs: 500,
    maxRetryDelayMs: 15_000,
    probeTimeoutMs: 3_000,
    pingIntervalMs: 20_000,
    silenceLimitMs: 45_000,
    pollTimeoutMs: 35_000,
    maxTrackedSources: 10_000,
  });
  const { stream, last } = client(t, { pingIntervalMs: 7, silenceLimitMs: 30, pollTimeoutMs: 25_500 });
  stream.start();
  assert.deepEqual({ ping: last().timings.pingIntervalMs, silence: last().timings.silenceLimitMs, poll: last().timings.pollTimeoutMs }, { ping: 7, silence: 30, poll: 25_500 });
});

test('options are checked at construction, with errors that name the option and the value', () => {
  const transports = { sse: () => ({ close() {} }), ws: () => ({ close() {} }), poll: () => ({ close() {} }) };
  const make = (options: Partial<StreamClientOptions>) => () =>
    new StreamClient({ server: SERVER, topics: ['logs'], backfill: 10, transport: 'auto', transports, probe: async () => true, ...options });
  const refused = (options: Partial<StreamClientOptions>, option: string, pattern: RegExp) =>
    assert.throws(make(options), (error: unknown) => error instanceof OptionError && error.code === 'ERR_TAILWATCH_OPTION' && error.option === option && pattern.test(error.message));
  refused({ helloTimeoutMs: 0 }, 'helloTimeoutMs', /^StreamClient: option helloTimeoutMs must be a number of at least 1, got 0$/);
  refused({ probeTimeoutMs: Number.NaN }, 'probeTimeoutMs', /got NaN/);
  refused({ failuresBeforeFallback: 1.5 }, 'failuresBeforeFallback', /whole number of at least 1, got 1\.5/);
  refused({ maxTrackedSources: '10' as unknown as number }, 'maxTrackedSources', /got "10"/);
  refused({ pollTimeoutMs: 25_000 }, 'pollTimeoutMs', /at least 25001, got 25000/);
  refused({ firstRetryDelayMs: 100, maxRetryDelayMs: 50 }, 'maxRetryDelayMs', /at least firstRetryDelayMs \(100\), got 50/);
  refused({ pingIntervalMs: 100, silenceLimitMs: 100 }, 'silenceLimitMs', /more than pingIntervalMs \(100\), got 100/);
  refused({ transport: 'pigeon' as 'sse' }, 'transport', /one of auto, sse, ws, poll, got pigeon/);
  assert.doesNotThrow(make({ helloTimeoutMs: undefined }), 'undefined is the default');
});

test('a transport that delivers nothing within helloTimeoutMs is given up at once for the next, when the server answers', async (t) => {
  const { stream, opened, probes } = client(t);
  stream.start();
  assert.deepEqual(opened.map((o) => o.kind), ['sse']);
  await waitFor(() => opened.length === 2, 'another transport opened');
  assert.equal(opened[0]!.closed, true);
  assert.equal(opened[1]!.kind, 'ws');
  assert.deepEqual(probes, [SHORT.probeTimeoutMs]);
  assert.equal(stream.snapshot.transport, 'ws');
  assert.match(stream.snapshot.detail ?? '', /^sse: no answer within 0\.04 s$/);
});

test('failures before any event: the same transport again after a backoff delay, the next one after failuresBeforeFallback', async (t) => {
  const { stream, opened, last } = client(t, { failuresBeforeFallback: 3, helloTimeoutMs: 10_000 });
  stream.start();
  for (let failure = 1; failure <= 3; failure++) {
    last().handlers.closed({ reason: 'refused' });
    await waitFor(() => opened.length === failure + 1, 'another transport opened');
  }
  assert.deepEqual(opened.map((o) => o.kind), ['sse', 'sse', 'sse', 'ws']);
  assert.equal(stream.snapshot.status, 'connecting', 'never connected yet');
});

test('a server that does not answer is offline, and the transport is kept', async (t) => {
  const { stream, opened, last, states } = client(t, { failuresBeforeFallback: 1, helloTimeoutMs: 10_000 }, false);
  stream.start();
  last().handlers.closed({ reason: 'refused' });
  await waitFor(() => opened.length === 2, 'another transport opened');
  assert.deepEqual(opened.map((o) => o.kind), ['sse', 'sse']);
  assert.ok(states.some((s) => s.status === 'offline' && s.detail === 'the server does not answer (sse: refused)'));
});

test('401: offline with what to do, without probing or falling back', async (t) => {
  const { stream, opened, last, probes } = client(t, { helloTimeoutMs: 10_000 });
  stream.start();
  last().handlers.closed({ reason: 'the long-poll request was answered 401', httpStatus: 401 });
  assert.deepEqual({ status: stream.snapshot.status, detail: stream.snapshot.detail }, { status: 'offline', detail: 'the access token is missing or wrong: open the link the server printed' });
  await waitFor(() => opened.length === 2, 'another transport opened');
  assert.deepEqual(opened.map((o) => o.kind), ['sse', 'sse']);
  assert.deepEqual(probes, []);
});

test('a lost connection reconnects from the last event delivered, and lines delivered before are not delivered again', async (t) => {
  const { stream, opened, last, events } = client(t);
  stream.start();
  last().handlers.event(hello('e1-1'));
  assert.equal(stream.snapshot.status, 'connected');
  last().handlers.event(log('e1-2', 1, 2));
  last().handlers.closed({ reason: 'the event stream was interrupted' });
  assert.equal(stream.snapshot.status, 'reconnecting');
  await waitFor(() => opened.length === 2, 'another transport opened');
  assert.equal(last().kind, 'sse', 'a connection that delivered events is not given up');
  assert.equal(last().since, 'e1-2');
  last().handlers.event(hello('e1-3'));
  last().handlers.event(log('e1-4', 2, 3));
  assert.deepEqual(
    events.map((e) => (e.type === 'log' ? e.lines.map((l) => l.seq) : e.type)),
    ['hello', [1, 2], 'hello', [3]],
  );
  // Events of the old connection that come late are ignored.
  opened[0]!.handlers.event(log('e1-9', 9));
  assert.equal(events.length, 4);
});

test('the backoff grows with each failed reconnect and starts over after a connection that lasted stableConnectionMs', async (t) => {
  const { stream, opened, last } = client(t, { firstRetryDelayMs: 20, maxRetryDelayMs: 80, stableConnectionMs: 50 });
  // The top of each step's jitter, and the delay each reconnect is scheduled with.
  t.mock.method(Math, 'random', () => 1);
  const realSetTimeout = globalThis.setTimeout;
  const delays: number[] = [];
  const drop = (): void => {
    const mock = t.mock.method(globalThis, 'setTimeout', ((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return realSetTimeout(fn, ms);
    }) as typeof setTimeout);
    last().handlers.closed({ reason: 'dropped' });
    mock.mock.restore();
  };
  stream.start();
  last().handlers.event(hello('e1-1'));
  for (let n = 2; n <= 5; n++) {
    drop();
    await waitFor(() => opened.length === n, `reconnect ${n - 1}`);
    last().handlers.event(hello(`e1-${n}`));
  }
  assert.deepEqual(delays, [20, 40, 80, 80], 'doubling up to maxRetryDelayMs');
  await new Promise((resolve) => realSetTimeout(resolve, 70));
  drop();
  assert.equal(delays[4], 20, 'after a connection that lasted stableConnectionMs the delays start over');
});

test('`online` retries at once instead of waiting out the delay; stop() ends everything', async (t) => {
  const { stream, opened, last, network } = client(t, { firstRetryDelayMs: 60_000, maxRetryDelayMs: 60_000, helloTimeoutMs: 10_000 });
  stream.start();
  last().handlers.event(hello('e1-1'));
  last().handlers.closed({ reason: 'dropped' });
  network.dispatchEvent(new Event('online'));
  assert.equal(opened.length, 2);
  stream.stop();
  assert.equal(last().closed, true);
  network.dispatchEvent(new Event('online'));
  last().handlers.closed({ reason: 'late' });
  assert.equal(opened.length, 2);
});
