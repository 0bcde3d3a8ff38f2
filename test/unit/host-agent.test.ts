// The agent's small parts: a Redis URL shown without its password, positions stored and read back, the
// pacing of `update` entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { redisUrlMistake, withoutPassword, withoutSecret } from '../../main/hosts/redis/redis-url';
import { parsePosition, positionOf, resumeFrom } from '../../main/hosts/agent/positions';
import { UpdatePacer } from '../../main/hosts/agent/update-pacer';
import type { SourceInfo } from '../../protocol/events';

test('a Redis URL is shown without its password, and checked; messages mask it', () => {
  assert.equal(withoutPassword('redis://agent-web1:s3cret@redis.example:6379/2'), 'redis://agent-web1@redis.example:6379/2');
  assert.equal(withoutPassword('rediss://:s3cret@10.0.0.5:6380'), 'rediss://10.0.0.5:6380');
  assert.equal(withoutPassword('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379');
  assert.equal(withoutPassword('not a url :s3cret@'), '(an invalid URL)');
  assert.equal(redisUrlMistake('redis://u:p@h:1'), null);
  assert.equal(redisUrlMistake('rediss://h'), null);
  assert.match(redisUrlMistake('http://h:1')!, /redis:\/\//);
  assert.match(redisUrlMistake('h:1')!, /redis:\/\//);
  assert.match(redisUrlMistake('nonsense')!, /not a URL/);
  // A message that quotes the password, as sent or as the URL spells it, shows *** instead, on one line.
  assert.equal(withoutSecret('WRONGPASS s3cret\n  at x', 'redis://u:s3cret@h:1'), 'WRONGPASS *** at x');
  assert.equal(withoutSecret('auth p@ss or p%40ss', 'redis://u:p%40ss@h:1'), 'auth *** or ***');
  assert.equal(withoutSecret('refused', 'redis://h:1'), 'refused');
});

test('a position is made from a batch place, stored as JSON and read back; a resume point checks the print', () => {
  const print = Buffer.from('2026-01-01 first line\n');
  const position = positionOf('/var/log/app.log', { file: '2049:1234567', print, end: 4096 }, 812);
  assert.deepEqual(position, {
    path: '/var/log/app.log',
    dev: 2049,
    ino: 1234567,
    print: createHash('sha256').update(print).digest('hex'),
    printBytes: print.length,
    offset: 4096,
    seq: 812,
  });
  assert.deepEqual(parsePosition(JSON.stringify(position)), position);
  for (const bad of ['nope', '1', 'null', JSON.stringify({ ...position, seq: -1 }), JSON.stringify({ ...position, print: 'xyz' }), JSON.stringify({ ...position, dev: '1' })]) {
    assert.equal(parsePosition(bad), null, bad);
  }
  const resume = resumeFrom(position);
  assert.deepEqual({ dev: resume.dev, ino: resume.ino, offset: resume.offset, seq: resume.seq, printBytes: resume.printBytes }, { dev: 2049, ino: 1234567, offset: 4096, seq: 812, printBytes: print.length });
  assert.equal(resume.hasPrint(Buffer.from(print)), true);
  assert.equal(resume.hasPrint(Buffer.from('2026-01-01 other line\n')), false);
  assert.equal(resume.hasPrint(print.subarray(0, 5)), false);
});

test('updates of a source go at most every period unless its state changed; the newest waiting one goes later', (t) => {
  // The clock is node:test's: time moves only when the test ticks it, so a stalled machine changes nothing.
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const sent: SourceInfo[] = [];
  const pacer = new UpdatePacer(50, (s) => sent.push(s));
  const info = (lines: number, state: SourceInfo['state'] = 'live'): SourceInfo => ({ id: 'a', path: '/a', name: 'a', state, size: 0, lines, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0 });
  pacer.sent(info(0)); // its add, at 0 ms
  t.mock.timers.tick(10);
  assert.equal(pacer.due(info(1)), false);
  assert.equal(pacer.due(info(2)), false);
  assert.equal(pacer.due(info(2, 'deleted')), true, 'a change of state goes at once');
  t.mock.timers.tick(5); // 15 ms: the deleted state went at 10 ms
  assert.equal(pacer.due(info(3, 'deleted')), false);
  t.mock.timers.tick(44); // 59 ms: 49 ms after the last one went
  assert.equal(sent.length, 0, 'nothing waiting goes before the period is over');
  t.mock.timers.tick(1); // 60 ms
  assert.deepEqual(sent.map((s) => s.lines), [3], 'the newest waiting one, once, when its time has come');
  t.mock.timers.tick(500);
  assert.equal(sent.length, 1, 'and not again');
  assert.equal(pacer.due(info(4, 'deleted')), true, 'a period after the last one went, an update goes at once');
  pacer.forget('a');
  assert.equal(pacer.due(info(5)), true, 'a forgotten source has nothing to wait for');
  assert.equal(pacer.due(info(6)), false);
  pacer.close();
  t.mock.timers.tick(500);
  assert.equal(sent.length, 1, 'closed: what waited is not sent');
});
