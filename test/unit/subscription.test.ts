import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventHub } from '../../main/core/event-hub';
import { Subscription, type Outgoing } from '../../main/core/subscription';
import type { LogLine, MetricsData, SourceInfo, Topic } from '../../protocol/events';
import { parseEventId } from '../../protocol/event-id';
import { metricsSample } from '../fixtures/metrics-sample';

const HELLO = { serverTime: 0, version: 't', sources: [] };
const ALL: Topic[] = ['logs', 'metrics', 'sources'];
const metrics = (ts: number): MetricsData => metricsSample(ts);
const info = (id: string): SourceInfo => ({ id, path: `/${id}`, name: id, state: 'live', size: 0, lines: 0, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0 });

/** A hub with `count` lines per source, one event per `per` lines, with metrics interleaved. */
function filledHub(sources: string[], count: number, per: number, ring = { ringEvents: 10_000, ringBytes: 64 << 20 }) {
  const hub = new EventHub({ ...ring, epoch: 'e1' });
  const seq = new Map<string, number>();
  for (let i = 0; i < count / per; i++) {
    for (const s of sources) {
      const from = (seq.get(s) ?? 0) + 1;
      const batch: LogLine[] = Array.from({ length: per }, (_, k) => ({ seq: from + k, ts: 0, text: `${s}:${from + k}` }));
      seq.set(s, from + per - 1);
      hub.appendLines(s, batch);
      hub.flush();
    }
    hub.publish('metrics', metrics(i));
  }
  return hub;
}

/** The data of an event (its wire object without type and id). */
function dataOf(o: Outgoing): Record<string, any> {
  const { type: _t, id: _i, ...data } = JSON.parse(o.wire.toString('utf8')) as Record<string, unknown>;
  return data;
}

function drain(sub: Subscription, chunk = 1 << 20): Outgoing[] {
  const out: Outgoing[] = [];
  while (sub.ready) out.push(...sub.take(chunk));
  return out;
}
const logLines = (out: Outgoing[], source: string) =>
  out.filter((o) => o.type === 'log').flatMap((o) => (dataOf(o) as { source: string; lines: LogLine[] })).filter((d) => d.source === source).flatMap((d) => d.lines);
const nOf = (o: Outgoing) => parseEventId(o.id)!.n;

function assertIdsNeverDecrease(out: Outgoing[]): void {
  for (let i = 1; i < out.length; i++) assert.ok(nOf(out[i]!) >= nOf(out[i - 1]!), `id ${out[i]!.id} after ${out[i - 1]!.id}`);
}

test('a new client gets hello, then exactly the last N lines of each source, the newest metrics, then live', () => {
  const hub = filledHub(['a', 'b'], 990, 30 /* batches straddle the window */);
  const sub = new Subscription(hub, { topics: ALL, sources: null, maxLagBytes: 1 << 30 });
  sub.start({ backfill: 100 }, HELLO);
  const out = drain(sub);
  assert.equal(out[0]!.type, 'hello');
  assert.deepEqual(logLines(out, 'a').map((l) => l.seq), Array.from({ length: 100 }, (_, i) => 891 + i));
  assertIdsNeverDecrease(out);
  const m = out.filter((o) => o.type === 'metrics');
  assert.equal(m.length, 1, 'only the newest metrics sample');
  assert.equal(dataOf(m[0]!).ts, 32);
  hub.appendLines('a', [{ seq: 991, ts: 0, text: 'live' }]);
  hub.flush();
  const live = drain(sub);
  assert.deepEqual(logLines(live, 'a').map((l) => l.text), ['live']);
});

test('backfill is exact for a window that starts inside a batch', () => {
  const hub = filledHub(['a'], 990, 33);
  const sub = new Subscription(hub, { topics: ['logs'], sources: ['a'], maxLagBytes: 1 << 30 });
  sub.start({ backfill: 50 }, HELLO);
  const seqs = logLines(drain(sub), 'a').map((l) => l.seq);
  assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => 941 + i));
});

test('resume gives exactly the events after the id: no repeat, no gap', () => {
  const hub = filledHub(['a', 'b'], 300, 10);
  const first = new Subscription(hub, { topics: ALL, sources: null, maxLagBytes: 1 << 30 });
  first.start({ backfill: 1000 }, HELLO);
  const before = drain(first);
  // The client saw up to some event in the middle, then reconnected.
  const cut = before[Math.floor(before.length / 2)]!;
  hub.appendLines('a', [{ seq: 301, ts: 0, text: 'after' }]);
  hub.flush();
  const again = new Subscription(hub, { topics: ALL, sources: null, maxLagBytes: 1 << 30 });
  again.start({ since: cut.id, backfill: 1000 }, HELLO);
  const after = drain(again);
  assert.equal(after[0]!.type, 'hello');
  assert.equal(after[0]!.id, cut.id);
  const seen = [...before.slice(0, before.indexOf(cut) + 1), ...after.slice(1)];
  assert.deepEqual(logLines(seen, 'a').map((l) => l.seq), Array.from({ length: 301 }, (_, i) => i + 1));
  assert.deepEqual(logLines(seen, 'b').map((l) => l.seq), Array.from({ length: 300 }, (_, i) => i + 1));
});

test('a resume id from another run gets reset, then a fresh backfill', () => {
  const hub = filledHub(['a'], 100, 10);
  for (const [since, reason] of [['zzz-5', 'unknown-epoch'], ['garbage', 'bad-id'], ['e1-99999', 'future-id']] as const) {
    const sub = new Subscription(hub, { topics: ['logs'], sources: null, maxLagBytes: 1 << 30 });
    sub.start({ since, backfill: 20 }, HELLO);
    const out = drain(sub);
    assert.deepEqual(out.slice(0, 2).map((o) => o.type), ['hello', 'reset']);
    assert.equal(dataOf(out[1]!).reason, reason);
    assert.equal(dataOf(out[1]!).epoch, 'e1');
    assert.equal(logLines(out, 'a').length, 20);
  }
});

test('a resume from before the ring gets a gap (expired) and then every kept event', () => {
  const hub = filledHub(['a'], 1000, 10, { ringEvents: 50, ringBytes: 64 << 20 });
  const sub = new Subscription(hub, { topics: ['logs'], sources: null, maxLagBytes: 1 << 30 });
  sub.start({ since: 'e1-3', backfill: 0 }, HELLO);
  const out = drain(sub);
  assert.equal(out[1]!.type, 'gap');
  const gap = dataOf(out[1]!);
  assert.equal(gap.reason, 'expired');
  assert.equal(gap.missed, hub.ring.oldestN - 4);
  assert.equal(nOf(out[1]!), hub.ring.oldestN - 1);
  assertIdsNeverDecrease(out);
  assert.equal(logLines(out, 'a').at(-1)!.seq, 1000);
});

test('a client past its lag bound gets a gap per source with the exact count, newest metrics and every source event', () => {
  const hub = filledHub(['a', 'b'], 100, 10);
  const sub = new Subscription(hub, { topics: ALL, sources: null, maxLagBytes: 20_000 });
  sub.start({ backfill: 0 }, HELLO);
  drain(sub);
  // The client now stops reading while lots happens.
  let seqA = 100;
  for (let i = 0; i < 200; i++) {
    hub.appendLines('a', Array.from({ length: 10 }, () => ({ seq: ++seqA, ts: 0, text: 'x'.repeat(50) })));
    hub.flush();
    if (i === 50) hub.publish('source', { op: 'add', source: info('c') }, 'c');
    hub.publish('metrics', metrics(1000 + i));
  }
  const out = drain(sub);
  assertIdsNeverDecrease(out);
  const gaps = out.filter((o) => o.type === 'gap').map((o) => dataOf(o));
  assert.deepEqual(gaps, [{ source: 'a', missed: 2000, reason: 'slow-client' }]);
  assert.equal(out.filter((o) => o.type === 'source').length, 1);
  const m = out.filter((o) => o.type === 'metrics');
  assert.equal(m.length, 1);
  assert.equal(dataOf(m[0]!).ts, 1199);
  assert.equal(sub.linesDropped, 2000);
  // Ids stay strictly increasing: each gap stands where its source's last dropped event was.
  const ids = out.map(nOf);
  assert.equal(new Set(ids).size, ids.length);
});

test('filters: topics and sources, added and removed', () => {
  const hub = new EventHub({ ringEvents: 1000, ringBytes: 1 << 20, epoch: 'e1' });
  const sub = new Subscription(hub, { topics: ['logs'], sources: ['a'], maxLagBytes: 1 << 30 });
  sub.start({ backfill: 0 }, HELLO);
  drain(sub);
  const send = (s: string, seq: number) => {
    hub.appendLines(s, [{ seq, ts: 0, text: `${s}${seq}` }]);
    hub.flush();
  };
  send('a', 1);
  send('b', 1);
  hub.publish('metrics', metrics(1));
  assert.deepEqual(drain(sub).map((o) => o.type + (o.type === 'log' ? dataOf(o).source : '')), ['loga']);
  sub.add(['metrics'], ['b']);
  send('b', 2);
  hub.publish('metrics', metrics(2));
  assert.deepEqual(drain(sub).map((o) => o.type), ['log', 'metrics']);
  sub.remove(['metrics'], ['a']);
  send('a', 2);
  send('b', 3);
  hub.publish('metrics', metrics(3));
  assert.deepEqual(logLines(drain(sub), 'b').map((l) => l.seq), [3]);
});
