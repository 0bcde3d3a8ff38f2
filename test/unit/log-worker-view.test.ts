import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLevel } from '../../protocol/events';
import { HeldLine } from '../../renderer/log-worker/held-rows';
import { LineFilter, NO_FILTER } from '../../renderer/log-worker/line-filter';
import { LogView, WINDOW_LIMITS } from '../../renderer/log-worker/log-view';
import type { FilterSpec, HighlightRule, LineRow, Row, ViewUpdate } from '../../renderer/worker-channel/worker-protocol';

const T0 = 1_700_000_000_000;
const line = (seq: number, text = `line ${seq}`, extra: { source?: string; ts?: number; level?: LogLevel } = {}): HeldLine =>
  HeldLine.of(extra.source ?? 'a', { seq, ts: extra.ts ?? T0 + seq, text, ...(extra.level ? { level: extra.level } : {}) });
const filter = (spec: Partial<FilterSpec> = {}, highlights: HighlightRule[] = []): LineFilter =>
  new LineFilter({ ...NO_FILTER, ...spec }, highlights);
const texts = (rows: readonly Row[]): string[] => rows.map((row) => row.text);
const indexes = (rows: readonly Row[]): number[] => rows.map((row) => row.index);

function view(bound: number, lineFilter = filter()): LogView {
  const v = new LogView('v', null, bound, lineFilter);
  v.setWindow(true, 0, WINDOW_LIMITS.maxRows);
  return v;
}

test('the buffer keeps its bound: the oldest lines go and are counted, indexes stay with their rows', () => {
  const v = view(5);
  for (let seq = 1; seq <= 8; seq++) v.append(line(seq));
  const u = v.update();
  assert.deepEqual(
    { firstIndex: u.firstIndex, total: u.total, buffered: u.buffered, dropped: u.dropped },
    { firstIndex: 3, total: 5, buffered: 5, dropped: 3 },
  );
  assert.deepEqual(texts(u.window.rows), ['line 4', 'line 5', 'line 6', 'line 7', 'line 8']);
  assert.deepEqual(indexes(u.window.rows), [3, 4, 5, 6, 7]);
  assert.equal(u.window.first, 3);
  // A window fixed on rows 5–6 keeps them while lines arrive, and loses only what the bound drops.
  v.setWindow(false, 5, 2);
  v.append(line(9));
  assert.deepEqual(texts(v.update().window.rows), ['line 6', 'line 7']);
  for (let seq = 10; seq <= 12; seq++) v.append(line(seq));
  const later = v.update();
  assert.deepEqual({ first: later.window.first, rows: texts(later.window.rows) }, { first: 7, rows: ['line 8', 'line 9'] });
  assert.equal(later.generation, u.generation);
});

test('indexes count shown rows only: hidden rows leaving the buffer do not move them', () => {
  const v = view(4, filter({ query: 'keep' }));
  v.append(line(1, 'drop'));
  v.append(line(2, 'keep 2'));
  v.append(line(3, 'drop'));
  v.append(line(4, 'keep 4'));
  v.append(line(5, 'drop'));
  let u = v.update();
  assert.deepEqual({ firstIndex: u.firstIndex, total: u.total, dropped: u.dropped }, { firstIndex: 0, total: 2, dropped: 1 });
  v.append(line(6, 'keep 6'));
  u = v.update();
  assert.deepEqual({ firstIndex: u.firstIndex, total: u.total, dropped: u.dropped }, { firstIndex: 1, total: 2, dropped: 2 });
  assert.deepEqual(indexes(u.window.rows), [1, 2]);
  assert.deepEqual(texts(u.window.rows), ['keep 4', 'keep 6']);
});

test('markers are never filtered out, count toward the bound, and are not dropped lines', () => {
  const v = view(3, filter({ query: 'nothing matches this', hiddenLevels: ['none', 'info'] }));
  v.append(line(1, 'a line'));
  v.appendMarker('gap', '3 lines of a not received (this view fell behind)', 0);
  v.append(line(2, 'another'));
  v.appendMarker('reset', 'server restarted: earlier lines were cleared', 0);
  v.appendMarker('gap', 'third', 0);
  const u = v.update();
  assert.deepEqual(texts(u.window.rows), ['server restarted: earlier lines were cleared', 'third']);
  assert.deepEqual(u.window.rows.map((row) => row.kind), ['marker', 'marker']);
  // Gone: line 1 and the first marker, of which one was a line; line 2 is held but hidden.
  assert.deepEqual({ total: u.total, buffered: u.buffered, dropped: u.dropped, firstIndex: u.firstIndex }, { total: 2, buffered: 3, dropped: 1, firstIndex: 1 });
  // A marker sits in time at the row before it.
  const w = view(10);
  w.append(line(1, 'x', { ts: 5_000 }));
  w.appendMarker('gap', 'g', 99_999);
  assert.deepEqual(w.update().window.rows.map((row) => row.ts), [5_000, 5_000]);
  const empty = view(10);
  empty.appendMarker('reset', 'r', 42);
  assert.equal(empty.update().window.rows[0]!.ts, 42);
});

test('levels and sources are hidden in both modes; filter mode hides non-matching lines, highlight mode marks', () => {
  const lines = [
    line(1, 'GET /a ok', { level: 'info' }),
    line(2, 'GET /b failed', { level: 'error' }),
    line(3, 'debug noise', { level: 'debug' }),
    line(4, 'no level failed'),
    line(5, 'from b failed', { source: 'b' }),
  ];
  const shown = (spec: Partial<FilterSpec>): { texts: string[]; matches: number } => {
    const v = view(100, filter(spec));
    for (const l of lines) v.append(l);
    const u = v.update();
    return { texts: texts(u.window.rows), matches: u.matches };
  };
  assert.deepEqual(shown({ query: 'failed' }), { texts: ['GET /b failed', 'no level failed', 'from b failed'], matches: 3 });
  assert.deepEqual(shown({ query: 'failed', invert: true }), { texts: ['GET /a ok', 'debug noise'], matches: 2 });
  assert.deepEqual(shown({ query: 'failed', hiddenLevels: ['none'], hiddenSources: ['b'] }), { texts: ['GET /b failed'], matches: 1 });
  assert.deepEqual(shown({ query: 'failed', mode: 'highlight', hiddenLevels: ['debug'] }), {
    texts: ['GET /a ok', 'GET /b failed', 'no level failed', 'from b failed'],
    matches: 3,
  });
  assert.deepEqual(shown({ query: '' }).matches, 0);
});

test('match and highlight counts follow lines in and out of the buffer', () => {
  const v = view(3, filter({ query: 'x', mode: 'highlight' }, [{ query: 'y', color: 'red' }, { query: '/z$/', color: 'blue' }]));
  v.append(line(1, 'x y'));
  v.append(line(2, 'y z'));
  v.append(line(3, 'x'));
  let u = v.update();
  assert.deepEqual({ matches: u.matches, highlightCounts: u.highlightCounts }, { matches: 2, highlightCounts: [2, 1] });
  v.append(line(4, 'plain'));
  v.append(line(5, 'z'));
  u = v.update();
  assert.deepEqual({ matches: u.matches, highlightCounts: u.highlightCounts }, { matches: 1, highlightCounts: [0, 1] });
});

test('a rescan gives the same list, counts and rows as filtering each line on arrival', () => {
  const spec = { query: '/[02468]$/', invert: false };
  const rules = [{ query: '7', color: 'red' }];
  const lines = Array.from({ length: 1_000 }, (_, i) => line(i + 1, `line ${i + 1}`, { level: i % 5 === 0 ? 'debug' : 'info' }));
  const incremental = view(300, filter({ ...spec, hiddenLevels: ['debug'] }, rules));
  for (const l of lines) incremental.append(l);

  const rescanned = view(300);
  for (const l of lines.slice(0, 600)) rescanned.append(l);
  rescanned.applyFilter(filter({ ...spec, hiddenLevels: ['debug'] }, rules));
  assert.equal(rescanned.judging, true);
  // Lines keep arriving and dropping while the rescan goes on, a slice at a time.
  for (const l of lines.slice(600)) {
    rescanned.append(l);
    rescanned.scan(3);
  }
  while (rescanned.judging) rescanned.scan(7);

  // The rescanned list is a new generation, numbered from 0: compare indexes from each list's first.
  const relative = (u: ViewUpdate) => ({
    ...u,
    generation: 0,
    firstIndex: 0,
    window: { first: u.window.first - u.firstIndex, rows: u.window.rows.map((row) => ({ ...row, index: row.index - u.firstIndex })) },
  });
  const a = incremental.update();
  const b = rescanned.update();
  assert.deepEqual(relative(b), relative(a));
  // Of lines 701–1000: the even ones, less those ending in 6 (every fifth line is debug): 120; 47 have a 7.
  assert.deepEqual({ total: a.total, matches: a.matches, highlightCounts: a.highlightCounts }, { total: 120, matches: 120, highlightCounts: [47] });
});

test('a new filter starts a new generation with indexes from 0', () => {
  const v = view(3);
  for (let seq = 1; seq <= 5; seq++) v.append(line(seq));
  const before = v.update();
  assert.equal(before.firstIndex, 2);
  v.applyFilter(filter({ query: 'line' }));
  v.scan(Infinity);
  const after = v.update();
  assert.notEqual(after.generation, before.generation);
  assert.deepEqual({ firstIndex: after.firstIndex, total: after.total, dropped: after.dropped }, { firstIndex: 0, total: 3, dropped: 2 });
  assert.deepEqual(indexes(after.window.rows), [0, 1, 2]);
});

test('a query that does not compile is reported and filters nothing', () => {
  const v = view(10, filter({ query: '/(/' }));
  v.append(line(1));
  const u = v.update();
  assert.equal(u.total, 1);
  assert.equal(u.matches, 0);
  assert.match(u.filterError ?? '', /Invalid regular expression/);
  assert.equal(view(10, filter({ query: 'ok' })).update().filterError, undefined);
});

test('seek: first shown row at or after a time, by binary search in time order and by scan otherwise', () => {
  const ordered = view(100, filter({ query: 'even' }));
  for (let i = 1; i <= 20; i++) ordered.append(line(i, i % 2 === 0 ? 'even' : 'odd', { ts: i * 10 }));
  assert.equal(ordered.seek(0), 0);
  assert.equal(ordered.seek(40), 1);
  assert.equal(ordered.seek(41), 2);
  assert.equal(ordered.seek(200), 9);
  assert.equal(ordered.seek(201), null);

  const unordered = view(100);
  for (const [seq, ts] of [[1, 50], [2, 10], [3, 70], [4, 30]] as const) unordered.append(line(seq, 'x', { ts }));
  assert.equal(unordered.seek(20), 0);
  assert.equal(unordered.seek(60), 2);
  assert.equal(unordered.seek(71), null);

  // Once the row out of order has left the buffer, the answers are those of a sorted view again.
  const healed = view(3);
  for (const [seq, ts] of [[1, 50], [2, 10], [3, 20], [4, 30], [5, 40]] as const) healed.append(line(seq, 'x', { ts }));
  assert.equal(healed.seek(25), 3);
  assert.equal(view(5).seek(0), null);
});

test('find: the shown row holding a line of a source, null when the filter hides it or it is not held', () => {
  const v = view(5, filter({ query: 'even' }));
  for (let i = 1; i <= 8; i++) v.append(line(i, i % 2 === 0 ? 'even' : 'odd', { ts: i * 10 }));
  v.append(line(3, 'even', { source: 'b', ts: 90 }));
  assert.equal(v.find('a', 6), 2);
  assert.equal(v.find('b', 3), 4);
  assert.equal(v.find('a', 5), null, 'hidden by the filter');
  assert.equal(v.find('a', 2), null, 'pushed out by the bound');
  assert.equal(v.find('c', 6), null);
});

test('export: the text of a range of shown rows, or of all; markers set apart', () => {
  const v = view(100);
  v.append(line(1, '\x1b[31mred\x1b[0m line'));
  v.appendMarker('gap', '2 lines of a not received (this view fell behind)', 0);
  v.append(line(4, 'after'));
  assert.deepEqual(v.exportText(), {
    text: 'red line\n--- 2 lines of a not received (this view fell behind) ---\nafter',
    lines: 3,
  });
  assert.deepEqual(v.exportText(1, 1), { text: '--- 2 lines of a not received (this view fell behind) ---', lines: 1 });
  assert.deepEqual(v.exportText(-10, 0), { text: 'red line', lines: 1 });
  assert.deepEqual(v.exportText(2, 99), { text: 'after', lines: 1 });
  assert.deepEqual(v.exportText(3, 1), { text: '', lines: 0 });
});

test('clear drops every row without counting them as dropped, and starts a new generation', () => {
  const v = view(2);
  for (let seq = 1; seq <= 3; seq++) v.append(line(seq));
  const before = v.update();
  v.clear();
  v.append(line(4));
  const after = v.update();
  assert.notEqual(after.generation, before.generation);
  assert.deepEqual(
    { firstIndex: after.firstIndex, total: after.total, buffered: after.buffered, dropped: after.dropped, rows: texts(after.window.rows) },
    { firstIndex: 0, total: 1, buffered: 1, dropped: 0, rows: ['line 4'] },
  );
});

test('window rows carry styles, marks, links and the JSON hint', () => {
  const v = view(10, filter({ query: 'get', mode: 'filter' }, [{ query: '/\\d{3}/', color: 'red' }]));
  v.append(HeldLine.of('a', { seq: 1, ts: T0, text: '\x1b[1;31mGET\x1b[0m https://x.io/a?id=200. 200', level: 'info', cut: true }));
  v.append(HeldLine.of('a', { seq: 2, ts: T0, text: ' {"get": [1, 2]} ' }));
  v.append(HeldLine.of('a', { seq: 3, ts: T0, text: '[get] not json]' }));
  const [first, second, third] = v.update().window.rows as LineRow[];
  assert.deepEqual(first, {
    kind: 'line',
    index: 0,
    source: 'a',
    seq: 1,
    ts: T0,
    level: 'info',
    text: 'GET https://x.io/a?id=200. 200',
    cut: true,
    styles: [{ start: 0, end: 3, fg: 1, bold: true }],
    marks: [
      { start: 0, end: 3, rule: -1 },
      { start: 22, end: 25, rule: 0 },
      { start: 27, end: 30, rule: 0 },
    ],
    links: [{ start: 4, end: 25 }],
  });
  assert.deepEqual(second, { kind: 'line', index: 1, source: 'a', seq: 2, ts: T0, text: ' {"get": [1, 2]} ', marks: [{ start: 3, end: 6, rule: -1 }], json: true });
  assert.equal(third!.json, undefined);
});

test('holds: whether a line of a source is still in the buffer, as lines of several sources come and go', () => {
  const v = view(4);
  v.append(line(1, 'a1'));
  v.append(line(1, 'b1', { source: 'b' }));
  v.append(line(2, 'a2'));
  v.appendMarker('gap', 'a marker', T0);
  assert.deepEqual([v.holds('a'), v.holds('b'), v.holds('c')], [true, true, false]);
  v.append(line(2, 'c2', { source: 'c' })); // a1 goes
  v.append(line(3, 'c3', { source: 'c' })); // b1 goes: b's only line
  assert.deepEqual([v.holds('a'), v.holds('b'), v.holds('c')], [true, false, true]);
  v.append(line(4, 'c4', { source: 'c' })); // a2 goes
  assert.deepEqual([v.holds('a'), v.holds('c')], [false, true]);
  v.clear();
  assert.deepEqual([v.holds('a'), v.holds('c')], [false, false], 'a cleared buffer numbers its rows from 0 again: nothing stale');
  v.append(line(5, 'c5', { source: 'c' }));
  assert.deepEqual([v.holds('a'), v.holds('c')], [false, true]);
});

test('holds stays right while many sources pass through (the per-source map is pruned)', () => {
  const v = view(10);
  for (let i = 0; i < 5_000; i++) v.append(line(1, 'x', { source: `s${i}` }));
  assert.equal(v.holds('s4999'), true);
  assert.equal(v.holds('s4990'), true);
  assert.equal(v.holds('s4989'), false);
  assert.equal(v.holds('s0'), false);
});
