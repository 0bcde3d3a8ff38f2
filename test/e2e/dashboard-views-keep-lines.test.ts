// Views that never lose a line, in a real browser against a real server and real files: the testers' round
// trip (merged → side by side → merged) keeps every line of every source and claims no dropped ones; side by
// side puts the busiest source in a pane and lets each pane pick any source (remembered across a reload); a
// merged view of two sources whose times interleave is in time order, a late line in its place; older lines
// read from disk in one pane are there in another pane of that source; after a server restart the view is
// in time order again and its bottom row is the newest line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTailwatch } from '../../main/app/start-tailwatch';
import { makeConfig } from '../../main/app/options';
import { dashboardFixture, type TestHooks } from '../helpers/e2e-fixture';
import { connectedVia, PAGE_TIMEOUT_MS, screenshot } from '../helpers/dashboard-browser';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const TEST_TIMEOUT_MS = 120_000;
/** Lines each file sends the page at start (the server's --backfill here). */
const BACKFILL = 100;
/** Lines written before the server starts: the quiet ones below the backfill, history's above it. */
const QUIET: Record<string, number> = { 'alpha.log': 90, 'beta.log': 60, 'gamma.log': 40, 'delta.log': 20, 'zeta.log': 10 };
const HISTORY_LINES = 400;
/** Ticks of east and west together: few enough to be drawn at once. */
const TICKS = 20;
/** Files of the restart test, and the lines of each the page asks for (its backfill): 25,000 in all, more than one batch of the worker. */
const RESTART_FILES = 25;
const BACKFILL_PAGE = 1_000;
const T0 = Date.parse('2026-11-21T09:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
/** East ticks on even seconds, west on odd ones: merged, their ticks count up. */
const ticks = (from: number, to: number, parity: 0 | 1): string =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)
    .filter((n) => n % 2 === parity)
    .map((n) => `${at(n)} INFO tick ${String(n).padStart(3, '0')}\n`)
    .join('');
const numbered = (name: string, from: number, to: number): string =>
  Array.from({ length: to - from + 1 }, (_, i) => `${name}-line ${from + i}\n`).join('');

const fx = dashboardFixture({
  name: 'views-keep-lines',
  files: {
    ...Object.fromEntries(Object.entries(QUIET).map(([name, count]) => [name, numbered(name.replace('.log', ''), 1, count)])),
    'history.log': numbered('history', 1, HISTORY_LINES),
    'east.log': ticks(0, TICKS - 1, 0),
    'west.log': ticks(0, TICKS - 1, 1),
  },
  config: () => ({ backfill: BACKFILL }),
  open: { viewport: { width: 1920, height: 1080 } },
});

const until = (what: string, check: () => Promise<boolean>, seen?: () => Promise<unknown>, timeout = PAGE_TIMEOUT_MS): Promise<true> =>
  waitFor(async () => (await check()) || null, what, timeout, seen);
const drawnTexts = (page: Page, scope = '#log-view'): Promise<string[]> => page.locator(`${scope} .row:not(.marker) .text`).allTextContents();
const sourceItem = (page: Page, name: string) => page.locator('#source-list .source-item', { has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) });
const idOf = async (page: Page, name: string): Promise<string> => (await sourceItem(page, name).getAttribute('data-source'))!;
const paneIds = async (page: Page): Promise<string[]> =>
  (await page.locator('[data-view^="source:"]').evaluateAll((panes) => panes.map((pane) => (pane as unknown as { dataset: { view: string } }).dataset.view))).map((view) => view.slice('source:'.length));
const lines = (count: number): string => `${count.toLocaleString()} ${count === 1 ? 'line' : 'lines'}`;
const headerCount = async (page: Page, id: string): Promise<string> => (await page.locator(`[data-view="source:${id}"] .lp-pane-count`).textContent()) ?? '';

async function open(t: TestHooks): Promise<Page> {
  const { page, problems } = await fx.open(t);
  t.after(async () => assert.deepEqual(problems, []));
  await connectedVia(page);
  await sourceItem(page, 'west.log').waitFor();
  return page;
}

/** Waits until the filter counts `count` matches of `query` in the merged view (every line of one source here). */
async function untilMatches(page: Page, query: string, count: number): Promise<void> {
  await page.locator('.lp-query').fill(query);
  const shown = async () => (await page.locator('.lp-count').textContent()) ?? '';
  await until(`${count} matches of "${query}"`, async () => (await shown()) === `${count.toLocaleString()} matches`, shown);
}

test('merged → side by side → merged keeps every line of every source; the busiest gets a pane; a pane picks any source, remembered', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const page = await open(t);
  const ids: Record<string, string> = {};
  for (const name of [...Object.keys(QUIET), 'history.log', 'east.log', 'west.log']) ids[name] = await idOf(page, name);
  const held: Record<string, number> = { ...QUIET, 'history.log': BACKFILL, 'east.log': TICKS / 2, 'west.log': TICKS / 2 };

  // zeta.log (last by name) becomes the busiest: lines every 100 ms until the sidebar shows its rate.
  let written = 0;
  let writing = true;
  const writer = (async () => {
    while (writing) {
      await appendFile(fx.path('zeta.log'), numbered('zeta', QUIET['zeta.log']! + written + 1, QUIET['zeta.log']! + written + 5));
      written += 5;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  t.after(async () => {
    writing = false;
    await writer;
  });
  // The first second's reading of every file counts as a rate too: wait until only zeta.log has one.
  const rated = async () => (await page.locator('#source-list .source-item .detail').allTextContents()).filter((detail) => detail.includes('/s')).length;
  await until('zeta.log alone to show a rate', async () => ((await sourceItem(page, 'zeta.log').locator('.detail').textContent()) ?? '').includes('/s') && (await rated()) === 1, rated, 15_000);

  await page.locator('button[title^="Side by side"]').click();
  await page.locator('[data-view^="source:"]').first().waitFor();
  writing = false;
  await writer;
  held['zeta.log'] = QUIET['zeta.log']! + written;
  const panes = await paneIds(page);
  assert.ok(panes.length >= 2 && panes.length <= 4, `${panes.length} panes`);
  assert.equal(panes[0], ids['zeta.log'], 'the busiest source has the first pane');
  const nameOf = (id: string) => Object.keys(ids).find((name) => ids[name] === id)!;
  for (const id of panes) {
    await until(`${nameOf(id)}'s pane to hold all its lines`, async () => (await headerCount(page, id)) === lines(held[nameOf(id)]!), () => headerCount(page, id));
  }
  await screenshot(page, 'views-side-by-side-1920');

  // Back to merged: every line of every source, the ones that had no pane included, and no dropped lines claimed.
  await page.locator('button[title^="One pane"]').click();
  await page.locator('[data-view="merged"]').waitFor();
  for (const [name, count] of Object.entries(held)) {
    // East and west share their words: their lines are counted together.
    if (name === 'west.log') continue;
    const query = name === 'east.log' ? 'INFO tick' : `${name.replace('.log', '')}-line`;
    const expected = name === 'east.log' ? held['east.log']! + held['west.log']! : count;
    await untilMatches(page, query, expected);
  }
  await page.locator('.lp-query').fill('');
  await until('the merged view drawn', async () => (await drawnTexts(page)).length > 0);
  assert.equal(await page.locator('#log-view .marker-dropped').count(), 0, 'no "older lines dropped" marker');

  // Side by side again: the last pane picks a source that has none; its lines are all there.
  await page.locator('button[title^="Side by side"]').click();
  await page.locator('[data-view^="source:"]').first().waitFor();
  const before = await paneIds(page);
  const unpaned = Object.values(ids).find((id) => !before.includes(id))!;
  await page.locator(`[data-view="source:${before.at(-1)}"] .lp-pane-pick`).selectOption(unpaned);
  await page.locator(`[data-view="source:${unpaned}"]`).waitFor();
  const picked = [...before.slice(0, -1), unpaned];
  assert.deepEqual(await paneIds(page), picked);
  await until('the picked pane to hold all its lines', async () => (await headerCount(page, unpaned)) === lines(held[nameOf(unpaned)]!), () => headerCount(page, unpaned));
  assert.equal(await page.locator('[data-view^="source:"] .marker-dropped').count(), 0);

  // Remembered: a reload shows the same panes.
  await page.reload();
  await connectedVia(page);
  await page.locator(`[data-view="source:${unpaned}"]`).waitFor();
  assert.deepEqual(await paneIds(page), picked);
});

test('a merged view of two sources whose times interleave is in time order, a late line in its place', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const page = await open(t);
  await page.locator('.lp-query').fill('tick');
  const expected = Array.from({ length: TICKS }, (_, n) => `tick ${String(n).padStart(3, '0')}`);
  const ticksDrawn = async () => (await drawnTexts(page)).map((text) => text.slice(text.indexOf('tick')));
  await until('both files, merged by time', async () => (await ticksDrawn()).join() === expected.join(), ticksDrawn);
  // Live lines: west's comes after east's but its time is earlier.
  await appendFile(fx.path('east.log'), `${at(24)} INFO tick 024\n`);
  await until('east’s new line', async () => (await ticksDrawn()).at(-1) === 'tick 024', ticksDrawn);
  await appendFile(fx.path('west.log'), `${at(21)} INFO tick 021\n`);
  await until('west’s late line in its place', async () => (await ticksDrawn()).slice(-3).join() === 'tick 019,tick 021,tick 024', ticksDrawn);
});

test('older lines read from disk in one pane are there in every later pane of that source, after it is gone', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const page = await open(t);
  const id = await idOf(page, 'history.log');
  await page.locator('button[title^="Side by side"]').click();
  await page.locator('[data-view^="source:"]').first().waitFor();
  const panes = await paneIds(page);
  const last = panes.at(-1)!;
  if (!panes.includes(id)) await page.locator(`[data-view="source:${last}"] .lp-pane-pick`).selectOption(id);
  const pane = `[data-view="source:${id}"]`;
  await page.locator(pane).waitFor();
  await until('the backfill in its pane', async () => (await headerCount(page, id)) === lines(BACKFILL), () => headerCount(page, id));

  // g at the pane's top reads older lines, page after page, to the start of the file.
  await page.locator(`${pane} .lp-viewport`).click();
  const start = page.locator(`${pane} .marker-start`);
  for (let i = 0; i < 20 && (await start.count()) === 0; i++) {
    await page.locator('body').press('g');
    await until('older lines loaded', async () => (await page.locator(`${pane} .marker-loading`).count()) === 0);
  }
  await start.waitFor();
  await until('the file’s first line at the pane’s top', async () => (await drawnTexts(page, pane))[0] === 'history-line 1', () => drawnTexts(page, pane));

  // The pane shows another source now: history.log has no view at all for a moment.
  const shownNow = await paneIds(page);
  const all = await page.locator('#source-list .source-item').evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { source: string } }).dataset.source));
  const other = all.find((candidate) => !shownNow.includes(candidate))!;
  await page.locator(`${pane} .lp-pane-pick`).selectOption(other);
  await page.locator(`[data-view="source:${other}"]`).waitFor();
  assert.equal(await page.locator(pane).count(), 0);

  // Merged again: the whole file is there, read from disk once.
  await page.locator('button[title^="One pane"]').click();
  await page.locator('[data-view="merged"]').waitFor();
  await untilMatches(page, 'history-line', HISTORY_LINES);
  await page.locator('#log-view').click();
  const top = async () => {
    await page.locator('body').press('g');
    return (await drawnTexts(page))[0] === 'history-line 1';
  };
  await until('the file’s first line at the top', top, () => drawnTexts(page));
});

test('after a server restart the backfill of every source is in time order below the marker; G shows the newest line last', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // A server of its own: it is stopped and started again on the same port.
  const dir = await tempDir('tailwatch-e2e-restart-order-');
  t.after(() => dir.remove());
  const files = Array.from({ length: RESTART_FILES }, (_, k) => join(dir.path, `f${String(k).padStart(2, '0')}.log`));
  for (const file of files) await writeFile(file, `${at(0)} INFO before the restart\n`);
  const config = { port: 0, file: files, token: 'r'.repeat(32) };
  let server = await startTailwatch(makeConfig(config));
  const port = server.port;
  t.after(() => server.close());
  const context = await fx.browser.newContext({ viewport: { width: 1366, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${server.url}?token=${server.token}`);
  await connectedVia(page);
  await until('the first run', async () => (await drawnTexts(page)).length === RESTART_FILES, () => drawnTexts(page));

  await server.close();
  await page.locator('#status:is([data-status="reconnecting"], [data-status="offline"])').waitFor({ timeout: 15_000 });
  // The new run's backfill comes file after file, more lines than one batch of the page's worker
  // (INGEST_LIMITS.maxPendingLines), and every file's times interleave with every other's.
  const stamp = (second: number) => String(second).padStart(6, '0');
  for (const [k, file] of files.entries()) {
    await appendFile(file, Array.from({ length: BACKFILL_PAGE }, (_, j) => `${at(k + RESTART_FILES * j)} INFO f${k} ${stamp(k + RESTART_FILES * j)}\n`).join(''));
  }
  const newest = RESTART_FILES * BACKFILL_PAGE - 1;
  server = await startTailwatch(makeConfig({ ...config, port }));
  await connectedVia(page, 15_000);
  await page.locator('#log-view').click();
  await page.locator('body').press('Shift+G');
  const seconds = async () => (await drawnTexts(page)).filter((text) => !text.includes('before')).map((text) => Number(text.slice(-6)));
  await until('the newest line at the bottom', async () => (await seconds()).at(-1) === newest, seconds, 20_000);
  const drawn = await seconds();
  assert.deepEqual(drawn, drawn.map((_, i) => newest - drawn.length + 1 + i), 'the rows drawn are the newest, in time order');
  // In the middle too: ten lines of ten files, one second apart.
  await page.locator('.lp-query').fill(` ${stamp(12_340).slice(0, 5)}`);
  await until('lines of several files in time order', async () => (await seconds()).join() === Array.from({ length: 10 }, (_, i) => 12_340 + i).join(), seconds);
  // The restart's marker is at the top, above the new run's lines (older ones read from disk may go above it).
  await page.locator('.lp-query').fill('');
  await page.locator('#log-view').click();
  const top = async () => {
    await page.locator('body').press('g');
    const rows = await page.locator('#log-view .row').evaluateAll((items) => items.map((item) => `${(item as unknown as { className: string }).className} ${(item as unknown as { textContent: string }).textContent}`));
    const marker = rows.findIndex((row) => row.includes('marker-reset'));
    const firstNew = rows.findIndex((row) => / f\d+ \d{6}/.test(row));
    return marker >= 0 && (firstNew === -1 || marker < firstNew);
  };
  await until('the restart marker above the new run', top);
});
