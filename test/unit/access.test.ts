import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { AccessControl, SESSION_RENEW_AFTER_MS, canonicalOrigin, hostName, isLoopbackAddress, isLoopbackBind } from '../../main/server/access';
import { SESSION_LIFETIME_MS, SessionKey } from '../../main/server/session-key';

test('host names from Host headers; anything a browser would not send is malformed', () => {
  assert.equal(hostName('LocalHost:7717'), 'localhost');
  assert.equal(hostName('[::1]:80'), '::1');
  assert.equal(hostName('example.com.'), 'example.com');
  assert.equal(hostName('127.0.0.1'), '127.0.0.1');
  assert.equal(hostName('my_host.lan:8080'), 'my_host.lan');
  for (const bad of ['localhost:7717@evil.com', '[::1]evil.com', '[::1]:80x', 'local host', 'evil.com:80:80', '[evil.com]', 'a/b', '', ':80', 'x:123456', '.', 'a..']) {
    assert.equal(hostName(bad), null, bad);
  }
});

test('loopback addresses and binds', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopbackAddress(a), a);
  for (const a of ['10.0.0.1', '::', '0.0.0.0', '::ffff:10.0.0.1', '128.0.0.1']) assert.ok(!isLoopbackAddress(a), a);
  assert.ok(isLoopbackBind('127.0.0.1'));
  assert.ok(isLoopbackBind('localhost'));
  assert.ok(!isLoopbackBind('0.0.0.0'));
  assert.ok(!isLoopbackBind('example.localhost.evil'));
});

test('tokens compare by value whatever their length', () => {
  const ac = new AccessControl({ token: 'secret-token', host: '127.0.0.1', port: 1, allowHost: [], allowOrigin: [] });
  assert.ok(ac.tokenMatches('secret-token'));
  for (const t of ['', 'secret-toke', 'secret-token ', 'SECRET-TOKEN', 'x'.repeat(10_000)]) assert.ok(!ac.tokenMatches(t), t);
});

test('origins as browsers send them: lower case, no trailing slash, no default port; non-http schemes too', () => {
  const cases: [string, string][] = [
    ['app://tailwatch', 'app://tailwatch'],
    ['APP://TailWatch/', 'app://tailwatch'],
    ['app://tailwatch:8080', 'app://tailwatch:8080'],
    ['http://Example.com:80', 'http://example.com'],
    ['https://example.com:443/', 'https://example.com'],
    ['http://127.0.0.1:7717', 'http://127.0.0.1:7717'],
    ['http://[::1]:7717', 'http://[::1]:7717'],
    [' https://example.com:8443 ', 'https://example.com:8443'],
  ];
  for (const [given, canonical] of cases) assert.equal(canonicalOrigin(given), canonical, given);
  for (const bad of ['null', '*', '', 'tailwatch', 'app://', 'file:///etc', 'http://example.com/path', 'http://user@example.com', 'http://example.com?x', 'http://exa mple.com']) {
    assert.equal(canonicalOrigin(bad), null, bad);
  }
});

test('allowed origins: only exactly those are cross-origin callers; own origin passes without being one', () => {
  const ac = new AccessControl({ token: 't', host: '127.0.0.1', port: 7717, allowHost: [], allowOrigin: ['APP://tailwatch/'] });
  const req = (origin: string | undefined) => ({ headers: { host: '127.0.0.1:7717', ...(origin === undefined ? {} : { origin }) } }) as IncomingMessage;
  assert.equal(ac.checkOrigin(req('app://tailwatch')), null);
  assert.equal(ac.allowedCrossOrigin(req('app://tailwatch')), 'app://tailwatch');
  assert.equal(ac.allowedCrossOrigin(req('App://Tailwatch')), 'app://tailwatch');
  assert.equal(ac.checkOrigin(req('http://127.0.0.1:7717')), null);
  assert.equal(ac.allowedCrossOrigin(req('http://127.0.0.1:7717')), null);
  assert.equal(ac.allowedCrossOrigin(req(undefined)), null);
  for (const other of ['app://tailwatch.evil', 'app://tailwatch/', 'app://other', 'null', 'http://evil.example']) {
    assert.equal(ac.checkOrigin(req(other))?.code, 'bad-origin', other);
    assert.equal(ac.allowedCrossOrigin(req(other)), null, other);
  }
  assert.throws(() => new AccessControl({ token: 't', host: '127.0.0.1', port: 1, allowHost: [], allowOrigin: ['null'] }), /allowOrigin "null" is not an origin/);
});

test('the session cookie never holds the token, is per port, HttpOnly, SameSite=Strict, and Secure over TLS', () => {
  const ac = new AccessControl({ token: 'secret-token', host: '0.0.0.0', port: 7718, allowHost: [], allowOrigin: [] });
  const cookie = ac.sessionCookie(true);
  assert.match(cookie, /^tailwatch_session_7718=[0-9a-z]+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
  assert.doesNotMatch(cookie, /secret-token/);
  assert.doesNotMatch(ac.sessionCookie(false), /Secure/);
  assert.notEqual(ac.sessionCookie(), ac.sessionCookie(), 'a fresh random value each time');
});

test('a session is good only as the cookie of the listener and token that made it, from its own pages, for its lifetime', () => {
  const options = { token: 'secret-token', host: '127.0.0.1', port: 7717, allowHost: [], allowOrigin: [] };
  const ac = new AccessControl(options);
  const value = ac.sessionCookie().split(';')[0]!.split('=')[1]!;
  const url = new URL('http://127.0.0.1:7717/api/sources');
  const req = (headers: Record<string, string>) => ({ headers: { host: '127.0.0.1:7717', ...headers } }) as unknown as IncomingMessage;
  const check = (a: AccessControl, headers: Record<string, string>, u = url) => {
    const r = a.checkToken(req(headers), u);
    return 'ok' in r ? r.source : r.code;
  };
  assert.equal(check(ac, { cookie: `tailwatch_session_7717=${value}` }), 'cookie');
  assert.equal(check(ac, { cookie: `x=1; tailwatch_session_7717=${value}`, 'sec-fetch-site': 'same-origin' }), 'cookie');
  assert.equal(check(ac, { cookie: `tailwatch_session_7717=${value}`, 'sec-fetch-site': 'none' }), 'cookie');
  // Another port's page, or another site, makes the browser send it: refused.
  assert.equal(check(ac, { cookie: `tailwatch_session_7717=${value}`, 'sec-fetch-site': 'same-site' }), 'bad-session');
  assert.equal(check(ac, { cookie: `tailwatch_session_7717=${value}`, 'sec-fetch-site': 'cross-site' }), 'bad-session');
  // It is not the token: not as Bearer, not as ?token=.
  assert.equal(check(ac, { authorization: `Bearer ${value}` }), 'bad-token');
  assert.equal(check(ac, {}, new URL(`http://127.0.0.1:7717/api/sources?token=${value}`)), 'bad-token');
  // Another listener (port), or the same one after the token changed (a revoke): worthless.
  assert.equal(check(new AccessControl({ ...options, port: 7718 }), { cookie: `tailwatch_session_7718=${value}` }), 'bad-session');
  assert.equal(check(new AccessControl({ ...options, token: 'another-token' }), { cookie: `tailwatch_session_7717=${value}` }), 'bad-session');
  // The same token in a new run (a restart): still good.
  assert.equal(check(new AccessControl(options), { cookie: `tailwatch_session_7717=${value}` }), 'cookie');
  // Tampered.
  const tampered = value.slice(0, -2) + (value.endsWith('AA') ? 'BB' : 'AA');
  assert.equal(check(ac, { cookie: `tailwatch_session_7717=${tampered}` }), 'bad-session');
  assert.equal(check(ac, { cookie: 'tailwatch_session_7717=secret-token' }), 'bad-session');
});

test('sessions expire after their lifetime and are renewed after a day of use', () => {
  let now = 1_800_000_000_000;
  const key = new SessionKey('secret-token', 'port 1', () => now);
  const value = key.issue();
  assert.equal(key.ageOf(value), 0);
  now += SESSION_RENEW_AFTER_MS + 1;
  assert.equal(key.ageOf(value), SESSION_RENEW_AFTER_MS + 1);
  now += SESSION_LIFETIME_MS;
  assert.equal(key.ageOf(value), null, 'expired');
  now -= 2 * SESSION_LIFETIME_MS;
  assert.equal(key.ageOf(value), null, 'issued in the future (another clock)');
  for (const bad of ['', 'a.b.c', value + 'x', `${value.split('.')[0]}.${'A'.repeat(22)}.${'A'.repeat(43)}`]) assert.equal(key.ageOf(bad), null, bad);
});
