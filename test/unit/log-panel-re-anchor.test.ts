import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reanchor } from '../../renderer/log-panel/re-anchor';
import { ScrollModel } from '../../renderer/log-panel/scroll-model';
import type { Row, ViewUpdate } from '../../renderer/worker-channel/worker-protocol';

/** Generation `generation` of a view: rows [firstIndex, firstIndex + total), row i taken at ts = 10 × i + offset. */
function update(generation: number, firstIndex: number, total: number, tsOffset = 0): ViewUpdate {
  const rows: Row[] = [];
  for (let index = firstIndex; index < firstIndex + total; index++) rows.push({ kind: 'line', index, source: 'a', seq: index, ts: 10 * index + tsOffset, text: '' });
  return { view: 'all', generation, firstIndex, total, buffered: total, dropped: 0, matches: 0, highlightCounts: [], window: { first: firstIndex, rows } };
}

/** A held pane's model at `anchor` over `rows`, and a re-anchor whose seeks the test answers. */
function pane(rows: ViewUpdate, anchor: number) {
  const model = new ScrollModel(18);
  model.setRange(rows.firstIndex, rows.firstIndex + rows.total);
  // A layout that overflows, so the model can hold.
  model.place(rows.firstIndex, new Array<number>(rows.total).fill(18), 100);
  model.hold('scrolled');
  model.jumpTo(anchor);
  const seeks: { ts: number; answer(index: number | null): Promise<void> }[] = [];
  let latest: ViewUpdate | null = rows;
  let changes = 0;
  const reanchor = new Reanchor(model, {
    seek: (ts) =>
      new Promise((resolve) => {
        seeks.push({ ts, answer: async (index) => (resolve(index), await Promise.resolve(), await Promise.resolve()) });
      }),
    latest: () => latest,
    changed: () => changes++,
  });
  return { model, reanchor, seeks, setLatest: (u: ViewUpdate) => (latest = u), changes: () => changes };
}

test('a held pane seeks the time of its anchor row in the renumbered rows and jumps there', async () => {
  const before = update(1, 0, 100);
  const { model, reanchor, seeks, setLatest, changes } = pane(before, 40);
  reanchor.renumbered(before);
  assert.equal(reanchor.seeking, true);
  assert.deepEqual(seeks.map((s) => s.ts), [400]);
  // More rows than before match the new filter: none of them is "new" to the reader.
  setLatest(update(2, 0, 150));
  await seeks[0]!.answer(12);
  assert.equal(reanchor.seeking, false);
  assert.equal(model.anchor, 12);
  assert.equal(model.state, 'scrolled', 'still held');
  assert.equal(model.newLines, 0, 'new lines count from the renumbering');
  assert.equal(changes(), 1);
});

test('a following pane needs no seek', () => {
  const rows = update(1, 0, 100);
  const { model, reanchor, seeks } = pane(rows, 40);
  model.follow();
  reanchor.renumbered(rows);
  assert.equal(reanchor.seeking, false);
  assert.deepEqual(seeks, []);
});

test('renumbered again before the answer: the reader\'s first time is kept, and only the last answer counts', async () => {
  const first = update(1, 0, 100);
  const { model, reanchor, seeks, setLatest } = pane(first, 40);
  reanchor.renumbered(first);
  // The second renumbering's anchor means nothing (the pane drew nothing meanwhile): the time stays 400.
  reanchor.renumbered(update(2, 0, 50, 7));
  assert.deepEqual(seeks.map((s) => s.ts), [400, 400]);
  setLatest(update(3, 0, 60));
  await seeks[0]!.answer(5);
  assert.equal(reanchor.seeking, true, 'a stale answer changes nothing');
  await seeks[1]!.answer(20);
  assert.equal(model.anchor, 20);
});

test('no row for that time, or no anchor row: the pane follows again', async () => {
  const rows = update(1, 0, 100);
  const gone = pane(rows, 40);
  gone.reanchor.renumbered(rows);
  await gone.seeks[0]!.answer(null);
  assert.equal(gone.model.state, 'follow');

  const empty = update(1, 0, 0);
  const nothing = pane(update(1, 0, 100), 40);
  nothing.reanchor.renumbered(empty);
  assert.equal(nothing.model.state, 'follow');
  assert.deepEqual(nothing.seeks, []);
});

test('cancel: an answer still on its way changes nothing', async () => {
  const rows = update(1, 0, 100);
  const { model, reanchor, seeks, changes } = pane(rows, 40);
  reanchor.renumbered(rows);
  reanchor.cancel();
  await seeks[0]!.answer(3);
  assert.equal(model.anchor, 40);
  assert.equal(changes(), 0);
});
