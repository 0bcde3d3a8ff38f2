// The dashboard in a real browser (Debian's Chromium through playwright-core) against a real tailwatch
// server following a real file: live lines, log text kept as text, the transport fallbacks, and the
// gap/reset markers and DOM bound (from a scripted event stream).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTailwatch } from '../../main/app/start-tailwatch';
import { makeConfig } from '../../main/app/options';
import { startBlockingProxy } from '../helpers/blocking-proxy';
import { connectedVia as connected, type Dashboard, type OpenOptions } from '../helpers/dashboard-browser';
import { dashboardFixture, type TestHooks } from '../helpers/e2e-fixture';
import { tempDir } from '../helpers/temp-dir';

/** A line appended to the followed file must be on screen within this. */
const LINE_VISIBLE_MS = 5_000;
/** Time to give up on two transports (hello timeout, retries) and settle on the next. */
const FALLBACK_MS = 25_000;
const TEST_TIMEOUT_MS = 60_000;
/** Rows a virtualized view may draw at once in a 1280×720 page (a screenful plus overscan). */
const MAX_DRAWN_ROWS = 150;

const fx = dashboardFixture({ name: 'basic', files: { 'app.log': 'first line of history\nsecond line of history\n' } });
const open = (t: TestHooks, options: OpenOptions = {}): Promise<Dashboard> => fx.open(t, options);

const connectedVia = (page: Page, timeout = LINE_VISIBLE_MS): Promise<string | null> => connected(page, timeout);

/** Appends a line to the followed file and waits for it in the log view. */
async function appendAndSee(page: Page, text: string): Promise<void> {
  await appendFile(fx.path('app.log'), `${text}\n`);
  await page.locator('#log-view .row .text', { hasText: text }).first().waitFor({ timeout: LINE_VISIBLE_MS });
}

test('the dashboard loads without console errors, connected over SSE, with its source and history', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  assert.equal(await connectedVia(page), 'sse');
  assert.equal(new URL(page.url()).search, '', 'the token is not left in the address bar');
  assert.equal(await page.locator('h1').textContent(), 'tailwatch');
  const source = page.locator('#source-list .source-item', { hasText: 'app.log' });
  await source.waitFor();
  assert.match((await source.textContent()) ?? '', /live/);
  await page.locator('#log-view .row .text', { hasText: 'second line of history' }).waitFor();
  assert.equal(await page.locator('#empty-state').isHidden(), true);
  assert.deepEqual(problems, []);
});

test('a line appended to the followed file appears within seconds, with its source name', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const text = `live line ${randomUUID()}`;
  await appendAndSee(page, text);
  const row = page.locator('#log-view .row', { hasText: text });
  assert.equal(await row.locator('.source').textContent(), 'app.log');
  assert.deepEqual(problems, []);
});

test('log text that looks like HTML stays text', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t);
  await connectedVia(page);
  const payload = `${randomUUID()} <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><a href="javascript:alert(1)">x</a>`;
  await appendAndSee(page, payload);
  assert.equal(await page.locator('#log-view .row .text', { hasText: payload }).first().textContent(), payload);
  assert.equal(await page.locator('#log-view img, #log-view script, #log-view a').count(), 0);
  // An <img> that had been created would fail to load and run its handler a moment later.
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
  assert.deepEqual(problems, []);
});

test('the tailwatch.transport setting forces long-poll, which streams lines too', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await open(t, { transport: 'poll' });
  assert.equal(await connectedVia(page), 'poll');
  await page.locator('#log-view .row .text', { hasText: 'second line of history' }).waitFor();
  await appendAndSee(page, `polled line ${randomUUID()}`);
  await appendAndSee(page, `second polled line ${randomUUID()}`);
  assert.deepEqual(problems, []);
});

test('with SSE blocked, the client falls back to WebSocket and still shows lines', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page } = await open(t, { intercept: (c) => c.route('**/api/events**', (route) => route.abort()) });
  assert.equal(await connectedVia(page, FALLBACK_MS), 'ws');
  await appendAndSee(page, `line over websocket ${randomUUID()}`);
});

test('with SSE and WebSocket blocked, the client falls back to long-poll and still shows lines', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // A proxy that passes plain HTTP only, as some corporate proxies do.
  const proxy = await startBlockingProxy(fx.tw.url, { refusePaths: ['/api/events'] });
  t.after(() => proxy.close());
  const { page } = await open(t, { base: proxy.base });
  assert.equal(await connectedVia(page, 2 * FALLBACK_MS), 'poll');
  await page.locator('#log-view .row .text', { hasText: 'second line of history' }).waitFor();
  await appendAndSee(page, `line over long-poll ${randomUUID()}`);
});

/** One SSE frame, as the server writes it. */
const frame = (id: string, type: string, data: object): string => `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

test('gap and reset markers, a virtualized view, and resuming with lastEventId (scripted stream)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const now = Date.now();
  const source = { id: 's1', path: '/var/log/scripted.log', name: 'scripted.log', state: 'live', size: 0, lines: 0, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0 };
  const lines = Array.from({ length: 6_000 }, (_, i) => ({ seq: i + 1, ts: now, text: `scripted line ${i + 1}` }));
  const firstRun =
    'retry: 60000\n\n' +
    frame('e1-1', 'hello', { epoch: 'e1', serverTime: now, version: 'test', sources: [source] }) +
    frame('e1-2', 'log', { source: 's1', lines }) +
    frame('e1-3', 'gap', { source: 's1', missed: 42, reason: 'slow-client' });
  // The "restarted server": a new epoch greets, says reset, and starts its lines over.
  const secondRun =
    frame('e2-1', 'hello', { epoch: 'e2', serverTime: now, version: 'test', sources: [source] }) +
    frame('e2-1', 'reset', { epoch: 'e2', reason: 'unknown-epoch' }) +
    frame('e2-2', 'log', { source: 's1', lines: [{ seq: 1, ts: now, text: 'after the restart' }] });

  const requests: URL[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const { page, problems } = await open(t, {
    transport: 'sse',
    intercept: (c) =>
      c.route('**/api/events**', async (route) => {
        requests.push(new URL(route.request().url()));
        // The first connection ends after its events, like a server going away; the next waits for the test.
        if (requests.length > 1) await released;
        await route.fulfill({ status: 200, contentType: 'text/event-stream', body: requests.length === 1 ? firstRun : secondRun });
      }),
  });

  const rows = page.locator('#log-view .row:not(.marker)');
  await page.locator('#log-view .marker-gap').waitFor();
  assert.equal(await page.locator('#log-view .marker-gap').textContent(), '42 lines of scripted.log not received (this view fell behind)');
  // Following: the newest line sits right above the marker, and only what fits on screen is in the DOM.
  assert.equal(await rows.last().locator('.text').textContent(), `scripted line ${lines.length}`);
  assert.ok((await rows.count()) <= MAX_DRAWN_ROWS, `at most ${MAX_DRAWN_ROWS} rows drawn of ${lines.length}`);
  assert.equal(requests[0]!.searchParams.get('lastEventId'), null);
  assert.equal(requests[0]!.searchParams.get('topics'), 'logs,metrics,sources,processes', 'one connection carries every topic (processes for the process table)');

  release();
  await page.locator('#log-view .row .text', { hasText: 'after the restart' }).waitFor();
  assert.equal(requests[1]!.searchParams.get('lastEventId'), 'e1-3', 'the reconnect resumes after the last event');
  assert.equal(await page.locator('#log-view .marker-reset').count(), 1, 'one restart, one marker');
  assert.equal(await page.locator('#log-view .marker-reset').textContent(), 'server restarted: earlier lines were cleared');
  assert.equal(await rows.count(), 1, 'the lines of the old run are gone');
  assert.deepEqual(problems, []);
});

test('a server restart is shown as such, and the view carries on with the new run', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // A server of its own: this one is stopped and started again on the same port.
  const restartDir = await tempDir('tailwatch-e2e-restart-');
  t.after(() => restartDir.remove());
  const file = join(restartDir.path, 'restart.log');
  await writeFile(file, 'before the restart\n');
  const config = { port: 0, file: [file], token: 'y'.repeat(32) };
  let server = await startTailwatch(makeConfig(config));
  const port = server.port;
  t.after(() => server.close());

  const context = await fx.browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(`${server.url}?token=${server.token}`);
  await connectedVia(page);
  await page.locator('#log-view .row .text', { hasText: 'before the restart' }).waitFor({ timeout: LINE_VISIBLE_MS });

  await server.close();
  await page.locator('#status:is([data-status="reconnecting"], [data-status="offline"])').waitFor({ timeout: LINE_VISIBLE_MS });
  server = await startTailwatch(makeConfig({ ...config, port }));

  await page.locator('#log-view .marker-reset').waitFor({ timeout: FALLBACK_MS });
  assert.equal(await connectedVia(page, FALLBACK_MS), 'sse', 'a server that was down is no reason to give up SSE');
  await appendFile(file, 'after the restart\n');
  await page.locator('#log-view .row .text', { hasText: 'after the restart' }).waitFor({ timeout: LINE_VISIBLE_MS });
  assert.equal(await page.locator('#log-view .marker-reset').count(), 1);
});
