// The headless command as a user runs it: the built `dist/cli.js` in a child process.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');

before(() => {
  if (!existsSync(cli)) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet']);
});

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, TAILWATCH_TOKEN: '', ...env }, timeout: 20_000 });
}

/** Starts `serve`, waits for its startup line, and returns how to stop it. */
async function serve(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, 'serve', ...args], { env: { ...process.env, TAILWATCH_TOKEN: '', ...env } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await waitFor(() => /listening on (http:\/\/\S+\/)/.exec(out)?.[1], `startup line (stdout: ${out} stderr: ${err})`, 15_000);
  // The startup lines may come in several chunks: the last one says what is followed.
  await waitFor(() => /^(no log sources|following \d+ files?)/m.test(out), `the last startup line (stdout: ${out})`, 15_000);
  return { child, url, out: () => out, err: () => err, exited };
}

test('--help and --version', () => {
  const help = run(['--help']);
  assert.equal(help.status, 0);
  for (const opt of ['--dir', '--file', '--include', '--exclude', '--host', '--port', '--token', '--backfill', '--config']) {
    assert.ok(help.stdout.includes(opt), opt);
  }
  const version = run(['--version']);
  assert.equal(version.status, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
});

test('a bad option is a one-line error naming it, exit code 2', () => {
  const cases: [string[], RegExp][] = [
    [['serve', '--bogus'], /--bogus/],
    [['serve', '--port', 'abc'], /--port/],
    [['serve', '--port', '70000'], /--port/],
    [['serve', '--backfill', '-3'], /--backfill/],
    [['serve', '--gzip', 'maybe'], /--gzip/],
    [['serve', '--config', '/nonexistent/tw.json'], /--config/],
    [['serve', '--host', '0.0.0.0', '--token', 'short'], /--token/],
    [['serve', '--allow-host', 'http://tailwatch.example/'], /--allow-host/],
    [['serve', '--max-clients-per-address', '0'], /--max-clients-per-address/],
    [['launch'], /command/],
  ];
  for (const [args, pattern] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, pattern);
    assert.equal(r.stdout, '');
  }
});

test('a negative number is refused with the option\'s own range, whether given as `--opt -N` or `--opt=-N`', () => {
  const cases: [string[], string][] = [
    [['--backfill', '-5'], '--backfill: expected a whole number from 0 to 1000000, got "-5"'],
    [['--backfill=-5'], '--backfill: expected a whole number from 0 to 1000000, got "-5"'],
    [['--port', '-1'], '--port: expected a whole number from 0 to 65535, got "-1"'],
    [['--max-files', '-3'], '--max-files: expected a whole number from 1 to 1000000, got "-3"'],
    [['--max-line-bytes', '-1'], '--max-line-bytes: expected a byte count from 256 to 16777216, got "-1"'],
  ];
  for (const [args, message] of cases) {
    const r = run(['serve', ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, `tailwatch: ${message} (see --help)\n`);
    assert.equal(r.stdout, '');
  }
});

test('a glob with an unclosed [ or { is a one-line error naming the option and the glob, exit code 2', async (t) => {
  const dir = await testDir(t);
  await writeFile(join(dir, 'tw.json'), JSON.stringify({ dir: '.', include: ['*.log', '**/*.{log'] }));
  const cases: [string[], string][] = [
    [['serve', '--include', '[abc'], `--include: "[abc" has an unclosed '['; a literal [ is written \\[`],
    [['serve', '--include', '**/*.{log'], `--include: "**/*.{log" has an unclosed '{'; a literal { is written \\{`],
    [['serve', '--exclude', '[abc'], `--exclude: "[abc" has an unclosed '['; a literal [ is written \\[`],
    [['serve', '--exclude', '**/*.{log'], `--exclude: "**/*.{log" has an unclosed '{'; a literal { is written \\{`],
    [['serve', '--config', join(dir, 'tw.json')], `"include" in ${join(dir, 'tw.json')}: "**/*.{log" has an unclosed '{'; a literal { is written \\{`],
  ];
  for (const [args, message] of cases) {
    const r = run([...args, '--port', '0', '--dir', dir]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, `tailwatch: ${message} (see --help)\n`);
    assert.equal(r.stdout, '');
  }
});

test('serve prints the URL and the dashboard URL with the token, answers, and stops on SIGTERM and SIGINT within 2 s', async (t) => {
  const dir = await testDir(t);
  await writeFile(join(dir, 'app.log'), 'hello\n');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const s = await serve(['--port', '0', '--dir', dir], { TAILWATCH_TOKEN: 'token-from-env-123' });
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(s.out(), /dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=token-from-env-123/);
    const sources = await fetch(`${s.url}api/sources`, { headers: { Authorization: 'Bearer token-from-env-123' } });
    assert.equal(sources.status, 200);
    assert.equal(((await sources.json()) as unknown[]).length, 1);
    // An open stream must not hold up the shutdown.
    const stream = await fetch(`${s.url}api/events`, { headers: { Authorization: 'Bearer token-from-env-123' } });
    assert.equal(stream.status, 200);
    const t0 = Date.now();
    s.child.kill(signal);
    assert.equal(await s.exited, 0);
    assert.ok(Date.now() - t0 < 2000, `stopped in ${Date.now() - t0} ms`);
  }
});

test('serve without --redis never loads the Redis client library (it is loaded only for --redis and the agent)', async (t) => {
  const dir = await testDir(t);
  await writeFile(join(dir, 'app.log'), 'hello\n');
  // NODE_DEBUG=module: Node's CommonJS loader names every package it loads on stderr (@redis/client is CommonJS).
  const s = await serve(['--port', '0', '--dir', dir], { TAILWATCH_TOKEN: 'token-from-env-123', NODE_DEBUG: 'module' });
  const sources = await fetch(`${s.url}api/sources`, { headers: { Authorization: 'Bearer token-from-env-123' } });
  assert.equal(sources.status, 200);
  s.child.kill('SIGTERM');
  assert.equal(await s.exited, 0);
  assert.match(s.err(), /node_modules/, 'the loader said what it loaded');
  assert.doesNotMatch(s.err(), /@redis\//);
});

test('the built server and Electron main bundles are ASCII: V8 then keeps their source one byte a char (one other char doubles it)', () => {
  for (const bundle of ['cli.js', join('electron', 'main.mjs')]) {
    const text = readFileSync(join(root, 'dist', bundle), 'utf8');
    const at = text.search(/[^\x00-\x7f]/);
    assert.equal(at, -1, `${bundle}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))} (esbuild escapes strings; a comment it keeps does not get escaped)`);
  }
});

test('a random token when none is given; options from a JSON config file, the command line wins', async (t) => {
  const dir = await testDir(t);
  await writeFile(join(dir, 'app.log'), 'x\n');
  await writeFile(join(dir, 'tw.json'), JSON.stringify({ dir: ['.'], port: 1, backfill: 5, token: 'from-config-file-token' }));
  const s = await serve(['--config', join(dir, 'tw.json'), '--port', '0']);
  t.after(() => s.child.kill('SIGKILL'));
  const ok = await fetch(`${s.url}api/sources`, { headers: { Authorization: 'Bearer from-config-file-token' } });
  const list = (await ok.json()) as { path: string }[];
  assert.equal(list[0]!.path, join(dir, 'app.log'), 'dir resolved against the config file');
  s.child.kill('SIGTERM');
  await s.exited;

  const r = await serve(['--port', '0']);
  t.after(() => r.child.kill('SIGKILL'));
  const token = /\?token=(\S+)/.exec(r.out())![1]!;
  assert.ok(token.length >= 32);
  assert.match(r.out(), /no log sources/);
  assert.equal((await fetch(`${r.url}api/sources`, { headers: { Authorization: `Bearer ${token}` } })).status, 200);
  r.child.kill('SIGTERM');
  await r.exited;
});

test('a config file with an unknown key or a wrong type is exit 2 naming the key', async (t) => {
  const dir = await testDir(t);
  for (const [body, key] of [[{ prot: 1 }, 'prot'], [{ port: 'x' }, 'port'], [{ dir: 5 }, 'dir']] as const) {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(body));
    const r = run(['serve', '--config', file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`"${key}"`));
  }
  await writeFile(join(dir, 'broken.json'), '{ nope');
  const r = run(['serve', '--config', join(dir, 'broken.json')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not valid JSON/);
});

/** Stops `s` with SIGTERM and checks it was still running (a warning does not stop it). */
async function stillRunningThenStop(s: Awaited<ReturnType<typeof serve>>) {
  const health = await fetch(`${s.url}api/health`);
  assert.equal(health.status, 200, 'still serving after its warnings');
  s.child.kill('SIGTERM');
  assert.equal(await s.exited, 0);
}

test('a --dir that is not there is said once, in one line, and serve keeps running', async (t) => {
  const dir = join(await testDir(t), 'not-yet');
  const s = await serve(['--port', '0', '--dir', dir], { TAILWATCH_TOKEN: 'x'.repeat(20) });
  t.after(() => s.child.kill('SIGKILL'));
  const line = `tailwatch: warning: --dir ${dir} does not exist (yet); its files are followed once it does\n`;
  await waitFor(() => s.err().includes(line), `the warning (stderr: ${s.err()})`);
  assert.match(s.out(), /^following 0 files$/m);
  await stillRunningThenStop(s);
  assert.equal(s.err(), line, 'said once, and nothing more about it');
});

test('an --include glob that matches no file under the --dir is one warning line; serve keeps running and follows a match that comes', async (t) => {
  const dir = await testDir(t);
  await writeFile(join(dir, 'app.log'), 'a\n');
  const token = 'x'.repeat(20);
  const s = await serve(['--port', '0', '--dir', dir, '--include', '*.log', '--include', '*.foo'], { TAILWATCH_TOKEN: token });
  t.after(() => s.child.kill('SIGKILL'));
  const line = `tailwatch: warning: --include "*.foo" matches no file under --dir ${dir} (yet)\n`;
  await waitFor(() => s.err().includes(line), `the warning (stderr: ${s.err()})`);
  assert.match(s.out(), /^following 1 file$/m);
  await writeFile(join(dir, 'late.foo'), 'b\n');
  const count = async () => ((await (await fetch(`${s.url}api/sources`, { headers: { Authorization: `Bearer ${token}` } })).json()) as unknown[]).length;
  await waitFor(async () => (await count()) === 2, 'the .foo file that came later is followed');
  await stillRunningThenStop(s);
  assert.equal(s.err(), line);
});

test('a --dir with files of which the default patterns match none says so in one line, naming them', async (t) => {
  const dir = await testDir(t);
  await mkdir(join(dir, 'deeper'));
  await writeFile(join(dir, 'deeper', 'events.json'), '{}\n');
  const s = await serve(['--port', '0', '--dir', dir], { TAILWATCH_TOKEN: 'x'.repeat(20) });
  t.after(() => s.child.kill('SIGKILL'));
  const line =
    `tailwatch: warning: --dir ${dir} has files, but none matches the default patterns ` +
    '(*.log, *.out, *.err, *.txt, syslog, messages, dmesg and their rotations); --include GLOB picks others\n';
  await waitFor(() => s.err().includes(line), `the warning (stderr: ${s.err()})`);
  assert.match(s.out(), /^following 0 files$/m);
  await stillRunningThenStop(s);
  assert.equal(s.err(), line);
});

test('the start summary names the --file paths not there yet; nothing is said about a --dir whose files are followed', async (t) => {
  const dir = await testDir(t);
  await writeFile(join(dir, 'app.log'), 'a\n');
  const missing = join(dir, 'missing', 'later.log');
  const s = await serve(['--port', '0', '--dir', dir, '--file', missing, '--file', join(dir, 'app.log')], { TAILWATCH_TOKEN: 'x'.repeat(20) });
  t.after(() => s.child.kill('SIGKILL'));
  assert.ok(s.out().split('\n').includes(`following 2 files (1 waiting: ${missing})`), s.out());
  await stillRunningThenStop(s);
  assert.equal(s.err(), '');
});

test('a port in use is a clear error, not a stack trace', async (t) => {
  const s = await serve(['--port', '0'], { TAILWATCH_TOKEN: 'x'.repeat(20) });
  t.after(() => s.child.kill('SIGKILL'));
  const port = new URL(s.url).port;
  const r = run(['serve', '--port', port]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /port is in use/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  s.child.kill('SIGTERM');
  await s.exited;
});

test('file names in warnings reach the terminal with their escapes and bidi characters shown, never acted on', async (t) => {
  const dir = await testDir(t);
  const hostile = join(dir, 'logs\x1b]0;owned\x07\x1b[2J\u202Egol.txt');
  const s = await serve(['--port', '0', '--dir', hostile], { TAILWATCH_TOKEN: 'x'.repeat(20) });
  t.after(() => s.child.kill('SIGKILL'));
  await waitFor(() => s.err().includes('does not exist'), `the warning (stderr: ${s.err()})`);
  assert.ok(!/[\x00-\x08\x0b-\x1f\u202e]/.test(s.err()), JSON.stringify(s.err()));
  assert.ok(s.err().includes('logs⟨U+001B⟩]0;owned⟨U+0007⟩⟨U+001B⟩[2J⟨U+202E⟩gol.txt'), s.err());
  s.child.kill('SIGTERM');
  await s.exited;
});
