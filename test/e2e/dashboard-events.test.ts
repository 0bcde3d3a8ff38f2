// Multi-line events in a real browser against a real server following a real file: a Spring/logback error
// with its Java stack trace (and a cause), a Python traceback, and plain lines. Each event is one entry of
// the log view that folds and unfolds by click and by keyboard; the level chips, the text filter and the
// download take it whole. The server marks the lines that continue an event (`cont`); the page groups them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { dashboardFixture, type TestHooks } from '../helpers/e2e-fixture';
import { connectedVia, inPage, PAGE_TIMEOUT_MS, screenshot } from '../helpers/dashboard-browser';
import { waitFor } from '../helpers/wait';

const TEST_TIMEOUT_MS = 90_000;

const fx = dashboardFixture({
  name: 'events',
  files: {
    'app.log': '2026-11-21 10:00:00.000  INFO 4242 --- [           main] c.e.shop.ShopApplication                 : Started ShopApplication in 2.1 seconds\n',
    'other.log': '2026-11-21 10:00:00.500 INFO other: ready\n',
  },
});
const open = (t: TestHooks) => fx.open(t);

/** A Spring/logback ERROR line and its Java stack trace with a cause: one event of 7 lines. */
const springTrace = (tag: string): string[] => [
  `2026-11-21 10:00:01.123 ERROR 4242 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception [${tag}] with root cause`,
  'java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null',
  '\tat com.example.shop.OrderService.place(OrderService.java:42)',
  '\tat com.example.shop.OrderController.post(OrderController.java:17)',
  `Caused by: java.net.SocketTimeoutException: Read timed out after ${tag}`,
  '\tat java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)',
  '\t... 12 more',
];
/** A Python traceback logged by logging.exception: one event of 5 lines. */
const pythonTrace = (tag: string): string[] => [
  `2026-11-21 10:00:03,500 ERROR worker: job ${tag} failed`,
  'Traceback (most recent call last):',
  '  File "/srv/app/jobs.py", line 31, in run',
  '    total = price / count',
  'ZeroDivisionError: division by zero',
];

/** Writes the test's events to app.log in one write, with plain lines around them, and a line of other.log in between in time. */
async function writeEvents(tag: string): Promise<{ spring: string[]; python: string[] }> {
  const spring = springTrace(tag);
  const python = pythonTrace(tag);
  const lines = [
    `2026-11-21 10:00:00.900  INFO 4242 --- [nio-8080-exec-1] c.e.shop.OrderController                 : ${tag} placing order 7`,
    ...spring,
    `2026-11-21 10:00:02.000  INFO 4242 --- [nio-8080-exec-1] c.e.shop.OrderController                 : ${tag} retrying order 7`,
    ...python,
    `2026-11-21 10:00:04.000  INFO 4242 --- [nio-8080-exec-1] c.e.shop.OrderController                 : ${tag} order 7 placed`,
  ];
  await appendFile(fx.path('app.log'), `${lines.join('\n')}\n`);
  await appendFile(fx.path('other.log'), `2026-11-21 10:00:01.500 INFO other: ${tag} heartbeat\n`);
  return { spring, python };
}

/** The entry whose first line holds `text` (lines under an entry's first are not `.text`). */
const entry = (page: Page, text: string): Locator => page.locator('#log-view .row:not(.marker)', { has: page.locator('.text', { hasText: text }) });
/** The lines drawn under an entry's first. */
const linesUnder = (row: Locator): Promise<string[]> => row.locator('.cont-line .cont-text').allTextContents();
/** Rows drawn whose whole text (first line and lines under it) holds `text`. */
const rowsHolding = (page: Page, text: string): Promise<number> =>
  inPage<number>(page, `[...document.querySelectorAll('#log-view .row')].filter((row) => row.textContent.includes(${JSON.stringify(text)})).length`);

const until = (what: string, check: () => Promise<boolean>, seen?: () => Promise<unknown>): Promise<true> =>
  waitFor(async () => (await check()) || null, what, PAGE_TIMEOUT_MS, seen);

async function typeFilter(page: Page, query: string): Promise<void> {
  await page.locator('.lp-query').fill(query);
}

test('a stack trace is one entry: folded to its first line, root cause and "+5 more lines"; unfolded by click, folded and unfolded by keyboard', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const tag = randomUUID().slice(0, 8);
  const { spring, python } = await writeEvents(tag);
  const trace = entry(page, `threw exception [${tag}]`);
  await trace.waitFor();
  await entry(page, `${tag} order 7 placed`).waitFor();

  // One entry each: no frame is a row of its own, and the entry has one time and one level.
  assert.equal(await rowsHolding(page, 'java.lang.NullPointerException'), 0, 'folded, the exception line is not drawn');
  assert.equal(await rowsHolding(page, `Read timed out after ${tag}`), 1, 'the root cause is drawn in the entry');
  assert.equal(await trace.locator('.time').count(), 1);
  assert.equal(await trace.locator('.level').textContent(), 'error');
  const toggle = trace.locator('.fold-toggle');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.deepEqual(await linesUnder(trace), [spring[4]]);
  assert.equal(await trace.locator('.fold-more').textContent(), '+5 more lines');
  const traceback = entry(page, `job ${tag} failed`);
  assert.deepEqual(await linesUnder(traceback), [python[4]]);
  assert.equal(await traceback.locator('.fold-more').textContent(), '+3 more lines');
  await screenshot(page, 'events-folded');

  // Click: every line, in order, under the first; still one row.
  await toggle.click();
  await until('the trace unfolded', async () => (await linesUnder(trace)).length === spring.length - 1, () => linesUnder(trace));
  assert.deepEqual(await linesUnder(trace), spring.slice(1));
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await rowsHolding(page, 'java.lang.NullPointerException'), 1);
  assert.equal(await trace.locator('.fold-more').count(), 0);
  await screenshot(page, 'events-unfolded');

  // Keyboard: Enter on the focused toggle folds; the focus stays on it (the row is drawn anew), Space unfolds.
  await toggle.focus();
  await page.keyboard.press('Enter');
  await until('the trace folded by Enter', async () => (await toggle.getAttribute('aria-expanded')) === 'false');
  assert.deepEqual(await linesUnder(trace), [spring[4]]);
  assert.equal(await inPage<string>(page, 'document.activeElement?.className ?? ""'), 'fold-toggle', 'the focus stays on the toggle');
  await page.keyboard.press(' ');
  await until('the trace unfolded by Space', async () => (await linesUnder(trace)).length === spring.length - 1, () => linesUnder(trace));
  // Unfolding holds the view where it is (as opening JSON does); Space on the toggle did not pause it.
  assert.equal(await page.locator('.lp-jump.paused').count(), 0, 'Space on the toggle does not pause the log');

  // The +N more lines button unfolds too.
  await traceback.locator('.fold-more').click();
  await until('the traceback unfolded', async () => (await linesUnder(traceback)).length === python.length - 1, () => linesUnder(traceback));
  assert.deepEqual(await linesUnder(traceback), python.slice(1));
  assert.deepEqual(problems, []);
});

test('showing only errors shows the trace and the traceback whole, and the download has each event once, whole', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const tag = randomUUID().slice(0, 8);
  const { spring, python } = await writeEvents(tag);
  await entry(page, `${tag} order 7 placed`).waitFor();
  await typeFilter(page, tag);
  // Every chip off but ERR.
  for (const level of ['fatal', 'warn', 'info', 'debug', 'trace', 'none']) {
    const chip = page.locator(`.lp-chip.lvl-${level}`);
    if ((await chip.getAttribute('aria-pressed')) === 'true') await chip.click();
  }
  const firstLines = () => page.locator('#log-view .row:not(.marker) .text').allTextContents();
  await until('only the two error events', async () => (await firstLines()).length === 2, firstLines);
  assert.deepEqual(await firstLines(), [spring[0], python[0]]);
  const trace = entry(page, `threw exception [${tag}]`);
  await trace.locator('.fold-toggle').click();
  await until('the whole trace under its first line', async () => (await linesUnder(trace)).length === spring.length - 1, () => linesUnder(trace));
  assert.deepEqual(await linesUnder(trace), spring.slice(1));

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[title^="Download"]').click()]);
  const text = await readFile((await download.path())!, 'utf8');
  // One source: the lines as the file has them, each event whole, once, in order.
  assert.equal(text, [...spring, ...python].join('\n'));
  assert.match((await page.locator('.lp-toast').textContent()) ?? '', /Downloaded 12 lines\b/);
  assert.deepEqual(problems, []);
});

test('a text filter that matches a Caused by: frame shows the whole event, never the frame alone', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const tag = randomUUID().slice(0, 8);
  const { spring } = await writeEvents(tag);
  await entry(page, `${tag} order 7 placed`).waitFor();
  await typeFilter(page, `timed out after ${tag}`);
  const firstLines = () => page.locator('#log-view .row:not(.marker) .text').allTextContents();
  await until('one entry: the event with the matching frame', async () => (await firstLines()).length === 1, firstLines);
  assert.deepEqual(await firstLines(), [spring[0]]);
  assert.match((await page.locator('.lp-count').textContent()) ?? '', /^1 match$/);
  // Folded, the matching frame is drawn under the first line, marked.
  const trace = entry(page, `threw exception [${tag}]`);
  assert.deepEqual(await linesUnder(trace), [spring[4]]);
  assert.deepEqual(await trace.locator('.cont-line mark.hl-query').allTextContents(), [`timed out after ${tag}`]);
  await screenshot(page, 'events-filtered');
  // Copying the entry copies the event.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(fx.tw.url).origin });
  await trace.locator('.text').click();
  await page.keyboard.press('Control+c');
  const clipboard = () => inPage<string>(page, 'navigator.clipboard.readText()');
  await until('the event on the clipboard', async () => (await clipboard()) === spring.join('\n'), clipboard);
  assert.match((await page.locator('.lp-toast').textContent()) ?? '', /Copied 7 lines\b/);
  assert.deepEqual(problems, []);
});
