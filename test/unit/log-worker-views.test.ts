import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../protocol/events';
import { NO_FILTER } from '../../renderer/log-worker/line-filter';
import { BUFFER_LIMITS, INGEST_LIMITS, LogViews } from '../../renderer/log-worker/log-views';
import { WINDOW_LIMITS } from '../../renderer/log-worker/log-view';
import type { Row, ViewUpdate } from '../../renderer/worker-channel/worker-protocol';

const lines = (from: number, count: number, ts: (seq: number) => number = (seq) => seq, text = (seq: number) => `line ${seq}`): LogLine[] =>
  Array.from({ length: count }, (_, i) => ({ seq: from + i, ts: ts(from + i), text: text(from + i) }));
const macrotask = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(views: { id: string; sources: string[] | null }[]): LogViews {
  const set = new LogViews(() => {});
  set.restart(BUFFER_LIMITS.minLines);
  set.setViews(views);
  for (const view of views) set.setWindow(view.id, true, 0, WINDOW_LIMITS.maxRows);
  return set;
}
const byView = (updates: ViewUpdate[]): Record<string, ViewUpdate> => Object.fromEntries(updates.map((u) => [u.view, u]));
const rowText = (row: Row): string => (row.kind === 'line' ? `${row.source}:${row.text}` : `[${row.text}]`);
/** What the "older lines dropped" marker is drawn from, and the oldest row held (the window must start there). */
const pick = (update: ViewUpdate) => ({ buffered: update.buffered, dropped: update.dropped, first: rowText(update.window.rows[0]!) });

test('merged views interleave the sources by time, each keeping its own order; a late line goes in its place', () => {
  const set = setup([{ id: 'all', sources: null }, { id: 'a', sources: ['a'] }, { id: 'ab', sources: ['a', 'b'] }]);
  set.ingest('a', [{ seq: 1, ts: 30, text: 'a1' }, { seq: 2, ts: 10, text: 'a2' }]);
  set.ingest('b', [{ seq: 1, ts: 20, text: 'b1' }, { seq: 2, ts: 10, text: 'b2' }]);
  set.ingest('c', [{ seq: 1, ts: 15, text: 'c1' }]);
  let views = byView(set.takeUpdates());
  // a's and b's clocks go back: their lines are not reordered, only interleaved by their heads' times.
  assert.deepEqual(views.all!.window.rows.map(rowText), ['c:c1', 'b:b1', 'b:b2', 'a:a1', 'a:a2']);
  assert.deepEqual(views.ab!.window.rows.map(rowText), ['b:b1', 'b:b2', 'a:a1', 'a:a2']);
  assert.deepEqual(views.a!.window.rows.map(rowText), ['a:a1', 'a:a2']);

  // Sources whose times rise: a line that comes late goes where its time puts it; the rows before keep their indexes.
  const late = setup([{ id: 'all', sources: null }, { id: 'a', sources: ['a'] }]);
  late.ingest('a', [{ seq: 1, ts: 10, text: 'a1' }, { seq: 2, ts: 30, text: 'a2' }]);
  late.ingest('b', [{ seq: 1, ts: 20, text: 'b1' }]);
  late.takeUpdates();
  late.ingest('b', [{ seq: 2, ts: 25, text: 'b2' }]);
  views = byView(late.takeUpdates());
  assert.deepEqual(views.all!.window.rows.map(rowText), ['a:a1', 'b:b1', 'b:b2', 'a:a2']);
  assert.deepEqual(views.all!.window.rows.map((row) => row.index), [0, 1, 2, 3]);
  assert.equal(views.a, undefined, 'a view nothing happened to is not sent');
});

test('pending lines are flushed when the batch is full and, without any update asked for, after a short while', async () => {
  const set = setup([{ id: 'all', sources: null }]);
  set.ingest('a', [{ seq: 1, ts: 10, text: 'first' }]);
  await macrotask(INGEST_LIMITS.maxPendingMs + 20);
  assert.deepEqual(set.takeUpdates()[0]!.window.rows.map(rowText), ['a:first']);
  set.ingest('b', [{ seq: 1, ts: 5, text: 'older, later' }]);
  assert.deepEqual(set.takeUpdates()[0]!.window.rows.map(rowText), ['b:older, later', 'a:first']);

  set.ingest('a', [...lines(2, INGEST_LIMITS.maxPendingLines, () => 100), { seq: 20_002, ts: 1, text: 'oldest, last' }]);
  const update = set.takeUpdates()[0]!;
  // One source's lines keep their order in a merged view, whatever their times say.
  assert.equal(update.window.rows.at(-1)!.text, 'oldest, last');
  assert.equal(update.buffered, BUFFER_LIMITS.minLines);
});

test('a new view starts with the lines the others hold for its sources; an unchanged one keeps its rows', () => {
  const set = setup([{ id: 'all', sources: null }]);
  set.ingest('a', lines(1, 3, (seq) => seq * 10));
  set.ingest('b', lines(1, 2, (seq) => seq * 10 + 5));
  const before = byView(set.takeUpdates()).all!;
  set.setViews([{ id: 'all', sources: null }, { id: 'b', sources: ['b'] }]);
  set.setWindow('b', true, 0, 10);
  let views = byView(set.takeUpdates());
  assert.equal(views.all, undefined, 'the kept view did not change');
  assert.deepEqual(views.b!.window.rows.map(rowText), ['b:line 1', 'b:line 2']);

  // Merged again from per-source panes: each line once, in time order.
  set.setViews([{ id: 'a', sources: ['a'] }, { id: 'b', sources: ['b'] }]);
  set.setViews([{ id: 'a', sources: ['a'] }, { id: 'b', sources: ['b'] }, { id: 'all', sources: null }]);
  set.setWindow('all', true, 0, 10);
  views = byView(set.takeUpdates());
  assert.deepEqual(views.all!.window.rows.map(rowText), ['a:line 1', 'b:line 1', 'a:line 2', 'b:line 2', 'a:line 3']);
  assert.notEqual(views.all!.generation, before.generation);
  // Sources changed under the same id: a new list.
  set.setViews([{ id: 'a', sources: ['a', 'b'] }]);
  set.setWindow('a', true, 0, 10);
  assert.equal(byView(set.takeUpdates()).a!.total, 5);
});

test('a view made from the lines others hold counts the older lines they no longer hold as dropped, but not cleared ones', () => {
  const bound = BUFFER_LIMITS.minLines;
  const set = setup([{ id: 'all', sources: null }]);
  set.ingest('a', lines(1, bound + 500));
  assert.deepEqual(pick(byView(set.takeUpdates()).all!), { buffered: bound, dropped: 500, first: 'a:line 501' });

  // Split off: the pane of a holds what the merged view held, and says the 500 before went.
  set.setViews([{ id: 'a', sources: ['a'] }, { id: 'b', sources: ['b'] }]);
  set.setWindow('a', false, 0, 1);
  assert.deepEqual(pick(byView(set.takeUpdates()).a!), { buffered: bound, dropped: 500, first: 'a:line 501' });

  // Merged again from two full panes: only the newest `bound` of their 2,000 + 500 lines fit.
  set.ingest('b', lines(1, bound, (seq) => bound + 500 + seq));
  set.takeUpdates();
  set.setViews([{ id: 'all', sources: null }]);
  set.setWindow('all', false, 0, 1);
  assert.deepEqual(pick(byView(set.takeUpdates()).all!), { buffered: bound, dropped: bound + 500, first: 'b:line 1' });

  // Cleared lines are not dropped ones: a pane split off after a clear has no marker.
  set.clear('all');
  set.ingest('a', lines(bound + 501, 3));
  set.takeUpdates();
  set.setViews([{ id: 'a', sources: ['a'] }]);
  set.setWindow('a', false, 0, 1);
  assert.deepEqual(pick(byView(set.takeUpdates()).a!), { buffered: 3, dropped: 0, first: `a:line ${bound + 501}` });
});

test('gap markers go to the views that show the source, or to all; a reset clears every view with one marker', () => {
  const set = setup([{ id: 'all', sources: null }, { id: 'a', sources: ['a'] }, { id: 'b', sources: ['b'] }]);
  set.ingest('a', lines(1, 2));
  set.gap('a', '42 lines of a.log not received (this view fell behind)', 0);
  set.gap(undefined, '7 events not received (disconnected too long to resume)', 0);
  let views = byView(set.takeUpdates());
  assert.deepEqual(views.all!.window.rows.map(rowText), [
    'a:line 1',
    'a:line 2',
    '[42 lines of a.log not received (this view fell behind)]',
    '[7 events not received (disconnected too long to resume)]',
  ]);
  assert.deepEqual(views.b!.window.rows.map(rowText), ['[7 events not received (disconnected too long to resume)]']);

  set.ingest('a', lines(3, 1));
  set.reset('server restarted: earlier lines were cleared', 1234);
  views = byView(set.takeUpdates());
  for (const id of ['all', 'a', 'b']) {
    assert.deepEqual(views[id]!.window.rows, [{ kind: 'marker', index: 0, marker: 'reset', ts: 1234, text: 'server restarted: earlier lines were cleared' }]);
    assert.deepEqual({ buffered: views[id]!.buffered, dropped: views[id]!.dropped }, { buffered: 1, dropped: 0 });
  }
});

test('a new filter rescans in slices between macrotasks; a newer one takes over the rescan', async () => {
  let slices = 0;
  const set = new LogViews(() => slices++);
  set.restart(100_000);
  set.setViews([{ id: 'all', sources: null }, { id: 'a', sources: ['a'] }]);
  set.ingest('a', lines(1, 100_000, (seq) => seq, (seq) => (seq % 3 === 0 ? `fizz ${seq}` : `line ${seq}`)));
  set.takeUpdates();
  set.setFilter({ ...NO_FILTER, query: 'buzz' }, []);
  set.setFilter({ ...NO_FILTER, query: 'fizz' }, []);
  assert.deepEqual(set.takeUpdates(), [], 'views waiting for the rescan are not sent');
  // Lines arriving meanwhile are judged by the newest filter too.
  set.ingest('a', [{ seq: 100_001, ts: 100_001, text: 'fizz last' }]);
  const sent = new Set<string>();
  while (sent.size < 2) {
    for (const update of set.takeUpdates()) sent.add(update.view);
    await macrotask();
  }
  // 200,001 rows in slices of at most rescanSliceRows.
  assert.ok(slices >= Math.ceil(200_001 / INGEST_LIMITS.rescanSliceRows) - 1, `${slices} slices`);
  assert.equal(set.seek('all', 0), 0);
  const exported = set.exportText('a', 0, 1)!;
  assert.deepEqual(exported, { text: 'fizz 3\nfizz 6', lines: 2 });
  assert.equal(set.exportText('all')!.lines, 33_334);
});

test('requests for a view that does not exist say so', () => {
  const set = setup([{ id: 'all', sources: null }]);
  assert.equal(set.seek('nope', 0), undefined);
  assert.equal(set.exportText('nope'), undefined);
  assert.equal(set.clear('nope'), false);
  assert.equal(set.setWindow('nope', true, 0, 1), false);
  assert.equal(set.seek('all', 0), null);
});
