// The dashboard as the desktop window shows it, in a real browser: the bundle served from a second origin
// (standing in for app://tailwatch) under the window's CSP, a fake `window.tailwatch` (test/helpers/fake-bridge.ts)
// naming a real server that follows real files. Cross-origin streaming and history with ?token=, the
// desktop-only controls, dropping files, the sources, the Alerts and Share dialogs, the menu's commands and a
// notification's jump to its line; and in a plain browser, none of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { AlertRule, DesktopSource, ShareState } from '../../protocol/desktop-ipc';
import type { SourceInfo } from '../../protocol/events';
import { connectedVia, inPage, openDashboard, screenshot, untilInPage } from '../helpers/dashboard-browser';
import { dashboardFixture, type TestHooks } from '../helpers/e2e-fixture';
import { openDesktopWindow, serveAppOrigin, type AppOrigin, type DesktopWindow, type DesktopWindowOptions } from '../helpers/fake-bridge';
import { waitFor } from '../helpers/wait';

const TEST_TIMEOUT_MS = 90_000;
/** A line appended to a followed file is on screen within this (the dashboard's promise is 2 s). */
const LINE_VISIBLE_MS = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let app: AppOrigin | undefined;
// The second origin plays the desktop window: the server lets it in as it would let in app://tailwatch.
const fx = dashboardFixture({
  name: 'desktop',
  files: { 'app.log': 'INFO checkout service started\nWARN payment provider slow\n', 'db.log': 'INFO database ready\n' },
  follow: 'dir',
  prepare: async () => {
    app = await serveAppOrigin();
    return { allowOrigin: [app.origin] };
  },
  started: (tw) => app!.useServer(tw.url),
  cleanup: async () => app?.close(),
});

const open = (t: TestHooks, options: DesktopWindowOptions = {}): Promise<DesktopWindow> =>
  openDesktopWindow(fx.browser, app!, { url: fx.tw.url, token: fx.tw.token }, t, options);

const lineRow = (page: Page, text: string) => page.locator('#log-view .row .text', { hasText: text }).first();
const toast = (page: Page) => page.locator('.lp-toast.shown');

async function liveSource(name: string): Promise<SourceInfo> {
  return waitFor(() => fx.tw.sources().find((source) => source.name === name && source.state === 'live'), `${name} to be live`);
}

/** No console error, no uncaught exception, no CSP violation: the window works within its policy. */
async function clean(window: DesktopWindow): Promise<void> {
  assert.deepEqual(window.problems, []);
  assert.deepEqual(await window.cspViolations(), []);
}

test('the desktop window streams cross-origin over SSE with ?token=, charts its history, and keeps to its CSP', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const window = await open(t);
  const { page, requests } = window;
  assert.equal(await connectedVia(page, LINE_VISIBLE_MS), 'sse');
  await lineRow(page, 'checkout service started').waitFor();
  await lineRow(page, 'database ready').waitFor();
  await appendFile(fx.path('app.log'), 'INFO order 1001 paid\n');
  await lineRow(page, 'order 1001 paid').waitFor({ timeout: LINE_VISIBLE_MS });

  // Live samples drew every chart. By then the history, asked for at load, was long read: a failed one
  // (as when the server refused the page's origin) would have left its note above the charts.
  await untilInPage(page, `[...document.querySelectorAll('#charts .chart-empty')].every((note) => note.hidden)`, 15_000);
  assert.equal(await page.locator('.charts-note').isHidden(), true, 'the history was read');
  // The page asked the server itself, with the launch's token; the worker's stream too.
  const history = requests.find((url) => url.startsWith(`${fx.tw.url}api/metrics/history?`));
  assert.ok(history, `the history was fetched from the server: ${requests.join(' ')}`);
  assert.equal(new URL(history).searchParams.get('token'), fx.tw.token);
  const events = requests.find((url) => url.startsWith(`${fx.tw.url}api/events?`));
  assert.ok(events, 'the event stream was opened on the server');
  assert.equal(new URL(events).searchParams.get('token'), fx.tw.token);
  await screenshot(page, 'desktop-window');
  await clean(window);
});

test('WebSocket and long-poll work cross-origin too, when chosen', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  for (const transport of ['ws', 'poll'] as const) {
    const window = await open(t, { transport });
    assert.equal(await connectedVia(window.page, LINE_VISIBLE_MS), transport);
    const text = `streamed over ${transport} ${Date.now()}`;
    await appendFile(fx.path('app.log'), `${text}\n`);
    await lineRow(window.page, text).waitFor({ timeout: LINE_VISIBLE_MS });
    await clean(window);
    await window.context.close();
  }
});

test('desktop-only controls are there with the bridge and call it; a plain browser has none of them', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const plain = await openDashboard(fx.browser, fx.tw, t);
  await connectedVia(plain.page);
  await plain.page.locator('#source-list .source-item', { hasText: 'app.log' }).waitFor();
  assert.equal(await plain.page.locator('#desktop-actions').isHidden(), true);
  assert.equal(await plain.page.locator('#desktop-sources').isHidden(), true);
  assert.equal(await plain.page.locator('#source-list .reveal').count(), 0);
  await plain.page.locator('#open-settings').click();
  assert.equal(await plain.page.locator('#setting-open-at-login, #setting-close-to-tray, #setting-redis-url').count(), 0);
  assert.deepEqual(plain.problems, []);

  const window = await open(t);
  const { page } = window;
  await connectedVia(page);
  assert.equal(await page.locator('#desktop-actions').isVisible(), true);

  await page.getByRole('button', { name: 'Add folder…' }).click();
  await toast(page).filter({ hasText: 'Following 1 folder' }).waitFor();
  await page.getByRole('button', { name: 'Add file…' }).click();
  await toast(page).filter({ hasText: 'Not added: /etc/shadow: not readable' }).waitFor();
  assert.deepEqual(await window.calls('pickFolders'), [[]]);
  assert.deepEqual(await window.calls('pickFiles'), [[]]);

  // Each followed file can be shown in its folder.
  const appSource = await liveSource('app.log');
  await page.getByRole('button', { name: 'Show app.log in its folder' }).click();
  await waitFor(async () => (await window.calls('revealFile')).length === 1, 'revealFile to be called');
  assert.deepEqual(await window.calls('revealFile'), [[appSource.id]]);

  // Open at login and Keep running, in the settings dialog, are the app's preferences, each changed on its own.
  await page.locator('#open-settings').click();
  const openAtLogin = page.locator('#setting-open-at-login');
  await untilInPage(page, `!document.getElementById('setting-open-at-login').disabled`);
  assert.equal(await openAtLogin.isChecked(), false);
  await openAtLogin.check();
  await waitFor(async () => (await window.calls('setPreferences')).length === 1, 'setPreferences to be called');
  assert.deepEqual(await window.calls('setPreferences'), [[{ openAtLogin: true }]]);
  const closeToTray = page.locator('#setting-close-to-tray');
  await untilInPage(page, `!document.getElementById('setting-close-to-tray').disabled`);
  assert.equal(await closeToTray.isChecked(), false);
  await window.failNext('setPreferences', 'cannot save the settings');
  await closeToTray.click(); // not check(): the switch goes back at once, which check() takes for a missed click
  await page.getByRole('alert').filter({ hasText: 'cannot save the settings' }).waitFor();
  assert.equal(await closeToTray.isChecked(), false, 'a refused change goes back');
  await closeToTray.check();
  await waitFor(async () => (await window.calls('setPreferences')).length === 3, 'setPreferences to be called again');
  assert.deepEqual((await window.calls('setPreferences')).slice(1), [[{ closeToTray: true }], [{ closeToTray: true }]]);
  assert.equal(await openAtLogin.isChecked(), true, 'the other preference is untouched');
  // Many hosts: the Redis URL and CA file are stored by Save; a refused one says why.
  await untilInPage(page, `!document.getElementById('setting-redis-url').disabled`);
  await page.locator('#setting-redis-url').fill('rediss://tailwatch-server@redis.lan:6379');
  await page.locator('#setting-redis-ca').fill('/etc/tailwatch/redis-ca.pem');
  await window.failNext('setHosts', 'the Redis URL names no host');
  await page.locator('#setting-redis-save').click();
  await page.getByRole('alert').filter({ hasText: 'the Redis URL names no host' }).waitFor();
  await page.locator('#setting-redis-save').click();
  await waitFor(async () => (await window.calls('setHosts')).length === 2, 'setHosts to be called again');
  assert.deepEqual((await window.calls('setHosts'))[1], [{ redis: 'rediss://tailwatch-server@redis.lan:6379', redisCa: '/etc/tailwatch/redis-ca.pem' }]);
  await page.getByRole('status').filter({ hasText: 'Used from the next start of the app.' }).waitFor();
  await screenshot(page, 'desktop-settings');
  await page.keyboard.press('Escape');
  await clean(window);
});

test('what the app says on its own shows, one toast after another: missed at load, then live', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const readOnly = 'settings changes are not saved: /home/me/.config/tailwatch/settings.json is from a newer tailwatch';
  const window = await open(t, {
    missedNotices: [
      { kind: 'problem', message: readOnly },
      { kind: 'added', result: { added: [{ id: 'root-menu', kind: 'folder', path: '/srv/logs' }], rejected: [] } },
    ],
  });
  const { page } = window;
  await connectedVia(page);
  await toast(page).filter({ hasText: readOnly }).waitFor();
  assert.equal(await toast(page).getAttribute('data-tone'), 'bad');
  // The second waits its turn rather than hiding the first.
  await toast(page).filter({ hasText: 'Following 1 folder' }).waitFor();
  assert.deepEqual(await window.calls('takeNotices'), [[]]);

  await window.emit('tailwatch:notice', { kind: 'added', result: { added: [], rejected: [{ path: '/root/secret.log', reason: 'not readable' }] } });
  await toast(page).filter({ hasText: 'Not added: /root/secret.log: not readable' }).waitFor();
  await window.emit('tailwatch:notice', { kind: 'problem', message: 'alert "<b>disk</b>": paused for 5 minutes: its pattern took too long' });
  const paused = toast(page).filter({ hasText: 'alert "<b>disk</b>": paused' });
  await paused.waitFor();
  assert.equal(await paused.locator('b').count(), 0, 'a notice is text, never markup');
  await clean(window);
});

test('the sidebar lists the added folders and files, live, with Remove; paths stay text', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const window = await open(t);
  const { page } = window;
  await connectedVia(page);
  const added = page.locator('#desktop-sources .desktop-source');
  await added.filter({ hasText: '/home/me/projects/shop/logs' }).waitFor();
  assert.equal(await added.count(), 1);

  const hostile = '/tmp/<img src=x onerror=alert(1)>/logs';
  const sources: DesktopSource[] = [
    { id: 'root-logs', kind: 'folder', path: '/home/me/projects/shop/logs' },
    { id: 'root-hostile', kind: 'file', path: hostile },
  ];
  await window.emit('tailwatch:sources-changed', sources);
  await added.filter({ hasText: hostile }).waitFor();
  assert.equal(await page.locator('#desktop-sources img').count(), 0, 'a path is never markup');
  assert.equal(await added.filter({ hasText: hostile }).locator('.kind').textContent(), 'File');
  await screenshot(page, 'desktop-sidebar');

  await page.getByRole('button', { name: `Stop following ${hostile}` }).click();
  await untilInPage(page, `document.querySelectorAll('#desktop-sources .desktop-source').length === 1`);
  assert.deepEqual(await window.calls('removeSource'), [['root-hostile']]);
  await window.emit('tailwatch:sources-changed', []);
  await page.locator('#desktop-sources').waitFor({ state: 'hidden' });
  await clean(window);
});

test('files dropped on the window are followed, with an overlay while dragging and the result after', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const window = await open(t);
  const { page } = window;
  await connectedVia(page);
  const entered = await inPage<{ enter: boolean; over: boolean }>(
    page,
    `(() => {
      const data = new DataTransfer();
      data.items.add(new File(['a line\\n'], 'api.log', { type: 'text/plain' }));
      data.items.add(new File(['another\\n'], 'worker.log', { type: 'text/plain' }));
      window.__drag = data;
      const target = document.getElementById('log-view');
      const fire = (type) => {
        const event = new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data });
        target.dispatchEvent(event);
        return event.defaultPrevented;
      };
      return { enter: fire('dragenter'), over: fire('dragover') };
    })()`,
  );
  assert.deepEqual(entered, { enter: true, over: true }, 'the window takes the drag');
  const overlay = page.locator('.drop-overlay');
  await overlay.waitFor();
  assert.equal(await overlay.textContent(), 'Drop folders or files to follow them');
  await screenshot(page, 'desktop-drop-overlay');

  const dropped = await inPage<boolean>(
    page,
    `(() => {
      const event = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: window.__drag });
      document.getElementById('log-view').dispatchEvent(event);
      return event.defaultPrevented;
    })()`,
  );
  assert.equal(dropped, true, 'the browser does not open the file');
  await overlay.waitFor({ state: 'hidden' });
  await toast(page).filter({ hasText: 'Following 2 files; not added: /home/me/dropped/core.bin: not a text file' }).waitFor();
  assert.deepEqual(await window.calls('addDropped'), [[['api.log', 'worker.log']]]);
  await page.locator('#desktop-sources .desktop-source', { hasText: '/home/me/dropped/worker.log' }).waitFor();
  await clean(window);
});

test('in a plain browser a dropped file does nothing: no navigation, no overlay', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openDashboard(fx.browser, fx.tw, t);
  await connectedVia(page);
  const prevented = await inPage<boolean[]>(
    page,
    `(() => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'secret.txt', { type: 'text/plain' }));
      return ['dragenter', 'dragover', 'drop'].map((type) => {
        const event = new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data });
        document.body.dispatchEvent(event);
        return event.defaultPrevented;
      });
    })()`,
  );
  assert.deepEqual(prevented, [false, true, true], 'dragover and drop are cancelled, so the browser never opens the file');
  assert.equal(await page.locator('.drop-overlay').count(), 0);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.deepEqual(problems, []);
});

test('Alerts: line and metric rules are created, switched, refused with the reason, and named as text', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const window = await open(t);
  const { page } = window;
  await connectedVia(page);
  const appSource = await liveSource('app.log');
  await page.locator('#source-list .source-item', { hasText: 'app.log' }).waitFor();
  const dialog = page.locator('#alerts-dialog');

  await page.getByRole('button', { name: 'Alerts…' }).click();
  await dialog.locator('.alert-empty').waitFor();
  assert.equal(await dialog.getAttribute('open'), '');
  assert.deepEqual(await window.calls('getAlerts'), [[]]);

  // A line rule limited to one source. Its name holds markup, which must stay text.
  const lineName = '<img src=x onerror=alert(1)> Payment failures';
  await dialog.getByRole('button', { name: 'Add log line alert…' }).click();
  await dialog.getByLabel('Name', { exact: true }).fill(lineName);
  await dialog.getByLabel('Pattern (regular expression)').fill('payment (failed|declined)');
  assert.equal(await dialog.getByLabel('Ignore case').isChecked(), true);
  await dialog.getByLabel('Only these:').check();
  await dialog.getByLabel('app.log').check();
  await dialog.getByLabel('Cooldown (seconds)').fill('30');
  await screenshot(page, 'desktop-alerts-form');
  await dialog.getByRole('button', { name: 'Save alert' }).click();
  await dialog.locator('.alert-rule').first().waitFor();
  const [[firstSave]] = (await window.calls('setAlerts')) as [[AlertRule[]]];
  assert.equal(firstSave.length, 1);
  const line = firstSave[0]!;
  assert.match(line.id, UUID);
  assert.deepEqual(line, { id: line.id, name: lineName, enabled: true, cooldownSeconds: 30, kind: 'line', pattern: 'payment (failed|declined)', flags: 'i', sources: [appSource.id] });
  assert.equal(await dialog.locator('.alert-name').first().textContent(), lineName);
  assert.equal(await dialog.locator('img').count(), 0, 'a rule name is never markup');

  // A pattern that does not compile is caught before it is sent.
  await dialog.getByRole('button', { name: 'Add log line alert…' }).click();
  await dialog.getByLabel('Name', { exact: true }).fill('broken');
  await dialog.getByLabel('Pattern (regular expression)').fill('(unclosed');
  await dialog.getByRole('button', { name: 'Save alert' }).click();
  assert.match(await dialog.getByLabel('Pattern (regular expression)').evaluate((input) => (input as unknown as { validationMessage: string }).validationMessage), /regular expression|group/i);
  assert.equal((await window.calls('setAlerts')).length, 1);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A metric rule.
  await dialog.getByRole('button', { name: 'Add metric alert…' }).click();
  await dialog.getByLabel('Name', { exact: true }).fill('Memory high');
  await dialog.getByLabel('Metric').selectOption('memory');
  await dialog.getByLabel('Above').fill('80');
  await dialog.getByLabel('For at least (seconds)').fill('120');
  await dialog.getByLabel('Cooldown (seconds)').fill('300');
  await dialog.getByRole('button', { name: 'Save alert' }).click();
  await untilInPage(page, `document.querySelectorAll('#alerts-dialog .alert-rule').length === 2`);
  const saves = (await window.calls('setAlerts')) as [AlertRule[]][];
  const [kept, metric] = saves.at(-1)![0];
  assert.deepEqual(kept, line);
  assert.match(metric!.id, UUID);
  assert.notEqual(metric!.id, line.id);
  assert.deepEqual(metric, { id: metric!.id, name: 'Memory high', enabled: true, cooldownSeconds: 300, kind: 'metric', metric: 'memory', above: 80, forSeconds: 120 });
  assert.match((await dialog.locator('.alert-summary').nth(1).textContent()) ?? '', /Memory use above 80 % for 120 s/);
  await screenshot(page, 'desktop-alerts-list');

  // Switched off from the list.
  await dialog.getByRole('switch', { name: 'Enabled: Memory high' }).uncheck();
  await waitFor(async () => (await window.calls('setAlerts')).length === saves.length + 1, 'the switch to be saved');
  const switched = ((await window.calls('setAlerts')) as [AlertRule[]][]).at(-1)![0];
  assert.deepEqual(switched.map((rule) => rule.enabled), [true, false]);

  // The main process refuses an edit: its reason is shown (without Electron's wrapping), and the form stays.
  await window.failNext('setAlerts', 'pattern "payment (" of "Payments" is not a valid regular expression');
  await dialog.getByRole('button', { name: `Edit ${lineName}` }).click();
  await dialog.getByLabel('Name', { exact: true }).fill('Payments');
  await dialog.getByRole('button', { name: 'Save alert' }).click();
  const refusal = dialog.locator('.alert-form .form-error');
  await refusal.waitFor();
  assert.equal(await refusal.textContent(), 'pattern "payment (" of "Payments" is not a valid regular expression');
  await screenshot(page, 'desktop-alerts-refused');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await dialog.locator('.alert-name').first().textContent(), lineName, 'the refused edit is not shown as stored');

  // The application menu opens it too.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await window.emit('tailwatch:command', 'alerts');
  await dialog.locator('.alert-rule').first().waitFor();
  await clean(window);
});

test('Share: the form is sent as asked; link, QR code, fingerprint and clients show live; Revoke; errors', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const window = await open(t);
  const { page, context } = window;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app!.origin });
  await connectedVia(page);
  const dialog = page.locator('#share-dialog');

  await window.emit('tailwatch:command', 'share');
  await dialog.getByRole('switch', { name: 'Share this dashboard on the network' }).waitFor();
  assert.deepEqual(await window.calls('getShare'), [[]]);
  assert.equal(await dialog.locator('.share-running').isHidden(), true, 'nothing to show while off');

  await dialog.getByLabel('Network interface').selectOption('192.168.1.20');
  await dialog.getByLabel('Port').fill('8443');
  await dialog.getByLabel('Port').press('Tab');
  await dialog.getByLabel('Use HTTPS (a self-signed certificate)').check();
  await dialog.getByLabel('Remember after restart').check();
  await dialog.getByRole('switch', { name: 'Share this dashboard on the network' }).check();
  await dialog.locator('.share-running').waitFor();
  const requests = await window.calls('setShare');
  assert.deepEqual(requests.at(-1), [{ enabled: true, address: '192.168.1.20', port: 8443, tls: true, remember: true }]);

  const link = 'https://192.168.1.20:8443/?token=share-token-1';
  assert.equal(await dialog.getByLabel('Link').inputValue(), link);
  assert.equal(await dialog.getByLabel('Link').getAttribute('readonly'), '');
  await untilInPage(page, `document.querySelector('#share-dialog .share-qr').naturalWidth > 0`);
  assert.match((await dialog.locator('.share-qr').getAttribute('src')) ?? '', /^data:image\/svg\+xml,/);
  assert.match((await dialog.locator('.share-fingerprint').textContent()) ?? '', /^AB:CD:EF(:[0-9A-F]{2}){29}$/);
  assert.match((await dialog.locator('.share-clients').textContent()) ?? '', /No one is connected/);

  // Pushed by the main process as clients come and go.
  const shared = (await inPage<ShareState>(page, 'window.__bridge.state.share'));
  const now = Date.now();
  await window.emit('tailwatch:share-changed', {
    ...shared,
    clients: [
      { address: '192.168.1.33', since: now - 3 * 60_000, transport: 'sse' },
      { address: '<b>10.0.0.9</b>', since: now - 2_000, transport: 'ws' },
    ],
  });
  const clients = dialog.locator('.share-clients li');
  await clients.nth(1).waitFor();
  assert.match((await clients.nth(0).textContent()) ?? '', /192\.168\.1\.33.*SSE · connected 3 minutes ago/);
  assert.match((await clients.nth(1).textContent()) ?? '', /<b>10\.0\.0\.9<\/b>.*WebSocket · connected just now/);
  assert.equal(await dialog.locator('.share-clients b').count(), 0, 'an address is never markup');

  await dialog.getByRole('button', { name: 'Copy' }).click();
  await dialog.getByText('Copied.').waitFor();
  assert.equal(await inPage<string>(page, 'navigator.clipboard.readText()'), link);
  await screenshot(page, 'desktop-share');

  await dialog.getByRole('button', { name: 'Revoke link' }).click();
  await untilInPage(page, `document.querySelector('#share-dialog .share-url input').value.endsWith('token=share-token-2')`);
  assert.deepEqual(await window.calls('revokeShare'), [[]]);
  assert.match((await dialog.locator('.share-running').textContent()) ?? '', /everyone connected now is disconnected/);

  await window.emit('tailwatch:share-changed', { ...shared, url: null, qrDataUrl: null, fingerprint: null, clients: [], error: 'port 8443 is in use by another program' });
  await dialog.locator('.form-error', { hasText: 'port 8443 is in use by another program' }).waitFor();
  assert.equal(await dialog.locator('.share-running').isHidden(), true);
  await screenshot(page, 'desktop-share-error');

  // A refused request leaves the form as the app has it, with the reason.
  await window.failNext('setShare', 'no such interface');
  await dialog.getByRole('switch', { name: 'Share this dashboard on the network' }).click();
  await dialog.locator('.form-error', { hasText: /^no such interface$/ }).waitFor();
  assert.equal(await dialog.getByRole('switch', { name: 'Share this dashboard on the network' }).isChecked(), true);
  await clean(window);
});

test('the menu toggles the theme; a notification jumps the log to its line and marks it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const window = await open(t);
  const { page } = window;
  await connectedVia(page);
  const themeChoice = `document.documentElement.dataset.themeChoice ?? 'system'`;
  assert.equal(await inPage(page, themeChoice), 'system');
  await window.emit('tailwatch:command', 'toggle-theme');
  assert.equal(await inPage(page, themeChoice), 'light');
  await window.emit('tailwatch:command', 'toggle-theme');
  assert.equal(await inPage(page, themeChoice), 'dark');
  assert.equal(await page.locator('#toggle-theme').textContent(), '☾ Dark');

  // Enough lines that the one a notification names is far above the newest: one a second, from an hour
  // ahead, so that no line written earlier (stamped when read) claims a later time.
  const source = await liveSource('app.log');
  await lineRow(page, 'checkout service started').waitFor();
  const before = await waitFor(async () => {
    const lines = fx.tw.sources().find((s) => s.id === source.id)!.lines;
    await new Promise((resolve) => setTimeout(resolve, 200));
    return fx.tw.sources().find((s) => s.id === source.id)!.lines === lines ? lines : null;
  }, 'app.log to be idle');
  const start = Math.ceil(Date.now() / 1000) * 1000 + 3_600_000;
  const stamp = (i: number): string => new Date(start + i * 1000).toISOString();
  await appendFile(fx.path('app.log'), Array.from({ length: 400 }, (_, i) => `${stamp(i)} ERROR payment failed for order ${5000 + i}\n`).join(''));
  await lineRow(page, 'payment failed for order 5399').waitFor({ timeout: LINE_VISIBLE_MS });

  const target = 120;
  await window.emit('tailwatch:jump', { ruleId: 'rule-1', source: source.id, seq: before + target + 1, ts: Date.parse(stamp(target)) });
  const marked = page.locator('#log-view .row.marked');
  await marked.waitFor();
  assert.match((await marked.locator('.text').textContent()) ?? '', new RegExp(`payment failed for order ${5000 + target}$`));
  assert.equal(await marked.count(), 1, 'only that line is marked');
  const inView = await inPage<boolean>(
    page,
    `(() => {
      const view = document.getElementById('log-view').getBoundingClientRect();
      const row = document.querySelector('#log-view .row.marked').getBoundingClientRect();
      return row.top >= view.top && row.bottom <= view.bottom;
    })()`,
  );
  assert.equal(inView, true, 'the marked line is on screen');
  assert.equal(await lineRow(page, 'payment failed for order 5399').isVisible(), false, 'the log left the newest lines');
  await screenshot(page, 'desktop-jump');
  await marked.waitFor({ state: 'detached', timeout: 10_000 });
  await clean(window);
});
