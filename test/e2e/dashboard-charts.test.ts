// The charts in a real browser against a real server and real files: the time window and a dragged range
// shared by every chart, back to live, a click on the log-rate chart that shows the log at that moment, the
// PNG download, the height handle (kept across reloads, as is the CPU chart's per-core choice), a compact
// layout on a laptop screen, a failed history that leaves live charts, and screenshots to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { dashboardFixture, type TestHooks } from '../helpers/e2e-fixture';
import { connectedVia, inPage, type OpenOptions, PAGE_TIMEOUT_MS, screenshot, untilInPage } from '../helpers/dashboard-browser';

const TEST_TIMEOUT_MS = 90_000;
/** Samples come at 1 Hz; a few of them, and a history answer, take a few seconds, more while other test files run beside. */
const SAMPLES_MS = 30_000;
const LAPTOP = { width: 1366, height: 768 };
const CARDS = ['logs', 'cpu', 'memory', 'load', 'net', 'disk'];
/** A 2 px line over a few seconds of a minute on a 300 px plot: well over this many pixels. */
const MIN_LINE_PIXELS = 30;
/** However tall the charts are made, the log (its toolbar and a few lines) keeps this much. */
const LOG_MIN_PX = 160;
/** "Under ~900 px high the charts take at most ~35–40% of the height." */
const LAPTOP_MAX_SHARE = 0.4;

const fx = dashboardFixture({ name: 'charts', files: { 'app.log': 'service started\n' }, open: { viewport: LAPTOP } });
const open = (t: TestHooks, options: OpenOptions = {}) => fx.open(t, options);


interface CardRange {
  id: string;
  start: number;
  end: number;
}

/** The x range each card shows (its data-range-* attributes), in the order of CARDS. */
const cardRanges = (page: Page): Promise<CardRange[]> =>
  inPage(
    page,
    `${JSON.stringify(CARDS)}.map((id) => {
      const card = document.querySelector('.chart-card.chart-' + id);
      return { id, start: Number(card?.dataset.rangeStart), end: Number(card?.dataset.rangeEnd) };
    })`,
  );

/** Waits until every card shows the same range and `accept` takes it; returns it. */
async function sharedRange(page: Page, accept: (range: CardRange) => boolean, what: string): Promise<CardRange> {
  const deadline = Date.now() + PAGE_TIMEOUT_MS;
  let ranges: CardRange[] = [];
  for (;;) {
    ranges = await cardRanges(page);
    const first = ranges[0]!;
    const same = ranges.every((r) => Number.isFinite(r.start) && r.start === first.start && r.end === first.end);
    if (same && accept(first)) return first;
    if (Date.now() > deadline) throw new Error(`timed out waiting for every chart to show ${what}; they show ${JSON.stringify(ranges)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const spanOf = (range: CardRange): number => range.end - range.start;
/** A live window of `minutes` (each end is rounded to the millisecond on its own). */
const windowOf = (minutes: number) => (range: CardRange) => Math.abs(spanOf(range) - minutes * 60_000) <= 2;

/** Every chart has had a sample: none says it is waiting for one. */
async function chartsReady(page: Page): Promise<void> {
  await untilInPage(
    page,
    `document.querySelectorAll('.chart-card canvas').length === ${CARDS.length} && [...document.querySelectorAll('.chart-empty')].every((note) => note.hidden)`,
    SAMPLES_MS,
  );
}

/** Pixels of the CPU chart's canvas in the colour of its total line (the accent): the line drawn so far. */
const cpuLinePixels = (page: Page): Promise<number> =>
  inPage(
    page,
    `(() => {
      const canvas = document.querySelector('.chart-cpu canvas');
      const probe = document.createElement('canvas').getContext('2d');
      probe.fillStyle = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim();
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 60) count++;
      }
      return count;
    })()`,
  );

/** Samples enough for a line a few seconds long on the CPU chart. */
async function cpuLineDrawn(page: Page): Promise<void> {
  const deadline = Date.now() + SAMPLES_MS;
  while ((await cpuLinePixels(page)) < MIN_LINE_PIXELS) {
    if (Date.now() > deadline) throw new Error(`the CPU chart drew no line (${await cpuLinePixels(page)} pixels of its colour)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function chooseWindow(page: Page, label: '1m' | '5m' | '15m' | '1h'): Promise<void> {
  await page.locator('.chart-window .tool', { hasText: new RegExp(`^${label}$`) }).click();
}

/** The box of a chart's canvas, in page pixels. */
async function canvasBox(page: Page, id: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator(`.chart-card.chart-${id} canvas`).boundingBox();
  assert.ok(box, `the ${id} chart has a canvas on screen`);
  return box;
}

/** Drags across a chart from one fraction of its canvas's width to another, at mid-height. */
async function dragAcross(page: Page, id: string, from: number, to: number): Promise<void> {
  const box = await canvasBox(page, id);
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to, y, { steps: 8 });
  await page.mouse.up();
}

const chartsHeight = (page: Page): Promise<number> => inPage(page, `document.getElementById('charts').getBoundingClientRect().height`);

/** Whether a line's row is inside the visible part of the log view (rows just outside may be drawn in advance). */
const onScreenExpression = (text: string): string => `(() => {
  const view = document.getElementById('log-view').getBoundingClientRect();
  return [...document.querySelectorAll('#log-view .row .text')].some((cell) => {
    if (cell.textContent !== ${JSON.stringify(text)}) return false;
    const r = cell.getBoundingClientRect();
    return r.bottom > view.top + 1 && r.top < view.bottom - 1;
  });
})()`;
const onScreen = (page: Page, text: string): Promise<boolean> => inPage(page, onScreenExpression(text));

/** Page expressions: the log-rate chart's headline says no lines, or some, per second ("0/s", "12/s"). */
const LOG_RATE = `document.querySelector('.chart-logs .chart-values span')?.textContent`;
const quietLog = `${LOG_RATE} === '0/s'`;
const busyLog = `parseFloat(${LOG_RATE}) > 0`;

/** Hovers the log-rate chart at `x` (page pixels) and reads the time its tooltip names, in ms since the epoch. */
async function hoveredTime(page: Page, x: number, y: number): Promise<number | null> {
  await page.mouse.move(x, y);
  return inPage<number | null>(
    page,
    `(() => {
      const tooltip = document.querySelector('.chart-tooltip');
      const title = tooltip.hidden ? '' : tooltip.querySelector('.chart-tooltip-title')?.textContent ?? '';
      const clock = /^(\\d\\d):(\\d\\d):(\\d\\d)$/.exec(title);
      if (!clock) return null;
      // The tooltip says a local clock time; the chart's own range gives the day.
      const end = Number(document.querySelector('.chart-logs').dataset.rangeEnd);
      const day = new Date(end);
      day.setHours(Number(clock[1]), Number(clock[2]), Number(clock[3]), 0);
      return day.getTime() > end + 43200000 ? day.getTime() - 86400000 : day.getTime();
    })()`,
  );
}

test('the laptop layout leaves the log most of the height; a 4K screen has the six charts in one row', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const laptop = await open(t);
  await connectedVia(laptop.page);
  await chartsReady(laptop.page);
  const share = (await chartsHeight(laptop.page)) / LAPTOP.height;
  assert.ok(share <= LAPTOP_MAX_SHARE, `the charts take ${(share * 100).toFixed(1)}% of a 1366×768 window`);
  const rows = (page: Page) =>
    inPage<number[][]>(page, `[...document.querySelectorAll('.chart-card')].map((card) => { const r = card.getBoundingClientRect(); return [Math.round(r.top), Math.round(r.height)]; })`);
  const laptopCards = await rows(laptop.page);
  assert.equal(new Set(laptopCards.map(([top]) => top)).size, 2, `two rows of three on a laptop: ${JSON.stringify(laptopCards)}`);
  const logView = await inPage<number>(laptop.page, `document.getElementById('log-view').getBoundingClientRect().height`);
  assert.ok(logView >= LAPTOP.height * 0.45, `the log view keeps ${logView} px of 768`);

  const wide = await open(t, { viewport: { width: 3840, height: 2160 }, colorScheme: 'dark' });
  await connectedVia(wide.page);
  await chartsReady(wide.page);
  const wideCards = await rows(wide.page);
  assert.equal(new Set(wideCards.map(([top]) => top)).size, 1, `one row of six at 4K: ${JSON.stringify(wideCards)}`);
  assert.ok(wideCards.every(([, height]) => height! >= 200), `cards of a good height at 4K: ${JSON.stringify(wideCards)}`);
  assert.ok((await chartsHeight(wide.page)) <= 2160 * 0.2);
  assert.deepEqual([...laptop.problems, ...wide.problems], []);
});

test('the time window sets the x range of every chart, which keeps moving while live', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  await sharedRange(page, windowOf(5), 'the default 5 minutes');
  for (const [label, minutes] of [['1m', 1], ['15m', 15], ['1h', 60], ['5m', 5]] as const) {
    await chooseWindow(page, label);
    const range = await sharedRange(page, windowOf(minutes), `${minutes} minutes`);
    assert.equal(await page.locator('.chart-window .tool[aria-pressed="true"]').textContent(), label);
    // Live: the range follows the clock.
    await sharedRange(page, (later) => later.end > range.end && windowOf(minutes)(later), `the ${minutes} minutes moving on`);
  }
  assert.deepEqual(problems, []);
});

test('dragging across one chart shows that range on every chart; Back to live, double-click and Esc return', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  await chartsReady(page);
  await chooseWindow(page, '1m');
  const live = await sharedRange(page, windowOf(1), 'one minute');
  const backToLive = page.locator('.chart-live');
  assert.equal(await backToLive.isVisible(), false);

  const ways = [
    { id: 'cpu', back: () => backToLive.click() },
    { id: 'net', back: () => page.locator('.chart-card.chart-net canvas').dblclick() },
    { id: 'memory', back: () => page.keyboard.press('Escape') },
  ];
  for (const { id, back } of ways) {
    await dragAcross(page, id, 0.3, 0.7);
    await backToLive.waitFor();
    const selected = await sharedRange(page, (range) => spanOf(range) < 60_000, `the range dragged across the ${id} chart`);
    // 40% of the canvas is a little more than 40% of the plot, inside the minute that was shown.
    assert.ok(selected.start > live.start && selected.end < Date.now(), `${JSON.stringify(selected)} is inside the last minute`);
    assert.ok(spanOf(selected) > 0.3 * 60_000 && spanOf(selected) < 0.7 * 60_000, `a range of ${spanOf(selected)} ms`);
    const shownRange = await inPage<string>(
      page,
      `[${selected.start}, ${selected.end}].map((ts) => new Date(ts).toTimeString().slice(0, 8)).join(' – ')`,
    );
    assert.equal(await page.locator('.chart-selection-range').textContent(), shownRange, 'the top bar names the range');
    assert.equal(await page.locator('.chart-window .tool[aria-pressed="true"]').count(), 0, 'no window is pressed while a range is shown');
    // Samples keep coming (a live range would move on within a second or two); a selected one stays put.
    await page.waitForTimeout(1_500);
    assert.deepEqual(await sharedRange(page, () => true, 'the selected range'), selected, 'a selected range does not move');

    await back();
    await sharedRange(page, (range) => windowOf(1)(range) && range.end > selected.end, 'the live minute again');
    await backToLive.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('.chart-window .tool[aria-pressed="true"]').textContent(), '1m');
  }
  assert.deepEqual(problems, []);
});

test('a click on the log-rate chart shows the log at that moment and pauses following', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  await chooseWindow(page, '1m');
  const tag = randomUUID().slice(0, 8);
  const early = Array.from({ length: 60 }, (_, i) => `${tag} early ${i}`);
  const late = Array.from({ length: 60 }, (_, i) => `${tag} late ${i}`);
  // The rates are averaged over 5 s: start from a quiet log, so the early burst is a hump of its own.
  await untilInPage(page, quietLog, SAMPLES_MS);
  const earlyAt = Date.now();
  await appendFile(fx.path('app.log'), early.map((line) => `${line}\n`).join(''));
  await page.locator('#log-view .row .text', { hasText: early.at(-1)! }).waitFor();
  await untilInPage(page, busyLog, SAMPLES_MS);
  await untilInPage(page, quietLog, SAMPLES_MS);
  await appendFile(fx.path('app.log'), late.map((line) => `${line}\n`).join(''));
  await page.locator('#log-view .row .text', { hasText: late.at(-1)! }).waitFor();
  await untilInPage(page, busyLog, SAMPLES_MS);
  assert.equal(await onScreen(page, early[0]!), false, 'following: the early lines are out of sight');

  // Where on the chart is the early burst? Two hovers near the right end, where there are samples, give the
  // time scale; the hump made by the early lines is in the seconds after they were written.
  const box = await canvasBox(page, 'logs');
  const y = box.y + box.height / 2;
  const x1 = box.x + box.width * 0.95;
  const t1 = await hoveredTime(page, x1, y);
  let x2 = NaN;
  let t2: number | null = null;
  for (const fraction of [0.75, 0.8, 0.85]) {
    x2 = box.x + box.width * fraction;
    t2 = await hoveredTime(page, x2, y);
    if (t2 !== null) break;
  }
  assert.ok(t1 !== null && t2 !== null && t1 > t2, `the tooltip names the times hovered: ${t1}, ${t2}`);
  const target = earlyAt + 3_000;
  const x = x1 + ((target - t1) * (x2 - x1)) / (t2 - t1);
  assert.ok(x > box.x + box.width * 0.2 && x < x1, `the early burst is on the chart (x ${x})`);
  await page.mouse.click(x, y);

  await page.locator('.lp-jump').waitFor();
  assert.match((await page.locator('.lp-jump').textContent()) ?? '', /^Paused/, 'following is paused');
  const seen = await untilInPage(page, onScreenExpression(early[0]!)).then(() => true, () => false);
  assert.equal(seen, true, 'the first of the early lines is in view');
  assert.equal(await onScreen(page, early[10]!), true);
  assert.equal(await onScreen(page, late.at(-1)!), false, 'the latest lines are not');
  await screenshot(page, 'charts-click-log-rate');
  assert.deepEqual(problems, []);
});

test('the PNG button downloads the chart as a PNG image', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  await chartsReady(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.chart-card.chart-cpu .chart-save').click()]);
  assert.match(download.suggestedFilename(), /^tailwatch-cpu-\d{8}-\d{6}\.png$/);
  const png = await readFile((await download.path())!);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  const canvas = await inPage<{ width: number; height: number }>(page, `(() => { const c = document.querySelector('.chart-cpu canvas'); return { width: c.width, height: c.height }; })()`);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.equal(width, canvas.width, 'as wide as the chart');
  assert.ok(height > canvas.height, `the chart (${canvas.height} px) under a caption: ${height} px`);
  assert.ok(png.length > 2_000 && png.length < 5_000_000, `${png.length} bytes`);
  assert.deepEqual(problems, []);
});

test('the handle under the charts sets their height by mouse and keyboard, kept after a reload with the per-core choice', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  await chartsReady(page);
  const handle = page.locator('#charts .charts-splitter[role="separator"]');
  const initial = await chartsHeight(page);
  const canvasHeight = () => inPage<number>(page, `document.querySelector('.chart-cpu canvas').getBoundingClientRect().height`);
  const initialCanvas = await canvasHeight();

  const box = await handle.boundingBox();
  assert.ok(box, 'the handle is on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 120, { steps: 6 });
  await page.mouse.up();
  const dragged = await chartsHeight(page);
  assert.ok(Math.abs(dragged - (initial + 120)) <= 2, `dragged 120 px down: ${initial} → ${dragged}`);
  await untilInPage(page, `document.querySelector('.chart-cpu canvas').getBoundingClientRect().height > ${initialCanvas + 40}`);
  assert.equal(Number(await handle.getAttribute('aria-valuenow')), Math.round(dragged));

  await handle.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  const keyed = await chartsHeight(page);
  assert.ok(Math.abs(keyed - (dragged - 32)) <= 1, `two steps up: ${dragged} → ${keyed}`);
  await page.keyboard.press('End');
  const tallest = await chartsHeight(page);
  const logsHeight = () => inPage<number>(page, `document.getElementById('logs').getBoundingClientRect().height`);
  assert.ok((await logsHeight()) >= LOG_MIN_PX - 1, `at their tallest the charts leave the log ${await logsHeight()} px`);
  // A smaller window takes the height from the charts, and gives it back.
  await page.setViewportSize({ width: LAPTOP.width, height: 600 });
  await untilInPage(page, `document.getElementById('charts').getBoundingClientRect().height < ${tallest - 100}`);
  assert.ok((await logsHeight()) >= LOG_MIN_PX - 1, `in a 600 px window the log keeps ${await logsHeight()} px`);
  await page.setViewportSize(LAPTOP);
  await untilInPage(page, `Math.abs(document.getElementById('charts').getBoundingClientRect().height - ${tallest}) <= 1`);
  await page.keyboard.press('Home');
  assert.ok((await chartsHeight(page)) < initial, 'at its shortest, shorter than the default');
  await page.keyboard.press('PageDown');
  const kept = await chartsHeight(page);

  const perCore = page.locator('.chart-card.chart-cpu .chart-tool', { hasText: 'Per core' });
  assert.equal(await perCore.getAttribute('aria-pressed'), 'true');
  await perCore.click();
  assert.equal(await perCore.getAttribute('aria-pressed'), 'false');
  await untilInPage(page, `![...document.querySelectorAll('.chart-cpu .chart-legend-item')].some((item) => /core/.test(item.textContent))`);

  await page.reload();
  await connectedVia(page);
  assert.ok(Math.abs((await chartsHeight(page)) - kept) <= 1, 'the height is kept');
  assert.equal(await perCore.getAttribute('aria-pressed'), 'false', 'so is the per-core choice');
  await untilInPage(page, `document.querySelector('.chart-cpu .chart-legend-item') !== null`, SAMPLES_MS);
  assert.equal(await page.locator('.chart-cpu .chart-legend-item', { hasText: /core/ }).count(), 0, 'no per-core lines');
  await perCore.click();
  await page.locator('.chart-cpu .chart-legend-item', { hasText: /core/ }).first().waitFor({ timeout: SAMPLES_MS });

  // A double-click gives the charts back their own height, for good.
  await handle.dblclick();
  assert.ok(Math.abs((await chartsHeight(page)) - initial) <= 1, 'back to the default height');
  await page.reload();
  await connectedVia(page);
  assert.ok(Math.abs((await chartsHeight(page)) - initial) <= 1, 'the default is kept');
  assert.deepEqual(problems, []);
});

test('a failed metrics history is a note above the charts, which draw from live samples; Retry reads it again', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  let failing = true;
  const { page, problems } = await open(t, {
    intercept: (context) => context.route('**/api/metrics/history**', (route) => (failing ? route.fulfill({ status: 500, body: 'no' }) : route.continue())),
  });
  await connectedVia(page);
  const note = page.locator('.charts-note');
  await note.waitFor();
  assert.match((await note.textContent()) ?? '', /Metrics history unavailable \(the server answered HTTP 500\)/);
  await chooseWindow(page, '1m');
  await chartsReady(page);
  await cpuLineDrawn(page);
  await screenshot(page, 'charts-history-failed');

  failing = false;
  await note.getByRole('button', { name: 'Retry' }).click();
  await note.waitFor({ state: 'hidden' });
  // The browser reports the failed request itself; nothing else went wrong.
  assert.deepEqual(problems.filter((problem) => !/status of 500/.test(problem)), []);
});

test('the charts on a laptop, light and dark, and on a 4K screen draw their lines and tooltips (screenshots on request)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const wide = await open(t, { viewport: { width: 3840, height: 2160 }, colorScheme: 'dark' });
  await connectedVia(wide.page);
  await chartsReady(wide.page);
  await cpuLineDrawn(wide.page);
  await screenshot(wide.page, 'charts-4k-dark');
  assert.deepEqual(wide.problems, []);
  for (const colorScheme of ['light', 'dark'] as const) {
    const { page, problems } = await open(t, { colorScheme });
    await connectedVia(page);
    await chartsReady(page);
    await cpuLineDrawn(page);
    await screenshot(page, `charts-laptop-${colorScheme}`);
    // Near the right end, where there are samples however young the server.
    const box = await canvasBox(page, 'cpu');
    await page.mouse.move(box.x + box.width * 0.97, box.y + box.height / 2);
    await page.locator('.chart-tooltip:not([hidden])').waitFor();
    await screenshot(page, `charts-laptop-${colorScheme}-tooltip`);
    assert.deepEqual(problems, []);
  }
});
