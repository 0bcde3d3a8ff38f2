// Searching the files on disk in a real browser, against a real server and a real file: a word only in lines
// older than the backfill finds nothing held, the page offers to search the files on disk, the matches stream
// into the drawer with the server's summary, and a match clicked shows among its neighbours read from disk. A
// search held up on its way (a proxy passes its first bytes only) is stopped by Cancel: the request is aborted
// and the drawer says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { dashboardFixture } from '../helpers/e2e-fixture';
import { startLoopbackProxy } from '../helpers/loopback-proxy';
import { connectedVia, openDashboard, PAGE_TIMEOUT_MS, screenshot } from '../helpers/dashboard-browser';
import { waitFor } from '../helpers/wait';

const TEST_TIMEOUT_MS = 120_000;
/** Lines in the file at start: the page's backfill (1,000) is the newest of them. */
const FILE_LINES = 5_000;
/** The lines holding the word: every 500th of the first 4,000, none of them in the backfill. */
const NEEDLE_LINES = [100, 600, 1100, 1600, 2100, 2600, 3100, 3600];
/** Markup in a line is text: the drawer must show it, never parse it. */
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><b>bold</b>';
const lineText = (n: number): string => `line ${String(n).padStart(5, '0')} of the big file${NEEDLE_LINES.includes(n) ? ' needle here' : ''}${n === 1100 || n === 600 ? ` ${HOSTILE}` : ''}`;
const fileText = Array.from({ length: FILE_LINES }, (_, i) => lineText(i + 1)).join('\n') + '\n';

const fx = dashboardFixture({ name: 'search', files: { 'big.log': fileText } });

const until = (what: string, check: () => Promise<boolean>, seen?: () => Promise<unknown>, timeout = PAGE_TIMEOUT_MS): Promise<true> =>
  waitFor(async () => (await check()) || null, what, timeout, seen);
const statusText = async (page: Page): Promise<string> => (await page.locator('.lp-search-status').textContent()) ?? '';
const drawnTexts = (page: Page): Promise<string[]> => page.locator('#log-view .row:not(.marker) .text').allTextContents();

async function filterFor(page: Page, query: string): Promise<void> {
  await connectedVia(page);
  await until('the backfill', async () => (await drawnTexts(page)).includes(lineText(FILE_LINES)), () => drawnTexts(page));
  await page.locator('.lp-query').fill(query);
}

test('a word only in old lines: the offer, the matches as they stream, the summary, and a match among its neighbours from disk', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await fx.open(t);
  await filterFor(page, 'needle');
  const offer = page.locator('.lp-search-offer');
  await until('the offer', async () => (await offer.isVisible()) && /^0 matches in the 1,000 lines held — search the files on disk \(\d/.test((await offer.textContent()) ?? ''), () => offer.textContent());

  await offer.click();
  await until('the summary', async () => /^8 matches in .* searched: every line on disk$/.test(await statusText(page)), () => statusText(page));
  assert.equal(await offer.isVisible(), false, 'the offer gives way to the drawer');
  const results = page.locator('.lp-search-result');
  assert.equal(await results.count(), NEEDLE_LINES.length);
  // Newest first, each with its source and time.
  assert.deepEqual(await page.locator('.lp-search-result .lp-search-text').allTextContents(), [...NEEDLE_LINES].reverse().map(lineText));
  assert.deepEqual(new Set(await page.locator('.lp-search-result .lp-search-source').allTextContents()), new Set(['big.log']));
  assert.match((await page.locator('.lp-search-result .lp-search-time').first().textContent()) ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);

  await screenshot(page, 'search-results');
  // Line 600: not held (the pane holds 4,001–5,000): read from disk with 50 lines either side.
  await results.nth(NEEDLE_LINES.length - 2).click();
  const hit = page.locator('.lp-search-context .lp-search-hit');
  await hit.waitFor();
  assert.equal(await hit.locator('.lp-search-text').textContent(), lineText(600));
  const context = await page.locator('.lp-search-context .lp-search-text').allTextContents();
  assert.deepEqual(context, Array.from({ length: 101 }, (_, i) => lineText(550 + i)));
  assert.match(await statusText(page), /^101 lines around the match \(big\.log, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\), read from disk$/);
  assert.equal(await hit.isVisible(), true, 'the match is scrolled into sight');
  assert.equal(await page.locator('.lp-search img, .lp-search b').count(), 0, 'markup in lines stays text');
  assert.notEqual(await page.title(), 'pwned');
  await screenshot(page, 'search-context');

  // Back to the results; another filter is offered above them; Close, and the offer stays.
  await page.getByRole('button', { name: 'Back to results' }).click();
  assert.equal(await results.count(), NEEDLE_LINES.length);
  assert.match(await statusText(page), /^8 matches in /);
  await page.locator('.lp-query').fill('/needle h/');
  await offer.waitFor();
  assert.equal(await results.count(), NEEDLE_LINES.length);
  await page.getByRole('button', { name: 'Close' }).click();
  assert.equal(await page.locator('.lp-search').isVisible(), false);
  assert.equal(await offer.isVisible(), true);
  await screenshot(page, 'search-offer');
  assert.deepEqual(problems, []);
});

test('a match the pane holds is scrolled to and marked there too', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await fx.open(t);
  await filterFor(page, 'of the big file');
  const offer = page.locator('.lp-search-offer');
  await until('the offer', async () => /^1,000 matches in the 1,000 lines held/.test((await offer.textContent()) ?? ''), () => offer.textContent());
  await offer.click();
  // The server stops at the page's limit of matches, newest first: all of them held.
  await until('the summary', async () => /the newest 500 matches; narrow the search/.test(await statusText(page)), () => statusText(page), 20_000);
  await page.locator('.lp-search-result').nth(200).click();
  await until('the status', async () => /also marked in the log$/.test(await statusText(page)), () => statusText(page));
  assert.equal(await page.locator('#log-view .row.marked .text').textContent(), lineText(FILE_LINES - 200));
  assert.deepEqual(problems, []);
});

/** A proxy in front of the server that lets through the first bytes of a search's answer and holds the rest. */
async function holdingSearches(target: string) {
  const searches: { closed: boolean }[] = [];
  const proxy = await startLoopbackProxy(target, {
    answer: (req, res, answer) => {
      if (!req.url?.startsWith('/api/search')) return void answer.pipe(res);
      const search = { closed: false };
      searches.push(search);
      res.on('close', () => (search.closed = true));
      answer.once('data', (chunk: Buffer) => {
        // Up to the end of the first match: the page shows it, then waits.
        res.write(chunk.subarray(0, chunk.indexOf(0x0a) + 1));
        answer.pause();
      });
    },
  });
  return { base: proxy.base, searches, close: () => proxy.close() };
}

test('Cancel aborts a search on its way and says so, keeping what was found', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const proxy = await holdingSearches(fx.tw.url);
  t.after(() => proxy.close());
  const { page, problems } = await openDashboard(fx.browser, { url: fx.tw.url, token: 'e'.repeat(32) }, t, { base: proxy.base, transport: 'sse' });
  await filterFor(page, '/needle|nothing/');
  const offer = page.locator('.lp-search-offer');
  await offer.waitFor();
  await offer.click();
  await until('the first match', async () => (await page.locator('.lp-search-result').count()) === 1, () => statusText(page));
  assert.match(await statusText(page), /^Searching the files on disk for \/needle\|nothing\/… 1 match so far$/);
  const cancel = page.getByRole('button', { name: 'Cancel' });
  assert.equal(await cancel.isVisible(), true);
  await cancel.click();
  await until('cancelled', async () => (await statusText(page)) === 'Search cancelled: 1 match found before it stopped', () => statusText(page));
  assert.equal(await cancel.isVisible(), false);
  await until('the request aborted', async () => proxy.searches.length === 1 && proxy.searches[0]!.closed, () => Promise.resolve(proxy.searches));
  assert.equal(await page.locator('.lp-search-result').count(), 1);
  assert.deepEqual(problems, []);
});

test('a refused query is said in words', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await fx.open(t);
  await filterFor(page, '/(a+)+/');
  const offer = page.locator('.lp-search-offer');
  await offer.waitFor();
  await offer.click();
  await until('the refusal', async () => /^The search failed: the search was refused: .+/.test(await statusText(page)), () => statusText(page));
  assert.equal(await page.locator('.lp-search[data-search="error"]').count(), 1);
  // Chromium logs every answer of 400 itself; nothing else went wrong.
  assert.deepEqual(problems, ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
});
