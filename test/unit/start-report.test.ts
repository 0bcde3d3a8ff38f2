import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceInfo } from '../../protocol/events';
import { followingLine } from '../../main/app/start-report';

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

test('the summary counts the files and names the first waiting ones', () => {
  assert.equal(followingLine([]), 'following 0 files');
  assert.equal(followingLine([source('/a.log')]), 'following 1 file');
  assert.equal(followingLine([source('/a.log'), source('/m.log', 'waiting')]), 'following 2 files (1 waiting: /m.log)');
  const five = ['/1', '/2', '/3', '/4', '/5'].map((p) => source(p, 'waiting'));
  assert.equal(followingLine(five), 'following 5 files (5 waiting: /1, /2, /3 and 2 more)');
  assert.equal(followingLine([source('/x\x1b[2J', 'waiting')]), 'following 1 file (1 waiting: /x⟨U+001B⟩[2J)', 'no escape reaches the terminal');
});
