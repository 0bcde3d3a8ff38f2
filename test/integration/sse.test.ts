// The SSE endpoint against a real server, real files and real clients (streaming fetch, the
// `eventsource` package, and raw sockets for gzip and a stalled peer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'node:http';
import { createGunzip } from 'node:zlib';
import { EventSource } from 'eventsource';
import { SERVER_DEFAULTS } from '../../main/server/server-options';
import { startTestServer, TEST_TOKEN } from '../helpers/server';
import { openSse, linesOf } from '../helpers/sse-reader';
import { waitFor } from '../helpers/wait';
import { SseParser } from '../../protocol/sse-parser';
import type { WireEvent } from '../../protocol/events';
import { parseEventId } from '../../protocol/event-id';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('headers and framing: retry first, hello, then log events with id, event and one data line', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'one\ntwo\n' });
  t.after(() => s.close());
  const sse = await openSse(s.url('/api/events'), s.authHeader);
  t.after(() => sse.close());
  assert.equal(sse.status, 200);
  assert.equal(sse.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  assert.match(sse.headers.get('cache-control') ?? '', /no-cache/);
  assert.equal(sse.headers.get('x-accel-buffering'), 'no');
  assert.equal(sse.headers.get('access-control-allow-origin'), null);
  await sse.waitFor((e) => linesOf(e).length === 2, 'backfill');
  assert.equal(sse.parser.retry, 2000);
  assert.equal(sse.events[0]!.type, 'hello');
  assert.deepEqual(linesOf(sse.events).map((l) => l.text), ['one', 'two']);
  // A payload with characters that could break a frame if the data were not one JSON line.
  await s.append('app.log', 1, 1, 'a\rb \u2028 data: x\u0000 id: 9 <script>');
  const text = await sse.waitFor((e) => linesOf(e)[2]?.text, 'the tricky line');
  assert.equal(text, 'a\rb \u2028 data: x\u0000 id: 9 <script> 1'.replace('\r', '\r'));
  for (const e of sse.events) assert.ok(parseEventId(e.id), `id ${e.id}`);
});

test('backfill: a new client gets the last N lines of each source, then live lines', async (t) => {
  const s = await startTestServer({ backfill: 1000 });
  t.after(() => s.close());
  await s.append('a.log', 1, 500);
  await s.append('b.log', 1, 30);
  const a = await s.source('a.log');
  await waitFor(() => s.tw.sources().find((x) => x.id === a.id)!.lines === 500, 'a.log read');
  const sse = await openSse(s.url('/api/events?backfill=100&topics=logs'), s.authHeader);
  t.after(() => sse.close());
  await sse.waitFor((e) => linesOf(e).length === 130, 'backfill of both');
  assert.deepEqual(linesOf(sse.events, a.id).map((l) => l.seq), range(401, 500));
  await s.append('a.log', 501, 1);
  await sse.waitFor((e) => linesOf(e, a.id).at(-1)?.seq === 501, 'live line');
});

test('resume by Last-Event-ID and by lastEventId=: no line repeated, none missing', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  await s.append('app.log', 1, 2000);
  const src = await s.source('app.log');
  const first = await openSse(s.url('/api/events?backfill=100000'), s.authHeader);
  await first.waitFor((e) => linesOf(e).length >= 2000, 'first 2000 lines');
  // Stop part-way through a live burst, then resume from the last id this client saw.
  const burst = s.append('app.log', 2001, 20_000);
  await first.waitFor((e) => linesOf(e).length > 2500, 'some of the burst');
  first.close();
  await burst;
  const seen = [...first.events];
  const lastId = seen.at(-1)!.id;
  for (const [i, how] of (['header', 'query'] as const).entries()) {
    const url = how === 'header' ? s.url('/api/events') : s.url(`/api/events?lastEventId=${encodeURIComponent(lastId)}`);
    const headers = how === 'header' ? { ...s.authHeader, 'Last-Event-ID': lastId } : s.authHeader;
    const again = await openSse(url, headers);
    await again.waitFor((e) => e[0]?.type === 'hello', `hello on resume by ${how}`);
    // One more line after the resume, so the test cannot pass on what was already there.
    const last = 22_001 + i;
    await s.append('app.log', last, 1);
    await again.waitFor((e) => linesOf(e).at(-1)?.seq === last, `resume by ${how}`, 20_000);
    again.close();
    assert.equal(again.events[0]!.id, lastId, 'hello says where the stream resumes');
    assert.ok(!again.events.some((e) => e.type === 'gap' || e.type === 'reset'));
    assert.deepEqual(linesOf([...seen, ...again.events], src.id).map((l) => l.seq), range(1, last));
  }
});

test('a resume id from another server run gets reset', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'x\n' });
  t.after(() => s.close());
  const sse = await openSse(s.url('/api/events'), { ...s.authHeader, 'Last-Event-ID': 'oldepoch-42' });
  t.after(() => sse.close());
  await sse.waitFor((e) => e.some((x) => x.type === 'reset'), 'reset');
  const reset = sse.events.find((e) => e.type === 'reset')!;
  assert.equal(reset.type === 'reset' && reset.epoch, s.tw.hub.epoch);
  await sse.waitFor((e) => linesOf(e).length === 1, 'fresh backfill after reset');
});

test('the eventsource client reconnects by itself and resumes without repeat or gap', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  await s.append('app.log', 1, 100);
  await s.source('app.log');
  const seqs: number[] = [];
  let resets = 0;
  const es = new EventSource(s.url('/api/events?topics=logs', true));
  t.after(() => es.close());
  es.addEventListener('log', (m) => seqs.push(...(JSON.parse(m.data) as { lines: { seq: number }[] }).lines.map((l) => l.seq)));
  es.addEventListener('reset', () => resets++);
  await waitFor(() => seqs.length === 100, 'backfill through eventsource');
  let opened = 0;
  es.addEventListener('open', () => opened++);
  s.tw.dropClients();
  await s.append('app.log', 101, 1000);
  await waitFor(() => opened >= 1 && seqs.length >= 1100, 'reconnect and the new lines', 15_000);
  await s.append('app.log', 1101, 1);
  await waitFor(() => seqs.at(-1) === 1101, 'one more line');
  assert.deepEqual(seqs, range(1, 1101));
  assert.equal(resets, 0);
});

test('filters: topics and sources; a bad query is 400 with a JSON error', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  await s.append('a.log', 1, 3);
  await s.append('b.log', 1, 3);
  const a = await s.source('a.log');
  await s.source('b.log');
  const sse = await openSse(s.url(`/api/events?topics=logs&sources=${a.id}`), s.authHeader);
  t.after(() => sse.close());
  await sse.waitFor((e) => linesOf(e).length === 3, 'a.log only');
  await s.append('b.log', 4, 1);
  await s.append('a.log', 4, 1);
  await sse.waitFor((e) => linesOf(e).length === 4, 'a new a.log line');
  assert.ok(sse.events.every((e) => e.type !== 'log' || e.source === a.id));
  assert.ok(!sse.events.some((e) => e.type === 'source' || e.type === 'metrics'));
  for (const q of ['topics=bogus', 'sources=../etc', 'backfill=-1', 'backfill=abc']) {
    const res = await fetch(s.url(`/api/events?${q}`), { headers: s.authHeader });
    assert.equal(res.status, 400, q);
    assert.ok(typeof ((await res.json()) as { error: string }).error === 'string');
  }
});

/** GETs with raw Node http (so gzip is not undone for us) and yields decompressed SSE messages. */
function rawSse(url: string, headers: Record<string, string>) {
  const messages: { event: string; data: string }[] = [];
  const parser = new SseParser((m) => messages.push(m));
  let encoding: string | undefined;
  const req = request(url, { headers }, (res) => {
    encoding = res.headers['content-encoding'];
    const body = encoding === 'gzip' ? res.pipe(createGunzip()) : res;
    body.setEncoding('utf8');
    body.on('data', (c: string) => parser.push(c));
    body.on('error', () => {});
  });
  req.on('error', () => {});
  req.end();
  return { messages, encoding: () => encoding, close: () => req.destroy() };
}

test('gzip: off for loopback by default; when on, every write is flushed so frames arrive at once', async (t) => {
  const plain = await startTestServer({}, { 'app.log': 'x\n' });
  t.after(() => plain.close());
  const p = rawSse(plain.url('/api/events'), { ...plain.authHeader, 'Accept-Encoding': 'gzip' });
  t.after(() => p.close());
  await waitFor(() => p.messages.length > 0, 'plain stream');
  assert.equal(p.encoding(), undefined);

  const s = await startTestServer({ gzip: 'on' }, { 'app.log': 'x\n' });
  t.after(() => s.close());
  const g = rawSse(s.url('/api/events?topics=logs'), { ...s.authHeader, 'Accept-Encoding': 'gzip, deflate' });
  t.after(() => g.close());
  await waitFor(() => g.messages.some((m) => m.event === 'log'), 'gzip backfill');
  assert.equal(g.encoding(), 'gzip');
  // The stream stays open: only a sync flush can have let these bytes out of the compressor.
  for (let i = 1; i <= 3; i++) {
    await s.append('app.log', i, 1, 'gz');
    await waitFor(() => g.messages.some((m) => m.data.includes(`gz ${i}`)), `gzip line ${i}`);
  }
  const q0 = rawSse(s.url('/api/events'), { ...s.authHeader, 'Accept-Encoding': 'gzip;q=0' });
  t.after(() => q0.close());
  await waitFor(() => q0.messages.length > 0, 'stream with gzip refused');
  assert.equal(q0.encoding(), undefined);
});

/** A TCP socket that has asked for the log stream; the caller decides whether it reads. */
function rawStreamSocket(port: number) {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(`GET /api/events?topics=logs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TEST_TOKEN}\r\n\r\n`);
  return socket;
}

test('a stalled client neither slows nor starves another, which receives 100,000 lines completely', async (t) => {
  const s = await startTestServer({ clientStallMs: 2000, clientQueueBytes: 64 << 20 });
  t.after(() => s.close());
  await s.append('app.log', 1, 1);
  const src = await s.source('app.log');
  // The stalled peer: a raw socket that sends its request and never reads a byte.
  const stalled = rawStreamSocket(s.tw.port);
  t.after(() => stalled.destroy());
  stalled.pause();
  await waitFor(() => s.tw.clients().length === 1, 'stalled client connected');
  const healthy = await openSse(s.url('/api/events?topics=logs'), s.authHeader);
  t.after(() => healthy.close());
  for (let i = 0; i < 10; i++) await s.append('app.log', 2 + i * 10_000, 10_000, 'some log line with a typical amount of text, request id and status');
  await healthy.waitFor((e) => linesOf(e).length >= 100_001, '100,001 lines', 60_000);
  assert.deepEqual(linesOf(healthy.events, src.id).map((l) => l.seq), range(1, 100_001));
  assert.ok(!healthy.events.some((e) => e.type === 'gap'));
  // The stalled one is cut off past the stall limit; the healthy one stays.
  await waitFor(() => s.tw.stats.clientsDisconnectedSlow === 1, 'stalled client disconnected', 20_000);
  assert.equal(s.tw.clients().length, 1);
});

test('a client that falls too far behind gets a gap with the count it missed, then live lines', async (t) => {
  const s = await startTestServer({ clientQueueBytes: 256 << 10, clientStallMs: 60_000 });
  t.after(() => s.close());
  await s.append('app.log', 1, 1);
  const src = await s.source('app.log');
  const sock = rawStreamSocket(s.tw.port);
  t.after(() => sock.destroy());
  let raw = '';
  sock.setEncoding('utf8');
  sock.on('data', (c: string) => (raw += c));
  await waitFor(() => raw.includes('event: log'), 'first line');
  sock.pause();
  await s.append('app.log', 2, 200_000, 'filler line that the slow client will not get in time');
  await waitFor(() => s.tw.sources().find((x) => x.id === src.id)!.lines === 200_001, 'all lines read', 30_000);
  sock.resume();
  await s.append('app.log', 200_002, 1, 'after');
  await waitFor(() => raw.includes('after 200002'), 'the live line after the gap', 30_000);
  const events: WireEvent[] = [];
  const parser = new SseParser((m) => events.push({ type: m.event, id: m.id, ...JSON.parse(m.data) } as WireEvent));
  parser.push(raw.slice(raw.indexOf('\r\n\r\n') + 4).replace(/^[0-9a-f]+\r\n|\r\n[0-9a-f]+\r\n/gm, ''));
  const gaps = events.filter((e) => e.type === 'gap');
  assert.ok(gaps.length >= 1, 'a gap was sent');
  const got = linesOf(events, src.id).length;
  const missed = gaps.reduce((n, g) => n + (g.type === 'gap' ? g.missed : 0), 0);
  assert.equal(got + missed, 200_002, `${got} received + ${missed} missed`);
});

test('an idle stream gets a comment line every heartbeat, by default within 15 s', async (t) => {
  assert.ok(SERVER_DEFAULTS.heartbeatMs <= 15_000, 'the contract: a comment at least every 15 s');
  const s = await startTestServer({}, {}, { server: { heartbeatMs: 200 } });
  t.after(() => s.close());
  // No metrics: a 1 Hz sample could land among the heartbeats; logs and sources stay quiet with no file.
  const sse = await openSse(s.url('/api/events?topics=logs,sources'), s.authHeader);
  t.after(() => sse.close());
  await sse.waitFor((e) => e.length > 0, 'hello');
  assert.equal(sse.parser.comments, 0);
  await waitFor(() => sse.parser.comments >= 3, 'three heartbeat comments');
  assert.equal(sse.events.length, 1, 'comments only, no events');
});
