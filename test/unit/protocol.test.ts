import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, type SseMessage } from '../../protocol/sse-parser';
import fc from 'fast-check';
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

test('SSE parser follows the WHATWG rules: CR, LF, CRLF, comments, multi-line data, id, retry', () => {
  const text = 'retry: 1500\r\n: heartbeat\n\nid: 7\nevent: log\ndata: a\ndata:b\r\rdata: c\n\nid\ndata: d\n\n';
  // Whatever way the bytes are split, the result is the same.
  for (const size of [1, 2, 3, 7, text.length]) {
    const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
    const { messages, parser } = parseAll(chunks);
    assert.deepEqual(messages, [
      { event: 'log', data: 'a\nb', id: '7' },
      { event: 'message', data: 'c', id: '7' },
      { event: 'message', data: 'd', id: '' },
    ], `chunks of ${size}`);
    assert.equal(parser.retry, 1500);
    assert.equal(parser.comments, 1);
  }
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
