// The attack review's findings against the server, each reproduced as it was found: hostile WebSocket
// messages, the session cookie, stalled sockets, per-address and per-client bounds, HEAD on streams, the
// redirect after ?token= and malformed Host headers. After each, the same server still serves a good client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { startTestServer, TEST_TOKEN, type TestServer } from '../helpers/server';
import { openWs, upgradeStatus } from '../helpers/ws-client';
import { linesOf, openSse } from '../helpers/sse-reader';
import { rawRequest } from '../helpers/node-http';
import { waitFor } from '../helpers/wait';
import { CLIENT_LIMITS } from '../../protocol/client-messages';
import { WS_MESSAGE_BURST } from '../../main/server/ws';
import type { WireEvent } from '../../protocol/events';

const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');
const errorsOf = (events: WireEvent[]) => events.flatMap((e) => (e.type === 'error' ? [e] : []));

/** A fresh client gets hello and a line appended now: the server is alive and serving. */
async function servesGoodClient(s: TestServer, marker: string): Promise<void> {
  const sse = await openSse(s.url('/api/events?topics=logs&backfill=0'), s.authHeader);
  try {
    await sse.waitFor((e) => e[0]?.type === 'hello', 'hello');
    await s.append('app.log', 0, 1, marker);
    await sse.waitFor((e) => linesOf(e).some((l) => l.text === `${marker} 0`), `the line ${marker}`);
  } finally {
    sse.close();
  }
}

test('deeply nested WebSocket messages get an error with a short message; the server goes on', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'x\n' });
  t.after(() => s.close());
  const c = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => c.ws.terminate());
  const deep = '['.repeat(20_000) + ']'.repeat(20_000);
  const hostile = [
    `{"type":${deep}}`,
    `{"type":"subscribe","topics":${deep}}`,
    `{"type":"subscribe","topics":[${deep}]}`,
    `{"type":"subscribe","sources":[${deep}]}`,
    `{"type":"unsubscribe","sources":[${deep}]}`,
    `{"type":"unsubscribe","topics":[${deep}]}`,
    `{"type":"ping","${'k'.repeat(30_000)}":1}`,
    `{"type":"${'t'.repeat(60_000)}"}`,
  ];
  for (const text of hostile) c.send(text);
  const errors = await c.waitFor((e) => errorsOf(e).length === hostile.length && errorsOf(e), 'an error for each');
  assert.deepEqual(
    errors.map((e) => e.code),
    ['unknown-type', 'bad-topic', 'bad-topic', 'bad-source', 'bad-source', 'bad-topic', 'bad-message', 'unknown-type'],
  );
  for (const e of errors) assert.ok(e.message.length < 200, e.message.slice(0, 300));
  assert.match(errors[0]!.message, /unknown message type an array of 1/);
  // Still open, and still a working subscription.
  c.send({ type: 'subscribe', topics: ['logs'] });
  await c.waitFor((e) => linesOf(e).some((l) => l.text === 'x'), 'backfill after the hostile messages');
  await servesGoodClient(s, 'after-deep');
});

test('a client may name a bounded number of sources; past it, an error and nothing added', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'x\n' });
  t.after(() => s.close());
  const c = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => c.ws.terminate());
  const ids = (from: number) => Array.from({ length: CLIENT_LIMITS.maxSources }, (_, i) => `id${from + i}`);
  c.send({ type: 'subscribe', topics: ['logs'], sources: ids(0) });
  const rounds = Math.ceil(CLIENT_LIMITS.maxSourcesPerClient / CLIENT_LIMITS.maxSources) + 2;
  for (let r = 1; r < rounds; r++) c.send({ type: 'subscribe', sources: ids(r * CLIENT_LIMITS.maxSources) });
  const refused = await c.waitFor((e) => errorsOf(e).length >= 1 && errorsOf(e), 'too-many-sources');
  assert.equal(refused[0]!.code, 'too-many-sources');
  // Every source, then as many left out: the same bound on what is excluded.
  const d = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => d.ws.terminate());
  d.send({ type: 'subscribe', topics: ['logs'] });
  for (let r = 0; r < rounds; r++) d.send({ type: 'unsubscribe', sources: ids(r * CLIENT_LIMITS.maxSources) });
  assert.equal((await d.waitFor((e) => errorsOf(e)[0], 'too-many-sources on unsubscribe')).code, 'too-many-sources');
  await servesGoodClient(s, 'after-ids');
});

test('a client flooding messages is closed with 1008; others are untouched', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'x\n' });
  t.after(() => s.close());
  const c = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => c.ws.terminate());
  for (let i = 0; i < WS_MESSAGE_BURST * 3; i++) c.send({ type: 'ping' });
  const closed = await c.closed;
  assert.equal(closed.code, 1008);
  assert.match(closed.reason, /messages a second/);
  await waitFor(() => s.tw.clients().length === 0, 'the flooding client gone');
  await servesGoodClient(s, 'after-flood');
});

test('?token= gives a session cookie that is not the token; a revoked share token ends its sessions', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'x\n' });
  t.after(() => s.close());
  const page = await rawRequest(s.url('/', true));
  assert.equal(page.status, 303);
  const setCookie = String(page.headers['set-cookie']);
  assert.match(setCookie, new RegExp(`^tailwatch_session_${s.tw.port}=[^;]+; Path=/; HttpOnly; SameSite=Strict$`));
  assert.ok(!setCookie.includes(TEST_TOKEN), 'the token is not in the cookie');
  const cookie = setCookie.split(';')[0]!;
  assert.equal((await rawRequest(s.url('/api/sources'), { headers: { Cookie: cookie } })).status, 200);
  // What another port's service receives (the cookie) does not work as the token.
  const value = cookie.split('=')[1]!;
  assert.equal((await rawRequest(s.url('/api/sources'), { headers: { Authorization: `Bearer ${value}` } })).status, 401);
  assert.equal((await rawRequest(s.url(`/api/sources?token=${value}`))).status, 401);
  // Sent along by another port's page: refused (the browser says so in Sec-Fetch-Site).
  const fromAnotherPort = await rawRequest(s.url('/api/sources'), { headers: { Cookie: cookie, 'Sec-Fetch-Site': 'same-site' } });
  assert.equal(fromAnotherPort.status, 401);
  assert.equal(JSON.parse(fromAnotherPort.body).code, 'bad-session');

  const shareToken = 'share-token-0123456789abcdef';
  // One request per connection: rotating the token drops every connection, kept-alive ones too.
  const close = { Connection: 'close' };
  const share = await s.tw.share({ host: '127.0.0.1', port: 0, token: shareToken });
  t.after(() => share.close());
  const at = (path: string) => `${share.url.slice(0, -1)}${path}`;
  const shareCookie = String((await rawRequest(at(`/?token=${shareToken}`), { headers: close })).headers['set-cookie']).split(';')[0]!;
  assert.ok(shareCookie.startsWith(`tailwatch_session_${share.port}=`));
  assert.equal((await rawRequest(at('/api/sources'), { headers: { ...close, Cookie: shareCookie } })).status, 200);
  assert.equal((await rawRequest(s.url('/api/sources'), { headers: { ...close, Cookie: shareCookie.replace(String(share.port), String(s.tw.port)) } })).status, 401, 'not on the main listener');
  share.rotateToken('another-share-token-0123456789');
  const after = await rawRequest(at('/api/sources'), { headers: { ...close, Cookie: shareCookie } });
  assert.equal(after.status, 401);
  assert.equal(JSON.parse(after.body).code, 'bad-session');
  assert.equal((await rawRequest(s.url('/api/sources'), { headers: { ...close, Cookie: cookie } })).status, 200, 'the main listener is untouched');
});

test('a stalled SSE client is reset once the stall time passes: its socket and kernel send queue are freed', async (t) => {
  const s = await startTestServer({ clientStallMs: 1000, clientQueueBytes: 64 << 20 });
  t.after(() => s.close());
  await s.append('app.log', 1, 1);
  await s.source('app.log');
  const socket = connect(s.tw.port, '127.0.0.1');
  socket.on('error', () => {});
  t.after(() => socket.destroy());
  socket.write(`GET /api/events?topics=logs HTTP/1.1\r\nHost: 127.0.0.1:${s.tw.port}\r\nAuthorization: Bearer ${TEST_TOKEN}\r\n\r\n`);
  // It never reads a byte.
  socket.pause();
  await waitFor(() => s.tw.clients().length === 1, 'the client connected');
  // Enough to fill both kernel buffers, so the server's writes push back.
  for (let i = 0; i < 8; i++) await s.append('app.log', 2 + i * 20_000, 20_000, 'a line long enough to fill the socket buffers of a peer that reads nothing');
  await waitFor(() => s.tw.stats.clientsDisconnectedSlow === 1, 'stalled client disconnected', 20_000);
  assert.equal(s.tw.clients().length, 0);
  // Closed politely, the server's side would linger (FIN-WAIT-1) with megabytes queued for a peer that
  // never reads; reset, it is gone at once.
  await waitFor(() => serverSideSockets(s.tw.port).length === 0, 'no server-side socket left', 5000, () => serverSideSockets(s.tw.port));
  await servesGoodClient(s, 'after-stall');
});

/** The server's TCP sockets on `port` other than the listening one, as `ss` shows them (state, Send-Q). */
function serverSideSockets(port: number): string[] {
  const out = execFileSync('ss', ['-Htn', 'state', 'all', `( sport = :${port} )`], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('LISTEN'));
}

test('streams per client address are bounded: 429 past the bound, on SSE, WebSocket and long-poll alike', async (t) => {
  const s = await startTestServer({ maxClientsPerAddress: 3 }, { 'app.log': 'x\n' });
  t.after(() => s.close());
  const open = [await openSse(s.url('/api/events'), s.authHeader), await openSse(s.url('/api/events'), s.authHeader)];
  const ws = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => {
    for (const c of open) c.close();
    ws.ws.terminate();
  });
  const refused = await rawRequest(s.url('/api/events'), { headers: s.authHeader });
  assert.equal(refused.status, 429);
  assert.equal(JSON.parse(refused.body).code, 'too-many-clients');
  assert.equal(refused.headers['retry-after'], '10');
  assert.equal(await upgradeStatus(wsUrl(s.url('/api/ws')), s.authHeader), 429);
  assert.equal((await rawRequest(s.url('/api/poll?wait=0'), { headers: s.authHeader })).status, 429);
  // Health and plain routes are not streams.
  assert.equal((await rawRequest(s.url('/api/sources'), { headers: s.authHeader })).status, 200);
  open.pop()!.close();
  await waitFor(async () => (await rawRequest(s.url('/api/poll?wait=0'), { headers: s.authHeader })).status === 200, 'a slot free again');
});

test('HEAD on the streams answers at once with headers and opens no stream', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  for (const path of ['/api/events', '/api/poll?wait=60']) {
    const r = await rawRequest(s.url(path), { method: 'HEAD', headers: s.authHeader });
    assert.equal(r.status, 200, path);
    assert.equal(r.body, '');
  }
  assert.equal(s.tw.clients().length, 0);
  assert.equal(s.tw.stats.clientsTotal, 0);
});

test('the redirect after ?token= stays on this server whatever the path; malformed targets get 400', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  for (const [path, location] of [
    ['/.//evil.com/x', '/evil.com/x'],
    ['//evil.com/x', '/evil.com/x'],
    ['/%2F%2Fevil.com', '/%2F%2Fevil.com'],
    ['/\\evil.com', '/evil.com'],
    ['/?a=1', '/?a=1'],
  ] as const) {
    const r = await rawRequest(`${s.tw.url.slice(0, -1)}${path}${path.includes('?') ? '&' : '?'}token=${TEST_TOKEN}`);
    assert.equal(r.status, 303, path);
    assert.equal(r.headers.location, location, path);
  }
  const raw = await new Promise<string>((resolve) => {
    const socket = connect(s.tw.port, '127.0.0.1');
    let text = '';
    socket.on('data', (c) => (text += c.toString()));
    socket.on('close', () => resolve(text));
    socket.write(`GET javascript:alert(1) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
  assert.match(raw, /^HTTP\/1\.1 400 /);
});

test('Host headers a browser never sends are refused', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const port = s.tw.port;
  for (const host of [`localhost:${port}@evil.com`, `[::1]evil.com`, `[::1]:${port}evil.com`, `localhost evil.com`, `evil.com:${port}:${port}`]) {
    const r = await rawRequest(s.url('/api/sources'), { headers: { ...s.authHeader, Host: host } });
    assert.equal(r.status, 403, host);
    assert.equal(JSON.parse(r.body).code, 'bad-host');
  }
  assert.equal((await rawRequest(s.url('/api/sources'), { headers: { ...s.authHeader, Host: `[::1]:${port}` } })).status, 200);
});
