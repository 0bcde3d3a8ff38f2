// The Electron main process's wiring (dist/electron/main.mjs, as built) run under Node against a recording
// stand-in for `electron` (test/fixtures/electron/): Electron's binary cannot run on this machine, and this
// still drives the real core, files, settings and server. The real app is tested by test/e2e/electron-app.test.ts
// where the binary exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { INVOKE_CHANNELS, type AddPathsResult, type DesktopNotice, type DesktopSource, type ServerInfo } from '../../protocol/desktop-ipc';
import { PACKAGE_ROOT } from '../../main/app/package-info';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

register('../fixtures/electron/resolve-electron.mjs', import.meta.url);
const fake = await import('../fixtures/electron/fake-electron');

const appPage = { senderFrame: { url: 'app://tailwatch/index.html', parent: null, isDestroyed: () => false } };
const stranger = { senderFrame: { url: 'https://example.com/', parent: null, isDestroyed: () => false } };
const subframe = { senderFrame: { url: 'app://tailwatch/index.html', parent: {}, isDestroyed: () => false } };

async function invoke<T>(channel: string, event: unknown, ...args: unknown[]): Promise<T> {
  const handler = fake.state.ipcHandlers.get(channel);
  assert.ok(handler, `a handler for ${channel}`);
  return (await handler(event, ...args)) as T;
}

test('the main process: app:// before ready, a locked-down window, checked IPC, sources followed and remembered, clean quit', async (t) => {
  const userData = await testDir(t);
  const home = await testDir(t);
  const logs = await testDir(t);
  const more = await testDir(t);
  await writeFile(join(logs, 'app.log'), 'launched with a folder\n');
  await mkdir(join(more, 'nested'));
  await writeFile(join(more, 'nested', 'b.log'), 'added through IPC\n');
  fake.app.userData = userData;
  process.env.XDG_CONFIG_HOME = home;
  process.argv = [process.execPath, '--port', '0', '--backfill', '5', logs];

  await import(pathToFileURL(join(PACKAGE_ROOT, 'dist', 'electron', 'main.mjs')).href);
  // A failed assertion must not leave the core running (the test file would then wait out its timeout).
  t.after(() => {
    if (fake.state.exitCode === null) fake.app.quit();
  });
  assert.ok(fake.state.schemesRegisteredBeforeReady, 'app:// is registered before ready');
  assert.deepEqual(fake.state.schemes.map((s) => [s.scheme, s.privileges.standard, s.privileges.secure]), [['app', true, true]]);
  assert.deepEqual(fake.calls, ['requestSingleInstanceLock']);

  fake.fireReady();
  const win = await waitFor(() => fake.state.windows[0], 'the window');
  assert.equal(win.url, 'app://tailwatch/index.html');
  const prefs = win.options.webPreferences ?? {};
  for (const [key, value] of Object.entries({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false })) {
    assert.equal(prefs[key], value, key);
  }
  assert.ok(existsSync(String(prefs.preload)), 'the preload the window names is built');
  await waitFor(() => win.visible, 'shown once ready');

  assert.deepEqual(new Set(fake.state.ipcHandlers.keys()), new Set(INVOKE_CHANNELS));
  await assert.rejects(invoke('tailwatch:server-info', stranger), /only for the app's own page/);
  await assert.rejects(invoke('tailwatch:server-info', subframe), /only for the app's own page/);
  const server = await invoke<ServerInfo>('tailwatch:server-info', appPage);
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const sources = await fetch(`${server.url}api/sources?token=${server.token}`, { headers: { origin: 'app://tailwatch' } });
  assert.equal(sources.status, 200);
  assert.equal(sources.headers.get('access-control-allow-origin'), 'app://tailwatch', 'the window may read the server across origins');

  const handler = fake.state.protocolHandlers.get('app')!;
  const index = await handler({ url: 'app://tailwatch/index.html' } as Request);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-security-policy') ?? '', new RegExp(`connect-src ${server.url.slice(0, -1)} ws://127\\.0\\.0\\.1:\\d+`));
  assert.match(await index.text(), /<html/i);
  const outside = await handler({ url: 'app://tailwatch/..%2f..%2fpackage.json' } as Request);
  assert.ok(outside.status >= 400, 'nothing outside the renderer files');
  assert.ok(outside.headers.get('content-security-policy'), 'a CSP on the error too');

  const listed = await waitFor(async () => {
    const list = await invoke<DesktopSource[]>('tailwatch:list-sources', appPage);
    return list.length === 1 && list;
  }, 'the folder from the command line');
  assert.deepEqual(listed.map((s) => [s.kind, s.path]), [['folder', logs]]);
  fake.state.openDialogAnswer = [more];
  const added = await invoke<AddPathsResult>('tailwatch:pick-sources', appPage, 'folders');
  assert.deepEqual(added.added.map((s) => s.path), [more]);
  const wire = await waitFor(async () => {
    const list = (await (await fetch(`${server.url}api/sources?token=${server.token}`)).json()) as { name: string; id: string }[];
    return list.length === 2 && list;
  }, 'both folders followed by the core');
  assert.deepEqual(wire.map((s) => s.name).sort(), ['app.log', 'nested/b.log']);
  assert.equal(await invoke('tailwatch:reveal-file', appPage, wire[0]!.id), true);
  assert.ok(fake.calls.some((c) => c.startsWith('showItemInFolder ')));
  const saved = await waitFor(() => {
    const file = join(userData, 'settings.json');
    const settings = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { sources: DesktopSource[] }) : null;
    return settings?.sources.length === 2 && settings;
  }, 'the sources remembered in settings.json');
  assert.deepEqual(saved.sources.map((s) => s.path), [logs, more]);

  const navigation = { prevented: false, preventDefault() { this.prevented = true; } };
  win.webContents.emit('will-navigate', navigation, 'https://example.com/docs');
  assert.ok(navigation.prevented, 'the window never navigates away');
  assert.ok(fake.calls.includes('openExternal https://example.com/docs'), 'an http(s) link opens in the browser');
  assert.deepEqual(win.webContents.windowOpenHandler!({ url: 'file:///etc/passwd' }), { action: 'deny' });
  assert.ok(!fake.calls.some((c) => c.includes('file:///etc/passwd')));
  assert.equal(fake.state.permissionCheck!({}, 'geolocation', 'app://tailwatch'), false);
  let granted: boolean | null = null;
  fake.state.permissionRequest!({}, 'media', (g) => (granted = g), { requestingUrl: 'app://tailwatch/index.html' });
  assert.equal(granted, false);
  assert.ok(JSON.stringify(fake.state.menu).includes('Add Folder'), 'the application menu is set');

  const tray = fake.state.trays[0]!;
  await waitFor(() => /2 (folders|sources)/.test(tray.tooltip) && tray.tooltip, `the tray tells the sources (${tray.tooltip})`, 5_000);

  // What the app adds on its own (a launch, a second launch) is told to the page: held until it asks, then sent.
  const notices = () => fake.state.sent.filter((m) => m.channel === 'tailwatch:notice').map((m) => m.payload);
  const take = () => invoke<DesktopNotice[]>('tailwatch:take-notices', appPage);
  assert.deepEqual(await take(), [{ kind: 'added', result: { added: [listed[0]], rejected: [] } }], 'the launch folder, from before the page asked');
  assert.deepEqual(notices(), [], 'nothing was sent before the page listened');
  const missing = join(more, 'not-there');
  fake.app.emit('second-instance', {}, [], '/', { open: [{ kind: 'unknown', path: missing }] });
  await waitFor(() => notices().length === 1, 'a notice sent at once to a page that listens');
  assert.deepEqual(notices(), [{ kind: 'added', result: { added: [], rejected: [{ path: missing, reason: 'not found' }] } }]);
  win.webContents.emit('did-start-loading');
  const third = await testDir(t);
  fake.app.emit('second-instance', {}, [], '/', { open: [{ kind: 'folder', path: third }, { kind: 'unknown', path: `${missing}-2` }] });
  // The notice is posted right after the sources change is announced: one turn of the loop later it waits.
  await waitFor(() => fake.state.sent.some((m) => m.channel === 'tailwatch:sources-changed' && (m.payload as unknown[]).length === 3), 'the third folder added');
  await new Promise((resolve) => setImmediate(resolve));
  const afterReload = await take();
  assert.deepEqual(afterReload.map((n) => n.kind === 'added' && [n.result.added.map((a) => a.path), n.result.rejected.map((r) => r.path)]), [[[third], [`${missing}-2`]]]);
  assert.equal(notices().length, 1, 'a reloading page is sent nothing');

  // Keep running when the window is closed: the window hides (said once), the app goes on; Quit still quits.
  assert.deepEqual(await invoke('tailwatch:set-preferences', appPage, { closeToTray: true }), { openAtLogin: false, closeToTray: true });
  const closing = () => ({ prevented: false, preventDefault() { this.prevented = true; } });
  const first = closing();
  win.emit('close', first);
  assert.ok(first.prevented && !win.visible, 'closed to the tray');
  assert.deepEqual(fake.state.notifications.map((n) => n.title), ['tailwatch is still running']);
  win.show();
  win.emit('close', closing());
  assert.equal(fake.state.notifications.length, 1, 'said once per run');
  await waitFor(() => {
    const settings = JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')) as { window: unknown };
    return JSON.stringify(settings.window) === JSON.stringify({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  }, 'the window bounds remembered on close');

  fake.app.quit();
  const whileQuitting = closing();
  win.emit('close', whileQuitting);
  assert.equal(whileQuitting.prevented, false, 'quitting closes the window');
  await waitFor(() => fake.state.exitCode === 0, 'a clean exit');
  await assert.rejects(fetch(`${server.url}api/health`), 'the core stopped listening');
});
