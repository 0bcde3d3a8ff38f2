// Which panes side by side shows: the busiest shown sources (panes shown stay put), the user's pick when
// there is one, as many as the width keeps readable; a pane's picker swaps two panes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceInfo } from '../../protocol/events';
import { paneSourceIds, paneSpecs, panesThatFit, pickedPanes } from '../../renderer/log-panel/pane-layout';
import { LOG_PANEL_LIMITS } from '../../renderer/log-panel/panel-limits';
import type { PaneSettings } from '../../renderer/log-panel/pane-layout';
import { SourceDirectory } from '../../renderer/services/source-directory';

const info = (id: string, extra: Partial<SourceInfo> = {}): SourceInfo => ({
  id, path: `/logs/${id}.log`, name: `${id}.log`, state: 'live', size: 0, lines: 0, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0, ...extra,
});
const DEFAULT_SETTINGS: PaneSettings = { logLayout: 'merged', paneSources: [], filter: { hiddenSources: [] } };
const split = (extra: Partial<PaneSettings> = {}): PaneSettings => ({ ...DEFAULT_SETTINGS, logLayout: 'per-source', ...extra });

function directory(): SourceDirectory {
  const sources = new SourceDirectory();
  sources.replaceAll([
    info('a', { lines: 900, linesPerSec: 1 }),
    info('b', { lines: 10 }),
    info('c', { lines: 500 }),
    info('d', { lines: 5, linesPerSec: 0 }),
    info('e', { lines: 50, linesPerSec: 200 }),
    info('gone', { lines: 10_000, linesPerSec: 500, state: 'removed' }),
  ]);
  return sources;
}

test('the busiest shown sources get the panes: lines per second, then lines read, then name', () => {
  const sources = directory();
  assert.deepEqual(paneSourceIds(split(), sources), ['e', 'a', 'c', 'b']);
  // A hidden source gets none; the width decides how many.
  assert.deepEqual(paneSourceIds(split({ filter: { hiddenSources: ['a'] } }), sources, [], 2), ['e', 'c']);
});

test('panes shown stay while rates change; new room goes to the busiest', () => {
  const sources = directory();
  sources.updateRates([{ source: 'd', lines: 5_000, linesPerSec: 9_000, errorsPerSec: 0 }]);
  assert.deepEqual(paneSourceIds(split(), sources, ['b', 'c'], 3), ['b', 'c', 'd']);
});

test("the user's pick wins, and a pane's picker swaps two panes", () => {
  const sources = directory();
  assert.deepEqual(paneSourceIds(split({ paneSources: ['d', 'b'] }), sources), ['d', 'b']);
  assert.deepEqual(pickedPanes(['e', 'a', 'c'], 'c', 'd'), ['e', 'a', 'd']);
  assert.deepEqual(pickedPanes(['e', 'a', 'c'], 'c', 'e'), ['c', 'a', 'e']);
  assert.deepEqual(paneSpecs(split({ paneSources: ['d'] }), sources), [{ id: 'source:d', sources: ['d'] }]);
  assert.deepEqual(paneSpecs({ ...DEFAULT_SETTINGS, logLayout: 'merged' }, sources), [{ id: 'merged', sources: null }]);
});

test('panes keep a readable width: two at 1366 px less the sidebar, four at 1920 px and more', () => {
  assert.equal(panesThatFit(1366 - 240), 2);
  assert.equal(panesThatFit(1920 - 0), LOG_PANEL_LIMITS.maxPanes);
  assert.equal(panesThatFit(300), 1);
  assert.equal(panesThatFit(0), LOG_PANEL_LIMITS.maxPanes, 'unknown (not laid out): the most');
});
