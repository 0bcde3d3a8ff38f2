import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { AccessControl, canonicalOrigin, hostName, isLoopbackAddress, isLoopbackBind } from '../../main/server/access';

test('host names from Host headers', () => {
  assert.equal(hostName('LocalHost:7717'), 'localhost');
  assert.equal(hostName('[::1]:80'), '::1');
  assert.equal(hostName('example.com.'), 'example.com');
  assert.equal(hostName('127.0.0.1'), '127.0.0.1');
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
  assert.match(ac.cookieHeader(), /^tailwatch_token_1=secret-token; Path=\/; HttpOnly; SameSite=Strict$/);
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

test('the cookie is Secure over TLS', () => {
  const ac = new AccessControl({ token: 'secret-token', host: '0.0.0.0', port: 7718, allowHost: [], allowOrigin: [] });
  assert.match(ac.cookieHeader(true), /^tailwatch_token_7718=secret-token; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
});
