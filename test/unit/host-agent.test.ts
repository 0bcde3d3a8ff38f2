// The agent's small parts: a Redis URL shown without its password, positions stored and read back, the
// pacing of `update` entries, a round's entries and their JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { redisUrlMistake, withoutPassword, withoutSecret } from '../../main/hosts/redis/redis-url';
import { parsePosition, positionOf, resumeFrom } from '../../main/hosts/agent/positions';
import { UpdatePacer } from '../../main/hosts/agent/update-pacer';
import { ENTRY_LIMITS, entryJson, LINE_OVERHEAD_BYTES, RoundBuilder } from '../../main/hosts/agent/round-builder';
import type { LogLine, SourceInfo } from '../../protocol/events';

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

test('a round cuts the lines of a source into entries within ENTRY_LIMITS; an entry is written by hand only while all its batches are plain, as the same JSON value', () => {
  let seq = 0;
  const batch = (count: number, text: (n: number) => string): LogLine[] =>
    Array.from({ length: count }, () => {
      seq++;
      const line: LogLine = { seq, ts: 1765141363000 + seq, text: text(seq) };
      if (seq % 3 === 0) line.level = 'warn';
      return line;
    });
  const round = new RoundBuilder();
  round.addLines('a', batch(600, (n) => `plain "quoted" \\ line ${n}`), true);
  round.addLines('a', batch(600, (n) => `plain line ${n}`), true);
  round.addSource({ op: 'update', source: { id: 'a' } as SourceInfo });
  round.addLines('a', batch(10, (n) => `after the source event ${n}`), true);
  round.addLines('a', batch(10, (n) => `tab\there é ${n}`), false);
  round.addLines('b', batch(3, (n) => `other ${n}`), true);
  const logs = round.entries.filter((e) => e.t === 'log');
  // a's first 1,200 plain lines take two entries or more (cut by ENTRY_LIMITS); the source event closes them.
  const beforeSource = round.entries.findIndex((e) => e.t === 'source');
  assert.ok(beforeSource >= 2);
  assert.deepEqual(round.entries.slice(beforeSource + 1).map((e) => [e.t, e.t === 'log' && e.d.source, e.t === 'log' && e.d.lines.length, e.t === 'log' && e.plain]), [
    ['log', 'a', 20, false],
    ['log', 'b', 3, true],
  ]);
  for (const entry of round.entries) {
    if (entry.t === 'log') {
      assert.ok(entry.d.lines.length <= ENTRY_LIMITS.lines);
      assert.ok(entry.d.lines.reduce((bytes, l) => bytes + l.text.length + LINE_OVERHEAD_BYTES, 0) <= ENTRY_LIMITS.bytes);
      if (entry.d.source === 'a' && entry.d.lines[0]!.seq <= 1200) assert.equal(entry.plain, true);
    }
    assert.deepEqual(JSON.parse(entryJson(entry)), JSON.parse(JSON.stringify(entry.d)));
  }
  assert.deepEqual(logs.flatMap((e) => e.d.lines.map((l) => l.seq)), Array.from({ length: seq }, (_, i) => i + 1), 'every line once, in order');
});
