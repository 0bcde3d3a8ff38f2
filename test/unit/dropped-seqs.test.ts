import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DroppedSeqs } from '../../main/sources/logs/dropped-seqs';

test('a source that comes back goes on from its last seq; a new one starts at 0', () => {
  const seqs = new DroppedSeqs();
  seqs.remember('a', 120);
  assert.equal(seqs.take('a'), 120);
  assert.equal(seqs.take('a'), 0, 'taken once: it is followed again, and will be remembered when dropped again');
  assert.equal(seqs.take('new'), 0);
});

test('bounded: the oldest is forgotten, and every source not remembered starts above what it had', () => {
  const seqs = new DroppedSeqs(3);
  seqs.remember('a', 500);
  seqs.remember('b', 20);
  seqs.remember('c', 30);
  seqs.remember('a', 510); // dropped again later: now the newest
  seqs.remember('d', 40); // forgets b (the oldest)
  assert.equal(seqs.take('b'), 20, 'b starts above its own last seq');
  seqs.remember('e', 50); // forgets c
  seqs.remember('f', 60); // forgets a (510)
  assert.equal(seqs.take('a'), 510);
  seqs.remember('g', 70); // forgets d (40)
  assert.equal(seqs.take('d'), 510, 'a forgotten source starts above every forgotten seq: a jump, never a repeat');
  assert.equal(seqs.take('f'), 60, 'a remembered one still gets its own');
});

test('a new source starts at 1 even after many were forgotten (but for the filter\'s rare false positive)', () => {
  const seqs = new DroppedSeqs(10);
  for (let i = 0; i < 1010; i++) seqs.remember(`gone-${i}`, 1000 + i);
  let high = 0;
  for (let i = 0; i < 1000; i++) if (seqs.take(`new-${i}`) !== 0) high++;
  assert.ok(high <= 10, `${high} of 1,000 new sources started high`);
  assert.equal(seqs.take('gone-3'), 1999, 'every forgotten one is known to the filter, and starts above the highest forgotten seq');
});
