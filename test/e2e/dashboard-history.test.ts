// The whole log in a real browser, against a real server and real files: scrolling to the top of a pane (or
// pressing g there again) reads older lines from disk, page after page, down to the start-of-file mark; and a
// `gap` the stream could not deliver (this client fell behind) is read from disk into its place, so the
// download has every line once, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTailwatch } from '../../main/app/start-tailwatch';
import { startLoopbackProxy } from '../helpers/loopback-proxy';
import { makeConfig } from '../../main/app/options';
import { dashboardFixture } from '../helpers/e2e-fixture';
import { connectedVia, openDashboard, PAGE_TIMEOUT_MS } from '../helpers/dashboard-browser';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const TEST_TIMEOUT_MS = 120_000;
/** Lines in the file at start: the page's backfill (1,000) is the newest of them. */
const FILE_LINES = 5_000;
const numbered = (from: number, to: number, text = (n: number) => `line ${String(n).padStart(5, '0')} of the big file`): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => text(from + i));

const fx = dashboardFixture({ name: 'history', files: { 'big.log': `${numbered(1, FILE_LINES).join('\n')}\n` } });

const drawnTexts = (page: Page): Promise<string[]> => page.locator('#log-view .row:not(.marker) .text').allTextContents();
const until = (what: string, check: () => Promise<boolean>, seen?: () => Promise<unknown>, timeout = PAGE_TIMEOUT_MS): Promise<true> =>
  waitFor(async () => (await check()) || null, what, timeout, seen);

async function download(page: Page): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('button[title^="Download"]').click()]);
  return readFile((await file.path())!, 'utf8');
}

/** Waits until no older lines are loading in the pane. */
const settled = (page: Page) => until('older lines loaded', async () => (await page.locator('#log-view .marker-loading').count()) === 0);

test('scrolling to the top reads older lines from disk, page after page, to the start-of-file mark', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await fx.open(t);
  await connectedVia(page);
  await until('the backfill', async () => (await drawnTexts(page)).includes(numbered(FILE_LINES, FILE_LINES)[0]!), () => drawnTexts(page));
  await page.locator('#log-view').hover();
  const start = page.locator('#log-view .marker-start');
  let pages = 0;
  // A wheel turn moves as far as the rows drawn reach (a hundred or so): many turns to the top.
  for (let i = 0; i < 200 && (await start.count()) === 0; i++) {
    await page.mouse.wheel(0, -50_000);
    await page.waitForTimeout(30);
    await settled(page);
    const top = (await drawnTexts(page))[0];
    if (top !== undefined && top < numbered(4001, 4001)[0]!) pages++;
  }
  await start.waitFor();
  assert.ok(pages > 0, 'older lines were drawn at the top');
  assert.equal(await start.textContent(), 'Start of file: no older lines on disk');
  assert.equal((await drawnTexts(page))[0], numbered(1, 1)[0]);
  // The download has the whole file: each line once, in order.
  assert.equal(await download(page), numbered(1, FILE_LINES).join('\n'));
  assert.deepEqual(problems, []);
});

test('g goes to the oldest line held, and g again there reads older lines', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await fx.open(t);
  await connectedVia(page);
  await until('the backfill', async () => (await drawnTexts(page)).includes(numbered(FILE_LINES, FILE_LINES)[0]!), () => drawnTexts(page));
  await page.locator('body').press('g');
  await settled(page);
  await page.locator('body').press('g');
  await until('older lines above the backfill', async () => ((await drawnTexts(page))[0] ?? '') < numbered(4001, 4001)[0]!, () => drawnTexts(page));
  await settled(page);
  const text = (await download(page)).split('\n');
  assert.ok(text.length >= 2_000, `${text.length} lines held`);
  assert.deepEqual(text, numbered(FILE_LINES - text.length + 1, FILE_LINES), 'the lines held are whole and in order');
  assert.deepEqual(problems, []);
});

/** A proxy in front of the server whose event streams can be held (not read), as a slow network would. */
async function holdingProxy(target: string) {
  const streams: IncomingMessage[] = [];
  /** The paths of the requests for lines from disk. */
  const linesAsked: string[] = [];
  const clients = new Map<IncomingMessage, ServerResponse>();
  let holding = false;
  const proxy = await startLoopbackProxy(target, {
    intercept: (req) => {
      if (req.url?.startsWith('/api/lines')) linesAsked.push(req.url);
      return false;
    },
    answer: (req, res, answer) => {
      if (!req.url?.startsWith('/api/events')) return void answer.pipe(res);
      streams.push(answer);
      clients.set(answer, res);
      if (holding) answer.pause();
      else answer.pipe(res);
    },
  });
  return {
    base: proxy.base,
    linesAsked,
    hold(): void {
      holding = true;
      for (const answer of streams) {
        answer.unpipe(clients.get(answer)!);
        answer.pause();
      }
    },
    release(): void {
      holding = false;
      for (const answer of streams) answer.pipe(clients.get(answer)!);
    },
    close: () => proxy.close(),
  };
}

test('a gap of lines this page fell behind on is read from disk into its place: the download has every line once, in order', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const folder = await tempDir('tailwatch-e2e-history-gap-');
  t.after(() => folder.remove());
  const file = join(folder.path, 'burst.log');
  const early = numbered(1, 10, (n) => `early ${n}`);
  await appendFile(file, `${early.join('\n')}\n`);
  // A small queue for this client, and no stall limit in the test's time: falling behind gives a gap.
  const tw = await startTailwatch(makeConfig({ port: 0, token: 'g'.repeat(32), file: [file], clientQueueBytes: 64 << 10, clientStallMs: 600_000 }));
  t.after(() => tw.close());
  const proxy = await holdingProxy(tw.url);
  t.after(() => proxy.close());
  const { page, context, problems } = await openDashboard(fx.browser, { url: proxy.base, token: 'g'.repeat(32) }, t, { transport: 'sse' });
  t.after(() => context.close());
  await connectedVia(page);
  await until('the early lines', async () => (await drawnTexts(page)).includes('early 10'), () => drawnTexts(page));

  proxy.hold();
  // More than the socket buffers between server and page hold (several MiB): the server must drop the backlog.
  const filler = 'x'.repeat(4_000);
  const burst = numbered(1, 4_000, (n) => `burst ${String(n).padStart(4, '0')} ${filler}`);
  await appendFile(file, `${burst.join('\n')}\n`);
  await waitFor(() => (tw.sources()[0]!.lines >= early.length + burst.length ? true : null), 'the burst read', 30_000);
  proxy.release();
  await appendFile(file, 'after the burst\n');
  await until('the line after the burst', async () => (await drawnTexts(page)).includes('after the burst'), () => drawnTexts(page), 30_000);
  // The gap was marked, then filled: no marker is left.
  await until('no gap marker left', async () => (await page.locator('#log-view .marker-gap').count()) === 0, () => page.locator('#log-view .marker-gap').allTextContents(), 30_000);
  assert.ok(proxy.linesAsked.some((path) => /[?&]from=\d+&to=\d+/.test(path)), `the gap's lines were asked for: ${proxy.linesAsked.join(', ')}`);
  assert.equal(await download(page), [...early, ...burst, 'after the burst'].join('\n'));
  assert.deepEqual(problems, []);
});
