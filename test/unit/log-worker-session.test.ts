import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceInfo, WireEvent } from '../../protocol/events';
import type { StreamState, UpdateMessage, WorkerMessage } from '../../renderer/worker-channel/worker-protocol';
import { STREAM_TOPICS, WorkerSession, type StreamOptions, type StreamSink } from '../../renderer/log-worker/worker-session';

const macrotask = () => new Promise((resolve) => setTimeout(resolve, 5));
const source = (id: string, name: string): SourceInfo => ({ id, path: `/var/log/${name}`, name, state: 'live', size: 0, lines: 0, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0 });
const SERVER = { base: 'http://127.0.0.1:8080/', token: null };
const connected: StreamState = { status: 'connected', transport: 'sse', detail: null, clockOffsetMs: 250, lastEventAt: null };

/** A session whose stream is fed by the test: the StreamClient needs a browser and a server. */
function start(t: TestContext, clock = { now: 1_000_000 }) {
  const posted: WorkerMessage[] = [];
  const opened: { options: StreamOptions; sink: StreamSink; stopped: boolean }[] = [];
  const session = new WorkerSession(
    (message) => posted.push(message),
    (options, sink) => {
      const stream = { options, sink, stopped: false };
      opened.push(stream);
      return { stop: () => (stream.stopped = true) };
    },
    () => clock.now,
  );
  const warnings: string[] = [];
  t.mock.method(console, 'warn', (...args: unknown[]) => warnings.push(args.map(String).join(' ')));
  session.handle({ type: 'connect', server: SERVER, transport: 'sse', backfill: 500, bufferLines: 5_000 });
  session.handle({ type: 'views', views: [{ id: 'all', sources: null }] });
  const sink = opened[0]!.sink;
  const event = (e: Record<string, unknown>) => sink.event({ id: 'e1-1', ...e } as WireEvent);
  const of = <T extends WorkerMessage['type']>(type: T) => posted.filter((m): m is Extract<WorkerMessage, { type: T }> => m.type === type);
  return { session, posted, opened, sink, event, of, warnings, clock };
}

test('connect opens the stream with the server, topics and backfill; a second connect replaces it and starts the views over', async (t) => {
  const { session, opened, event, of } = start(t);
  assert.deepEqual(opened[0]!.options, { server: SERVER, topics: STREAM_TOPICS, backfill: 500, transport: 'sse' });
  event({ type: 'log', source: 'a', lines: [{ seq: 1, ts: 1, text: 'x' }] });
  await macrotask();
  assert.equal(of('update').at(-1)!.views[0]!.total, 1);
  session.handle({ type: 'frame' });
  const desktopServer = { base: 'http://127.0.0.1:39001/', token: 'desktop-token' };
  session.handle({ type: 'connect', server: desktopServer, transport: 'poll', backfill: 10, bufferLines: 5_000 });
  assert.equal(opened[0]!.stopped, true);
  assert.equal(opened[1]!.options.transport, 'poll');
  assert.deepEqual(opened[1]!.options.server, desktopServer);
  // The old stream's late events are ignored.
  opened[0]!.sink.event({ type: 'log', id: 'e1-2', source: 'a', lines: [{ seq: 2, ts: 2, text: 'late' }] });
  await macrotask();
  assert.equal(of('update').at(-1)!.views[0]!.total, 0);
});

test('one update per frame: changes accumulate until the page asks for the next', async (t) => {
  const { session, event, of } = start(t);
  event({ type: 'log', source: 'a', lines: [{ seq: 1, ts: 1, text: 'one' }] });
  event({ type: 'log', source: 'a', lines: [{ seq: 2, ts: 2, text: 'two' }] });
  await macrotask();
  assert.equal(of('update').length, 1, 'the first update needs no frame');
  assert.deepEqual(of('update')[0]!.views[0]!.window.rows.map((row) => row.text), ['one', 'two']);
  for (let seq = 3; seq <= 50; seq++) event({ type: 'log', source: 'a', lines: [{ seq, ts: seq, text: `line ${seq}` }] });
  session.handle({ type: 'window', view: 'all', follow: true, first: 0, count: 3 });
  await macrotask();
  assert.equal(of('update').length, 1, 'no frame, no update');
  session.handle({ type: 'frame' });
  await macrotask();
  const second: UpdateMessage = of('update')[1]!;
  assert.equal(of('update').length, 2);
  assert.deepEqual(second.views[0]!.window.rows.map((row) => row.text), ['line 48', 'line 49', 'line 50']);
  assert.equal(second.views[0]!.total, 50);
  // A frame with nothing new sends nothing, and the next change goes out without waiting for another frame.
  session.handle({ type: 'frame' });
  await macrotask();
  assert.equal(of('update').length, 2);
  event({ type: 'log', source: 'a', lines: [{ seq: 51, ts: 51, text: 'line 51' }] });
  await macrotask();
  assert.equal(of('update').length, 3);
});

test('server events are forwarded, log lines are not; gap and reset become markers with their exact words', async (t) => {
  const { event, of } = start(t);
  event({ type: 'hello', epoch: 'e1', serverTime: 0, version: 'test', sources: [source('s1', 'app.log')] });
  event({ type: 'source', op: 'add', source: source('s2', 'db.log') });
  event({ type: 'log', source: 's2', lines: [{ seq: 1, ts: 1, text: 'x' }] });
  event({ type: 'gap', source: 's1', missed: 42, reason: 'slow-client' });
  event({ type: 'gap', source: 's2', missed: 3, reason: 'expired' });
  event({ type: 'gap', missed: 7, reason: 'slow-client' });
  event({ type: 'pong', serverTime: 1 });
  await macrotask();
  assert.deepEqual(
    of('server-event').map((m) => m.event.type),
    ['hello', 'source', 'gap', 'gap', 'gap'],
  );
  assert.deepEqual(of('update').at(-1)!.views[0]!.window.rows.map((row) => row.text), [
    'x',
    '42 lines of app.log not received (this view fell behind)',
    '3 lines of db.log not received (disconnected too long to resume)',
    '7 events not received (this view fell behind)',
  ]);
});

test('a gap marker names its source as the page shows it: bidi and invisible characters as ⟨U+XXXX⟩', async (t) => {
  const { event, of } = start(t);
  event({ type: 'hello', epoch: 'e1', serverTime: 0, version: 'test', sources: [source('s1', 'bidi\u202Etxt.exe\u202C.log')] });
  event({ type: 'source', op: 'add', source: source('s2', 'app\u200B.log') });
  event({ type: 'gap', source: 's1', missed: 2, reason: 'slow-client' });
  event({ type: 'gap', source: 's2', missed: 3, reason: 'slow-client' });
  await macrotask();
  assert.deepEqual(of('update').at(-1)!.views[0]!.window.rows.map((row) => row.text), [
    '2 lines of bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log not received (this view fell behind)',
    '3 lines of app⟨U+200B⟩.log not received (this view fell behind)',
  ]);
});

test('a reset clears the views with exactly one marker', async (t) => {
  const { session, event, of } = start(t);
  event({ type: 'log', source: 'a', lines: [{ seq: 1, ts: 1, text: 'old run' }] });
  await macrotask();
  session.handle({ type: 'frame' });
  event({ type: 'reset', epoch: 'e2', reason: 'unknown-epoch' });
  event({ type: 'log', source: 'a', lines: [{ seq: 1, ts: 2, text: 'after the restart' }] });
  await macrotask();
  const rows = of('update').at(-1)!.views[0]!.window.rows;
  assert.deepEqual(rows.map((row) => [row.kind, row.text]), [
    ['marker', 'server restarted: earlier lines were cleared'],
    ['line', 'after the restart'],
  ]);
  assert.equal(of('server-event').at(-1)!.event.type, 'reset');
});

test('stream state is forwarded; lagMs is how much later than at hello metrics samples arrive', (t) => {
  const { sink, event, of, clock } = start(t);
  sink.state(connected);
  assert.deepEqual(of('stream').at(-1), { type: 'stream', state: connected, lagMs: null });
  // Offset 250 ms at hello; a sample taken at 999,000 arriving at 1,000,000 is 1,000 ms old: 750 ms of lag.
  event({ type: 'metrics', ts: 999_000 });
  assert.deepEqual(of('stream').at(-1), { type: 'stream', state: connected, lagMs: 750 });
  clock.now = 2_000_100;
  event({ type: 'metrics', ts: 2_000_000 });
  assert.equal(of('stream').at(-1)!.lagMs, 0);
  event({ type: 'hello', epoch: 'e1', serverTime: 0, version: 'test', sources: [] });
  assert.equal(of('stream').at(-1)!.lagMs, null, 'a new connection measures afresh');
});

test('seek and export are answered, for unknown views too; malformed messages are ignored with a warning', async (t) => {
  const { session, event, of, warnings } = start(t);
  event({ type: 'log', source: 'a', lines: [{ seq: 1, ts: 10, text: 'a' }, { seq: 2, ts: 20, text: 'b' }] });
  session.handle({ type: 'seek', requestId: 1, view: 'all', ts: 15 });
  session.handle({ type: 'seek', requestId: 2, view: 'none', ts: 15 });
  // With a line: the row holding it, wherever its time is; null when the view does not show it.
  session.handle({ type: 'seek', requestId: 7, view: 'all', ts: 0, line: { source: 'a', seq: 2 } });
  session.handle({ type: 'seek', requestId: 8, view: 'all', ts: 15, line: { source: 'a', seq: 3 } });
  session.handle({ type: 'export', requestId: 3, view: 'all' });
  session.handle({ type: 'export', requestId: 4, view: 'none', first: 0, last: 1 });
  assert.deepEqual(of('seek-result'), [
    { type: 'seek-result', requestId: 1, view: 'all', index: 1 },
    { type: 'seek-result', requestId: 2, view: 'none', index: null },
    { type: 'seek-result', requestId: 7, view: 'all', index: 1 },
    { type: 'seek-result', requestId: 8, view: 'all', index: null },
  ]);
  assert.deepEqual(of('export-result'), [
    { type: 'export-result', requestId: 3, text: 'a\nb', lines: 2 },
    { type: 'export-result', requestId: 4, text: '', lines: 0 },
  ]);
  const before = warnings.length;
  for (const bad of [
    null,
    'frame',
    { type: 'nope' },
    { type: 'window', view: 'all', follow: 'yes', first: 0, count: 1 },
    { type: 'filter', filter: { query: 1 }, highlights: [] },
    { type: 'filter', filter: { query: '', invert: false, mode: 'filter', hiddenLevels: ['loud'], hiddenSources: [] }, highlights: [] },
    { type: 'views', views: [{ id: 1, sources: null }] },
    { type: 'connect', server: SERVER, transport: 'carrier-pigeon', backfill: 1, bufferLines: 1 },
    { type: 'connect', transport: 'sse', backfill: 1, bufferLines: 1 },
    { type: 'connect', server: { base: 'javascript:alert(1)', token: null }, transport: 'sse', backfill: 1, bufferLines: 1 },
    { type: 'connect', server: { base: 'http://127.0.0.1:8080/', token: 7 }, transport: 'sse', backfill: 1, bufferLines: 1 },
    { type: 'seek', requestId: 5, view: 'all', ts: Number.NaN },
    { type: 'seek', requestId: 9, view: 'all', ts: 0, line: { source: 'a', seq: '2' } },
    { type: 'export', requestId: 6, view: 'all', first: 0.5 },
  ]) {
    session.handle(bad);
  }
  assert.equal(warnings.length - before, 14);
  assert.match(warnings.at(-1)!, /export message: bad first: 0\.5/);
  assert.equal(of('seek-result').length, 4);
  await macrotask();
});

test('a removed source is released to the page once no view holds a line of it, not before its lines came', async (t) => {
  const { session, event, of, clock } = start(t);
  const released = () => of('sources-released').flatMap((m) => m.sources);
  const removed = (id: string, name: string): SourceInfo => ({ ...source(id, name), state: 'removed' });
  // A reload: hello lists "gone" as removed; its backfill comes after the hello.
  event({ type: 'hello', epoch: 'e1', serverTime: 0, version: 'test', sources: [source('a', 'a.log'), source('quiet', 'quiet.log'), removed('gone', 'gone.log')] });
  assert.deepEqual(released(), [], 'waiting for its backfill');
  event({ type: 'log', source: 'gone', lines: [{ seq: 1, ts: 1, text: 'gone 1' }] });
  event({ type: 'log', source: 'a', lines: [{ seq: 1, ts: 2, text: 'a 1' }] });
  await macrotask();
  // A source removed with no line held goes at once; the page gets the event first.
  event({ type: 'source', op: 'remove', source: removed('quiet', 'quiet.log') });
  assert.deepEqual(released(), ['quiet']);
  assert.equal(of('server-event').at(-1)!.event.type, 'source');
  // One removed with lines held stays while the buffer (5,000 lines) holds one of them.
  event({ type: 'source', op: 'remove', source: removed('a', 'a.log') });
  session.handle({ type: 'frame' });
  event({ type: 'log', source: 'b', lines: Array.from({ length: 4_998 }, (_, i) => ({ seq: i + 1, ts: 3 + i, text: `b ${i + 1}` })) });
  await macrotask();
  assert.deepEqual(released(), ['quiet']);
  session.handle({ type: 'frame' });
  event({ type: 'log', source: 'b', lines: [{ seq: 4_999, ts: 10_000, text: 'pushes gone 1 out' }] });
  await macrotask();
  assert.deepEqual(released(), ['quiet', 'gone']);
  session.handle({ type: 'frame' });
  event({ type: 'log', source: 'b', lines: [{ seq: 5_000, ts: 10_001, text: 'pushes a 1 out' }] });
  await macrotask();
  assert.deepEqual(released(), ['quiet', 'gone', 'a']);

  // A removed source whose backfill never comes (the page shows no view of it) is let go of after a while.
  event({ type: 'hello', epoch: 'e1', serverTime: 0, version: 'test', sources: [source('b', 'b.log'), removed('old', 'old.log')] });
  event({ type: 'metrics', ts: 0 });
  assert.ok(!released().includes('old'));
  clock.now += 30_000;
  event({ type: 'metrics', ts: 0 });
  assert.deepEqual(released().at(-1), 'old');
});

test('a source followed before and missing from a new hello is released with the views it had lines in', async (t) => {
  const { event, of } = start(t);
  event({ type: 'hello', epoch: 'e1', serverTime: 0, version: 'test', sources: [source('a', 'a.log'), source('b', 'b.log')] });
  event({ type: 'log', source: 'a', lines: [{ seq: 1, ts: 1, text: 'a 1' }] });
  await macrotask();
  // The server restarted: the reset clears the views first, then hello names what it follows now.
  event({ type: 'reset', epoch: 'e2', reason: 'unknown-epoch' });
  event({ type: 'hello', epoch: 'e2', serverTime: 0, version: 'test', sources: [] });
  assert.deepEqual(of('sources-released').flatMap((m) => m.sources).sort(), ['a', 'b']);
});

test('fold unfolds an entry of the list it names; export heads each source’s run with its name; a bad fold is ignored', async (t) => {
  const { session, event, of, warnings } = start(t);
  event({ type: 'hello', epoch: 'e1', serverTime: 0, version: 'test', sources: [source('a', 'app.log'), source('b', 'jobs.log')] });
  event({ type: 'log', source: 'a', lines: [{ seq: 1, ts: 1, text: 'ERROR failed', level: 'error' }, { seq: 2, ts: 1, text: '\tat x.y(Z.java:1)', level: 'error', cont: true }] });
  event({ type: 'log', source: 'b', lines: [{ seq: 1, ts: 2, text: 'next' }] });
  await macrotask();
  const first = of('update').at(-1)!.views[0]!;
  const row = first.window.rows[0]!;
  assert.deepEqual(row.kind === 'line' && { lines: row.lines, unfolded: row.unfolded }, { lines: 2, unfolded: undefined });
  session.handle({ type: 'frame' });
  session.handle({ type: 'fold', view: 'all', generation: first.generation, index: row.index, open: true });
  await macrotask();
  const unfolded = of('update').at(-1)!.views[0]!.window.rows[0]!;
  assert.deepEqual(unfolded.kind === 'line' && unfolded.more?.map((line) => line.text), ['\tat x.y(Z.java:1)']);
  session.handle({ type: 'export', requestId: 9, view: 'all' });
  assert.equal(of('export-result').at(-1)!.text, 'app.log | ERROR failed\napp.log | \tat x.y(Z.java:1)\njobs.log | next');
  const before = warnings.length;
  session.handle({ type: 'fold', view: 'all', generation: first.generation, index: 'x', open: true });
  session.handle({ type: 'fold', view: 'all', generation: first.generation, index: 0, open: 'yes' });
  session.handle({ type: 'fold', view: 'nope', generation: 1, index: 0, open: true });
  assert.deepEqual(warnings.slice(before).map((warning) => warning.replace(/^tailwatch log worker: /, '')), [
    'ignored a fold message: bad index: "x"',
    'ignored a fold message: bad open: "yes"',
    'fold for an unknown view "nope"',
  ]);
});

test('an older message reads a page from disk through the connection\'s server and sends the view with it', async (t) => {
  t.mock.method(console, 'warn', () => {});
  const posted: WorkerMessage[] = [];
  const servers: unknown[] = [];
  let sink!: StreamSink;
  const session = new WorkerSession(
    (message) => posted.push(message),
    (_options, streamSink) => {
      sink = streamSink;
      return { stop: () => {} };
    },
    () => 1_000_000,
    {},
    (server) => {
      servers.push(server);
      return async (query) => ({ ok: true, answer: { source: query.source, lines: [{ seq: 0, ts: 1, text: 'from disk' }], start: true } });
    },
  );
  session.handle({ type: 'connect', server: SERVER, transport: 'sse', backfill: 500, bufferLines: 5_000 });
  session.handle({ type: 'views', views: [{ id: 'all', sources: null }] });
  sink.event({ type: 'log', id: 'e1-1', source: 'a', lines: [{ seq: 1, ts: 2, text: 'live' }] } as WireEvent);
  session.handle({ type: 'older', view: 'all' });
  session.handle({ type: 'older', view: 'nope' });
  await macrotask();
  session.handle({ type: 'frame' });
  await macrotask();
  assert.deepEqual(servers, [SERVER]);
  const last = posted.filter((m): m is UpdateMessage => m.type === 'update').at(-1)!.views[0]!;
  assert.deepEqual(last.window.rows.map((row) => row.text), ['from disk', 'live']);
  assert.deepEqual(last.history, { loading: false, start: true });
});
