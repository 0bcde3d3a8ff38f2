import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AutostartError,
  autostartEntry,
  autostartFilePath,
  isLinuxAutostartEnabled,
  linuxAutostartTarget,
  setLinuxAutostart,
} from '../../main/desktop/autostart';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const execLine = (text: string) => text.split('\n').find((line) => line.startsWith('Exec='))!.slice('Exec='.length);

test('where the entry goes and what it starts: $XDG_CONFIG_HOME when absolute, and the AppImage file, not its mount', () => {
  const base = { homeDir: '/home/me', execPath: '/tmp/.mount_tailwaXYZ/tailwatch', args: [] };
  assert.deepEqual(linuxAutostartTarget({ ...base, env: {} }), { configHome: '/home/me/.config', execPath: '/tmp/.mount_tailwaXYZ/tailwatch', args: [] });
  assert.equal(linuxAutostartTarget({ ...base, env: { XDG_CONFIG_HOME: '/cfg' } }).configHome, '/cfg');
  // The XDG Base Directory spec: empty or relative values are ignored.
  assert.equal(linuxAutostartTarget({ ...base, env: { XDG_CONFIG_HOME: '' } }).configHome, '/home/me/.config');
  assert.equal(linuxAutostartTarget({ ...base, env: { XDG_CONFIG_HOME: 'cfg' } }).configHome, '/home/me/.config');
  assert.equal(linuxAutostartTarget({ ...base, env: { APPIMAGE: '/home/me/Apps/tailwatch-1.0.AppImage' } }).execPath, '/home/me/Apps/tailwatch-1.0.AppImage');
  assert.equal(linuxAutostartTarget({ ...base, env: { APPIMAGE: 'tailwatch.AppImage' } }).execPath, base.execPath);
  assert.equal(autostartFilePath('/cfg'), '/cfg/autostart/tailwatch.desktop');
});

test('the entry: an application started without a terminal, quoted only when it must be', () => {
  const text = autostartEntry('/opt/tailwatch/tailwatch', []);
  assert.equal(
    text,
    [
      '[Desktop Entry]',
      'Type=Application',
      'Version=1.5',
      'Name=tailwatch',
      'Comment=Live log and system-metrics monitor',
      'TryExec=/opt/tailwatch/tailwatch',
      'Exec=/opt/tailwatch/tailwatch',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ].join('\n'),
  );
  assert.equal(execLine(autostartEntry('/usr/lib/electron/electron', ['/home/me/src/tailwatch'])), '/usr/lib/electron/electron /home/me/src/tailwatch');
});

test('Exec quoting follows the Desktop Entry spec, string escapes included', () => {
  // The spec's own cases: a literal backslash in a quoted argument is four backslashes, a dollar sign \\$.
  assert.equal(execLine(autostartEntry('/opt/my apps/tw', [])), '"/opt/my apps/tw"');
  assert.equal(execLine(autostartEntry('/opt/tw', ['a\\b'])), '/opt/tw "a\\\\\\\\b"');
  assert.equal(execLine(autostartEntry('/opt/tw', ['$HOME'])), '/opt/tw "\\\\$HOME"');
  assert.equal(execLine(autostartEntry('/opt/tw', ['say "hi"'])), '/opt/tw "say \\\\"hi\\\\""');
  assert.equal(execLine(autostartEntry('/opt/tw', ['`id`'])), '/opt/tw "\\\\`id\\\\`"');
  // % starts a field code everywhere, quoted or not.
  assert.equal(execLine(autostartEntry('/opt/tw', ['50%', '%u'])), '/opt/tw 50%% %%u');
  assert.equal(execLine(autostartEntry('/opt/tw', [''])), '/opt/tw ""');
  for (const word of ["it's", 'a>b', 'a<b', '~/x', 'a|b', 'a&b', 'a;b', 'a*b', 'a?b', '#x', '(x)']) {
    assert.equal(execLine(autostartEntry('/opt/tw', [word])), `/opt/tw "${word}"`, word);
  }
});

test('what no entry can say is refused with the reason, not written wrong', () => {
  assert.throws(() => autostartEntry('tailwatch', []), (err: unknown) => err instanceof AutostartError && /absolute path/.test(err.message));
  assert.throws(() => autostartEntry('/opt/a=b/tw', []), /holds "="/);
  assert.throws(() => autostartEntry('/opt/tw', ['two\nlines']), /control characters/);
  assert.equal(new AutostartError('x').code, 'ERR_TAILWATCH_AUTOSTART');
});

test('turned on, off and on again in a real config directory', async (t) => {
  const configHome = join(await testDir(t), 'config');
  const target = { configHome, execPath: '/home/me/Apps/tailwatch.AppImage', args: [] };
  assert.equal(await isLinuxAutostartEnabled(target), false);
  await setLinuxAutostart(true, target);
  const path = join(configHome, 'autostart', 'tailwatch.desktop');
  assert.equal(await readFile(path, 'utf8'), autostartEntry(target.execPath, []));
  assert.equal((await stat(path)).mode & 0o777, 0o644);
  assert.equal(await isLinuxAutostartEnabled(target), true);

  // The AppImage moved: turning it on again points the entry at the new file.
  await setLinuxAutostart(true, { ...target, execPath: '/opt/tailwatch.AppImage' });
  assert.equal(execLine(await readFile(path, 'utf8')), '/opt/tailwatch.AppImage');
  assert.deepEqual(await readdir(join(configHome, 'autostart')), ['tailwatch.desktop'], 'no temp file left');

  await setLinuxAutostart(false, target);
  assert.equal(await isLinuxAutostartEnabled(target), false);
  await assert.doesNotReject(setLinuxAutostart(false, target), 'turning off what is off is fine');
});

test('an entry the user turned off in their session settings counts as off', async (t) => {
  const configHome = await testDir(t);
  await mkdir(join(configHome, 'autostart'));
  const path = autostartFilePath(configHome);
  const entry = autostartEntry('/opt/tw', []);
  await writeFile(path, entry.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled = false'));
  assert.equal(await isLinuxAutostartEnabled({ configHome }), false);
  await writeFile(path, `# edited\n${entry}Hidden=true\n`);
  assert.equal(await isLinuxAutostartEnabled({ configHome }), false);
  // The same keys in another group do not count.
  await writeFile(path, `${entry}\n[Desktop Action other]\nHidden=true\n`);
  assert.equal(await isLinuxAutostartEnabled({ configHome }), true);
  // Something in the way that is not a file is an error that names it, not a silent "off".
  await rm(path);
  await mkdir(path);
  await assert.rejects(isLinuxAutostartEnabled({ configHome }), (err: unknown) => err instanceof AutostartError && err.message.includes(path));
});

const gioMissing = spawnSync('gio', ['version'], { stdio: 'ignore' }).error ? 'gio (GLib) is not installed' : false;

test('GLib reads the Exec line back into exactly the program and arguments written', { skip: gioMissing }, async (t) => {
  const dir = await testDir(t);
  const out = join(dir, 'argv.json');
  // A program under a path that needs quoting, which records the arguments it was given.
  const program = join(dir, 'my apps $(x)', 'tail"watch`s');
  await mkdir(join(dir, 'my apps $(x)'));
  await writeFile(program, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)));\n`);
  await chmod(program, 0o755);
  const args = ['plain', 'two words', 'back\\slash', '$HOME', '`id`', 'say "hi"', "it's", '50%', '%u', '', 'a=b', 'ü ✓', ';|&<>*?#()~'];
  const desktopFile = join(dir, 'tailwatch.desktop');
  await writeFile(desktopFile, autostartEntry(program, args));

  const launched = spawnSync('gio', ['launch', desktopFile], { encoding: 'utf8' });
  assert.equal(launched.status, 0, launched.stderr);
  // Read until it parses: the program may be caught halfway through writing.
  const recorded = await waitFor(
    () => readFile(out, 'utf8').then((text) => JSON.parse(text) as string[], () => null).catch(() => null),
    'the launched program to record its arguments',
  );
  assert.deepEqual(recorded, args);
});
