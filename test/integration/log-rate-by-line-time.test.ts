// The log rate on a real server: an hour of lines in a file before it starts (read whole as its backfill) is
// history, not a spike of thousands of lines a second; lines written while it runs count at their own time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FineHistory } from '../../protocol/metrics-history';
import { startTestServer, type TestServer } from '../helpers/server';
import { waitFor } from '../helpers/wait';

const LINES_PER_SECOND = 3;

function hourOfLines(end: number): string {
  let text = '';
  for (let k = 3600 * LINES_PER_SECOND; k > 0; k--) text += `${new Date(end - Math.round((k * 1000) / LINES_PER_SECOND)).toISOString()} INFO request handled in 3 ms\n`;
  return text;
}

async function rates(s: TestServer, id: string): Promise<number[]> {
  const res = await fetch(s.url('/api/metrics/history?seconds=120'), { headers: s.authHeader });
  const history = (await res.json()) as FineHistory;
  return (history.series[`logs.lines:${id}`] ?? []).map((v) => v ?? 0);
}

test('an hour of backfill counts as no lines/s, at start and after a restart; new lines count by their own time', async (t) => {
  const text = hourOfLines(Date.now() - 1000);
  // The backfill takes in the whole file: read from its start, as a file found at start with few lines is.
  const s = await startTestServer({ backfill: 20_000 }, { 'app.log': text });
  t.after(() => rm(s.dir, { recursive: true, force: true }));
  const { id } = await s.source('app.log');
  assert.equal(s.tw.sources().find((x) => x.id === id)?.lines, 3600 * LINES_PER_SECOND);
  // Enough samples that the whole rate window after the read has been reported.
  await waitFor(async () => (await rates(s, id)).length >= 8, 'eight samples of the source', 20_000);
  assert.deepEqual([...new Set(await rates(s, id))], [0], 'no lines/s from the backfill');
  assert.equal(s.tw.sources().find((x) => x.id === id)?.linesPerSec, 0);

  // Live lines: 40 written now count, at most 40 over the 5 s window = 8/s (not the 10,800 read before).
  let live = '';
  for (let k = 0; k < 40; k++) live += `${new Date().toISOString()} INFO live ${k}\n`;
  await appendFile(join(s.dir, 'app.log'), live);
  const seen = await waitFor(async () => {
    const r = await rates(s, id);
    return Math.max(...r) > 0 ? r : null;
  }, 'the live lines in the rate', 20_000);
  assert.ok(Math.max(...seen) <= 8, `peak ${Math.max(...seen)}`);

  // A restart reads the file's last lines again as backfill: still no spike.
  await s.tw.close();
  const restarted = await startTestServer({ backfill: 20_000, dir: [s.dir] });
  t.after(() => restarted.close());
  const again = await waitFor(() => restarted.tw.sources().find((x) => x.path === join(s.dir, 'app.log') && x.state === 'live'), 'the source after the restart');
  await waitFor(async () => (await rates(restarted, again.id)).length >= 8, 'eight samples after the restart', 20_000);
  assert.deepEqual([...new Set(await rates(restarted, again.id))], [0], 'no lines/s from the backfill after a restart');
});
