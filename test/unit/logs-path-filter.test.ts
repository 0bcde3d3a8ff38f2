import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPathFilters, isCompressed } from '../../main/sources/logs/path-filter';

test('the default include takes logs, captures, syslog names and plain rotations at any depth', () => {
  const accepts = createPathFilters([], []).file;
  for (const path of ['app.log', 'x/y/app.log', 'job.out', 'job.err', 'notes.txt', 'syslog', 'messages', 'app.log.1', 'syslog.3', 'app.log-20240131', 'nginx/access.log']) {
    assert.equal(accepts(path), true, path);
  }
  for (const path of ['app.json', 'lastlog', 'wtmp', 'app.log.1.gz', 'syslog.2.gz', 'journal/system.journal', 'app.log.old']) {
    assert.equal(accepts(path), false, path);
  }
});

test('--include replaces the defaults and matches the relative path or the file name', () => {
  const accepts = createPathFilters(['*.json', 'web/**/*.access'], []).file;
  assert.equal(accepts('deep/dir/events.json'), true);
  assert.equal(accepts('web/nginx/site.access'), true);
  assert.equal(accepts('other/site.access'), false);
  assert.equal(accepts('app.log'), false);
});

test('--exclude wins over --include, by relative path or file name', () => {
  const accepts = createPathFilters([], ['**/journal/**', 'debug-*.log']).file;
  assert.equal(accepts('journal/x.log'), false);
  assert.equal(accepts('a/journal/x.log'), false);
  assert.equal(accepts('a/debug-1.log'), false);
  assert.equal(accepts('a/app.log'), true);
});

test('compressed rotations are skipped even when included', () => {
  const accepts = createPathFilters(['*'], []).file;
  for (const ext of ['gz', 'zip', 'xz', 'bz2', 'zst', 'GZ']) {
    assert.equal(accepts(`app.log.1.${ext}`), false, ext);
    assert.equal(isCompressed(`app.log.1.${ext}`), true, ext);
  }
  assert.equal(accepts('app.log.1'), true);
});

test('directories an --exclude glob names are not descended into; others are', () => {
  const dirs = createPathFilters([], ['journal', 'cache/**', '**/tmp']).dir;
  assert.equal(dirs(''), true, 'the --dir itself');
  for (const rel of ['journal', 'cache', 'a/b/tmp', 'x/journal']) assert.equal(dirs(rel), false, rel);
  for (const rel of ['nginx', 'apps/web', 'journals']) assert.equal(dirs(rel), true, rel);
  assert.equal(createPathFilters([], []).dir('anything/at/all'), true);
});
