// The store every view lists (SourceStore via LogViews): layout changes keep every line, the dropped count is
// the bound's real one, merged views are in time order however lines come, lines read from disk reach every pane.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../protocol/events';
import { groupPage } from '../../renderer/log-worker/event-grouping';
import { HeldLine } from '../../renderer/log-worker/held-rows';
import { ORDER_LIMITS, WINDOW_LIMITS } from '../../renderer/log-worker/log-view';
import { BUFFER_LIMITS, LogViews } from '../../renderer/log-worker/log-views';
import { byTimeKey, SourceStore } from '../../renderer/log-worker/source-store';
import { NO_FILTER } from '../../renderer/log-worker/line-filter';
import type { Row, ViewSpec, ViewUpdate } from '../../renderer/worker-channel/worker-protocol';

const lines = (from: number, count: number, ts: (seq: number) => number, text = (seq: number) => `line ${seq}`): LogLine[] =>
  Array.from({ length: count }, (_, i) => ({ seq: from + i, ts: ts(from + i), text: text(from + i) }));
const byView = (updates: ViewUpdate[]): Record<string, ViewUpdate> => Object.fromEntries(updates.map((u) => [u.view, u]));
const rowKey = (row: Row): string => (row.kind === 'line' ? `${row.source}:${row.seq}` : `[${row.text}]`);

function setup(specs: ViewSpec[], bufferLines: number = BUFFER_LIMITS.minLines): LogViews {
  const set = new LogViews(() => {});
  set.restart(bufferLines);
  show(set, specs);
  return set;
}
function show(set: LogViews, specs: ViewSpec[]): void {
  set.setViews(specs);
  for (const spec of specs) set.setWindow(spec.id, true, 0, WINDOW_LIMITS.maxRows);
}
/** Every shown row of a view, oldest first, read a window at a time. */
function allRows(set: LogViews, id: string): Row[] {
  const rows: Row[] = [];
  set.setWindow(id, false, -Infinity, WINDOW_LIMITS.maxRows);
  let update = byView(set.takeUpdates())[id]!;
  const end = update.firstIndex + update.total;
  for (let first = update.firstIndex; first < end; first += WINDOW_LIMITS.maxRows) {
    set.setWindow(id, false, first, WINDOW_LIMITS.maxRows);
    update = byView(set.takeUpdates())[id]!;
    rows.push(...update.window.rows);
  }
  set.setWindow(id, true, 0, WINDOW_LIMITS.maxRows);
  return rows;
}
const inTimeOrder = (rows: Row[]): boolean => rows.every((row, i) => i === 0 || rows[i - 1]!.ts <= row.ts);
const countOf = (rows: Row[], source: string): number => rows.filter((row) => row.kind === 'line' && row.source === source).length;

test('merged → side by side → merged keeps every line of every source, with no dropped lines claimed', () => {
  const set = setup([{ id: 'merged', sources: null }], 5_000);
  set.ingest('nginx', lines(1, 1_027, (seq) => seq * 3));
  set.ingest('syslog', lines(1, 723, (seq) => seq * 4));
  set.ingest('app', lines(1, 50, (seq) => seq * 50));
  const before = byView(set.takeUpdates()).merged!;
  assert.deepEqual([before.total, before.dropped], [1_800, 0]);

  // Side by side with panes for two of the three sources, then merged again.
  show(set, [{ id: 'source:syslog', sources: ['syslog'] }, { id: 'source:app', sources: ['app'] }]);
  const split = byView(set.takeUpdates());
  assert.deepEqual([split['source:syslog']!.total, split['source:syslog']!.dropped, split['source:app']!.total], [723, 0, 50]);
  set.ingest('nginx', lines(1_028, 5, () => 10_000));
  show(set, [{ id: 'merged', sources: null }]);
  const after = byView(set.takeUpdates()).merged!;
  assert.deepEqual([after.total, after.dropped], [1_805, 0]);
  const rows = allRows(set, 'merged');
  assert.deepEqual([countOf(rows, 'nginx'), countOf(rows, 'syslog'), countOf(rows, 'app')], [1_032, 723, 50]);
  assert.ok(inTimeOrder(rows));
});

test('the bound is for all sources together; "dropped" counts exactly the lines it let go, in every layout', () => {
  const bound = BUFFER_LIMITS.minLines;
  const set = setup([{ id: 'merged', sources: null }], bound);
  set.ingest('a', lines(1, 700, (seq) => seq));
  set.ingest('b', lines(1, 500, (seq) => seq + 0.5));
  const merged = byView(set.takeUpdates()).merged!;
  // The first 200 lines received (all of a) went.
  assert.deepEqual([merged.buffered, merged.dropped], [bound, 200]);
  show(set, [{ id: 'source:a', sources: ['a'] }, { id: 'source:b', sources: ['b'] }]);
  const split = byView(set.takeUpdates());
  assert.deepEqual([split['source:a']!.total, split['source:a']!.dropped, split['source:b']!.total, split['source:b']!.dropped], [500, 200, 500, 0]);
  assert.equal(rowKey(split['source:a']!.window.rows[0]!), 'a:201');
  // Clearing a pane forgets its lines everywhere, and they are not dropped ones.
  set.clear('source:a');
  show(set, [{ id: 'merged', sources: null }]);
  const cleared = byView(set.takeUpdates()).merged!;
  assert.deepEqual([cleared.total, cleared.dropped, countOf(allRows(set, 'merged'), 'a')], [500, 0, 0]);
});

test('merged views stay in time order when sources come late, a little (in place) or far (rebuilt)', () => {
  const set = setup([{ id: 'merged', sources: null }, { id: 'source:b', sources: ['b'] }], 100_000);
  set.ingest('a', lines(1, 3_000, (seq) => seq * 10));
  set.takeUpdates();
  // A little late: among the last rows.
  set.ingest('b', lines(1, 20, (seq) => 29_800 + seq * 5));
  set.takeUpdates();
  // Far: older than every row held.
  set.ingest('c', lines(1, 10, (seq) => seq));
  // Late by more than the reorder reach.
  set.ingest('a', lines(3_001, ORDER_LIMITS.reorderRows + 10, (seq) => 40_000 + seq));
  set.takeUpdates();
  set.ingest('b', lines(21, 3, () => 39_999));
  const update = byView(set.takeUpdates());
  const rows = allRows(set, 'merged');
  assert.equal(rows.length, 3_000 + 20 + 10 + ORDER_LIMITS.reorderRows + 10 + 3);
  assert.ok(inTimeOrder(rows), 'merged rows are in time order');
  assert.equal(rowKey(rows[0]!), 'c:1');
  assert.equal(rowKey(rows.at(-1)!), `a:${3_000 + ORDER_LIMITS.reorderRows + 10}`);
  // One source's pane keeps its arrival order.
  assert.deepEqual(update['source:b']!.window.rows.map(rowKey).slice(-3), ['b:21', 'b:22', 'b:23']);
});

test('ties go by source, then seq; an event stays together, placed by its first line', () => {
  const set = setup([{ id: 'merged', sources: null }]);
  set.ingest('b', [{ seq: 1, ts: 10, text: 'ERROR b' }, { seq: 2, ts: 10, text: '\tat x', cont: true }]);
  set.ingest('a', [{ seq: 5, ts: 10, text: 'a5' }, { seq: 7, ts: 10, text: 'a7' }]);
  set.takeUpdates();
  set.ingest('c', [{ seq: 1, ts: 9, text: 'c1 late' }]);
  const rows = byView(set.takeUpdates()).merged!.window.rows;
  assert.deepEqual(rows.map((row) => [rowKey(row), row.kind === 'line' ? (row.lines ?? 1) : 0]), [
    ['c:1', 1],
    ['a:5', 1],
    ['a:7', 1],
    ['b:1', 2],
  ]);
});

test('after a server restart, the backfill of several sources is in time order below the marker; the last row is the newest line', () => {
  const set = setup([{ id: 'merged', sources: null }], 100_000);
  set.ingest('a', lines(1, 100, (seq) => seq));
  set.takeUpdates();
  set.reset('server restarted', 1_000_000);
  // Each source's backfill comes whole, one after the other, as the server sends them.
  set.ingest('a', lines(1, 8_000, (seq) => 1_000 + seq * 2));
  set.flush();
  set.ingest('b', lines(1, 8_000, (seq) => 1_001 + seq * 2));
  set.flush();
  set.ingest('c', lines(1, 10, (seq) => 500 + seq));
  const rows = allRows(set, 'merged');
  assert.equal(rows[0]!.kind, 'marker');
  assert.ok(inTimeOrder(rows.slice(1)));
  assert.equal(rowKey(rows.at(-1)!), 'b:8000');
  assert.equal(rows.length, 1 + 16_010);
});

test('older lines read from disk for one pane reach every pane of that source', () => {
  const set = setup([{ id: 'one', sources: ['a'] }, { id: 'two', sources: ['a'] }, { id: 'merged', sources: null }], 5_000);
  set.ingest('a', lines(101, 10, (seq) => seq * 10));
  set.ingest('b', lines(1, 5, (seq) => 2_000 + seq));
  set.takeUpdates();
  const taken = set.older([{ source: 'a', events: groupPage('a', lines(1, 100, (seq) => seq * 10)) }]);
  assert.equal(taken.get('a'), 100);
  const views = byView(set.takeUpdates());
  for (const id of ['one', 'two']) assert.deepEqual([views[id]!.total, views[id]!.firstIndex], [110, -100], id);
  const merged = allRows(set, 'merged');
  assert.equal(merged.length, 115);
  assert.ok(inTimeOrder(merged));
});

test('the store: arrival order out, per-source counts, merged order by time then source then seq', () => {
  const store = new SourceStore(5);
  const held = (source: string, seq: number, ts: number) => HeldLine.of(source, { seq, ts, text: `${source}${seq}` });
  const events = [held('b', 1, 5), held('a', 1, 5), held('a', 2, 1), held('b', 2, 9), held('a', 3, 7), held('c', 1, 0)];
  for (const event of events) store.add(event);
  assert.equal(events[0]!.gone, true);
  assert.deepEqual([store.held, store.dropped((s) => s === 'b'), store.dropped((s) => s === 'a'), store.holds('b')], [5, 1, 0, true]);
  // a's times go back (a2): a keeps its order, interleaved with the others by its next line's time.
  assert.deepEqual(store.eventsFor(() => true, true).map((e) => e.text), ['c1', 'a1', 'a2', 'a3', 'b2']);
  assert.deepEqual(store.eventsFor((s) => s === 'a', false).map((e) => e.text), ['a1', 'a2', 'a3']);
  assert.ok(byTimeKey(held('a', 9, 5), held('b', 1, 5)) < 0);
  assert.equal(store.room, 0);
});

test('a late line put in its place under a filter leaves the same list and counts as a view built afresh', async () => {
  const set = setup([{ id: 'merged', sources: null }], 5_000);
  set.setFilter({ ...NO_FILTER, query: 'even', mode: 'filter' }, []);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const text = (seq: number) => (seq % 2 === 0 ? `even ${seq}` : `odd ${seq}`);
  set.ingest('a', lines(1, 200, (seq) => seq * 10, text));
  set.takeUpdates();
  set.ingest('b', lines(1, 40, (seq) => 1_500 + seq * 7, text));
  const late = byView(set.takeUpdates()).merged!;
  show(set, [{ id: 'merged', sources: null }, { id: 'fresh', sources: ['a', 'b'] }]);
  const fresh = byView(set.takeUpdates()).fresh!;
  assert.deepEqual([late.total, late.matches], [fresh.total, fresh.matches]);
  assert.deepEqual(allRows(set, 'merged').map(rowKey), allRows(set, 'fresh').map(rowKey));
  assert.ok(inTimeOrder(allRows(set, 'merged')));
});

test('a view lets go of what the store let go, a marker at its top with the lines below it', () => {
  const bound = BUFFER_LIMITS.minLines;
  const set = setup([{ id: 'merged', sources: null }, { id: 'source:a', sources: ['a'] }], bound);
  set.reset('server restarted', 0);
  set.ingest('a', lines(1, bound, (seq) => seq));
  set.takeUpdates();
  set.ingest('b', lines(1, 300, (seq) => bound + seq));
  const views = byView(set.takeUpdates());
  assert.deepEqual([views.merged!.buffered, views.merged!.dropped, rowKey(views.merged!.window.rows[0]!)], [bound, 300, 'a:301']);
  assert.deepEqual([views['source:a']!.buffered, views['source:a']!.dropped], [bound - 300, 300]);
});
