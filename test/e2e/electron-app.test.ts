// The real desktop app through Playwright's `_electron` (under xvfb-run when there is no display): it
// launches, the window shows the dashboard from app://, a folder added through the page's bridge (IPC to the
// main process, whose dialog is answered for the test) is followed, and its line appears. Where Electron's
// binary is missing this reports skipped, with the reason, never passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../main/app/package-info';
import { findElectronBinary } from '../../main/desktop/electron-binary';
import { testDir } from '../helpers/temp-dir';

const binary = findElectronBinary({ packageDir: join(PACKAGE_ROOT, 'node_modules', 'electron'), env: process.env });
const needsXvfb = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).status === 0;
const skip = !binary.found
  ? `Electron's binary is not installed here (${binary.reason}); \`npx install-electron\` or ELECTRON_OVERRIDE_DIST_PATH enables this test`
  : needsXvfb && !hasXvfb
    ? 'no display, and xvfb-run is not installed (apt-get install xvfb)'
    : false;

test('the desktop app shows the dashboard, follows a folder added through IPC, and is locked down', { skip, timeout: 120_000 }, async (t) => {
  if (!binary.found) return;
  const { _electron } = await import('playwright-core');
  const home = await testDir(t);
  const logs = await testDir(t);
  await writeFile(join(logs, 'app.log'), 'hello from the electron e2e test\n');
  let executablePath = binary.path;
  if (needsXvfb) {
    // Playwright reads Electron's stderr and talks CDP to it; a wrapper keeps both while giving it a display.
    executablePath = join(home, 'electron-under-xvfb');
    await writeFile(executablePath, `#!/bin/sh\nexec xvfb-run -a "${binary.path}" "$@"\n`);
    await chmod(executablePath, 0o755);
  }
  const app = await _electron.launch({
    executablePath,
    args: [PACKAGE_ROOT, '--port', '0', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    // Its own settings, lock and login items: Electron's userData is under XDG_CONFIG_HOME on Linux.
    env: { ...process.env, XDG_CONFIG_HOME: home, HOME: home, TAILWATCH_TOKEN: '' },
    timeout: 60_000,
  });
  t.after(() => app.close());
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  assert.equal(new URL(page.url()).origin, 'app://tailwatch');

  // No Node in the page, only the bridge; no <webview> (a registered tag would not be an unknown element).
  const pageSees = await page.evaluate(
    `({ require: typeof require, process: typeof process, bridge: typeof window.tailwatch, webview: document.createElement('webview') instanceof HTMLUnknownElement })`,
  );
  assert.deepEqual(pageSees, { require: 'undefined', process: 'undefined', bridge: 'object', webview: true });
  const csp = await page.evaluate(`fetch('/index.html').then((r) => r.headers.get('content-security-policy'))`);
  assert.match(String(csp), /connect-src http:\/\/127\.0\.0\.1:\d+ ws:\/\/127\.0\.0\.1:\d+;/);

  await app.evaluate(({ dialog }, dir) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [dir] })) as typeof dialog.showOpenDialog;
  }, logs);
  await page.getByRole('button', { name: /add folder/i }).click();
  await page.locator('#log-view .row .text', { hasText: 'hello from the electron e2e test' }).first().waitFor({ timeout: 30_000 });

  const refused = await page.evaluate(`window.open('file:///etc/passwd') === null`);
  assert.equal(refused, true, 'window.open is denied');
});
