// What logrotate, the app or the disk can do to a followed file, one case per test, on real files. Each
// asserts the exact lines that came out of the hub (no loss, no repeat, seq continuous) and the final state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { asText, expectLines, numbered, startSources, stateOf } from '../fixtures/logs/start-sources';
import type { RecordingSink } from '../fixtures/logs/recording-sink';
import { testDir } from '../helpers/temp-dir';
import { WAIT_TIMEOUT_MS, waitFor } from '../helpers/wait';

/** Every line of every source, once each, whatever source it came from. */
function allTexts(sink: RecordingSink): string[] {
  return [...sink.lines.values()].flatMap((lines) => lines.map((l) => l.text));
}

/** Asserts `texts` holds each expected line exactly once and keeps the order of each group (one file's lines). */
function assertOnceInOrder(texts: string[], groups: string[][]) {
  const expected = groups.flat();
  assert.equal(texts.length, expected.length, `${texts.length} lines delivered, ${expected.length} written`);
  assert.deepEqual([...texts].sort(), [...expected].sort());
  const position = new Map(texts.map((text, i) => [text, i]));
  for (const group of groups) {
    const at = group.map((text) => position.get(text)!);
    assert.deepEqual(at, [...at].sort((a, b) => a - b), `the lines of one file keep their order: ${group[0]}…`);
  }
}

test('rename + create while the writer still appends to the old file: it is drained, then read on for a grace period', async (t) => {
  const dir = await testDir(t, 'tailwatch-rotate-');
  const path = join(dir, 'app.log');
  const oldFd = openSync(path, 'a');
  t.after(() => closeSync(oldFd));
  writeSync(oldFd, asText(numbered(1, 100, 'old')));
  const { sources, sink } = await startSources(t, { file: [path] });
  const id = sourceIdOf(path);
  await expectLines(sink, id, numbered(1, 100, 'old'));

  // Lines the follower has not read yet when the rename happens, then the new file, then the writer,
  // which has not reopened its log yet, still writes to the old one: all must come out, once.
  writeSync(oldFd, asText(numbered(101, 150, 'old')));
  renameSync(path, `${path}.1`);
  writeFileSync(path, asText(numbered(1, 20, 'new')));
  writeSync(oldFd, asText(numbered(151, 160, 'old')));
  await waitFor(() => sink.texts(id).length >= 180, '180 lines', WAIT_TIMEOUT_MS, () => sink.texts(id).length);
  // Half a second later (well within the grace period) the writer still had not noticed.
  await new Promise((resolve) => setTimeout(resolve, 500));
  writeSync(oldFd, asText(numbered(161, 165, 'old')));
  appendFileSync(path, asText(numbered(21, 25, 'new')));
  await waitFor(() => sink.texts(id).length >= 190, '190 lines', WAIT_TIMEOUT_MS, () => sink.texts(id).length);

  assertOnceInOrder(sink.texts(id), [numbered(1, 165, 'old'), numbered(1, 25, 'new')]);
  assert.deepEqual(sink.texts(id).slice(0, 150), numbered(1, 150, 'old'), 'the old file is drained before the new one is read');
  assert.deepEqual(sink.violations, []);
  assert.equal(stateOf(sources, path), 'live');
});

test('rename rotation under a --dir that follows rotated names too: each line shows once, under one name', async (t) => {
  const dir = await testDir(t, 'tailwatch-rotate-');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 50, 'a')));
  // Yesterday's rotation: backfilled as its own source, never mixed up with today's.
  writeFileSync(`${path}.1`, asText(numbered(1, 5, 'yesterday')));
  const { sink } = await startSources(t, { dir: [dir] });
  await expectLines(sink, sourceIdOf(path), numbered(1, 50, 'a'));
  await expectLines(sink, sourceIdOf(`${path}.1`), numbered(1, 5, 'yesterday'));

  // logrotate (numbered, with shifting): app.log.1 → app.log.2, app.log → app.log.1, new app.log.
  appendFileSync(path, asText(numbered(51, 60, 'a')));
  renameSync(`${path}.1`, `${path}.2`);
  renameSync(path, `${path}.1`);
  writeFileSync(path, asText(numbered(1, 10, 'b')));
  appendFileSync(`${path}.1`, asText(numbered(61, 65, 'a'))); // the writer had not reopened yet
  await waitFor(() => allTexts(sink).length >= 80, '80 lines in all', WAIT_TIMEOUT_MS, () => allTexts(sink).length);
  await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more may come: no repeats

  assertOnceInOrder(allTexts(sink), [numbered(1, 65, 'a'), numbered(1, 10, 'b'), numbered(1, 5, 'yesterday')]);
  // Whichever source looks first, every line written to app.log shows under app.log (rotation-handoff.test.ts).
  assert.deepEqual(sink.texts(sourceIdOf(path)), [...numbered(1, 65, 'a'), ...numbered(1, 10, 'b')]);
  assert.deepEqual(sink.violations, []);
});

test('copytruncate: lines written after the last read and before the truncation are read from the copy', async (t) => {
  const dir = await testDir(t, 'tailwatch-rotate-');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 100)));
  const { sources, sink } = await startSources(t, { file: [path] });
  const id = sourceIdOf(path);
  await expectLines(sink, id, numbered(1, 100));

  // One synchronous block: the follower cannot look between these steps, as when logrotate runs under load.
  appendFileSync(path, asText(numbered(101, 130)));
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, asText(['after 1', 'after 2']));
  await expectLines(sink, id, [...numbered(1, 130), 'after 1', 'after 2']);
  appendFileSync(path, 'after 3\n');
  await expectLines(sink, id, [...numbered(1, 130), 'after 1', 'after 2', 'after 3']);
  assert.equal(stateOf(sources, path), 'live');
});

test('copytruncate, more lines, then deleted before the follower looks: the copy, then the truncated file from 0', async (t) => {
  const dir = await testDir(t, 'tailwatch-rotate-');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 10)));
  const { sink } = await startSources(t, { file: [path] });
  const id = sourceIdOf(path);
  await expectLines(sink, id, numbered(1, 10));

  // The follower last read up to 'line 10'; the file it holds is truncated, then written past that offset
  // (read from there, it would give the middle of a line), then deleted: it must be read from its start.
  appendFileSync(path, asText(numbered(11, 12)));
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, asText(numbered(1, 40, 'after truncation')));
  unlinkSync(path);
  writeFileSync(path, asText(['new file 1']));
  await expectLines(sink, id, [...numbered(1, 12), ...numbered(1, 40, 'after truncation'), 'new file 1']);
});

test('copytruncate under a --dir that follows the copy too: the copy shows nothing twice', async (t) => {
  const dir = await testDir(t, 'tailwatch-rotate-');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 100)));
  const { sink } = await startSources(t, { dir: [dir] });
  await expectLines(sink, sourceIdOf(path), numbered(1, 100));

  appendFileSync(path, asText(numbered(101, 120)));
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, asText(['after 1']));
  await waitFor(() => sink.sourceEvents.some((e) => e.source.path === `${path}.1`), 'the copy to be found');
  await expectLines(sink, sourceIdOf(path), [...numbered(1, 120), 'after 1']);
  await new Promise((resolve) => setTimeout(resolve, 1200)); // a safety tick: still nothing under the copy
  assert.deepEqual(sink.texts(sourceIdOf(`${path}.1`)), []);
  assert.equal(allTexts(sink).length, 121);
});

test('truncated, then rewritten past the old offset before the follower looks: the first bytes tell', async (t) => {
  const dir = await testDir(t, 'tailwatch-rotate-');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 10, 'first')));
  const { sink } = await startSources(t, { file: [path] });
  const id = sourceIdOf(path);
  await expectLines(sink, id, numbered(1, 10, 'first'));
  // Same inode, bigger than before: by size alone this looks like 30 appended lines.
  truncateSync(path, 0);
  appendFileSync(path, asText(numbered(1, 40, 'second')));
  await expectLines(sink, id, [...numbered(1, 10, 'first'), ...numbered(1, 40, 'second')]);
});

test('delete, then recreate later (maybe on the same inode, already longer): deleted (it was there), then read from its start', async (t) => {
  const dir = await testDir(t, 'tailwatch-rotate-');
  const path = join(dir, 'app.log');
  writeFileSync(path, asText(numbered(1, 3)));
  const { sources, sink } = await startSources(t, { file: [path] });
  const id = sourceIdOf(path);
  await expectLines(sink, id, numbered(1, 3));
  unlinkSync(path);
  await waitFor(() => stateOf(sources, path) === 'deleted', 'state deleted', WAIT_TIMEOUT_MS, () => sources.list());
  writeFileSync(path, asText(numbered(4, 6)));
  await expectLines(sink, id, numbered(1, 6));
  await waitFor(() => stateOf(sources, path) === 'live', 'state live', WAIT_TIMEOUT_MS, () => sources.list());

  // Deleted and recreated within one look: the new file may well get the old inode number back.
  unlinkSync(path);
  writeFileSync(path, asText(numbered(1, 20, 'again')));
  await expectLines(sink, id, [...numbered(1, 6), ...numbered(1, 20, 'again')]);
});

test('a symlink whose target is swapped: the old target is drained, the new one read from its start', async (t) => {
  const dir = await testDir(t, 'tailwatch-rotate-');
  const link = join(dir, 'current.log');
  const first = join(dir, 'release-1.log');
  const second = join(dir, 'release-2.log');
  writeFileSync(first, asText(numbered(1, 5, 'one')));
  writeFileSync(second, asText(numbered(1, 3, 'two')));
  symlinkSync(first, link);
  const { sources, sink } = await startSources(t, { file: [link] });
  const id = sourceIdOf(link);
  await expectLines(sink, id, numbered(1, 5, 'one'));

  // Swapped atomically, the way deploy tools do it: a new link renamed over the old one.
  appendFileSync(first, asText(numbered(6, 7, 'one')));
  symlinkSync(second, `${link}.tmp`);
  renameSync(`${link}.tmp`, link);
  appendFileSync(second, asText(['two 4']));
  await expectLines(sink, id, [...numbered(1, 7, 'one'), ...numbered(1, 4, 'two')]);
  appendFileSync(first, 'one 8\n'); // the old target's writer, within the grace period
  await expectLines(sink, id, [...numbered(1, 7, 'one'), ...numbered(1, 4, 'two'), 'one 8']);
  assert.equal(stateOf(sources, link), 'live');
});

test('a file missing at start that appears later is waiting, then read from its start', async (t) => {
  const dir = await testDir(t, 'tailwatch-rotate-');
  const path = join(dir, 'late.log');
  const { sources, sink } = await startSources(t, { file: [path] });
  assert.equal(stateOf(sources, path), 'waiting');
  writeFileSync(path, asText(numbered(1, 4)));
  await expectLines(sink, sourceIdOf(path), numbered(1, 4));
  assert.equal(stateOf(sources, path), 'live');
});

test('the parent directory deleted and recreated: --file and --dir sources come back, new files are found', async (t) => {
  const root = await testDir(t, 'tailwatch-rotate-');
  const dir = join(root, 'logs');
  mkdirSync(dir);
  const inDir = join(dir, 'app.log');
  const named = join(dir, 'named.txt');
  writeFileSync(inDir, asText(numbered(1, 2, 'app')));
  writeFileSync(named, asText(numbered(1, 2, 'named')));
  const { sources, sink } = await startSources(t, { dir: [dir], file: [named] });
  await expectLines(sink, sourceIdOf(inDir), numbered(1, 2, 'app'));
  await expectLines(sink, sourceIdOf(named), numbered(1, 2, 'named'));

  rmSync(dir, { recursive: true });
  await waitFor(() => stateOf(sources, inDir) === 'deleted' && stateOf(sources, named) === 'deleted', 'both deleted', WAIT_TIMEOUT_MS, () => sources.list());
  await waitFor(() => sink.warnings.some((w) => w.includes('was removed')), 'a warning that the --dir is gone');
  mkdirSync(dir);
  writeFileSync(inDir, asText(numbered(3, 4, 'app')));
  writeFileSync(named, asText(numbered(3, 4, 'named')));
  const fresh = join(dir, 'fresh.log');
  await expectLines(sink, sourceIdOf(inDir), numbered(1, 4, 'app'));
  await expectLines(sink, sourceIdOf(named), numbered(1, 4, 'named'));
  // A file created in the new directory is found: the --dir is watched again.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  writeFileSync(fresh, asText(['fresh 1']));
  await expectLines(sink, sourceIdOf(fresh), ['fresh 1']);
  assert.equal(stateOf(sources, inDir), 'live');
});

test('200,000 lines in one burst with a rename rotation every 50,000: each line once, in order', async (t) => {
  const dir = await testDir(t, 'tailwatch-rotate-');
  const path = join(dir, 'burst.log');
  writeFileSync(path, '');
  const { sink } = await startSources(t, { file: [path] });
  const id = sourceIdOf(path);
  const total = 200_000;
  const perFile = 50_000;
  const chunk = 5_000;
  // No pause at all: files are created and rotated away faster than any follower looks.
  for (let n = 1; n <= total; n += chunk) {
    appendFileSync(path, asText(numbered(n, n + chunk - 1)));
    if ((n + chunk - 1) % perFile === 0) renameSync(path, `${path}.${(n + chunk - 1) / perFile}`);
  }
  await expectLines(sink, id, numbered(1, total));
  assert.equal(sink.lines.get(id)!.at(-1)!.seq, total);
});
