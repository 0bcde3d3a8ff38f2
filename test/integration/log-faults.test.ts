// LogSources under faults a test cannot cause in its own process, so in a child (fixtures/logs/follow-child.ts):
// files its user may not read, inotify watches running out (ENOSPC), open files running out (EMFILE).
// The --max-files cap needs no child; log-sources.test.ts covers it.
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { startFollowChild } from '../fixtures/logs/follow-child-reader';
import type { ExitStatus, FollowChild } from '../fixtures/logs/follow-child-reader';
import { testDir } from '../helpers/temp-dir';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Bounds every test here, child start-up included, well inside the runner's own timeout. */
const TEST_TIMEOUT_MS = 90_000;

const numbered = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix} ${from + i}`);
const asText = (lines: string[]) => lines.map((l) => l + '\n').join('');

/** Waits until the child has given out `expected.length` lines of `path`, then asserts they are exactly those. */
async function expectLines(child: FollowChild, path: string, expected: string[]): Promise<void> {
  await child.waitFor(() => child.texts(path).length >= expected.length, `${expected.length} lines of ${path}`);
  assert.deepEqual(child.texts(path), expected);
  assert.deepEqual(child.sink.violations, []);
}

const stateOf = (child: FollowChild, path: string) => child.source(path)?.state;

/** The child closed LogSources and exited 0, with nothing on stderr: no crash, no unhandled error. */
function assertCleanExit(child: FollowChild, status: ExitStatus): void {
  assert.deepEqual(status, { code: 0, signal: null }, child.stderr());
  assert.deepEqual(child.messages.at(-1), { kind: 'closed' });
  assert.equal(child.stderr(), '');
}

function commandExists(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).error === undefined;
}

// Root passes every permission check, so as root the child runs as nobody, who is then denied like anyone.
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const AS_ROOT = process.getuid?.() === 0;
const asReader = (node: string[]) => (AS_ROOT ? ['setpriv', ...NOBODY, ...node] : node);
const whyNoPermissionTests =
  process.platform === 'win32'
    ? 'no POSIX file modes on Windows'
    : AS_ROOT && !commandExists('setpriv')
      ? 'running as root, which reads any file, and setpriv (to run the child as nobody) is missing'
      : false;

/** nobody must be able to run the child from this checkout, else every failure below would be about that. */
function assertChildRunsAsReader(): void {
  if (!AS_ROOT) return;
  const readable = ['node_modules/tsx/package.json', 'node_modules/chokidar/package.json', 'test/fixtures/logs/follow-child.ts'];
  const args = [...NOBODY, 'sh', '-c', 'for f; do test -r "$f" || { echo "$f"; exit 1; }; done', 'sh', ...readable.map((f) => join(ROOT, f))];
  const probe = spawnSync('setpriv', args, { encoding: 'utf8' });
  assert.equal(probe.status, 0, `user nobody cannot read ${probe.stdout.trim()}: make the checkout world-readable`);
}

/** A directory for files the child reads as another user: it may look into it. */
async function readerDir(t: TestContext): Promise<string> {
  const dir = await testDir(t, 'tailwatch-faults-');
  chmodSync(dir, 0o755);
  return dir;
}

test(
  'a --file that may not be read is in state error naming it and "permission denied"; once readable it is live and all its lines arrive once',
  { skip: whyNoPermissionTests, timeout: TEST_TIMEOUT_MS },
  async (t) => {
    assertChildRunsAsReader();
    const dir = await readerDir(t);
    const path = join(dir, 'secret.log');
    writeFileSync(path, asText(numbered('line', 1, 3)));
    chmodSync(path, 0o000);
    const child = await startFollowChild(t, { file: [path] }, asReader);

    const info = child.source(path);
    assert.equal(info?.state, 'error');
    assert.ok(info.error?.includes(path), info.error);
    assert.match(info.error!, /permission denied/);
    assert.deepEqual(child.texts(path), []);

    chmodSync(path, 0o644);
    // Started while unreadable, so its first read is still the backfill: the whole (short) file.
    await expectLines(child, path, numbered('line', 1, 3));
    await child.waitFor(() => stateOf(child, path) === 'live', 'state live');
    assert.equal(child.source(path)?.error, undefined);
    appendFileSync(path, asText(numbered('line', 4, 6)));
    await expectLines(child, path, numbered('line', 1, 6));
    assert.deepEqual(child.sink.lines.get(sourceIdOf(path))!.map((l) => l.seq), [1, 2, 3, 4, 5, 6]);
    // chokidar could not watch the file either; said at most once, and in words that name it.
    assert.ok(child.sink.warnings.length <= 1, child.sink.warnings.join('\n'));
    for (const w of child.sink.warnings) assert.ok(w.includes(path) && /permission denied/.test(w), w);

    assertCleanExit(child, await child.stop());
  },
);

test(
  'a followed file that turns unreadable is read on through its open fd; a new unreadable file at its path is an error until readable',
  { skip: whyNoPermissionTests, timeout: TEST_TIMEOUT_MS },
  async (t) => {
    assertChildRunsAsReader();
    const dir = await readerDir(t);
    const path = join(dir, 'app.log');
    writeFileSync(path, asText(numbered('line', 1, 2)));
    const child = await startFollowChild(t, { file: [path] }, asReader);
    assert.deepEqual(child.texts(path), numbered('line', 1, 2));

    // Permissions are checked when a file is opened, not on each read of an fd already open.
    chmodSync(path, 0o000);
    appendFileSync(path, asText(numbered('line', 3, 4)));
    await expectLines(child, path, numbered('line', 1, 4));
    assert.equal(stateOf(child, path), 'live');
    chmodSync(path, 0o644);
    appendFileSync(path, 'line 5\n');
    await expectLines(child, path, numbered('line', 1, 5));

    // Rotated: an unreadable file takes the path. The old one is read to its end, the new one cannot be opened.
    const next = join(dir, 'app.log.next');
    writeFileSync(next, 'new 1\n');
    chmodSync(next, 0o000);
    appendFileSync(path, 'line 6\n');
    renameSync(next, path);
    await child.waitFor(() => stateOf(child, path) === 'error', 'state error');
    assert.ok(child.source(path)!.error!.includes(path), child.source(path)!.error);
    assert.match(child.source(path)!.error!, /permission denied/);
    await expectLines(child, path, numbered('line', 1, 6));

    chmodSync(path, 0o644);
    appendFileSync(path, 'new 2\n');
    await expectLines(child, path, [...numbered('line', 1, 6), 'new 1', 'new 2']);
    await child.waitFor(() => stateOf(child, path) === 'live', 'state live');
    assert.ok(child.sink.warnings.length <= 1, child.sink.warnings.join('\n'));

    assertCleanExit(child, await child.endInput());
  },
);

/** Far below the subdirectories and files below: the watcher runs out during its first scan. */
const INOTIFY_WATCHES = 8;
const lowWatches = (node: string[]) => [
  'unshare', '--user', '--map-root-user',
  'sh', '-c', `echo ${INOTIFY_WATCHES} > /proc/sys/user/max_inotify_watches && exec "$@"`, 'sh', ...node,
];

/** inotify limits are per user namespace: a new one, mapped to us, may lower its own without privileges. */
function whyNoWatchLimit(): string | false {
  if (process.platform !== 'linux') return 'inotify is Linux only';
  const [command, ...args] = lowWatches(['true']);
  const probe = spawnSync(command!, args, { encoding: 'utf8' });
  if (probe.error) return `unshare is missing (${probe.error.message})`;
  if (probe.status !== 0) return `cannot lower max_inotify_watches in a new user namespace: ${probe.stderr.trim()}`;
  return false;
}

test(
  'out of inotify watches (ENOSPC): one warning, polling instead, and every file deep in the tree follows on exactly once',
  { skip: whyNoWatchLimit(), timeout: TEST_TIMEOUT_MS },
  async (t) => {
    const dir = await testDir(t, 'tailwatch-faults-');
    const paths: string[] = [];
    for (let i = 0; i < 30; i++) {
      const sub = i % 3 === 0 ? join(dir, `svc-${i}`, 'nested', 'deeper') : join(dir, `svc-${i}`);
      mkdirSync(sub, { recursive: true });
      paths.push(join(sub, 'app.log'));
    }
    for (const path of paths) writeFileSync(path, 'line 1\n');
    const child = await startFollowChild(t, { dir: [dir] }, lowWatches);

    // The watcher ran out during its first scan and was rebuilt polling; start() still saw every file.
    assert.equal(child.sink.warnings.length, 1, child.sink.warnings.join('\n'));
    assert.match(child.sink.warnings[0]!, /out of file watches \(ENOSPC.*polling instead/);
    assert.ok(child.sink.warnings[0]!.includes(dir), child.sink.warnings[0]);
    for (const path of paths) assert.deepEqual(child.texts(path), ['line 1'], path);

    for (let n = 2; n <= 4; n++) for (const path of paths) appendFileSync(path, `line ${n}\n`);
    const late = join(dir, 'svc-27', 'later', 'new.log');
    mkdirSync(join(dir, 'svc-27', 'later'));
    writeFileSync(late, asText(numbered('late', 1, 2)));
    for (const path of paths) await expectLines(child, path, numbered('line', 1, 4));
    await expectLines(child, late, numbered('late', 1, 2));
    assert.equal(child.sink.warnings.length, 1, child.sink.warnings.join('\n'));

    assertCleanExit(child, await child.stop());
  },
);

/** Room for node, tsx and chokidar (about 25 fds) and some followed files, but not all of them. */
const OPEN_FILES = 64;
const TOP_FILES = 100;
const lowOpenFiles = (node: string[]) => ['prlimit', `--nofile=${OPEN_FILES}:${OPEN_FILES}`, ...node];
const whyNoOpenFileLimit =
  process.platform !== 'linux' ? 'prlimit is Linux only' : !commandExists('prlimit') ? 'prlimit is missing' : false;

test(
  'out of open files (EMFILE): no crash, start() still resolves, files that cannot be opened are errors saying so, the others follow on',
  { skip: whyNoOpenFileLimit, timeout: TEST_TIMEOUT_MS },
  async (t) => {
    const dir = await testDir(t, 'tailwatch-faults-');
    const top = Array.from({ length: TOP_FILES }, (_, i) => join(dir, `f${i}.log`));
    for (const [i, path] of top.entries()) writeFileSync(path, `f${i} 1\n`);
    // Listed after the top files are being opened: its listing may fail, which once kept start() waiting forever.
    mkdirSync(join(dir, 'sub'));
    for (let i = 0; i < 10; i++) writeFileSync(join(dir, 'sub', `g${i}.log`), `g${i} 1\n`);
    const child = await startFollowChild(t, { dir: [dir] }, lowOpenFiles);

    await child.waitFor(() => top.every((path) => child.source(path)), `all ${TOP_FILES} top files announced`);
    const checkSource = (path: string, lines: string[]) => {
      const info = child.source(path)!;
      if (info.state === 'error') {
        assert.ok(info.error?.includes(path), info.error);
        assert.match(info.error!, /too many open files/);
        assert.deepEqual(child.texts(path), [], path);
      } else {
        assert.equal(info.state, 'live', path);
        assert.deepEqual(child.texts(path), lines, path);
      }
      return info.state;
    };
    const states = top.map((path, i) => checkSource(path, [`f${i} 1`]));
    assert.ok(states.includes('live') && states.includes('error'), `states: ${states.join(' ')}`);

    for (const [i, path] of top.entries()) appendFileSync(path, `f${i} 2\n`);
    // An error that finds an fd free is live again and reads the file from its start; either way, once.
    await child.waitFor(
      () => top.every((path) => stateOf(child, path) === 'error' || child.texts(path).length === 2),
      'every live top file to have its appended line',
    );
    const after = top.map((path, i) => checkSource(path, [`f${i} 1`, `f${i} 2`]));
    assert.ok(after.includes('live'), `states: ${after.join(' ')}`);
    assert.deepEqual(child.sink.violations, []);
    // Listing the directory needs an fd too: the watcher falls back to polling, and says so once.
    await child.waitFor(() => child.sink.warnings.length > 0, 'a warning');
    assert.equal(child.sink.warnings.length, 1, child.sink.warnings.join('\n'));
    assert.match(child.sink.warnings[0]!, /too many open files \(EMFILE.*polling instead/);

    assertCleanExit(child, await child.stop());
  },
);
