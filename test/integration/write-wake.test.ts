// A write to the file a source holds is read from its fd at once, woken by the inode's own watch, with no
// look at the path first (see PathView.readWrites). Here that watch is the only wake: no chokidar, no safety
// tick; where a rotation leaves nothing for the held inode to tell (a new file at the path, a symlink swapped),
// the test calls check() as chokidar would. On real files, each rotation kind must still give every line
// exactly once, in each file's order.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, closeSync, copyFileSync, openSync, renameSync, symlinkSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Content } from '../../main/sources/logs/content';
import { FileReader } from '../../main/sources/logs/file-reader';
import { INLINE_READ_BYTES } from '../../main/sources/logs/limits';
import { openLogFile } from '../../main/sources/logs/open-log-file';
import { PathView } from '../../main/sources/logs/path-view';
import { PathWatcher } from '../../main/sources/logs/path-watcher';
import { ReadBufferPool } from '../../main/sources/logs/read-buffer-pool';
import { asText, numbered } from '../fixtures/logs/start-sources';
import { pathViewOptions } from '../fixtures/logs/path-view-options';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';
import { isOnLocalDisk } from '../../main/sources/logs/local-file-system';

/** One source following `path`, woken only by its held files' watches; its texts, in the order given out. */
async function follow(t: TestContext, path: string) {
  const texts: string[] = [];
  const view = new PathView(pathViewOptions(path, (_path, lines) => texts.push(...lines), { watchWrites: true }));
  t.after(() => view.close());
  await view.check();
  return { view, texts };
}

/** Waits until `texts` holds as many lines as `expected`, then asserts them exactly. */
async function expectTexts(texts: string[], expected: string[]) {
  await waitFor(() => texts.length >= expected.length, `${expected.length} lines`, undefined, () => texts.slice(-5));
  assert.deepEqual(texts, expected);
}

test('a write is read from the held fd without a look at the path: a symlink swapped meanwhile waits for one', async (t) => {
  const dir = await testDir(t, 'tailwatch-wake-');
  const link = join(dir, 'current.log');
  const first = join(dir, 'one.log');
  const second = join(dir, 'two.log');
  writeFileSync(first, asText(numbered(1, 3, 'one')));
  writeFileSync(second, asText(numbered(1, 2, 'two')));
  symlinkSync(first, link);
  const { view, texts } = await follow(t, link);
  assert.deepEqual(texts, numbered(1, 3, 'one'));

  symlinkSync(second, `${link}.tmp`);
  renameSync(`${link}.tmp`, link); // nothing happens to one.log's inode: only a look at the path sees this
  appendFileSync(first, 'one 4\n');
  await expectTexts(texts, numbered(1, 4, 'one'));
  appendFileSync(first, 'one 5\n');
  // A look after 'one 4' would have read two.log before this write was even seen.
  await expectTexts(texts, numbered(1, 5, 'one'));

  await view.check(); // what chokidar or the safety tick does: the new target is read from its start
  await expectTexts(texts, [...numbered(1, 5, 'one'), ...numbered(1, 2, 'two')]);
  appendFileSync(first, 'one 6\n'); // the old target's writer, in its grace period: a look reads it
  appendFileSync(second, 'two 3\n');
  await expectTexts(texts, [...numbered(1, 5, 'one'), ...numbered(1, 2, 'two'), 'one 6', 'two 3']);
});

test('copytruncate: the held inode\'s events alone give the copy\'s rest, then the new lines, each once', async (t) => {
  const dir = await testDir(t, 'tailwatch-wake-');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 100)));
  const { view, texts } = await follow(t, path);

  // One synchronous block: no read can come between these steps, as when logrotate runs under load.
  appendFileSync(path, asText(numbered(101, 130)));
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, asText(['after 1', 'after 2']));
  await expectTexts(texts, [...numbered(1, 130), 'after 1', 'after 2']);
  appendFileSync(path, 'after 3\n');
  await expectTexts(texts, [...numbered(1, 130), 'after 1', 'after 2', 'after 3']);
  await view.check(); // a look now finds nothing left to read
  assert.deepEqual(texts, [...numbered(1, 130), 'after 1', 'after 2', 'after 3']);
});

test('truncated in place, to nothing or to a size that keeps the first bytes, then written: read again from 0, once', async (t) => {
  const dir = await testDir(t, 'tailwatch-wake-');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 200)));
  const { view, texts } = await follow(t, path);
  const history = numbered(1, 200);

  // Cut at a line end past the first KiB: the first bytes are still the same, only the size tells.
  const kept = numbered(1, 150);
  truncateSync(path, Buffer.byteLength(asText(kept)));
  appendFileSync(path, 'new 1\n');
  await expectTexts(texts, [...history, ...kept, 'new 1']);

  // Emptied and written past where it was read to: by size it only grew, the first bytes tell.
  truncateSync(path, 0);
  appendFileSync(path, asText(numbered(1, 300, 'again')));
  await expectTexts(texts, [...history, ...kept, 'new 1', ...numbered(1, 300, 'again')]);
  await view.check();
  assert.equal(texts.length, 200 + 150 + 1 + 300, 'a look afterwards reads nothing twice');
});

test('rename + create: the held inode\'s rename event makes the look; old and new files are read once, the old first', async (t) => {
  const dir = await testDir(t, 'tailwatch-wake-');
  const path = join(dir, 'app.log');
  const oldFd = openSync(path, 'a');
  t.after(() => closeSync(oldFd));
  writeSync(oldFd, asText(numbered(1, 10, 'old')));
  const { texts } = await follow(t, path);

  writeSync(oldFd, asText(numbered(11, 20, 'old'))); // not read yet when the rotation happens
  renameSync(path, `${path}.1`);
  writeFileSync(path, asText(numbered(1, 5, 'new')));
  await expectTexts(texts, [...numbered(1, 20, 'old'), ...numbered(1, 5, 'new')]);
  appendFileSync(path, 'new 6\n'); // the new file's own watch wakes its read
  await expectTexts(texts, [...numbered(1, 20, 'old'), ...numbered(1, 6, 'new')]);
  writeSync(oldFd, 'old 21\n'); // the writer had not reopened yet: the rotated file is read on
  await expectTexts(texts, [...numbered(1, 20, 'old'), ...numbered(1, 6, 'new'), 'old 21']);
});

test('deleted: the unlink alone makes the look (deleted); a file created there later is read from its start', async (t) => {
  const dir = await testDir(t, 'tailwatch-wake-');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 5)));
  const { view, texts } = await follow(t, path);

  appendFileSync(path, 'line 6\n');
  unlinkSync(path);
  await waitFor(() => view.currentState === 'deleted', 'state deleted', undefined, () => view.currentState);
  assert.deepEqual(texts, numbered(1, 6));

  writeFileSync(path, asText(numbered(1, 3, 'again')));
  await view.check(); // chokidar's `add`: nothing held can tell of a new file
  await expectTexts(texts, [...numbered(1, 6), ...numbered(1, 3, 'again')]);
  appendFileSync(path, 'again 4\n');
  await expectTexts(texts, [...numbered(1, 6), ...numbered(1, 4, 'again')]);
  assert.equal(view.currentState, 'live');
});

test('a --dir\'s own folder watch tells of a write to a file in it, with its path; none is made when polling', async (t) => {
  const dir = await testDir(t, 'tailwatch-wake-');
  const path = join(dir, 'app.log');
  writeFileSync(path, 'line 1\n');
  const watch = (poll: boolean) => {
    const written: string[] = [];
    const watcher = new PathWatcher({
      paths: [dir],
      label: `--dir ${dir}`,
      poll,
      pollIntervalMs: 50,
      writesIn: dir,
      onWrite: (p) => written.push(p),
      onEvent: () => undefined,
      warn: () => undefined,
    });
    t.after(() => watcher.close());
    return { watcher, written };
  };
  const watched = watch(false);
  const polled = watch(true);
  await Promise.all([watched.watcher.ready(), polled.watcher.ready()]);

  appendFileSync(path, 'line 2\n');
  await waitFor(() => watched.written.includes(path), 'a write told', undefined, () => watched.written);
  assert.deepEqual(polled.written, []);
});

/**
 * A reader of `path` whose content was read to its end, as a source holds it, once it reads inline (its watch
 * made, statfs has said the disk is local); the bytes it hands on, as text.
 */
async function heldReader(t: TestContext, path: string) {
  const { handle, stats } = await openLogFile(path);
  const reader = new FileReader(handle, stats.dev, stats.ino, stats.birthtimeNs, path);
  t.after(() => reader.close());
  const size = Number(stats.size);
  const owner = { path, holdsContent: () => true };
  const fingerprint = Buffer.alloc(Math.min(size, 1024));
  await handle.read(fingerprint, 0, fingerprint.length, 0);
  reader.content = new Content({ fingerprint, readTo: size, origin: reader.key, bornMs: 0, owner, maxLineBytes: 65_536 });
  reader.watchWrites(path);
  const pool = new ReadBufferPool();
  let text = '';
  const readInline = () => reader.readInline(pool, (chunk) => (text += chunk.toString()));
  await waitFor(() => readInline() === 'done', 'a read done inline');
  return { reader, readInline, text: () => text };
}

test('the synchronous read hands on only bytes of its content: growth, up to INLINE_READ_BYTES at once; a rewrite, nothing', { skip: process.platform !== 'linux' }, async (t) => {
  const dir = await testDir(t, 'tailwatch-wake-');
  if (!(await isOnLocalDisk(dir))) return t.skip('the temp dir is not on a local disk');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 100)));
  const held = await heldReader(t, path);

  appendFileSync(path, 'line 101\n');
  assert.equal(held.readInline(), 'done');
  assert.equal(held.text(), 'line 101\n');

  // More than one inline read: its first part is handed on, the rest left to readToEnd.
  const big = 'x'.repeat(99) + '\n';
  appendFileSync(path, big.repeat(Math.ceil((INLINE_READ_BYTES * 1.5) / big.length)));
  assert.equal(held.readInline(), 'async');
  assert.equal(held.text().length, 'line 101\n'.length + INLINE_READ_BYTES);

  // Emptied and rewritten past where it was read to: other first bytes, nothing handed on.
  const before = held.text();
  const readTo = held.reader.content!.readTo;
  truncateSync(path, 0);
  appendFileSync(path, 'y'.repeat(readTo + 100));
  assert.equal(held.readInline(), 'async');
  assert.equal(held.text(), before);
  assert.equal(held.reader.content!.readTo, readTo);
});

test('the synchronous read leaves a file cut below where it was read (first bytes kept) or unlinked to a look', { skip: process.platform !== 'linux' }, async (t) => {
  const dir = await testDir(t, 'tailwatch-wake-');
  if (!(await isOnLocalDisk(dir))) return t.skip('the temp dir is not on a local disk');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 200)));
  const held = await heldReader(t, path);

  truncateSync(path, Buffer.byteLength(asText(numbered(1, 150))));
  assert.equal(held.readInline(), 'async');
  assert.equal(held.text(), '');

  const other = join(dir, 'other.log');
  writeFileSync(other, asText(numbered(1, 5)));
  const second = await heldReader(t, other);
  unlinkSync(other);
  assert.equal(second.readInline(), 'async');
});
