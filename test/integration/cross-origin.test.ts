// CORS for the origins allowed with --allow-origin (the desktop window at app://tailwatch reads the local
// server cross-origin with ?token=), nothing for any other origin, and a CSP on every answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTailwatch } from '../../main/app/start-tailwatch';
import { ConfigError } from '../../main/app/options';
import { startTestServer, TEST_TOKEN } from '../helpers/server';
import { openRawSse, rawRequest, type RawResponse } from '../helpers/node-http';
import { testDir } from '../helpers/temp-dir';

const APP = 'app://tailwatch';
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-credentials',
];

function assertNoCors(r: { headers: RawResponse['headers'] }, what: string): void {
  for (const h of CORS_HEADERS) assert.equal(r.headers[h], undefined, `${what}: ${h}`);
}

const varyOf = (r: { headers: RawResponse['headers'] }) =>
  String(r.headers.vary ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase());

test('an allowed origin reads the API and the streams cross-origin with ?token=', async (t) => {
  // Written as a user might: upper case and a trailing slash still name the origin browsers send.
  const s = await startTestServer({ allowOrigin: ['APP://TailWatch/'] }, { 'app.log': 'one\ntwo\n' });
  t.after(() => s.close());
  const origin = { Origin: APP };

  const sources = await rawRequest(s.url('/api/sources', true), { headers: origin });
  assert.equal(sources.status, 200);
  assert.equal(sources.headers['access-control-allow-origin'], APP);
  assert.ok(varyOf(sources).includes('origin'), String(sources.headers.vary));
  assert.equal(sources.headers['access-control-allow-credentials'], undefined, 'the token is in the URL, not a credential');
  // CORP only blocks no-cors loads (an <img> of another page); CORS reads are not affected by it.
  assert.equal(sources.headers['cross-origin-resource-policy'], 'same-origin');
  assert.equal(JSON.parse(sources.body).length, 1);

  // The page must be able to read a refusal to tell "wrong token" from "server down".
  const noToken = await rawRequest(s.url('/api/sources'), { headers: origin });
  assert.equal(noToken.status, 401);
  assert.equal(noToken.headers['access-control-allow-origin'], APP);

  // The long-poll's next id is in a header: exposed to the page.
  const poll = await rawRequest(s.url('/api/poll?wait=0&topics=logs', true), { headers: origin });
  assert.equal(poll.status, 200);
  assert.equal(poll.headers['access-control-allow-origin'], APP);
  assert.match(String(poll.headers['access-control-expose-headers']), /X-Tailwatch-Next/i);
  assert.ok(poll.headers['x-tailwatch-next']);

  const sse = await openRawSse(s.url('/api/events?topics=logs', true), { headers: origin });
  t.after(() => sse.close());
  assert.equal(sse.status, 200);
  assert.equal(sse.headers['access-control-allow-origin'], APP);
  await sse.waitFor((e) => e.filter((x) => x.type === 'log').length > 0, 'the backfill over the cross-origin stream');

  // gzip adds its own Vary without losing Origin.
  const s2 = await startTestServer({ allowOrigin: [APP], gzip: 'on' });
  t.after(() => s2.close());
  const zipped = await openRawSse(s2.url('/api/events', true), { headers: { ...origin, 'Accept-Encoding': 'gzip' } });
  t.after(() => zipped.close());
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.deepEqual(varyOf(zipped).sort(), ['accept-encoding', 'origin']);
});

test('preflights need no token but a right Host; other origins get 403 and never a CORS header', async (t) => {
  const s = await startTestServer({ allowOrigin: [APP] });
  t.after(() => s.close());
  const preflight = {
    Origin: APP,
    'Access-Control-Request-Method': 'GET',
    'Access-Control-Request-Headers': 'authorization, last-event-id, cache-control',
  };
  const ok = await rawRequest(s.url('/api/events'), { method: 'OPTIONS', headers: preflight });
  assert.equal(ok.status, 204);
  assert.equal(ok.headers['access-control-allow-origin'], APP);
  assert.equal(ok.headers['access-control-allow-methods'], 'GET, HEAD');
  assert.equal(ok.headers['access-control-allow-headers'], 'Authorization, Last-Event-ID, Cache-Control');
  assert.equal(ok.headers['access-control-max-age'], '600');
  assert.ok(varyOf(ok).includes('origin'));
  assert.equal(ok.body, '');

  const badHost = await rawRequest(s.url('/api/events'), { method: 'OPTIONS', headers: { ...preflight, Host: 'evil.example' } });
  assert.equal(badHost.status, 403);
  assert.equal(JSON.parse(badHost.body).code, 'bad-host');
  assertNoCors(badHost, 'preflight with a bad Host');

  for (const other of ['http://evil.example', 'null', 'app://tailwatch.evil', 'app://other', `http://127.0.0.1:${s.tw.port + 1}`]) {
    const refused = await rawRequest(s.url('/api/events'), { method: 'OPTIONS', headers: { ...preflight, Origin: other } });
    assert.equal(refused.status, 403, other);
    assert.equal(JSON.parse(refused.body).code, 'bad-origin');
    assertNoCors(refused, `preflight from ${other}`);
    const get = await rawRequest(s.url('/api/sources', true), { headers: { Origin: other } });
    assert.equal(get.status, 403, other);
    assertNoCors(get, `GET from ${other}`);
  }

  // Same-origin requests and requests with no Origin are not cross-origin: no CORS headers, no preflight.
  const same = await rawRequest(s.url('/api/sources', true), { headers: { Origin: `http://127.0.0.1:${s.tw.port}` } });
  assert.equal(same.status, 200);
  assertNoCors(same, 'same-origin GET');
  assert.equal((await rawRequest(s.url('/api/sources'), { method: 'OPTIONS' })).status, 405);

  // Without --allow-origin, app://tailwatch is just another origin.
  const plain = await startTestServer();
  t.after(() => plain.close());
  const refused = await rawRequest(plain.url('/api/sources', true), { headers: { Origin: APP } });
  assert.equal(refused.status, 403);
  assertNoCors(refused, 'app:// without --allow-origin');
});

test('--allow-origin takes origins only: not null, *, a path or a file URL', async () => {
  for (const bad of ['null', '*', 'http://example.com/app', 'file:///home/me', 'app://', 'tailwatch']) {
    await assert.rejects(startTailwatch({ port: 0, allowOrigin: [bad] }), (err: Error) => {
      assert.ok(err instanceof ConfigError, bad);
      assert.match(err.message, /^--allow-origin: /);
      assert.ok(err.message.includes(JSON.stringify(bad)), err.message);
      return true;
    });
  }
});

test('every answer carries the Content-Security-Policy: any route, any status, errors and refusals too', async (t) => {
  const s = await startTestServer({ allowOrigin: [APP] }, { 'app.log': 'x\n' });
  t.after(() => s.close());
  const auth = { Authorization: `Bearer ${TEST_TOKEN}` };
  const answers: [string, number, Promise<{ status: number; headers: RawResponse['headers'] }>][] = [
    ['health', 200, rawRequest(s.url('/api/health'))],
    ['sources', 200, rawRequest(s.url('/api/sources'), { headers: auth })],
    ['dashboard', 200, rawRequest(s.url('/'), { headers: auth })],
    ['HEAD dashboard', 200, rawRequest(s.url('/'), { method: 'HEAD', headers: auth })],
    ['static file', 200, rawRequest(s.url('/app.js'), { headers: auth })],
    ['history', 200, rawRequest(s.url('/api/metrics/history?seconds=10'), { headers: auth })],
    ['prometheus', 200, rawRequest(s.url('/metrics'), { headers: auth })],
    ['long-poll', 200, rawRequest(s.url('/api/poll?wait=0'), { headers: auth })],
    ['preflight', 204, rawRequest(s.url('/api/sources'), { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'GET' } })],
    ['token into cookie', 303, rawRequest(s.url('/', true))],
    ['bad query', 400, rawRequest(s.url('/api/metrics/history?seconds=nope'), { headers: auth })],
    ['no token', 401, rawRequest(s.url('/api/sources'))],
    ['cross-origin, no token', 401, rawRequest(s.url('/api/sources'), { headers: { Origin: APP } })],
    ['token page', 401, rawRequest(s.url('/'))],
    ['bad Host', 403, rawRequest(s.url('/api/sources'), { headers: { ...auth, Host: 'evil.example' } })],
    ['bad Origin', 403, rawRequest(s.url('/api/sources'), { headers: { ...auth, Origin: 'http://evil.example' } })],
    ['no route', 404, rawRequest(s.url('/nope'), { headers: auth })],
    ['no API route', 404, rawRequest(s.url('/api/nope'), { headers: auth })],
    ['POST', 405, rawRequest(s.url('/api/sources'), { method: 'POST', headers: auth })],
    ['plain GET of the WebSocket route', 426, rawRequest(s.url('/api/ws'), { headers: auth })],
  ];
  const upgrade = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' };
  answers.push(
    ['WebSocket upgrade, no token', 401, rawRequest(s.url('/api/ws'), { headers: upgrade })],
    ['WebSocket upgrade, bad Origin', 403, rawRequest(s.url('/api/ws'), { headers: { ...upgrade, ...auth, Origin: 'http://evil.example' } })],
    ['WebSocket upgrade, no such route', 404, rawRequest(s.url('/api/nope'), { headers: { ...upgrade, ...auth } })],
  );
  const sse = await openRawSse(s.url('/api/events'), { headers: auth });
  t.after(() => sse.close());
  answers.push(['SSE stream', 200, Promise.resolve(sse)]);

  // A server without its dashboard build answers 500.
  const dir = await testDir(t);
  const unbuilt = await startTailwatch({ port: 0, token: TEST_TOKEN }, { staticDir: `${dir}/missing`, logger: { warn: () => {} } });
  t.after(() => unbuilt.close());
  answers.push(['dashboard not built', 500, rawRequest(`${unbuilt.url}`, { headers: auth })]);

  for (const [what, status, answer] of answers) {
    const r = await answer;
    assert.equal(r.status, status, what);
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/, `${what}: CSP`);
    assert.match(csp, /script-src 'self'/, `${what}: CSP`);
    assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP`);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
  }
});
