// `serve --redis`: two servers read the same Redis, where three hosts publish (simulated agents writing real
// stream entries): each server shows every host line once, beside its own sources, with `host` on sources and
// metrics. Real redis-server, real servers, real SSE and WebSocket clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import type { SourceInfo, WireEvent } from '../../protocol/events';
import { parseEventId } from '../../protocol/event-id';
import { startRedis } from '../helpers/redis-server';
import { HOST_TIMINGS, startFakeHost, type FakeHost } from '../helpers/fake-host';
import { startTestServer, type TestServer } from '../helpers/server';
import { linesOf, openSse } from '../helpers/sse-reader';
import { openWs } from '../helpers/ws-client';
import { waitFor } from '../helpers/wait';

type Hello = Extract<WireEvent, { type: 'hello' }>;

/** seqs of one source's lines received, in order. */
const seqsOf = (events: WireEvent[], source: string) => linesOf(events, source).map((l) => l.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('two servers reading one Redis each show every line of three hosts once, beside their own sources', async (t) => {
  const redis = await startRedis(t);
  const hosts: FakeHost[] = [];
  for (const name of ['alpha', 'beta', 'gamma.example']) {
    const host = await startFakeHost(redis.url, name);
    t.after(() => host.close());
    hosts.push(host);
  }
  const sources: SourceInfo[] = [];
  for (const host of hosts) sources.push(await host.addSource('/var/log/app.log'), await host.addSource('/var/log/db.log'));
  // Written before the servers start: their backfill (the last 1000 lines of each source, here all of them).
  for (const [i, source] of sources.entries()) await hosts[Math.floor(i / 2)]!.log(source, 1, 30);

  const servers: TestServer[] = [];
  for (let i = 0; i < 2; i++) {
    const s = await startTestServer({ redis: redis.url }, { 'own.log': 'own 1\nown 2\n' }, HOST_TIMINGS);
    t.after(() => s.close());
    servers.push(s);
  }
  const clients = [];
  for (const s of servers) {
    const sse = await openSse(s.url('/api/events?topics=logs,sources,metrics'), s.authHeader);
    t.after(() => sse.close());
    const ws = await openWs(s.url('/api/ws', true).replace('http', 'ws'));
    t.after(() => ws.ws.close());
    ws.send({ type: 'subscribe', topics: ['logs', 'sources', 'metrics'] });
    clients.push(sse, ws);
  }

  // Then the hosts write together, in many entries.
  for (let batch = 0; batch < 20; batch++) {
    await Promise.all(sources.map((source, i) => hosts[Math.floor(i / 2)]!.log(source, 31 + batch * 10, 10)));
  }
  await Promise.all(hosts.map((h) => h.metrics()));

  for (const client of clients) {
    await waitFor(() => sources.every((s) => seqsOf(client.events, s.id).length >= 230), 'every host line', 20_000, () =>
      sources.map((s) => seqsOf(client.events, s.id).length),
    );
    for (const source of sources) assert.deepEqual(seqsOf(client.events, source.id), range(1, 230), `${source.host} ${source.path}`);
    const hello = client.events[0] as Hello;
    assert.equal(hello.type, 'hello');
    const listed = new Map(hello.sources.map((s) => [s.id, s]));
    for (const source of sources) assert.equal(listed.get(source.id)?.host, source.host);
    // The server's own file, with this machine's name.
    const own = hello.sources.find((s) => s.name === 'own.log');
    assert.equal(own?.host, hostname());
    assert.deepEqual(linesOf(client.events, own!.id).map((l) => l.text), ['own 1', 'own 2']);
    // Every id carries the hosts' cursor, in host name order.
    const last = parseEventId(client.events.at(-1)!.id)!;
    assert.deepEqual([...last.cursor!.keys()], ['alpha', 'beta', 'gamma.example']);
    await waitFor(
      () => ['alpha', 'beta', 'gamma.example'].every((h) => client.events.some((e) => e.type === 'metrics' && e.host === h)),
      'each host metrics sample',
    );
  }
  // /api/sources lists them too.
  const res = await fetch(servers[1]!.url('/api/sources'), { headers: servers[1]!.authHeader });
  const listed = (await res.json()) as SourceInfo[];
  assert.deepEqual(sources.map((s) => listed.find((l) => l.id === s.id)?.host), sources.map((s) => s.host));
});

test('a host found while the server runs is backfilled with its last lines, then followed', async (t) => {
  const redis = await startRedis(t);
  const s = await startTestServer({ redis: redis.url, backfill: 5 }, {}, HOST_TIMINGS);
  t.after(() => s.close());
  const sse = await openSse(s.url('/api/events?topics=logs,sources'), s.authHeader);
  t.after(() => sse.close());
  await sse.waitFor((e) => e[0]?.type === 'hello', 'hello');

  const host = await startFakeHost(redis.url, 'late');
  t.after(() => host.close());
  // All at once: a scan between the source and its lines would find it with none, and follow 1..12 live.
  const source = await host.addSourceWithLines('/srv/late.log', [[1, 8], [9, 4]]);
  // The server's backfill is 5 lines per source: 8..12, cut inside the first entry.
  await sse.waitFor((e) => seqsOf(e, source.id).length >= 5, 'the backfill');
  await host.log(source, 13, 3);
  await sse.waitFor((e) => seqsOf(e, source.id).length >= 8, 'live lines');
  assert.deepEqual(seqsOf(sse.events, source.id), range(8, 15));
  const added = sse.events.find((e) => e.type === 'source' && e.source.id === source.id);
  assert.equal(added?.type === 'source' && added.source.host, 'late');
});
