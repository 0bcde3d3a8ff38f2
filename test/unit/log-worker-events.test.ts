// Multi-line events in the log worker: lines marked `cont` join the event their source's previous line
// belongs to, and the views show, filter, order, bound, fold and export events whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLevel, LogLine } from '../../protocol/events';
import { EVENT_LIMITS } from '../../renderer/log-worker/event-grouping';
import { NO_FILTER } from '../../renderer/log-worker/line-filter';
import { BUFFER_LIMITS, LogViews } from '../../renderer/log-worker/log-views';
import { WINDOW_LIMITS } from '../../renderer/log-worker/log-view';
import { DECORATION_LIMITS } from '../../renderer/log-worker/row-decoration';
import type { FilterSpec, HighlightRule, LineRow, Row, ViewUpdate } from '../../renderer/worker-channel/worker-protocol';

const T0 = 1_700_000_000_000;

/** A Spring/logback error and its Java stack trace with a cause, as the server sends them: one event. */
const SPRING = [
  '2026-11-21 10:00:00.123 ERROR 4242 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() for servlet [dispatcherServlet] threw exception',
  'java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null',
  '\tat com.example.shop.OrderService.place(OrderService.java:42)',
  '\tat com.example.shop.OrderController.post(OrderController.java:17)',
  'Caused by: java.net.SocketTimeoutException: Read timed out',
  '\tat java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)',
  '\t... 12 more',
];
/** A Python traceback logged with logging.exception: one event. */
const PYTHON = [
  '2026-11-21 10:00:01,500 ERROR worker: job 7 failed',
  'Traceback (most recent call last):',
  '  File "/srv/app/jobs.py", line 31, in run',
  '    total = price / count',
  'ZeroDivisionError: division by zero',
];

/** Lines of one source from seq `from`: the first of each event plain, the rest `cont` with its ts and level. */
function events(from: number, ...texts: (readonly string[] | string)[]): LogLine[] {
  const lines: LogLine[] = [];
  let seq = from;
  for (const event of texts) {
    const [first, ...rest] = typeof event === 'string' ? [event] : event;
    const ts = T0 + seq;
    const level = levelOf(first!);
    lines.push({ seq: seq++, ts, text: first!, ...(level ? { level } : {}) });
    for (const text of rest) lines.push({ seq: seq++, ts, text, ...(level ? { level } : {}), cont: true });
  }
  return lines;
}
const levelOf = (text: string): LogLevel | undefined => (/\bERROR\b/.test(text) ? 'error' : /\bINFO\b/.test(text) ? 'info' : undefined);

function setup(views: { id: string; sources: string[] | null }[] = [{ id: 'all', sources: null }], bufferLines: number = BUFFER_LIMITS.minLines): LogViews {
  const set = new LogViews(() => {});
  set.restart(bufferLines);
  set.setViews(views);
  for (const view of views) set.setWindow(view.id, true, 0, WINDOW_LIMITS.maxRows);
  return set;
}
const byView = (updates: ViewUpdate[]): Record<string, ViewUpdate> => Object.fromEntries(updates.map((u) => [u.view, u]));
/** Each row as `source:first line (lines)`, markers in brackets. */
const entry = (row: Row): string => (row.kind === 'marker' ? `[${row.text}]` : `${row.source}:${row.text}${row.lines ? ` (${row.lines})` : ''}`);
const SPRING_ROW = `app:${SPRING[0]} (7)`;
const PYTHON_ROW = `py:${PYTHON[0]} (5)`;
const A_SPRING = (lines: number) => `a:${SPRING[0]} (${lines})`;
const lineRows = (update: ViewUpdate): LineRow[] => update.window.rows.filter((row): row is LineRow => row.kind === 'line');
async function filtered(set: LogViews, spec: Partial<FilterSpec>, highlights: HighlightRule[] = []): Promise<Record<string, ViewUpdate>> {
  set.setFilter({ ...NO_FILTER, ...spec }, highlights);
  for (;;) {
    const updates = byView(set.takeUpdates());
    if (Object.keys(updates).length > 0) return updates;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

test('a line and the cont lines after it are one entry: one row, its lines counted, its time and level the first line’s', () => {
  const set = setup();
  set.ingest('app', events(1, 'INFO starting', SPRING, 'INFO after'));
  set.ingest('py', events(100, PYTHON));
  const all = byView(set.takeUpdates()).all!;
  assert.deepEqual(all.window.rows.map(entry), ['app:INFO starting', SPRING_ROW, 'app:INFO after', PYTHON_ROW]);
  assert.deepEqual({ total: all.total, buffered: all.buffered }, { total: 4, buffered: 14 });
  const spring = lineRows(all)[1]!;
  assert.deepEqual({ seq: spring.seq, ts: spring.ts, level: spring.level, cont: spring.cont, unfolded: spring.unfolded }, { seq: 2, ts: T0 + 2, level: 'error', cont: undefined, unfolded: undefined });
});

test('a cont line joins only the line right before it of its own source; otherwise it begins an entry drawn as continuing', () => {
  const set = setup();
  // The first line received is a continuation (its event began before the backfill): an entry of its own.
  set.ingest('a', [{ seq: 5, ts: 5, text: '\tat first.frame(A.java:1)', cont: true }, { seq: 6, ts: 5, text: '\tat second.frame(A.java:2)', cont: true }]);
  // Another source's lines in between change nothing for `a`.
  set.ingest('b', [{ seq: 1, ts: 6, text: 'b line' }]);
  set.ingest('a', [{ seq: 7, ts: 5, text: '\tat third.frame(A.java:3)', cont: true }]);
  // Lines 8 and 9 never came (a gap): line 10 cannot join the event of line 7.
  set.ingest('a', [{ seq: 10, ts: 9, text: '\tat after.gap(A.java:10)', cont: true }]);
  const rows = lineRows(byView(set.takeUpdates()).all!);
  assert.deepEqual(rows.map(entry), ['a:\tat first.frame(A.java:1) (3)', 'b:b line', 'a:\tat after.gap(A.java:10)']);
  assert.deepEqual(rows.map((row) => row.cont), [true, undefined, true]);
});

test('the text filter shows an entry whole when any of its lines matches; a Caused by: frame brings its exception', async () => {
  const set = setup([{ id: 'all', sources: null }, { id: 'app', sources: ['app'] }]);
  set.ingest('app', events(1, 'INFO the request timed out in the line itself', SPRING, 'INFO unrelated'));
  set.ingest('py', events(100, PYTHON));
  set.takeUpdates();
  let views = await filtered(set, { query: 'timed out' });
  assert.deepEqual(views.app!.window.rows.map(entry), ['app:INFO the request timed out in the line itself', SPRING_ROW]);
  assert.equal(views.app!.matches, 2);
  assert.equal(set.exportText('app', 1, 1)!.text, SPRING.join('\n'), 'the whole event, not the matching frame alone');

  // Invert: an entry with any matching line is hidden, all of it.
  views = await filtered(set, { query: 'timed out', invert: true });
  assert.deepEqual(views.all!.window.rows.map(entry), ['app:INFO unrelated', PYTHON_ROW]);
  // A regex on a traceback's last line.
  views = await filtered(set, { query: '/^ZeroDivisionError/' });
  assert.deepEqual(views.all!.window.rows.map(entry), [PYTHON_ROW]);
  // Highlight mode keeps every entry and counts those with a match.
  views = await filtered(set, { query: 'timed out', mode: 'highlight' }, [{ query: 'NullPointerException', color: 'red' }]);
  assert.deepEqual({ total: views.all!.total, matches: views.all!.matches, rule: views.all!.highlightCounts }, { total: 4, matches: 2, rule: [1] });
});

test('level chips and source toggles take the entry by its first line: showing only errors shows traces whole', async () => {
  const set = setup();
  set.ingest('app', events(1, 'INFO starting', SPRING));
  // Frames the server gave no level to (an older server) are still the event's.
  set.ingest('py', [
    { seq: 1, ts: T0 + 100, text: PYTHON[0]!, level: 'error' },
    ...PYTHON.slice(1).map((text, i) => ({ seq: 2 + i, ts: T0 + 100, text, cont: true as const })),
  ]);
  set.takeUpdates();
  let views = await filtered(set, { hiddenLevels: ['fatal', 'warn', 'info', 'debug', 'trace', 'none'] });
  assert.deepEqual(views.all!.window.rows.map(entry), [SPRING_ROW, PYTHON_ROW]);
  assert.equal(set.exportText('all')!.lines, SPRING.length + PYTHON.length);
  views = await filtered(set, { hiddenLevels: ['error'] });
  assert.deepEqual(views.all!.window.rows.map(entry), ['app:INFO starting']);
  views = await filtered(set, { hiddenSources: ['app'] });
  assert.deepEqual(views.all!.window.rows.map(entry), [PYTHON_ROW]);
});

test('merged: an entry’s lines stay together, placed by its first line’s time; a cont line arriving later joins it where it is', () => {
  const set = setup([{ id: 'all', sources: null }, { id: 'a', sources: ['a'] }]);
  const trace = events(1, SPRING);
  set.ingest('a', trace.slice(0, 3));
  set.ingest('b', [{ seq: 1, ts: T0 - 5, text: 'b older' }, { seq: 2, ts: T0 + 50, text: 'b newer' }]);
  let views = byView(set.takeUpdates());
  assert.deepEqual(views.all!.window.rows.map(entry), ['b:b older', A_SPRING(3), 'b:b newer']);
  // The rest of the trace comes in the next batches, after b's line: it joins the entry, nothing moves.
  set.ingest('a', trace.slice(3, 5));
  set.ingest('b', [{ seq: 3, ts: T0 + 60, text: 'b last' }]);
  set.ingest('a', trace.slice(5));
  views = byView(set.takeUpdates());
  assert.deepEqual(views.all!.window.rows.map(entry), ['b:b older', A_SPRING(7), 'b:b newer', 'b:b last']);
  assert.deepEqual(views.a!.window.rows.map(entry), [A_SPRING(7)]);
  assert.equal(views.all!.buffered, 10);
  assert.equal(set.exportText('all', 1, 1)!.text, SPRING.join('\n'));
});

test('a hidden entry that a later line makes match is shown: in place when it is the newest row, else moved to the end', async () => {
  const set = setup([{ id: 'all', sources: null }, { id: 'a', sources: ['a'] }]);
  await filtered(set, { query: 'timed out' });
  const trace = events(1, SPRING);
  set.ingest('a', trace.slice(0, 4));
  set.ingest('b', [{ seq: 1, ts: T0 + 100, text: 'b timed out too' }]);
  let views = byView(set.takeUpdates());
  assert.deepEqual(views.all!.window.rows.map(entry), ['b:b timed out too']);
  assert.equal(views.a!.total, 0);
  set.ingest('a', trace.slice(4));
  views = byView(set.takeUpdates());
  assert.deepEqual(views.a!.window.rows.map(entry), [A_SPRING(7)]);
  assert.deepEqual(views.all!.window.rows.map(entry), ['b:b timed out too', A_SPRING(7)]);
  assert.deepEqual({ total: views.all!.total, matches: views.all!.matches, buffered: views.all!.buffered }, { total: 2, matches: 2, buffered: 8 });
  // It stays where it moved, and is there once.
  views = await filtered(set, { query: 'timed out' });
  assert.deepEqual(views.all!.window.rows.map(entry), ['b:b timed out too', A_SPRING(7)]);
  // Seek and export see one entry, once.
  assert.equal(set.exportText('all')!.text.split('\n').filter((line) => line === `a | ${SPRING[4]}`).length, 1);
});

test('the bound counts lines and lets whole entries go: the oldest entry leaves with all its lines, counted as dropped', () => {
  const bound = BUFFER_LIMITS.minLines;
  const set = setup([{ id: 'a', sources: ['a'] }]);
  const frames = Array.from({ length: 99 }, (_, i) => `\tat frame.number${i + 1}(F.java:${i + 1})`);
  set.ingest('a', events(1, ['ERROR head', ...frames]));
  set.ingest('a', events(101, ...Array.from({ length: bound - 10 }, (_, i) => `line ${101 + i}`)));
  set.setWindow('a', false, 0, 3);
  const update = byView(set.takeUpdates()).a!;
  assert.deepEqual(
    { buffered: update.buffered, dropped: update.dropped, total: update.total, first: entry(update.window.rows[0]!) },
    { buffered: bound - 10, dropped: 100, total: bound - 10, first: 'a:line 101' },
  );
  set.ingest('a', events(101 + bound - 10, ...Array.from({ length: 10 }, (_, i) => `more ${i}`)));
  const later = byView(set.takeUpdates()).a!;
  assert.deepEqual({ buffered: later.buffered, dropped: later.dropped, total: later.total, first: entry(later.window.rows[0]!) }, { buffered: bound, dropped: 100, total: bound, first: 'a:line 101' });
});

test('an entry keeps at most EVENT_LIMITS.maxEventLines lines: the next one begins an entry, drawn as continuing', () => {
  const set = setup([{ id: 'a', sources: ['a'] }], 20_000);
  const frames = Array.from({ length: EVENT_LIMITS.maxEventLines + 10 }, (_, i) => `\tat f${i}`);
  set.ingest('a', events(1, ['ERROR huge', ...frames]));
  const rows = lineRows(byView(set.takeUpdates()).a!);
  assert.deepEqual(rows.map((row) => [row.lines, row.cont]), [[EVENT_LIMITS.maxEventLines, undefined], [11, true]]);
});

test('folded, an entry sends its summary line and the lines a filter or rule finds; unfolded, all its lines; folding is kept per view', async () => {
  const set = setup([{ id: 'all', sources: null }, { id: 'app', sources: ['app'] }]);
  set.ingest('app', events(1, SPRING));
  set.ingest('py', events(100, PYTHON, ['node error', '    at a (x.js:1)', '    at b (x.js:2)']));
  let all = byView(set.takeUpdates()).all!;
  const more = (row: LineRow) => row.more?.map((line) => `${line.at}:${line.text}`);
  let [spring, python, node] = lineRows(all);
  // Java: the root cause; Python: the exception; Node: no unindented line, nothing.
  assert.deepEqual(more(spring!), [`4:${SPRING[4]}`]);
  assert.deepEqual(more(python!), [`4:${PYTHON[4]}`]);
  assert.equal(node!.more, undefined);
  assert.equal(node!.lines, 3);

  all = (await filtered(set, { query: 'OrderController', mode: 'highlight' }, [{ query: 'OrderService', color: 'red' }])).all!;
  [spring] = lineRows(all);
  assert.deepEqual(more(spring!), [`2:${SPRING[2]}`, `3:${SPRING[3]}`, `4:${SPRING[4]}`]);
  const controller = spring!.more![1]!;
  assert.deepEqual(controller.marks!.map((mark) => [controller.text.slice(mark.start, mark.end), mark.rule]), [['OrderController', -1], ['OrderController', -1]]);

  assert.equal(set.fold('all', all.generation, spring!.index, true), true);
  const updates = byView(set.takeUpdates());
  assert.equal(updates.app, undefined, 'the other view keeps it folded: it did not change');
  all = updates.all!;
  [spring] = lineRows(all);
  assert.equal(spring!.unfolded, true);
  assert.deepEqual(spring!.more!.map((line) => line.text), SPRING.slice(1));
  assert.deepEqual(spring!.more!.map((line) => line.seq), [2, 3, 4, 5, 6, 7]);
  // A fold for an old list (generation) does nothing.
  set.fold('all', all.generation - 1, spring!.index, false);
  assert.deepEqual(set.takeUpdates(), []);
  // Unfolded it stays under a new filter (it is the event that is unfolded, not the index).
  all = (await filtered(set, { query: 'Servlet' })).all!;
  assert.equal(lineRows(all)[0]!.unfolded, true);
  set.fold('all', all.generation, lineRows(all)[0]!.index, false);
  assert.equal(lineRows(byView(set.takeUpdates()).all!)[0]!.unfolded, undefined);
  assert.equal(set.fold('nope', 0, 0, true), false);
});

test('an unfolded entry sends at most DECORATION_LIMITS.maxUnfoldedLines lines after its first', () => {
  const set = setup([{ id: 'a', sources: ['a'] }], 20_000);
  set.ingest('a', events(1, ['ERROR big', ...Array.from({ length: DECORATION_LIMITS.maxUnfoldedLines + 5 }, (_, i) => `\tat f${i}`)]));
  const update = byView(set.takeUpdates()).a!;
  set.fold('a', update.generation, update.firstIndex, true);
  const row = lineRows(byView(set.takeUpdates()).a!)[0]!;
  assert.deepEqual({ lines: row.lines, sent: row.more!.length }, { lines: DECORATION_LIMITS.maxUnfoldedLines + 6, sent: DECORATION_LIMITS.maxUnfoldedLines });
});

test('export takes entries whole, in order, with each line led by its source\'s name when several sources are in it', () => {
  const set = setup([{ id: 'all', sources: null }, { id: 'py', sources: ['py'] }]);
  set.ingest('app', events(1, SPRING));
  set.ingest('py', events(1, PYTHON).map((line) => ({ ...line, ts: T0 + 5 })));
  set.ingest('app', events(8, 'INFO done'));
  set.takeUpdates();
  const names = (id: string) => `${id}.log`;
  assert.deepEqual(set.exportText('all', undefined, undefined, names), {
    text: [...SPRING.map((line) => `app.log | ${line}`), ...PYTHON.map((line) => `py.log | ${line}`), 'app.log | INFO done'].join('\n'),
    lines: SPRING.length + PYTHON.length + 1,
  });
  // One source: the lines as they are.
  assert.deepEqual(set.exportText('py', undefined, undefined, names), { text: PYTHON.join('\n'), lines: PYTHON.length });
  assert.deepEqual(set.exportText('all', 0, 0, names), { text: SPRING.join('\n'), lines: SPRING.length });
});

test('a pane split off or merged again gets entries whole from the others, and later lines still join them', () => {
  const set = setup([{ id: 'all', sources: null }]);
  const trace = events(1, SPRING);
  set.ingest('a', trace.slice(0, 2));
  set.ingest('b', events(1, 'b one'));
  set.takeUpdates();
  set.setViews([{ id: 'a', sources: ['a'] }, { id: 'b', sources: ['b'] }]);
  set.setWindow('a', true, 0, 10);
  set.ingest('a', trace.slice(2));
  const a = byView(set.takeUpdates()).a!;
  assert.deepEqual({ rows: a.window.rows.map(entry), buffered: a.buffered, dropped: a.dropped }, { rows: [A_SPRING(7)], buffered: 7, dropped: 0 });
  set.setViews([{ id: 'all', sources: null }]);
  set.setWindow('all', true, 0, 10);
  const all = byView(set.takeUpdates()).all!;
  assert.deepEqual({ rows: all.window.rows.map(entry), buffered: all.buffered, dropped: all.dropped }, { rows: [A_SPRING(7), 'b:b one'], buffered: 8, dropped: 0 });
});

test('a rescan gives the same list and counts as judging each entry as its lines arrived', async () => {
  const lines: [string, LogLine[]][] = [];
  let seq = 1;
  for (let i = 0; i < 300; i++) {
    const batch = events(seq, i % 3 === 0 ? SPRING : i % 3 === 1 ? PYTHON : `INFO plain ${i}`);
    seq += batch.length;
    // Each event arrives in two batches, a line of another source between them.
    lines.push(['a', batch.slice(0, 2)], ['b', [{ seq: i + 1, ts: T0 + seq, text: `b ${i} timed out` }]], ['a', batch.slice(2)]);
  }
  const spec = { query: '/timed out|ZeroDivision/' };
  const incremental = setup([{ id: 'all', sources: null }, { id: 'a', sources: ['a'] }], 2_000);
  await filtered(incremental, spec);
  for (const [source, batch] of lines) {
    incremental.ingest(source, batch);
    incremental.takeUpdates();
  }
  const rescanned = setup([{ id: 'all', sources: null }, { id: 'a', sources: ['a'] }], 2_000);
  for (const [source, batch] of lines) {
    rescanned.ingest(source, batch);
    rescanned.takeUpdates();
  }
  const after = await filtered(rescanned, spec);
  incremental.setWindow('all', true, 0, 1);
  incremental.setWindow('a', true, 0, 1);
  const before = byView(incremental.takeUpdates());
  const counts = (u: ViewUpdate) => ({ total: u.total, matches: u.matches, buffered: u.buffered, dropped: u.dropped });
  // 100 Java and 100 Python traces of a's 1,300 lines match, and the 300 lines of b.
  assert.deepEqual(counts(after.a!), { total: 200, matches: 200, buffered: 1_300, dropped: 0 });
  assert.deepEqual(counts(before.a!), counts(after.a!));
  assert.deepEqual(counts(before.all!), { total: 500, matches: 500, buffered: 1_600, dropped: 0 });
  assert.deepEqual(counts(after.all!), counts(before.all!));
  // The single-source pane lists its entries in place either way.
  assert.deepEqual(rescanned.exportText('a'), incremental.exportText('a'));
  // The merged pane holds the same entries; those a later line revealed moved to the end, so the order (and
  // differs.
  const sorted = (text: string) => text.split('\n').filter((line) => line !== '').sort().join('\n');
  assert.equal(sorted(incremental.exportText('all')!.text), sorted(rescanned.exportText('all')!.text));
});

test('after a server restart a cont line joins nothing from before it', () => {
  const set = setup([{ id: 'a', sources: ['a'] }]);
  set.ingest('a', events(1, ['ERROR head', '\tat one']));
  set.flush();
  set.reset('server restarted: earlier lines were cleared', T0);
  set.ingest('a', [{ seq: 3, ts: T0 + 1, text: '\tat two', level: 'error', cont: true }]);
  const rows = byView(set.takeUpdates()).a!.window.rows;
  assert.deepEqual(rows.map(entry), ['[server restarted: earlier lines were cleared]', 'a:\tat two']);
  assert.equal((rows[1] as LineRow).cont, true);
});

test('export names each line\'s host (`host: name | text`) only when its rows come from more than one host', () => {
  const set = setup([{ id: 'all', sources: null }, { id: 'web1', sources: ['w1', 'w1b'] }]);
  set.ingest('w1', events(1, 'INFO one'));
  set.ingest('w2', events(1, 'INFO two').map((line) => ({ ...line, ts: T0 + 5 })));
  set.ingest('w1b', events(1, 'INFO three').map((line) => ({ ...line, ts: T0 + 9 })));
  set.takeUpdates();
  const names = (id: string) => `${id}.log`;
  const hosts = (id: string) => (id === 'w2' ? 'web2' : 'web1');
  assert.deepEqual(set.exportText('all', undefined, undefined, names, hosts), {
    text: ['web1: w1.log | INFO one', 'web2: w2.log | INFO two', 'web1: w1b.log | INFO three'].join('\n'),
    lines: 3,
  });
  // Two sources of one host: their names only, as without --redis.
  assert.deepEqual(set.exportText('web1', undefined, undefined, names, hosts), { text: ['w1.log | INFO one', 'w1b.log | INFO three'].join('\n'), lines: 2 });
});
