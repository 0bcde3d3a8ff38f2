// Who may use the server: token (header, query + cookie, cookie), Host allow-list, Origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestServer, TEST_TOKEN } from '../helpers/server';

/** A raw GET, so the Host header can be anything. */
function get(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, setHost: !('Host' in headers) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('health needs no token; everything else does, as Bearer, ?token= or the cookie', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const port = s.tw.port;
  const health = await get(port, '/api/health', {});
  assert.equal(health.status, 200);
  const h = JSON.parse(health.body);
  assert.equal(h.status, 'ok');
  assert.equal(h.epoch, s.tw.hub.epoch);
  assert.match(h.version, /^\d+\.\d+\.\d+/);

  const wrong: Record<string, string>[] = [{}, { Authorization: 'Bearer nope' }, { Authorization: `Basic ${TEST_TOKEN}` }, { Cookie: `tailwatch_session_${port}=nope` }];
  for (const headers of wrong) {
    const r = await get(port, '/api/sources', headers);
    assert.equal(r.status, 401, JSON.stringify(headers));
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.ok(typeof JSON.parse(r.body).error === 'string');
  }
  assert.equal((await get(port, '/api/sources?token=nope', {})).status, 401);
  assert.equal((await get(port, '/api/sources', { Authorization: `Bearer ${TEST_TOKEN}` })).status, 200);

  const viaQuery = await get(port, `/api/sources?token=${TEST_TOKEN}`, {});
  assert.equal(viaQuery.status, 200);
  const cookie = String(viaQuery.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const pair = cookie.split(';')[0]!;
  assert.equal((await get(port, '/api/sources', { Cookie: `other=1; ${pair}` })).status, 200);
});

test('the dashboard without a token answers a token page; with ?token= it sets the cookie and drops the token from the URL', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const port = s.tw.port;
  const page = await get(port, '/', {});
  assert.equal(page.status, 401);
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.match(page.body, /<form[^>]*action="\/"/);
  assert.match(page.body, /name="token"/);
  assert.match((await get(port, '/?token=wrong', {})).body, /not right/);
  const redirect = await get(port, `/?token=${TEST_TOKEN}`, {});
  assert.equal(redirect.status, 303);
  assert.equal(redirect.headers.location, '/');
  const cookie = String(redirect.headers['set-cookie']).split(';')[0]!;
  const dashboard = await get(port, '/', { Cookie: cookie });
  assert.equal(dashboard.status, 200);
  assert.match(dashboard.body, /<script type="module" src="\/app\.js"><\/script>/);
  assert.equal((await get(port, '/app.js', { Cookie: cookie })).status, 200);
  assert.equal((await get(port, '/../package.json', { Cookie: cookie })).status, 404);
  assert.equal((await get(port, '/%2e%2e/package.json', { Cookie: cookie })).status, 404);
  assert.equal((await get(port, '/%E0%A4%A.js', { Cookie: cookie })).status, 404);
});

test('every answer has the security headers and never a wildcard CORS header', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  for (const path of ['/api/health', '/api/sources', '/', '/nope']) {
    const r = await get(s.tw.port, path, { Authorization: `Bearer ${TEST_TOKEN}`, Origin: `http://127.0.0.1:${s.tw.port}` });
    assert.match(String(r.headers['content-security-policy']), /default-src 'self'/, path);
    assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/, path);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.equal(r.headers['access-control-allow-origin'], undefined);
  }
  const post = await new Promise<number>((resolve) => {
    const req = request({ host: '127.0.0.1', port: s.tw.port, path: '/api/sources', method: 'POST', headers: { Authorization: `Bearer ${TEST_TOKEN}` } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.end();
  });
  assert.equal(post, 405);
});

test('a Host that is not this server is refused (DNS rebinding), unless allowed by --allow-host', async (t) => {
  const s = await startTestServer({ allowHost: ['tailwatch.internal'] });
  t.after(() => s.close());
  const port = s.tw.port;
  const auth = { Authorization: `Bearer ${TEST_TOKEN}` };
  for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1.nip.io', 'localhost.evil.example']) {
    const r = await get(port, '/api/sources', { ...auth, Host: host });
    assert.equal(r.status, 403, host);
    assert.equal(JSON.parse(r.body).code, 'bad-host');
  }
  assert.equal((await get(port, '/api/health', { Host: 'evil.example' })).status, 403, 'even health');
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'tailwatch.internal', `app.localhost:${port}`]) {
    assert.equal((await get(port, '/api/sources', { ...auth, Host: host })).status, 200, host);
  }
});

test('a request from another origin is refused', async (t) => {
  const s = await startTestServer({ allowOrigin: ['app://tailwatch'] });
  t.after(() => s.close());
  const port = s.tw.port;
  const auth = { Authorization: `Bearer ${TEST_TOKEN}` };
  for (const origin of ['http://evil.example', 'null', `http://localhost:${port + 1}`, `https://evil.example:${port}`]) {
    const r = await get(port, '/api/events', { ...auth, Origin: origin });
    assert.equal(r.status, 403, origin);
    assert.equal(JSON.parse(r.body).code, 'bad-origin');
  }
  assert.equal((await get(port, '/api/sources', { ...auth, Origin: `http://127.0.0.1:${port}` })).status, 200);
  assert.equal((await get(port, '/api/sources', { ...auth, Origin: 'app://tailwatch' })).status, 200);
});
