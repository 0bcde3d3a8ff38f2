// The rest of the log view in a real browser, against real servers and real files: JSON lines pretty-printed
// on demand, level chips and the sources menu, several highlight rules that survive a reload, columns and
// wrap, copying a line and a selection, the buffer bound with its "older lines dropped" marker, side by side
// panes, the empty and error states, and the token page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTailwatch, type RunningTailwatch } from '../../main/app/start-tailwatch';
import { makeConfig, type TailwatchConfig } from '../../main/app/options';
import { dashboardFixture, type TestHooks } from '../helpers/e2e-fixture';
import { connectedVia, inPage, openDashboard, type OpenOptions, PAGE_TIMEOUT_MS, screenshot, untilInPage } from '../helpers/dashboard-browser';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const TEST_TIMEOUT_MS = 90_000;
/** The smallest buffer a view may keep (SETTINGS_LIMITS.minBufferLines), and more lines than that. */
const MIN_BUFFER_LINES = 1_000;
const LINES_PAST_BOUND = 1_500;
/** Colours of the two highlight rules: the first one offered, and one picked for the second (HIGHLIGHT_COLOURS). */
const RULE_COLOURS = ['#e3b341', '#4493f8'] as const;


const fx = dashboardFixture({
  name: 'log-view',
  files: {
    'app.log': '2026-11-21T09:00:00Z INFO service started\n',
    'jobs.log': '{"level":"info","time":"2026-11-21T09:00:02Z","msg":"job runner ready"}\n',
  },
});
const open = (t: TestHooks, options: OpenOptions = {}) => fx.open(t, options);

/** A server of the test's own (its sources are the test's subject), stopped when the test ends. */
async function ownServer(t: TestHooks, config: Partial<TailwatchConfig>): Promise<RunningTailwatch> {
  const server = await startTailwatch(makeConfig({ port: 0, token: randomUUID().replace(/-/g, ''), ...config }));
  t.after(() => server.close());
  return server;
}

const lineRow = (page: Page, text: string, scope = '#log-view') => page.locator(`${scope} .row:not(.marker)`, { has: page.locator('.text', { hasText: text }) });
/** The message text of every line row drawn now in `scope`, top to bottom. */
const drawnTexts = (page: Page, scope = '#log-view'): Promise<string[]> => page.locator(`${scope} .row:not(.marker) .text`).allTextContents();
const tagged = async (page: Page, tag: string, scope = '#log-view'): Promise<string[]> => (await drawnTexts(page, scope)).filter((text) => text.includes(tag));

/** Polls `check` in the test until it returns true; the error says what was last seen. */
const until = (what: string, check: () => Promise<boolean>, seen?: () => Promise<unknown>): Promise<true> =>
  waitFor(async () => (await check()) || null, what, PAGE_TIMEOUT_MS, seen);

async function typeFilter(page: Page, query: string): Promise<void> {
  await page.locator('.lp-query').fill(query);
}

/** `#rrggbb` as getComputedStyle writes it. */
const rgbOf = (hex: string): string => `rgb(${[1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)).join(', ')})`;

/** A CSS property of the first element matching `selector`, as computed. */
const computed = (page: Page, selector: string, property: string): Promise<string> =>
  inPage<string>(page, `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`);

test('a JSON line pretty-prints under its row on {}, as indented text, and folds away again', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const tag = randomUUID().slice(0, 8);
  const record = { level: 'info', msg: `${tag} order shipped`, order: { id: 42, items: ['book', 'pen'], gift: false }, note: '<b>not markup</b>' };
  await appendFile(fx.path('jobs.log'), `${JSON.stringify(record)}\n`);
  const row = lineRow(page, `${tag} order shipped`);
  await row.waitFor();
  assert.equal(await row.locator('pre.json').count(), 0, 'folded until asked');

  const toggle = row.locator('.json-toggle');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  const pretty = row.locator('pre.json');
  await pretty.waitFor();
  assert.equal(await pretty.textContent(), JSON.stringify(record, null, 2));
  assert.equal(await row.locator('pre.json b').count(), 0, 'text, not markup');
  assert.equal(await row.locator('.json-toggle').getAttribute('aria-expanded'), 'true');
  // The block keeps its line breaks and indentation on screen, and is as tall as its lines.
  assert.equal(await computed(page, '#log-view pre.json', 'white-space'), 'pre');
  const blockLines = JSON.stringify(record, null, 2).split('\n').length;
  const { height, lineHeight } = await inPage<{ height: number; lineHeight: number }>(
    page,
    `(() => { const pre = document.querySelector('#log-view pre.json'); return { height: pre.clientHeight, lineHeight: parseFloat(getComputedStyle(pre).lineHeight) }; })()`,
  );
  assert.ok(height >= blockLines * lineHeight, `the block shows all ${blockLines} lines: ${height}px at ${lineHeight}px a line`);
  // Opened in sight: its toggle stays on screen and the block starts inside the pane, however few lines the view has.
  const view = (await page.locator('#log-view').boundingBox())!;
  const toggleBox = (await row.locator('.json-toggle').boundingBox())!;
  const blockBox = (await pretty.boundingBox())!;
  assert.ok(toggleBox.y >= view.y && toggleBox.y + toggleBox.height <= view.y + view.height, `the toggle is in the pane: ${JSON.stringify({ toggleBox, view })}`);
  assert.ok(blockBox.y < view.y + view.height - lineHeight, 'the block is in sight');
  await screenshot(page, 'log-view-json-expanded');

  await row.locator('.json-toggle').click();
  await row.locator('pre.json').waitFor({ state: 'detached' });
  assert.equal(await row.locator('.json-toggle').getAttribute('aria-expanded'), 'false');
  assert.deepEqual(problems, []);
});

test('level chips hide and show the lines of a level (words and JSON "level"); the sources menu hides a source', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const tag = randomUUID().slice(0, 8);
  const lines = {
    error: `2026-11-21T10:00:00Z ERROR ${tag} disk full`,
    warn: `2026-11-21T10:00:01Z WARN ${tag} disk nearly full`,
    info: `2026-11-21T10:00:02Z INFO ${tag} disk checked`,
    jsonError: `{"level":"error","msg":"${tag} job failed"}`,
    jsonInfo: `{"level":"info","msg":"${tag} job done"}`,
  };
  await appendFile(fx.path('app.log'), `${lines.error}\n${lines.warn}\n${lines.info}\n`);
  await appendFile(fx.path('jobs.log'), `${lines.jsonError}\n${lines.jsonInfo}\n`);
  await typeFilter(page, tag);
  await until('the five tagged lines', async () => (await tagged(page, tag)).length === 5, () => tagged(page, tag));
  assert.equal(await lineRow(page, `${tag} disk full`).locator('.level').textContent(), 'error');
  assert.equal(await lineRow(page, `${tag} job failed`).locator('.level').textContent(), 'error');

  const errorChip = page.locator('.lp-chip.lvl-error');
  assert.equal(await errorChip.getAttribute('aria-pressed'), 'true');
  await errorChip.click();
  assert.equal(await errorChip.getAttribute('aria-pressed'), 'false');
  await until('error lines hidden', async () => (await tagged(page, tag)).length === 3, () => tagged(page, tag));
  assert.deepEqual((await tagged(page, tag)).sort(), [lines.info, lines.warn, lines.jsonInfo].sort());

  await page.locator('.lp-chip.lvl-warn').click();
  await until('warn lines hidden too', async () => (await tagged(page, tag)).length === 2, () => tagged(page, tag));
  await errorChip.click();
  await page.locator('.lp-chip.lvl-warn').click();
  await until('every level back', async () => (await tagged(page, tag)).length === 5, () => tagged(page, tag));

  // The sources menu: untick jobs.log and its lines go, from the one merged pane.
  await page.locator('button[title^="Sources to show"]').click();
  const jobsItem = page.locator('.lp-source-list li', { hasText: 'jobs.log' });
  const jobsShown = jobsItem.locator('.lp-source-shown input');
  assert.equal(await jobsShown.isChecked(), true);
  await jobsShown.uncheck();
  await until('jobs.log hidden', async () => (await tagged(page, tag)).length === 3, () => tagged(page, tag));
  assert.equal(await lineRow(page, `${tag} job`).count(), 0);
  assert.match((await page.locator('button[title^="Sources to show"] .lp-badge').textContent()) ?? '', /^1\/2$/, 'the button says one of two sources is shown');
  await page.locator('.lp-popover button', { hasText: 'Show all' }).click();
  await until('jobs.log back', async () => (await tagged(page, tag)).length === 5, () => tagged(page, tag));
  assert.equal(await jobsShown.isChecked(), true);
  assert.deepEqual(problems, []);
});

test('two highlight rules mark their matches in their own colours, count them, and survive a reload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const tag = randomUUID().slice(0, 8);
  await appendFile(fx.path('app.log'), `${tag} alpha timeout reached\n${tag} beta refused by peer\n${tag} gamma timeout and refused\n${tag} delta nothing\n`);
  await lineRow(page, `${tag} delta nothing`).waitFor();

  await page.locator('button[title^="Highlight rules"]').click();
  await page.locator('button[title="Add a highlight rule"]').click();
  await page.locator('input[aria-label="Rule 1 query"]').fill('timeout');
  await page.locator('button[title="Add a highlight rule"]').click();
  await page.locator('input[aria-label="Rule 2 query"]').fill('/refused/');
  // The second rule took the next free colour; the user picks another.
  await page.locator('.lp-rule').nth(1).locator(`button[title="${RULE_COLOURS[1]}"]`).click();
  await untilInPage(page, `document.querySelectorAll('#log-view mark.hl-rule-1').length >= 2`);
  await screenshot(page, 'log-view-highlight-rules');

  async function checkMarks(): Promise<void> {
    await typeFilter(page, tag);
    await until('the rules’ marks', async () => (await page.locator('#log-view mark.hl-rule-0').count()) === 2 && (await page.locator('#log-view mark.hl-rule-1').count()) === 2);
    assert.deepEqual(await page.locator('#log-view mark.hl-rule-0').allTextContents(), ['timeout', 'timeout']);
    assert.deepEqual(await page.locator('#log-view mark.hl-rule-1').allTextContents(), ['refused', 'refused']);
    assert.equal(await lineRow(page, `${tag} delta nothing`).count(), 1, 'rules hide nothing');
    // Each in its rule's colour: a tint of it behind the text, and a line of it under.
    for (const [rule, colour] of RULE_COLOURS.entries()) {
      const underline = await computed(page, `#log-view mark.hl-rule-${rule}`, 'box-shadow');
      assert.ok(underline.startsWith(`${rgbOf(colour)} `), `rule ${rule + 1} in ${colour}: ${underline}`);
    }
    assert.notEqual(await computed(page, '#log-view mark.hl-rule-0', 'background-color'), await computed(page, '#log-view mark.hl-rule-1', 'background-color'));
    await typeFilter(page, '');
  }
  await page.keyboard.press('Escape');
  await checkMarks();
  // Counts are over the whole buffer: only these lines say "timeout" or "refused".
  await page.locator('button[title^="Highlight rules"]').click();
  const counts = () => page.locator('.lp-rule-count').allTextContents();
  await until('each rule’s count', async () => (await counts()).join() === '2 lines,2 lines', counts);
  assert.equal(await page.locator('button[title^="Highlight rules"] .lp-badge').textContent(), '2');

  await page.reload();
  await connectedVia(page);
  await lineRow(page, `${tag} delta nothing`).waitFor();
  await page.locator('button[title^="Highlight rules"]').click();
  assert.equal(await page.locator('input[aria-label="Rule 1 query"]').inputValue(), 'timeout');
  assert.equal(await page.locator('input[aria-label="Rule 2 query"]').inputValue(), '/refused/');
  assert.equal(await page.locator('.lp-rule').nth(1).locator(`button[title="${RULE_COLOURS[1]}"]`).getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Escape');
  await checkMarks();
  assert.deepEqual(problems, []);
});

test('columns: time, level and source cells go and come back; wrap makes a long line’s row taller', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const tag = randomUUID().slice(0, 8);
  const long = `${tag} WARN long ${'word '.repeat(120)}end`;
  await appendFile(fx.path('app.log'), `${tag} short line\n${long}\n`);
  const short = lineRow(page, `${tag} short line`);
  await short.waitFor();
  const visibleCells = async () => {
    const cells: string[] = [];
    for (const cell of ['time', 'level', 'source']) if (await short.locator(`.${cell}`).isVisible()) cells.push(cell);
    return cells;
  };
  assert.deepEqual(await visibleCells(), ['time', 'level', 'source']);
  const textLeft = async () => (await short.locator('.text').boundingBox())!.x;
  const leftWithAll = await textLeft();

  await page.locator('button[title="Columns"]').click();
  const box = (label: string) => page.locator('.lp-checks label', { hasText: label }).locator('input');
  for (const column of ['Time', 'Level', 'Source']) {
    assert.equal(await box(column).isChecked(), true);
    await box(column).uncheck();
  }
  await until('the cells to go', async () => (await visibleCells()).length === 0, visibleCells);
  assert.ok((await textLeft()) < leftWithAll, 'the message moves left into their room');
  await box('Level').check();
  await until('the level cell back', async () => (await visibleCells()).join() === 'level', visibleCells);
  await box('Time').check();
  await box('Source').check();
  await until('every cell back', async () => (await visibleCells()).length === 3, visibleCells);
  assert.equal(await textLeft(), leftWithAll);
  await page.keyboard.press('Escape');

  const longRow = lineRow(page, `${tag} WARN long`);
  const rowHeight = async () => (await longRow.boundingBox())!.height;
  const unwrapped = await rowHeight();
  const wrap = page.locator('button[title="Wrap long lines"]');
  await wrap.click();
  assert.equal(await wrap.getAttribute('aria-pressed'), 'true');
  await until('the long row to wrap', async () => (await rowHeight()) > 2 * unwrapped, rowHeight);
  const viewportRight = (await page.locator('#log-view').boundingBox())!;
  const textBox = (await longRow.locator('.text').boundingBox())!;
  assert.ok(textBox.x + textBox.width <= viewportRight.x + viewportRight.width + 1, 'the wrapped text fits the pane');
  assert.equal(await short.boundingBox().then((b) => b!.height), unwrapped, 'a short line stays one row');
  await wrap.click();
  await until('the long row back to one line', async () => (await rowHeight()) === unwrapped, rowHeight);
  assert.deepEqual(problems, []);
});

test('copy: one line by its button, and rows picked with click and shift-click by Ctrl+C', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, context, problems } = await open(t);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(fx.tw.url).origin });
  await connectedVia(page);
  const tag = randomUUID().slice(0, 8);
  const lines = ['one', 'two', 'three', 'four'].map((word) => `${tag} copy ${word}`);
  await appendFile(fx.path('app.log'), lines.map((line) => `${line}\n`).join(''));
  await lineRow(page, lines[3]!).waitFor();
  const clipboard = () => inPage<string>(page, 'navigator.clipboard.readText()');

  await lineRow(page, lines[1]!).hover();
  const rowCopy = page.locator('#log-view ~ button[title="Copy this line"]');
  await rowCopy.waitFor();
  await rowCopy.click();
  await until('the line on the clipboard', async () => (await clipboard()) === lines[1], clipboard);
  assert.match((await page.locator('.lp-toast').textContent()) ?? '', /Copied 1 line\b/);

  await lineRow(page, lines[0]!).locator('.text').click();
  await lineRow(page, lines[2]!).locator('.text').click({ modifiers: ['Shift'] });
  await until('three rows picked', async () => (await page.locator('#log-view .row.selected').count()) === 3);
  assert.deepEqual(await page.locator('#log-view .row.selected .text').allTextContents(), lines.slice(0, 3));
  await page.keyboard.press('Control+c');
  await until('the three rows on the clipboard', async () => (await clipboard()) === lines.slice(0, 3).join('\n'), clipboard);
  assert.match((await page.locator('.lp-toast').textContent()) ?? '', /Copied 3 lines\b/);
  assert.deepEqual(problems, []);
});

test('a view keeps its bound: 1,500 lines into a 1,000-line buffer, and at the top the marker counts the 500 dropped', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const folder = await testDir(t, 'tailwatch-e2e-bound-');
  const file = join(folder, 'bound.log');
  await writeFile(file, '');
  const server = await ownServer(t, { file: [file] });
  const key = `tailwatch.settings@${new URL(server.url).origin}`;
  const { page, problems } = await openDashboard(fx.browser, server, t, {
    intercept: (context) => context.addInitScript(`localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify({ bufferLines: MIN_BUFFER_LINES }))})`),
  });
  await connectedVia(page);
  await appendFile(file, Array.from({ length: LINES_PAST_BOUND }, (_, i) => `bound line ${i + 1}\n`).join(''));
  await lineRow(page, `bound line ${LINES_PAST_BOUND}`).waitFor();

  await page.locator('body').press('g');
  const marker = page.locator('#log-view .marker-dropped');
  await marker.waitFor();
  assert.equal(await marker.textContent(), `${LINES_PAST_BOUND - MIN_BUFFER_LINES} older lines dropped (the page keeps the last 1,000 of all sources)`);
  await until('the oldest line held at the top', async () => (await drawnTexts(page))[0] === `bound line ${LINES_PAST_BOUND - MIN_BUFFER_LINES + 1}`, () => drawnTexts(page));
  const [markerBox, firstBox] = [await marker.boundingBox(), await page.locator('#log-view .row:not(.marker)').first().boundingBox()];
  assert.ok(markerBox!.y < firstBox!.y, 'the marker sits above the oldest line');
  assert.equal(await lineRow(page, 'bound line 500').count(), 0);

  // A pane made later from the lines held (side by side) knows about the older lines as well.
  await page.locator('button[title^="Side by side"]').click();
  await page.locator('[data-view^="source:"]').waitFor();
  await page.locator('body').press('g');
  const paneMarker = page.locator('[data-view^="source:"] .marker-dropped');
  await paneMarker.waitFor();
  assert.equal(await paneMarker.textContent(), `${LINES_PAST_BOUND - MIN_BUFFER_LINES} older lines dropped (the page keeps the last 1,000 of all sources)`);
  const paneTexts = () => drawnTexts(page, '[data-view^="source:"]');
  await until('the oldest line held at the pane’s top', async () => (await paneTexts())[0] === `bound line ${LINES_PAST_BOUND - MIN_BUFFER_LINES + 1}`, paneTexts);
  assert.deepEqual(problems, []);
});

test('side by side: one pane per source, each with only its own lines', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const idOf = async (name: string) => (await page.locator('#source-list .source-item', { hasText: name }).getAttribute('data-source'))!;
  await page.locator('#source-list .source-item', { hasText: 'jobs.log' }).waitFor();
  const [appId, jobsId] = [await idOf('app.log'), await idOf('jobs.log')];
  await page.locator('button[title^="Side by side"]').click();
  const appPane = `[data-view="source:${appId}"]`;
  const jobsPane = `[data-view="source:${jobsId}"]`;
  await page.locator(jobsPane).waitFor();
  assert.equal(await page.locator('[data-view^="source:"]').count(), 2);
  assert.equal(await page.locator(`${appPane} .lp-pane-name`).textContent(), 'app.log');
  assert.equal(await page.locator(`${jobsPane} .lp-pane-name`).textContent(), 'jobs.log');

  const tag = randomUUID().slice(0, 8);
  await appendFile(fx.path('app.log'), `${tag} written to app\n`);
  await appendFile(fx.path('jobs.log'), `{"level":"warn","msg":"${tag} written to jobs"}\n`);
  await lineRow(page, `${tag} written to app`, appPane).waitFor();
  await lineRow(page, `${tag} written to jobs`, jobsPane).waitFor();
  // Each pane holds every line of its source, history included (its header counts them as the sidebar does),
  // and draws no other source's line.
  const held = async (pane: string) => (await page.locator(`${pane} .lp-pane-count`).textContent()) ?? '';
  const counted = async (name: string) => (await page.locator('#source-list .source-item', { hasText: name }).locator('.lines').textContent()) ?? '';
  for (const [pane, name] of [[appPane, 'app.log'], [jobsPane, 'jobs.log']] as const) {
    await until(`${name}'s pane to hold its lines`, async () => (await held(pane)) === (await counted(name)), async () => [await held(pane), await counted(name)]);
  }
  const appTexts = await drawnTexts(page, appPane);
  const jobsTexts = await drawnTexts(page, jobsPane);
  assert.ok(appTexts.every((text) => !text.startsWith('{')), `only app.log lines in its pane: ${JSON.stringify(appTexts)}`);
  assert.ok(jobsTexts.every((text) => text.startsWith('{')), `only jobs.log lines in its pane: ${JSON.stringify(jobsTexts)}`);
  assert.equal(await lineRow(page, `${tag} written to jobs`, appPane).count(), 0);
  assert.equal(await lineRow(page, `${tag} written to app`, jobsPane).count(), 0);
  await screenshot(page, 'log-view-side-by-side');

  // A later line to jobs.log: in its pane, never in app.log's, however long we look.
  await appendFile(fx.path('jobs.log'), `{"level":"info","msg":"${tag} later jobs line"}\n`);
  await lineRow(page, `${tag} later jobs line`, jobsPane).waitFor();
  await appendFile(fx.path('app.log'), `${tag} later app line\n`);
  await lineRow(page, `${tag} later app line`, appPane).waitFor();
  assert.equal(await lineRow(page, `${tag} later jobs line`, appPane).count(), 0);
  assert.deepEqual(problems, []);
});

test('no sources: the log says how to give the server some', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const server = await ownServer(t, {});
  const { page, problems } = await openDashboard(fx.browser, server, t);
  await connectedVia(page);
  const guidance = page.locator('.lp-no-sources');
  await guidance.waitFor();
  assert.match((await guidance.textContent()) ?? '', /No log sources yet/);
  assert.match((await guidance.textContent()) ?? '', /tailwatch serve --dir \/var\/log/);
  assert.doesNotMatch((await guidance.textContent()) ?? '', /Add folder/, 'a browser is not told of the desktop app\'s buttons');
  assert.equal(await page.locator('.lp-panes').isHidden(), true);
  assert.match((await page.locator('#sources-empty').textContent()) ?? '', /--dir/);
  await screenshot(page, 'log-view-no-sources');
  assert.deepEqual(problems, []);
});

test('a --file not there yet waits, and its first line shows once it is created; one that cannot be read is an error saying why', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const folder = await testDir(t, 'tailwatch-e2e-states-');
  const later = join(folder, 'later.log');
  // A directory given as --file cannot be read as a file, whoever runs the test (root reads any file).
  const notAFile = join(folder, 'not-a-file.log');
  await mkdir(notAFile);
  const server = await ownServer(t, { file: [later, notAFile] });
  const { page, problems } = await openDashboard(fx.browser, server, t);
  await connectedVia(page);

  const waiting = page.locator('#source-list .source-item.state-waiting', { hasText: 'later.log' });
  await waiting.waitFor();
  assert.match((await waiting.textContent()) ?? '', /not there yet/);
  const broken = page.locator('#source-list .source-item.state-error', { hasText: 'not-a-file.log' });
  await broken.waitFor();
  assert.match((await broken.textContent()) ?? '', /not-a-file\.log is not a regular file/);
  await page.locator('#log-view').waitFor({ state: 'attached' });
  // The empty log says why no line comes, source by source.
  const empty = page.locator('#log-view ~ .lp-empty');
  assert.match((await empty.locator('.lp-empty-text').textContent()) ?? '', /Waiting for lines from 2 sources/);
  await empty.locator('.lp-empty-problems .state-error', { hasText: 'not-a-file.log' }).waitFor();
  assert.match((await empty.locator('.lp-empty-problems .state-error').textContent()) ?? '', /not-a-file\.log is not a regular file/);
  assert.match((await empty.locator('.lp-empty-problems .state-waiting').textContent()) ?? '', /^later\.log.*not there yet/);
  await screenshot(page, 'log-view-waiting-and-error');

  await writeFile(later, 'the first line of later.log\n');
  await lineRow(page, 'the first line of later.log').waitFor({ timeout: 10_000 });
  await page.locator('#source-list .source-item.state-live', { hasText: 'later.log' }).waitFor();
  assert.equal(await empty.isHidden(), true);

  // Deleted, it was there: the sidebar says so, not "not there yet", and keeps its lines.
  await rm(later);
  const deleted = page.locator('#source-list .source-item.state-deleted', { hasText: 'later.log' });
  await deleted.waitFor({ timeout: 10_000 });
  assert.match((await deleted.textContent()) ?? '', /deleted: shown again if it comes back/);
  assert.equal(await lineRow(page, 'the first line of later.log').count(), 1);
  assert.deepEqual(problems, []);
});

test('the token page: without the token it asks for it (no dashboard loaded), a wrong one is refused, the right one opens the dashboard', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const context = await fx.browser.newContext();
  t.after(() => context.close());
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script' || request.resourceType() === 'worker') scripts.push(request.url());
  });
  const response = await page.goto(fx.tw.url);
  assert.equal(response?.status(), 401);
  const field = page.locator('input[name="token"]');
  await field.waitFor();
  assert.match((await page.locator('form').textContent()) ?? '', /needs its access token/);
  assert.equal(await page.locator('.error').count(), 0);
  assert.equal(await page.locator('#log-view, #logs').count(), 0);
  assert.deepEqual(scripts, [], 'no dashboard bundle is loaded without the token');

  await field.fill('not-the-token');
  await page.locator('button[type="submit"]').click();
  await page.locator('.error').waitFor();
  assert.equal(await page.locator('.error').textContent(), 'That token is not right.');
  assert.deepEqual(scripts, []);

  await page.locator('input[name="token"]').fill(fx.tw.token);
  await page.locator('button[type="submit"]').click();
  await connectedVia(page);
  assert.equal(new URL(page.url()).search, '', 'the token is not left in the address bar');
  const text = `after the token page ${randomUUID()}`;
  await appendFile(fx.path('app.log'), `${text}\n`);
  await lineRow(page, text).waitFor();
});
