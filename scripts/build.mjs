// Bundles the headless CLI, the `npm start` launcher, the desktop shell (Electron main process and preload)
// and the dashboard with esbuild into dist/ (run by `prepare`, so a fresh `npm install` leaves a runnable
// tree). Type-checking is separate: `npm run typecheck`.
import { build } from 'esbuild';
import { chmod, cp, mkdir, rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const final = join(root, 'dist');
// Built aside and swapped in at the end: a failed build leaves the last good dist/, and a running server or
// test never sees a half-written one.
const dist = join(root, `dist.building-${process.pid}`);
const quiet = process.argv.includes('--quiet');

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'renderer'), { recursive: true });

const common = { bundle: true, sourcemap: true, logLevel: quiet ? 'error' : 'warning', absWorkingDir: root };

try {
  await Promise.all([
    // The server core: dependencies stay external (they are installed in node_modules).
    build({
      ...common,
      entryPoints: { cli: 'main/cli.ts' },
      outdir: dist,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      // A 4 MiB young generation (V8's default grows to 16 MiB × 3) keeps RSS close to the ring's own bound
      // under bursts of 100k lines/s, for a few more scavenges: see docs/architecture.md.
      banner: { js: '#!/usr/bin/env -S node --max-semi-space-size=4' },
    }),
    // `npm start`: runs Electron, or the headless server when Electron's binary is missing.
    build({ ...common, entryPoints: { launcher: 'main/launcher.ts' }, outdir: dist, platform: 'node', format: 'esm', target: 'node20', packages: 'external' }),
    // The Electron main process (Node 24 inside Electron 45): `electron` and the dependencies stay external.
    build({
      ...common,
      entryPoints: { main: 'main/shell/main.ts' },
      outdir: join(dist, 'electron'),
      outExtension: { '.js': '.mjs' },
      platform: 'node',
      format: 'esm',
      target: 'node22',
      packages: 'external',
    }),
    // A sandboxed preload must be one CommonJS file that requires nothing but `electron`.
    build({
      ...common,
      entryPoints: { preload: 'preload/preload.ts' },
      outdir: join(dist, 'preload'),
      outExtension: { '.js': '.cjs' },
      platform: 'node',
      format: 'cjs',
      target: 'chrome120',
      external: ['electron'],
    }),
    // The dashboard: one self-contained bundle, no CDN (served under a strict CSP). The page (app.js, with
    // the CSS its modules import in app.css) and the log worker that owns the stream (log-worker.js).
    build({
      ...common,
      entryPoints: { app: 'renderer/app.ts', 'log-worker': 'renderer/log-worker/worker.ts' },
      outdir: join(dist, 'renderer'),
      platform: 'browser',
      format: 'esm',
      target: 'chrome120',
      minify: true,
    }),
  ]);
  await cp(join(root, 'renderer', 'static'), join(dist, 'renderer'), { recursive: true });
  await cp(join(root, 'main', 'shell', 'assets'), join(dist, 'electron', 'assets'), { recursive: true });
  // Runnable as `dist/cli.js` from a checkout too (npm sets the bit only on installed bins).
  await chmod(join(dist, 'cli.js'), 0o755);
} catch (error) {
  await rm(dist, { recursive: true, force: true });
  throw error;
}
await rm(final, { recursive: true, force: true });
await rename(dist, final);
