import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { completeUtf8Length, LineSplitter } from '../../main/sources/logs/line-splitter';
import { PLAIN_TEXT } from '../../protocol/encode';

interface Out {
  text: string;
  cut: boolean;
}

/** Feeds the chunks in order and returns every line given out, plus a way to flush and push more. */
function splitter(maxLineBytes = 1024, fileStart = false) {
  const lines: Out[] = [];
  const s = new LineSplitter(maxLineBytes, fileStart);
  const onLine = (text: string, cut: boolean) => lines.push({ text, cut });
  return {
    lines,
    splitter: s,
    push: (...chunks: (string | Uint8Array)[]) => {
      for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c, onLine);
    },
    flush: () => s.flushPartial(onLine),
    texts: () => lines.map((l) => l.text),
  };
}

test('splits complete lines and holds a partial line across chunks', () => {
  const t = splitter();
  t.push('alpha\nbe', 'ta\ngam', 'ma');
  assert.deepEqual(t.texts(), ['alpha', 'beta']);
  assert.equal(t.splitter.hasPartial, true);
  t.push('\n');
  assert.deepEqual(t.texts(), ['alpha', 'beta', 'gamma']);
  assert.equal(t.splitter.hasPartial, false);
});

test('keeps empty lines and strips one trailing CR (CRLF), also when CR and LF come in different chunks', () => {
  const t = splitter();
  t.push('a\r\n\r\n\nb\r\r\n', 'c\r', '\nd\n');
  assert.deepEqual(t.texts(), ['a', '', '', 'b\r', 'c', 'd']);
});

test('a multi-byte character split across chunks decodes whole', () => {
  const bytes = Buffer.from('héllo wörld €𝄞\n');
  for (let at = 1; at < bytes.length; at++) {
    const t = splitter();
    t.push(bytes.subarray(0, at), bytes.subarray(at));
    assert.deepEqual(t.texts(), ['héllo wörld €𝄞'], `split at byte ${at}`);
  }
});

test('invalid UTF-8 becomes U+FFFD and does not disturb the next line', () => {
  const t = splitter();
  t.push(Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x0a, 0x6f, 0x6b, 0x0a]));
  assert.deepEqual(t.texts(), ['a\uFFFDb\uFFFD', 'ok']);
});

test('an overlong line is cut at the cap and marked; its rest is dropped; the next line is intact', () => {
  const t = splitter(10);
  t.push('0123456789ABCDEF\nnext\n');
  assert.deepEqual(t.lines, [
    { text: '0123456789', cut: true },
    { text: 'next', cut: false },
  ]);
});

test('an overlong line arriving in many chunks is cut once, and memory stays within the cap', () => {
  const t = splitter(16);
  t.push('abcdefgh', 'ijklmnop', 'qrstuvwx');
  assert.deepEqual(t.lines, [{ text: 'abcdefghijklmnop', cut: true }]);
  t.push('y'.repeat(1000), 'z'.repeat(1000));
  assert.equal(t.lines.length, 1, 'the rest of the long line gives out nothing');
  assert.equal(t.splitter.hasPartial, false);
  t.push('\nshort\n');
  assert.deepEqual(t.texts(), ['abcdefghijklmnop', 'short']);
});

test('a line of exactly the cap is not cut', () => {
  const t = splitter(5);
  t.push('ab', 'cde', '\nfghij\n');
  assert.deepEqual(t.lines, [
    { text: 'abcde', cut: false },
    { text: 'fghij', cut: false },
  ]);
});

test('a cut does not split a UTF-8 character', () => {
  // "aé€" is 1 + 2 + 3 bytes; a cap of 4 falls inside the euro sign.
  const t = splitter(4);
  t.push('aé€xyz\nok\n');
  assert.deepEqual(t.lines, [
    { text: 'aé', cut: true },
    { text: 'ok', cut: false },
  ]);
  assert.equal(completeUtf8Length(Buffer.from('ab')), 2);
  assert.equal(completeUtf8Length(Buffer.from('a€').subarray(0, 3)), 1);
  assert.equal(completeUtf8Length(Buffer.from('a€')), 4);
});

test('an idle flush gives the partial line out once; later bytes of it start a new line', () => {
  const t = splitter();
  t.push('waiting for');
  t.flush();
  t.flush();
  assert.deepEqual(t.texts(), ['waiting for']);
  t.push(' the rest\nnext\n');
  assert.deepEqual(t.texts(), ['waiting for', ' the rest', 'next']);
});

test('an idle flush followed by just the newline (or CRLF) gives no empty line', () => {
  const t = splitter();
  t.push('one');
  t.flush();
  t.push('\n');
  t.push('two\r');
  t.flush();
  t.push('\n', 'three\n');
  assert.deepEqual(t.texts(), ['one', 'two', 'three']);
});

test('discardUntilNewline drops the rest of a line we do not have the start of', () => {
  const t = splitter();
  t.splitter.discardUntilNewline();
  t.push('tail of a line', ' still\nwhole\n');
  assert.deepEqual(t.texts(), ['whole']);
});

test("a file's leading byte order mark is not text; U+FEFF anywhere else is kept", () => {
  const fromStart = splitter(1024, true);
  fromStart.push(Buffer.from([0xef, 0xbb]), Buffer.from([0xbf]), 'first\n\uFEFFsecond\n');
  assert.deepEqual(fromStart.texts(), ['first', '\uFEFFsecond']);
  const fromMiddle = splitter();
  fromMiddle.push('\uFEFFread from the middle\n');
  assert.deepEqual(fromMiddle.texts(), ['\uFEFFread from the middle']);
});

test('rejects a cap that is not a positive whole number', () => {
  assert.throws(() => new LineSplitter(0), /maxLineBytes/);
});

/**
 * What any chunking of `stream` must give: its terminated lines, CR stripped, each over the cap cut there (an
 * unterminated rest over the cap too: it is cut as soon as it passes the cap).
 */
function linesOf(stream: Buffer, max: number, fileStart: boolean): (Out & { nextAt: number })[] {
  const out: (Out & { nextAt: number })[] = [];
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  for (let start = 0; start < stream.length; ) {
    let newline = stream.indexOf(10, start);
    if (newline < 0 && stream.length - start <= max) break;
    if (newline < 0) newline = stream.length;
    let bytes = stream.subarray(start, newline);
    const cut = bytes.length > max;
    if (cut) bytes = bytes.subarray(0, completeUtf8Length(bytes.subarray(0, max)));
    else if (bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, -1);
    if (fileStart && start === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    out.push({ text: decoder.decode(bytes), cut, nextAt: newline + 1 });
    start = newline + 1;
  }
  return out;
}

test('any chunking of any bytes gives the same lines (ASCII chunks, UTF-8, CRLF, BOM, overlong lines)', () => {
  const piece = fc.oneof(
    fc.constantFrom('\n', '\r\n', '\r', 'é', '日本', '😀', '\uFEFF', 'x'.repeat(40), '"\\\t'),
    fc.string({ maxLength: 30 }),
    fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('latin1')),
  );
  fc.assert(
    fc.property(
      fc.array(piece, { maxLength: 60 }),
      fc.array(fc.nat(200), { maxLength: 8 }),
      fc.integer({ min: 1, max: 64 }),
      fc.boolean(),
      fc.boolean(),
      (pieces, cuts, max, fileStart, latin1) => {
        const stream = Buffer.from(pieces.join(''), latin1 ? 'latin1' : 'utf8');
        const at = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const s = splitter(max, fileStart);
        // Where each line said the next one starts, as an offset in the stream (-1: not said).
        const nexts: number[] = [];
        let from = 0;
        for (const to of [...at, stream.length]) {
          const chunkAt = from;
          s.splitter.push(stream.subarray(from, to), (text, cut, next) => {
            s.lines.push({ text, cut });
            nexts.push(next < 0 ? -1 : chunkAt + next);
          });
          from = to;
        }
        const expected = linesOf(stream, max, fileStart);
        assert.deepEqual(s.lines, expected.map(({ text, cut }) => ({ text, cut })));
        expected.forEach((line, i) => {
          // A whole line always says it; a cut one may not know yet (its newline not read).
          if (nexts[i] !== -1 || !line.cut) assert.equal(nexts[i], line.nextAt, `line ${i}`);
        });
        // Said plain only when every line given out by that push is (see the test below for when it is said).
        const one = splitter(max, fileStart);
        one.push(stream);
        if (one.splitter.plain) for (const line of one.lines) assert.match(line.text, PLAIN_TEXT);
      },
    ),
    { numRuns: 3000 },
  );
});

test('a push of plain lines (printable ASCII) says so, its batch\'s JSON is then cheaper; a tab, a lone CR or a non-ASCII char anywhere in it does not', () => {
  const s = splitter(64);
  s.push('held start ');
  s.push('of a line\r\nplain line\nthe rest ');
  assert.equal(s.splitter.plain, true);
  s.push('a "quoted" \\ word\n');
  assert.equal(s.splitter.plain, true);
  for (const chunk of ['esc \x1b[31mred\n', 'tab\there\n', 'lone\rcr\n', 'caf\u00e9\n', 'x\n' + 'y'.repeat(100) + '\t\n']) {
    s.push(chunk);
    assert.equal(s.splitter.plain, false, JSON.stringify(chunk));
    s.push('ok\n');
    assert.equal(s.splitter.plain, true);
  }
  s.push('unfinished\ttab');
  s.flush();
  assert.equal(s.splitter.plain, false);
  assert.deepEqual(s.texts().slice(0, 2), ['held start of a line', 'plain line']);
});

test('reads of a megabyte and more give the same lines, cut in pieces however their ASCII and non-ASCII lines fall', () => {
  const line = fc.record({ length: fc.oneof(fc.nat(200), fc.nat(70_000)), accent: fc.nat(40), crlf: fc.boolean() }).map(({ length, accent, crlf }) =>
    'x'.repeat(length).replace(/x/g, (_, i: number) => (accent === 0 && i === length >> 1 ? 'é' : String.fromCharCode(97 + (i % 26)))) + (crlf ? '\r\n' : '\n'),
  );
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), (lines, cuts) => {
      const stream = Buffer.from(lines.join(''));
      const at = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
      const s = splitter(65_536);
      let from = 0;
      for (const to of [...at, stream.length]) {
        s.push(stream.subarray(from, to));
        from = to;
      }
      assert.deepEqual(s.lines, linesOf(stream, 65_536, false).map(({ text, cut }) => ({ text, cut })));
    }),
    { numRuns: 60 },
  );
});
