// `npm start` as a user runs it (the built dist/launcher.js): Electron when its binary is there, else one
// clear paragraph and the headless server with the same options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../main/app/package-info';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const launcher = join(PACKAGE_ROOT, 'dist', 'launcher.js');

function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [launcher, ...args], { env: { ...process.env, TAILWATCH_TOKEN: '', ...env } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

test('without Electron: one paragraph on how to get it, then the headless server with the same options, printing the URL', async (t) => {
  const noElectron = await testDir(t);
  const logs = await testDir(t);
  await writeFile(join(logs, 'app.log'), 'started\n');
  const run = start(['--port', '0', '--dir', logs], { ELECTRON_OVERRIDE_DIST_PATH: noElectron });
  t.after(() => run.child.kill('SIGKILL'));
  const dashboard = await waitFor(() => /^dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(run.out())?.[1], `the dashboard URL (stdout: ${run.out()} stderr: ${run.err()})`, 20_000);
  const paragraph = run.err().split('\n\n')[0]!;
  assert.match(paragraph, /cannot start the desktop app/);
  assert.match(paragraph, /npx install-electron/);
  assert.match(paragraph, /ELECTRON_OVERRIDE_DIST_PATH/);
  await waitFor(() => /following 1 file/.test(run.out()), `the --dir was passed on (stdout: ${run.out()})`, 20_000);
  const response = await fetch(new URL('/api/sources', dashboard), { headers: { authorization: `Bearer ${new URL(dashboard).searchParams.get('token')}` } });
  assert.equal(response.status, 200);
  assert.deepEqual(((await response.json()) as { name: string }[]).map((s) => s.name), ['app.log']);
  run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0, 'SIGTERM stops the server cleanly through the launcher');
});

test('with Electron: the binary runs the app with the options and the V8 flag, and its exit code is ours', { skip: process.platform === 'win32' && 'a shell script stands in for Electron' }, async (t) => {
  const dist = await testDir(t);
  const argsFile = join(dist, 'args.json');
  const fake = join(dist, 'electron');
  await writeFile(fake, `#!/bin/sh\n"${process.execPath}" -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))' "${argsFile}" "$@"\nexit 3\n`);
  await chmod(fake, 0o755);
  const run = start(['--dir', '/var/log/x', '--backfill', '5'], { ELECTRON_OVERRIDE_DIST_PATH: dist });
  assert.equal(await run.exited, 3);
  assert.deepEqual(JSON.parse(await readFile(argsFile, 'utf8')), ['--js-flags=--max-semi-space-size=4', PACKAGE_ROOT, '--dir', '/var/log/x', '--backfill', '5']);
  assert.equal(run.err(), '', 'no fallback message when Electron is there');
});
