// LogSources going on from a stored position (what `tailwatch agent` keeps in Redis): the same file goes on
// from the stored offset with the next seq; another file at the path is read whole, seq still going on; no
// position is a backfill from seq 1. Each batch says where its last line ends, which is what is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { LogLine } from '../../protocol/events';
import { LogSources, type LinesPlace, type LogSourcesOptions, type ResumePoint } from '../../main/sources/logs/log-sources';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);
const text = (lines: string[]) => lines.map((l) => l + '\n').join('');

async function run(t: { after(fn: () => unknown): void }, options: Partial<LogSourcesOptions>) {
  const lines: LogLine[] = [];
  let place: LinesPlace | null = null;
  const sources = new LogSources(
    { dir: [], file: [], include: [], exclude: [], backfill: 1000, maxLineBytes: 65536, partialLineMs: 60_000, maxFiles: 10, depth: 1, poll: false, followSymlinks: false, timings: { safetyTickMs: 50 }, ...options },
    {
      appendLines: (_id, batch, _live, at) => {
        lines.push(...batch);
        place = at;
      },
      sourceChanged: () => undefined,
      warn: () => undefined,
    },
  );
  t.after(() => sources.close());
  await sources.start();
  return { sources, lines, place: () => place };
}

/** A resume point as an agent makes it from a batch's place and its last seq. */
function pointOf(place: LinesPlace, seq: number): ResumePoint {
  const [dev, ino] = place.file.split(':').map(Number) as [number, number];
  const print = createHash('sha256').update(place.print).digest('hex');
  return { dev, ino, offset: place.end, seq, printBytes: place.print.length, hasPrint: (b) => createHash('sha256').update(b).digest('hex') === print };
}

test('a source goes on from its stored position: the lines written since, with the next seqs', async (t) => {
  const dir = await testDir(t, 'tailwatch-resume-');
  const path = join(dir, 'app.log');
  writeFileSync(path, text(numbered(1, 10)));
  const first = await run(t, { file: [path], hostName: 'web1' });
  assert.deepEqual(first.lines.map((l) => l.seq), numbered(1, 10).map((_, i) => i + 1));
  const place = first.place()!;
  const { dev, ino, size } = statSync(path);
  assert.deepEqual({ file: place.file, end: place.end, print: place.print.length }, { file: `${dev}:${ino}`, end: size, print: size });
  assert.equal(first.sources.list()[0]!.host, 'web1');
  assert.equal(first.sources.list()[0]!.id, sourceIdOf(path, 'web1'));
  assert.notEqual(sourceIdOf(path, 'web1'), sourceIdOf(path, 'web2'));
  await first.sources.close();

  // A partial line at the end is not part of the position: the next run reads it once it is whole.
  appendFileSync(path, text(numbered(11, 15)) + 'line 1');
  const stored = pointOf(place, 10);
  const second = await run(t, { file: [path], hostName: 'web1', resumeAt: (id) => (id === sourceIdOf(path, 'web1') ? stored : undefined) });
  await waitFor(() => second.lines.length >= 5, 'the lines written since');
  appendFileSync(path, '6\n');
  await waitFor(() => second.lines.length >= 6, 'the line finished later');
  assert.deepEqual(second.lines.map((l) => [l.seq, l.text]), numbered(11, 16).map((s, i) => [11 + i, s]));
  assert.equal(second.place()!.end, statSync(path).size);
});

test('another file at the path (replaced while stopped) is read whole, its seqs going on; no position: backfill from 1', async (t) => {
  const dir = await testDir(t, 'tailwatch-resume-');
  const path = join(dir, 'app.log');
  writeFileSync(path, text(numbered(1, 4)));
  const first = await run(t, { file: [path], hostName: 'h' });
  const stored = pointOf(first.place()!, 4);
  await first.sources.close();

  renameSync(path, path + '.1');
  writeFileSync(path, text(['new 1', 'new 2']));
  const second = await run(t, { file: [path], hostName: 'h', resumeAt: () => stored });
  assert.deepEqual(second.lines.map((l) => [l.seq, l.text]), [[5, 'new 1'], [6, 'new 2']]);
  await second.sources.close();

  // Same inode, other first bytes (rewritten in place): read whole too.
  const rewritten = pointOf(second.place()!, 6);
  writeFileSync(path, text(['other 1', 'other 2', 'other 3']));
  const third = await run(t, { file: [path], hostName: 'h', resumeAt: () => rewritten });
  assert.deepEqual(third.lines.map((l) => [l.seq, l.text]), [[7, 'other 1'], [8, 'other 2'], [9, 'other 3']]);
  await third.sources.close();

  const fresh = await run(t, { file: [path], hostName: 'h', backfill: 2, resumeAt: () => undefined });
  assert.deepEqual(fresh.lines.map((l) => [l.seq, l.text]), [[1, 'other 2'], [2, 'other 3']]);
});

test('the file of the position rotated away while stopped: its rest first, then the files after it, whole', async (t) => {
  const dir = await testDir(t, 'tailwatch-resume-');
  const path = join(dir, 'app.log');
  writeFileSync(path, text(numbered(1, 4)));
  const first = await run(t, { file: [path], hostName: 'h' });
  const stored = pointOf(first.place()!, 4);
  await first.sources.close();

  // While stopped: more lines, a rotation, a new file, more lines, another rotation, a newer file.
  appendFileSync(path, text(numbered(5, 6)));
  renameSync(path, path + '.1');
  writeFileSync(path, text(['second 1', 'second 2']));
  renameSync(path + '.1', path + '.2');
  renameSync(path, path + '.1');
  writeFileSync(path, text(['third 1']));

  const second = await run(t, { file: [path], hostName: 'h', resumeAt: () => stored });
  await waitFor(() => second.lines.length >= 5, 'the lines written while stopped', 3000, () => second.lines.map((l) => [l.seq, l.text]));
  assert.deepEqual(second.lines.map((l) => [l.seq, l.text]), [[5, 'line 5'], [6, 'line 6'], [7, 'second 1'], [8, 'second 2'], [9, 'third 1']]);
});
