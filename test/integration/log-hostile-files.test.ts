// Files under a watched folder that must not be read as logs: FIFOs, sockets and devices (a plain open() of a
// FIFO waits for a writer forever), and symlinks that lead outside the folder (or round in a loop). Real
// FIFOs (mkfifo), real unix sockets, real symlinks; the last test runs the built CLI.
import { test, before } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, closeSync, constants, existsSync, mkdirSync, openSync, renameSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { looksBinary } from '../../main/sources/logs/binary-sniff';
import { OUTSIDE_SYMLINK_WARNINGS } from '../../main/sources/logs/limits';
import { openLogFile } from '../../main/sources/logs/open-log-file';
import { asText, expectLines, numbered, startSources, stateOf } from '../fixtures/logs/start-sources';
import type { LogSources } from '../../main/sources/logs/log-sources';
import type { RecordingSink } from '../fixtures/logs/recording-sink';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
/** A blocking open would hang a test for good: fail it instead, well inside the runner's own timeout. */
const TEST_TIMEOUT_MS = 60_000;
const POSIX = process.platform === 'win32' ? 'FIFOs, unix sockets and symlinks are POSIX' : false;
const options = { skip: POSIX, timeout: TEST_TIMEOUT_MS };

before(() => {
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--quiet']);
});

/**
 * Real FIFOs at `paths`. When the test ends (timed out too) each is opened once for writing, without
 * blocking: an open for reading that did block (the bug these tests are about) then returns, and frees its
 * libuv worker. Before the after hooks, which need those workers (removing the test's folder).
 */
function makeFifos(t: TestContext, paths: string[]): void {
  execFileSync('mkfifo', paths);
  const release = () => {
    for (const path of paths) {
      try {
        closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // ENXIO: nobody has it open for reading, as it should be
      }
    }
  };
  t.signal.addEventListener('abort', release, { once: true });
}

/** A real unix socket at `path`, listening until the test ends. */
async function makeSocket(t: TestContext, path: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

/** `link` now leads to `target`, swapped in one rename as `ln -sfn` does. */
function retarget(link: string, target: string): void {
  const next = `${link}.next`;
  symlinkSync(target, next);
  renameSync(next, link);
}

const paths = (sources: LogSources) => sources.list().map((s) => s.path).sort();
/** Every line any source gave out, whatever its source. */
const allTexts = (sink: RecordingSink) => [...sink.lines.values()].flat().map((l) => l.text);

test('FIFOs and a socket in a --dir: start() finishes, they are no sources, and the regular file is followed', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const app = join(dir, 'app.log');
  writeFileSync(app, asText(numbered(1, 2)));
  // Four: libuv has four workers, and each blocked open() held one for good.
  makeFifos(t, ['p1.log', 'p2.log', 'p3.log', 'p4.log'].map((name) => join(dir, name)));
  await makeSocket(t, join(dir, 'socket.log'));

  const { sources, sink } = await startSources(t, { dir: [dir] });
  assert.deepEqual(paths(sources), [app]);
  assert.deepEqual(sink.texts(sourceIdOf(app)), numbered(1, 2));
  appendFileSync(app, asText(numbered(3, 4)));
  await expectLines(sink, sourceIdOf(app), numbered(1, 4));

  // One appearing later is not a source either; a regular file after it still is.
  makeFifos(t, [join(dir, 'late.log')]);
  const after = join(dir, 'after.log');
  writeFileSync(after, 'after\n');
  await expectLines(sink, sourceIdOf(after), ['after']);
  assert.deepEqual(paths(sources), [after, app]);
  assert.deepEqual(sink.warnings, []);
});

test('every open of a log file refuses a FIFO, a socket or a device at once, naming it; noFollow refuses a symlink', options, async (t) => {
  // What discover and the follower's stat normally keep away, in case one was swapped in since.
  const dir = await testDir(t, 'tailwatch-hostile-');
  const fifo = join(dir, 'pipe.log');
  const socket = join(dir, 'socket.log');
  makeFifos(t, [fifo]);
  await makeSocket(t, socket);
  const refused = (path: string, kind: string) => ({ code: 'ERR_TAILWATCH_NOT_REGULAR_FILE', message: `${path} is ${kind}, not a regular file` });
  await assert.rejects(openLogFile(fifo), refused(fifo, 'a FIFO (named pipe)'));
  await assert.rejects(openLogFile(socket), refused(socket, 'a socket'));
  if (existsSync('/dev/zero')) await assert.rejects(openLogFile('/dev/zero'), refused('/dev/zero', 'a character device'));
  // Four at once would have held every libuv worker: the sniff says "not binary", and following says why.
  assert.deepEqual(await Promise.all([fifo, fifo, fifo, fifo, socket].map((path) => looksBinary(path))), [false, false, false, false, false]);

  const app = join(dir, 'app.log');
  writeFileSync(app, 'line\n');
  symlinkSync(app, join(dir, 'link.log'));
  await assert.rejects(openLogFile(join(dir, 'link.log'), { noFollow: true }), { code: 'ELOOP' });
  const { handle, stats } = await openLogFile(join(dir, 'link.log'));
  await handle.close();
  assert.equal(stats.size, 5n);
});

test('a --file that is a FIFO, a socket or a device is a source in state error saying what it is, and is not opened', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const fifo = join(dir, 'pipe.log');
  const socket = join(dir, 'socket.log');
  makeFifos(t, [fifo]);
  await makeSocket(t, socket);
  const device = '/dev/zero';

  const { sources } = await startSources(t, { file: [fifo, socket, ...(existsSync(device) ? [device] : [])] });
  const errorOf = (path: string) => {
    const info = sources.list().find((s) => s.path === path);
    assert.equal(info?.state, 'error', path);
    return info.error!;
  };
  assert.equal(errorOf(fifo), `${fifo} is a FIFO (named pipe), not a regular file`);
  assert.equal(errorOf(socket), `${socket} is a socket, not a regular file`);
  if (existsSync(device)) assert.equal(errorOf(device), `${device} is a character device, not a regular file`);
});

test('a --file that names a folder is a source in state error saying so', async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const folder = join(dir, 'logs');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  const { sources } = await startSources(t, { file: [folder] });
  const info = sources.list().find((s) => s.path === folder);
  assert.equal(info?.state, 'error');
  assert.equal(info.error, `${folder} is not a regular file`);
});

test('a symlink named as a rotation is never read as the copy of a truncated log', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const outside = await testDir(t, 'tailwatch-outside-');
  const app = join(dir, 'app.log');
  writeFileSync(app, asText(numbered(1, 3)));
  const { sink } = await startSources(t, { file: [app] });
  await expectLines(sink, sourceIdOf(app), numbered(1, 3));

  // Looks like the copy copytruncate would leave: the same first bytes, and more after them.
  const secret = join(outside, 'secret.txt');
  writeFileSync(secret, asText([...numbered(1, 3), 'SECRET']));
  symlinkSync(secret, join(dir, 'app.log.1'));
  truncateSync(app, 0);
  appendFileSync(app, 'after truncation\n');
  await expectLines(sink, sourceIdOf(app), [...numbered(1, 3), 'after truncation']);
  assert.ok(!allTexts(sink).includes('SECRET'));
});

test('a symlink to a file outside the --dir (or /etc/passwd) is not followed; one warning per path', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const outside = await testDir(t, 'tailwatch-outside-');
  const app = join(dir, 'app.log');
  writeFileSync(app, 'inside\n');
  const secret = join(outside, 'secret.txt');
  writeFileSync(secret, 'SECRET\n');
  symlinkSync(secret, join(dir, 'secret.log'));
  const passwd = existsSync('/etc/passwd');
  if (passwd) symlinkSync('/etc/passwd', join(dir, 'passwd.log'));

  const { sources, sink } = await startSources(t, { dir: [dir] });
  assert.deepEqual(paths(sources), [app]);
  const warning = (name: string, target: string) =>
    `--dir ${dir}: not following ${name}: it is a symlink to ${target}, outside the folder (--follow-symlinks allows it)`;
  assert.deepEqual(sink.warnings.sort(), [...(passwd ? [warning('passwd.log', '/etc/passwd')] : []), warning('secret.log', secret)]);

  // Written to, and a new one made: still no source, the known one not warned about again.
  appendFileSync(secret, 'MORE\n');
  symlinkSync(secret, join(dir, 'later.log'));
  await waitFor(() => sink.warnings.length === (passwd ? 3 : 2), 'the warning about later.log');
  assert.equal(sink.warnings.at(-1), warning('later.log', secret));
  appendFileSync(app, 'inside 2\n');
  await expectLines(sink, sourceIdOf(app), ['inside', 'inside 2']);
  assert.deepEqual(paths(sources), [app]);
  assert.deepEqual(allTexts(sink), ['inside', 'inside 2']);
});

test('warnings about symlinks leading outside are bounded per --dir, the last one says so', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const outside = await testDir(t, 'tailwatch-outside-');
  const secret = join(outside, 'secret.txt');
  writeFileSync(secret, 'SECRET\n');
  for (let i = 0; i < OUTSIDE_SYMLINK_WARNINGS + 10; i++) symlinkSync(secret, join(dir, `link-${i}.log`));

  const { sources, sink } = await startSources(t, { dir: [dir] });
  assert.deepEqual(sources.list(), []);
  assert.equal(sink.warnings.length, OUTSIDE_SYMLINK_WARNINGS);
  assert.equal(new Set(sink.warnings).size, OUTSIDE_SYMLINK_WARNINGS);
  assert.equal(sink.warnings.filter((w) => w.endsWith(`further such symlinks under --dir ${dir} are skipped without a warning`)).length, 1);
});

test('a symlinked folder leading outside the --dir is not descended, and warned about', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const outside = await testDir(t, 'tailwatch-outside-');
  writeFileSync(join(outside, 'other.log'), 'SECRET\n');
  mkdirSync(join(outside, 'deeper'));
  writeFileSync(join(outside, 'deeper', 'deep.log'), 'SECRET\n');
  const app = join(dir, 'app.log');
  writeFileSync(app, 'inside\n');
  symlinkSync(outside, join(dir, 'linked'));

  const { sources, sink } = await startSources(t, { dir: [dir] });
  assert.deepEqual(paths(sources), [app]);
  assert.deepEqual(sink.warnings, [
    `--dir ${dir}: not following linked: it is a symlink to ${outside}, outside the folder (--follow-symlinks allows it)`,
  ]);
  writeFileSync(join(outside, 'new.log'), 'SECRET\n');
  appendFileSync(app, 'inside 2\n');
  await expectLines(sink, sourceIdOf(app), ['inside', 'inside 2']);
  assert.deepEqual(paths(sources), [app]);
  assert.deepEqual(allTexts(sink), ['inside', 'inside 2']);
});

/** a.log, sub/b.log, sub/deeper/c.log, with `loop -> .`, `sub/up -> ..` and `sub/deeper/self -> .`. */
function loopedTree(dir: string): string[] {
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
  const files = [join(dir, 'a.log'), join(dir, 'sub', 'b.log'), join(dir, 'sub', 'deeper', 'c.log')];
  for (const file of files) writeFileSync(file, 'line\n');
  symlinkSync('.', join(dir, 'loop'));
  symlinkSync('..', join(dir, 'sub', 'up'));
  symlinkSync('.', join(dir, 'sub', 'deeper', 'self'));
  return files;
}

test('folder loops (loop -> ., up -> ..) give each real file exactly once', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const files = loopedTree(dir);
  const { sources, sink } = await startSources(t, { dir: [dir] });
  assert.deepEqual(paths(sources), files.sort());
  assert.deepEqual(sink.warnings, []);
  const later = join(dir, 'sub', 'later.log');
  writeFileSync(later, 'later\n');
  await expectLines(sink, sourceIdOf(later), ['later']);
  assert.deepEqual(paths(sources), [...files, later].sort());
});

// A guard for the change above rather than a hostile file: a --dir named by a symlink still works.
test('a --dir that is itself a symlink to a folder is followed; its symlinks are judged by the folder it leads to', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const elsewhere = await testDir(t, 'tailwatch-outside-');
  const root = join(elsewhere, 'logs');
  symlinkSync(dir, root);
  writeFileSync(join(dir, 'app.log'), 'app 1\n');
  writeFileSync(join(dir, 'target.data'), 'target 1\n');
  symlinkSync(join(dir, 'target.data'), join(dir, 'inside.log'));
  const { sources, sink } = await startSources(t, { dir: [root] });
  assert.deepEqual(paths(sources), [join(root, 'app.log'), join(root, 'inside.log')]);
  assert.deepEqual(sink.warnings, []);
  appendFileSync(join(dir, 'app.log'), 'app 2\n');
  await expectLines(sink, sourceIdOf(join(root, 'app.log')), ['app 1', 'app 2']);
  assert.deepEqual(sink.texts(sourceIdOf(join(root, 'inside.log'))), ['target 1']);
});

test('followSymlinks: files and folders outside are followed, and loops (inside and outside) still give each file once', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const outside = await testDir(t, 'tailwatch-outside-');
  const files = loopedTree(dir);
  writeFileSync(join(outside, 'other.log'), 'other 1\n');
  symlinkSync('.', join(outside, 'back'));
  symlinkSync(dir, join(outside, 'home'));
  symlinkSync(outside, join(dir, 'linked'));
  symlinkSync(outside, join(dir, 'linked-again'));
  // Not a log name: read only through the symlink (as `linked/secret.txt` it would be a file of its own).
  const secret = join(outside, 'secret.data');
  writeFileSync(secret, 'outside 1\n');
  symlinkSync(secret, join(dir, 'outside.log'));

  const { sources, sink } = await startSources(t, { dir: [dir], followSymlinks: true });
  const listed = paths(sources);
  // `linked` and `linked-again` are the same folder: its file is followed once, under either name.
  const other = listed.filter((p) => p.endsWith('other.log'));
  assert.equal(other.length, 1, listed.join('\n'));
  assert.ok([join(dir, 'linked', 'other.log'), join(dir, 'linked-again', 'other.log')].includes(other[0]!), other[0]);
  assert.deepEqual(listed, [...files, join(dir, 'outside.log'), other[0]!].sort());
  assert.deepEqual(sink.warnings, []);

  appendFileSync(secret, 'outside 2\n');
  appendFileSync(join(outside, 'other.log'), 'other 2\n');
  await expectLines(sink, sourceIdOf(join(dir, 'outside.log')), ['outside 1', 'outside 2']);
  await expectLines(sink, sourceIdOf(other[0]!), ['other 1', 'other 2']);
});

test('a symlink to a file inside is followed, also retargeted inside; retargeted outside it is an error and nothing there is read', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const outside = await testDir(t, 'tailwatch-outside-');
  const current = join(dir, 'current.log');
  // Not a log name: the targets are read only through the symlink.
  writeFileSync(join(dir, 'app-1.data'), 'one 1\n');
  writeFileSync(join(dir, 'app-2.data'), 'two 1\n');
  writeFileSync(join(dir, 'app-3.data'), 'three 1\n');
  const secret = join(outside, 'secret.txt');
  writeFileSync(secret, 'SECRET\n');
  symlinkSync('app-1.data', current);

  const { sources, sink } = await startSources(t, { dir: [dir] });
  const id = sourceIdOf(current);
  assert.deepEqual(paths(sources), [current]);
  assert.deepEqual(sink.texts(id), ['one 1']);
  appendFileSync(join(dir, 'app-1.data'), 'one 2\n');
  await expectLines(sink, id, ['one 1', 'one 2']);

  retarget(current, 'app-2.data');
  await expectLines(sink, id, ['one 1', 'one 2', 'two 1']);

  retarget(current, secret);
  await waitFor(() => stateOf(sources, current) === 'error', 'state error', undefined, () => sources.list());
  assert.equal(
    sources.info(id)!.error,
    `not reading ${current}: it leads to ${secret}, outside --dir ${dir} (--follow-symlinks allows it)`,
  );
  appendFileSync(secret, 'SECRET 2\n');

  retarget(current, 'app-3.data');
  await expectLines(sink, id, ['one 1', 'one 2', 'two 1', 'three 1']);
  await waitFor(() => stateOf(sources, current) === 'live', 'state live again');
  assert.equal(sources.info(id)!.error, undefined);
  assert.ok(!allTexts(sink).some((text) => text.includes('SECRET')));
});

test('the CLI with FIFOs, a socket and --file /dev/zero: listening, serves, follows the log, exits 0 within 2 s of SIGTERM', options, async (t) => {
  const dir = await testDir(t, 'tailwatch-hostile-');
  const app = join(dir, 'app.log');
  writeFileSync(app, 'hello\n');
  makeFifos(t, ['p1.log', 'p2.log', 'p3.log', 'p4.log', 'p5.log'].map((name) => join(dir, name)));
  await makeSocket(t, join(dir, 'socket.log'));
  const device = existsSync('/dev/zero') ? ['--file', '/dev/zero'] : [];
  const token = 'hostile-files-token-123';

  const child = spawn(process.execPath, [CLI, 'serve', '--dir', dir, ...device, '--port', '0', '--token', token], {
    env: { ...process.env, TAILWATCH_TOKEN: '' },
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(() => void child.kill('SIGKILL'));

  const url = await waitFor(() => /listening on (http:\/\/\S+\/)/.exec(out)?.[1], 'the startup line', 15_000, () => ({ out, err }));
  const get = (path: string) => fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal((await get('api/health')).status, 200);
  type Source = { path: string; state: string; lines: number; error?: string };
  const list = async () => ((await (await get('api/sources')).json()) as Source[]).sort((a, b) => a.path.localeCompare(b.path));
  const listed = await list();
  assert.deepEqual(listed.map((s) => s.path), [...(device.length > 0 ? ['/dev/zero'] : []), app]);
  if (device.length > 0) assert.match(listed[0]!.error!, /\/dev\/zero is a character device, not a regular file/);

  appendFileSync(app, 'world\n');
  await waitFor(async () => (await list()).find((s) => s.path === app)?.lines === 2, 'the appended line counted');

  const signalledAt = Date.now();
  child.kill('SIGTERM');
  assert.equal(await exited, 0, err);
  assert.ok(Date.now() - signalledAt < 2000, `stopped in ${Date.now() - signalledAt} ms`);
});
