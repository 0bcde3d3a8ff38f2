// Two followed names and one file renamed from one to the other (app.log → app.log.1 in a --dir): which
// source shows its lines must not depend on which source looks first. Each follower's check is called here
// in the order that used to move the unread lines to the rotated name, on real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, linkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PathView } from '../../main/sources/logs/path-view';
import { ReaderRegistry } from '../../main/sources/logs/reader-registry';
import { ReadBufferPool } from '../../main/sources/logs/read-buffer-pool';
import { asText, numbered } from '../fixtures/logs/start-sources';
import { pathViewOptions } from '../fixtures/logs/path-view-options';
import { testDir } from '../helpers/temp-dir';

/** Followers sharing one registry, as LogSources makes them, each recording the texts it gave out. */
function followers(t: import('node:test').TestContext, paths: string[]) {
  const registry = new ReaderRegistry();
  const pool = new ReadBufferPool();
  const texts = new Map<string, string[]>(paths.map((path) => [path, []]));
  const made = paths.map(
    (path) =>
      new PathView(pathViewOptions(path, (at, lines) => texts.get(at)!.push(...lines), { pool, registry })),
  );
  t.after(() => Promise.all(made.map((f) => f.close())));
  return { followers: made, texts };
}

test('the rotated name looks first: lines written to app.log still show under app.log, then the new name reads on', async (t) => {
  const dir = await testDir(t, 'tailwatch-handoff-');
  const path = join(dir, 'app.log');
  const rotated = `${path}.1`;
  writeFileSync(path, asText(numbered(1, 50, 'a')));
  writeFileSync(rotated, asText(numbered(1, 5, 'yesterday')));
  const { followers: [live, older], texts } = followers(t, [path, rotated]);
  await live!.check();
  await older!.check();

  appendFileSync(path, asText(numbered(51, 60, 'a'))); // not read yet when logrotate runs
  renameSync(rotated, `${path}.2`);
  renameSync(path, rotated);
  writeFileSync(path, asText(numbered(1, 10, 'b')));
  appendFileSync(rotated, asText(numbered(61, 65, 'a'))); // the writer has not reopened yet

  await older!.check(); // finds app.log's file at its path before app.log's source noticed the rename
  assert.deepEqual(texts.get(rotated), numbered(1, 5, 'yesterday'), 'app.log.1 shows none of the lines of app.log');
  await live!.check();
  assert.deepEqual(texts.get(path), [...numbered(1, 65, 'a'), ...numbered(1, 10, 'b')]);

  // The writer moves on to the new app.log; app.log's source lets the old file go (its grace period ends,
  // or here: it closes). What is written to app.log.1 from then on is app.log.1's, from where app.log stopped.
  await live!.close();
  appendFileSync(rotated, asText(['later 1']));
  await older!.check();
  assert.deepEqual(texts.get(rotated), [...numbered(1, 5, 'yesterday'), 'later 1']);
  assert.deepEqual(texts.get(path), [...numbered(1, 65, 'a'), ...numbered(1, 10, 'b')], 'nothing shown twice');
});

test('a hard link is one file: read once, under the name that read it first, and the other name takes it on when that one lets go', async (t) => {
  const dir = await testDir(t, 'tailwatch-handoff-');
  const path = join(dir, 'app.log');
  const other = join(dir, 'app.log.link');
  writeFileSync(path, asText(numbered(1, 3, 'a')));
  const { followers: [first, second], texts } = followers(t, [path, other]);
  await first!.check();
  linkSync(path, other);
  appendFileSync(path, asText(['a 4']));
  await second!.check();
  await first!.check();
  assert.deepEqual(texts.get(path), numbered(1, 4, 'a'));
  assert.deepEqual(texts.get(other), [], 'the second name shows nothing twice');

  await first!.close();
  appendFileSync(other, asText(['a 5']));
  await second!.check();
  assert.deepEqual(texts.get(other), ['a 5']);
  assert.deepEqual(texts.get(path), numbered(1, 4, 'a'));
});
