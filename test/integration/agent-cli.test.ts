// `tailwatch agent` as a user runs it (the built CLI): a wrong password or an unreachable Redis is one line
// naming the URL without its password, exit code 2; and the ACL docs/many-hosts.md gives an agent lets it
// publish its own host's keys and nothing else.
import { test, before, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { createClient } from '@redis/client';
import { selfSignedCertificate } from '../helpers/certificate';
import { waitFor } from '../helpers/wait';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { REDIS_SERVER, startRedis } from '../helpers/redis-server';
import { testDir } from '../helpers/temp-dir';
import { CLI, ensureBuilt, exactlyOnce, redisClient, startAgentProcess, waitForLines } from '../helpers/agent-streams';
import { freePort } from '../helpers/free-port';

before(ensureBuilt);

function agent(args: string[]) {
  return spawnSync(process.execPath, [CLI, 'agent', ...args], { encoding: 'utf8', timeout: 20_000 });
}

test('a wrong password, or no Redis there: one line naming the URL without the password, exit code 2', async (t) => {
  const redis = await startRedis(t, { password: 'right-one' });
  const dir = await testDir(t, 'tailwatch-agent-');
  const cases = [
    { url: `redis://:wrong-secret@127.0.0.1:${redis.port}`, shown: `redis://127.0.0.1:${redis.port}`, cause: /WRONGPASS/ },
    { url: `redis://agent-web1:wrong-secret@127.0.0.1:${redis.port}/0`, shown: `redis://agent-web1@127.0.0.1:${redis.port}/0`, cause: /WRONGPASS/ },
    { url: `redis://127.0.0.1:${redis.port}`, shown: `redis://127.0.0.1:${redis.port}`, cause: /NOAUTH|auth/i },
  ];
  await redis.stop();
  const gone = await startRedis(t);
  const port = gone.port;
  await gone.stop(); // nobody listens there now
  cases.push({ url: `redis://:wrong-secret@127.0.0.1:${port}`, shown: `redis://127.0.0.1:${port}`, cause: /ECONNREFUSED/ });
  const live = await startRedis(t, { password: 'right-one' });
  for (const c of cases) {
    const url = c.url.replace(`:${redis.port}`, `:${live.port}`);
    const shown = c.shown.replace(`:${redis.port}`, `:${live.port}`);
    const result = agent(['--redis', url, '--host-name', 'web1', '--dir', dir]);
    assert.equal(result.status, 2, `${url}: ${result.stderr}`);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.ok(lines[0]!.includes(shown), `${lines[0]} names ${shown}`);
    assert.match(lines[0]!, c.cause);
    assert.ok(!result.stderr.includes('wrong-secret') && !result.stdout.includes('wrong-secret'), 'the password is never shown');
  }
});

test('options: --redis and --host-name are required and checked; --host-name is not an option of serve', () => {
  const cases: [string[], RegExp][] = [
    [['agent', '--host-name', 'web1'], /--redis/],
    [['agent', '--redis', 'redis://127.0.0.1:1'], /--host-name/],
    [['agent', '--redis', 'http://pw@127.0.0.1:1', '--host-name', 'web1'], /--redis: the URL must start with redis:\/\/ or rediss:\/\//],
    [['agent', '--redis', 'redis://127.0.0.1:1', '--host-name', 'web 1'], /--host-name/],
    [['serve', '--host-name', 'web1'], /--host-name is an option of "tailwatch agent"/],
  ];
  for (const [args, message] of cases) {
    const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  }
});

/** The ACL for an agent, as docs/many-hosts.md and the README give it. */
export const AGENT_ACL = (host: string, password: string) =>
  ['ACL', 'SETUSER', `agent-${host}`, 'reset', 'on', `>${password}`, `~tailwatch:host:${host}:*`, '+ping', '+xadd', '+hset', '+hget', '+hgetall', '+multi', '+exec'];

/** A Redis with the docs' ACL for host web1, and `tailwatch agent` following one file (of `text`) as that user. */
async function agentWithAcl(t: TestContext, text: string) {
  const redis = await startRedis(t);
  const admin = await redisClient(redis.url);
  t.after(() => admin.destroy());
  await admin.sendCommand(AGENT_ACL('web1', 'pw-web1'));
  const dir = await testDir(t, 'tailwatch-agent-');
  const path = join(dir, 'app.log');
  writeFileSync(path, text);
  const url = `redis://agent-web1:pw-web1@127.0.0.1:${redis.port}`;
  const running = await startAgentProcess(['--redis', url, '--host-name', 'web1', '--file', path]);
  t.after(() => running.kill());
  return { admin, path, url, running };
}

test('an agent runs with the ACL of the docs: it publishes its own keys and may touch no other', async (t) => {
  const { admin, path, url, running } = await agentWithAcl(t, 'one\ntwo\n');
  const published = await waitForLines(admin, 'web1', sourceIdOf(path, 'web1'), 2);
  assert.equal(exactlyOnce(published.lines.get(sourceIdOf(path, 'web1')), ['one', 'two']), null);
  assert.equal(running.err(), '');

  // The same user cannot write another host's keys, nor read anything else.
  const asAgent = await redisClient(url);
  t.after(() => asAgent.destroy());
  await assert.rejects(asAgent.xAdd('tailwatch:host:web2:logs', '*', { t: 'log', d: '{}' }), /NOPERM/);
  await assert.rejects(asAgent.hSet('tailwatch:host:web2:positions', 'x', '1'), /NOPERM/);
  await assert.rejects(asAgent.xRange('tailwatch:host:web1:logs', '-', '+'), /NOPERM/);
  await assert.rejects(asAgent.del('tailwatch:host:web1:logs'), /NOPERM/);

  // SIGTERM stops it cleanly.
  running.child.kill('SIGTERM');
  assert.equal(await running.exited, 0);
});

test('Redis refusing the lines (the agent\'s ACL loses XADD) is said once; allowed again, every line lands once', async (t) => {
  const { admin, path, running } = await agentWithAcl(t, 'one\n');
  const id = sourceIdOf(path, 'web1');
  await waitForLines(admin, 'web1', id, 1);

  await admin.sendCommand(['ACL', 'SETUSER', 'agent-web1', '-xadd']);
  appendFileSync(path, 'two\nthree\n');
  await waitFor(() => /Redis refused the lines of host web1: .+; retrying/.test(running.err()), `the refusal said (stderr: ${running.err()})`);
  await admin.sendCommand(['ACL', 'SETUSER', 'agent-web1', '+xadd']);
  const published = await waitForLines(admin, 'web1', id, 3);
  assert.equal(exactlyOnce(published.lines.get(id), ['one', 'two', 'three']), null);
  assert.equal(running.err().split('\n').filter((line) => line.includes('refused the lines')).length, 1, running.err());
});

test('rediss:// with --redis-ca: published over TLS; without the CA, a one-line error and exit code 2', async (t) => {
  const dir = await testDir(t, 'tailwatch-agent-tls-');
  const certificate = await selfSignedCertificate();
  const cert = join(dir, 'redis.pem');
  const key = join(dir, 'redis.key');
  writeFileSync(cert, certificate.cert);
  writeFileSync(key, certificate.key);
  const port = await freePort();
  const server = spawn(REDIS_SERVER, ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', cert, '--tls-auth-clients', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
  t.after(() => server.kill('SIGKILL'));
  const url = `rediss://127.0.0.1:${port}`;
  const path = join(dir, 'app.log');
  writeFileSync(path, 'over tls\n');
  await waitFor(() => new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  }), 'redis-server with TLS to listen');

  const untrusted = agent(['--redis', url, '--host-name', 'web1', '--file', path]);
  assert.equal(untrusted.status, 2, untrusted.stderr);
  assert.equal(untrusted.stderr.trim().split('\n').length, 1);
  assert.match(untrusted.stderr, new RegExp(`^tailwatch: --redis rediss://127\\.0\\.0\\.1:${port}: cannot connect: .*certificate`));

  const running = await startAgentProcess(['--redis', url, '--redis-ca', cert, '--host-name', 'web1', '--file', path]);
  t.after(() => running.kill());
  const reader = createClient({ url, socket: { tls: true, ca: certificate.cert } });
  reader.on('error', () => undefined);
  await reader.connect();
  t.after(() => reader.destroy());
  const id = sourceIdOf(path, 'web1');
  await waitFor(async () => ((await reader.xRange('tailwatch:host:web1:logs', '-', '+')) ?? []).some((e) => e.message.t === 'log' && e.message.d!.includes('"over tls"') && e.message.d!.includes(id)), 'the line over TLS');
});
