import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { KERNEL_LEVELS, LineKernel, type EncodedLines } from '../../main/sources/logs/line-kernel';
import { ALL_PREFIXES, EventContinuation } from '../../main/sources/logs/event-continuation';
import { lineOf, type LineContext } from '../../main/sources/logs/line-of';
import { parseLineTimestamp } from '../../main/sources/logs/timestamp';
import { plainLogDataJson } from '../../protocol/encode';
import type { LogLine } from '../../protocol/events';
import { line, pad, rest, time, untimed } from '../fixtures/logs/kernel-lines';

const kernel = LineKernel.load();
const NOW = Date.UTC(2026, 11, 8, 12, 0, 0);

interface Taken {
  json: string;
  count: number;
  times: number[];
  levels: number[];
  stop: number;
  calls: EncodedLines[];
}

/**
 * The kernel on `lines`, as at the start of a file read at NOW: a line without its own time gets NOW, and no
 * event is open.
 */
function encode(lines: readonly string[], options: { seq?: number; maxLineBytes?: number; batchBytes?: number } = {}): Taken {
  const chunk = Buffer.from(lines.map((line) => line + '\n').join(''), 'utf8');
  const parts: string[] = [];
  const times: number[] = [];
  const levels: number[] = [];
  const calls: EncodedLines[] = [];
  let count = 0;
  const context = { inheritedTime: NOW, plainEvent: true };
  const stop = kernel!.encode(chunk, 0, options.seq ?? 0, context, options.maxLineBytes ?? 64 * 1024, options.batchBytes ?? 64 * 1024, (taken) => {
    parts.push(taken.json.toString('latin1'));
    count += taken.count;
    for (let i = 0; i < taken.count; i++) {
      times.push(taken.times[i]!);
      levels.push(taken.levels[i]!);
    }
    calls.push({ ...taken, times: taken.times.slice(0, taken.count), levels: taken.levels.slice(0, taken.count) });
  });
  return { json: parts.join(','), count, times, levels, stop, calls };
}

/** What the JS way (line-of.ts, as PathView calls it) makes of these lines from the start of a file read at NOW. */
function jsWay(lines: readonly string[], firstSeq: number): { json: string; lines: LogLine[] } {
  const context: LineContext = { lastOwnTs: null, events: new EventContinuation(), head: null };
  const made = lines.map((text, i) => lineOf(text, false, firstSeq + i, context, parseLineTimestamp(text, NOW), NOW));
  for (const made1 of made) assert.ok(!made1.cont, `the kernel took a line that continues an event: ${JSON.stringify(made1.text)}`);
  const whole = plainLogDataJson('s', made, '{');
  return { json: whole.slice('{"source":"s","lines":['.length, -']}'.length), lines: made };
}

function assertSameAsJs(lines: readonly string[], taken: Taken, firstSeq = 1): void {
  const expected = jsWay(lines.slice(0, taken.count), firstSeq);
  assert.equal(taken.json, expected.json);
  assert.deepEqual(taken.times, expected.lines.map((line) => line.ts));
  assert.deepEqual(taken.levels.map((n) => KERNEL_LEVELS[n]), expected.lines.map((line) => line.level));
  const bytes = lines.slice(0, taken.count).reduce((n, line) => n + Buffer.byteLength(line) + 1, 0);
  assert.equal(taken.stop, bytes, 'stops right after the last line it took');
}

test('the line kernel loads (WebAssembly with SIMD, as in Node 20+ and Electron)', () => {
  assert.ok(kernel);
});

test('every line the kernel takes, it writes as the JS way does: time, level, JSON to the byte', () => {
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
      assertSameAsJs(lines, encode(lines));
    }),
    { numRuns: 3000 },
  );
});

test('lines of one kind the kernel takes, each: the words every level is told by, in any case and place', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(time.filter((t) => parseLineTimestamp(t, NOW) !== undefined), rest), { minLength: 1, maxLength: 20 }), (pairs) => {
      const lines = pairs.map(([t, r]) => `${t} ${r}`);
      assertSameAsJs(lines, encode(lines));
    }),
    { numRuns: 2000 },
  );
});

test('lines without a time of their own, among timed ones: taken only where the JS way makes a plain line heading a plain event', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(untimed, line), { minLength: 1, maxLength: 16 }), (lines) => {
      assertSameAsJs(lines, encode(lines));
    }),
    { numRuns: 4000 },
  );
});

test('any bytes at all: the kernel never fails, and what it takes is what the JS way makes of them', () => {
  const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(10, 10, 32, 48, 57, 65, 84, 90, 45, 58, 46, 61, 91, 124, 34, 92));
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 120 }), fc.array(byte, { maxLength: 120 }).map((b) => Uint8Array.from(b)), line.map((l) => Buffer.from(l))), { maxLength: 12 }), (parts) => {
      const bytes = Buffer.concat(parts.flatMap((part) => [Buffer.from(part), Buffer.from('\n')]));
      let count = 0;
      const stop = kernel!.encode(bytes, 0, 0, { inheritedTime: NOW, plainEvent: true }, 64 * 1024, 64 * 1024, (taken) => {
        count += taken.count;
      });
      assert.ok(stop >= 0 && stop <= bytes.length);
      // The lines taken are whole lines of printable ASCII: compare them as text.
      const texts = bytes.subarray(0, stop).toString('latin1').split('\n').slice(0, -1);
      assert.equal(texts.length, count);
      assertSameAsJs(texts, encode(texts));
    }),
    { numRuns: 3000 },
  );
});

test("a line that starts with a stack trace's mark is the JS way's, for every mark event-continuation.ts knows", () => {
  assert.ok(ALL_PREFIXES.length >= 16);
  for (const mark of ALL_PREFIXES) {
    for (const line of [`${mark}1 x`, `${mark}x y`]) assert.equal(encode([line, 'plain words']).count, 0, JSON.stringify(line));
  }
  // The letters those marks start with start plain lines too: those the kernel takes.
  const plain = ['Connected to db', 'Starting worker 3', 'Done in 2 s', 'created 3 files', 'Traceless run', 'fatality x', 'goroutines 3', 'panicked'];
  const taken = encode(plain);
  assertSameAsJs(plain, taken);
  assert.equal(taken.count, plain.length - 1, 'all up to a first word alone on its line (a Go function line may be one)');
});

test('a level word cut by the 96-char head counts as the JS way counts it', () => {
  const stamp = '2026-12-08T10:00:00.123Z ';
  const lines: string[] = [];
  for (let at = 85; at <= 97; at++) for (const w of ['ERROR', 'ERRORS', 'WARN', 'WARNING', 'info']) lines.push(stamp + 'x '.repeat(0) + '-'.repeat(at - stamp.length) + w + ' tail');
  const taken = encode(lines);
  assert.equal(taken.count, lines.length);
  assertSameAsJs(lines, taken);
});

test('the kernel takes the lines most logs are made of, and leaves the others to the JS way', () => {
  const common = [
    '2026-12-08T10:00:00.123Z INFO  checkout  #000000001 request completed method=GET path=/api/v1/orders status=200 in 12.4 ms',
    '2026-12-08T10:00:00.124Z WARN  auth      #000000002 validation failed field=email reason="invalid address"',
    '2026-12-08 10:00:00,125+01:00 ERROR [main] c.e.Service - failed: java.lang.IllegalStateException',
    '2026-12-08T10:00:00.126123456Z level-less line with a \\ backslash',
    '2026-12-08T10:00:00Z status=503 upstream timed out',
  ];
  const taken = encode(common);
  assert.equal(taken.count, common.length);
  assertSameAsJs(common, taken);
  for (const other of [
    '2026-12-08T10:00:00.123 INFO no zone: local time', // local time: the JS way
    '127.0.0.1 - - [08/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 12',
    '2026-12-08T10:00:00Z level=error msg="a logfmt level field"',
    '2026-12-08T10:00:00Z GET /x HTTP/1.1 200',
    '2026-12-08T10:00:00Z caf\u00e9',
    '2026-12-08T10:00:00Z a\ttab',
    '{"level":"info","time":"2026-12-08T10:00:00Z"}',
    '    at Object.<anonymous> (/app/x.js:1:1)',
    '',
  ]) {
    assert.equal(encode([other, common[0]!]).count, 0, JSON.stringify(other));
  }
});

test('lines past maxLineBytes are left to the JS way, which cuts them', () => {
  const long = '2026-12-08T10:00:00Z ' + 'y'.repeat(100);
  assert.equal(encode([long], { maxLineBytes: 100 }).count, 0);
  assert.equal(encode([long], { maxLineBytes: long.length }).count, 1);
  assert.equal(encode(['2026-12-08T10:00:00Z ' + 'y'.repeat(3000)]).count, 0);
});

test('batches end at batchBytes of JSON, numbered on from seq, and join into the whole', () => {
  const lines = Array.from({ length: 2000 }, (_, i) => `2026-12-08T10:00:${pad(i % 60, 2)}.${pad(i % 1000, 3)}Z ${['INFO', 'debug', 'Error', 'x'][i % 4]} line ${i} "q"`);
  const taken = encode(lines, { seq: 41, batchBytes: 4096 });
  assert.equal(taken.count, lines.length);
  assert.ok(taken.calls.length > 20);
  for (const call of taken.calls) assert.ok(call.json.length <= 4096 + 256, `a batch of ${call.json.length} bytes`);
  assertSameAsJs(lines, taken, 42);
  assert.equal(taken.calls[1]!.first, taken.calls[0]!.end);
});

test('line-kernel-wasm.ts is what line-kernel.as.ts compiles to', async () => {
  await promisify(execFile)(process.execPath, ['scripts/build-kernel.mjs', '--check']);
});
