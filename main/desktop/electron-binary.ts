// Where `npm start` finds Electron's binary, without letting the electron package download it: from 42 on,
// `require('electron')` fetches a missing binary on first use, which hangs or fails on a machine offline.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export interface ElectronLookup {
  /** node_modules/electron */
  packageDir: string;
  env: NodeJS.ProcessEnv;
  exists?: (path: string) => boolean;
  readText?: (path: string) => string | null;
}

/** The same rules as the electron package's own index.js, minus the download. */
export function findElectronBinary({ packageDir, env, exists = existsSync, readText = readTextOrNull }: ElectronLookup): ElectronBinary {
  // path.txt names the executable inside dist/ (`electron`, `Electron.app/Contents/MacOS/Electron`, `electron.exe`).
  const executable = readText(join(packageDir, 'path.txt'))?.trim() || null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, executable ?? defaultExecutable());
    return exists(path) ? { found: true, path } : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${path} does not exist` };
  }
  if (!exists(packageDir)) return { found: false, reason: 'the electron package is not installed (run npm install)' };
  if (executable === null) return { found: false, reason: "Electron's binary has not been downloaded" };
  const path = join(packageDir, 'dist', executable);
  return exists(path) ? { found: true, path } : { found: false, reason: `Electron's binary is missing (${path})` };
}

function defaultExecutable(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return platform === 'win32' ? 'electron.exe' : 'electron';
}

function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The one paragraph `npm start` prints before it falls back to the headless server. */
export function missingElectronMessage(reason: string): string {
  return [
    `tailwatch: cannot start the desktop app: ${reason}.`,
    'Get it with `npx install-electron` (downloads the binary from GitHub into node_modules/electron),',
    'or point ELECTRON_OVERRIDE_DIST_PATH at a directory holding an Electron 45 build, then run `npm start` again.',
    'Meanwhile the same core runs as a headless server with the same options; open the dashboard URL below in a browser.',
  ].join('\n');
}
