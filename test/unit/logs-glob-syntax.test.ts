import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMistake } from '../../main/sources/logs/glob-syntax';
import { DEFAULT_INCLUDE } from '../../main/sources/logs/default-patterns';

test('an unclosed [, { or ( is a mistake that says how to write the literal character', () => {
  assert.equal(globMistake('[abc'), "has an unclosed '['; a literal [ is written \\[");
  assert.equal(globMistake('**/*.[ch'), "has an unclosed '['; a literal [ is written \\[");
  assert.equal(globMistake('[[:alpha:]'), "has an unclosed '['; a literal [ is written \\[");
  assert.equal(globMistake('**/*.{log'), "has an unclosed '{'; a literal { is written \\{");
  assert.equal(globMistake('{a,{b}'), "has an unclosed '{'; a literal { is written \\{");
  assert.equal(globMistake('+(a|b'), "has an unclosed '('; a literal ( is written \\(");
});

test('closed groups, escapes and stray closing characters are fine', () => {
  for (const glob of ['*.log', '**/*.{log,txt}', '[abc]', '[!a]*', '[]abc]', '[{]', '\\[abc', 'x\\{y', '+(a|b)', 'a)', 'a}b', 'a]', '[[:alpha:]]']) {
    assert.equal(globMistake(glob), null, glob);
  }
});

test('the default patterns pass their own check', () => {
  for (const glob of DEFAULT_INCLUDE) assert.equal(globMistake(glob), null, glob);
});

test('a glob longer than picomatch takes is a mistake, not a crash at start', () => {
  assert.equal(globMistake('a'.repeat(70_000)), 'is longer than 65536 characters, the most a glob may have');
});
