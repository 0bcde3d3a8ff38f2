import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLevel } from '../../main/sources/logs/level';

test('finds a level word near the start, whole word, any case', () => {
  assert.equal(detectLevel('2024-01-31T10:00:00Z ERROR db: connection lost'), 'error');
  assert.equal(detectLevel('Jan 31 10:00:00 host app[12]: warning: disk 91% full'), 'warn');
  assert.equal(detectLevel('[WARN] slow'), 'warn');
  assert.equal(detectLevel('I info started'), 'info');
  assert.equal(detectLevel('debug: x=1'), 'debug');
  assert.equal(detectLevel('TRACE enter f()'), 'trace');
  assert.equal(detectLevel('<2> CRIT kernel'), 'fatal');
  assert.equal(detectLevel('FATAL out of memory'), 'fatal');
  assert.equal(detectLevel('E ERR bad request'), 'error');
});

test('no level for plain text, partial words, or a word far into the line', () => {
  assert.equal(detectLevel('plain text line'), undefined);
  assert.equal(detectLevel('information about errors'), undefined);
  assert.equal(detectLevel('x'.repeat(200) + ' ERROR'), undefined);
  assert.equal(detectLevel(''), undefined);
});

test('reads a JSON "level" field', () => {
  assert.equal(detectLevel('{"time":"2024-01-31T10:00:00Z","msg":"an error was retried","level":"info"}'), 'info');
  assert.equal(detectLevel('{"level":"WARNING","msg":"x"}'), 'warn');
  assert.equal(detectLevel('{"severity": "error"}'), 'error');
});
