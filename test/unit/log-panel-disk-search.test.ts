import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchContext, runSearch, type ServerRequest } from '../../renderer/log-panel/disk-search';
import { AnswerLineTooLong, MAX_ANSWER_LINE_CHARS, NdjsonSplitter, formatSize, parseSearchLine, searchDoneText, searchOfferText } from '../../renderer/log-panel/search-answer';
import type { SearchMatchLine } from '../../protocol/search';

const match = (seq: number, text = `line ${seq}`): SearchMatchLine => ({ type: 'match', source: 'src1', seq, ts: 1_796_620_800_000 + seq, text });

test('the splitter gives whole lines, keeping a line cut between reads for the next one', () => {
  const splitter = new NdjsonSplitter();
  assert.deepEqual(splitter.push('{"a":1}\n{"b"'), ['{"a":1}']);
  assert.deepEqual(splitter.push(':2}'), []);
  assert.deepEqual(splitter.push('\n\n{"c":3}\n'), ['{"b":2}', '{"c":3}']);
  assert.deepEqual(splitter.push('{"d":4}'), []);
  assert.deepEqual(splitter.end(), ['{"d":4}']);
  assert.deepEqual(splitter.end(), []);
});

test('the splitter refuses a line longer than its bound instead of growing without end', () => {
  const splitter = new NdjsonSplitter();
  splitter.push('x'.repeat(MAX_ANSWER_LINE_CHARS));
  assert.throws(() => splitter.push('x'), AnswerLineTooLong);
});

test('a line is a match or done only with the right shape', () => {
  assert.deepEqual(parseSearchLine(JSON.stringify(match(-3))), match(-3));
  assert.deepEqual(parseSearchLine('{"type":"done","matches":2,"scannedBytes":10,"truncated":true,"reason":"deadline"}'), {
    type: 'done',
    matches: 2,
    scannedBytes: 10,
    truncated: true,
    reason: 'deadline',
  });
  assert.deepEqual(parseSearchLine('{"type":"done","matches":2,"scannedBytes":10,"truncated":false,"reason":"<b>"}'), { type: 'done', matches: 2, scannedBytes: 10, truncated: false });
  for (const bad of ['', 'not json', 'null', '[]', '{"type":"match","source":"s","seq":1.5,"ts":0,"text":""}', '{"type":"match","source":"s","seq":1,"ts":0}', '{"type":"other"}', '{"type":"done","matches":"2","scannedBytes":1,"truncated":false}']) {
    assert.equal(parseSearchLine(bad), null, bad);
  }
});

test('sizes and the offer are worded for the user', () => {
  assert.equal(formatSize(512), '512 B');
  assert.equal(formatSize(1_500), '1.5 kB');
  assert.equal(formatSize(3_100_000_000), '3.1 GB');
  assert.equal(formatSize(250_000_000), '250 MB');
  assert.equal(searchOfferText(0, 1_000, 3_100_000_000), '0 matches in the 1,000 lines held — search the files on disk (3.1 GB and their rotations)?');
  assert.equal(searchOfferText(1, 100_000, 2_000), '1 match in the 100,000 lines held — search the files on disk (2.0 kB and their rotations)?');
  assert.equal(searchDoneText({ type: 'done', matches: 4, scannedBytes: 2_000_000, truncated: false }), '4 matches in 2.0 MB searched: every line on disk');
  assert.equal(searchDoneText({ type: 'done', matches: 0, scannedBytes: 0, truncated: false }), 'No match in 0 B searched: every line on disk');
  assert.match(searchDoneText({ type: 'done', matches: 500, scannedBytes: 10_000, truncated: true, reason: 'matches' }), /these are the newest 500 matches; narrow the search/);
  assert.match(searchDoneText({ type: 'done', matches: 1, scannedBytes: 10_000, truncated: true, reason: 'slow-regex' }), /regular expression took too long/);
});

/** A server answering with `chunks` of bytes, one read each (a body cut anywhere, even inside a character). */
function streaming(chunks: (string | Uint8Array)[], status = 200): { request: ServerRequest; asked: { path: string; query: string }[] } {
  const asked: { path: string; query: string }[] = [];
  const request: ServerRequest = async (path, query, signal) => {
    asked.push({ path, query: query.toString() });
    const encoder = new TextEncoder();
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (signal.aborted) return controller.error(signal.reason);
        if (i === chunks.length) return controller.close();
        const chunk = chunks[i++]!;
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      },
    });
    return new Response(body, { status, headers: { 'content-type': 'application/x-ndjson' } });
  };
  return { request, asked };
}

test('a search streams its matches as they come, then its done line, across cut reads and characters', async () => {
  const first = JSON.stringify(match(10, 'café ümlaut'));
  const bytes = new TextEncoder().encode(`${first}\n`);
  // Cut inside the two bytes of "é".
  const cut = bytes.indexOf(0xc3) + 1;
  const { request, asked } = streaming([bytes.slice(0, cut), bytes.slice(cut), `${JSON.stringify(match(-4))}\n{"type":"done","matches":2,`, '"scannedBytes":99,"truncated":false}']);
  const seen: SearchMatchLine[] = [];
  const outcome = await runSearch(request, { q: '/caf/i', sources: ['src1', 'src2'], limit: 5 }, new AbortController().signal, (m) => seen.push(m));
  assert.deepEqual(seen, [match(10, 'café ümlaut'), match(-4)]);
  assert.deepEqual(outcome, { kind: 'done', done: { type: 'done', matches: 2, scannedBytes: 99, truncated: false } });
  assert.deepEqual(asked, [{ path: '/api/search', query: 'q=%2Fcaf%2Fi&limit=5&sources=src1%2Csrc2' }]);
});

test('a refused query is said in the server\'s words; an answer without done is an error', async () => {
  const refused = streaming([JSON.stringify({ code: 'bad-search', error: 'the regex repeats a repetition' })], 400);
  assert.deepEqual(await runSearch(refused.request, { q: '/(a+)+/', sources: null, limit: 5 }, new AbortController().signal, () => {}), {
    kind: 'error',
    code: 'bad-search',
    message: 'the search was refused: the regex repeats a repetition',
  });
  assert.equal(refused.asked[0]!.query, 'q=%2F%28a%2B%29%2B%2F&limit=5');
  const cut = streaming([`${JSON.stringify(match(1))}\n`]);
  const outcome = await runSearch(cut.request, { q: 'x', sources: null, limit: 5 }, new AbortController().signal, () => {});
  assert.deepEqual(outcome, { kind: 'error', code: 'bad-answer', message: 'the answer ended before the search did' });
  const down: ServerRequest = () => Promise.reject(new TypeError('fetch failed'));
  assert.deepEqual(await runSearch(down, { q: 'x', sources: null, limit: 5 }, new AbortController().signal, () => {}), { kind: 'error', code: 'network', message: 'the server did not answer' });
});

test('aborting a search on its way says cancelled, with the matches seen before', async () => {
  const abort = new AbortController();
  const seen: SearchMatchLine[] = [];
  const { request } = streaming([`${JSON.stringify(match(1))}\n`, `${JSON.stringify(match(2))}\n`, '{"type":"done","matches":2,"scannedBytes":1,"truncated":false}\n']);
  const outcome = await runSearch(request, { q: 'x', sources: null, limit: 5 }, abort.signal, (m) => {
    seen.push(m);
    abort.abort();
  });
  assert.deepEqual(outcome, { kind: 'cancelled' });
  assert.deepEqual(seen, [match(1)]);
});

test('the context of a match is asked as 50 lines either side; 410 and 404 are said in words', async () => {
  const asked: string[] = [];
  const answer = (status: number, body: unknown): ServerRequest => async (path, query) => {
    asked.push(`${path}?${query.toString()}`);
    return new Response(JSON.stringify(body), { status });
  };
  const lines = [{ seq: -1, ts: 1, text: 'a' }];
  assert.deepEqual(await fetchContext(answer(200, { source: 's', lines, start: false }), 's', -1, new AbortController().signal), { ok: true, lines });
  assert.deepEqual(asked, ['/api/lines?source=s&from=-51&to=49']);
  assert.deepEqual(await fetchContext(answer(410, { code: 'gone', error: 'x' }), 's', 1, new AbortController().signal), { ok: false, message: 'these lines are no longer on disk' });
  assert.deepEqual(await fetchContext(answer(404, { code: 'not-found', error: 'x' }), 's', 1, new AbortController().signal), { ok: false, message: 'this source is not followed any more' });
  assert.deepEqual(await fetchContext(answer(400, { code: 'bad-lines-query', error: 'from..to must name 1 to 10000 lines' }), 's', 1, new AbortController().signal), {
    ok: false,
    message: 'the request for these lines was refused: from..to must name 1 to 10000 lines',
  });
});
