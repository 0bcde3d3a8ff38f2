import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codePointMark, describeCharacter, INVISIBLE_IN_LINES, splitAtInvisible, visibleName } from '../../protocol/visible-text';

test('splitAtInvisible: text at even indexes, one bidi or zero-width character at each odd one', () => {
  assert.deepEqual(splitAtInvisible('plain line'), ['plain line']);
  assert.deepEqual(splitAtInvisible(''), ['']);
  assert.deepEqual(splitAtInvisible('if (isAdmin) {\u202E } \u2066// check later\u2069 {'), ['if (isAdmin) {', '\u202E', ' } ', '\u2066', '// check later', '\u2069', ' {']);
  assert.deepEqual(splitAtInvisible('\u200B'), ['', '\u200B', '']);
  assert.deepEqual(splitAtInvisible('a\u202E\u202Cb'), ['a', '\u202E', '', '\u202C', 'b']);
  // Joiners and variation selectors are left to emoji and scripts that need them.
  assert.deepEqual(splitAtInvisible('👩\u200D💻 ❤\uFE0F'), ['👩\u200D💻 ❤\uFE0F']);
  // Called again and again (the regex must carry no state from one call to the next).
  for (let k = 0; k < 3; k++) assert.deepEqual(splitAtInvisible('x\uFEFFy'), ['x', '\uFEFF', 'y']);
});

test('splitAtInvisible cuts at every character of INVISIBLE_IN_LINES, and the pieces join to the text', () => {
  const all: string[] = [];
  for (let code = 0; code <= 0xffff; code++) {
    const char = String.fromCharCode(code);
    INVISIBLE_IN_LINES.lastIndex = 0;
    if (INVISIBLE_IN_LINES.test(char)) all.push(char);
  }
  assert.ok(all.includes('\u202E') && all.includes('\u200B') && all.includes('\u2066'));
  const text = all.map((char, k) => `w${k}${char}`).join('');
  const parts = splitAtInvisible(text);
  assert.equal(parts.join(''), text);
  assert.deepEqual(parts.filter((_, k) => k % 2 === 1), all);
  for (const char of all) assert.match(describeCharacter(char), /^U\+[0-9A-F]{4} [A-Z -]+$/, `${codePointMark(char)} has a name`);
});

test('describeCharacter and codePointMark name the character', () => {
  assert.equal(describeCharacter('\u202E'), 'U+202E RIGHT-TO-LEFT OVERRIDE');
  assert.equal(describeCharacter('\u200B'), 'U+200B ZERO WIDTH SPACE');
  assert.equal(describeCharacter('\u0007'), 'U+0007');
  assert.equal(codePointMark('\u202E'), '⟨U+202E⟩');
  assert.equal(visibleName('bidi\u202Etxt.exe\u202C.log'), 'bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log');
  assert.equal(visibleName('app\u200B.log'), 'app⟨U+200B⟩.log');
  assert.equal(visibleName(visibleName('app\u200B.log')), 'app⟨U+200B⟩.log');
});
