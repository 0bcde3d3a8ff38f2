import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sourceIdOf } from '../../main/sources/logs/source-id';

test('a source id is the first 12 characters of base64url(sha256(path)): stable, URL-safe, distinct', () => {
  const path = '/var/log/syslog';
  assert.equal(sourceIdOf(path), createHash('sha256').update(path).digest('base64url').slice(0, 12));
  assert.equal(sourceIdOf(path), sourceIdOf(path));
  assert.match(sourceIdOf(path), /^[A-Za-z0-9_-]{12}$/);
  assert.notEqual(sourceIdOf('/var/log/syslog'), sourceIdOf('/var/log/syslog.1'));
});

test("an agent's source id hashes its host name with the path: the same path on two hosts is two sources", () => {
  const path = '/var/log/syslog';
  assert.equal(sourceIdOf(path, 'web1'), createHash('sha256').update('web1').update('\0').update(path).digest('base64url').slice(0, 12));
  assert.notEqual(sourceIdOf(path, 'web1'), sourceIdOf(path, 'web2'));
  assert.notEqual(sourceIdOf(path, 'web1'), sourceIdOf(path));
  assert.notEqual(sourceIdOf('/b', 'a'), sourceIdOf('b', 'a/'));
});
