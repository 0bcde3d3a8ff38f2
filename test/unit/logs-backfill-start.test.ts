import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findBackfillStart } from '../../main/sources/logs/backfill-start';
import type { BackfillScanOptions } from '../../main/sources/logs/backfill-start';
import { LineSplitter } from '../../main/sources/logs/line-splitter';
import { testDir } from '../helpers/temp-dir';

/** The lines a follower would give out for a backfill of `n`: from the found offset to EOF, then the held tail. */
async function backfill(path: string, n: number, options?: BackfillScanOptions) {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const start = await findBackfillStart(file, size, n, options);
    const splitter = new LineSplitter(1024);
    if (start.midLine) splitter.discardUntilNewline();
    const rest = Buffer.alloc(size - start.offset);
    await file.read(rest, 0, rest.length, start.offset);
    const lines: string[] = [];
    splitter.push(rest, (text) => lines.push(text));
    splitter.flushPartial((text) => lines.push(text));
    return { lines, ...start };
  } finally {
    await file.close();
  }
}

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

test('finds exactly the last N lines, across chunk boundaries', async (t) => {
  const path = join(await testDir(t, 'tailwatch-logs-'), 'a.log');
  await writeFile(path, numbered(1, 500).join('\n') + '\n');
  for (const n of [1, 2, 7, 100, 499]) {
    const { lines } = await backfill(path, n, { chunkBytes: 64 });
    assert.deepEqual(lines, numbered(501 - n, 500), `last ${n}`);
  }
});

test('a last line with no newline counts as one of the N', async (t) => {
  const path = join(await testDir(t, 'tailwatch-logs-'), 'a.log');
  await writeFile(path, 'a\nb\nc');
  assert.deepEqual((await backfill(path, 2)).lines, ['b', 'c']);
  assert.deepEqual((await backfill(path, 1, { chunkBytes: 2 })).lines, ['c']);
});

test('a file with fewer lines than N is read whole; empty lines count', async (t) => {
  const dir = await testDir(t, 'tailwatch-logs-');
  const path = join(dir, 'a.log');
  await writeFile(path, 'x\n\ny\n');
  const result = await backfill(path, 1000);
  assert.equal(result.offset, 0);
  assert.deepEqual(result.lines, ['x', '', 'y']);
  const empty = join(dir, 'empty.log');
  await writeFile(empty, '');
  assert.deepEqual(await backfill(empty, 10), { lines: [], offset: 0, midLine: false, bytesScanned: 0 });
});

test('N = 0 starts at the end, dropping an unterminated last line', async (t) => {
  const path = join(await testDir(t, 'tailwatch-logs-'), 'a.log');
  await writeFile(path, 'a\nb\n');
  assert.deepEqual((await backfill(path, 0)).lines, []);
  await writeFile(path, 'a\nb\npart');
  const partial = await backfill(path, 0);
  assert.equal(partial.midLine, true);
  assert.deepEqual(partial.lines, []);
});

test('a large file costs only its tail: the scan reads a few chunks of a 50 MB file', async (t) => {
  const path = join(await testDir(t, 'tailwatch-logs-'), 'big.log');
  const line = 'x'.repeat(99) + '\n';
  await writeFile(path, Buffer.from(line.repeat(500_000)));
  const result = await backfill(path, 1000);
  assert.equal(result.lines.length, 1000);
  // 1000 lines of 100 bytes are 100,000 bytes: two 64 KiB chunks; the file is 50,000,000 bytes.
  assert.ok(result.bytesScanned <= 2 * 64 * 1024, `scanned ${result.bytesScanned} bytes`);
});

test('the scan stops at its byte bound and then starts at a line boundary', async (t) => {
  const path = join(await testDir(t, 'tailwatch-logs-'), 'a.log');
  await writeFile(path, numbered(1, 100).join('\n') + '\n');
  const result = await backfill(path, 90, { chunkBytes: 16, maxScanBytes: 100 });
  assert.ok(result.bytesScanned <= 100);
  assert.equal(result.midLine, false);
  assert.ok(result.lines.length > 0 && result.lines.length < 90);
  assert.equal(result.lines.at(-1), 'line 100');
  assert.match(result.lines[0]!, /^line \d+$/);
});

test('one line longer than the scan bound: start at the end, mid-line', async (t) => {
  const path = join(await testDir(t, 'tailwatch-logs-'), 'a.log');
  await writeFile(path, 'y'.repeat(1000));
  const result = await backfill(path, 5, { chunkBytes: 64, maxScanBytes: 256 });
  assert.equal(result.offset, 1000);
  assert.equal(result.midLine, true);
  assert.deepEqual(result.lines, []);
});
