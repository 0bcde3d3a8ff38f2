// Resume with a Redis cursor, at the core: a hub with cursors, host entries put in as the Redis reader does, and
// a replay over in-memory streams standing in for XRANGE. Each host line once, whatever id the client resumes
// from (another run's, one sent mid-replay, one from a server further along).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventHub } from '../../main/core/event-hub';
import { Subscription, type HostReplay, type Outgoing, type ReplayEvent } from '../../main/core/subscription';
import type { LogLine, Topic } from '../../protocol/events';
import { compareStreamIds, formatCursorMap, parseEventId, type StreamCursor } from '../../protocol/event-id';

const HELLO = { serverTime: 0, version: 't', sources: [] };
const ALL: Topic[] = ['logs', 'metrics', 'sources'];

/** Hosts' logs streams in memory: host → entries in id order. */
type Streams = Map<string, { id: string; json: string }[]>;

function memoryReplay(streams: Streams, page = 2): HostReplay {
  return {
    open(from: StreamCursor, to: StreamCursor) {
      const queue: ReplayEvent[] = [];
      for (const host of [...to.keys()].sort()) {
        const held = from.get(host);
        for (const e of streams.get(host) ?? []) {
          if ((held === undefined || compareStreamIds(e.id, held) > 0) && compareStreamIds(e.id, to.get(host)!) <= 0) {
            queue.push({ type: 'log', json: e.json, host, entryId: e.id });
          }
        }
      }
      return { next: async () => queue.splice(0, page), close: () => {} };
    },
  };
}

/** Puts host `host`'s entry (lines from..from+count-1 of source `host/s`) into the stream and the hub. */
function hostEntry(hub: EventHub, streams: Streams, positions: Map<string, string>, host: string, n: number, from: number, count: number) {
  const id = `100-${n}`;
  const lines: LogLine[] = Array.from({ length: count }, (_, i) => ({ seq: from + i, ts: 0, text: `${host} ${from + i}` }));
  const json = JSON.stringify({ source: `${host}/s`, lines });
  if (!streams.has(host)) streams.set(host, []);
  streams.get(host)!.push({ id, json });
  positions.set(host, id);
  hub.publishEntry({ type: 'log', host, json, source: `${host}/s`, lines: count, entryId: id, cursor: formatCursorMap(positions) });
}

async function drain(hub: EventHub, sub: Subscription, chunk = 1 << 20): Promise<Outgoing[]> {
  const out: Outgoing[] = [];
  for (let idle = 0; idle < 20; ) {
    if (sub.ready) {
      out.push(...sub.take(chunk));
      idle = 0;
    } else {
      await new Promise((r) => setImmediate(r));
      idle++;
    }
  }
  void hub;
  return out;
}

const seqs = (out: Outgoing[], source: string) =>
  out
    .filter((o) => o.type === 'log')
    .map((o) => JSON.parse(o.wire.toString()) as { source: string; lines: LogLine[] })
    .filter((d) => d.source === source)
    .flatMap((d) => d.lines.map((l) => l.seq));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function setup() {
  const hub = new EventHub({ ringEvents: 10_000, ringBytes: 64 << 20, epoch: 'run2', cursors: true });
  const streams: Streams = new Map();
  const positions = new Map<string, string>();
  const sub = (replay = memoryReplay(streams)) => new Subscription(hub, { topics: ALL, sources: null, maxLagBytes: 1 << 30, replay });
  return { hub, streams, positions, sub };
}

test('another run\'s id with a cursor: reset of the local sources, their backfill, the hosts\' entries after the cursor, then live', async () => {
  const { hub, streams, positions, sub } = setup();
  for (let n = 1; n <= 10; n++) hostEntry(hub, streams, positions, n % 2 ? 'a' : 'b', n, 1 + Math.floor((n - 1) / 2) * 3, 3);
  hub.appendLines('own', [{ seq: 1, ts: 0, text: 'own 1' }]);
  hub.flush();
  // The client had a's entries up to 100-5 (lines 1..9) and b's up to 100-4 (lines 1..6).
  const s = sub();
  s.start({ since: 'run1-77.a=100-5,b=100-4', backfill: 100 }, HELLO);
  const first = await drain(hub, s);
  hostEntry(hub, streams, positions, 'a', 11, 16, 3);
  const out = [...first, ...(await drain(hub, s))];
  assert.equal(out[0]!.type, 'hello');
  const reset = out.find((o) => o.type === 'reset')!;
  assert.deepEqual(JSON.parse(reset.wire.toString()).scope, 'local');
  assert.deepEqual(seqs(out, 'own'), [1]);
  assert.deepEqual(seqs(out, 'a/s'), range(10, 18));
  assert.deepEqual(seqs(out, 'b/s'), range(7, 15));
  // Every id sent resumes exactly: ids never claim an entry not sent yet.
  const ns = out.map((o) => parseEventId(o.id)!.n);
  for (let i = 1; i < ns.length; i++) assert.ok(ns[i]! >= ns[i - 1]!, out[i]!.id);
});

test('from any id sent during a replay, a new subscription goes on with each line once', async () => {
  const { hub, streams, positions, sub } = setup();
  for (let n = 1; n <= 12; n++) hostEntry(hub, streams, positions, n % 3 ? 'a' : 'c', n, n, 1);
  const whole = sub();
  whole.start({ since: 'run1-3.', backfill: 10 }, HELLO);
  const all = await drain(hub, whole);
  const expectedA = seqs(all, 'a/s');
  const expectedC = seqs(all, 'c/s');
  assert.equal(expectedA.length + expectedC.length, 12, 'an empty cursor replays every host from its start');
  // Resume from every id the client got, one at a time.
  for (let k = 0; k < all.length; k++) {
    const s = sub();
    s.start({ since: all[k]!.id, backfill: 10 }, HELLO);
    const rest = await drain(hub, s);
    const got = [...all.slice(0, k + 1), ...rest];
    assert.deepEqual(seqs(got, 'a/s'), expectedA, `from ${all[k]!.id}`);
    assert.deepEqual(seqs(got, 'c/s'), expectedC, `from ${all[k]!.id}`);
  }
});

test('a client from a server further along gets no entry twice from this one\'s ring', async () => {
  const { hub, streams, positions, sub } = setup();
  for (let n = 1; n <= 4; n++) hostEntry(hub, streams, positions, 'a', n, n, 1);
  const s = sub();
  // It had a's entries up to 100-6: this server has read up to 100-4.
  s.start({ since: 'other-9.a=100-6', backfill: 10 }, HELLO);
  const first = await drain(hub, s);
  for (let n = 5; n <= 8; n++) hostEntry(hub, streams, positions, 'a', n, n, 1);
  const out = [...first, ...(await drain(hub, s))];
  assert.deepEqual(seqs(out, 'a/s'), [7, 8]);
  const lastCursor = parseEventId(out.at(-1)!.id)!.cursor!;
  assert.equal(lastCursor.get('a'), '100-8');
});

test('a replay goes on when a take ends at its byte budget just as a page is all taken', async () => {
  const { hub, streams, positions, sub } = setup();
  for (let n = 1; n <= 10; n++) hostEntry(hub, streams, positions, n % 2 ? 'a' : 'b', n, 1 + Math.floor((n - 1) / 2) * 3, 3);
  const s = sub();
  s.start({ since: 'run1-77.a=100-1,b=100-2', backfill: 0 }, HELLO);
  // One byte a take: every take ends at its budget, the one that takes a page's last event too (pages of 2).
  const out = await drain(hub, s, 1);
  assert.deepEqual(seqs(out, 'a/s'), range(4, 15));
  assert.deepEqual(seqs(out, 'b/s'), range(4, 15));
});
