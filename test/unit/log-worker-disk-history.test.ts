import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../protocol/events';
import type { LinesQuery } from '../../protocol/lines';
import { DiskHistory } from '../../renderer/log-worker/disk-history';
import type { LinesResult } from '../../renderer/log-worker/disk-lines';
import { groupPage } from '../../renderer/log-worker/event-grouping';
import { HeldLine } from '../../renderer/log-worker/held-rows';
import { LineFilter, NO_FILTER } from '../../renderer/log-worker/line-filter';
import { LogView, WINDOW_LIMITS } from '../../renderer/log-worker/log-view';
import { LogViews } from '../../renderer/log-worker/log-views';
import { gapMarkerText } from '../../renderer/log-worker/markers';

const T0 = 1_700_000_000_000;
const logLine = (seq: number, extra: Partial<LogLine> = {}): LogLine => ({ seq, ts: T0 + seq * 10, text: `line ${seq}`, ...extra });
const range = (from: number, to: number, extra: (seq: number) => Partial<LogLine> = () => ({})): LogLine[] =>
  Array.from({ length: to - from + 1 }, (_, i) => logLine(from + i, extra(from + i)));
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Answers /api/lines from `disk` (source → its lines), counting the requests; `gone` answers 410. */
function fakeDisk(disk: Record<string, LogLine[]>, options: { gone?: boolean; hold?: boolean } = {}) {
  const asked: LinesQuery[] = [];
  const release: (() => void)[] = [];
  const fetchLines = async (query: LinesQuery): Promise<LinesResult> => {
    asked.push(query);
    if (options.hold) await new Promise<void>((resolve) => release.push(resolve));
    if (options.gone) return { ok: false, gone: true, reason: 'no longer on disk' };
    const all = disk[query.source] ?? [];
    if ('before' in query) {
      const older = all.filter((line) => line.seq < query.before);
      const lines = older.slice(Math.max(0, older.length - query.limit));
      return { ok: true, answer: { source: query.source, lines, start: lines.length > 0 && lines[0] === all[0] } };
    }
    return { ok: true, answer: { source: query.source, lines: all.filter((line) => line.seq >= query.from && line.seq <= query.to), start: false } };
  };
  return { asked, release, fetchLines };
}

function setup(disk: ReturnType<typeof fakeDisk>, views: { id: string; sources: string[] | null }[] = [{ id: 'v', sources: ['a'] }], bufferLines = 5_000) {
  const logViews = new LogViews(() => {});
  logViews.restart(bufferLines);
  logViews.setViews(views);
  const history = new DiskHistory(logViews, () => {}, (id) => id);
  history.restart(disk.fetchLines);
  const ingest = (source: string, lines: LogLine[]) => {
    logViews.ingest(source, lines);
    history.received(source, lines);
  };
  const text = (id = 'v') => logViews.exportText(id)!.text.split('\n');
  const update = (id = 'v') => {
    const view = logViews.view(id)!;
    view.setWindow(true, 0, WINDOW_LIMITS.maxRows);
    return view.update();
  };
  return { logViews, history, ingest, text, update };
}

test('a page of older lines goes before the lines held: indexes kept, the older ones below, in seq order', async () => {
  const disk = fakeDisk({ a: range(-4, 6) });
  const { history, ingest, text, update } = setup(disk);
  ingest('a', range(4, 6));
  const before = update();
  assert.deepEqual([before.firstIndex, before.total], [0, 3]);
  history.older('v');
  assert.equal(update().history?.loading, true, 'loading is shown while the page is on its way');
  await settle();
  assert.deepEqual(disk.asked, [{ source: 'a', before: 4, limit: 1_000 }]);
  const after = update();
  assert.deepEqual([after.firstIndex, after.total], [-8, 11]);
  assert.equal(after.window.rows.find((row) => row.text === 'line 4')!.index, 0, 'a held row keeps its index');
  assert.deepEqual(text(), range(-4, 6).map((line) => line.text));
  assert.deepEqual(after.history, { loading: false, start: true }, 'the oldest line on disk is held: start of file');
  history.older('v');
  await settle();
  assert.equal(disk.asked.length, 1, 'nothing is asked past the start');
});

test('older lines are grouped into events: a cont line at a page start joins nothing, the next ones join their line', () => {
  const events = groupPage('a', [logLine(1, { cont: true }), logLine(2), logLine(3, { cont: true }), logLine(4, { cont: true }), logLine(5)]);
  assert.deepEqual(
    events.map((event) => [event.seq, event.cont, event.lineCount]),
    [
      [1, true, 1],
      [2, false, 3],
      [5, false, 1],
    ],
  );
});

test('older lines take only the room the bound leaves: the newest of the page, and no start mark when some were left', async () => {
  const disk = fakeDisk({ a: range(-2000, 1_010) });
  const { history, ingest, update } = setup(disk, undefined, 1_000);
  ingest('a', range(1, 900));
  history.older('v');
  await settle();
  assert.deepEqual(disk.asked, [{ source: 'a', before: 1, limit: 100 }]);
  const full = update();
  assert.equal(full.buffered, 1_000);
  assert.equal(full.window.rows[0]!.text, 'line -99');
  assert.equal(full.history, undefined);
  history.older('v');
  assert.match(update().history?.note ?? '', /holds its 1,000 lines/, 'a full view says why no older lines come');
  assert.equal(disk.asked.length, 1);
});

test('a merged view asks each source it holds and puts their older lines before its rows, by time', async () => {
  const disk = fakeDisk({ a: range(1, 6), b: range(1, 6, (seq) => ({ ts: T0 + seq * 10 + 5, text: `b ${seq}` })) });
  const { history, ingest, text } = setup(disk, [{ id: 'all', sources: null }]);
  ingest('a', range(5, 6));
  ingest('b', range(5, 6, (seq) => ({ ts: T0 + seq * 10 + 5, text: `b ${seq}` })));
  history.older('all');
  await settle();
  assert.deepEqual(
    disk.asked.map((query) => query.source),
    ['a', 'b'],
  );
  const lines = text('all').filter((line) => line !== '').map((line) => line.slice(line.indexOf(' | ') + 3));
  assert.deepEqual(lines, ['line 1', 'b 1', 'line 2', 'b 2', 'line 3', 'b 3', 'line 4', 'b 4', 'line 5', 'b 5', 'line 6', 'b 6']);
});

test('never two requests at once for a source; a 410 says the older lines are no longer on disk', async () => {
  const disk = fakeDisk({ a: range(1, 6) }, { hold: true, gone: true });
  const { history, ingest, update } = setup(disk);
  ingest('a', range(5, 6));
  history.older('v');
  history.older('v');
  await settle();
  assert.equal(disk.asked.length, 1);
  for (const resolve of disk.release) resolve();
  await settle();
  assert.deepEqual(update().history, { loading: false, start: false, note: 'older lines are no longer on disk' });
  assert.deepEqual(update().window.rows.map((row) => row.text), ['line 5', 'line 6']);
});

test('a page that no longer joins the lines held (they were dropped meanwhile) is let go', async () => {
  const disk = fakeDisk({ a: range(-10, 2_000) }, { hold: true });
  const { history, ingest, update } = setup(disk, undefined, 1_000);
  ingest('a', range(1, 500));
  history.older('v');
  await settle();
  ingest('a', range(501, 1_200));
  update();
  for (const resolve of disk.release) resolve();
  await settle();
  assert.equal(update().window.rows.at(-1)!.text, 'line 1200');
  assert.equal(update().firstIndex, 200, 'nothing was put before the rows');
});

test('a gap of a source is read from disk into the marker\'s place: the view is whole, the marker gone', async () => {
  const disk = fakeDisk({ a: range(1, 20, (seq) => (seq === 9 ? { cont: true } : {})) });
  const { logViews, history, ingest, text, update } = setup(disk, [
    { id: 'v', sources: ['a'] },
    { id: 'all', sources: null },
  ]);
  ingest('a', range(1, 5));
  const placed = logViews.gap('a', gapMarkerText({ source: 'a', missed: 6, reason: 'slow-client' }, 'a'), T0);
  history.gapped('a', 6, placed);
  ingest('a', range(12, 14));
  assert.ok(text().includes('--- 6 lines of a not received (this view fell behind) ---'));
  await settle();
  assert.deepEqual(disk.asked, [{ source: 'a', from: 6, to: 11 }]);
  assert.deepEqual(text(), range(1, 14).map((line) => line.text));
  assert.deepEqual(text('all'), range(1, 14).map((line) => line.text));
  const eight = update().window.rows.find((row) => row.kind === 'line' && row.seq === 8);
  assert.equal(eight?.kind === 'line' ? eight.lines : undefined, 2, 'line 9 (cont) joins line 8');
});

test('a gap\'s lines and older lines go into the store: a pane made after they came has them, as does every pane of the source', async () => {
  const disk = fakeDisk({ a: range(1, 20), b: range(1, 3) });
  const { logViews, history, ingest, text } = setup(disk, [{ id: 'all', sources: null }]);
  ingest('a', range(8, 10));
  ingest('b', range(1, 3));
  const placed = logViews.gap('a', gapMarkerText({ source: 'a', missed: 3, reason: 'slow-client' }, 'a'), T0);
  history.gapped('a', 3, placed);
  // A pane of a made while the gap is read: it had no marker, and gets the lines all the same.
  logViews.setViews([{ id: 'all', sources: null }, { id: 'a', sources: ['a'] }]);
  ingest('a', range(14, 15));
  await settle();
  assert.deepEqual(text('a'), [...range(8, 15)].map((line) => line.text));
  // Older lines asked for by the merged view reach the pane of a too.
  history.older('all');
  await settle();
  assert.deepEqual(text('a'), range(1, 15).map((line) => line.text));
  // The merged view's text names each line's source (`a | line 1`): its sources mix.
  assert.equal(text('all').filter((line) => /^[ab] \| line /.test(line)).length, 15 + 3);
});

test('a gap no longer on disk stays marked and says so', async () => {
  const disk = fakeDisk({}, { gone: true });
  const { logViews, history, ingest, text } = setup(disk);
  ingest('a', range(1, 2));
  history.gapped('a', 3, logViews.gap('a', 'gap', T0));
  ingest('a', range(6, 6));
  await settle();
  assert.deepEqual(text(), ['line 1', 'line 2', '--- 3 lines of a not received (no longer on disk) ---', 'line 6']);
});

test('a gap before any line of its source ends where the next line begins', async () => {
  const disk = fakeDisk({ a: range(1, 10) });
  const { logViews, history, ingest, text } = setup(disk);
  history.gapped('a', 4, logViews.gap('a', 'gap', T0));
  ingest('a', range(5, 6));
  await settle();
  assert.deepEqual(disk.asked, [{ source: 'a', from: 1, to: 4 }]);
  assert.deepEqual(text(), range(1, 6).map((line) => line.text));
});

test('prepend keeps the filter: hidden older lines are not listed, shown ones are, and seek finds them by time', () => {
  const v = new LogView('v', ['a'], 100, new LineFilter({ ...NO_FILTER, query: 'keep' }));
  v.setWindow(true, 0, WINDOW_LIMITS.maxRows);
  v.append(HeldLine.of('a', { seq: 10, ts: T0 + 10, text: 'keep 10' }));
  v.prepend(groupPage('a', [logLine(7, { text: 'keep 7' }), logLine(8, { text: 'drop 8' }), logLine(9, { text: 'keep 9' })]));
  const u = v.update();
  assert.deepEqual(u.window.rows.map((row) => [row.index, row.text]), [
    [-2, 'keep 7'],
    [-1, 'keep 9'],
    [0, 'keep 10'],
  ]);
  assert.equal(u.matches, 3);
  assert.equal(v.seek(T0 + 85), -1, 'the first row at or after the time: keep 9');
});

test('an oldest row that continues an event joins the event an older page ends with, in its place', async () => {
  const disk = fakeDisk({ a: range(1, 8, (seq) => (seq === 5 || seq === 6 ? { cont: true } : {})) });
  const { history, ingest, update, text } = setup(disk);
  ingest('a', range(5, 8, (seq) => (seq === 5 || seq === 6 ? { cont: true } : {})));
  const before = update();
  assert.deepEqual(before.window.rows.map((row) => [row.index, row.kind === 'line' ? row.seq : null, row.kind === 'line' ? row.cont : null]), [
    [0, 5, true],
    [1, 7, undefined],
    [2, 8, undefined],
  ]);
  history.older('v');
  await settle();
  const after = update();
  assert.deepEqual(after.window.rows.map((row) => [row.index, row.kind === 'line' ? row.seq : null, row.kind === 'line' ? (row.lines ?? 1) : null]), [
    [-3, 1, 1],
    [-2, 2, 1],
    [-1, 3, 1],
    [0, 4, 3],
    [1, 7, 1],
    [2, 8, 1],
  ]);
  assert.equal(after.buffered, 8);
  assert.deepEqual(text(), range(1, 8).map((line) => line.text));
});

test('a full view that dropped lines asks nothing and adds no note: its dropped marker says it already', async () => {
  const disk = fakeDisk({ a: range(1, 1_500) });
  const { history, ingest, update } = setup(disk, undefined, 1_000);
  ingest('a', range(1, 1_500));
  history.older('v');
  await settle();
  const u = update();
  assert.equal(disk.asked.length, 0);
  assert.deepEqual([u.dropped, u.history], [500, undefined]);
});

test('a gap whose lines cannot be asked for (the source is not followed now) keeps its marker as it was', async (t) => {
  t.mock.method(console, 'warn', () => {});
  const logViews = new LogViews(() => {});
  logViews.restart(5_000);
  logViews.setViews([{ id: 'v', sources: ['a'] }]);
  const history = new DiskHistory(logViews, () => {}, (id) => id);
  history.restart(async () => ({ ok: false, gone: false, reason: 'the server answered HTTP 404' }));
  logViews.ingest('a', range(1, 2));
  history.received('a', range(1, 2));
  history.gapped('a', 3, logViews.gap('a', 'the marker', T0));
  await settle();
  assert.deepEqual(logViews.exportText('v')!.text.split('\n'), ['line 1', 'line 2', '--- the marker ---']);
});
