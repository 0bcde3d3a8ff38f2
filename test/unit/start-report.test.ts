import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceInfo } from '../../protocol/events';
import { followingLine, lookAtDirs, patternWarnings, type DirLook } from '../../main/app/start-report';
import { testDir } from '../helpers/temp-dir';

const source = (path: string, state: SourceInfo['state'] = 'live'): SourceInfo => ({
  id: path,
  path,
  name: path,
  state,
  size: 0,
  lines: 0,
  bytes: 0,
  errors: 0,
  linesPerSec: 0,
  errorsPerSec: 0,
});
const dir = (path: string, hasFiles = true): DirLook => ({ path, exists: true, hasFiles });
const DEFAULTS_IN_SHORT = '*.log, *.out, *.err, *.txt, syslog, messages, dmesg and their rotations';

test('the summary counts the files and names the first waiting ones', () => {
  assert.equal(followingLine([]), 'following 0 files');
  assert.equal(followingLine([source('/a.log')]), 'following 1 file');
  assert.equal(followingLine([source('/a.log'), source('/m.log', 'waiting')]), 'following 2 files (1 waiting: /m.log)');
  const five = ['/1', '/2', '/3', '/4', '/5'].map((p) => source(p, 'waiting'));
  assert.equal(followingLine(five), 'following 5 files (5 waiting: /1, /2, /3 and 2 more)');
  assert.equal(
    followingLine([source('/a.log'), source('/m.log', 'waiting'), source('/usr', 'error')]),
    'following 3 files (1 waiting: /m.log; 1 not readable: /usr)',
  );
  assert.equal(followingLine([source('/x\x1b[2J', 'waiting')]), 'following 1 file (1 waiting: /x⟨U+001B⟩[2J)', 'no escape reaches the terminal');
});

test('an --include glob no file under any --dir matches: one line naming it and the --dir paths', () => {
  const sources = [source('/logs/app.log'), source('/logs/web/x.json'), source('/elsewhere/y.foo')];
  const options = { include: ['*.log', 'web/*.json', '*.foo'], exclude: [] };
  assert.deepEqual(patternWarnings(options, [dir('/logs')], sources), ['--include "*.foo" matches no file under --dir /logs (yet)']);
  assert.deepEqual(patternWarnings(options, [dir('/logs'), dir('/other', false)], sources), [
    '--include "*.foo" matches no file under --dir /logs or --dir /other (yet)',
  ]);
  assert.deepEqual(patternWarnings({ include: ['*.foo'], exclude: ['old/**'] }, [dir('/logs')], sources), [
    '--include "*.foo" matches no file that is not excluded under --dir /logs (yet)',
  ]);
});

test('a --dir that is not there gets no glob line (the log sources say it is missing)', () => {
  const missing: DirLook = { path: '/nope', exists: false, hasFiles: false };
  assert.deepEqual(patternWarnings({ include: ['*.foo'], exclude: [] }, [missing], []), []);
  assert.deepEqual(patternWarnings({ include: [], exclude: [] }, [missing], []), []);
});

test('with the default patterns: a --dir with files but none followed is one line; an empty one or a followed one, none', () => {
  const options = { include: [], exclude: [] };
  assert.deepEqual(patternWarnings(options, [dir('/data'), dir('/empty', false), dir('/logs')], [source('/logs/app.log')]), [
    `--dir /data has files, but none matches the default patterns (${DEFAULTS_IN_SHORT}); --include GLOB picks others`,
  ]);
  assert.deepEqual(patternWarnings({ include: [], exclude: ['*.log'] }, [dir('/data')], []), [
    `--dir /data has files, but none that is not excluded matches the default patterns (${DEFAULTS_IN_SHORT}); --include GLOB picks others`,
  ]);
});

test('lookAtDirs: a directory, whether it holds a file within the depth; a missing path or a file is not one', async (t) => {
  const root = await testDir(t);
  await mkdir(join(root, 'empty', 'sub'), { recursive: true });
  await mkdir(join(root, 'deep', 'a', 'b'), { recursive: true });
  await writeFile(join(root, 'deep', 'a', 'b', 'x.json'), '');
  await writeFile(join(root, 'plain.txt'), '');
  const looks = await lookAtDirs([join(root, 'empty'), join(root, 'deep'), join(root, 'missing'), join(root, 'plain.txt')], 8);
  assert.deepEqual(
    looks.map((l) => [l.exists, l.hasFiles]),
    [
      [true, false],
      [true, true],
      [false, false],
      [false, false],
    ],
  );
  // As chokidar's depth, which --depth is: the directories below the --dir.
  assert.equal((await lookAtDirs([join(root, 'deep')], 2))[0]!.hasFiles, true, 'two directories down, --depth 2');
  assert.equal((await lookAtDirs([join(root, 'deep')], 1))[0]!.hasFiles, false, 'beyond --depth');
});
