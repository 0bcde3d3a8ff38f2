// Exact resume across servers: a client's last id means the same to every server reading the same Redis. After
// a server restart (a new epoch) or on another server, a resumed client gets every host line after its id once
// (a `reset` with scope `local` covers only the server's own sources), over SSE, WebSocket and long-poll, also
// from an id it received in the middle of a replay. Real redis-server, real servers and clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WireEvent } from '../../protocol/events';
import { parseEventId } from '../../protocol/event-id';
import { startRedis } from '../helpers/redis-server';
import { HOST_TIMINGS, startFakeHost } from '../helpers/fake-host';
import { startTestServer, type TestServer } from '../helpers/server';
import { linesOf, openSse } from '../helpers/sse-reader';
import { openWs } from '../helpers/ws-client';
import { waitFor } from '../helpers/wait';

const seqsOf = (events: WireEvent[], source: string) => linesOf(events, source).map((l) => l.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const resets = (events: WireEvent[]) => events.filter((e): e is Extract<WireEvent, { type: 'reset' }> => e.type === 'reset');
const gaps = (events: WireEvent[]) => events.filter((e) => e.type === 'gap');

async function server(t: { after(fn: () => Promise<void>): void }, redisUrl: string, own = 'own 1\nown 2\n'): Promise<TestServer> {
  const s = await startTestServer({ redis: redisUrl }, { 'own.log': own }, HOST_TIMINGS);
  t.after(() => s.close());
  return s;
}

test('a client resumed after its server restarted, then moved to another server, gets every host line once', async (t) => {
  const redis = await startRedis(t);
  const host = await startFakeHost(redis.url, 'web');
  t.after(() => host.close());
  const app = await host.addSource('/var/log/app.log');
  for (let i = 0; i < 5; i++) await host.log(app, 1 + i * 10, 10);

  const other = await server(t, redis.url);
  let first: TestServer | null = await startTestServer({ redis: redis.url }, { 'own.log': 'own 1\nown 2\n' }, HOST_TIMINGS);
  const c1 = await openSse(first.url('/api/events'), first.authHeader);
  await c1.waitFor((e) => seqsOf(e, app.id).length >= 50, 'the backfill');
  const ownId = (c1.events[0] as Extract<WireEvent, { type: 'hello' }>).sources.find((s) => s.name === 'own.log')!.id;
  c1.close();
  const lastId = c1.events.at(-1)!.id;
  assert.deepEqual([...parseEventId(lastId)!.cursor!.keys()], ['web']);

  // Lines written while the client is away, and while its server is down.
  for (let i = 5; i < 10; i++) await host.log(app, 1 + i * 10, 10);
  await first.close();
  first = null;
  for (let i = 10; i < 12; i++) await host.log(app, 1 + i * 10, 10);
  const restarted = await server(t, redis.url, 'own 1\nown 2\nown 3\n');

  const c2 = await openSse(restarted.url(`/api/events?since=${encodeURIComponent(lastId)}`), restarted.authHeader);
  t.after(() => c2.close());
  await c2.waitFor((e) => seqsOf(e, app.id).length >= 70, 'the replay from Redis');
  for (let i = 12; i < 14; i++) await host.log(app, 1 + i * 10, 10);
  await c2.waitFor((e) => seqsOf(e, app.id).length >= 90, 'live lines after the replay');
  assert.deepEqual(seqsOf(c2.events, app.id), range(51, 140), 'each host line after the id once');
  assert.deepEqual(resets(c2.events).map((r) => [r.reason, r.scope]), [['unknown-epoch', 'local']]);
  assert.deepEqual(gaps(c2.events), []);
  // The server's own sources start over (its backfill).
  const ownNow = (c2.events[0] as Extract<WireEvent, { type: 'hello' }>).sources.find((s) => s.name === 'own.log')!.id;
  assert.notEqual(ownNow, ownId, 'another directory, another source');
  assert.deepEqual(linesOf(c2.events, ownNow).map((l) => l.text), ['own 1', 'own 2', 'own 3']);

  // The same client moves to the other server (started before all this) over WebSocket.
  const movedFrom = c2.events.at(-1)!.id;
  c2.close();
  await host.log(app, 141, 10);
  const ws = await openWs(other.url('/api/ws', true).replace('http', 'ws'));
  t.after(() => ws.ws.close());
  ws.send({ type: 'subscribe', since: movedFrom });
  await ws.waitFor((e) => seqsOf(e, app.id).length >= 10, 'lines on the other server');
  await host.log(app, 151, 10);
  await ws.waitFor((e) => seqsOf(e, app.id).length >= 20, 'live lines on the other server');
  assert.deepEqual(seqsOf(ws.events, app.id), range(141, 160));
  assert.deepEqual(resets(ws.events).map((r) => r.scope), ['local']);
  assert.deepEqual(gaps(ws.events), []);

  // And back to the restarted server with the same epoch's id: the ring, no reset at all.
  const again = c2.events.at(-1)!.id;
  const c3 = await openSse(restarted.url(`/api/events?since=${encodeURIComponent(again)}`), restarted.authHeader);
  t.after(() => c3.close());
  await c3.waitFor((e) => seqsOf(e, app.id).length >= 20, 'the ring after the id');
  assert.deepEqual(seqsOf(c3.events, app.id), range(141, 160));
  assert.deepEqual(resets(c3.events), []);
});

test('long-poll resumes page by page from ids sent in the middle of a replay: each line once', async (t) => {
  const redis = await startRedis(t);
  const host = await startFakeHost(redis.url, 'db');
  t.after(() => host.close());
  const log = await host.addSource('/var/log/db.log');
  await host.log(log, 1, 1);
  const before = await server(t, redis.url);
  const c1 = await openSse(before.url('/api/events'), before.authHeader);
  await c1.waitFor((e) => seqsOf(e, log.id).length >= 1, 'the first line');
  c1.close();
  const lastId = c1.events.at(-1)!.id;
  // 240 entries: five pages of replay (50 entries each).
  for (let i = 0; i < 240; i++) await host.log(log, 2 + i * 3, 3);
  const s = await server(t, redis.url);
  await waitFor(() => s.tw.hub.cursor?.includes(`db=`) && s.tw.listedSources().some((x) => x.id === log.id), 'the host followed');

  const received: WireEvent[] = [];
  let since = lastId;
  const seen = new Set<string>();
  for (let polls = 0; polls < 100 && seqsOf(received, log.id).length < 720; polls++) {
    const res = await fetch(s.url(`/api/poll?since=${encodeURIComponent(since)}&wait=5`), { headers: s.authHeader });
    assert.equal(res.status, 200);
    const events = (await res.json()) as WireEvent[];
    received.push(...events);
    since = res.headers.get('X-Tailwatch-Next')!;
    seen.add(since);
  }
  assert.deepEqual(seqsOf(received, log.id), range(2, 721));
  assert.ok(seen.size > 3, `several answers (${seen.size})`);
  // One reset (the first answer, another epoch); the next ids were this server's own, mid-replay ones too.
  assert.deepEqual(resets(received).map((r) => r.scope), ['local']);
  assert.deepEqual(gaps(received), []);
});

test('entries Redis trimmed after a client id are a gap, and the rest follows once', async (t) => {
  const redis = await startRedis(t);
  const host = await startFakeHost(redis.url, 'noisy');
  t.after(() => host.close());
  const log = await host.addSource('/var/log/noisy.log');
  await host.log(log, 1, 5);
  const s1 = await server(t, redis.url);
  const c1 = await openSse(s1.url('/api/events'), s1.authHeader);
  await c1.waitFor((e) => seqsOf(e, log.id).length >= 5, 'the first lines');
  c1.close();
  const lastId = c1.events.at(-1)!.id;
  for (let i = 0; i < 30; i++) await host.log(log, 6 + i * 2, 2);
  await host.trim(10);
  const s2 = await server(t, redis.url);
  const c2 = await openSse(s2.url(`/api/events?since=${encodeURIComponent(lastId)}`), s2.authHeader);
  t.after(() => c2.close());
  await c2.waitFor((e) => seqsOf(e, log.id).length >= 20, 'the entries left');
  assert.deepEqual(seqsOf(c2.events, log.id), range(46, 65));
  const [gap] = gaps(c2.events);
  assert.ok(gap && gap.type === 'gap' && gap.reason === 'expired' && gap.missed >= 20, JSON.stringify(gap));
  // The gap comes before the lines left.
  assert.ok(c2.events.indexOf(gap) < c2.events.findIndex((e) => e.type === 'log' && e.source === log.id));
});
