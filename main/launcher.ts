// `npm start`: the desktop app when Electron's binary is installed, else (with one clear paragraph saying
// why and how to get it) the headless server with the same options. Never imports Electron itself.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findElectronBinary, missingElectronMessage } from './desktop/electron-binary';
import { PACKAGE_ROOT } from './app/package-info';

/** The young-generation cap the headless server runs with (see docs/architecture.md), for both processes. */
const SEMI_SPACE_FLAG = '--max-semi-space-size=4';

function run(command: string, args: string[]): void {
  const child = spawn(command, args, { stdio: 'inherit' });
  // Ctrl+C reaches the child through the terminal's process group; a SIGTERM sent to us alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`tailwatch: cannot run ${command}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

const args = process.argv.slice(2);
const binary = findElectronBinary({ packageDir: join(PACKAGE_ROOT, 'node_modules', 'electron'), env: process.env });
if (binary.found) {
  // A V8 flag reaches Electron's main process only on its command line.
  run(binary.path, [`--js-flags=${SEMI_SPACE_FLAG}`, PACKAGE_ROOT, ...args]);
} else {
  process.stderr.write(`${missingElectronMessage(binary.reason)}\n\n`);
  run(process.execPath, [SEMI_SPACE_FLAG, join(PACKAGE_ROOT, 'dist', 'cli.js'), 'serve', ...args]);
}
