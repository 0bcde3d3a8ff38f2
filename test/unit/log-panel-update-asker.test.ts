import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UPDATE_ASKER_DEFAULTS, UpdateAsker } from '../../renderer/log-panel/update-asker';
import { OptionError } from '../../renderer/services/options';
import { waitFor } from '../helpers/wait';

test('the page asks for the next update at once, then no sooner than minUpdateIntervalMs after the last ask', async () => {
  assert.equal(UPDATE_ASKER_DEFAULTS.minUpdateIntervalMs, 50);
  const asks: number[] = [];
  // Each ask is stamped with the clock reading the asker decided on, not a later one: on a loaded machine the
  // process can be paused between the two, which says nothing about the pacing.
  let decidedAt = 0;
  const clock = () => (decidedAt = performance.now());
  const asker = new UpdateAsker(() => asks.push(decidedAt), { minUpdateIntervalMs: 40 }, clock);
  asker.drew();
  assert.equal(asks.length, 1, 'the first ask goes out at once');
  // Updates drawn meanwhile make one ask, when the interval is over.
  asker.drew();
  asker.drew();
  assert.equal(asks.length, 1);
  await waitFor(() => asks.length === 2, 'the second ask');
  assert.ok(asks[1]! - asks[0]! >= 40, `${asks[1]! - asks[0]!} ms apart`);
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(asks.length, 2, 'no update drawn, no ask');
});

test('0 asks after every drawn update; a bad interval is refused at construction, naming it', () => {
  let asks = 0;
  const asker = new UpdateAsker(() => asks++, { minUpdateIntervalMs: 0 });
  asker.drew();
  asker.drew();
  assert.equal(asks, 2);
  assert.throws(
    () => new UpdateAsker(() => {}, { minUpdateIntervalMs: -5 }),
    (error: unknown) => error instanceof OptionError && error.message === 'LogPanel: option minUpdateIntervalMs must be a number of at least 0, got -5',
  );
});
