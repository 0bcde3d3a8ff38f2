// GET /api/poll with real HTTP requests: first answer, waiting, resume, reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server';
import type { WireEvent } from '../../protocol/events';
import { linesOf } from '../helpers/sse-reader';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function poll(s: TestServer, query: string): Promise<{ status: number; events: WireEvent[]; next: string | null; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(s.url(`/api/poll?${query}`), { headers: s.authHeader });
  const body = (await res.json()) as WireEvent[];
  return { status: res.status, events: body, next: res.headers.get('x-tailwatch-next'), ms: Date.now() - t0 };
}

test('without since: hello and backfill at once; with since: the events after it', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'a\nb\nc\n' });
  t.after(() => s.close());
  const first = await poll(s, 'topics=logs&backfill=2');
  assert.equal(first.status, 200);
  assert.equal(first.events[0]!.type, 'hello');
  assert.deepEqual(linesOf(first.events).map((l) => l.text), ['b', 'c']);
  assert.ok(first.next);
  // Nothing new: an answer with wait=0 is empty at once.
  const empty = await poll(s, `topics=logs&since=${first.next}&wait=0`);
  assert.deepEqual(empty.events, []);
  assert.equal(empty.next, first.next);
  // A waiting poll is answered as soon as a line comes.
  const waiting = poll(s, `topics=logs&since=${first.next}&wait=20`);
  await new Promise((r) => setTimeout(r, 300));
  await s.append('app.log', 1, 1);
  const got = await waiting;
  assert.deepEqual(linesOf(got.events).map((l) => l.text), ['line 1']);
  assert.ok(got.ms < 15_000);
});

test('polling in a loop during a burst gets every line once, in order', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  await s.append('app.log', 1, 10);
  const src = await s.source('app.log');
  let next = (await poll(s, 'topics=logs&backfill=0')).next!;
  const writing = s.append('app.log', 11, 30_000);
  const seen: WireEvent[] = [];
  while (linesOf(seen, src.id).at(-1)?.seq !== 30_010) {
    const r = await poll(s, `topics=logs&since=${encodeURIComponent(next)}&wait=5`);
    seen.push(...r.events);
    next = r.next!;
  }
  await writing;
  assert.deepEqual(linesOf(seen, src.id).map((l) => l.seq), range(11, 30_010));
});

test('a stale or malformed since gets reset; bad wait is 400', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'x\n' });
  t.after(() => s.close());
  for (const since of ['zz-1', 'not-an-id!']) {
    const r = await poll(s, `since=${encodeURIComponent(since)}`);
    assert.deepEqual(r.events.slice(0, 1).map((e) => e.type), ['reset']);
    assert.equal(linesOf(r.events).length, 1);
  }
  for (const q of ['wait=61', 'wait=-1', 'wait=abc', 'topics=x']) {
    assert.equal((await poll(s, q)).status, 400, q);
  }
});
