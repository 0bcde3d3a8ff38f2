// The installers' configuration, read and validated by electron-builder's own loader and schema (building
// installers needs Electron's binary and the network, so `npm run dist` itself cannot run here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { PACKAGE_ROOT } from '../../main/app/package-info';

interface BuilderConfig {
  appId?: string;
  asar?: boolean;
  files?: { filter?: string[] }[] | string[];
  electronFuses?: Record<string, boolean>;
  directories?: { buildResources?: string };
  linux?: { target?: string[] };
  mac?: { target?: string[] };
  win?: { target?: string[] };
}

const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, options: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debug: { isEnabled: boolean; add(): void }): Promise<void>;
};

// electron-builder logs to stdout, which the test runner reads its child's results from: a line of it can
// land inside one of them and break it. Its logger keeps what it says here instead.
const builderLog = (require('builder-util/out/log.js') as { log: { stream: { write(text: string): void } } }).log;
builderLog.stream = { write: () => undefined };

async function loadConfig(): Promise<BuilderConfig> {
  const config = await getConfig(PACKAGE_ROOT, null, null);
  await validateConfiguration(config, { isEnabled: false, add() {} });
  return config;
}

function filePatterns(config: BuilderConfig): string[] {
  return (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
}

/** electron-builder's rule: a path is in when the last pattern that matches it is not a negation. */
function packaged(patterns: string[], path: string): boolean {
  let included = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (picomatch(negated ? p.slice(1) : p, { dot: true })(path)) included = !negated;
  }
  return included;
}

test('electron-builder.yml passes electron-builder\'s schema, with targets for the three platforms, asar and an app id', async () => {
  const config = await loadConfig();
  assert.equal(config.appId, 'dev.tailwatch.app');
  assert.equal(config.asar, true);
  assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
  assert.deepEqual(config.mac?.target, ['dmg']);
  assert.deepEqual(config.win?.target, ['nsis']);
});

test('the fuses turn off running as Node and the inspector, and load the app only from its asar', async () => {
  const fuses = (await loadConfig()).electronFuses ?? {};
  assert.equal(fuses.runAsNode, false);
  assert.equal(fuses.enableNodeCliInspectArguments, false);
  assert.equal(fuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(fuses.onlyLoadAppFromAsar, true);
});

test('the package holds the built app and leaves out sources, tests and source maps', async () => {
  const patterns = filePatterns(await loadConfig());
  for (const path of ['dist/electron/main.mjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/app.js', 'dist/electron/assets/tray.png', 'package.json']) {
    assert.ok(packaged(patterns, path), `${path} is packaged`);
  }
  for (const path of ['main/shell/main.ts', 'renderer/app.ts', 'preload/preload.ts', 'test/unit/packaging.test.ts', 'bench/run.ts', 'docs/architecture.md', 'dist/renderer/app.js.map', 'scripts/build.mjs']) {
    assert.ok(!packaged(patterns, path), `${path} stays out`);
  }
});

test('package.json names the Electron entry the build writes, and the icon is big enough for every platform', () => {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
  assert.equal(pkg.main, 'dist/electron/main.mjs');
  assert.match(pkg.scripts.dist ?? '', /electron-builder/);
  const png = readFileSync(join(PACKAGE_ROOT, 'build', 'icon.png'));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  // IHDR: width and height, big-endian, at bytes 16 and 20. macOS wants 512 px at least, 1024 for Retina.
  assert.ok(png.readUInt32BE(16) >= 1024 && png.readUInt32BE(20) >= 1024);
});
