import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine, SourceInfo, WireEvent } from '../../protocol/events';
import { ResumeCursor } from '../../renderer/stream/resume-cursor';

const source = (id: string): SourceInfo => ({ id, path: `/var/log/${id}.log`, name: `${id}.log`, state: 'live', size: 0, lines: 0, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0 });
const lines = (...seqs: number[]): LogLine[] => seqs.map((seq) => ({ seq, ts: seq, text: `line ${seq}` }));
const hello = (id: string, epoch: string): WireEvent => ({ type: 'hello', id, epoch, serverTime: 0, version: '0.1.0', sources: [] });
const log = (id: string, src: string, ...seqs: number[]): WireEvent => ({ type: 'log', id, source: src, lines: lines(...seqs) });

/** A cursor and what it delivered, as `type id [seqs]`. */
function cursor(maxTrackedSources = 100) {
  const delivered: WireEvent[] = [];
  const resume = new ResumeCursor(maxTrackedSources);
  const take = (event: WireEvent): void => resume.receive(event, (e) => delivered.push(e));
  const said = (): string[] => delivered.splice(0).map((e) => (e.type === 'log' ? `log ${e.id} [${e.lines.map((l) => l.seq).join(',')}]` : `${e.type} ${e.id}`));
  return { resume, take, said };
}

test('a fresh cursor resumes from nothing; each stream event moves it, hello never does', () => {
  const { resume, take, said } = cursor();
  assert.equal(resume.since, null);
  take(hello('e1-5', 'e1'));
  assert.equal(resume.since, null, 'hello greets a connection, it is no position in the stream');
  take(log('e1-6', 'a', 1, 2));
  take({ type: 'source', id: 'e1-7', op: 'add', source: source('b') });
  take({ type: 'gap', id: 'e1-8', source: 'a', missed: 3, reason: 'slow-client' });
  assert.equal(resume.since, 'e1-8');
  assert.deepEqual(said(), ['hello e1-5', 'log e1-6 [1,2]', 'source e1-7', 'gap e1-8']);
});

test('lines delivered before are dropped from a log event, and an event with none new is not delivered (but moves the cursor)', () => {
  const { resume, take, said } = cursor();
  take(hello('e1-1', 'e1'));
  take(log('e1-2', 'a', 1, 2, 3));
  take(log('e1-3', 'b', 1));
  // A reconnect that had to backfill gives the last lines again, then new ones.
  take(hello('e1-9', 'e1'));
  take(log('e1-10', 'a', 2, 3, 4, 5));
  take(log('e1-11', 'b', 1));
  assert.equal(resume.since, 'e1-11');
  take(log('e1-12', 'a', 6));
  take({ type: 'log', id: 'e1-13', source: 'a', lines: [] });
  assert.deepEqual(said(), ['hello e1-1', 'log e1-2 [1,2,3]', 'log e1-3 [1]', 'hello e1-9', 'log e1-10 [4,5]', 'log e1-12 [6]']);
  assert.equal(resume.since, 'e1-13');
});

test('a hello from a new server run is preceded by a reset; the run\'s own reset that follows is not doubled, and its id is the resume point', () => {
  const { resume, take, said } = cursor();
  take(hello('e1-1', 'e1'));
  take(log('e1-2', 'a', 1, 2));
  said();
  take(hello('e2-4', 'e2'));
  take({ type: 'reset', id: 'e2-4', epoch: 'e2', reason: 'unknown-epoch' });
  assert.equal(resume.since, 'e2-4');
  // The new run numbers its lines from 1 again: they are new.
  take(log('e2-5', 'a', 1));
  assert.deepEqual(said(), ['reset e2-4', 'hello e2-4', 'log e2-5 [1]']);
});

test('a reset clears what was delivered; an id from another run is no resume point', () => {
  const { resume, take, said } = cursor();
  take(hello('e1-1', 'e1'));
  take(log('e1-2', 'a', 1, 2));
  take({ type: 'reset', id: 'e0-9', epoch: 'e2', reason: 'bad-id' });
  assert.equal(resume.since, null, 'the next connection starts afresh');
  take(log('e2-1', 'a', 1));
  assert.deepEqual(said(), ['hello e1-1', 'log e1-2 [1,2]', 'reset e0-9', 'log e2-1 [1]']);
});

test('transport answers (pong, error) are neither delivered nor resume points', () => {
  const { resume, take, said } = cursor();
  take(log('e1-2', 'a', 1));
  take({ type: 'pong', id: 'e1-3', serverTime: 5 });
  take({ type: 'error', id: 'e1-4', code: 'bad-message', message: 'no' });
  assert.equal(resume.since, 'e1-2');
  assert.deepEqual(said(), ['log e1-2 [1]']);
});

test('a removed source is forgotten: a source of the same id starts again from line 1', () => {
  const { take, said } = cursor();
  take(log('e1-1', 'a', 1, 2));
  take({ type: 'source', id: 'e1-2', op: 'remove', source: source('a') });
  take(log('e1-3', 'a', 1));
  assert.deepEqual(said(), ['log e1-1 [1,2]', 'source e1-2', 'log e1-3 [1]']);
});

test('past maxTrackedSources the source seen least lately is forgotten first', () => {
  const { take, said } = cursor(2);
  take(log('e1-1', 'a', 5));
  take(log('e1-2', 'b', 5));
  take(log('e1-3', 'a', 6));
  take(log('e1-4', 'c', 5));
  said();
  // b was forgotten (a was seen after it), so its old lines pass again; a's do not.
  take(log('e1-5', 'a', 6));
  take(log('e1-6', 'b', 5));
  assert.deepEqual(said(), ['log e1-6 [5]']);
});
