// GET /api/lines against a real server and real files: older lines paged back to a 2,000,000-line file's
// first line (seq counting down past 1), a range of lines read live, and the refusals (400, 404, 410).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, utimesSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { LinesAnswer } from '../../protocol/lines';
import { startTestServer, type TestServer } from '../helpers/server';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const FILE_LINES = 2_000_000;
const text = (n: number) => `2026-12-07T05:00:00.000Z INFO line ${n} of the big file`;

async function writeBigFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let n = 1; n <= FILE_LINES; n += 10_000) {
    let chunk = '';
    for (let k = n; k < n + 10_000; k++) chunk += `${text(k)}\n`;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function getLines(s: TestServer, query: string): Promise<{ status: number; body: LinesAnswer & { code?: string; error?: string } }> {
  const res = await fetch(s.url(`/api/lines?${query}`), { headers: s.authHeader });
  return { status: res.status, body: (await res.json()) as LinesAnswer & { code?: string } };
}

test('older lines: pages of before= go back through a 2,000,000-line file to its first line, seq counting down past 1', { timeout: 120_000 }, async (t) => {
  // The file is there before the server starts: it shows its last 1,000 lines, and the rest is history.
  const dir = await testDir(t, 'tailwatch-lines-');
  await writeBigFile(join(dir, 'big.log'));
  const s = await startTestServer({ backfill: 1000, dir: [dir] });
  t.after(() => s.close());
  const source = await waitFor(() => s.tw.sources().find((x) => x.path === join(dir, 'big.log') && x.lines === 1000), 'the backfill of the last 1,000 lines');

  // seq 1 is the first line read in this run: line 1,999,001 of the file.
  let before = 1;
  let expectedLast = FILE_LINES - 1000;
  let pages = 0;
  for (;;) {
    const { status, body } = await getLines(s, `source=${source.id}&before=${before}&limit=10000`);
    assert.equal(status, 200, JSON.stringify(body).slice(0, 200));
    assert.equal(body.source, source.id);
    const lines = body.lines;
    assert.ok(lines.length > 0 && lines.length <= 10_000, `page ${pages}: ${lines.length} lines`);
    // Oldest first, seq one by one up to just before `before`, the file's lines in order.
    lines.forEach((line, i) => {
      assert.equal(line.seq, before - lines.length + i);
      assert.equal(line.text, text(expectedLast - lines.length + 1 + i));
    });
    assert.equal(lines[0]!.level, 'info');
    expectedLast -= lines.length;
    before = lines[0]!.seq;
    pages++;
    if (body.start) break;
    assert.ok(pages < 1000, 'it ends');
  }
  assert.equal(expectedLast, 0, 'the first page holds the file\'s first line');
  assert.equal(before, 1 - (FILE_LINES - 1000), 'seq went down past 1 by one per line');
  assert.equal(pages, Math.ceil((FILE_LINES - 1000) / 10_000));

  // A page already read comes back the same (the index remembers where it starts).
  const again = await getLines(s, `source=${source.id}&before=${before + 20_000}&limit=3`);
  assert.deepEqual(again.body.lines.map((l) => l.text), [text(19_998), text(19_999), text(20_000)]);
});

test('paging back goes on into the rotations still on disk, .gz included, oldest last, then says start', async (t) => {
  const dir = await testDir(t, 'tailwatch-lines-');
  const rotation = (name: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${name} ${from + i}`).join('\n') + '\n';
  writeFileSync(join(dir, 'app.log.2.gz'), gzipSync(rotation('two-days-ago', 1, 2500)));
  writeFileSync(join(dir, 'app.log.1'), rotation('yesterday', 1, 1800));
  const hour = 3600;
  const now = Date.now() / 1000;
  utimesSync(join(dir, 'app.log.2.gz'), now - 2 * 24 * hour, now - 2 * 24 * hour);
  utimesSync(join(dir, 'app.log.1'), now - 24 * hour, now - 24 * hour);
  writeFileSync(join(dir, 'app.log'), rotation('today', 1, 1200));
  const s = await startTestServer({ backfill: 1000, dir: [dir] });
  t.after(() => s.close());
  const source = await waitFor(() => s.tw.sources().find((x) => x.path === join(dir, 'app.log') && x.lines === 1000), 'the backfill');

  const older: string[] = [];
  let before = 1;
  for (let pages = 0; ; pages++) {
    const { status, body } = await getLines(s, `source=${source.id}&before=${before}&limit=700`);
    assert.equal(status, 200);
    body.lines.forEach((line, i) => assert.equal(line.seq, before - body.lines.length + i));
    older.unshift(...body.lines.map((l) => l.text));
    before = body.lines[0]?.seq ?? before;
    if (body.start) break;
    assert.ok(pages < 20);
  }
  const expected = [...rotation('two-days-ago', 1, 2500), ...rotation('yesterday', 1, 1800), ...rotation('today', 1, 200)].join('').split('\n').filter(Boolean);
  assert.deepEqual(older, expected);
});

test('from..to gives the lines read live, as they were sent, from where they are on disk', async (t) => {
  const s = await startTestServer({ backfill: 0 });
  t.after(() => s.close());
  await appendFile(join(s.dir, 'app.log'), '');
  const source = await s.source('app.log');
  for (let round = 0; round < 5; round++) await s.append('app.log', round * 1500 + 1, 1500);
  await waitFor(() => s.tw.sources().find((x) => x.id === source.id)?.lines === 7500 || undefined, 'all lines read');
  const { status, body } = await getLines(s, `source=${source.id}&from=2999&to=6001`);
  assert.equal(status, 200);
  assert.deepEqual(
    body.lines.map((l) => [l.seq, l.text]),
    Array.from({ length: 3003 }, (_, i) => [2999 + i, `line ${2999 + i}`]),
  );
});

test('without /proc/self/fd (macOS, Windows) lines are read from the file found again by name and identity', async (t) => {
  const s = await startTestServer({ backfill: 0 });
  t.after(() => s.close());
  await appendFile(join(s.dir, 'app.log'), '');
  const source = await s.source('app.log');
  await s.append('app.log', 1, 50);
  await waitFor(() => s.tw.sources().find((x) => x.id === source.id)?.lines === 50 || undefined, 'all lines read');
  const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  Object.defineProperty(process, 'platform', { value: 'darwin' });
  try {
    const { status, body } = await getLines(s, `source=${source.id}&from=10&to=12`);
    assert.equal(status, 200);
    assert.deepEqual(body.lines.map((l) => l.text), ['line 10', 'line 11', 'line 12']);
  } finally {
    Object.defineProperty(process, 'platform', platform);
  }
});

test('refusals: a malformed query is 400, an unknown source 404, lines no longer on disk 410', async (t) => {
  const s = await startTestServer({ backfill: 0 });
  t.after(() => s.close());
  const path = join(s.dir, 'gone.log');
  await appendFile(path, '');
  const source = await s.source('gone.log');
  await s.append('gone.log', 1, 10);
  await waitFor(() => s.tw.sources().find((x) => x.id === source.id)?.lines === 10 || undefined, 'the lines read');

  for (const query of ['', `source=${source.id}`, `source=${source.id}&before=x`, `source=${source.id}&before=5&limit=0`, `source=${source.id}&before=5&limit=10001`, `source=${source.id}&from=5&to=4`, `source=${source.id}&from=1&to=10001`, 'source=a%20b&before=1']) {
    const { status, body } = await getLines(s, query);
    assert.equal(status, 400, query);
    assert.ok(body.error && body.code, query);
  }
  assert.equal((await getLines(s, 'source=nosuchsource&before=1')).status, 404);

  // Deleted, and let go of once its grace period is over: its lines are nowhere.
  await rm(path);
  await waitFor(async () => (await getLines(s, `source=${source.id}&from=1&to=10`)).status === 410 || undefined, 'the lines gone', 15_000);
});
