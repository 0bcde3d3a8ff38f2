import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextWindow, slotsToDraw, type PanePlace } from '../../renderer/log-panel/window-policy';
import type { Row, ViewUpdate } from '../../renderer/worker-channel/worker-protocol';

const LIMITS = { domOverscanRows: 6, dataOverscanScreens: 1 };
const following = (screenRows = 20): PanePlace => ({ following: true, anchor: 0, screenRows });
const held = (anchor: number, screenRows = 20): PanePlace => ({ following: false, anchor, screenRows });

/** An update of `total` rows from `firstIndex`, with the rows [first, first + count) at hand. */
function update(firstIndex: number, total: number, window: { first: number; count: number } = { first: firstIndex, count: total }, dropped = 0): ViewUpdate {
  const rows: Row[] = [];
  for (let index = window.first; index < window.first + window.count; index++) rows.push({ kind: 'line', index, source: 'a', seq: index + 1, ts: index, text: `line ${index}` });
  return { view: 'all', generation: 1, firstIndex, total, buffered: total, dropped, matches: 0, highlightCounts: [], window: { first: window.first, rows } };
}

test('following: the last screen and its spare rows, asked once', () => {
  const first = nextWindow(following(), update(0, 1_000), null, LIMITS);
  // 20 on screen, a screen more (dataOverscanScreens) and the drawn overscan.
  assert.deepEqual(first, { follow: true, first: 0, count: 46 });
  assert.equal(nextWindow(following(), update(0, 1_200), first, LIMITS), null, 'new lines need no new request');
  assert.deepEqual(nextWindow(following(30), update(0, 1_200), first, LIMITS), { follow: true, first: 0, count: 66 }, 'a taller viewport asks for more');
  assert.deepEqual(nextWindow(held(500), null, null, LIMITS), { follow: true, first: 0, count: 46 }, 'with no update yet, the end is asked for');
});

test('held: rows around the anchor, asked again only when the rows to draw run past the window held', () => {
  const rows = update(0, 10_000);
  const first = nextWindow(held(5_000), rows, null, LIMITS);
  // A spare screen and the overscan above the anchor, the screen, and the same below.
  assert.deepEqual(first, { follow: false, first: 4_974, count: 72 });
  // While the screen and a slack of 16 rows (overscan + half a spare screen) each way are held, nothing is asked.
  for (const anchor of [4_990, 5_000, 5_009]) assert.equal(nextWindow(held(anchor), rows, first, LIMITS), null, `anchor ${anchor}`);
  assert.deepEqual(nextWindow(held(5_010), rows, first, LIMITS), { follow: false, first: 4_984, count: 72 }, 'scrolled down past the slack');
  assert.deepEqual(nextWindow(held(4_989), rows, first, LIMITS), { follow: false, first: 4_963, count: 72 }, 'scrolled up past the slack');
  assert.deepEqual(nextWindow(held(5_000, 21), rows, first, LIMITS), { follow: false, first: 4_973, count: 75 }, 'another window size asks again');
  assert.deepEqual(nextWindow(held(5_000), rows, { follow: true, first: 0, count: 72 }, LIMITS), first, 'leaving follow asks for the window held');
});

test('held: the window never starts before the oldest row held, and near it asks nothing more', () => {
  const rows = update(3_000, 500);
  const first = nextWindow(held(3_010), rows, null, LIMITS);
  assert.deepEqual(first, { follow: false, first: 3_000, count: 72 });
  assert.equal(nextWindow(held(3_000), rows, first, LIMITS), null);
  // Old rows dropped under a held window: the rows it still needs are held.
  assert.equal(nextWindow(held(3_020), update(3_005, 500), first, LIMITS), null);
});

test('slots to draw: following, up from the end; held, around the anchor as far as rows are at hand', () => {
  const scroll = { pendingPx: 0, minHeight: 18 };
  assert.deepEqual(slotsToDraw(following(20), scroll, update(0, 1_000, { first: 900, count: 100 }), 0, 1_000, LIMITS), { first: 974, last: 999 });
  assert.deepEqual(slotsToDraw(held(500), scroll, update(0, 1_000, { first: 480, count: 40 }), 0, 1_000, LIMITS), { first: 494, last: 519 }, 'cut at the last row at hand');
  assert.equal(slotsToDraw(held(700), scroll, update(0, 1_000, { first: 480, count: 40 }), 0, 1_000, LIMITS), null, 'the anchor row is not at hand yet');
});

test('slots to draw: a pending scroll draws the rows it crosses; near the end, enough above to fill the screen', () => {
  const rows = update(0, 1_000);
  assert.deepEqual(slotsToDraw(held(500), { pendingPx: 180, minHeight: 18 }, rows, 0, 1_000, LIMITS), { first: 494, last: 536 }, '10 rows further down');
  assert.deepEqual(slotsToDraw(held(500), { pendingPx: -180, minHeight: 18 }, rows, 0, 1_000, LIMITS), { first: 484, last: 526 }, '10 rows further up');
  assert.deepEqual(slotsToDraw(held(500), { pendingPx: 1e6, minHeight: 18 }, rows, 0, 1_000, LIMITS), { first: 494, last: 566 }, 'at most two screens more');
  assert.deepEqual(slotsToDraw(held(995), { pendingPx: 0, minHeight: 18 }, rows, 0, 1_000, LIMITS), { first: 974, last: 999 });
});

test('slots to draw: the "older lines dropped" marker slot above the oldest row is drawable', () => {
  const rows = update(100, 50, { first: 100, count: 50 }, 100);
  assert.deepEqual(slotsToDraw(held(99), { pendingPx: 0, minHeight: 18 }, rows, 99, 150, LIMITS), { first: 99, last: 125 });
});
