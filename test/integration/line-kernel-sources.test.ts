// The same file, written in the same pieces, followed twice through LogSources and the EventHub: once with the
// line kernel writing the lines it takes (as the server runs), once with every line made by the JS way. What the
// hub's clients get must be the same, line for line: seq, time, text, level, continuation and cut. The lines mix
// what the kernel takes with what it leaves (stack traces, local times, access and JSON lines, CRLF, long lines
// cut at the cap, lines split across reads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import fc from 'fast-check';
import { DEFAULTS } from '../../main/app/options';
import { LogSources } from '../../main/sources/logs/log-sources';
import type { LogLine } from '../../protocol/events';
import { recordThroughHub } from '../fixtures/logs/hub-recorder';
import { line } from '../fixtures/logs/kernel-lines';
import { testDir } from '../helpers/temp-dir';
import { WAIT_TIMEOUT_MS, waitFor } from '../helpers/wait';

const MAX_LINE_BYTES = 300;
const TRACE = ['java.lang.IllegalStateException: boom', '    at com.example.A.run(A.java:10)', '    at com.example.B.main(B.java:5)', 'Caused by: java.io.IOException: gone', '\t... 3 more'];

/** Lines of one run: a timed first line (so every later line has a time to inherit), then a mix. */
function linesOf(seed: number): string[] {
  const mixed = fc.sample(
    fc.oneof(
      { weight: 3, arbitrary: line },
      { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 0, max: 86_399_999 }), fc.constantFrom('INFO', 'warn', 'Error', 'debug', 'x'), fc.stringMatching(/^[ -~]{0,60}$/)).map(([ms, level, text]) => `${new Date(Date.UTC(2026, 11, 8) + ms).toISOString()} ${level} ${text}`) },
      { weight: 1, arbitrary: fc.constant(TRACE.join('\n')) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 999 }).map((n) => `2026-12-08T10:00:${String(n % 60).padStart(2, '0')}.${n}Z INFO crlf ${n}\r`) },
      { weight: 1, arbitrary: fc.integer({ min: 250, max: 400 }).map((n) => `2026-12-08T10:00:00Z ERROR ${'long '.repeat(n / 5)}`) },
    ),
    { seed, numRuns: 600 },
  );
  return ['2026-12-08T09:59:59.999Z first line', ...mixed.flatMap((text) => text.split('\n'))];
}

/** The file's bytes in pieces cut anywhere, the same for both runs of a seed. */
function piecesOf(bytes: Buffer, seed: number): Buffer[] {
  const cuts = fc.sample(fc.integer({ min: 1, max: 4000 }), { seed, numRuns: 400 });
  const pieces: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = cuts[i % cuts.length]!;
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

async function follow(dir: string, name: string, pieces: readonly Buffer[], count: number, kernel: boolean) {
  const path = join(dir, name);
  await writeFile(path, '');
  const { sink, hub, recorded, kernelLines } = recordThroughHub({ kernel });
  const sources = new LogSources({ ...DEFAULTS, file: [path], maxLineBytes: MAX_LINE_BYTES }, sink);
  try {
    await sources.start();
    for (let i = 0; i < pieces.length; i++) {
      await appendFile(path, pieces[i]!);
      // Now and then a pause, so that reads end inside lines as well as between them.
      if (i % 3 === 0) await delay(2);
    }
    const id = sources.list()[0]!.id;
    await waitFor(() => (recorded.lines.get(id)?.length ?? 0) >= count, `${count} lines`, WAIT_TIMEOUT_MS);
    await delay(50);
    hub.flush();
    assert.deepEqual(recorded.violations, []);
    return { lines: recorded.lines.get(id) ?? [], errors: sources.list()[0]!.errors, kernelLines: kernelLines() };
  } finally {
    await sources.close();
    hub.close();
  }
}

const plainObjects = (lines: readonly LogLine[]) => lines.map((l) => ({ ...l }));

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`seed ${seed}: the lines the hub sends are the same with the line kernel and without`, async (t) => {
    const dir = await testDir(t);
    const lines = linesOf(seed);
    const bytes = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
    const pieces = piecesOf(bytes, seed);
    const withKernel = await follow(dir, 'a.log', pieces, lines.length, true);
    const jsWay = await follow(dir, 'b.log', pieces, lines.length, false);
    assert.equal(withKernel.lines.length, lines.length);
    // The kernel took its share (the lines with a time and a zone, and nothing it leaves to the JS way).
    assert.ok(withKernel.kernelLines > lines.length / 10, `the kernel wrote ${withKernel.kernelLines} of ${lines.length} lines`);
    assert.equal(jsWay.kernelLines, 0);
    assert.deepEqual(plainObjects(withKernel.lines), plainObjects(jsWay.lines));
    assert.equal(withKernel.errors, jsWay.errors);
  });
}

test('a BOM that opens the second line is text when the kernel took the first (only the file\'s own BOM is dropped)', async (t) => {
  const dir = await testDir(t);
  const lines = ['2026-12-08T10:00:00Z INFO first', '\uFEFF2026-12-08T10:00:01Z INFO second', '\uFEFFthird'];
  const bytes = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
  const withKernel = await follow(dir, 'a.log', [bytes], lines.length, true);
  const jsWay = await follow(dir, 'b.log', [bytes], lines.length, false);
  assert.deepEqual(withKernel.lines.map((l) => l.text), lines);
  assert.equal(withKernel.kernelLines, 1);
  assert.deepEqual(plainObjects(withKernel.lines), plainObjects(jsWay.lines));
});

test('a read the kernel and the JS way share: a tab in an early JS line is escaped, whatever the later lines are', async (t) => {
  const dir = await testDir(t);
  // A trace (tab-indented frames) between lines with local times, which the kernel leaves: several JS runs in one read.
  const lines = ['2026-12-08T10:00:00Z INFO zoned', ...TRACE, '2026-12-08 10:00:02.000 INFO local time', 'plain words', '2026-12-08 10:00:03.000 INFO local again'];
  const bytes = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
  const withKernel = await follow(dir, 'a.log', [bytes], lines.length, true);
  const jsWay = await follow(dir, 'b.log', [bytes], lines.length, false);
  assert.deepEqual(withKernel.lines.map((l) => l.text), lines);
  assert.deepEqual(plainObjects(withKernel.lines), plainObjects(jsWay.lines));
});
