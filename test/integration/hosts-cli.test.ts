// `tailwatch serve --redis URL` as a user runs it (the built dist/cli.js): a Redis it cannot use at start is a
// one-line error naming the URL without its password, exit code 2; a good one starts and serves its hosts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@redis/client';
import { startRedis } from '../helpers/redis-server';
import { linesOf, openSse } from '../helpers/sse-reader';
import { startFakeHost } from '../helpers/fake-host';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');

before(() => {
  if (!existsSync(cli)) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet']);
});

function serve(args: string[]) {
  return spawnSync(process.execPath, [cli, 'serve', '--port', '0', ...args], { encoding: 'utf8', env: { ...process.env, TAILWATCH_TOKEN: '' }, timeout: 20_000 });
}

test('a wrong password or an unreachable Redis: one line naming the URL without the password, exit 2', async (t) => {
  const redis = await startRedis(t, { password: 'right-secret' });
  const wrong = `redis://default:wrong-secret@127.0.0.1:${redis.port}`;
  const cases: [string[], RegExp][] = [
    [['--redis', wrong], new RegExp(`^tailwatch: --redis redis://default@127\\.0\\.0\\.1:${redis.port}: cannot connect: WRONGPASS`)],
    [['--redis', `redis://127.0.0.1:${redis.port}`], /^tailwatch: --redis redis:\/\/127\.0\.0\.1:\d+: cannot connect: NOAUTH/],
    // Nothing listens on port 1.
    [['--redis', 'redis://u:pw-on-a-closed-port@127.0.0.1:1'], /^tailwatch: --redis redis:\/\/u@127\.0\.0\.1:1: cannot connect: .*ECONNREFUSED/],
    [['--redis', 'http://127.0.0.1:1'], /^tailwatch: --redis: the URL must start with redis:\/\/ or rediss:\/\//],
    [['--redis', `rediss://127.0.0.1:${redis.port}`, '--redis-ca', '/nonexistent/ca.pem'], /^tailwatch: --redis-ca: cannot read \/nonexistent\/ca\.pem: ENOENT/],
    [['--redis-ca', '/nonexistent/ca.pem'], /^tailwatch: --redis-ca: only with --redis/],
  ];
  for (const [args, pattern] of cases) {
    const result = serve(args);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.ok(!result.stderr.includes('secret') && !result.stderr.includes('pw-on-a-closed-port'), result.stderr);
    assert.equal(result.stdout, '');
  }
});

test('an ACL user that may not read the hosts: one line saying so, exit 2', async (t) => {
  const redis = await startRedis(t, { args: ['--user', 'writer', 'on', '>writer-secret', '~*', '-@all', '+@connection'] });
  const result = serve(['--redis', `redis://writer:writer-secret@127.0.0.1:${redis.port}`]);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, new RegExp(`^tailwatch: --redis redis://writer@127\\.0\\.0\\.1:${redis.port}: cannot (read the hosts|connect): .*NOPERM`));
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.ok(!result.stderr.includes('writer-secret'));
});

/** The server's ACL of docs/many-hosts.md: it may only read the hosts' keys. */
export const SERVER_ACL = ['reader', 'on', '>reader-secret', 'resetkeys', '%R~tailwatch:host:*', 'resetchannels', '-@all', '+@connection', '+scan', '+xread', '+xrange', '+xrevrange', '+xinfo|stream'];

test('serve --redis as a read-only ACL user serves the hosts it finds', async (t) => {
  const redis = await startRedis(t, { password: 'right-secret', args: ['--user', ...SERVER_ACL] });
  const host = await startFakeHost(redis.url, 'box');
  t.after(() => host.close());
  const log = await host.addSource('/var/log/box.log');
  await host.log(log, 1, 3);
  const dir = await testDir(t);
  const reader = `redis://reader:reader-secret@127.0.0.1:${redis.port}`;
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--token', 'a-token-for-this-test', '--dir', dir, '--redis', reader], {
    env: { ...process.env, TAILWATCH_TOKEN: '' },
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  t.after(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const url = await waitFor(() => /listening on (http:\/\/\S+\/)/.exec(out)?.[1], 'the startup line', 15_000);
  const sources = await waitFor(async () => {
    const res = await fetch(`${url}api/sources`, { headers: { Authorization: 'Bearer a-token-for-this-test' } });
    const list = (await res.json()) as { id: string; host?: string; lines: number }[];
    return list.find((s) => s.id === log.id);
  }, 'the host source');
  assert.equal(sources.host, 'box');
  // And it follows them (XREAD), and may write nothing.
  const sse = await openSse(`${url}api/events?topics=logs&sources=${log.id}`, { Authorization: 'Bearer a-token-for-this-test' });
  t.after(() => sse.close());
  await host.log(log, 4, 2);
  await sse.waitFor((e) => linesOf(e).length >= 5, 'its lines, live');
  assert.deepEqual(linesOf(sse.events).map((l) => l.seq), [1, 2, 3, 4, 5]);
  const asReader = createClient({ url: reader });
  asReader.on('error', () => {});
  await asReader.connect();
  t.after(() => asReader.destroy());
  await assert.rejects(asReader.xAdd('tailwatch:host:box:logs', '*', { t: 'x', d: '{}' }), /NOPERM/);
  await assert.rejects(asReader.get('other-key'), /NOPERM/);
});
