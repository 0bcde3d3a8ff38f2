import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SseParser, type SseMessage, type SseParserOptions } from '../../protocol/sse-parser';
import { PLAIN_TEXT, plainLogDataJson, sseFrameParts, wireJson } from '../../protocol/encode';
import type { LogLevel, LogLine } from '../../protocol/events';
import { ClientMessageError, parseClientMessage } from '../../protocol/client-messages';
import { newEpoch, parseEventId, formatEventId, compareStreamIds, formatCursorMap, CURSOR_LIMITS } from '../../protocol/event-id';

function parseAll(chunks: string[]): { messages: SseMessage[]; parser: SseParser } {
  const messages: SseMessage[] = [];
  const parser = new SseParser((m) => messages.push(m));
  for (const c of chunks) parser.push(c);
  return { messages, parser };
}

/** The same stream's bytes through `pushBytes`, cut after each of `cuts` (byte offsets). */
function parseBytes(bytes: Uint8Array, cuts: number[] = [], options: SseParserOptions = {}): { messages: SseMessage[]; parser: SseParser } {
  const messages: SseMessage[] = [];
  const parser = new SseParser((m) => messages.push(m), options);
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    parser.pushBytes(bytes.slice(at, cut));
    at = cut;
  }
  return { messages, parser };
}

/** Cuts every `size` bytes. */
const every = (size: number, length: number) => Array.from({ length: Math.ceil(length / size) }, (_, i) => (i + 1) * size);

test('SSE parser follows the WHATWG rules: CR, LF, CRLF, comments, multi-line data, id, retry', () => {
  const text = 'retry: 1500\r\n: heartbeat\n\nid: 7\nevent: log\ndata: a\ndata:b\r\rdata: c\n\nid\ndata: d\n\n';
  const bytes = new TextEncoder().encode(text);
  // Whatever way the text or its bytes are split, the result is the same.
  for (const size of [1, 2, 3, 7, text.length]) {
    const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
    for (const [how, { messages, parser }] of [['text', parseAll(chunks)], ['bytes', parseBytes(bytes, every(size, bytes.length))]] as const) {
      assert.deepEqual(messages, [
        { event: 'log', data: 'a\nb', id: '7' },
        { event: 'message', data: 'c', id: '7' },
        { event: 'message', data: 'd', id: '' },
      ], `${how} in chunks of ${size}`);
      assert.equal(parser.retry, 1500);
      assert.equal(parser.comments, 1);
    }
  }
});

test('SSE parser: a CRLF split across chunks is one line end, and a CR ending a chunk ends its line at once', () => {
  const seen: string[] = [];
  const parser = new SseParser((m) => seen.push(m.data));
  parser.push('data: a\r');
  parser.push('\ndata: b\r');
  // The event is dispatched on this chunk's CR, not held until a byte after it shows whether an LF follows.
  parser.push('\r');
  assert.deepEqual(seen, ['a\nb']);
  parser.push('\ndata: c\n\n');
  assert.deepEqual(seen, ['a\nb', 'c'], 'the LF after the CR that ended a chunk is a blank line of its own');

  const bytes: string[] = [];
  const byteParser = new SseParser((m) => bytes.push(m.data));
  const enc = new TextEncoder();
  byteParser.pushBytes(enc.encode('data: a\r'));
  byteParser.pushBytes(enc.encode('\ndata: b\r'));
  byteParser.pushBytes(enc.encode('\r'));
  assert.deepEqual(bytes, ['a\nb']);
  byteParser.pushBytes(enc.encode('\ndata: c\n\n'));
  assert.deepEqual(bytes, ['a\nb', 'c']);
});

test('SSE parser on bytes: one leading BOM is dropped, even split across chunks; a BOM elsewhere is text', () => {
  const stream = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('data: \ufeffx\n\n')]);
  for (const cuts of [[], [1], [2], [1, 2], [3], [1, 2, 3, 4]]) {
    assert.deepEqual(parseBytes(stream, cuts).messages, [{ event: 'message', data: '\ufeffx', id: '' }], `cut at ${cuts}`);
  }
  // The start of a BOM that is not one stays: the line's field is not `data`, so it is ignored, as decoding
  // the whole stream (EF BB, then "data") would make it.
  const notBom = new Uint8Array([0xef, 0xbb, ...new TextEncoder().encode('data: y\n\ndata: z\n\n')]);
  for (const cuts of [[], [1], [2], [3]]) {
    assert.deepEqual(parseBytes(notBom, cuts).messages, [{ event: 'message', data: 'z', id: '' }], `cut at ${cuts}`);
  }
});

test('SSE parser on bytes: multi-byte characters, multi-line data and long lines split anywhere', () => {
  const long = 'é🦀'.repeat(5000);
  const text = `id: ü-1\nevent: lög\ndata: ${long}\ndata:\r\ndata: 🦀\n\n: ♥\n\n`;
  const bytes = new TextEncoder().encode(text);
  for (const size of [1, 2, 3, 5, 4096, 65536]) {
    const { messages, parser } = parseBytes(bytes, every(size, bytes.length));
    assert.deepEqual(messages, [{ event: 'lög', data: `${long}\n\n🦀`, id: 'ü-1' }], `chunks of ${size}`);
    assert.equal(parser.comments, 1);
  }
});

/** Buffer's UTF-8 decoding, as the benchmark's clients give it to the parser (bench/clients.ts nodeUtf8). */
const bufferUtf8 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

test('SSE parser on bytes gives what decoding the whole stream and parsing its text gives, cut anywhere', () => {
  // Bytes the grammar cares about, the BOM's, a multi-byte character's and bytes that are not UTF-8.
  const piece = fc.constantFrom(
    ...['data', 'event', 'id', 'retry', 'data: ', 'id: ', ':', ': ', ' ', '\r', '\n', '\r\n', 'x', '7', '\u0000', 'é', '🦀', '\ufeff'].map((s) => [...new TextEncoder().encode(s)]),
    [0xef], [0xbb], [0xbf], [0xef, 0xbb, 0xbf], [0xf0, 0x9f], [0x80], [0xff],
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.nat(400), { maxLength: 8 }), (pieces, cuts) => {
      const bytes = new Uint8Array(pieces.flat());
      const want = parseAll([new TextDecoder().decode(bytes)]);
      for (const got of [parseBytes(bytes, cuts), parseBytes(bytes, cuts, { decode: bufferUtf8 })]) {
        assert.deepEqual(got.messages, want.messages);
        assert.equal(got.parser.lastEventId, want.parser.lastEventId);
        assert.equal(got.parser.retry, want.parser.retry);
        assert.equal(got.parser.comments, want.parser.comments);
      }
    }),
    { numRuns: 5000, seed: 20_261_207 },
  );
});

test('SSE parser on text gives the same whatever way the text is cut', () => {
  const piece = fc.constantFrom('data', 'event', 'id', 'retry', ':', ': ', ' ', '\r', '\n', '\r\n', 'x', '7', '\u0000', 'é');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.nat(300), { maxLength: 8 }), (pieces, cuts) => {
      const text = pieces.join('');
      const want = parseAll([text]);
      const at = [...new Set(cuts.filter((c) => c > 0 && c < text.length))].sort((a, b) => a - b);
      const got = parseAll([0, ...at].map((from, i) => text.slice(from, at[i] ?? text.length)));
      assert.deepEqual(got.messages, want.messages);
      assert.equal(got.parser.comments, want.parser.comments);
    }),
    { numRuns: 5000, seed: 20_261_207 },
  );
});

test('a frame built from any text parses back to exactly that text', () => {
  const nasty = { text: 'a\nb\r\nc\rd\u2028e\u2029\u0000 data: x\n\nid: 5\n event: y', emoji: '🦀', html: '<script>' };
  const wire = Buffer.from(wireJson('log', 'e1-9', JSON.stringify(nasty)));
  const frame = Buffer.concat(sseFrameParts('log', 'e1-9', wire)).toString('utf8');
  assert.equal(frame.split('\n\n').length, 2, 'one frame: the only blank line is the terminator');
  const { messages } = parseAll([frame]);
  assert.equal(messages.length, 1);
  assert.deepEqual(JSON.parse(messages[0]!.data), { type: 'log', id: 'e1-9', ...nasty });
  assert.equal(messages[0]!.id, 'e1-9');
});

test('wireJson splices type and id in front of the data', () => {
  assert.deepEqual(JSON.parse(wireJson('log', 'e-1', JSON.stringify({ source: 's', lines: [] }))), { type: 'log', id: 'e-1', source: 's', lines: [] });
  assert.deepEqual(JSON.parse(wireJson('pong', 'e-2', '{}')), { type: 'pong', id: 'e-2' });
});

test('a batch of plain texts written without the escape pass is the JSON of the same value, in ASCII', () => {
  const plainText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 120 });
  const level = fc.option(fc.constantFrom<LogLevel>('trace', 'debug', 'info', 'warn', 'error', 'fatal'), { nil: undefined });
  const ts = fc.oneof(fc.integer({ min: 1e12, max: 1e13 - 1 }), fc.integer({ min: 0, max: 1e12 }), fc.double({ noNaN: true }), fc.constant(Number.NaN));
  const line = fc.record({ seq: fc.integer({ min: -1e9, max: 1e12 }), ts, text: plainText, level, cont: fc.boolean(), cut: fc.boolean() }).map((l) => {
    const out: LogLine = { seq: l.seq, ts: l.ts, text: l.text };
    if (l.level) out.level = l.level;
    if (l.cont) out.cont = true;
    if (l.cut) out.cut = true;
    return out;
  });
  fc.assert(
    fc.property(fc.string(), fc.array(line, { maxLength: 20 }), (source, lines) => {
      for (const l of lines) assert.ok(PLAIN_TEXT.test(l.text));
      const json = plainLogDataJson(source, lines);
      assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify({ source, lines })));
      assert.ok(/^[\x00-\x7f]*$/.test(json) || !/^[\x00-\x7f]*$/.test(source), 'ASCII (for an ASCII source id)');
    }),
    { numRuns: 2000 },
  );
  assert.equal(plainLogDataJson('s', [{ seq: 1, ts: 1765141363000, text: 'a' }, { seq: 2, ts: 1765141000005, text: 'b', level: 'warn' }]),
    '{"source":"s","lines":[{"seq":1,"ts":1765141363000,"text":"a"},{"seq":2,"ts":1765141000005,"text":"b","level":"warn"}]}');
  assert.equal(plainLogDataJson('s', [{ seq: 3, ts: 5, text: 'say "hi" \\o/' }]), '{"source":"s","lines":[{"seq":3,"ts":5,"text":"say \\"hi\\" \\\\o/"}]}');
  for (const text of ['\t', '\u0000', '\r', 'é', '\u2028', '\ud800']) assert.equal(PLAIN_TEXT.test(`a${text}b`), false, JSON.stringify(text));
});

test('event ids: format, parse, and distinct epochs', () => {
  const epoch = newEpoch();
  assert.match(epoch, /^[0-9a-z]+$/);
  assert.deepEqual(parseEventId(formatEventId(epoch, 12)), { epoch, n: 12 });
  for (const bad of ['', '-', 'abc', 'abc-', 'ABC-1', 'a-1-2', 'a-99999999999999999999', 'a--1', ' a-1']) assert.equal(parseEventId(bad), null, bad);
  assert.notEqual(newEpoch(1000, () => 0.1), newEpoch(1000, () => 0.2));
});

test('client messages: valid ones parse, invalid ones throw with a code', () => {
  assert.deepEqual(parseClientMessage('{"type":"subscribe","topics":["logs","logs"],"sources":["abc_-1"],"since":"e-1","backfill":10}'), {
    type: 'subscribe',
    topics: ['logs'],
    sources: ['abc_-1'],
    since: 'e-1',
    backfill: 10,
  });
  assert.deepEqual(parseClientMessage('{"type":"unsubscribe"}'), { type: 'unsubscribe' });
  const codeOf = (text: string) => {
    try {
      parseClientMessage(text);
      return 'no error';
    } catch (err) {
      assert.ok(err instanceof ClientMessageError);
      return err.code;
    }
  };
  assert.equal(codeOf('nope'), 'bad-json');
  assert.equal(codeOf('null'), 'bad-message');
  assert.equal(codeOf('"subscribe"'), 'bad-message');
  assert.equal(codeOf('{}'), 'unknown-type');
  assert.equal(codeOf('{"type":"subscribe","sources":["a b"]}'), 'bad-source');
  assert.equal(codeOf(`{"type":"subscribe","sources":${JSON.stringify(Array(1001).fill('a'))}}`), 'bad-source');
  assert.equal(codeOf('{"type":"subscribe","backfill":1.5}'), 'bad-backfill');
  assert.equal(codeOf(`{"type":"subscribe","since":"${'x'.repeat(64 * 1024 + 1)}"}`), 'bad-since');
  assert.equal(codeOf('{"type":"unsubscribe","since":"e-1"}'), 'bad-message');
});

test('event ids with a Redis cursor: hosts in name order, bounded, garbage refused', () => {
  const id = formatEventId('abc', 7, 'a.b=1700000000000-0,web-1=1700000000001-12');
  assert.deepEqual(parseEventId(id), {
    epoch: 'abc',
    n: 7,
    cursor: new Map([
      ['a.b', '1700000000000-0'],
      ['web-1', '1700000000001-12'],
    ]),
  });
  assert.deepEqual(parseEventId('abc-7.'), { epoch: 'abc', n: 7, cursor: new Map() });
  for (const bad of [
    'abc-7.b=1-0,a=1-0', // out of name order
    'abc-7.a=1-0,a=2-0', // repeated
    'abc-7.a=1', // no sequence part
    'abc-7.a=01-0',
    'abc-7.=1-0',
    'abc-7.a=1-0,',
    'abc-7.a b=1-0',
    'abc-7.a=1-0\n',
    'abc-7.a=123456789012345678901-0',
  ]) {
    assert.equal(parseEventId(bad), null, bad);
  }
  const many = Array.from({ length: CURSOR_LIMITS.maxHosts + 1 }, (_, i) => [`h${String(i).padStart(5, '0')}`, '1-0'] as const);
  assert.equal(parseEventId(`abc-1.${formatCursorMap(new Map(many))}`), null);
  assert.ok(parseEventId(`abc-1.${formatCursorMap(new Map(many.slice(0, 1000)))}`));
  assert.equal(parseEventId(`abc-1.a=1-0${'x'.repeat(CURSOR_LIMITS.maxIdChars)}`), null);
  assert.ok(compareStreamIds('9-0', '10-0') < 0);
  assert.ok(compareStreamIds('10-2', '10-10') < 0);
  assert.equal(compareStreamIds('10-10', '10-10'), 0);
});
