import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nestedRepetition, parseSearchQuery, SEARCH_QUERY_MAX_CHARS } from '../../main/sources/logs/search-query';

test('parseSearchQuery: plain text with smart case, /regex/flags, and clear bad-search errors', () => {
  assert.deepEqual(parseSearchQuery('timeout'), { kind: 'text', text: 'timeout', caseSensitive: false });
  assert.deepEqual(parseSearchQuery('Timeout'), { kind: 'text', text: 'Timeout', caseSensitive: true });
  assert.deepEqual(parseSearchQuery('größe'), { kind: 'text', text: 'größe', caseSensitive: false });
  // A path is plain text: what follows its last '/' is not made of flag letters.
  assert.equal(parseSearchQuery('/var/log/messages').kind, 'text');
  assert.equal(parseSearchQuery('//').kind, 'text');
  const regex = parseSearchQuery('/^warn\\b/imsu');
  assert.ok(regex.kind === 'regex' && regex.regex.source === '^warn\\b' && regex.regex.flags === 'imsu');
  const bad = (q: string, message: RegExp) => assert.throws(() => parseSearchQuery(q), (err: Error & { code?: string }) => err.code === 'bad-search' && message.test(err.message));
  bad('/x/g', /flag g not allowed/);
  bad('/x/y', /flag y not allowed/);
  bad('/x/gd', /flag g, d not allowed/);
  bad('/a(/', /not a valid regex/);
  bad('', /empty/);
  bad('x'.repeat(SEARCH_QUERY_MAX_CHARS + 1), /more than 1000/);
  assert.equal(parseSearchQuery('x'.repeat(SEARCH_QUERY_MAX_CHARS)).kind, 'text');
});

test('a regex that repeats a repetition is refused; bounded or single repeats are let through', () => {
  assert.throws(() => parseSearchQuery('/(a+)+b/'), { code: 'bad-search', message: /repeats a repetition \(\(a\+\)\+\)/ });
  for (const nested of ['(a+)+', '(a*)*', '(\\w+\\s?)*', '((ab)+c)*', '(?:x{2,})+', '(a+?)+?', '(?<n>a|b+)+']) {
    assert.notEqual(nestedRepetition(nested), null, nested);
  }
  for (const fine of ['(\\d+\\.){3}\\d+', '(a)+', 'a+b+', '(foo|bar)+', '[(a+)]+', '\\(a+\\)+', '(a{1,3})+', 'a{2}+', '\\p{Lu}+', '(?:ab)*c']) {
    assert.equal(nestedRepetition(fine), null, fine);
  }
});
