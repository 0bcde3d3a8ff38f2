// LogSources against real files in a fresh temp dir: discovery, following, rotation, the sink contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { asText, expectLines, numbered, startSources, stateOf } from '../fixtures/logs/start-sources';
import { testDir } from '../helpers/temp-dir';
import { WAIT_TIMEOUT_MS, waitFor } from '../helpers/wait';

test('start hands over the last N lines of each file, announced first; appended lines follow', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 10)) + '12:00 ERROR boom\n');
  const { sources, sink } = await startSources(t, { dir: [dir], backfill: 3 });
  const id = sourceIdOf(path);
  // start() resolves after the backfill was handed over: no waiting needed here.
  assert.deepEqual(sink.texts(id), ['line 9', 'line 10', '12:00 ERROR boom']);
  assert.deepEqual(sink.lines.get(id)!.map((l) => l.seq), [1, 2, 3]);
  assert.equal(sink.lines.get(id)![2]!.level, 'error');
  assert.equal(sink.sourceEvents[0]?.op, 'add');
  assert.deepEqual(sources.list().map(({ id: i, name, state }) => ({ i, name, state })), [{ i: id, name: 'app.log', state: 'live' }]);

  appendFileSync(path, 'next one\n');
  await expectLines(sink, id, ['line 9', 'line 10', '12:00 ERROR boom', 'next one']);
  assert.equal(typeof sink.lines.get(id)![3]!.ts, 'number');
  await waitFor(() => sink.sourceEvents.some((e) => e.op === 'update' && e.source.lines === 4), 'an update with the new line count');
});

test('a --file that does not exist yet is waiting, and live (read from 0) once it appears', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'later', 'app.txt');
  const { sources, sink } = await startSources(t, { file: [path] });
  const id = sourceIdOf(path);
  assert.deepEqual(sources.list(), [{ id, path, name: 'app.txt', state: 'waiting', size: 0, lines: 0, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0 }]);
  assert.deepEqual(sink.sourceEvents.map((e) => [e.op, e.source.state]), [['add', 'waiting']]);
  mkdirSync(join(dir, 'later'));
  writeFileSync(path, asText(['first', 'second']));
  await expectLines(sink, id, ['first', 'second']);
  assert.equal(stateOf(sources, path), 'live');
  await waitFor(() => sink.sourceEvents.some((e) => e.op === 'update' && e.source.state === 'live'), 'an update to live');
});

test('discovery: include/exclude globs, depth, compressed and binary files; new files are picked up live', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  mkdirSync(join(dir, 'sub', 'skip'), { recursive: true });
  writeFileSync(join(dir, 'app.log'), 'a\n');
  writeFileSync(join(dir, 'sub', 'deep.log'), 'b\n');
  writeFileSync(join(dir, 'sub', 'skip', 'hidden.log'), 'c\n');
  writeFileSync(join(dir, 'notes.md'), 'not a log\n');
  writeFileSync(join(dir, 'old.log.1.gz'), 'pretend gzip\n');
  writeFileSync(join(dir, 'core.log'), Buffer.from([0x7f, 0x45, 0x00, 0x01, 0x0a]));
  const { sources, sink } = await startSources(t, { dir: [dir], include: ['*.log', '*.gz'], exclude: ['**/skip/**'] });
  const names = () => sources.list().map((s) => s.name).sort();
  assert.deepEqual(names(), ['app.log', 'sub/deep.log']);

  writeFileSync(join(dir, 'late.log.gz'), 'x\n');
  writeFileSync(join(dir, 'late-binary.log'), Buffer.from([0x00, 0x0a]));
  writeFileSync(join(dir, 'sub', 'skip', 'late.log'), 'x\n');
  writeFileSync(join(dir, 'sub', 'new.log'), asText(numbered(1, 5)));
  await expectLines(sink, sourceIdOf(join(dir, 'sub', 'new.log')), numbered(1, 5));
  // The rejected files were written before new.log; give their events a last chance to (wrongly) arrive.
  await delay(300);
  assert.deepEqual(names(), ['app.log', 'sub/deep.log', 'sub/new.log']);
});

test('depth bounds how deep under a --dir files are found', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  mkdirSync(join(dir, 'one', 'two'), { recursive: true });
  writeFileSync(join(dir, 'top.log'), 'a\n');
  writeFileSync(join(dir, 'one', 'mid.log'), 'b\n');
  writeFileSync(join(dir, 'one', 'two', 'deep.log'), 'c\n');
  const { sources } = await startSources(t, { dir: [dir], depth: 1 });
  assert.deepEqual(sources.list().map((s) => s.name).sort(), ['one/mid.log', 'top.log']);
});

test('a --dir that does not exist yet: one warning, and its files are followed once it appears', async (t) => {
  const dir = join(await testDir(t, 'tailwatch-logs-'), 'later');
  const { sink } = await startSources(t, { dir: [dir] });
  assert.equal(sink.warnings.length, 1);
  assert.match(sink.warnings[0]!, /--dir .*later does not exist \(yet\)/);
  mkdirSync(dir);
  writeFileSync(join(dir, 'app.log'), 'hello\n');
  await expectLines(sink, sourceIdOf(join(dir, 'app.log')), ['hello']);
});

test('--poll follows files without OS events', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'app.log');
  writeFileSync(path, 'one\n');
  const { sink } = await startSources(t, { dir: [dir], poll: true });
  appendFileSync(path, 'two\n');
  writeFileSync(join(dir, 'new.log'), 'three\n');
  await expectLines(sink, sourceIdOf(path), ['one', 'two']);
  await expectLines(sink, sourceIdOf(join(dir, 'new.log')), ['three']);
});

test('maxFiles: past the cap, one clear warning and further files are ignored', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  for (const name of ['a.log', 'b.log', 'c.log']) writeFileSync(join(dir, name), 'x\n');
  const { sources, sink } = await startSources(t, { dir: [dir], maxFiles: 2 });
  assert.equal(sources.list().length, 2);
  assert.equal(sink.warnings.length, 1);
  assert.match(sink.warnings[0]!, /following 2 files \(--max-files\)/);
  writeFileSync(join(dir, 'd.log'), 'x\n');
  writeFileSync(join(dir, 'e.log'), 'x\n');
  // A write to a followed file after the new files: once it is read, their events have had their chance.
  const followed = sources.list()[0]!;
  appendFileSync(followed.path, 'y\n');
  await expectLines(sink, followed.id, ['x', 'y']);
  await delay(300);
  assert.equal(sources.list().length, 2);
  assert.equal(sink.warnings.length, 1);
});

test('50,000 lines appended fast all arrive exactly once, in order, in batches', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'fast.log');
  writeFileSync(path, '');
  const { sink } = await startSources(t, { dir: [dir] });
  const total = 50_000;
  for (let from = 1; from <= total; from += 1000) {
    appendFileSync(path, asText(numbered(from, from + 999)));
    if (from % 10_000 === 1) await delay(1);
  }
  await expectLines(sink, sourceIdOf(path), numbered(1, total));
  assert.ok(sink.appendCalls <= total / 100, `${sink.appendCalls} appendLines calls for ${total} lines`);
});

test('a partial last line is shown after the file goes quiet, once; the rest of it is a new line', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'a.log');
  writeFileSync(path, 'complete\npartial');
  const { sink } = await startSources(t, { dir: [dir] });
  const id = sourceIdOf(path);
  assert.deepEqual(sink.texts(id), ['complete']);
  await expectLines(sink, id, ['complete', 'partial']);
  appendFileSync(path, ' rest\nnext\n');
  await expectLines(sink, id, ['complete', 'partial', ' rest', 'next']);
});

test('--partial-line-ms sets how long an unfinished line waits; a line finished in time is one line', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'a.log');
  writeFileSync(path, '');
  const { sink } = await startSources(t, { file: [path], partialLineMs: 5000 });
  const id = sourceIdOf(path);
  appendFileSync(path, 'slow wri');
  await delay(2500); // past the default wait, within this one
  appendFileSync(path, 'ter\n');
  await expectLines(sink, id, ['slow writer']);
});

test('a path that cannot be read is in state error with a message, and recovers to live', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'app.log');
  mkdirSync(path);
  const { sources, sink } = await startSources(t, { file: [path] });
  const info = sources.list()[0]!;
  assert.equal(info.state, 'error');
  assert.match(info.error!, /not a regular file/);
  rmdirSync(path);
  writeFileSync(path, 'back\n');
  await expectLines(sink, sourceIdOf(path), ['back']);
  await waitFor(() => stateOf(sources, path) === 'live', 'state live');
  assert.equal(sources.list()[0]!.error, undefined);
});

test('a file under a --dir gone for good is removed; if it returns, its seq goes on', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'a.log');
  writeFileSync(path, 'one\n');
  const { sources, sink } = await startSources(t, { dir: [dir], timings: { removedAfterMs: 500, safetyTickMs: 100 } });
  const id = sourceIdOf(path);
  unlinkSync(path);
  await waitFor(() => sink.sourceEvents.some((e) => e.op === 'remove'), 'remove', WAIT_TIMEOUT_MS, () => sources.list());
  assert.deepEqual(sink.sourceEvents.find((e) => e.op === 'remove')!.source.state, 'removed');
  assert.deepEqual(sources.list(), []);
  writeFileSync(path, 'two\n');
  await expectLines(sink, id, ['one', 'two']);
  assert.deepEqual(sink.lines.get(id)!.map((l) => l.seq), [1, 2]);
});

test('close() stops everything and closes every fd; calling it again is harmless', { skip: process.platform !== 'linux' }, async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  for (const name of ['a.log', 'b.log', 'c.log']) writeFileSync(join(dir, name), 'x\n');
  // The fds open on this test's files: other tests of the process open and close fds of their own meanwhile,
  // so a count of all of them says nothing certain.
  const fdsHere = async () => {
    const targets = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
    return targets.filter((target) => target.startsWith(dir + '/')).sort();
  };
  assert.deepEqual(await fdsHere(), []);
  const { sources } = await startSources(t, { dir: [dir] });
  assert.deepEqual(await fdsHere(), ['a.log', 'b.log', 'c.log'].map((name) => join(dir, name)));
  await sources.close();
  await sources.close();
  assert.deepEqual(await fdsHere(), [], 'no fd left open on the files');
});

test('per-source statistics: lines, bytes, errors, rates that rise and fall back, the last line time', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'app.log');
  writeFileSync(path, '');
  // Rates are sampled every safety tick over RATE_WINDOW_SAMPLES of them: short ticks, a short window.
  const { sources, sink } = await startSources(t, { file: [path], timings: { safetyTickMs: 150, updateIntervalMs: 150 } });
  const id = sourceIdOf(path);
  const text = asText(['INFO up', 'ERROR one', 'WARN slow', 'FATAL two', 'plain']);
  const before = Date.now();
  appendFileSync(path, text);
  await expectLines(sink, id, ['INFO up', 'ERROR one', 'WARN slow', 'FATAL two', 'plain']);
  const info = sources.list()[0]!;
  assert.deepEqual({ lines: info.lines, bytes: info.bytes, errors: info.errors }, { lines: 5, bytes: Buffer.byteLength(text), errors: 2 });
  assert.ok(info.lastLineAt! >= before && info.lastLineAt! <= Date.now(), `lastLineAt ${info.lastLineAt}`);
  // Sampled every tick: a rate above 0 is announced, then 0 again once the file is quiet.
  const updates = () => sink.sourceEvents.filter((e) => e.op === 'update' && e.source.id === id).map((e) => e.source);
  await waitFor(() => updates().some((s) => s.linesPerSec > 0 && s.errorsPerSec > 0), 'an update with rates above 0', WAIT_TIMEOUT_MS, updates);
  const rising = updates().find((s) => s.linesPerSec > 0)!;
  // 5 lines and 2 errors over a window of at least one tick.
  assert.ok(rising.linesPerSec <= 5 / 0.15 + 0.01 && Math.abs(rising.linesPerSec / rising.errorsPerSec - 2.5) < 0.01, JSON.stringify(rising));
  await waitFor(() => updates().at(-1)?.linesPerSec === 0, 'an update with the rate back at 0', WAIT_TIMEOUT_MS, updates);
  assert.equal(updates().at(-1)!.errorsPerSec, 0);
});

/** inotify watches this process holds (Linux): the `inotify wd:` lines of its inotify fds. */
async function inotifyWatches(): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fdinfo')) {
    try {
      count += ((await readFile(`/proc/self/fdinfo/${fd}`, 'utf8')).match(/^inotify wd:/gm) ?? []).length;
    } catch {
      // closed meanwhile
    }
  }
  return count;
}

test('an excluded directory is not watched at all (it would spend inotify watches)', { skip: process.platform !== 'linux' }, async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  for (let i = 0; i < 40; i++) mkdirSync(join(dir, 'journal', `d${i}`), { recursive: true });
  writeFileSync(join(dir, 'journal', 'd1', 'x.log'), 'hidden\n');
  writeFileSync(join(dir, 'app.log'), 'shown\n');
  const before = await inotifyWatches();
  const { sources } = await startSources(t, { dir: [dir], exclude: ['journal'] });
  assert.deepEqual(sources.list().map((s) => s.name), ['app.log']);
  const added = (await inotifyWatches()) - before;
  assert.ok(added < 10, `${added} inotify watches for a tree of 42 directories, 40 of them excluded`);
});

test("a line's own timestamp and level are read; a line without one gets the time of the line before it, or (none yet) the time read", async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'app.log');
  writeFileSync(path, '');
  const { sink } = await startSources(t, { file: [path] });
  const id = sourceIdOf(path);
  const before = Date.now();
  const texts = ['no time yet', '2024-01-31T10:00:00.250Z WARN disk', '{"level":50,"time":1706695200000,"msg":"x"}', 'no time here'];
  appendFileSync(path, asText(texts));
  await expectLines(sink, id, texts);
  const [first, iso, pino, plain] = sink.lines.get(id)!;
  assert.ok(first!.ts >= before && first!.ts <= Date.now() && first!.level === undefined, JSON.stringify(first));
  assert.deepEqual([iso!.ts, iso!.level], [Date.UTC(2024, 0, 31, 10, 0, 0, 250), 'warn']);
  assert.deepEqual([pino!.ts, pino!.level], [1706695200000, 'error']);
  assert.deepEqual([plain!.ts, plain!.level], [1706695200000, undefined], 'written when the line before it was');
});

test('a backfill that would start inside a stack trace starts at the line that began it, so the event shows whole', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'app.log');
  const trace = ['2024-01-31T10:00:00Z ERROR boom', 'java.lang.IllegalStateException: no', '\tat a.B.c(B.java:1)', '\tat a.B.d(B.java:2)'];
  writeFileSync(path, asText(['2024-01-31T09:00:00Z INFO up', ...trace]));
  const { sink } = await startSources(t, { file: [path], backfill: 2 });
  const id = sourceIdOf(path);
  await expectLines(sink, id, trace);
  const lines = sink.lines.get(id)!;
  assert.deepEqual(lines.map((l) => [l.ts, l.level, l.cont ?? false]), [
    [Date.UTC(2024, 0, 31, 10), 'error', false],
    ...Array(3).fill([Date.UTC(2024, 0, 31, 10), 'error', true]),
  ]);
});

test('a stack trace is one event: its lines are sent with cont, carrying the time and level of the line that began it', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'app.log');
  writeFileSync(path, '');
  const { sources, sink } = await startSources(t, { file: [path] });
  const id = sourceIdOf(path);
  const texts = [
    '2026-12-07 05:00:00.123 ERROR 1234 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception',
    'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null',
    '\tat com.shop.Cart.total(Cart.java:42)',
    '\tat com.shop.CartController.show(CartController.java:17)',
    'Caused by: java.lang.IllegalStateException: no session',
    '\t... 23 more',
    '2026-12-07 05:00:01.000 INFO 1234 --- [main] c.s.App : recovered',
    'a plain line without a time',
  ];
  appendFileSync(path, asText(texts));
  await expectLines(sink, id, texts);
  const lines = sink.lines.get(id)!;
  const at = Date.UTC(2026, 11, 7, 5, 0, 0, 123) + new Date(2026, 11, 7).getTimezoneOffset() * 60_000;
  assert.deepEqual(lines.map((l) => l.cont ?? false), [false, true, true, true, true, true, false, false]);
  assert.deepEqual(lines.slice(0, 6).map((l) => [l.ts, l.level]), Array(6).fill([at, 'error']));
  assert.equal(lines[7]!.ts, lines[6]!.ts, 'a plain line gets the time of the line before it');
  assert.equal(lines[7]!.level, undefined);
  // Read again from disk (GET /api/lines), the lines are the same.
  assert.deepEqual(await sources.lines({ source: id, from: 1, to: 8 }), { source: id, lines, start: false });
});

test('lines end to end: CRLF, UTF-8 split across reads, invalid bytes, an overlong line cut and the next intact', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'bytes.log');
  writeFileSync(path, '');
  const { sink } = await startSources(t, { file: [path], maxLineBytes: 256 });
  const id = sourceIdOf(path);
  appendFileSync(path, 'windows\r\n');
  await expectLines(sink, id, ['windows']);
  // "é€😀" with the 4-byte emoji cut after its second byte: the follower reads the first half alone.
  const utf8 = Buffer.from('é€😀 done\n');
  appendFileSync(path, utf8.subarray(0, 7));
  await delay(300);
  appendFileSync(path, utf8.subarray(7));
  appendFileSync(path, Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x0a]));
  appendFileSync(path, 'x'.repeat(1000) + '\nnext\n');
  await expectLines(sink, id, ['windows', 'é€😀 done', 'bad\ufffd\ufffd', 'x'.repeat(256), 'next']);
  const lines = sink.lines.get(id)!;
  assert.deepEqual(lines.map((l) => l.cut ?? false), [false, false, false, true, false]);
});
