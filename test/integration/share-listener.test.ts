// Share Dashboard's second listener: its own token, clients and Host check over the same hub, HTTPS with
// a self-signed certificate, token rotation while clients are connected, and closing with tailwatch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import WebSocket from 'ws';
import { ConfigError } from '../../main/app/options';
import { startTestServer, TEST_TOKEN } from '../helpers/server';
import { linesOf, openSse } from '../helpers/sse-reader';
import { openWs, upgradeStatus } from '../helpers/ws-client';
import { openRawSse, rawRequest } from '../helpers/node-http';
import { selfSignedCertificate } from '../helpers/certificate';
import { waitFor } from '../helpers/wait';
import type { WireEvent } from '../../protocol/events';

const SHARE_TOKEN = 'share-token-abcdefghijklmnop';
const NEW_TOKEN = 'share-token-rotated-0123456789';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

test('a share has its own token and clients, over the same sources; stats count both listeners', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'one\ntwo\n' });
  t.after(() => s.close());
  const share = await s.tw.share({ host: '127.0.0.1', port: 0, token: SHARE_TOKEN });
  t.after(() => share.close());
  assert.equal(share.url, `http://127.0.0.1:${share.port}/`);
  assert.notEqual(share.port, s.tw.port);
  assert.equal(share.token(), SHARE_TOKEN);
  const at = (path: string) => `${share.url.slice(0, -1)}${path}`;

  assert.equal((await rawRequest(at('/api/sources'), { headers: bearer(SHARE_TOKEN) })).status, 200);
  assert.equal((await rawRequest(at('/api/sources'), { headers: bearer(TEST_TOKEN) })).status, 401, 'the main token does not open the share');
  assert.equal((await rawRequest(s.url('/api/sources'), { headers: bearer(SHARE_TOKEN) })).status, 401, 'nor the share token the main server');
  const viaQuery = await rawRequest(at(`/api/sources?token=${SHARE_TOKEN}`));
  assert.match(String(viaQuery.headers['set-cookie']), new RegExp(`^tailwatch_session_${share.port}=`));
  assert.doesNotMatch(String(viaQuery.headers['set-cookie']), /Secure/, 'plain HTTP: no Secure cookie');
  assert.match(String(viaQuery.headers['content-security-policy']), /default-src 'self'/);

  const mainSse = await openSse(s.url('/api/events?topics=logs'), s.authHeader);
  t.after(() => mainSse.close());
  const shareSse = await openSse(at('/api/events?topics=logs'), bearer(SHARE_TOKEN));
  t.after(() => shareSse.close());
  const shareWs = await openWs(wsUrl(at('/api/ws')), bearer(SHARE_TOKEN));
  t.after(() => shareWs.ws.terminate());
  shareWs.send({ type: 'subscribe', topics: ['logs'] });
  for (const [what, c] of [['main SSE', mainSse], ['share SSE', shareSse], ['share WS', shareWs]] as const) {
    await c.waitFor((e: WireEvent[]) => linesOf(e).length === 2, `${what}: backfill`);
  }
  await s.append('app.log', 1, 1);
  for (const [what, c] of [['main SSE', mainSse], ['share SSE', shareSse], ['share WS', shareWs]] as const) {
    await c.waitFor((e: WireEvent[]) => linesOf(e).at(-1)?.text === 'line 1', `${what}: live line`);
  }

  const mine = s.tw.clients();
  const theirs = share.clients();
  assert.deepEqual(mine.map((c) => c.kind), ['sse']);
  assert.deepEqual(theirs.map((c) => c.kind).sort(), ['sse', 'ws']);
  for (const c of theirs) {
    assert.match(c.remoteAddress, /127\.0\.0\.1/);
    assert.ok(c.since <= Date.now() && c.since > Date.now() - 60_000, String(c.since));
  }
  assert.equal(s.tw.stats.clientsConnected, 3, 'counters see both listeners');

  // Host: its own address (and loopback names); nothing else.
  assert.equal((await rawRequest(at('/api/health'), { headers: { Host: 'evil.example' } })).status, 403);
  assert.equal((await rawRequest(at('/api/health'), { headers: { Host: `localhost:${share.port}` } })).status, 200);
  // Origin: its own; the main listener's allowed origins are not the share's.
  assert.equal((await rawRequest(at('/api/sources'), { headers: { ...bearer(SHARE_TOKEN), Origin: share.url.slice(0, -1) } })).status, 200);
  assert.equal((await rawRequest(at('/api/sources'), { headers: { ...bearer(SHARE_TOKEN), Origin: s.url('') } })).status, 403);

  await share.close();
  await shareSse.ended;
  await waitFor(() => s.tw.stats.clientsConnected === 1, 'the share clients gone');
  await assert.rejects(rawRequest(at('/api/health')), /ECONNREFUSED/);
  await s.append('app.log', 2, 1);
  await mainSse.waitFor((e) => linesOf(e).at(-1)?.text === 'line 2', 'the main listener goes on');
});

test('rotating the token drops every share connection and refuses the old token; the main listener is untouched', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'one\n' });
  t.after(() => s.close());
  const share = await s.tw.share({ host: '127.0.0.1', port: 0, token: SHARE_TOKEN });
  t.after(() => share.close());
  const at = (path: string) => `${share.url.slice(0, -1)}${path}`;

  const mainSse = await openSse(s.url('/api/events?topics=logs'), s.authHeader);
  t.after(() => mainSse.close());
  const mainWs = await openWs(wsUrl(s.url('/api/ws')), s.authHeader);
  t.after(() => mainWs.ws.terminate());
  mainWs.send({ type: 'subscribe', topics: ['logs'] });
  const sse = await openSse(at('/api/events?topics=logs'), bearer(SHARE_TOKEN));
  t.after(() => sse.close());
  // The browser's way: ?token= once, then the cookie.
  const cookie = String((await rawRequest(at(`/api/sources?token=${SHARE_TOKEN}`))).headers['set-cookie']).split(';')[0]!;
  const ws = await openWs(wsUrl(at('/api/ws')), { Cookie: cookie });
  t.after(() => ws.ws.terminate());
  ws.send({ type: 'subscribe', topics: ['logs'] });
  await sse.waitFor((e) => linesOf(e).length === 1, 'share SSE backfill');
  await ws.waitFor((e) => linesOf(e).length === 1, 'share WS backfill');
  await mainWs.waitFor((e) => linesOf(e).length === 1, 'main WS backfill');
  // A long-poll client holds no stream: it is listed while a request of it waits (and a while after).
  // (node:http, one request per connection: fetch would retry a cut GET on its own, with the old token.)
  const first = await rawRequest(at('/api/poll?topics=logs'), { headers: bearer(SHARE_TOKEN) });
  assert.equal(first.status, 200);
  const polling = rawRequest(at(`/api/poll?topics=logs&wait=30&since=${String(first.headers['x-tailwatch-next'])}`), { headers: bearer(SHARE_TOKEN) }).then(
    (r) => r.status,
    () => 'cut',
  );
  await waitFor(() => share.clients().length === 3, 'three share clients');
  assert.deepEqual(share.clients().map((c) => [c.kind, c.remoteAddress]).sort(), [['poll', '127.0.0.1'], ['sse', '127.0.0.1'], ['ws', '127.0.0.1']]);
  assert.equal(s.tw.clients().length, 2, 'the main listener lists its own clients only');

  assert.throws(() => share.rotateToken('too-short'), (err: Error) => err instanceof ConfigError && /at least 16 characters/.test(err.message));
  assert.equal(share.token(), SHARE_TOKEN, 'a refused token changes nothing');
  share.rotateToken(NEW_TOKEN);
  assert.equal(share.token(), NEW_TOKEN);
  await sse.ended;
  await ws.closed;
  assert.equal(await polling, 'cut', 'the waiting poll is cut');
  await waitFor(() => share.clients().length === 0, 'no share client left');

  assert.equal((await rawRequest(at('/api/events'), { headers: bearer(SHARE_TOKEN) })).status, 401);
  assert.equal((await rawRequest(at('/api/sources'), { headers: { Cookie: cookie } })).status, 401, 'the old cookie is refused');
  assert.equal((await rawRequest(at(`/api/sources?token=${SHARE_TOKEN}`))).status, 401);
  assert.equal(await upgradeStatus(wsUrl(at('/api/ws')), bearer(SHARE_TOKEN)), 401);
  assert.equal(await upgradeStatus(wsUrl(at('/api/ws')), { Cookie: cookie }), 401);

  const again = await openSse(at('/api/events?topics=logs'), bearer(NEW_TOKEN));
  t.after(() => again.close());
  assert.equal(again.status, 200);
  await again.waitFor((e) => linesOf(e).length === 1, 'the new token works');
  assert.equal(await upgradeStatus(wsUrl(at('/api/ws')), bearer(NEW_TOKEN)), 101);

  await s.append('app.log', 1, 1);
  await mainSse.waitFor((e) => linesOf(e).at(-1)?.text === 'line 1', 'main SSE still streams');
  await mainWs.waitFor((e) => linesOf(e).at(-1)?.text === 'line 1', 'main WS still streams');
  await again.waitFor((e) => linesOf(e).at(-1)?.text === 'line 1', 'the reconnected share client streams');
  assert.deepEqual(s.tw.clients().map((c) => c.kind).sort(), ['sse', 'ws']);
  assert.equal((await rawRequest(s.url('/api/sources'), { headers: s.authHeader })).status, 200);
});

test('HTTPS with a self-signed certificate: the API, SSE, WebSocket and a Secure cookie', async (t) => {
  const cert = await selfSignedCertificate();
  const s = await startTestServer({}, { 'app.log': 'one\ntwo\n' });
  t.after(() => s.close());
  const share = await s.tw.share({ host: '127.0.0.1', port: 0, token: SHARE_TOKEN, tls: { key: cert.key, cert: cert.cert } });
  t.after(() => share.close());
  assert.equal(share.url, `https://127.0.0.1:${share.port}/`);
  const at = (path: string) => `${share.url.slice(0, -1)}${path}`;

  const health = await rawRequest(at('/api/health'), { ca: cert.cert });
  assert.equal(health.status, 200);
  assert.equal(JSON.parse(health.body).epoch, s.tw.hub.epoch);
  assert.match(String(health.headers['content-security-policy']), /default-src 'self'/);
  const viaQuery = await rawRequest(at(`/api/sources?token=${SHARE_TOKEN}`), { ca: cert.cert });
  assert.equal(viaQuery.status, 200);
  assert.match(String(viaQuery.headers['set-cookie']), /; HttpOnly; SameSite=Strict; Secure$/);
  assert.equal((await rawRequest(at('/api/sources'), { ca: cert.cert })).status, 401);
  // Own origin over https passes the Origin check.
  assert.equal((await rawRequest(at('/api/sources'), { ca: cert.cert, headers: { ...bearer(SHARE_TOKEN), Origin: `https://127.0.0.1:${share.port}` } })).status, 200);
  // A client that does not trust the certificate gets no answer at all.
  await assert.rejects(rawRequest(at('/api/health')), /self[- ]signed/i);

  const sse = await openRawSse(at('/api/events?topics=logs'), { ca: cert.cert, headers: bearer(SHARE_TOKEN) });
  t.after(() => sse.close());
  assert.equal(sse.status, 200);
  await sse.waitFor((e) => linesOf(e).length === 2, 'backfill over HTTPS');
  await s.append('app.log', 1, 1);
  await sse.waitFor((e) => linesOf(e).at(-1)?.text === 'line 1', 'a live line over HTTPS');

  const ws = new WebSocket(wsUrl(at('/api/ws')), { ca: cert.cert, headers: bearer(SHARE_TOKEN) });
  t.after(() => ws.terminate());
  const events: WireEvent[] = [];
  ws.on('message', (data) => events.push(JSON.parse(data.toString()) as WireEvent));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'subscribe', topics: ['logs'] }));
  await waitFor(() => linesOf(events).length === 3, 'backfill over wss');
  assert.deepEqual(share.clients().map((c) => c.kind).sort(), ['sse', 'ws']);

  share.rotateToken(NEW_TOKEN);
  await sse.ended;
  await waitFor(() => ws.readyState === WebSocket.CLOSED, 'the wss client dropped');
  assert.equal((await rawRequest(at('/api/sources'), { ca: cert.cert, headers: bearer(SHARE_TOKEN) })).status, 401);
  assert.equal((await rawRequest(at('/api/sources'), { ca: cert.cert, headers: bearer(NEW_TOKEN) })).status, 200);
});

test('a share refuses a short token, says why it cannot bind, and bad TLS material', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  await assert.rejects(s.tw.share({ host: '127.0.0.1', port: 0, token: 'short' }), (err: Error) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.message, 'share: the token must be at least 16 characters, got 5');
    return true;
  });

  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.after(() => taken.close());
  const port = (taken.address() as { port: number }).port;
  await assert.rejects(s.tw.share({ host: '127.0.0.1', port, token: SHARE_TOKEN }), { message: `cannot listen on 127.0.0.1:${port}: the port is in use` });
  await assert.rejects(s.tw.share({ host: '192.0.2.1', port: 0, token: SHARE_TOKEN }), { message: 'cannot listen on 192.0.2.1:0: no such address here' });
  await assert.rejects(s.tw.share({ host: '127.0.0.1', port: 0, token: SHARE_TOKEN, tls: { key: 'not a key', cert: 'not a cert' } }), /^Error: cannot serve HTTPS on 127\.0\.0\.1:0: the TLS key or certificate is not usable/);
  assert.equal(s.tw.stats.clientsConnected, 0);
});

test('on every interface a share answers to the machine\'s names; closing tailwatch closes its shares', async (t) => {
  const s = await startTestServer();
  let closed = false;
  t.after(() => (closed ? undefined : s.close()));
  const share = await s.tw.share({ host: '0.0.0.0', port: 0, token: SHARE_TOKEN });
  assert.equal(share.url, `http://0.0.0.0:${share.port}/`);
  const local = `http://127.0.0.1:${share.port}`;
  assert.equal((await rawRequest(`${local}/api/health`, { headers: { Host: `${hostname()}:${share.port}` } })).status, 200);
  assert.equal((await rawRequest(`${local}/api/health`, { headers: { Host: 'evil.example' } })).status, 403);
  const sse = await openSse(`${local}/api/events`, bearer(SHARE_TOKEN));
  await sse.waitFor((e) => e[0]?.type === 'hello', 'hello');

  await s.close();
  closed = true;
  await sse.ended;
  await assert.rejects(rawRequest(`${local}/api/health`), /ECONNREFUSED/);
  await assert.rejects(s.tw.share({ host: '127.0.0.1', port: 0, token: SHARE_TOKEN }), /tailwatch is closing/);
});
