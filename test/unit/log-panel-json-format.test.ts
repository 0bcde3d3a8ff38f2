import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJson, JsonSyntaxError, type JsonErrorCode } from '../../renderer/log-panel/json-format';

const ANY = 1_000_000;
const pretty = (text: string, max = ANY): string => formatJson(text, max).text;
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

function rejects(text: string, code: JsonErrorCode, at?: number): void {
  assert.throws(
    () => formatJson(text, ANY),
    (error: unknown) => {
      assert.ok(error instanceof JsonSyntaxError, `${JSON.stringify(text)} threw ${String(error)}`);
      assert.equal(error.code, code, `${JSON.stringify(text)}: ${error.message}`);
      if (at !== undefined) assert.equal(error.at, at, `${JSON.stringify(text)}: ${error.message}`);
      return true;
    },
  );
}

test('lays JSON out as JSON.stringify(value, null, 2) does, blanks around and inside it ignored', () => {
  const values: unknown[] = [
    { level: 'info', msg: 'order shipped', order: { id: 42, items: ['book', 'pen'], gift: false }, note: '<b>not markup</b>' },
    [],
    {},
    [[], {}, [{}], { a: [] }],
    { nested: { deeper: { deepest: [1, 2, [3, [4]]] } }, t: true, f: false, n: null },
    'a string',
    42,
    null,
  ];
  for (const value of values) {
    const compact = JSON.stringify(value);
    assert.equal(pretty(compact), JSON.stringify(value, null, 2));
    const spaced = ` \t\r\n${JSON.stringify(value, null, '\t').replace(/,/g, ' ,\r\n ')}\n `;
    assert.equal(pretty(spaced), JSON.stringify(value, null, 2), spaced);
  }
});

test('numbers are kept as written: big integers, 1e400, -0, exponents and fractions', () => {
  assert.equal(pretty('{"id":12345678901234567890}'), '{\n  "id": 12345678901234567890\n}');
  assert.equal(pretty('[1e400,-1E-400,-0,0.10,1.5e+3,2E7]'), '[\n  1e400,\n  -1E-400,\n  -0,\n  0.10,\n  1.5e+3,\n  2E7\n]');
  assert.equal(pretty('-0'), '-0');
  assert.equal(pretty('123456789012345678901234567890.000000000000000000001'), '123456789012345678901234567890.000000000000000000001');
});

test('strings are kept as written: escapes, unicode escapes, surrogate pairs, and characters JSON.stringify would escape', () => {
  const text = String.raw`{"q":"a\"b\\c\/d\b\f\n\r\t","u":"\u00e9\u00E9\ud83d\ude00","raw":"é😀 ","key\u0041":1}`;
  assert.equal(
    pretty(text),
    ['{', String.raw`  "q": "a\"b\\c\/d\b\f\n\r\t",`, String.raw`  "u": "\u00e9\u00E9\ud83d\ude00",`, '  "raw": "é😀 ",', String.raw`  "key\u0041": 1`, '}'].join('\n'),
  );
  // Structure inside a string is text, not structure.
  assert.equal(pretty('["{[,:]}"]'), '[\n  "{[,:]}"\n]');
});

test('a key given twice stays twice: the line is shown as it is', () => {
  assert.equal(pretty('{"a":1,"a":2}'), '{\n  "a": 1,\n  "a": 2\n}');
});

test('any depth: 100,000 nested arrays are valid, their layout bounded and the rest counted', () => {
  const depth = 100_000;
  const max = 20_000;
  const result = formatJson(nested(depth), max);
  assert.equal(result.text.length, max);
  assert.ok(result.text.startsWith('[\n  [\n    [\n      ['));
  // D nested arrays lay out in 2·D² characters: 2 + 4 + … per level, opening and closing.
  assert.equal(result.text.length + result.omitted, 2 * depth * depth);
  // The same layout as JSON.stringify where that still works.
  assert.equal(pretty(nested(500)), JSON.stringify(JSON.parse(nested(500)), null, 2));
  const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  assert.equal(formatJson(objects, 100).text.length, 100);
  rejects(nested(depth).slice(0, -1), 'unexpected-end');
});

test('the bound: the first maxChars characters exactly, and how many more there were', () => {
  const value = { list: Array.from({ length: 200 }, (_, i) => ({ i, name: `item ${i}` })) };
  const whole = JSON.stringify(value, null, 2);
  for (const max of [0, 1, 5, 100, 1_234, whole.length - 1, whole.length, whole.length + 10]) {
    const result = formatJson(JSON.stringify(value), max);
    assert.equal(result.text, whole.slice(0, max), `max ${max}`);
    assert.equal(result.omitted, Math.max(0, whole.length - max), `max ${max}`);
  }
  // Past the bound the text is still checked to its end.
  assert.throws(() => formatJson(`${JSON.stringify(value)}x`, 10), JsonSyntaxError);
  assert.throws(() => formatJson('[]', -1), RangeError);
  assert.throws(() => formatJson('[]', Number.NaN), RangeError);
});

test('not JSON: each with its reason and where', () => {
  rejects('', 'unexpected-end', 0);
  rejects('   ', 'unexpected-end', 3);
  rejects('[1,2,]', 'trailing-comma', 5);
  rejects('{"a":1,}', 'trailing-comma', 7);
  rejects('[,1]', 'unexpected-character', 1);
  rejects("{'a':1}", 'unexpected-character', 1);
  rejects("['a']", 'unexpected-character', 1);
  rejects('{a:1}', 'unexpected-character', 1);
  rejects('{"a" 1}', 'unexpected-character', 5);
  rejects('{"a":}', 'unexpected-character', 5);
  rejects('[NaN]', 'unexpected-character', 1);
  rejects('[Infinity]', 'unexpected-character', 1);
  rejects('[-Infinity]', 'bad-number', 1);
  rejects('[undefined]', 'unexpected-character', 1);
  rejects('[True]', 'unexpected-character', 1);
  rejects('[tru]', 'unexpected-character', 1);
  rejects('["abc', 'unterminated-string', 1);
  rejects('{"abc', 'unterminated-string', 1);
  rejects('["abc\\"]', 'unterminated-string', 1);
  rejects('["a\\x"]', 'bad-escape', 3);
  rejects('["a\\u12G4"]', 'bad-escape', 3);
  rejects('["a\\u12"]', 'bad-escape', 3);
  rejects('["a\nb"]', 'control-character', 3);
  rejects('["a\tb"]', 'control-character', 3);
  rejects('[01]', 'bad-number', 1);
  rejects('[-01]', 'bad-number', 1);
  rejects('[1.]', 'bad-number', 1);
  rejects('[.5]', 'unexpected-character', 1);
  rejects('[1e]', 'bad-number', 1);
  rejects('[1e+]', 'bad-number', 1);
  rejects('[+1]', 'unexpected-character', 1);
  rejects('[-]', 'bad-number', 1);
  rejects('[0x10]', 'unexpected-character', 2);
  rejects('{"a":1}x', 'trailing-characters', 7);
  rejects('{"a":1} {"b":2}', 'trailing-characters', 8);
  rejects('[1] ]', 'trailing-characters', 4);
  rejects('1 2', 'trailing-characters', 2);
  rejects('[1}', 'unexpected-character', 2);
  rejects('{"a":1]', 'unexpected-character', 6);
  rejects('[1 2]', 'unexpected-character', 3);
  rejects('[', 'unexpected-end', 1);
  rejects('{"a":1', 'unexpected-end', 6);
  rejects('\uFEFF[]', 'unexpected-character', 0);
  rejects('[1]\u00A0', 'trailing-characters', 3);
  assert.match(new JsonSyntaxError('trailing-comma', 5).message, /comma .* at character 6/);
});

test('takes exactly what JSON.parse takes (the worker offers the formatted view on JSON.parse)', () => {
  const texts = [
    '{}', '[]', '[1,2]', '{"a":[true,false,null]}', ' [ 1 , 2 ] ', '"x"', '0', '-0.0e-0', '1E+2',
    '[1,]', '[01]', "['a']", '{"a":1}}', '["\\u00zz"]', '["\\/"]', '["\u2028"]', '["\ud800"]', '[1e400]',
    '[-]', '[.1]', '[1.e1]', '\t\n\r[]\t\n\r', '\v[]', '[]\f', 'nul', 'null', '{"":""}', '{"a":1,"b"}',
  ];
  for (const text of texts) {
    let parsed = true;
    try {
      JSON.parse(text);
    } catch {
      parsed = false;
    }
    let formatted = true;
    try {
      formatJson(text, ANY);
    } catch {
      formatted = false;
    }
    assert.equal(formatted, parsed, JSON.stringify(text));
  }
});

test('for reading, time fields get their time and strings with \\n escapes are laid out as lines', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const line = '{"time":1796623434316,"ts":1796623434.5,"@timestamp":"2026-12-07T04:15:00Z","timestamp":"soon","level":30,"stack":"Error: boom\\n    at f (a.js:1:2)\\r\\n\\tat g (b.js:3:4)","n":{"time":12}}';
  const { text } = formatJson(line, 10_000, { readable: true, formatTime: iso });
  assert.equal(
    text,
    [
      '{',
      `  "time": 1796623434316,  // ${iso(1796623434316)}`,
      `  "ts": 1796623434.5,  // ${iso(1796623434500)}`,
      `  "@timestamp": "2026-12-07T04:15:00Z",  // ${iso(Date.parse('2026-12-07T04:15:00Z'))}`,
      '  "timestamp": "soon",',
      '  "level": 30,',
      '  "stack": "Error: boom',
      '        at f (a.js:1:2)',
      '      at g (b.js:3:4)",',
      '  "n": {',
      `    "time": 12  // ${iso(12_000)}`,
      '  }',
      '}',
    ].join('\n'),
  );
  // Without `readable`, the layout is JSON.stringify's, untouched.
  assert.equal(formatJson(line, 10_000).text, JSON.stringify(JSON.parse(line), null, 2));
});
