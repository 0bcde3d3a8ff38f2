import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventHub } from '../../main/core/event-hub';
import { EventRing, type HubEvent } from '../../main/core/event-ring';
import { parseEventId } from '../../protocol/event-id';
import type { LogLine, SourceInfo } from '../../protocol/events';
import { metricsSample } from '../fixtures/metrics-sample';
import { plainLogDataJson } from '../../protocol/encode';

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

test('a batch said plain is written by hand in ASCII, the same event as JSON.stringify writes; one not plain in it makes the whole batch go the general way', async () => {
  const texts = ['say "hi"', 'back\\slash', 'x'.repeat(300), '', 'DEL \x7f'];
  const batch = texts.map((text, i): LogLine => ({ seq: i + 1, ts: 1_765_141_363_000 + i * 7, text, ...(i % 2 ? { level: 'warn' as const, cont: true as const } : {}), ...(i === 2 ? { cut: true as const } : {}) }));
  const wires = [];
  for (const plain of [true, false]) {
    const hub = new EventHub({ ringEvents: 100, ringBytes: 1 << 20, epoch: 'e1', cursors: true });
    hub.moveCursor('web-01=1-0');
    hub.appendLines('src', batch, plain);
    await tick();
    const [event] = events(hub);
    assert.deepEqual(JSON.parse(event!.wire.toString()), { type: 'log', id: event!.id, source: 'src', lines: batch });
    wires.push(event!.wire.length);
  }
  assert.equal(wires[0], wires[1], 'the same bytes, in another key order');
  // A batch that gets a line not known plain before it goes out is written the general way (UTF-8).
  const hub = new EventHub({ ringEvents: 100, ringBytes: 1 << 20 });
  hub.appendLines('src', [line(1)], true);
  hub.appendLines('src', [line(2, 'café ☕')], false);
  await tick();
  assert.deepEqual((JSON.parse(events(hub)[0]!.wire.toString()) as { lines: LogLine[] }).lines.map((l) => l.text), ['line 1', 'café ☕']);
});

/** Lines as the line kernel hands them to the hub: their JSON objects, comma-separated (plainLogDataJson's). */
const encoded = (batch: readonly LogLine[]) => Buffer.from(plainLogDataJson('s', batch).slice('{"source":"s","lines":['.length, -2), 'latin1');

test('lines already written as JSON (by the line kernel) join the batch of their source in order: one event a turn, the kinds never mixed in one', async () => {
  const hub = new EventHub({ ringEvents: 100, ringBytes: 1 << 20, epoch: 'e1' });
  hub.appendEncoded('a', encoded(lines(1, 2)), 2);
  hub.appendEncoded('a', encoded(lines(3, 3)), 3);
  hub.appendLines('a', lines(6, 2), true);
  hub.appendEncoded('a', encoded(lines(8, 1)), 1);
  hub.appendEncoded('b', encoded(lines(1, 1)), 1);
  await tick();
  const sent = events(hub).map((e) => JSON.parse(e.wire.toString()) as { id: string; source: string; lines: LogLine[] });
  assert.deepEqual(sent.map((e) => [e.source, e.lines.map((l) => l.seq)]), [['a', [1, 2, 3, 4, 5]], ['a', [6, 7]], ['a', [8]], ['b', [1]]]);
  assert.deepEqual(sent[0], { type: 'log', id: 'e1-1', source: 'a', lines: lines(1, 5) });
  assert.equal(hub.linesPublished.get('a'), 8);
  // The same bytes as those lines appended as objects, plain.
  const plain = new EventHub({ ringEvents: 100, ringBytes: 1 << 20, epoch: 'e1' });
  plain.appendLines('a', lines(1, 5), true);
  await tick();
  assert.equal(events(plain)[0]!.wire.toString(), events(hub)[0]!.wire.toString());
});

test('encoded lines go out at the batch cap at once, and before a publish', async () => {
  const hub = new EventHub({ ringEvents: 100, ringBytes: 1 << 20, batchBytes: 1000 });
  const big = lines(1, 20, (i) => `line ${i} ${'x'.repeat(40)}`);
  hub.appendEncoded('a', encoded(big.slice(0, 10)), 10);
  assert.equal(hub.ring.size, 0);
  hub.appendEncoded('a', encoded(big.slice(10)), 10);
  assert.equal(hub.ring.size, 1, 'past batchBytes: sent without waiting for the loop');
  hub.appendEncoded('a', encoded(lines(21, 1)), 1);
  hub.publish('source', { op: 'remove', source: { id: 'a', path: '/x', name: 'x', state: 'removed', size: 0, lines: 21, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0 } }, 'a');
  assert.deepEqual(events(hub).map((e) => [e.type, e.lines]), [['log', 20], ['log', 1], ['source', 0]]);
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

test('the ring counts the lines it holds of each source, and says when the last one of a source goes', () => {
  const gone: string[] = [];
  const ring = new EventRing(4, 1 << 20, (source) => gone.push(source));
  const add = (source: string | undefined, lines: number) =>
    ring.append((n, cum) => ({ n, id: `e-${n}`, type: lines > 0 ? 'log' : 'metrics', topic: lines > 0 ? 'logs' : 'metrics', source, wire: Buffer.alloc(0), lines, bytes: 100, cum: cum(100) }));
  add('a', 3);
  add('b', 2);
  add('a', 4);
  add(undefined, 0);
  assert.deepEqual([ring.linesOf('a'), ring.linesOf('b'), ring.linesOf('c'), ring.sourcesHeld], [7, 2, 0, 2]);
  add('b', 1); // evicts a's first event: a keeps its newer one
  assert.deepEqual([ring.linesOf('a'), ring.linesOf('b'), gone], [4, 3, []]);
  add('c', 1); // evicts b's first event
  add('c', 1); // evicts a's last event
  assert.deepEqual([ring.linesOf('a'), ring.linesOf('b'), ring.linesOf('c'), gone], [0, 1, 2, ['a']]);
  add('b', 5); // evicts the metrics event: no source changes
  add('b', 1); // evicts b's older event: b is counted first, so it never reads as gone
  assert.deepEqual([ring.linesOf('b'), ring.sourcesHeld, gone], [6, 2, ['a']]);
  for (let i = 0; i < 4; i++) add('c', 1); // c's older events go, then both of b's
  assert.deepEqual([ring.linesOf('b'), ring.linesOf('c'), ring.sourcesHeld, gone], [0, 4, 1, ['a', 'b']]);
});

const sourceInfo = (id: string, state: SourceInfo['state'] = 'live'): SourceInfo =>
  ({ id, path: `/logs/${id}.log`, name: `${id}.log`, state, size: 10, lines: 3, bytes: 10, errors: 0, linesPerSec: 2, errorsPerSec: 0 });

test('a removed source stays listed while the ring holds a line of it, and a source found again replaces it', async () => {
  const hub = new EventHub({ ringEvents: 100, ringBytes: 1 << 20 });
  hub.appendLines('a', lines(1, 3));
  hub.publish('source', { op: 'remove', source: sourceInfo('a', 'removed') }, 'a');
  // Removed without a line held: nothing to name.
  hub.publish('source', { op: 'remove', source: sourceInfo('quiet', 'removed') }, 'quiet');
  const listed = hub.removedSources.withFollowed([sourceInfo('b')]);
  assert.deepEqual(listed.map((s) => [s.id, s.state, s.name]), [['b', 'live', 'b.log'], ['a', 'removed', 'a.log']]);
  assert.equal(listed[1]!.linesPerSec, 0, 'a removed source reads nothing');
  // Back under the same id: listed once, as the tailer has it (before its `add`), then no longer as removed.
  assert.deepEqual(hub.removedSources.withFollowed([sourceInfo('a', 'waiting')]).map((s) => [s.id, s.state]), [['a', 'waiting']]);
  hub.publish('source', { op: 'add', source: sourceInfo('a') }, 'a');
  assert.equal(hub.removedSources.size, 0);
});

test('a removed source is forgotten when its last line leaves the ring; at most maxRemovedSources are kept', async () => {
  const hub = new EventHub({ ringEvents: 100, ringBytes: 1 << 20, maxRemovedSources: 2 });
  for (const id of ['a', 'b', 'c']) {
    hub.appendLines(id, lines(1, 2));
    hub.publish('source', { op: 'remove', source: sourceInfo(id, 'removed') }, id);
  }
  assert.deepEqual(hub.removedSources.withFollowed([]).map((s) => s.id), ['b', 'c'], 'the one removed longest ago goes first');
  // Other lines push b's and c's out of the ring.
  for (let i = 1; i <= 100; i++) {
    hub.appendLines('d', lines(i, 1));
    hub.flush();
  }
  assert.equal(hub.ring.linesOf('b'), 0);
  assert.deepEqual(hub.removedSources.withFollowed([]), []);
  assert.throws(() => new EventHub({ ringEvents: 100, ringBytes: 1 << 20, maxRemovedSources: -1 }), /option maxRemovedSources .* got -1/);
});
