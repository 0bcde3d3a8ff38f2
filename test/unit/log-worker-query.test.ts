import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery, QUERY_LIMITS, type TextMatcher } from '../../renderer/log-worker/query';
import type { MarkRange } from '../../renderer/worker-channel/worker-protocol';

function matcher(query: string): TextMatcher {
  const compiled = compileQuery(query);
  assert.equal(compiled.kind, 'matcher', `${query} compiles`);
  return (compiled as { matcher: TextMatcher }).matcher;
}

function ranges(query: string, text: string, limit = 100): [number, number][] {
  const out: MarkRange[] = [];
  matcher(query).collect(text, 3, out, limit);
  assert.ok(out.every((range) => range.rule === 3));
  return out.map((range) => [range.start, range.end]);
}

test('the empty query is no query', () => {
  assert.deepEqual(compileQuery(''), { kind: 'none' });
});

test('smart case: lower-case text ignores case, a capital makes it exact', () => {
  assert.equal(matcher('error').test('An ERROR occurred'), true);
  assert.equal(matcher('Error').test('An ERROR occurred'), false);
  assert.equal(matcher('Error').test('Error: x'), true);
  assert.equal(matcher('énorme').test('ÉNORME'), true);
  assert.equal(matcher('Énorme').test('énorme'), false);
  assert.deepEqual(ranges('ab', 'xABxabAb'), [[1, 3], [4, 6], [6, 8]]);
  assert.deepEqual(ranges('aB', 'abaBaB'), [[2, 4], [4, 6]]);
});

test('substrings are text, not patterns', () => {
  assert.equal(matcher('a.c').test('abc'), false);
  assert.equal(matcher('a.c').test('xa.cx'), true);
  assert.equal(matcher('(x|y)*').test('(x|y)*'), true);
  // A path has the shape of /pattern/flags, but "bin" is no set of flags: it is looked for as text.
  assert.equal(matcher('/usr/bin').test('exec /usr/bin/env'), true);
  assert.equal(matcher('/usr/bin').test('usr'), false);
  assert.equal(matcher('/').test('a/b'), true);
  assert.equal(matcher('//').test('https://x'), true);
});

test('/pattern/flags is a regular expression; g and y are ignored', () => {
  assert.equal(matcher('/err(or)?\\b/').test('an err here'), true);
  assert.equal(matcher('/ERROR/').test('error'), false);
  assert.equal(matcher('/ERROR/i').test('error'), true);
  assert.equal(matcher('/^b/m').test('a\nb'), true);
  assert.equal(matcher('/a.b/s').test('a\nb'), true);
  assert.equal(matcher('/\\u{1F600}/u').test('smile 😀'), true);
  const global = matcher('/o/gy');
  // Not stateful: the same answer every time.
  assert.deepEqual([global.test('foo'), global.test('foo'), global.test('foo')], [true, true, true]);
  assert.deepEqual(ranges('/o+/g', 'foo boo'), [[1, 3], [5, 7]]);
  assert.deepEqual(ranges('/a/ii', 'A'), [[0, 1]]);
});

test('empty matches mark nothing and end; marks stop at the limit', () => {
  assert.deepEqual(ranges('/x*/', 'abxxc'), [[2, 4]]);
  assert.deepEqual(ranges('/^/', 'abc'), []);
  assert.deepEqual(ranges('a', 'aaaaa', 2), [[0, 1], [1, 2]]);
  assert.deepEqual(ranges('A', 'AAAAA', 3), [[0, 1], [1, 2], [2, 3]]);
  // With u or v, an empty match before a character outside the BMP steps over its whole surrogate pair
  // (one unit would land inside it, where exec finds the same empty match forever). Found by the fuzz suite.
  assert.deepEqual(ranges('/x*/u', 'a😀bxx😀'), [[4, 6]]);
  assert.deepEqual(ranges('/(?:)/v', '😀😀'), []);
  assert.deepEqual(ranges('/b?/u', '\ud83d'), [], 'a lone surrogate at the end');
});

test('a pattern that does not compile is an error with the reason', () => {
  const compiled = compileQuery('/(unclosed/');
  assert.equal(compiled.kind, 'error');
  assert.match((compiled as { message: string }).message, /Invalid regular expression.*\(unclosed/);
  assert.equal(compileQuery('/a{2,1}/').kind, 'error');
  assert.deepEqual(compileQuery('x'.repeat(QUERY_LIMITS.maxLength + 1)), {
    kind: 'error',
    message: `the query is longer than ${QUERY_LIMITS.maxLength} characters`,
  });
});
