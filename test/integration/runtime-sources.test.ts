// Roots added and removed while tailwatch runs (the desktop app's folders and files), seen by a real SSE
// client, and the in-process taps (onLines, onMetrics) the shell's alerts and tray use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { LogLine, MetricsData, SourceInfo, WireEvent } from '../../protocol/events';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { startTestServer } from '../helpers/server';
import { linesOf, openSse, type SseReader } from '../helpers/sse-reader';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const numbered = (from: number, to: number, prefix = 'line') => Array.from({ length: to - from + 1 }, (_, i) => `${prefix} ${from + i}\n`).join('');
type SourceEvent = Extract<WireEvent, { type: 'source' }>;
const sourceEvents = (events: WireEvent[], id: string, op?: SourceEvent['op']) =>
  events.filter((e): e is SourceEvent => e.type === 'source' && e.source.id === id && (op === undefined || e.op === op));
const seqs = (sse: SseReader, id: string) => linesOf(sse.events, id).map((l) => l.seq);
const texts = (sse: SseReader, id: string) => linesOf(sse.events, id).map((l) => l.text);

async function liveStream(s: Awaited<ReturnType<typeof startTestServer>>, t: { after(fn: () => void): void }) {
  const sse = await openSse(s.url('/api/events?topics=logs,sources'), s.authHeader);
  t.after(() => sse.close());
  await sse.waitFor((e) => e[0]?.type === 'hello', 'hello');
  return sse;
}

/**
 * Appends a marker to a file of the server's own directory and waits for it on the stream: every line
 * written before it, anywhere, has had its chance to arrive (the safety tick re-reads every file each second).
 */
async function settle(s: Awaited<ReturnType<typeof startTestServer>>, sse: SseReader, marker: string) {
  await s.append('marker.log', 1, 1, marker);
  const id = sourceIdOf(join(s.dir, 'marker.log'));
  await sse.waitFor((e) => linesOf(e, id).some((l) => l.text === `${marker} 1`), `marker ${marker}`);
  await delay(1200);
}

test('a folder added at run time: its files backfilled, then live lines, then new files read whole', async (t) => {
  const s = await startTestServer({ backfill: 3 });
  t.after(() => s.close());
  const folder = await testDir(t);
  writeFileSync(join(folder, 'a.log'), numbered(1, 10));
  const sse = await liveStream(s, t);

  await s.tw.addDir(folder);
  assert.deepEqual(s.tw.roots(), { dirs: [s.dir, folder], files: [] });
  const a = sourceIdOf(join(folder, 'a.log'));
  // Resolved once the backfill was handed on: the source is there already.
  assert.equal(s.tw.sources().find((x) => x.id === a)?.name, 'a.log');
  await sse.waitFor((e) => linesOf(e, a).length === 3, 'the backfill of a.log');
  assert.deepEqual(texts(sse, a), ['line 8', 'line 9', 'line 10']);
  assert.deepEqual(seqs(sse, a), [1, 2, 3]);
  const added = sourceEvents(sse.events, a, 'add');
  assert.equal(added.length, 1);
  assert.ok(sse.events.indexOf(added[0]!) < sse.events.findIndex((e) => e.type === 'log' && e.source === a), 'add before lines');

  appendFileSync(join(folder, 'a.log'), 'line 11\n');
  await sse.waitFor((e) => linesOf(e, a).at(-1)?.text === 'line 11', 'a live line');
  assert.deepEqual(seqs(sse, a), [1, 2, 3, 4]);

  writeFileSync(join(folder, 'b.log'), numbered(1, 5, 'new'));
  const b = sourceIdOf(join(folder, 'b.log'));
  await sse.waitFor((e) => linesOf(e, b).length === 5, 'a file created later, read from its beginning');

  await s.tw.addDir(folder);
  await s.tw.addDir(join(folder, '.'));
  assert.deepEqual(s.tw.roots().dirs, [s.dir, folder], 'adding it again changes nothing');
  assert.equal(sourceEvents(sse.events, a, 'add').length, 1);
});

test('removing a folder: a remove for each of its files, none of their lines after, files of other roots stay', async (t) => {
  const s = await startTestServer({ backfill: 5 });
  t.after(() => s.close());
  const outer = await testDir(t);
  const inner = join(outer, 'inner');
  mkdirSync(inner);
  writeFileSync(join(outer, 'top.log'), 'top 1\n');
  writeFileSync(join(inner, 'deep.log'), 'deep 1\n');
  const named = join(outer, 'named.log');
  writeFileSync(named, 'named 1\n');
  await s.tw.addDir(outer);
  await s.tw.addDir(inner);
  await s.tw.addFile(named);
  const top = sourceIdOf(join(outer, 'top.log'));
  const deep = sourceIdOf(join(inner, 'deep.log'));
  const namedId = sourceIdOf(named);
  const sse = await liveStream(s, t);
  await sse.waitFor((e) => linesOf(e, top).length === 1 && linesOf(e, deep).length === 1 && linesOf(e, namedId).length === 1, 'backfills');

  await s.tw.removeRoot(outer);
  assert.deepEqual(s.tw.roots(), { dirs: [s.dir, inner], files: [named] });
  const removed = await sse.waitFor((e) => sourceEvents(e, top, 'remove')[0], 'remove of top.log');
  assert.equal(removed.source.state, 'removed');
  assert.equal(removed.source.lines, 1);
  assert.deepEqual(
    s.tw.sources().map((x) => x.id).filter((id) => [top, deep, namedId].includes(id)).sort(),
    [deep, namedId].sort(),
    'deep.log (under inner) and named.log (a --file) stay',
  );

  appendFileSync(join(outer, 'top.log'), 'top 2\n');
  appendFileSync(join(inner, 'deep.log'), 'deep 2\n');
  appendFileSync(named, 'named 2\n');
  await sse.waitFor((e) => linesOf(e, deep).length === 2 && linesOf(e, namedId).length === 2, 'lines of the files still covered');
  await settle(s, sse, 'after-remove');
  assert.deepEqual(texts(sse, top), ['top 1'], 'nothing of top.log after its remove');
  assert.equal(sourceEvents(sse.events, deep, 'remove').length + sourceEvents(sse.events, namedId, 'remove').length, 0);

  // A file that is both named and under a folder stays until both roots are gone.
  await s.tw.addDir(outer);
  await s.tw.removeRoot(named);
  assert.ok(s.tw.sources().some((x) => x.id === namedId), 'still under the folder');
  await s.tw.removeRoot(outer);
  await sse.waitFor((e) => sourceEvents(e, namedId, 'remove').length === 1, 'remove of named.log once no root covers it');
  await s.tw.removeRoot(outer);
  await s.tw.removeRoot(join(outer, 'never-added'));
  assert.deepEqual(s.tw.roots(), { dirs: [s.dir, inner], files: [] });
});

test('a folder added again: its files go on with the next seq, never repeating one', async (t) => {
  const s = await startTestServer({ backfill: 2 });
  t.after(() => s.close());
  const folder = await testDir(t);
  const path = join(folder, 'app.log');
  writeFileSync(path, numbered(1, 4));
  const id = sourceIdOf(path);
  const sse = await liveStream(s, t);

  await s.tw.addDir(folder);
  await sse.waitFor((e) => linesOf(e, id).length === 2, 'backfill');
  appendFileSync(path, numbered(5, 5));
  await sse.waitFor((e) => linesOf(e, id).length === 3, 'live line 5');
  await s.tw.removeRoot(folder);
  await sse.waitFor((e) => sourceEvents(e, id, 'remove').length === 1, 'remove');
  appendFileSync(path, numbered(6, 6)); // written while nobody follows it

  await s.tw.addDir(folder);
  await sse.waitFor((e) => linesOf(e, id).length === 5, 'the backfill after adding it again');
  appendFileSync(path, numbered(7, 7));
  await sse.waitFor((e) => linesOf(e, id).length === 6, 'live line 7');
  assert.deepEqual(seqs(sse, id), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(texts(sse, id), ['line 3', 'line 4', 'line 5', 'line 5', 'line 6', 'line 7']);
  assert.deepEqual(
    sourceEvents(sse.events, id).filter((e) => e.op !== 'update').map((e) => e.op),
    ['add', 'remove', 'add'],
  );
  assert.equal(s.tw.sources().find((x) => x.id === id)?.lines, 6);
});

test('a file added at run time: backfilled when there, waited for when not, once however often it is added', async (t) => {
  const s = await startTestServer({ backfill: 2 });
  t.after(() => s.close());
  const dir = await testDir(t);
  const now = join(dir, 'now.log');
  const later = join(dir, 'later.log');
  writeFileSync(now, numbered(1, 3));
  const sse = await liveStream(s, t);

  await s.tw.addFile(now);
  await s.tw.addFile(later);
  await s.tw.addFile(now);
  assert.deepEqual(s.tw.roots().files, [now, later]);
  await sse.waitFor((e) => linesOf(e, sourceIdOf(now)).length === 2, 'backfill of now.log');
  assert.equal(sourceEvents(sse.events, sourceIdOf(now), 'add').length, 1);
  assert.equal(s.tw.sources().find((x) => x.path === later)?.state, 'waiting');

  writeFileSync(later, numbered(1, 3, 'later'));
  await sse.waitFor((e) => linesOf(e, sourceIdOf(later)).length === 3, 'later.log read whole once it appears');
  assert.deepEqual(texts(sse, sourceIdOf(later)), ['later 1', 'later 2', 'later 3']);
});

test('--max-files holds for roots added at run time', async (t) => {
  const s = await startTestServer({ maxFiles: 2 }, { 'a.log': 'a\n', 'b.log': 'b\n' });
  t.after(() => s.close());
  const dir = await testDir(t);
  writeFileSync(join(dir, 'c.log'), 'c\n');
  await assert.rejects(s.tw.addFile(join(dir, 'c.log')), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'ERR_TAILWATCH_MAX_FILES');
    assert.match(err.message, /not following .*c\.log: already following 2 files \(--max-files\)/);
    return true;
  });
  assert.deepEqual(s.tw.roots().files, []);
  await s.tw.addDir(dir);
  assert.equal(s.tw.sources().length, 2);
  assert.equal(s.warnings.filter((w) => /--max-files/.test(w)).length, 1, s.warnings.join('\n'));
  // A file already followed is no new file: naming it is fine at the cap.
  await s.tw.addFile(join(s.dir, 'a.log'));
  assert.deepEqual(s.tw.roots().files, [join(s.dir, 'a.log')]);
});

test('a folder that is not there yet: one warning, and its files are followed once it appears', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const folder = join(await testDir(t), 'later');
  const sse = await liveStream(s, t);
  await s.tw.addDir(folder);
  assert.deepEqual(s.tw.roots().dirs, [s.dir, folder]);
  assert.equal(s.warnings.length, 1, s.warnings.join('\n'));
  assert.match(s.warnings[0]!, /^folder .*later does not exist \(yet\)/);
  mkdirSync(folder);
  writeFileSync(join(folder, 'app.log'), 'first\nsecond\n');
  const id = sourceIdOf(join(folder, 'app.log'));
  await sse.waitFor((e) => linesOf(e, id).length === 2, 'its file, read whole');
  assert.deepEqual(texts(sse, id), ['first', 'second']);
});

test('onLines gets every batch as the hub does, with its source; a throwing listener is reported once', async (t) => {
  const s = await startTestServer({}, { 'app.log': '' });
  t.after(() => s.close());
  const id = sourceIdOf(join(s.dir, 'app.log'));
  const got: { source: SourceInfo | undefined; id: string; lines: readonly LogLine[]; live: boolean }[] = [];
  const off = s.tw.onLines((source, sourceId, lines, live) => got.push({ source, id: sourceId, lines, live }));
  const offBad = s.tw.onLines(() => {
    throw new Error('listener boom');
  });
  const sse = await liveStream(s, t);

  await s.append('app.log', 1, 5);
  await waitFor(() => got.flatMap((g) => g.lines).length === 5, '5 lines tapped');
  assert.ok(got.every((g) => g.id === id && g.source?.id === id && g.source.name === 'app.log' && g.source.state === 'live' && g.live));
  await s.append('app.log', 6, 5);
  await sse.waitFor((e) => linesOf(e, id).length === 10, '10 lines over SSE: ingestion goes on');
  assert.deepEqual(
    got.flatMap((g) => g.lines.map((l) => [l.seq, l.text])),
    linesOf(sse.events, id).map((l) => [l.seq, l.text]),
    'the same lines as clients get',
  );
  const failures = s.warnings.filter((w) => w.includes('listener boom'));
  assert.equal(failures.length, 1, s.warnings.join('\n'));
  assert.match(failures[0]!, /log-lines listener failed/);

  // A folder added now: its backfill is history (live false), what is written after is news.
  const folder = await testDir(t);
  const old = join(folder, 'old.log');
  writeFileSync(old, numbered(1, 3, 'old'));
  await s.tw.addDir(folder);
  const fromOld = () => got.filter((g) => g.id === sourceIdOf(old));
  assert.deepEqual(fromOld().flatMap((g) => g.lines.map((l) => [l.text, g.live])), [['old 1', false], ['old 2', false], ['old 3', false]]);
  appendFileSync(old, 'old 4\n');
  await waitFor(() => fromOld().flatMap((g) => g.lines).length === 4, 'a live line of old.log');
  assert.equal(fromOld().at(-1)!.live, true);

  off();
  offBad();
  await s.append('app.log', 11, 5);
  await sse.waitFor((e) => linesOf(e, id).length === 15, '15 lines over SSE');
  assert.equal(got.filter((g) => g.id === id).flatMap((g) => g.lines).length, 10, 'nothing after unsubscribing');
});

test('onMetrics gets each sample as it is published, until unsubscribed', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const samples: MetricsData[] = [];
  const off = s.tw.onMetrics((sample) => samples.push(sample));
  await waitFor(() => samples.length >= 2, 'two samples');
  off();
  const count = samples.length;
  assert.ok(samples[1]!.ts > samples[0]!.ts);
  assert.equal(typeof samples[0]!.cpu.total, 'number');
  assert.ok(samples[0]!.mem.total > 0);
  await delay(1500);
  assert.equal(samples.length, count);
});
