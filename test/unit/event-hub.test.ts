import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventHub } from '../../main/core/event-hub';
import { EventRing, type HubEvent } from '../../main/core/event-ring';
import { parseEventId } from '../../protocol/event-id';
import type { LogLine } from '../../protocol/events';
import { metricsSample } from '../fixtures/metrics-sample';

const line = (seq: number, text = `line ${seq}`): LogLine => ({ seq, ts: 1_700_000_000_000 + seq, text });
const lines = (from: number, count: number, text?: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => line(from + i, text?.(from + i)));
const tick = () => new Promise((r) => setImmediate(r));
const events = (hub: EventHub) => {
  const out: HubEvent[] = [];
  for (let n = hub.ring.oldestN; n <= hub.ring.headN; n++) out.push(hub.ring.get(n)!);
  return out;
};

test('ids are <epoch>-<n> with n increasing by one', async () => {
  const hub = new EventHub({ ringEvents: 100, ringBytes: 1 << 20, epoch: 'abc123' });
  hub.appendLines('a', [line(1)]);
  await tick();
  hub.publish('metrics', metricsSample(1));
  hub.appendLines('b', [line(1)]);
  await tick();
  assert.deepEqual(events(hub).map((e) => e.id), ['abc123-1', 'abc123-2', 'abc123-3']);
  assert.deepEqual(parseEventId('abc123-3'), { epoch: 'abc123', n: 3 });
  assert.equal(parseEventId('abc123-03'), null);
  assert.equal(parseEventId('x-y'), null);
});

test('lines appended in one turn of the event loop become one event per source', async () => {
  const hub = new EventHub({ ringEvents: 100, ringBytes: 1 << 20 });
  let woken = 0;
  hub.onEvents(() => woken++);
  hub.appendLines('a', lines(1, 3));
  hub.appendLines('b', lines(1, 2));
  hub.appendLines('a', lines(4, 2));
  assert.equal(hub.ring.size, 0, 'nothing is sent before the event loop turns');
  await tick();
  const evs = events(hub);
  assert.equal(evs.length, 2);
  assert.deepEqual(evs.map((e) => [e.source, e.lines]), [['a', 5], ['b', 2]]);
  const data = JSON.parse(evs[0]!.wire.toString()) as { source: string; lines: LogLine[] };
  assert.deepEqual(data.lines.map((l) => l.seq), [1, 2, 3, 4, 5]);
  assert.ok(woken >= 1);
});

test('a burst is cut into large events at the size cap, never one per line', async () => {
  const hub = new EventHub({ ringEvents: 1000, ringBytes: 64 << 20, batchBytes: 16 * 1024 });
  hub.appendLines('a', lines(1, 10_000, () => 'x'.repeat(100)));
  // The cap sends full batches at once, before the event loop turns.
  assert.ok(hub.ring.size > 0);
  await tick();
  const evs = events(hub);
  const total = evs.reduce((n, e) => n + e.lines, 0);
  assert.equal(total, 10_000);
  assert.ok(evs.length <= 10_000 / 50, `${evs.length} events for 10,000 lines`);
  // The cap is estimated from text lengths: batches come out near it, never far over.
  for (const e of evs.slice(0, -1)) assert.ok(e.wire.length >= 12 * 1024 && e.wire.length < 20 * 1024, `${e.wire.length} bytes`);
});

test('a publish sends pending lines first, so order across topics holds', async () => {
  const hub = new EventHub({ ringEvents: 100, ringBytes: 1 << 20 });
  hub.appendLines('a', [line(1)]);
  hub.publish('source', { op: 'remove', source: { id: 'a', path: '/x', name: 'x', state: 'removed', size: 0, lines: 1, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0 } }, 'a');
  assert.deepEqual(events(hub).map((e) => e.type), ['log', 'source']);
});

test('the ring is bounded by count and by bytes', () => {
  const ring = new EventRing(5, 10_000);
  const add = (bytes: number) =>
    ring.append((n, cum) => ({ n, id: `e-${n}`, type: 'log', topic: 'logs', source: 'a', wire: Buffer.alloc(0), lines: 1, bytes, cum: cum(bytes) }));
  for (let i = 0; i < 8; i++) add(100);
  assert.equal(ring.size, 5);
  assert.equal(ring.oldestN, 4);
  assert.equal(ring.headN, 8);
  assert.equal(ring.get(3), undefined);
  assert.equal(ring.get(4)!.n, 4);
  add(9_800);
  assert.ok(ring.sizeBytes <= 10_000);
  // 5 × 100 + 9,800 bytes: the count bound drops one, the byte bound two more.
  assert.equal(ring.size, 3, 'oldest events make room for bytes');
  assert.equal(ring.oldestN, 7);
  assert.equal(ring.headCum - ring.cumBefore(7), 10_000);
});
