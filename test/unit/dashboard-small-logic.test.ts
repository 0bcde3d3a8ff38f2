// Small pure pieces of the dashboard: a bad regex's reason, and the sidebar's "show only this source".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REASON_CHARS, queryErrorReason } from '../../renderer/log-panel/query-error';
import { shownSources, soloHidden } from '../../renderer/frame/source-solo';

/** The message V8 gives for a pattern, as the worker passes it on. */
function syntaxErrorOf(pattern: string): string {
  try {
    new RegExp(pattern, 'i');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${pattern} compiled`);
}

test('a bad regex says why, without repeating the pattern, cut short', () => {
  assert.equal(queryErrorReason(syntaxErrorOf('(ab')), 'Unterminated group');
  assert.equal(queryErrorReason(syntaxErrorOf('*x')), 'Nothing to repeat');
  assert.equal(queryErrorReason(syntaxErrorOf('a: /b/ [')), 'Unterminated character class', 'a pattern holding ": /" is still cut off whole');
  assert.equal(queryErrorReason('the query is longer than 1000 characters'), 'the query is longer than 1000 characters');
  const long = queryErrorReason('x'.repeat(100));
  assert.equal(long.length, MAX_REASON_CHARS);
  assert.ok(long.endsWith('…'));
  assert.equal(queryErrorReason(''), 'invalid');
});

test('a click on a source shows only it; a second click shows every source again', () => {
  const ids = ['a', 'b', 'c'];
  assert.deepEqual(soloHidden(ids, [], 'b'), ['a', 'c']);
  assert.deepEqual(shownSources(ids, ['a', 'c']), ['b']);
  assert.deepEqual(soloHidden(ids, ['a', 'c'], 'b'), [], 'already alone: all again');
  assert.deepEqual(soloHidden(ids, ['a', 'c'], 'a'), ['b', 'c'], 'another source alone instead');
  assert.deepEqual(soloHidden(ids, ['c'], 'a'), ['b', 'c'], 'from a partial choice too');
});
