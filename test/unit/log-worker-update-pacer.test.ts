import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UPDATE_PACER_DEFAULTS, UpdatePacer } from '../../renderer/log-worker/update-pacer';
import { OptionError } from '../../renderer/services/options';
import { waitFor } from '../helpers/wait';

test('changes within coalesceMs go out as one update, and the next waits for the page\'s frame', async () => {
  assert.equal(UPDATE_PACER_DEFAULTS.coalesceMs, 0);
  let sent = 0;
  const pacer = new UpdatePacer(() => (sent++, true), { coalesceMs: 30 });
  const started = performance.now();
  pacer.changed();
  pacer.changed();
  await new Promise((resolve) => setTimeout(resolve, 10));
  pacer.changed();
  assert.equal(sent, 0, 'nothing before coalesceMs');
  await waitFor(() => sent === 1, 'the first update');
  assert.ok(performance.now() - started >= 29);
  pacer.changed();
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(sent, 1, 'one update in flight: none before the page drew it');
  pacer.frame();
  await waitFor(() => sent === 2, 'the update after the frame');
});

test('a frame with nothing changed sends nothing, and the page stays ready for the next change', async () => {
  let changes = 0;
  let sent = 0;
  const pacer = new UpdatePacer(() => (changes > 0 ? (sent++, (changes = 0), true) : false), { coalesceMs: 1 });
  pacer.frame();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(sent, 0);
  changes++;
  pacer.changed();
  await waitFor(() => sent === 1, 'the update');
  assert.throws(() => new UpdatePacer(() => true, { coalesceMs: Number.POSITIVE_INFINITY }), OptionError);
});
