import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANSI_LIMITS, stripAnsi, styleRuns } from '../../renderer/services/ansi';

const ESC = '\x1b';

test('a line without ESC comes back as the same string', () => {
  const line = 'plain [31m text';
  assert.equal(stripAnsi(line), line);
  assert.deepEqual(styleRuns(line), []);
});

test('strips CSI (SGR and others), OSC, string sequences and two-byte escapes', () => {
  assert.equal(stripAnsi(`${ESC}[1;31mred${ESC}[0m plain`), 'red plain');
  assert.equal(stripAnsi(`a${ESC}[2Kb${ESC}[?25lc${ESC}[10;20Hd`), 'abcd');
  assert.equal(stripAnsi(`${ESC}]0;window title\x07after`), 'after');
  assert.equal(stripAnsi(`${ESC}]8;;https://x.io${ESC}\\link${ESC}]8;;${ESC}\\`), 'link');
  assert.equal(stripAnsi(`${ESC}Pdcs data${ESC}\\x`), 'x');
  assert.equal(stripAnsi(`${ESC}(Bcharset ${ESC}7saved${ESC}8 ${ESC}=keypad`), 'charset saved keypad');
});

test('broken and unterminated sequences never swallow more than they can hold', () => {
  assert.equal(stripAnsi(`end${ESC}`), 'end');
  assert.equal(stripAnsi(`end${ESC}[31`), 'end');
  assert.equal(stripAnsi(`${ESC}]title without end`), '');
  // A byte a CSI cannot contain ends it; the byte stays.
  assert.equal(stripAnsi(`${ESC}[31\tnext`), '\tnext');
  assert.equal(stripAnsi(`${ESC}${ESC}[1mx`), 'x');
});

test('16 colours, bright colours, bold, and reset', () => {
  const raw = `${ESC}[31mred${ESC}[1;92mbright bold${ESC}[0m plain ${ESC}[44mon blue${ESC}[49m`;
  assert.equal(stripAnsi(raw), 'redbright bold plain on blue');
  assert.deepEqual(styleRuns(raw), [
    { start: 0, end: 3, fg: 1 },
    { start: 3, end: 14, fg: 10, bold: true },
    { start: 21, end: 28, bg: 4 },
  ]);
  assert.deepEqual(styleRuns(`${ESC}[100;97mX`), [{ start: 0, end: 1, fg: 15, bg: 8 }]);
});

test('256-colour palette and 24-bit colour, with semicolons and with colons', () => {
  assert.deepEqual(styleRuns(`${ESC}[38;5;208mo${ESC}[48;5;17mb`), [
    { start: 0, end: 1, fg: 208 },
    { start: 1, end: 2, fg: 208, bg: 17 },
  ]);
  assert.deepEqual(styleRuns(`${ESC}[38;2;255;128;0mt${ESC}[39m`), [{ start: 0, end: 1, fg: '#ff8000' }]);
  assert.deepEqual(styleRuns(`${ESC}[38:2::1:2:3mt`), [{ start: 0, end: 1, fg: '#010203' }]);
  assert.deepEqual(styleRuns(`${ESC}[48:2:10:11:12mt`), [{ start: 0, end: 1, bg: '#0a0b0c' }]);
  assert.deepEqual(styleRuns(`${ESC}[38:5:9mt`), [{ start: 0, end: 1, fg: 9 }]);
  // The colour's parameters are used up: the 1 that follows is bold, not a code of the colour.
  assert.deepEqual(styleRuns(`${ESC}[38;5;4;1mt`), [{ start: 0, end: 1, fg: 4, bold: true }]);
});

test('attributes and their resets', () => {
  const raw = `${ESC}[2;3;4;7;9ma${ESC}[22;23mb${ESC}[24;27;29mc${ESC}[4:3md${ESC}[4:0me`;
  assert.equal(stripAnsi(raw), 'abcde');
  assert.deepEqual(styleRuns(raw), [
    { start: 0, end: 1, dim: true, italic: true, underline: true, inverse: true, strike: true },
    { start: 1, end: 2, underline: true, inverse: true, strike: true },
    { start: 3, end: 4, underline: true },
  ]);
  // An empty SGR is a reset.
  assert.deepEqual(styleRuns(`${ESC}[1mb${ESC}[mplain`), [{ start: 0, end: 1, bold: true }]);
});

test('out-of-range and malformed parameters change nothing and never throw', () => {
  assert.deepEqual(styleRuns(`${ESC}[38;5;300mx`), []);
  assert.deepEqual(styleRuns(`${ESC}[38;2;1;2mx`), []);
  assert.deepEqual(styleRuns(`${ESC}[38;2;256;0;0mx`), []);
  assert.deepEqual(styleRuns(`${ESC}[99999;31mx`), [{ start: 0, end: 1, fg: 1 }]);
  // A private-marked CSI ending in m (xterm modifyOtherKeys) is not SGR.
  assert.deepEqual(styleRuns(`${ESC}[>4;2mx`), []);
  assert.deepEqual(styleRuns(`${ESC}[31m`), []);
  assert.deepEqual(styleRuns(`${ESC}[31mend${ESC}`), [{ start: 0, end: 3, fg: 1 }]);
});

test('style runs stop at their bound', () => {
  const raw = Array.from({ length: ANSI_LIMITS.maxStyleRuns + 50 }, (_, i) => `${ESC}[3${i % 8}mx`).join('');
  const runs = styleRuns(raw);
  assert.equal(runs.length, ANSI_LIMITS.maxStyleRuns);
  assert.deepEqual(runs[1], { start: 1, end: 2, fg: 1 });
});
