// What peers have that the dashboard lacked (issue 16, item 5), and the charts across a server restart (item
// 6), in a real browser against a real server and real files: the process table, the charts over 24 h from the
// minute tier, a bad regex's reason, the status while paused or zoomed, a sidebar click that shows one
// source, the merged download with each line's source, and expanded JSON with its times and stack traces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTailwatch } from '../../main/app/start-tailwatch';
import { makeConfig } from '../../main/app/options';
import { connectedVia as connectedWithin, inPage, PAGE_TIMEOUT_MS, screenshot, untilInPage } from '../helpers/dashboard-browser';
import { dashboardFixture, type TestHooks } from '../helpers/e2e-fixture';
import { tempDir } from '../helpers/temp-dir';

const TEST_TIMEOUT_MS = 90_000;
/** Process samples come every ~5 s once a client asks, metrics at 1 Hz: give both room on a busy machine. */
const SAMPLES_MS = 30_000;
/** Reconnecting to a restarted server (the client's backoff) may take this long. */
const RECONNECT_MS = 25_000;
/** A first connection on a machine busy with other tests' browsers and servers. */
const CONNECT_MS = 20_000;
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

const fx = dashboardFixture({
  name: 'peers',
  files: { 'app.log': 'app started\napp ready\n', 'jobs.log': 'job queued\njob done\n', 'json.log': '' },
  open: { viewport: LAPTOP },
});
const open = (t: TestHooks, viewport = LAPTOP) => fx.open(t, { viewport });
const connectedVia = (page: Page, timeout = CONNECT_MS): Promise<string | null> => connectedWithin(page, timeout);

const rowTexts = (page: Page): Promise<string[]> => page.locator('#log-view .row:not(.marker) .text').allTextContents();

/** The process table's rows as numbers, top to bottom. */
const processRows = (page: Page): Promise<{ pid: number; cpu: number; rss: number }[]> =>
  inPage(page, `[...document.querySelectorAll('.process-table tbody tr')].map((tr) => ({ pid: Number(tr.dataset.pid), cpu: Number(tr.dataset.cpu), rss: Number(tr.dataset.rss) }))`);

const descending = (values: number[]): boolean => values.every((v, i) => i === 0 || values[i - 1]! >= v);

test('the process table lists the top processes, sorts by a clicked column, fits a phone, and hides with the charts', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  await untilInPage(page, `document.querySelectorAll('.process-table tbody tr').length > 0`, SAMPLES_MS);
  let rows = await processRows(page);
  assert.ok(rows.length <= 10, `bounded: ${rows.length} rows`);
  assert.ok(descending(rows.map((r) => r.cpu)), 'by CPU at first, highest first');
  assert.match((await page.locator('.process-summary').textContent()) ?? '', /^top \d+ of [\d,]+$/);
  assert.ok(rows.some((r) => r.rss > 0), 'memory is read');

  await page.locator('.process-sort[data-key="rss"]').click();
  assert.equal(await page.locator('.process-table th:has(.process-sort[data-key="rss"])').getAttribute('aria-sort'), 'descending');
  rows = await processRows(page);
  assert.ok(descending(rows.map((r) => r.rss)), `by memory, highest first: ${JSON.stringify(rows.map((r) => r.rss))}`);
  await page.locator('.process-sort[data-key="rss"]').click();
  rows = await processRows(page);
  assert.ok(descending(rows.map((r) => -r.rss)), 'a second click turns the order round');

  await page.locator('.process-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'process-table-1366');
  // Hidden with the charts.
  await page.locator('#toggle-charts').click();
  assert.equal(await page.locator('.process-table').isVisible(), false);
  await page.locator('#toggle-charts').click();
  await page.locator('.process-table').waitFor();

  // On a phone the table scrolls in its own box: it is never wider than the charts area.
  await page.setViewportSize(PHONE);
  const widths = await inPage<{ table: number; charts: number; box: number; boxScroll: number }>(
    page,
    `(() => {
      const box = document.querySelector('.process-scroll');
      return { table: document.querySelector('.process-table').getBoundingClientRect().right, charts: document.getElementById('charts').getBoundingClientRect().right, box: box.clientWidth, boxScroll: box.scrollWidth };
    })()`,
  );
  assert.ok(widths.table <= widths.charts + 0.5, `the table ends inside the charts area: ${JSON.stringify(widths)}`);
  assert.ok(widths.table <= PHONE.width + 0.5, `and inside the screen: ${JSON.stringify(widths)}`);
  await page.locator('.process-table').scrollIntoViewIfNeeded();
  await screenshot(page, 'process-table-390');
  assert.deepEqual(problems, []);
});

/** Every chart card's shown span, ms. */
const cardSpans = (page: Page): Promise<number[]> =>
  inPage(page, `[...document.querySelectorAll('.chart-card')].map((card) => Number(card.dataset.rangeEnd) - Number(card.dataset.rangeStart))`);

test('the charts reach back 24 hours from the minute tier, and come back to the 1 s samples within the hour', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  await untilInPage(page, `/^[1-9]\\d*\\//.test(document.getElementById('charts').dataset.rows ?? '')`, SAMPLES_MS);
  for (const [label, minutes, tier] of [['24h', 1440, 'minutes'], ['6h', 360, 'minutes'], ['1h', 60, 'seconds']] as const) {
    await page.locator('.chart-window .tool', { hasText: new RegExp(`^${label}$`) }).click();
    await page.locator('.chart-window .tool[aria-pressed="true"]', { hasText: new RegExp(`^${label}$`) }).waitFor();
    await untilInPage(page, `document.getElementById('charts').dataset.tier === '${tier}'`);
    const spans = await cardSpans(page);
    assert.ok(spans.length === 6 && spans.every((span) => Math.abs(span - minutes * 60_000) <= 2), `every chart shows ${label}: ${spans}`);
  }
  // The minute store has the minute(s) this server has run, from its history and the live samples.
  await untilInPage(page, `/\\/[1-9]\\d*$/.test(document.getElementById('charts').dataset.rows ?? '')`, SAMPLES_MS);
  // Kept across a reload, as the other windows are.
  await page.locator('.chart-window .tool', { hasText: /^24h$/ }).click();
  await screenshot(page, 'charts-24h-1366', 1_000);
  await page.reload();
  await page.locator('.chart-window .tool[aria-pressed="true"]', { hasText: /^24h$/ }).waitFor();
  await untilInPage(page, `document.getElementById('charts').dataset.tier === 'minutes'`);
  await page.locator('.chart-window .tool', { hasText: /^5m$/ }).click();
  assert.deepEqual(problems, []);
});

test('a bad regex says why beside the filter', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page } = await open(t);
  await connectedVia(page);
  await page.locator('.lp-query').fill('/(app/');
  await page.locator('.lp-query').press('Enter');
  await page.locator('.lp-filter.invalid').waitFor();
  assert.equal(await page.locator('.lp-count').textContent(), 'Unterminated group');
  assert.match((await page.locator('.lp-filter').getAttribute('title')) ?? '', /Invalid regular expression/);
  await page.locator('.lp-query').fill('/(app)/');
  await page.locator('.lp-query').press('Enter');
  await page.locator('.lp-filter:not(.invalid)').waitFor();
});

test('the status says paused while paused and charts zoomed while a range is chosen, live otherwise', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page } = await open(t);
  await connectedVia(page);
  const badge = page.locator('#status');
  await page.locator('#status[data-view="live"]').waitFor();
  assert.match((await page.locator('#status-text').textContent()) ?? '', /live$/);
  await page.locator('#log-view').click();
  await page.keyboard.press(' ');
  await page.locator('#status[data-view="paused"]').waitFor();
  assert.match((await page.locator('#status-text').textContent()) ?? '', /paused$/);
  await page.keyboard.press(' ');
  await page.locator('#status[data-view="live"]').waitFor();

  await untilInPage(page, `/^[1-9]\\d*\\//.test(document.getElementById('charts').dataset.rows ?? '')`, SAMPLES_MS);
  const box = await page.locator('.chart-card.chart-cpu canvas').boundingBox();
  assert.ok(box);
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await page.locator('#status[data-view="zoomed"]').waitFor();
  assert.match((await page.locator('#status-text').textContent()) ?? '', /charts zoomed$/);
  await page.locator('.chart-live').click();
  await page.locator('#status[data-view="live"]').waitFor();
  assert.equal(await badge.getAttribute('data-status'), 'connected');
});

test('a click on a source in the sidebar shows only it; a second click shows every source', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  await page.locator('#log-view .row .text', { hasText: 'job done' }).waitFor();
  await page.locator('#log-view .row .text', { hasText: 'app ready' }).waitFor();
  const app = page.locator('#source-list .source-item', { hasText: 'app.log' });
  await app.click();
  await untilInPage(page, `[...document.querySelectorAll('#log-view .row:not(.marker) .text')].every((cell) => cell.textContent.startsWith('app '))`);
  assert.deepEqual((await rowTexts(page)).sort(), ['app ready', 'app started']);
  assert.equal(await page.locator('#source-list .source-item[aria-pressed="true"]', { hasText: 'app.log' }).count(), 1);
  await page.locator('#source-list .source-item', { hasText: 'app.log' }).click();
  await page.locator('#log-view .row .text', { hasText: 'job done' }).waitFor();
  assert.equal((await rowTexts(page)).length, 4);
  assert.equal(await page.locator('#source-list .source-item[aria-pressed="true"]').count(), 0);
  assert.deepEqual(problems, []);
});

test('the download of a merged view puts its source on each line', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page } = await open(t);
  await connectedVia(page);
  await page.locator('#log-view .row .text', { hasText: 'job done' }).waitFor();
  await page.locator('#log-view .row .text', { hasText: 'app ready' }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[title^="Download"]').click()]);
  const lines = (await readFile((await download.path())!, 'utf8')).split('\n');
  assert.deepEqual(
    lines.filter((line) => !line.startsWith('---')).sort(),
    ['app.log | app ready', 'app.log | app started', 'jobs.log | job done', 'jobs.log | job queued'],
  );
});

test('after a server restart the charts keep what they had and carry on with the new run', { timeout: 120_000 }, async (t) => {
  // A server of its own: stopped and started again on the same port.
  const dir = await tempDir('tailwatch-e2e-peers-restart-');
  t.after(() => dir.remove());
  const file = join(dir.path, 'restart.log');
  await writeFile(file, 'before the restart\n');
  const config = { port: 0, file: [file], token: 'z'.repeat(32) };
  let server = await startTailwatch(makeConfig(config));
  const port = server.port;
  t.after(() => server.close());
  const context = await fx.browser.newContext({ viewport: LAPTOP });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${server.url}?token=${server.token}`);
  await connectedVia(page);
  const fineRows = async (): Promise<number> => Number((await inPage<string | undefined>(page, `document.getElementById('charts').dataset.rows`))?.split('/')[0]);
  await untilInPage(page, `Number(document.getElementById('charts').dataset.rows?.split('/')[0]) >= 6`, SAMPLES_MS);
  const before = await fineRows();

  await server.close();
  await page.locator('#status:is([data-status="reconnecting"], [data-status="offline"])').waitFor({ timeout: PAGE_TIMEOUT_MS });
  server = await startTailwatch(makeConfig({ ...config, port }));
  await page.locator('#log-view .marker-reset').waitFor({ timeout: RECONNECT_MS });
  await connectedVia(page, RECONNECT_MS);
  // The new run's samples come after the old ones: the count only grows.
  await untilInPage(page, `Number(document.getElementById('charts').dataset.rows?.split('/')[0]) > ${before}`, SAMPLES_MS);
  assert.ok((await fineRows()) > before);
  assert.equal(await page.locator('.charts-note').isVisible(), false, 'the new run\'s history was read');
});

test('a JSON line leads with its message and chosen keys; expanded, its time fields show their time and its stack trace is lines', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const record = { level: 50, time: 1796623434316, msg: 'payment failed', stack: 'Error: card declined\n    at charge (pay.js:10:5)\n    at main (app.js:3:1)' };
  await appendFile(fx.path('json.log'), `${JSON.stringify(record)}\n`);
  const row = page.locator('#log-view .row', { hasText: 'payment failed' });
  await row.waitFor();
  await row.locator('.json-toggle').click();
  const shown = (await row.locator('pre.json').textContent()) ?? '';
  // The local time with its zone, whatever zone the browser has: the date and time digits and an offset.
  assert.match(shown, /"time": 1796623434316,  \/\/ \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.316 [+-]\d{2}:\d{2}\n/);
  const expected = await inPage<string>(page, `(() => { const d = new Date(1796623434316); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); })()`);
  assert.ok(shown.includes(`// ${expected} `), `the browser's own date of it: ${expected}`);
  assert.ok(shown.includes('"stack": "Error: card declined\n        at charge (pay.js:10:5)\n        at main (app.js:3:1)"'), shown);

  // The row leads with its message; chosen keys come before it as columns.
  assert.equal(await row.locator('.json-lead .json-msg').textContent(), 'payment failed');
  assert.equal(await row.locator('.json-lead .json-col').count(), 0);
  await page.locator('button[title="Columns"]').click();
  await page.locator('.lp-json-keys').fill('level, req.method');
  await page.locator('.lp-json-keys').press('Enter');
  await page.keyboard.press('Escape');
  await untilInPage(page, `document.querySelectorAll('#log-view .json-lead .json-col').length === 2`);
  const lead = page.locator('#log-view .row', { hasText: 'payment failed' }).locator('.json-lead');
  assert.deepEqual(await lead.locator('.json-col').allTextContents(), ['50', '–']);
  assert.deepEqual(await lead.locator('.json-col').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title'))), ['level', 'req.method']);
  // Lead first, then the line itself.
  const order = await inPage<string[]>(page, `[...document.querySelector('#log-view .json-lead').parentElement.children].map((c) => c.className).filter((c) => c === 'json-lead' || c === 'text')`);
  assert.deepEqual(order, ['json-lead', 'text']);
  await screenshot(page, 'log-view-json-lead-1366');
  assert.deepEqual(problems, []);
});

test('on a phone the chart window is one drop-down that reaches 24 h', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t, PHONE);
  await connectedVia(page);
  assert.equal(await page.locator('.chart-window').isVisible(), false, 'the six buttons are folded');
  const select = page.locator('.chart-window-select');
  assert.equal(await select.isVisible(), true);
  await select.selectOption('1440');
  await untilInPage(page, `document.getElementById('charts').dataset.tier === 'minutes'`);
  const spans = await cardSpans(page);
  assert.ok(spans.every((span) => Math.abs(span - 1440 * 60_000) <= 2), `every chart shows 24 h: ${spans}`);
  const box = await select.boundingBox();
  assert.ok(box && box.x + box.width <= PHONE.width, `the drop-down is on screen: ${JSON.stringify(box)}`);
  await screenshot(page, 'charts-24h-390', 1_000);
  await select.selectOption('5');
  await untilInPage(page, `document.getElementById('charts').dataset.tier === 'seconds'`);
  assert.deepEqual(problems, []);
});

test('the status says viewing history while the log is scrolled off its newest line', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await appendFile(fx.path('jobs.log'), `${Array.from({ length: 400 }, (_, i) => `filler ${i}`).join('\n')}\n`);
  const { page } = await open(t);
  await connectedVia(page);
  await page.locator('#log-view .row .text', { hasText: 'filler 399' }).waitFor();
  await page.locator('#status[data-view="live"]').waitFor();
  const view = await page.locator('#log-view').boundingBox();
  assert.ok(view);
  await page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
  await page.mouse.wheel(0, -2_000);
  await page.locator('#status[data-view="history"]').waitFor();
  assert.match((await page.locator('#status-text').textContent()) ?? '', /viewing history$/);
  // The "back to the newest" button follows the tail again.
  await page.locator('#log-view .lp-jump, .lp-jump').first().click();
  await page.locator('#status[data-view="live"]').waitFor();
});
