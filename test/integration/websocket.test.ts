// The WebSocket endpoint with a real `ws` client: the protocol, validation, limits and resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server';
import { openWs, upgradeStatus } from '../helpers/ws-client';
import { linesOf } from '../helpers/sse-reader';
import { waitFor } from '../helpers/wait';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

test('subscribe: hello, backfill, live lines; ping gets pong', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'a\nb\nc\n' });
  t.after(() => s.close());
  const c = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => c.ws.terminate());
  c.send({ type: 'subscribe', topics: ['logs', 'sources'], backfill: 2 });
  await c.waitFor((e) => linesOf(e).length === 2, 'backfill');
  assert.equal(c.events[0]!.type, 'hello');
  assert.deepEqual(linesOf(c.events).map((l) => l.text), ['b', 'c']);
  await s.append('app.log', 1, 1);
  await c.waitFor((e) => linesOf(e).at(-1)?.text === 'line 1', 'live line');
  c.send({ type: 'ping' });
  await c.waitFor((e) => e.some((x) => x.type === 'pong'), 'pong');
  assert.equal(c.ws.extensions, '', 'permessage-deflate is off');
});

test('every bad message gets an error and the connection stays open', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'x\n' });
  t.after(() => s.close());
  const c = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => c.ws.terminate());
  const bad: [unknown, string][] = [
    ['{not json', 'bad-json'],
    ['[1,2]', 'bad-message'],
    [{ type: 'dance' }, 'unknown-type'],
    [{ type: 'subscribe', topics: ['logs', 'nope'] }, 'bad-topic'],
    [{ type: 'subscribe', topics: 'logs' }, 'bad-topic'],
    [{ type: 'subscribe', sources: ['../../etc/passwd'] }, 'bad-source'],
    [{ type: 'subscribe', backfill: -5 }, 'bad-backfill'],
    [{ type: 'subscribe', backfill: 1e9 }, 'bad-backfill'],
    [{ type: 'subscribe', since: 42 }, 'bad-since'],
    [{ type: 'ping', extra: true }, 'bad-message'],
  ];
  for (const [msg] of bad) c.send(msg);
  c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
  await c.waitFor((e) => e.filter((x) => x.type === 'error').length === bad.length + 1, 'all errors');
  const codes = c.events.filter((x) => x.type === 'error').map((x) => (x.type === 'error' ? x.code : ''));
  assert.deepEqual(codes, [...bad.map(([, code]) => code), 'bad-message']);
  for (const e of c.events) if (e.type === 'error') assert.ok(e.message.length > 0);
  c.send({ type: 'subscribe', topics: ['logs'] });
  await c.waitFor((e) => linesOf(e).length === 1, 'still works after bad messages');
});

test('a frame over 64 KiB closes the connection with 1009', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const c = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  c.ws.on('error', () => {});
  c.send({ type: 'ping', pad: 'x'.repeat(70 * 1024) });
  const { code } = await c.closed;
  assert.equal(code, 1009);
});

test('resume with since: exactly the events after it; a stale epoch gets reset', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  await s.append('app.log', 1, 500);
  const src = await s.source('app.log');
  const a = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  a.send({ type: 'subscribe', topics: ['logs'], backfill: 100_000 });
  await a.waitFor((e) => linesOf(e).length === 500, 'first 500');
  const burst = s.append('app.log', 501, 10_000);
  await a.waitFor((e) => linesOf(e).length > 1000, 'part of the burst');
  a.ws.terminate();
  await burst;
  const seen = [...a.events];
  const b = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => b.ws.terminate());
  b.send({ type: 'subscribe', topics: ['logs'], since: seen.at(-1)!.id });
  await b.waitFor((e) => e.some((x) => x.type === 'hello'), 'hello');
  await s.append('app.log', 10_501, 1);
  await b.waitFor((e) => linesOf(e).at(-1)?.seq === 10_501, 'the rest', 20_000);
  assert.deepEqual(linesOf([...seen, ...b.events], src.id).map((l) => l.seq), range(1, 10_501));

  const c = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => c.ws.terminate());
  c.send({ type: 'subscribe', topics: ['logs'], since: 'otherepoch-7', backfill: 5 });
  await c.waitFor((e) => linesOf(e).length === 5, 'backfill after reset');
  assert.deepEqual(c.events.slice(0, 2).map((e) => e.type), ['hello', 'reset']);
});

test('unsubscribe and later subscribes change what arrives', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  await s.append('a.log', 1, 1);
  await s.append('b.log', 1, 1);
  const a = await s.source('a.log');
  const b = await s.source('b.log');
  const c = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => c.ws.terminate());
  c.send({ type: 'subscribe', topics: ['logs'], sources: [a.id], backfill: 0 });
  await c.waitFor((e) => e.some((x) => x.type === 'hello'), 'hello');
  c.send({ type: 'subscribe', sources: [b.id] });
  c.send({ type: 'unsubscribe', sources: [a.id] });
  c.send({ type: 'ping' });
  await c.waitFor((e) => e.some((x) => x.type === 'pong'), 'pong');
  await s.append('a.log', 2, 1);
  await s.append('b.log', 2, 1);
  await c.waitFor((e) => linesOf(e).length === 1, 'b line');
  await s.append('b.log', 3, 1);
  await c.waitFor((e) => linesOf(e).length === 2, 'second b line');
  assert.ok(c.events.every((e) => e.type !== 'log' || e.source === b.id));
});

test('the upgrade is refused before it happens for a bad token, Origin or Host', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const url = wsUrl(s.url('/api/ws'));
  assert.equal(await upgradeStatus(url, {}), 401);
  assert.equal(await upgradeStatus(url, { Authorization: 'Bearer wrong' }), 401);
  assert.equal(await upgradeStatus(url, { ...s.authHeader, Origin: 'http://evil.example' }), 403);
  assert.equal(await upgradeStatus(url, { ...s.authHeader, Origin: `http://localhost:${s.tw.port + 1}` }), 403);
  assert.equal(await upgradeStatus(url, { ...s.authHeader, Host: 'rebind.example' }), 403);
  assert.equal(await upgradeStatus(url, { ...s.authHeader, Origin: `http://127.0.0.1:${s.tw.port}` }), 101);
  assert.equal(await upgradeStatus(wsUrl(s.url('/api/ws', true)), {}), 101);
  assert.equal(await upgradeStatus(wsUrl(s.url('/api/nope')), s.authHeader), 404);
});

test('dead peers are found by ping/pong and closed', async (t) => {
  const s = await startTestServer({}, {}, { server: { pingIntervalMs: 300 } });
  t.after(() => s.close());
  const c = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  c.ws.on('error', () => {});
  // A peer that stops answering pings: ws answers pings itself, so silence its socket's reads.
  await waitFor(() => s.tw.clients().length === 1, 'connected');
  (c.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
  await waitFor(() => s.tw.clients().length === 0, 'dead peer closed');
});
