// GET /api/search against a real server and real files: matches newest first across a log, its rotation and a
// rotated .gz, with the seq the tailer gave them (or counted back, as GET /api/lines does), a final summary,
// the limit, and refused queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { connect, type Socket } from 'node:net';
import type { SearchLine } from '../../protocol/search';
import { DISK_READS_AT_ONCE } from '../../main/server/disk-read-slots';
import { startTestServer, type TestServer } from '../helpers/server';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const numbered = (name: string, count: number) => Array.from({ length: count }, (_, i) => `${name} line ${i + 1}${i % 10 === 6 ? ' timeout' : ''}`);

async function search(s: TestServer, query: string): Promise<{ status: number; type: string | null; retryAfter: string | null; lines: SearchLine[]; body: string }> {
  const res = await fetch(s.url(`/api/search?${query}`), { headers: s.authHeader });
  const body = await res.text();
  const lines = res.status === 200 ? body.trim().split('\n').map((l) => JSON.parse(l) as SearchLine) : [];
  return { status: res.status, type: res.headers.get('content-type'), retryAfter: res.headers.get('retry-after'), lines, body };
}

async function logWithRotations(t: import('node:test').TestContext) {
  const dir = await testDir(t, 'tailwatch-search-');
  const now = Date.now() / 1000;
  writeFileSync(join(dir, 'app.log.2.gz'), gzipSync(numbered('oldest', 30).join('\n') + '\n'));
  writeFileSync(join(dir, 'app.log.1'), numbered('older', 30).join('\n') + '\n');
  utimesSync(join(dir, 'app.log.2.gz'), now - 7200, now - 7200);
  utimesSync(join(dir, 'app.log.1'), now - 3600, now - 3600);
  writeFileSync(join(dir, 'app.log'), numbered('current', 30).join('\n') + '\n');
  // Only app.log is followed: the search still reaches its rotations.
  const s = await startTestServer({ backfill: 1000, dir: [dir], include: ['app.log'] });
  t.after(() => s.close());
  const source = await waitFor(() => s.tw.sources().find((x) => x.path === join(dir, 'app.log') && x.lines === 30), 'app.log read');
  return { s, source };
}

test('matches newest first across the log, its rotation and a .gz, with their seqs, then the summary', async (t) => {
  const { s, source } = await logWithRotations(t);
  const { status, type, lines } = await search(s, 'q=timeout');
  assert.equal(status, 200);
  assert.match(type ?? '', /^application\/x-ndjson/);
  const matches = lines.filter((l) => l.type === 'match');
  assert.deepEqual(
    matches.map((m) => m.type === 'match' && [m.source, m.seq, m.text]),
    [
      ...[27, 17, 7].map((n) => [source.id, n, `current line ${n} timeout`]),
      ...[27, 17, 7].map((n) => [source.id, n - 30, `older line ${n} timeout`]),
      ...[27, 17, 7].map((n) => [source.id, n - 60, `oldest line ${n} timeout`]),
    ],
  );
  const done = lines.at(-1)!;
  assert.equal(done.type, 'done');
  assert.ok(done.type === 'done' && done.matches === 9 && !done.truncated && done.scannedBytes > 0, JSON.stringify(done));
});

test('the limit stops the search (truncated, reason matches); a capital makes it exact; a bad query is 400', async (t) => {
  const { s } = await logWithRotations(t);
  const limited = await search(s, 'q=timeout&limit=2');
  assert.equal(limited.lines.length, 3);
  const done = limited.lines.at(-1)!;
  assert.ok(done.type === 'done' && done.matches === 2 && done.truncated && done.reason === 'matches', JSON.stringify(done));
  assert.equal((await search(s, 'q=TIMEOUT')).lines.length, 1, 'smart case: no match for the capitals');
  assert.equal((await search(s, `q=${encodeURIComponent('/^older line 1\\d/')}`)).lines.length, 11, 'a regex: older lines 10 to 19, and the summary');
  for (const query of ['', 'q=', 'q=%2F(a%2B)%2B%2F', 'q=%2F%5B%2F', 'q=x&limit=0', 'q=x&limit=1001', 'q=x&sources=a%20b']) {
    const answer = await search(s, query);
    assert.equal(answer.status, 400, `${query}: ${answer.body}`);
    assert.ok(/"code":"bad-(search|source)"/.test(answer.body), answer.body);
  }
});

test('reads of the files on disk are bounded at once: past them a request is 429 with Retry-After, and a slot frees when its client goes', async (t) => {
  const dir = await testDir(t, 'tailwatch-search-');
  // Long matching lines: an answer far larger than the socket buffers, so a client that never reads holds its slot.
  const long = 'x'.repeat(60_000);
  writeFileSync(join(dir, 'app.log'), Array.from({ length: 400 }, (_, i) => `match ${i} ${long}`).join('\n') + '\n');
  const s = await startTestServer({ backfill: 10, dir: [dir] });
  t.after(() => s.close());
  await waitFor(() => s.tw.sources().find((x) => x.path === join(dir, 'app.log') && x.lines === 10), 'app.log read');
  const port = Number(new URL(s.url('/')).port);
  const stalled: Socket[] = [];
  t.after(() => stalled.forEach((socket) => socket.destroy()));
  for (let i = 0; i < DISK_READS_AT_ONCE; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.pause(); // never reads: the server waits for the socket to drain
    socket.write(`GET /api/search?q=match&limit=400 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${s.authHeader.Authorization}\r\n\r\n`);
    stalled.push(socket);
  }
  const refused = await waitFor(async () => {
    const answer = await search(s, 'q=match&limit=1');
    return answer.status === 429 ? answer : undefined;
  }, 'a request past the bound refused');
  assert.match(refused.body, /"code":"too-many-reads"/);
  assert.equal(refused.retryAfter, '1');
  stalled.forEach((socket) => socket.destroy());
  await waitFor(async () => ((await search(s, 'q=match&limit=1')).status === 200) || undefined, 'a slot free again');
});
