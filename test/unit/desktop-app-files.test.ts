import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveAppFile } from '../../main/desktop/app-files';
import { testDir } from '../helpers/temp-dir';

/** A bundle directory with one file of each type, and beside it a directory the app must never serve. */
async function bundle(t: Parameters<typeof testDir>[0]) {
  const base = await realpath(await testDir(t));
  const root = join(base, 'renderer');
  const outside = join(base, 'private');
  await mkdir(join(root, 'icons'), { recursive: true });
  await mkdir(join(root, 'folder.js'));
  await mkdir(outside);
  const files: Record<string, string> = {
    'index.html': '<!doctype html>',
    'app.js': 'console.log(1)',
    'app.js.map': '{}',
    'style.css': 'body{}',
    'icons/tray.png': 'png',
    'icons/logo.svg': '<svg/>',
    'data.json': '{}',
    'font.woff2': 'woff2',
    'my file.js': '1',
    'LOGO.PNG': 'png',
    'notes.txt': 'not served',
    'main.ts': 'not served',
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(root, name), text);
  await writeFile(join(outside, 'secret.js'), 'secret');
  await writeFile(join(outside, 'index.html'), 'secret');
  return { base, root, outside };
}

test('the app\'s files with exact types; / is index.html; the query and fragment are ignored', async (t) => {
  const { root } = await bundle(t);
  const expect = async (url: string, file: string, contentType: string) =>
    assert.deepEqual(await resolveAppFile(url, root), { path: join(root, file), contentType }, url);
  await expect('app://tailwatch/', 'index.html', 'text/html; charset=utf-8');
  await expect('app://tailwatch', 'index.html', 'text/html; charset=utf-8');
  await expect('app://tailwatch/index.html', 'index.html', 'text/html; charset=utf-8');
  await expect('app://tailwatch/app.js?v=3#x', 'app.js', 'text/javascript; charset=utf-8');
  await expect('app://tailwatch/app.js.map', 'app.js.map', 'application/json');
  await expect('app://tailwatch/style.css', 'style.css', 'text/css; charset=utf-8');
  await expect('app://tailwatch/icons/tray.png', 'icons/tray.png', 'image/png');
  await expect('app://tailwatch/icons/logo.svg', 'icons/logo.svg', 'image/svg+xml');
  await expect('app://tailwatch/data.json', 'data.json', 'application/json');
  await expect('app://tailwatch/font.woff2', 'font.woff2', 'font/woff2');
  await expect('app://tailwatch/my%20file.js', 'my file.js', 'text/javascript; charset=utf-8');
  await expect('app://tailwatch/LOGO.PNG', 'LOGO.PNG', 'image/png');
});

test('not found, not a file, or not a type the app serves: 404', async (t) => {
  const { root } = await bundle(t);
  for (const url of ['app://tailwatch/missing.js', 'app://tailwatch/folder.js', 'app://tailwatch/notes.txt', 'app://tailwatch/main.ts', 'app://tailwatch/icons/']) {
    const answer = await resolveAppFile(url, root);
    assert.ok('status' in answer, url);
    assert.equal(answer.status, url.endsWith('/') ? 400 : 404, url);
  }
});

test('another scheme, host, port or user: 400', async (t) => {
  const { root } = await bundle(t);
  for (const url of [
    'app://tailwatch.evil/index.html',
    'app://tailwatchx/index.html',
    'app://evil/index.html',
    'app://tailwatch:80/index.html',
    'app://user@tailwatch/index.html',
    'APP://tailwatch/index.html',
    'http://tailwatch/index.html',
    'file:///index.html',
    '',
  ]) {
    assert.deepEqual(await resolveAppFile(url, root), { status: 400, reason: 'not an app://tailwatch/ URL' }, url);
  }
});

test('no spelling of a path climbs out of the bundle', async (t) => {
  const { root } = await bundle(t);
  for (const url of [
    'app://tailwatch/../private/secret.js',
    'app://tailwatch/icons/../../private/secret.js',
    'app://tailwatch/%2e%2e/private/secret.js',
    'app://tailwatch/%2E%2E/private/index.html',
    'app://tailwatch/.%2e/private/secret.js',
    'app://tailwatch/..%2fprivate%2fsecret.js',
    'app://tailwatch/%2e%2e%2fprivate%2fsecret.js',
    'app://tailwatch/..\\private\\secret.js',
    'app://tailwatch/..%5cprivate%5csecret.js',
    'app://tailwatch/%2fetc%2fpasswd.js',
    'app://tailwatch//etc/passwd.js',
    'app://tailwatch/index.html%00.js',
    'app://tailwatch/./index.html',
    'app://tailwatch/%E0%A4%A.js',
  ]) {
    const answer = await resolveAppFile(url, root);
    assert.ok('status' in answer, `${url} resolved to ${'path' in answer ? answer.path : ''}`);
    assert.equal(answer.status, 400, url);
  }
});

test('a symbolic link inside the bundle that points out of it is refused; one that stays inside is followed', async (t) => {
  const { root, outside } = await bundle(t);
  await symlink(join(outside, 'secret.js'), join(root, 'leak.js'));
  await symlink(outside, join(root, 'linked-dir'));
  await symlink(join(root, 'style.css'), join(root, 'alias.css'));
  for (const url of ['app://tailwatch/leak.js', 'app://tailwatch/linked-dir/secret.js', 'app://tailwatch/linked-dir/index.html']) {
    assert.deepEqual(await resolveAppFile(url, root), { status: 404, reason: "outside the app's files" }, url);
  }
  assert.deepEqual(await resolveAppFile('app://tailwatch/alias.css', root), { path: join(root, 'style.css'), contentType: 'text/css; charset=utf-8' });
});

test('a bundle directory reached through a symbolic link (an install behind a link) still serves its files', async (t) => {
  const { base, root } = await bundle(t);
  const linked = join(base, 'current');
  await symlink(root, linked);
  assert.deepEqual(await resolveAppFile('app://tailwatch/app.js', linked), { path: join(root, 'app.js'), contentType: 'text/javascript; charset=utf-8' });
  // A sibling whose name starts like the root's is not inside it.
  await mkdir(`${root}-old`);
  await writeFile(join(`${root}-old`, 'x.js'), '1');
  await symlink(join(`${root}-old`, 'x.js'), join(root, 'old.js'));
  assert.ok('status' in (await resolveAppFile('app://tailwatch/old.js', root)));
});
