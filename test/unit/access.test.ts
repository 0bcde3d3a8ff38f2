import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessControl, hostName, isLoopbackAddress, isLoopbackBind } from '../../main/server/access';

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
