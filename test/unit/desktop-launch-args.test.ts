import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../main/app/options';
import { desktopLaunchArgs, parseDesktopLaunch, readSecondInstanceData, secondInstanceData } from '../../main/desktop/launch-args';
import { testDir } from '../helpers/temp-dir';

const HOME = '/home/me';
const packaged = (...args: string[]) => ['/opt/tailwatch/tailwatch', ...args];
const launch = (argv: string[], defaultApp = false, cwd = HOME) => parseDesktopLaunch(argv, { defaultApp, cwd, env: {} });
const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  return 'no error';
};

test('packaged: our options among Chromium switches, bare paths resolved against the launch directory', () => {
  const argv = packaged(
    '--no-sandbox',
    '--dir',
    'logs',
    '--ozone-platform=wayland',
    'app.log',
    '--port=8000',
    '-psn_0_1234567',
    '--enable-logging',
    '--inspect=9229',
    '--allow-file-access-from-files',
    '--file=../other/x.log',
    '--poll',
  );
  assert.deepEqual(desktopLaunchArgs(argv, { defaultApp: false, cwd: HOME }), {
    options: ['--dir', '/home/me/logs', '--port=8000', '--file=/home/other/x.log', '--poll'],
    paths: ['/home/me/app.log'],
    ignored: ['--no-sandbox', '--ozone-platform=wayland', '-psn_0_1234567', '--enable-logging', '--inspect=9229', '--allow-file-access-from-files'],
  });
  const { command, config, paths } = launch(argv);
  assert.equal(command, 'serve');
  assert.deepEqual(config.dir, ['/home/me/logs']);
  assert.deepEqual(config.file, ['/home/other/x.log']);
  assert.equal(config.port, 8000);
  assert.equal(config.poll, true);
  assert.deepEqual(paths, ['/home/me/app.log']);
});

test('run as `electron <app>`: the app path and the switches before it are Electron\'s, not ours', () => {
  // npm start: the launcher puts a V8 flag before the app's directory.
  const started = launch(['/x/electron', '--js-flags=--max-semi-space-size=4', '/src/tailwatch', '--dir', '/var/log', 'a.log'], true);
  assert.deepEqual(started.config.dir, ['/var/log']);
  assert.deepEqual(started.paths, ['/home/me/a.log'], 'the app directory is not a folder to open');

  // Playwright's _electron: its switches, then the main script.
  const driven = launch(['/x/electron', '--inspect=0', '--remote-debugging-port=0', '/src/tailwatch/dist/electron/main.mjs', '--port', '0'], true);
  assert.equal(driven.config.port, 0);
  assert.deepEqual(driven.paths, []);

  // -r takes a module, which is not the app; --app=PATH names the app itself.
  assert.deepEqual(launch(['/x/electron', '-r', 'preload-hook', '.', 'b.log'], true).paths, ['/home/me/b.log']);
  assert.deepEqual(launch(['/x/electron', '--app=/src/tailwatch', 'c.log'], true).paths, ['/home/me/c.log']);
  assert.deepEqual(launch(['/x/electron'], true).paths, []);

  // Packaged, the first argument is the user's.
  assert.deepEqual(launch(packaged('d.log')).paths, ['/home/me/d.log']);
});

test('Chromium switches never stop the app; our own bad options are a ConfigError naming the option', () => {
  assert.doesNotThrow(() => launch(packaged('--no-sandbox', '--disable-gpu', '--user-data-dir=/tmp/x', '--lang=fr', '-psn_0_1')));
  assert.match(errorOf(() => launch(packaged('--port', 'abc'))), /--port/);
  assert.match(errorOf(() => launch(packaged('--port'))), /--port/);
  assert.match(errorOf(() => launch(packaged('--poll=yes'))), /--poll/);
  assert.match(errorOf(() => launch(packaged('--dir='))), /--dir/);
  assert.match(errorOf(() => launch(packaged('--gzip', 'sometimes'))), /--gzip/);
  // A missing value is not papered over by taking the next option as the path.
  assert.match(errorOf(() => launch(packaged('--dir', '--poll'))), /--dir/);
  assert.match(errorOf(() => launch(['/x/electron', '.', '--ring-bytes', 'lots'], true)), /--ring-bytes/);
});

test('--help and --version are reported, not ignored; the token may come from the environment', () => {
  assert.equal(launch(packaged('--help')).command, 'help');
  assert.equal(launch(packaged('-v')).command, 'version');
  assert.equal(parseDesktopLaunch(packaged(), { defaultApp: false, cwd: HOME, env: { TAILWATCH_TOKEN: 'from-env' } }).config.token, 'from-env');
});

test('--config is read from the launch directory, and its own paths from beside it', async (t) => {
  const dir = await testDir(t);
  await writeFile(join(dir, 'tw.json'), JSON.stringify({ dir: 'logs', backfill: 5 }));
  // The process's own cwd is elsewhere (the repository): only the launch's cwd can find the file.
  const { config } = launch(packaged('--config', 'tw.json'), false, dir);
  assert.deepEqual(config.dir, [join(dir, 'logs')]);
  assert.equal(config.backfill, 5);
});

test('after a lone --, every word is a path, dashes and all; an empty argument is no path', () => {
  const { options, paths } = desktopLaunchArgs(packaged('--poll', '', '--', '--odd-name.log', 'x.log', ''), { defaultApp: false, cwd: HOME });
  assert.deepEqual(options, ['--poll']);
  assert.deepEqual(paths, ['/home/me/--odd-name.log', '/home/me/x.log']);
});

test('a second launch sends its folders, files and bare paths, absolute against its own directory', () => {
  const data = secondInstanceData(
    ['/x/electron', '--enable-logging', '/src/tailwatch', '--dir', 'logs', '--file=/var/log/syslog', '--no-sandbox', 'here.log', '--port', '9000', '--dir', '--poll'],
    '/work/project',
    true,
  );
  assert.deepEqual(data, {
    open: [
      { kind: 'folder', path: '/work/project/logs' },
      { kind: 'file', path: '/var/log/syslog' },
      { kind: 'unknown', path: '/work/project/here.log' },
    ],
  });
  // It crosses to the first instance as JSON-able data and reads back the same.
  assert.deepEqual(readSecondInstanceData(JSON.parse(JSON.stringify(data))), data.open);
});

test('what arrives from a second instance is untrusted: anything malformed is dropped, at most 100 paths are taken', () => {
  for (const junk of [undefined, null, 'open /etc', 42, [], { open: 'x' }, { open: null }]) assert.deepEqual(readSecondInstanceData(junk), []);
  const open = [
    { kind: 'folder', path: '/ok' },
    { kind: 'folder', path: 'relative' },
    { kind: 'file', path: '/with\0nul' },
    { kind: 'socket', path: '/run/x' },
    { kind: 'file', path: 42 },
    { kind: 'file', path: `/${'x'.repeat(5000)}` },
    'a string',
    null,
    { kind: 'unknown', path: '/a/b/../c//d' },
  ];
  assert.deepEqual(readSecondInstanceData({ open }), [
    { kind: 'folder', path: '/ok' },
    { kind: 'unknown', path: '/a/c/d' },
  ]);
  const flood = Array.from({ length: 150 }, (_, i) => ({ kind: 'file', path: `/l/${i}.log` }));
  const taken = readSecondInstanceData({ open: flood });
  assert.equal(taken.length, 100);
  assert.equal(taken.at(-1)!.path, '/l/99.log');
});
