// Times and identity in a real browser against a real server: a line from days ago shows its date, another
// year's its year, in one column width; hovering a time gives the full time with zone and the line's file:seq;
// Settings → Times switches rows, tooltips and charts to UTC and is kept; and a source's colour is the same
// on two servers that list the same files in opposite orders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTailwatch } from '../../main/app/start-tailwatch';
import { makeConfig } from '../../main/app/options';
import { dashboardFixture, type TestHooks } from '../helpers/e2e-fixture';
import { connectedVia, inPage, openDashboard, PAGE_TIMEOUT_MS, screenshot } from '../helpers/dashboard-browser';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const TEST_TIMEOUT_MS = 90_000;
/** The browser's zone: an hour ahead of UTC in December, so local and UTC clocks differ. */
const ZONE = 'Europe/Berlin';
const DAY_MS = 86_400_000;

const NOW = Date.now();
const RECENT = NOW - 1_000;
const DAYS_AGO = NOW - 3 * DAY_MS;
const YEAR_AGO = NOW - 400 * DAY_MS;

const fx = dashboardFixture({
  name: 'times',
  files: {
    'times.log': [
      `${new Date(YEAR_AGO).toISOString()} INFO from last year`,
      `${new Date(DAYS_AGO).toISOString()} INFO from three days ago`,
      `${new Date(RECENT).toISOString()} INFO from just now`,
    ].join('\n') + '\n',
  },
});
const open = (t: TestHooks) => fx.open(t, { timezoneId: ZONE });

const row = (page: Page, text: string) => page.locator('#log-view .row:not(.marker)', { has: page.locator('.text', { hasText: text }) });

/** The parts of `ts` on the clock of `timeZone`, as the page should print them. */
function clockOf(ts: number, timeZone: string): { year: string; month: string; day: string; clock: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(ts)
      .map((part) => [part.type, part.value]),
  );
  const ms = String(ts % 1000).padStart(3, '0');
  return { year: parts.year!, month: parts.month!, day: parts.day!, clock: `${parts.hour}:${parts.minute}:${parts.second}.${ms}` };
}

const until = (what: string, check: () => Promise<boolean>, seen?: () => Promise<unknown>): Promise<true> =>
  waitFor(async () => (await check()) || null, what, PAGE_TIMEOUT_MS, seen);

async function chooseClock(page: Page, value: 'local' | 'utc'): Promise<void> {
  await page.locator('#open-settings').click();
  await page.locator('#setting-time-zone').selectOption(value);
  await page.keyboard.press('Escape');
}

test('an older line shows its date, another year its year, in one column width; hovering gives zone and file:line', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const [recent, days, year] = [row(page, 'from just now'), row(page, 'from three days ago'), row(page, 'from last year')];
  await Promise.all([recent.waitFor(), days.waitFor(), year.waitFor()]);

  const local = { recent: clockOf(RECENT, ZONE), days: clockOf(DAYS_AGO, ZONE), year: clockOf(YEAR_AGO, ZONE) };
  assert.equal(await recent.locator('.time').textContent(), local.recent.clock, "today's line: the clock only");
  assert.equal(await days.locator('.time').textContent(), `${local.days.month} ${local.days.day} ${local.days.clock}`, 'three days ago: its date');
  const monthNumber = String(new Date(`${local.year.month} 1, 2000`).getMonth() + 1).padStart(2, '0');
  assert.equal(await year.locator('.time').textContent(), `${local.year.year}-${monthNumber}-${local.year.day} ${local.year.clock}`, 'last year: the year too');

  // One width for the column, and every time fits in it.
  const cells = await inPage<{ width: number; fits: boolean }[]>(
    page,
    `[...document.querySelectorAll('#log-view .row:not(.marker) .time')].map((cell) => ({ width: cell.getBoundingClientRect().width, fits: cell.scrollWidth <= cell.clientWidth }))`,
  );
  assert.ok(cells.length >= 3, JSON.stringify(cells));
  assert.equal(new Set(cells.map((cell) => cell.width)).size, 1, `one width: ${JSON.stringify(cells)}`);
  assert.ok(cells.every((cell) => cell.fits), `every time fits: ${JSON.stringify(cells)}`);

  // The tooltip of the time under the pointer: ISO 8601 with offset and zone, the same instant in UTC, then file:seq.
  await days.locator('.time').hover();
  const box = (await days.locator('.time').boundingBox())!;
  const title = await inPage<string>(page, `document.elementFromPoint(${box.x + box.width / 2}, ${box.y + box.height / 2}).closest('.time').title`);
  const iso = new Date(DAYS_AGO).toISOString().replace('Z', '');
  assert.match(title, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+01:00 \\(${ZONE}\\)\\n${iso}\\+00:00 \\(UTC\\)\\n`), title);
  assert.ok(title.endsWith(`\n${fx.path('times.log')}:2`), `file:seq of the second line: ${title}`);
  await screenshot(page, 'times-dated-rows');
  assert.deepEqual(problems, []);
});

test('Settings → Times: UTC moves the rows, their tooltips and the charts to UTC, and is kept over a reload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const recent = row(page, 'from just now');
  await recent.waitFor();
  assert.equal(await recent.locator('.time').textContent(), clockOf(RECENT, ZONE).clock);

  await chooseClock(page, 'utc');
  const utc = clockOf(RECENT, 'UTC').clock;
  await until(`the row's time on the UTC clock (${utc})`, async () => (await recent.locator('.time').textContent()) === utc, () => recent.locator('.time').textContent());
  assert.match((await recent.locator('.time').getAttribute('title')) ?? '', /^\S+\+00:00 \(UTC\)\n\S+\+01:00 \(Europe\/Berlin\)\n/);

  // The charts: the tooltip's time is on the UTC clock, and says so.
  const canvas = (await page.locator('.chart-card.chart-logs canvas').boundingBox())!;
  const hovered = await waitFor(
    async () => {
      await page.mouse.move(canvas.x + canvas.width * 0.97, canvas.y + canvas.height / 2);
      await page.mouse.move(canvas.x + canvas.width * 0.96, canvas.y + canvas.height / 2);
      return inPage<string | null>(page, `(() => { const tip = document.querySelector('.chart-tooltip'); return tip && !tip.hidden ? tip.querySelector('.chart-tooltip-title').textContent : null; })()`);
    },
    'a chart tooltip',
    30_000,
  );
  const match = /^(\d\d):(\d\d):(\d\d) UTC$/.exec(hovered);
  assert.ok(match, hovered);
  const hoveredUtc = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate(), Number(match[1]), Number(match[2]), Number(match[3]));
  assert.ok(Math.abs(((hoveredUtc - Date.now() + DAY_MS * 1.5) % DAY_MS) - DAY_MS / 2) < 10 * 60_000, `the hovered time ${hovered} is about now in UTC`);

  await page.reload();
  await connectedVia(page);
  await recent.waitFor();
  assert.equal(await recent.locator('.time').textContent(), utc, 'still UTC after a reload');
  await chooseClock(page, 'local');
  await until('back on the local clock', async () => (await recent.locator('.time').textContent()) === clockOf(RECENT, ZONE).clock);
  assert.deepEqual(problems, []);
});

test("a source's colour comes from its path: the same on two servers that list the sources in opposite orders", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const dir = await testDir(t, 'tailwatch-e2e-colours-');
  const names = ['nginx-access.log', 'nginx-error.log', 'syslog.log', 'shop.log', 'api.log', 'worker.log'];
  for (const name of names) await writeFile(join(dir, name), `2026-12-01T10:00:00Z INFO line of ${name}\n`);
  const colours = async (order: readonly string[]): Promise<Map<string, string>> => {
    const server = await startTailwatch(makeConfig({ port: 0, token: randomUUID().replace(/-/g, ''), file: order.map((name) => join(dir, name)) }));
    t.after(() => server.close());
    const { page, problems } = await openDashboard(fx.browser, server, t);
    await connectedVia(page);
    const seen = new Map<string, string>();
    for (const name of names) {
      const line = row(page, `line of ${name}`);
      await line.waitFor();
      const slot = /\bsrc-(\d+)\b/.exec((await line.getAttribute('class')) ?? '')?.[1];
      assert.ok(slot !== undefined, `the row of ${name} has a source colour`);
      seen.set(name, await inPage<string>(page, `getComputedStyle(document.documentElement).getPropertyValue('--source-${slot}').trim()`));
    }
    assert.deepEqual(problems, []);
    return seen;
  };
  const first = await colours(names);
  const second = await colours([...names].reverse());
  assert.deepEqual(second, first);
  assert.equal(new Set(first.values()).size, names.length, `six sources, six colours: ${JSON.stringify([...first])}`);
});
