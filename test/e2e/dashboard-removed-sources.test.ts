// A deleted file keeps its name in a real browser, against a real server and a real folder: after it is
// removed (and after a reload) its lines show its name, the Sources menu and the sidebar list it marked
// removed, it can be hidden and shown, the log-rate legend names it; it leaves the page once its lines do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { dashboardFixture } from '../helpers/e2e-fixture';
import { connectedVia, untilInPage } from '../helpers/dashboard-browser';
import { waitFor } from '../helpers/wait';

const TEST_TIMEOUT_MS = 90_000;
/** The smallest buffer a view may keep (SETTINGS_LIMITS.minBufferLines). */
const MIN_BUFFER_LINES = 1_000;

const fx = dashboardFixture({
  name: 'removed-sources',
  follow: 'dir',
  files: {
    'gone.log': '2026-11-21T09:00:00Z INFO gone line one\n2026-11-21T09:00:01Z INFO gone line two\n',
    'stays.log': '2026-11-21T09:00:02Z INFO stays line one\n',
  },
  // A file missing from its --dir is removed after half a second instead of 10 s.
  timings: { logs: { removedAfterMs: 500, safetyTickMs: 100 } },
});

const lineRow = (page: Page, text: string) => page.locator('#log-view .row', { hasText: text });
const menuItem = (page: Page, name: string) => page.locator('.lp-source-list li', { hasText: name });
const sidebarItem = (page: Page, id: string) => page.locator(`#source-list li[data-source="${id}"]`);

/** Deletes gone.log (after a live line, so it has a rate in the charts) and waits until the server removed it. */
async function deleteGone(): Promise<string> {
  const id = sourceIdOf(fx.path('gone.log'));
  await appendFile(fx.path('gone.log'), '2026-11-21T09:00:03Z INFO gone line three\n');
  await waitFor(() => fx.tw.sources().find((s) => s.id === id)?.lines === 3 || undefined, 'the live line of gone.log');
  await rm(fx.path('gone.log'));
  await waitFor(() => !fx.tw.sources().some((s) => s.id === id) || undefined, 'gone.log to be removed');
  return id;
}

test('a deleted file: after a reload its lines show its name, and it is listed removed, can be hidden, and leaves with its lines', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const key = `tailwatch.settings@${new URL(fx.tw.url).origin}`;
  const { page, problems } = await fx.open(t, {
    intercept: (context) => context.addInitScript(`localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify({ bufferLines: MIN_BUFFER_LINES }))})`),
  });
  await connectedVia(page);
  await lineRow(page, 'gone line one').waitFor();
  const id = await deleteGone();

  // The page that saw it go marks it removed and keeps it.
  await sidebarItem(page, id).and(page.locator('.state-removed')).waitFor();

  await page.reload();
  await connectedVia(page);
  await lineRow(page, 'gone line three').waitFor();
  assert.deepEqual(await lineRow(page, 'gone line').locator('.source').allTextContents(), ['gone.log', 'gone.log', 'gone.log'], 'its lines carry its name, not its id');
  assert.equal(await sidebarItem(page, id).locator('.name').textContent(), 'gone.log');
  assert.equal(await sidebarItem(page, id).locator('.state').textContent(), 'removed');

  await page.locator('button[title^="Sources to show"]').click();
  const item = menuItem(page, 'gone.log');
  assert.equal(await item.locator('.lp-source-state').textContent(), 'removed');
  assert.equal(await menuItem(page, 'stays.log').locator('.lp-source-state').isHidden(), true, 'a followed file is not marked');
  await item.locator('.lp-source-shown input').uncheck();
  await untilInPage(page, `document.querySelectorAll('#log-view .row:not(.marker)').length === 1`);
  assert.equal(await lineRow(page, 'gone line').count(), 0, 'hidden like any source');
  await item.locator('.lp-source-shown input').check();
  await lineRow(page, 'gone line one').waitFor();
  await page.keyboard.press('Escape');

  // The log-rate chart's legend names it too (the metrics history still has its series).
  await page.locator('.chart-logs .chart-legend-item', { hasText: 'gone.log' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('.chart-logs .chart-legend-item', { hasText: id }).count(), 0);

  // Lines of stays.log push every line of gone.log out of the page's 1,000-line buffer: it leaves the page.
  let burst = '';
  for (let i = 1; i <= MIN_BUFFER_LINES; i++) burst += `2026-11-21T09:01:00Z INFO stays burst ${i}\n`;
  await appendFile(fx.path('stays.log'), burst);
  await lineRow(page, `stays burst ${MIN_BUFFER_LINES}`).waitFor();
  await sidebarItem(page, id).waitFor({ state: 'detached' });
  // The metrics history still has its rates: they count in "other", under no bare id.
  await page.locator('.chart-logs .chart-legend-item', { hasText: 'other' }).waitFor();
  assert.equal(await page.locator('.chart-logs .chart-legend-item', { hasText: 'gone.log' }).count(), 0);
  assert.equal(await page.locator('.chart-logs .chart-legend-item', { hasText: id }).count(), 0);
  await page.locator('button[title^="Sources to show"]').click();
  await menuItem(page, 'stays.log').waitFor();
  assert.equal(await menuItem(page, 'gone.log').count(), 0, 'no longer in the Sources menu');
  assert.deepEqual(problems, []);
});
