// A file deleted under a --dir keeps its name for as long as the server holds a line of it: a real server,
// real files, and fresh SSE, WebSocket and long-poll clients that are backfilled with those lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceInfo, WireEvent } from '../../protocol/events';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { startTestServer, type TestServer } from '../helpers/server';
import { linesOf, openSse } from '../helpers/sse-reader';
import { openWs } from '../helpers/ws-client';
import { waitFor } from '../helpers/wait';

/** Short timings: a missing file is removed after 300 ms instead of 10 s. */
const TIMINGS = { logs: { removedAfterMs: 300, safetyTickMs: 100 } };
/** The smallest ring the options allow, so that a few MiB of other lines push a source's lines out. */
const SMALL_RING = { ringEvents: 100, ringBytes: 1 << 20 };

type Hello = Extract<WireEvent, { type: 'hello' }>;

async function helloOverSse(s: TestServer, t: { after(fn: () => void): void }): Promise<{ hello: Hello; events: WireEvent[] }> {
  const sse = await openSse(s.url('/api/events?topics=logs,sources'), s.authHeader);
  t.after(() => sse.close());
  const hello = await sse.waitFor((e) => e[0]?.type === 'hello' && (e[0] as Hello), 'hello');
  return { hello, events: sse.events };
}

async function apiSources(s: TestServer): Promise<SourceInfo[]> {
  const res = await fetch(s.url('/api/sources'), { headers: s.authHeader });
  assert.equal(res.status, 200);
  return (await res.json()) as SourceInfo[];
}

/** Deletes a file of the server's directory and waits for its `remove` on a stream opened before. */
async function deleteAndWaitForRemove(s: TestServer, file: string, t: { after(fn: () => void): void }): Promise<SourceInfo> {
  const id = sourceIdOf(join(s.dir, file));
  const { events } = await helloOverSse(s, t);
  await rm(join(s.dir, file));
  const removed = await waitFor(
    () => events.find((e): e is Extract<WireEvent, { type: 'source' }> => e.type === 'source' && e.op === 'remove' && e.source.id === id),
    `the remove of ${file}`,
  );
  return removed.source;
}

test('a deleted file stays listed, removed and named, in hello and /api/sources while its lines are held, then goes', async (t) => {
  const s = await startTestServer(SMALL_RING, { 'gone.log': 'one\ntwo\nthree\n', 'busy.log': 'start\n' }, TIMINGS);
  t.after(() => s.close());
  const gone = await s.source('gone.log');
  await s.source('busy.log');
  assert.equal((await deleteAndWaitForRemove(s, 'gone.log', t)).state, 'removed');
  assert.ok(!s.tw.sources().some((x) => x.id === gone.id), 'no longer followed');

  // A client that comes now is backfilled with the lines of gone.log, and told its name.
  const { hello, events } = await helloOverSse(s, t);
  const listed = hello.sources.find((x) => x.id === gone.id);
  assert.deepEqual(listed && [listed.state, listed.name, listed.path, listed.lines], ['removed', 'gone.log', gone.path, 3]);
  await waitFor(() => linesOf(events, gone.id).length === 3 || undefined, 'the backfill of gone.log');
  assert.deepEqual(linesOf(events, gone.id).map((l) => l.text), ['one', 'two', 'three']);

  const ws = await openWs(s.url('/api/ws').replace('http', 'ws'), s.authHeader);
  t.after(() => ws.ws.close());
  ws.send({ type: 'subscribe', topics: ['logs', 'sources'] });
  const wsHello = await ws.waitFor((e) => e[0]?.type === 'hello' && (e[0] as Hello), 'hello over WebSocket');
  assert.equal(wsHello.sources.find((x) => x.id === gone.id)?.state, 'removed');

  const poll = await fetch(s.url('/api/poll?topics=logs'), { headers: s.authHeader });
  const pollHello = ((await poll.json()) as WireEvent[])[0] as Hello;
  assert.equal(pollHello.sources.find((x) => x.id === gone.id)?.name, 'gone.log');

  const api = await apiSources(s);
  assert.deepEqual(api.filter((x) => x.id === gone.id).map((x) => [x.state, x.name]), [['removed', 'gone.log']], 'listed once');
  assert.equal(api.find((x) => x.path === join(s.dir, 'busy.log'))?.state, 'live');

  // 3 MiB of busy.log's lines push every line of gone.log out of the 1 MiB ring: it is forgotten.
  const kib = 'x'.repeat(1023) + '\n';
  for (let i = 0; i < 3; i++) await appendFile(join(s.dir, 'busy.log'), kib.repeat(1024));
  await waitFor(() => s.tw.hub.ring.linesOf(gone.id) === 0 || undefined, 'the lines of gone.log to leave the ring');
  assert.ok(!(await apiSources(s)).some((x) => x.id === gone.id), '/api/sources forgets it');
  const later = await helloOverSse(s, t);
  assert.ok(!later.hello.sources.some((x) => x.id === gone.id), 'hello forgets it');
  assert.equal(s.tw.hub.removedSources.size, 0);
});

test('a removed file that comes back is listed once, as followed, and its lines go on from their seq', async (t) => {
  const s = await startTestServer(SMALL_RING, { 'back.log': 'a\nb\n' }, TIMINGS);
  t.after(() => s.close());
  const back = await s.source('back.log');
  await deleteAndWaitForRemove(s, 'back.log', t);
  assert.equal((await apiSources(s)).find((x) => x.id === back.id)?.state, 'removed');

  await writeFile(join(s.dir, 'back.log'), 'c\n');
  await s.source('back.log');
  const listed = (await apiSources(s)).filter((x) => x.id === back.id);
  assert.deepEqual(listed.map((x) => [x.state, x.lines]), [['live', 3]]);
  const { hello, events } = await helloOverSse(s, t);
  assert.deepEqual(hello.sources.filter((x) => x.id === back.id).map((x) => x.state), ['live']);
  await waitFor(() => linesOf(events, back.id).length === 3 || undefined, 'the backfill of back.log');
  assert.deepEqual(linesOf(events, back.id).map((l) => [l.seq, l.text]), [[1, 'a'], [2, 'b'], [3, 'c']]);
  assert.equal(s.tw.hub.removedSources.size, 0);
});
