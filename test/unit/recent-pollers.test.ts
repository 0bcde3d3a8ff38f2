import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_POLLERS, POLLER_GONE_MS, RecentPollers } from '../../main/server/recent-pollers';

/** A clock the test moves: the tracker's rule is about time, and waiting 15 s for real proves nothing more. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

test('a poller is listed while its request waits and for a while after; back later, it is a new client', () => {
  const time = clock();
  const pollers = new RecentPollers(time.now);
  const end = pollers.begin('192.168.1.7');
  const since = time.now();
  time.advance(60_000); // a long wait
  assert.deepEqual(pollers.list(), [{ kind: 'poll', remoteAddress: '192.168.1.7', since }]);
  end();
  end(); // a second call (close after finish) changes nothing
  time.advance(POLLER_GONE_MS - 1);
  const again = pollers.begin('192.168.1.7')();
  assert.equal(again, undefined);
  assert.equal(pollers.list()[0]!.since, since, 'asking again in time is the same client');
  time.advance(POLLER_GONE_MS);
  assert.deepEqual(pollers.list(), []);
  pollers.begin('192.168.1.7');
  assert.equal(pollers.list()[0]!.since, time.now(), 'back after leaving: connected since now');
});

test('two requests of one address are one client, listed until both ended; clear forgets all', () => {
  const time = clock();
  const pollers = new RecentPollers(time.now);
  const a = pollers.begin('10.0.0.2');
  const b = pollers.begin('10.0.0.2');
  a();
  time.advance(POLLER_GONE_MS * 2);
  assert.equal(pollers.list().length, 1, 'one request still waits');
  b();
  pollers.clear();
  assert.deepEqual(pollers.list(), []);
});

test('at most MAX_POLLERS addresses are kept, the least recently seen dropped first', () => {
  const time = clock();
  const pollers = new RecentPollers(time.now);
  for (let i = 0; i < MAX_POLLERS + 10; i++) pollers.begin(`10.1.${i >> 8}.${i & 255}`);
  const listed = pollers.list();
  assert.equal(listed.length, MAX_POLLERS);
  assert.equal(listed[0]!.remoteAddress, '10.1.0.10');
});
