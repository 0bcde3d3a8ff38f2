// The dashboard at every size from a 360 px phone to a 1920 px screen, in real Chromium against a real server
// following real files: nothing wider than the window, every top-bar control reachable and working (by tap on
// the phones), the sources drawer, dialogs inside the window, 40 px touch targets, rows that stack their
// columns in a narrow pane. Screenshots at 390, 1366 and 1920 px, light and dark, go to test-output/screenshots/
// to be looked at (nothing asserts on their pixels).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { connectedVia, inPage, PAGE_LOAD_TIMEOUT_MS, PAGE_TIMEOUT_MS, SCREENSHOT_DIR, untilInPage } from '../helpers/dashboard-browser';
import { dashboardFixture, type TestHooks } from '../helpers/e2e-fixture';
import { openDesktopWindow, serveAppOrigin, type AppOrigin } from '../helpers/fake-bridge';
import { waitFor } from '../helpers/wait';
import { assertNoOverflow } from '../helpers/page-overflow';

const TEST_TIMEOUT_MS = 90_000;
/** Apple's and Google's smallest comfortable touch target, rounded. */
const MIN_TOUCH_PX = 40;

const now = Date.now();
const at = (i: number): string => new Date(now - (60 - i) * 1_000).toISOString();
const lines = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => `${line(i)}\n`).join('');

const fx = dashboardFixture({
  name: 'responsive',
  files: {
    'access.log': lines(40, (i) => `10.0.0.${i % 9} - - [${at(i)}] "GET /api/orders/${1000 + i}?expand=items,customer HTTP/1.1" 200 ${512 + i} "-" "Mozilla/5.0 (X11; Linux x86_64)"`),
    'app.log': lines(40, (i) => `${at(i)} ${['INFO', 'WARN', 'ERROR', 'DEBUG'][i % 4]} [worker-${i % 3}] order ${1000 + i} processed in ${(i * 7) % 300} ms for customer c-${i * 13}`),
    'syslog': lines(40, (i) => `${at(i)} host systemd[1]: Started session ${i} of user deploy (a long line that a phone must wrap or scroll).`),
  },
});

interface Size {
  width: number;
  height: number;
  /** A phone: isMobile and hasTouch, and controls are pressed by tap. */
  phone: boolean;
}
const SIZES: readonly Size[] = [
  { width: 360, height: 740, phone: true },
  { width: 390, height: 844, phone: true },
  { width: 768, height: 1024, phone: false },
  { width: 1024, height: 768, phone: false },
  { width: 1366, height: 768, phone: false },
  { width: 1920, height: 1080, phone: false },
  // The 390 px phone on its side.
  { width: 844, height: 390, phone: true },
];
const SCREENSHOT_WIDTHS = new Set([390, 1366, 1920]);

async function openAt(t: TestHooks, size: Size, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; problems: string[] }> {
  const context = await fx.browser.newContext({
    viewport: { width: size.width, height: size.height },
    isMobile: size.phone,
    hasTouch: size.phone,
    colorScheme,
  });
  t.after(() => context.close());
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(new URL(`/?token=${fx.tw.token}`, fx.tw.url).href, { timeout: PAGE_LOAD_TIMEOUT_MS });
  await connectedVia(page);
  // Lines are merged by the time they were read: which file's come last is not known, only that they come.
  await page.locator('#log-view .row .text').first().waitFor();
  await untilInPage(page, `document.querySelectorAll('#source-list .source-item').length === 3`);
  return { page, problems };
}

/** A control can be pressed: shown, inside the window, and the topmost element at its centre. */
async function assertReachable(page: Page, selector: string): Promise<void> {
  const answer = await inPage<string>(
    page,
    `(() => {
      const element = document.querySelector(${JSON.stringify(selector)});
      if (element === null) return 'missing';
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return 'not shown';
      if (box.left < 0 || box.top < 0 || box.right > innerWidth || box.bottom > innerHeight) return 'outside the window: ' + JSON.stringify(box);
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return top !== null && element.contains(top) ? 'ok' : 'covered by ' + (top?.outerHTML.slice(0, 120) ?? 'nothing');
    })()`,
  );
  assert.equal(answer, 'ok', `${selector} cannot be pressed`);
}

async function press(page: Page, size: Size, selector: string): Promise<void> {
  await assertReachable(page, selector);
  if (size.phone) await page.tap(selector);
  else await page.click(selector);
}

/** Header actions are either in the bar or folded into the ⋯ menu: opens the menu when they are folded. */
async function pressAction(page: Page, size: Size, selector: string): Promise<void> {
  if (await page.locator('#open-menu').isVisible()) {
    if (!(await page.locator('#header-actions').isVisible())) {
      await press(page, size, '#open-menu');
      await page.locator('#header-actions').waitFor({ state: 'visible' });
      await assertNoOverflow(page, 'with the menu open');
    }
  }
  await press(page, size, selector);
}

async function assertInsideWindow(page: Page, selector: string): Promise<void> {
  const box = await page.locator(selector).boundingBox();
  const viewport = page.viewportSize()!;
  assert.ok(box !== null, `${selector} is shown`);
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height, `${selector} inside the ${viewport.width}×${viewport.height} window: ${JSON.stringify(box)}`);
  // Centred: the space left of it and right of it differ by a pixel at most.
  assert.ok(Math.abs(box.x - (viewport.width - box.x - box.width)) <= 1.5, `${selector} is centred: ${JSON.stringify(box)}`);
}

/** Every visible button and field of the top bar and the log toolbar that is smaller than a finger. */
const SMALL_TARGETS = `(() => [...document.querySelectorAll('.topbar button, .topbar input, .lp-toolbar button, .lp-toolbar input:not(.lp-query), .lp-toolbar .lp-filter')]
  .filter((e) => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0 && getComputedStyle(e).visibility !== 'hidden' && (b.width < ${MIN_TOUCH_PX} || b.height < ${MIN_TOUCH_PX}); })
  .map((e) => (e.id || e.getAttribute('aria-label') || e.title || e.className) + ' ' + Math.round(e.getBoundingClientRect().width) + '×' + Math.round(e.getBoundingClientRect().height)))()`;

async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

for (const size of SIZES) {
  test(`at ${size.width} px wide${size.phone ? ' (a phone, by tap)' : ''}: nothing wider than the window, every top-bar control works`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, problems } = await openAt(t, size);
    await assertNoOverflow(page, 'loaded');
    await saveScreenshot(page, `responsive-${size.width}-loaded`);
    if (size.phone && size.width < 600) {
      // Two rows at most: brand, status and buttons, then the chart time control.
      const bar = await page.locator('.topbar').boundingBox();
      assert.ok(bar !== null && bar.height <= 100, `the top bar takes two rows at most: ${bar?.height} px`);
    }

    // Charts: hidden and shown again.
    assert.equal(await page.locator('#charts').isVisible(), true);
    await pressAction(page, size, '#toggle-charts');
    await untilInPage(page, `document.getElementById('charts').hidden`);
    await pressAction(page, size, '#toggle-charts');
    await untilInPage(page, `!document.getElementById('charts').hidden`);
    await assertNoOverflow(page, 'charts shown again');

    // Theme: the first press leaves "follow the system" for a chosen theme.
    const themeBefore = await inPage<string | null>(page, `document.documentElement.dataset.themeChoice ?? null`);
    await pressAction(page, size, '#toggle-theme');
    await untilInPage(page, `(document.documentElement.dataset.themeChoice ?? null) !== ${JSON.stringify(themeBefore)}`);
    await page.keyboard.press('Escape');

    // Settings and help: open, inside the window and centred, closed with Escape.
    for (const [button, dialog] of [['#open-settings', '#settings-dialog'], ['#open-help', '#help-dialog']] as const) {
      await pressAction(page, size, button);
      await page.locator(`${dialog}[open]`).waitFor();
      await assertInsideWindow(page, dialog);
      await assertNoOverflow(page, `${dialog} open`);
      await page.keyboard.press('Escape');
      await page.locator(`${dialog}[open]`).waitFor({ state: 'detached' });
    }

    // Sources: a column of their own on a wide window, else a drawer from the top bar's button.
    const source = page.locator('#source-list .source-item', { hasText: 'syslog' });
    if (size.width <= 900) {
      assert.equal(await source.isVisible(), false, 'the drawer starts closed');
      await press(page, size, '#open-sources');
      await untilInPage(page, `document.getElementById('sidebar').getBoundingClientRect().left >= 0`);
      await assertReachable(page, '#source-list .source-item[data-source]');
      await assertNoOverflow(page, 'sources drawer open');
      if (size.phone) {
        assert.deepEqual(await inPage<string[]>(page, SMALL_TARGETS), [], 'touch targets of at least 40 px');
        await saveScreenshotIfWanted(page, size, 'drawer');
      }
      await page.keyboard.press('Escape');
      await untilInPage(page, `getComputedStyle(document.getElementById('sidebar')).visibility === 'hidden'`);
    } else {
      await assertReachable(page, '#source-list .source-item[data-source]');
    }

    // The log toolbar's folded tools, where they are folded.
    if (await page.locator('.lp-more-button').isVisible()) {
      const rows = await page.locator('.lp-toolbar').boundingBox();
      assert.ok(rows !== null && rows.height <= 60, `the toolbar takes one row: ${rows?.height} px`);
      await press(page, size, '.lp-more-button');
      await page.locator('.lp-more.open').waitFor();
      await assertReachable(page, '.lp-more [aria-label="Side by side: one pane per source"]');
      await assertNoOverflow(page, 'log tools unfolded');
      await saveScreenshotIfWanted(page, size, 'log-tools');
      // A menu of the folded tools opens inside the window too.
      await press(page, size, '.lp-more .lp-menu > button[aria-expanded]');
      await page.locator('.lp-more .lp-popover').first().waitFor({ state: 'visible' });
      await assertNoOverflow(page, 'a folded tool\'s menu open');
      await saveScreenshotIfWanted(page, size, 'log-tools-menu');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
    }

    if (size.phone) assert.deepEqual(await inPage<string[]>(page, SMALL_TARGETS), [], 'touch targets of at least 40 px');
    assert.deepEqual(problems, []);
  });
}

async function saveScreenshotIfWanted(page: Page, size: Size, what: string): Promise<void> {
  if (SCREENSHOT_WIDTHS.has(size.width)) await saveScreenshot(page, `responsive-${size.width}-${what}`);
}

test('a narrow pane puts time and level on a line above the message; a wide one keeps them in columns', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const rowShape = `(() => {
    const row = [...document.querySelectorAll('#log-view .row')].find((r) => r.querySelector('.text')?.textContent.includes('/api/orders/'));
    const time = row.querySelector('.time').getBoundingClientRect();
    const text = row.querySelector('.text').getBoundingClientRect();
    return { stacked: text.top >= time.bottom - 0.5, textLeft: text.left - row.getBoundingClientRect().left };
  })()`;
  const phone = await openAt(t, SIZES[1]!);
  const narrow = await inPage<{ stacked: boolean; textLeft: number }>(phone.page, rowShape);
  assert.equal(narrow.stacked, true, 'on a phone the message starts on its own line');
  assert.ok(narrow.textLeft < 20, `and at the row's left edge: ${narrow.textLeft} px`);
  // A first visit on a phone wraps lines (the whole message readable); a wide screen does not.
  assert.equal(await inPage<boolean>(phone.page, `document.querySelector('#logs').classList.contains('wrap')`), true, 'a phone wraps lines');
  const wide = await openAt(t, SIZES[4]!);
  assert.equal(await inPage<boolean>(wide.page, `document.querySelector('#logs').classList.contains('wrap')`), false, 'a laptop does not');
  assert.equal((await inPage<{ stacked: boolean }>(wide.page, rowShape)).stacked, false, 'at 1366 px the columns share the message\'s line');
  // Side by side at 1366 px: as many panes as stay readable (two of about 570 px for three sources); their
  // rows keep time and level beside the message (it still gets most of the pane), and nothing passes the edge.
  await wide.page.getByRole('button', { name: 'Side by side: one pane per source' }).click();
  await untilInPage(wide.page, `document.querySelectorAll('.lp-pane').length === 2`);
  await wide.page.locator('.lp-pane .row .text', { hasText: '/api/orders/' }).first().waitFor();
  assert.equal((await inPage<{ stacked: boolean }>(wide.page, rowShape.replace('#log-view .row', '.lp-pane .row'))).stacked, false, 'a pane of 570 px keeps its columns');
  await assertNoOverflow(wide.page, 'side by side');
  await saveScreenshot(wide.page, 'responsive-1366-side-by-side');
});

for (const size of SIZES.filter((s) => SCREENSHOT_WIDTHS.has(s.width))) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshot at ${size.width} px, ${scheme}`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
      const { page } = await openAt(t, size, scheme);
      // The charts draw their first samples a second or two after connecting.
      await untilInPage(page, `document.querySelectorAll('#charts canvas').length > 0`);
      await page.waitForTimeout(2_500);
      await assertNoOverflow(page, 'before the screenshot');
      await saveScreenshot(page, `responsive-${size.width}-${scheme}`);
      if (size.phone) {
        await press(page, size, '#open-menu');
        await page.locator('#header-actions').waitFor({ state: 'visible' });
        await saveScreenshot(page, `responsive-${size.width}-${scheme}-menu`);
        await page.keyboard.press('Escape');
        await pressAction(page, size, '#open-settings');
        await page.locator('#settings-dialog[open]').waitFor();
        await saveScreenshot(page, `responsive-${size.width}-${scheme}-settings`);
        await page.keyboard.press('Escape');
        await pressAction(page, size, '#open-help');
        await page.locator('#help-dialog[open]').waitFor();
        await saveScreenshot(page, `responsive-${size.width}-${scheme}-help`);
      }
    });
  }
}

test('with one source shown the source column goes; with more it is there', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openAt(t, SIZES[4]!);
  const sourceShown = `[...document.querySelectorAll('#log-view .row .source')].some((e) => e.getBoundingClientRect().width > 0)`;
  assert.equal(await inPage<boolean>(page, sourceShown), true, 'three sources: each row names its own');
  await page.getByRole('button', { name: 'Sources' }).click();
  for (const name of ['access.log', 'app.log']) {
    await page.locator('.lp-source-list li', { hasText: name }).locator('input[type="checkbox"]').first().uncheck();
  }
  await page.keyboard.press('Escape');
  await untilInPage(page, `document.querySelector('.log-panel').classList.contains('one-source')`);
  await page.locator('#log-view .row .text', { hasText: 'Started session' }).first().waitFor();
  assert.equal(await inPage<boolean>(page, sourceShown), false, 'one source: no column repeats its name');
  assert.deepEqual(problems, []);
});

// The desktop window (the bundle from a second origin with a fake bridge, as dashboard-desktop.test.ts does):
// its four more actions fold into the menu sooner, and work from there.
let app: AppOrigin | undefined;
const desktopFx = dashboardFixture({
  name: 'responsive-desktop',
  files: { 'app.log': 'INFO checkout service started\n' },
  prepare: async () => {
    app = await serveAppOrigin();
    return { allowOrigin: [app.origin] };
  },
  started: (tw) => app!.useServer(tw.url),
  cleanup: async () => app?.close(),
});

for (const width of [480, 1024, 1366]) {
  test(`the desktop app at ${width} px: its actions fit or fold into the menu, and work`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const window = await openDesktopWindow(desktopFx.browser, app!, { url: desktopFx.tw.url, token: desktopFx.tw.token }, t, { viewport: { width, height: 768 } });
    const { page } = window;
    await connectedVia(page);
    await untilInPage(page, `!document.getElementById('desktop-actions').hidden`);
    await assertNoOverflow(page, 'loaded');
    const size: Size = { width, height: 768, phone: false };
    assert.equal(await page.locator('#open-menu').isVisible(), width < 1240, 'the menu button shows only where the actions fold');
    await pressAction(page, size, '#add-folder');
    await waitFor(async () => (await window.calls('pickFolders')).length === 1, 'pickFolders to be called');
    for (const [button, dialog] of [['#open-settings', '#settings-dialog'], ['#open-alerts', '#alerts-dialog'], ['#open-share', '#share-dialog']] as const) {
      await pressAction(page, size, button);
      await page.locator(`${dialog}[open]`).waitFor();
      await assertInsideWindow(page, dialog);
      await assertNoOverflow(page, `${dialog} open`);
      if (width === 480) await saveScreenshot(page, `responsive-desktop-${width}-${dialog.slice(1)}`);
      await page.keyboard.press('Escape');
      await page.locator(`${dialog}[open]`).waitFor({ state: 'detached' });
    }
    assert.deepEqual(window.problems, []);
  });
}
