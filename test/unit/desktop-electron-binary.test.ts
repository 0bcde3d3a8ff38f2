import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findElectronBinary, missingElectronMessage } from '../../main/desktop/electron-binary';
import { testDir } from '../helpers/temp-dir';

test('a downloaded binary is found through path.txt, as the electron package does', async (t) => {
  const pkg = await testDir(t);
  await writeFile(join(pkg, 'path.txt'), 'electron');
  assert.deepEqual(findElectronBinary({ packageDir: pkg, env: {} }), { found: false, reason: `Electron's binary is missing (${join(pkg, 'dist', 'electron')})` });
  await mkdir(join(pkg, 'dist'));
  await writeFile(join(pkg, 'dist', 'electron'), '');
  assert.deepEqual(findElectronBinary({ packageDir: pkg, env: {} }), { found: true, path: join(pkg, 'dist', 'electron') });
});

test('without path.txt (Electron 42+ before its first run) the binary is missing, and nothing is downloaded', async (t) => {
  const pkg = await testDir(t);
  const result = findElectronBinary({ packageDir: pkg, env: {} });
  assert.deepEqual(result, { found: false, reason: "Electron's binary has not been downloaded" });
  assert.deepEqual(findElectronBinary({ packageDir: join(pkg, 'nope'), env: {} }).found, false);
});

test('ELECTRON_OVERRIDE_DIST_PATH wins, and a wrong one says what it looked for', async (t) => {
  const pkg = await testDir(t);
  const override = join(pkg, 'custom');
  await mkdir(override);
  const missing = findElectronBinary({ packageDir: pkg, env: { ELECTRON_OVERRIDE_DIST_PATH: override } });
  assert.equal(missing.found, false);
  assert.match(!missing.found ? missing.reason : '', /ELECTRON_OVERRIDE_DIST_PATH is set, but .*custom/);
  await writeFile(join(override, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'x' : 'electron'), '');
  if (process.platform === 'linux') {
    assert.deepEqual(findElectronBinary({ packageDir: pkg, env: { ELECTRON_OVERRIDE_DIST_PATH: override } }), { found: true, path: join(override, 'electron') });
  }
});

test('the message says how to get Electron both ways, in one paragraph', () => {
  const message = missingElectronMessage("Electron's binary has not been downloaded");
  assert.match(message, /npx install-electron/);
  assert.match(message, /ELECTRON_OVERRIDE_DIST_PATH/);
  assert.match(message, /headless server/);
  assert.ok(!message.includes('\n\n'), 'one paragraph');
});
