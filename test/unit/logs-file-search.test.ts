import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  countMatches,
  filesOfLog,
  REGEX_SLICE_MS,
  SearchBudget,
  searchFileBackwards,
  searchFiles,
  searchGzipFile,
} from '../../main/sources/logs/file-search';
import type { FileSearchOptions, LineMatch, SearchEvent, SearchOptions, SearchSummary } from '../../main/sources/logs/file-search';
import { LineSplitter } from '../../main/sources/logs/line-splitter';
import { foldAsciiCase, jsByteKernel, needleOf, wasmByteKernel } from '../../main/sources/logs/matching-lines';
import type { ByteKernel } from '../../main/sources/logs/matching-lines';
import { nestedRepetition, parseSearchQuery, SEARCH_QUERY_MAX_CHARS } from '../../main/sources/logs/search-query';
import type { SearchQuery } from '../../main/sources/logs/search-query';
import { testDir } from '../helpers/temp-dir';

const MAX = 64 * 1024;

async function fileWith(dir: string, name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** Every match of one file, newest first, and the search's summary. */
async function searchOne(path: string, q: string, options: Partial<FileSearchOptions> & { budget?: SearchBudget } = {}) {
  const budget = options.budget ?? new SearchBudget();
  const file = await open(path, 'r');
  const matches: LineMatch[] = [];
  try {
    const search = path.endsWith('.gz') ? searchGzipFile : searchFileBackwards;
    for await (const match of search(file, parseSearchQuery(q), budget, { maxLineBytes: MAX, ...options })) matches.push(match);
  } finally {
    await file.close();
  }
  return { matches, texts: matches.map((m) => m.text), summary: budget.summary() };
}

async function searchAll(files: Parameters<typeof searchFiles>[0], q: string, options: Partial<SearchOptions> = {}) {
  const events: SearchEvent[] = [];
  for await (const event of searchFiles(files, parseSearchQuery(q), { maxLineBytes: MAX, ...options })) events.push(event);
  const done = events.pop() as { type: 'done' } & SearchSummary;
  assert.equal(done.type, 'done');
  return { matches: events as Extract<SearchEvent, { type: 'match' }>[], done };
}

const numbered = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix} ${from + i}`);

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

test('newest first across a file and its rotations, a .gz included; fromEnd counts across them', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const oldest = numbered('gz', 1, 300);
  const older = numbered('one', 1, 300);
  const current = numbered('cur', 1, 300);
  const log = await fileWith(dir, 'app.log', current.join('\n') + '\n');
  const one = await fileWith(dir, 'app.log.1', older.join('\n') + '\n');
  const two = await fileWith(dir, 'app.log.2.gz', gzipSync(oldest.join('\n') + '\n'));
  await utimes(two, 1000, 1000);
  await utimes(one, 2000, 2000);
  const files = await filesOfLog(log);
  assert.deepEqual(files.map((f) => f.path), [log, one, two]);

  const { matches, done } = await searchAll(files, '7', { chunkBytes: 100 });
  const all = [...oldest, ...older, ...current];
  const expected = all.filter((line) => line.includes('7')).reverse();
  assert.deepEqual(matches.map((m) => m.match.text), expected);
  for (const { match, fromEnd } of matches) assert.equal(all[all.length - 1 - fromEnd], match.text);
  assert.deepEqual(
    matches.map((m) => m.file),
    expected.map((line) => (line.startsWith('cur') ? log : line.startsWith('one') ? one : two)),
  );
  assert.equal(done.matches, expected.length);
  assert.equal(done.truncated, false);
  assert.equal(done.lines, 900);
  assert.equal(done.scannedBytes, Buffer.byteLength(all.join('\n') + '\n'));
  assert.ok(done.compressedBytes > 0);

  // The offset of each match is where its line starts in its file (uncompressed, for the .gz).
  for (const { file, match } of matches.slice(0, 5)) {
    const bytes = Buffer.from(file === log ? current.join('\n') : older.join('\n'));
    assert.equal(bytes.subarray(match.offset, match.offset + Buffer.byteLength(match.text)).toString(), match.text);
  }
});

test('filesOfLog: rotations by last write (ties by number), .gz in, other compressions and symlinks out', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const log = await fileWith(dir, 'app.log', 'x\n');
  const names = ['app.log.10', 'app.log.2', 'app.log.1', 'app.log.3.gz', 'app.log.4.xz', 'other.log.1', 'app.logger'];
  for (const name of names) await fileWith(dir, name, 'x\n');
  for (const name of ['app.log.10', 'app.log.2', 'app.log.1']) await utimes(join(dir, name), 5000, 5000);
  await utimes(join(dir, 'app.log.3.gz'), 9000, 9000);
  await symlink(join(dir, 'app.log.1'), join(dir, 'app.log.0'));
  const files = await filesOfLog(log);
  assert.deepEqual(files.map((f) => f.path.slice(dir.length + 1)), ['app.log', 'app.log.3.gz', 'app.log.1', 'app.log.2', 'app.log.10']);
  assert.equal(files[0]!.noFollow, undefined);
  assert.ok(files.slice(1).every((f) => f.noFollow === true));
});

test('smart case: lower case matches any case, a capital makes it exact; non-ASCII text too', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const path = await fileWith(dir, 'a.log', ['an error', 'an ERROR', 'an Error', 'GRÖSSE', 'größe', 'Größe'].join('\n') + '\n');
  assert.deepEqual((await searchOne(path, 'error')).texts, ['an Error', 'an ERROR', 'an error']);
  assert.deepEqual((await searchOne(path, 'Error')).texts, ['an Error']);
  assert.deepEqual((await searchOne(path, 'größe')).texts, ['Größe', 'größe']);
  assert.deepEqual((await searchOne(path, 'Größe')).texts, ['Größe']);
});

test('regex queries: flags i and u, anchors per line', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const path = await fileWith(dir, 'a.log', ['WARN disk', 'a warn', 'warn: x', 'ÄÖÜ caps', 'abc'].join('\n') + '\n');
  assert.deepEqual((await searchOne(path, '/^warn/i')).texts, ['warn: x', 'WARN disk']);
  assert.deepEqual((await searchOne(path, '/^warn/')).texts, ['warn: x']);
  assert.deepEqual((await searchOne(path, '/^\\p{Lu}{3} /u')).texts, ['ÄÖÜ caps']);
  assert.deepEqual((await searchOne(path, '/warn$/')).texts, ['a warn']);
});

test('a regex that runs away on one line stops the search (slow-regex) instead of hanging the process', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  // (a|a)* passes the nested-repetition check, but backtracks 2^40 ways on 40 a's without a b.
  const path = await fileWith(dir, 'a.log', ['ab older', 'a'.repeat(40), 'ab newer'].join('\n') + '\n');
  const t0 = performance.now();
  const { texts, summary } = await searchOne(path, '/^(a|a)*b/');
  assert.deepEqual(texts, ['ab newer']);
  assert.equal(summary.reason, 'slow-regex');
  assert.equal(summary.truncated, true);
  assert.ok(performance.now() - t0 < REGEX_SLICE_MS * 20, `stopped after ${performance.now() - t0} ms`);

  // With less time left than one slice, the deadline is what stops it.
  const deadline = await searchOne(path, '/^(a|a)*b/', { budget: new SearchBudget({ timeoutMs: 30 }) });
  assert.equal(deadline.summary.reason, 'deadline');
});

test('CRLF: the \\r is not part of the line, for text and regex alike', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const path = await fileWith(dir, 'a.log', 'one end\r\ntwo end\r\n\r\nthree\r\n');
  assert.deepEqual((await searchOne(path, 'end')).texts, ['two end', 'one end']);
  assert.deepEqual((await searchOne(path, '/end$/')).texts, ['two end', 'one end']);
  assert.deepEqual((await searchOne(path, '/^$/')).matches.map((m) => m.fromEnd), [1]);
});

test('lines split across chunks, and lines longer than a chunk, are found whole', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const lines = ['short x', 'a much longer line with x in the middle of it', '', 'x', 'no', 'y'.repeat(300) + ' x at the end'];
  const path = await fileWith(dir, 'a.log', lines.join('\n') + '\n');
  const expected = lines.filter((l) => l.includes('x')).reverse();
  for (const chunkBytes of [1, 2, 3, 5, 8, 13, 64, 1000]) {
    assert.deepEqual((await searchOne(path, 'x', { chunkBytes })).texts, expected, `chunkBytes ${chunkBytes}`);
    assert.deepEqual((await searchOne(path, '/x/', { chunkBytes })).texts, expected, `regex, chunkBytes ${chunkBytes}`);
  }
});

test('a line longer than maxLineBytes is matched on its first maxLineBytes bytes and given out cut', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const head = 'early needle ';
  const long = head + 'z'.repeat(100) + ' late thing';
  const path = await fileWith(dir, 'a.log', `${long}\nshort late thing\n`);
  for (const chunkBytes of [7, 1024]) {
    const early = await searchOne(path, 'needle', { maxLineBytes: 20, chunkBytes });
    assert.deepEqual(early.matches, [{ text: long.slice(0, 20), offset: 0, fromEnd: 1, cut: true }]);
    assert.deepEqual((await searchOne(path, 'late', { maxLineBytes: 20, chunkBytes })).texts, ['short late thing']);
    assert.deepEqual((await searchOne(path, '/late/', { maxLineBytes: 20, chunkBytes })).texts, ['short late thing']);
  }
  // A .gz line over the cap, too.
  const gz = await fileWith(dir, 'a.log.1.gz', gzipSync(`${long}\nshort late thing\n`));
  assert.deepEqual((await searchOne(gz, 'needle', { maxLineBytes: 20 })).matches, [{ text: long.slice(0, 20), offset: 0, fromEnd: 1, cut: true }]);
  assert.deepEqual((await searchOne(gz, 'late', { maxLineBytes: 20, chunkBytes: 8 })).texts, ['short late thing']);
});

test('invalid UTF-8 decodes to U+FFFD, which can be searched for; a leading BOM is not text', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const content = Buffer.concat([Buffer.from('\uFEFFfirst ok\nbad '), Buffer.from([0xff, 0xc3]), Buffer.from(' byte ok\n')]);
  const path = await fileWith(dir, 'a.log', content);
  assert.deepEqual((await searchOne(path, 'ok')).texts, ['bad \uFFFD\uFFFD byte ok', 'first ok']);
  assert.deepEqual((await searchOne(path, '\uFFFD')).texts, ['bad \uFFFD\uFFFD byte ok']);
  assert.deepEqual((await searchOne(path, '/^first/')).texts, ['first ok']);
  assert.deepEqual((await searchOne(path, '\uFEFF')).texts, []);
});

test('`end`: only bytes before it; the unterminated line before it is the live tail\'s, not searched', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const path = await fileWith(dir, 'a.log', 'a1\na2\na3 partial');
  assert.deepEqual((await searchOne(path, 'a')).texts, ['a3 partial', 'a2', 'a1']);
  assert.deepEqual((await searchOne(path, 'a', { end: 17 })).texts, ['a2', 'a1']);
  assert.deepEqual((await searchOne(path, 'a', { end: 6 })).texts, ['a2', 'a1']);
  assert.deepEqual((await searchOne(path, 'a', { end: 4 })).matches, [{ text: 'a1', offset: 0, fromEnd: 0, cut: false }]);
  assert.deepEqual((await searchOne(path, 'a', { end: 3 })).texts, ['a1']);
  assert.deepEqual((await searchOne(path, 'a', { end: 2 })).texts, []);
  assert.deepEqual((await searchOne(path, 'a', { end: 1000 })).texts, ['a2', 'a1']);
  for (const chunkBytes of [1, 2, 4]) assert.deepEqual((await searchOne(path, 'a', { end: 15, chunkBytes })).texts, ['a2', 'a1']);
});

test('an empty file, and a file of empty lines', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const empty = await searchOne(await fileWith(dir, 'a.log', ''), 'x');
  assert.deepEqual(empty.matches, []);
  assert.equal(empty.summary.truncated, false);
  const blank = await searchOne(await fileWith(dir, 'b.log', '\n\n\n'), '/^$/');
  assert.deepEqual(blank.matches.map((m) => [m.offset, m.fromEnd]), [[2, 0], [1, 1], [0, 2]]);
});

test('maxMatches stops with truncated "matches"; exactly that many found is not truncated', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const log = await fileWith(dir, 'app.log', numbered('x', 1, 10).join('\n') + '\n');
  const few = await searchOne(log, 'x', { budget: new SearchBudget({ maxMatches: 3 }) });
  assert.deepEqual(few.texts, ['x 10', 'x 9', 'x 8']);
  assert.equal(few.summary.reason, 'matches');
  const all = await searchOne(log, 'x', { budget: new SearchBudget({ maxMatches: 10 }) });
  assert.equal(all.matches.length, 10);
  assert.equal(all.summary.truncated, false);
  const regex = await searchOne(log, '/x/', { budget: new SearchBudget({ maxMatches: 3 }), chunkBytes: 8 });
  assert.deepEqual(regex.texts, ['x 10', 'x 9', 'x 8']);
  assert.equal(regex.summary.reason, 'matches');

  // Across files: the limit reached with a file left is truncated; in a .gz the newest are kept.
  const gz = await fileWith(dir, 'app.log.1.gz', gzipSync(numbered('g', 1, 10).join('\n') + '\n'));
  const spanning = await searchAll([{ path: log }, { path: gz }], '/x|g/', { maxMatches: 12 });
  assert.deepEqual(spanning.matches.map((m) => m.match.text).slice(9), ['x 1', 'g 10', 'g 9']);
  assert.equal(spanning.done.reason, 'matches');
  // The limit reached with a file left to search is truncated, whatever that file holds.
  const filled = await searchAll([{ path: log }, { path: gz }], 'x', { maxMatches: 10 });
  assert.equal(filled.done.reason, 'matches');
  assert.equal((await searchAll([{ path: gz }, { path: log }], 'x', { maxMatches: 10 })).done.truncated, false);
});

test('maxScanBytes stops with truncated "bytes", and no more bytes are looked at', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const lines = numbered('x', 1, 100);
  const log = await fileWith(dir, 'app.log', lines.join('\n') + '\n');
  const { texts, summary } = await searchOne(log, 'x', { budget: new SearchBudget({ maxScanBytes: 50 }), chunkBytes: 16 });
  assert.equal(summary.reason, 'bytes');
  assert.ok(summary.scannedBytes <= 50);
  assert.deepEqual(texts, lines.slice(-texts.length).reverse());
  assert.ok(texts.length >= 5);

  // A .gz whose uncompressed size is more than the bytes left is not decompressed at all.
  const gz = await fileWith(dir, 'app.log.1.gz', gzipSync(lines.join('\n') + '\n'));
  const both = await searchAll([{ path: log }, { path: gz }], 'x', { maxScanBytes: 700, maxMatches: 1000 });
  assert.equal(both.done.reason, 'bytes');
  assert.ok(both.matches.every((m) => m.file === log));
  assert.equal(both.done.compressedBytes, 0);
});

test('a deadline and an abort each stop the search, saying which', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const log = await fileWith(dir, 'app.log', numbered('x', 1, 1000).join('\n') + '\n');
  const late = await searchOne(log, 'x', { budget: new SearchBudget({ timeoutMs: 0 }) });
  assert.deepEqual(late.matches, []);
  assert.equal(late.summary.reason, 'deadline');

  const gone = new AbortController();
  gone.abort();
  assert.equal((await searchAll([{ path: log }], 'x', { signal: gone.signal })).done.reason, 'aborted');

  // The client goes away while matches are being given out: the search stops at the next chunk.
  const midway = new AbortController();
  const budget = new SearchBudget({ signal: midway.signal });
  const file = await open(log, 'r');
  let seen = 0;
  try {
    for await (const match of searchFileBackwards(file, parseSearchQuery('x'), budget, { maxLineBytes: MAX, chunkBytes: 64 })) {
      if (seen++ === 0) {
        assert.equal(match.text, 'x 1000');
        midway.abort();
      }
    }
  } finally {
    await file.close();
  }
  assert.equal(budget.summary().reason, 'aborted');
  assert.ok(seen < 20, `${seen} matches after the abort`);
});

test('a corrupt .gz, a missing file and another compression are skipped and named', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const log = await fileWith(dir, 'app.log', 'x new\n');
  const corrupt = await fileWith(dir, 'app.log.1.gz', gzipSync('x old\n'.repeat(100)).subarray(0, 30));
  const xz = await fileWith(dir, 'app.log.2.xz', 'not really xz');
  const { matches, done } = await searchAll([{ path: log }, { path: corrupt }, { path: join(dir, 'gone.log') }, { path: xz }], 'x');
  assert.deepEqual(matches.map((m) => m.match.text), ['x new']);
  assert.deepEqual(done.skipped.map((s) => s.path), [corrupt, join(dir, 'gone.log'), xz]);
  assert.equal(done.truncated, false);
});

test('bad options are refused up front, naming the option', async () => {
  assert.throws(() => new SearchBudget({ maxMatches: -1 }), /maxMatches: expected a whole number >= 0, got -1/);
  assert.throws(() => new SearchBudget({ timeoutMs: Number.NaN }), /timeoutMs/);
  const search = searchFiles([], parseSearchQuery('x'), { maxLineBytes: 0 });
  await assert.rejects(search.next(), /maxLineBytes: expected a positive whole number, got 0/);
  await assert.rejects(searchFiles([], parseSearchQuery('x'), { maxLineBytes: 10, chunkBytes: 0 }).next(), /chunkBytes/);
});

test('countMatches counts matching lines as grep -c does', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const log = await fileWith(dir, 'app.log', 'GET a\nget b GET\npost\nGeT\n');
  const file = await open(log, 'r');
  try {
    const count = async (q: string) => (await countMatches(file, parseSearchQuery(q), { maxLineBytes: MAX, chunkBytes: 5 })).matches;
    assert.equal(await count('get'), 3);
    assert.equal(await count('GET'), 2);
    assert.equal(await count('/^g/i'), 3);
  } finally {
    await file.close();
  }
});

test('the WebAssembly kernel folds, finds and counts as the JavaScript one does', () => {
  const wasm = wasmByteKernel();
  assert.ok(wasm, 'WebAssembly SIMD is available on this Node');
  const js = jsByteKernel();
  const bytes = Buffer.allocUnsafeSlow(4096 + 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 8)) & 0xff;
  for (const [from, to] of [[0, 4099], [1, 17], [5, 5], [3, 4096], [100, 131], [0, 15]] as const) {
    const a: Buffer = Buffer.from(wasm.prepare(bytes, from, to, true).subarray(from, to));
    const b: Buffer = Buffer.from(js.prepare(bytes, from, to, true).subarray(from, to));
    assert.deepEqual(a, b, `fold ${from}..${to}`);
    const expectedCount = [...bytes.subarray(from, to)].filter((x) => x === 0x0a).length;
    assert.equal(wasm.count(wasm.prepare(bytes, from, to, false), from, to), expectedCount);
    assert.equal(js.count(js.prepare(bytes, from, to, false), from, to), expectedCount);
  }
  // find: every needle position in a haystack of few distinct bytes (many candidates that fail late).
  const hay = Buffer.allocUnsafeSlow(600);
  for (let i = 0; i < hay.length; i++) hay[i] = 'abab\nAB'.charCodeAt((i * 5 + (i >> 3)) % 7);
  for (const text of ['a', 'ab', 'bab', 'aba\nA', 'Bab', 'abab\nABa', 'zz']) {
    const needle = needleOf(Buffer.from(text));
    for (const [from, to] of [[0, 600], [3, 77], [100, 103], [590, 600]] as const) {
      const positions = (kernel: ByteKernel) => {
        const prepared = kernel.prepare(hay, from, to, false);
        const found: number[] = [];
        for (let at = kernel.find(prepared, needle, from, to); at !== -1; at = kernel.find(prepared, needle, at + 1, to)) found.push(at);
        return found;
      };
      assert.deepEqual(positions(wasm), positions(js), `find ${JSON.stringify(text)} in ${from}..${to}`);
    }
  }
  // 'K' is not among the common bytes, 'M' is the least common of the rest.
  assert.deepEqual(needleOf(Buffer.from('OOMKilled')), { bytes: Buffer.from('OOMKilled'), first: 3, second: 2 });

  const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const folded = Buffer.alloc(256);
  foldAsciiCase(every, folded, 0, 256);
  assert.deepEqual([...folded], [...every].map((b) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b)));
});

/** What the tailer would give out for `content` read whole (a finished file): its lines, newest first. */
function referenceLines(content: Buffer, maxLineBytes: number): { text: string; offset: number; fromEnd: number; cut: boolean }[] {
  const lines: { text: string; cut: boolean }[] = [];
  const splitter = new LineSplitter(maxLineBytes, true);
  splitter.push(content, (text, cut) => lines.push({ text, cut }));
  splitter.flushPartial((text, cut) => lines.push({ text, cut }));
  const offsets = [0];
  for (let i = content.indexOf(0x0a); i !== -1; i = content.indexOf(0x0a, i + 1)) offsets.push(i + 1);
  return lines.map((line, i) => ({ ...line, offset: offsets[i]!, fromEnd: lines.length - 1 - i })).reverse();
}

function matchesQuery(query: SearchQuery, text: string): boolean {
  if (query.kind === 'regex') return query.regex.test(text);
  return query.caseSensitive ? text.includes(query.text) : text.toLowerCase().includes(query.text.toLowerCase());
}

test('any bytes, any chunk size, any cap: the lines found are the tailer\'s lines that match', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  const pieces = ['ab', 'AB', 'aB', 'b', 'x', '\n', '\r', '\r\n', 'é', 'É', '\uFEFF', '\xff', '\xc3', ' '];
  const content = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((parts) =>
    Buffer.concat(parts.map((p) => (p === '\xff' || p === '\xc3' ? Buffer.from([p.charCodeAt(0)]) : Buffer.from(p)))),
  );
  const queries = ['ab', 'AB', 'b\r', 'é', 'É', '/^a/i', '/b$/', '/^$/', '\uFFFD'];
  let n = 0;
  await fc.assert(
    fc.asyncProperty(content, fc.constantFrom(...queries), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 12 }), async (bytes, q, chunkBytes, maxLineBytes) => {
      const path = await fileWith(dir, `p${n++}.log`, bytes);
      const query = parseSearchQuery(q);
      const expected = referenceLines(bytes, maxLineBytes).filter((line) => matchesQuery(query, line.text));
      assert.deepEqual((await searchOne(path, q, { chunkBytes, maxLineBytes })).matches, expected);
      const gz = await fileWith(dir, `p${n++}.log.gz`, gzipSync(bytes));
      assert.deepEqual((await searchOne(gz, q, { chunkBytes, maxLineBytes })).matches, expected);
    }),
    { numRuns: 300 },
  );
});
