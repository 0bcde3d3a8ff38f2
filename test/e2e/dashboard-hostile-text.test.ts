// Text made to mislead, in a real browser against a real server: files named with a right-to-left override or
// a zero-width space show those characters as ⟨U+XXXX⟩ marks wherever the page names them (sidebar, sources
// menu, rows, pane headers, chart legends); inside a line such characters are drawn as marks that reorder
// nothing, links included; and a JSON line's big numbers and deep nesting pretty-print as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { dashboardFixture, type TestHooks } from '../helpers/e2e-fixture';
import { connectedVia, inPage, screenshot, untilInPage } from '../helpers/dashboard-browser';

const TEST_TIMEOUT_MS = 90_000;
/** Charts get their first log-rate sample within a few seconds. */
const SAMPLES_MS = 15_000;
const BIDI_FILE = 'bidi\u202Etxt.exe\u202C.log';
const BIDI_SHOWN = 'bidi⟨U+202E⟩txt.exe⟨U+202C⟩.log';
const HIDDEN_FILE = 'app\u200B.log';
const HIDDEN_SHOWN = 'app⟨U+200B⟩.log';
/** The characters that must never reach the page's text as they are. */
const RAW = /[\u202A-\u202E\u2066-\u2069\u200B]/;
const JSON_DEPTH = 5_000;


const fx = dashboardFixture({ name: 'hostile', files: { [BIDI_FILE]: 'started\n', [HIDDEN_FILE]: 'started\n', 'app.log': 'started\n' } });
const paths = {
  get bidi() {
    return fx.path(BIDI_FILE);
  },
  get hidden() {
    return fx.path(HIDDEN_FILE);
  },
  get plain() {
    return fx.path('app.log');
  },
};
const open = (t: TestHooks) => fx.open(t);
const lineRow = (page: Page, text: string, scope = '#log-view') => page.locator(`${scope} .row:not(.marker)`, { has: page.locator('.text', { hasText: text }) });

test('file names with bidi and zero-width characters show them as ⟨U+XXXX⟩ in the sidebar, menu, rows, panes and chart legend', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // Wide enough for a readable pane per source (LOG_PANEL_LIMITS.minPaneWidthPx).
  const { page, problems } = await fx.open(t, { viewport: { width: 1920, height: 1080 } });
  await connectedVia(page);
  const sidebarItem = (name: string) => page.locator('#source-list .source-item', { has: page.locator('.name', { hasText: name }) });
  await sidebarItem(BIDI_SHOWN).waitFor();
  const sidebarNames = await page.locator('#source-list .source-item .name').allTextContents();
  assert.deepEqual([...sidebarNames].sort(), ['app.log', HIDDEN_SHOWN, BIDI_SHOWN].sort());
  assert.equal(await sidebarItem(BIDI_SHOWN).getAttribute('title'), join(fx.dir, BIDI_SHOWN));
  assert.equal(await sidebarItem(HIDDEN_SHOWN).getAttribute('title'), join(fx.dir, HIDDEN_SHOWN));

  await page.locator('button[title^="Sources to show"]').click();
  const menuNames = await page.locator('.lp-source-list .name').allTextContents();
  assert.deepEqual([...menuNames].sort(), ['app.log', HIDDEN_SHOWN, BIDI_SHOWN].sort());
  await page.keyboard.press('Escape');

  const tag = randomUUID().slice(0, 8);
  await appendFile(paths.bidi, `${tag} from the bidi file\n`);
  await appendFile(paths.hidden, `${tag} from the hidden file\n`);
  await appendFile(paths.plain, `${tag} from the plain file\n`);
  for (const [text, name] of [['bidi', BIDI_SHOWN], ['hidden', HIDDEN_SHOWN], ['plain', 'app.log']] as const) {
    const row = lineRow(page, `${tag} from the ${text} file`);
    await row.waitFor();
    assert.equal(await row.locator('.source').textContent(), name);
  }

  // Side by side: each pane's header names its source.
  const idOf = async (name: string) => (await sidebarItem(name).getAttribute('data-source'))!;
  const [bidiId, hiddenId] = [await idOf(BIDI_SHOWN), await idOf(HIDDEN_SHOWN)];
  await page.locator('button[title^="Side by side"]').click();
  await page.locator(`[data-view="source:${bidiId}"] .lp-pane-name`).waitFor();
  assert.equal(await page.locator(`[data-view="source:${bidiId}"] .lp-pane-name`).textContent(), BIDI_SHOWN);
  assert.equal(await page.locator(`[data-view="source:${hiddenId}"] .lp-pane-name`).textContent(), HIDDEN_SHOWN);

  // The log-rate chart's legend (and its buttons' titles) name the sources the same way.
  await untilInPage(page, `[...document.querySelectorAll('.chart-logs .chart-legend-label')].some((label) => label.textContent === ${JSON.stringify(HIDDEN_SHOWN)})`, SAMPLES_MS);
  const legend = await page.locator('.chart-logs .chart-legend-item').evaluateAll((items) => items.map((item) => `${item.textContent}\t${item.getAttribute('title')}`));
  assert.ok(legend.some((entry) => entry.includes('⟨U+202')), `the bidi file's band is marked: ${legend.join(' | ')}`);
  assert.ok(legend.includes(`${HIDDEN_SHOWN}\tHide ${HIDDEN_SHOWN}`), legend.join(' | '));

  // Nowhere on the page (text or attributes) is one of those characters left as it is.
  const raw = await inPage<string[]>(
    page,
    `[...document.querySelectorAll('*')].flatMap((el) => [...[...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data), ...[...el.attributes].map((a) => a.value)]).filter((s) => ${RAW}.test(s))`,
  );
  assert.deepEqual(raw, []);
  assert.deepEqual(problems, []);
});

test('bidi and zero-width characters inside a line are drawn as marks, links too, and the text keeps its order', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const tag = randomUUID().slice(0, 8);
  const line = `${tag} deny \u202Eexe.txt\u202C ok; see https://example.com/a\u202Egpj.exe and pay\u200Bpal`;
  const shown = `${tag} deny ⟨U+202E⟩exe.txt⟨U+202C⟩ ok; see https://example.com/a⟨U+202E⟩gpj.exe and pay⟨U+200B⟩pal`;
  await appendFile(paths.plain, `${line}\n`);
  const row = lineRow(page, `${tag} deny`);
  await row.waitFor();
  const text = row.locator('.text');
  assert.equal(await text.textContent(), shown);
  const marks = text.locator('.invisible-char');
  assert.deepEqual(await marks.allTextContents(), ['⟨U+202E⟩', '⟨U+202C⟩', '⟨U+202E⟩', '⟨U+200B⟩']);
  assert.equal(await marks.first().getAttribute('title'), 'U+202E RIGHT-TO-LEFT OVERRIDE');
  assert.equal(await marks.last().getAttribute('title'), 'U+200B ZERO WIDTH SPACE');
  assert.equal(await computedBidi(page, `${tag} deny`), 'isolate');
  await screenshot(page, 'log-view-invisible-marks');

  // The link shows its marks, and goes where the address really points.
  const link = text.locator('a');
  assert.equal(await link.textContent(), 'https://example.com/a⟨U+202E⟩gpj.exe');
  assert.equal(await link.getAttribute('href'), 'https://example.com/a%E2%80%AEgpj.exe');

  // Laid out left to right in the order written: every character stands right of the one before it. The
  // same text with its override left in (measured alongside) does not, so the check can see a reordering.
  const drawn = await characterLefts(page, `[...document.querySelectorAll('#log-view .row .text')].find((el) => el.textContent.includes(${JSON.stringify(`${tag} deny`)}))`);
  assert.equal(drawn.map(([char]) => char).join(''), shown);
  const backwards = drawn.filter(([, left], k) => k > 0 && left <= drawn[k - 1]![1]);
  assert.deepEqual(backwards, [], 'no character drawn left of the one before it');
  const control = await characterLefts(
    page,
    `(() => { const probe = document.createElement('div'); probe.className = 'bidi-probe'; probe.textContent = ${JSON.stringify(line)}; document.body.append(probe); return probe; })()`,
  );
  await inPage(page, `document.querySelector('.bidi-probe').remove()`);
  assert.ok(control.some(([, left], k) => k > 0 && left < control[k - 1]![1]), 'the raw override reorders the same text');
  assert.deepEqual(problems, []);
});

test('a JSON line with big numbers, 1e400 and 5,000-deep nesting expands with every literal as written', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const tag = randomUUID().slice(0, 8);
  const deep = '['.repeat(JSON_DEPTH) + ']'.repeat(JSON_DEPTH);
  await appendFile(paths.plain, `{"tag":"${tag}","big":12345678901234567890,"huge":1e400,"tiny":-0,"note":"a\u202Eb","deep":${deep}}\n`);
  const row = lineRow(page, tag);
  await row.waitFor();
  await row.locator('.json-toggle').click();
  const pretty = row.locator('pre.json');
  await pretty.waitFor();
  const shown = (await pretty.textContent()) ?? '';
  const start = [
    '{',
    `  "tag": "${tag}",`,
    '  "big": 12345678901234567890,',
    '  "huge": 1e400,',
    '  "tiny": -0,',
    '  "note": "a⟨U+202E⟩b",',
    '  "deep": [',
    '    [',
    '      [',
  ].join('\n');
  assert.ok(shown.startsWith(start), shown.slice(0, 300));
  assert.doesNotMatch(shown, /not valid JSON/);
  // 20,000 characters of a layout some 50 million long (2·depth²): the rest is counted, not drawn.
  const more = /\n… \(([\d,]+) more characters\)$/.exec(shown);
  assert.ok(more !== null, shown.slice(-200));
  assert.ok(Number(more[1]!.replace(/,/g, '')) > 0.99 * 2 * JSON_DEPTH * JSON_DEPTH, more[0]);
  assert.equal(await pretty.locator('.invisible-char').count(), 1);
  assert.deepEqual(problems, []);
});

/** unicode-bidi of a line row's message. */
function computedBidi(page: Page, text: string): Promise<string> {
  return inPage<string>(page, `getComputedStyle([...document.querySelectorAll('#log-view .row .text')].find((el) => el.textContent.includes(${JSON.stringify(text)}))).unicodeBidi`);
}

/** Each character of the element `expression` gives, in document order, with the left edge of its box. */
function characterLefts(page: Page, expression: string): Promise<Array<[string, number]>> {
  return inPage(
    page,
    `(() => {
      const root = ${expression};
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const lefts = [];
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        for (let i = 0; i < node.data.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          lefts.push([node.data[i], range.getBoundingClientRect().left]);
        }
      }
      return lefts;
    })()`,
  );
}
