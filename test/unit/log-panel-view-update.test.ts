import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ViewUpdate } from '../../renderer/worker-channel/worker-protocol';
import { canLoadOlder, isTopSlot, slotRange } from '../../renderer/log-panel/view-update';

const update = (extra: Partial<ViewUpdate> = {}): ViewUpdate => ({
  view: 'v',
  generation: 1,
  firstIndex: -1_000,
  total: 1_500,
  buffered: 1_500,
  dropped: 0,
  matches: 0,
  highlightCounts: [],
  window: { first: -1_000, rows: [] },
  ...extra,
});

test('the slot above the oldest row is there for a dropped count or older lines from disk, and only then', () => {
  assert.deepEqual(slotRange(update()), { lo: -1_000, hi: 500 });
  assert.equal(isTopSlot(update(), -1_001), false);
  for (const extra of [{ dropped: 3 }, { history: { loading: true, start: false } }, { history: { loading: false, start: true } }]) {
    assert.deepEqual(slotRange(update(extra)), { lo: -1_001, hi: 500 });
    assert.equal(isTopSlot(update(extra), -1_001), true);
  }
});

test('older lines are asked for unless some are on their way, the start is reached, or a failure is being shown', () => {
  assert.equal(canLoadOlder(update()), true);
  assert.equal(canLoadOlder(update({ history: { loading: true, start: false } })), false);
  assert.equal(canLoadOlder(update({ history: { loading: false, start: true } })), false);
  assert.equal(canLoadOlder(update({ history: { loading: false, start: false, note: 'older lines are no longer on disk' } })), false);
});
