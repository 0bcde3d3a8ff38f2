// GET /metrics and GET /api/metrics/history on a real server with its real sampler: access, the
// exposition checked by promtool, and the history's shape and order after a few seconds of samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server';
import { openSse } from '../helpers/sse-reader';
import { waitFor } from '../helpers/wait';
import { promtoolCheck, promtoolMissing } from '../helpers/promtool';
import { HISTORY_FIXED_SERIES, type CoarseHistory, type FineHistory } from '../../protocol/metrics-history';
import type { MetricsData } from '../../protocol/events';

/** The exposition once the sampler has taken its first sample (before that, only the counters). */
async function scrapeWithSample(s: TestServer): Promise<{ res: Response; text: string }> {
  let last = '';
  return waitFor(
    async () => {
      const res = await fetch(s.url('/metrics'), { headers: s.authHeader });
      last = await res.text();
      return /^system_cpu_busy_ratio /m.test(last) && { res, text: last };
    },
    'a scrape with the system sample in it',
    10_000,
    () => last,
  );
}

async function history<T>(s: TestServer, query: string): Promise<T> {
  const res = await fetch(s.url(`/api/metrics/history${query}`), { headers: s.authHeader });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  return (await res.json()) as T;
}

test('/metrics needs the token like every route', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const none = await fetch(s.url('/metrics'));
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as { code: string }).code, 'no-token');
  const wrong = await fetch(s.url('/metrics'), { headers: { Authorization: 'Bearer wrong' } });
  assert.equal(wrong.status, 401);
  assert.equal(((await wrong.json()) as { code: string }).code, 'bad-token');
  const history = await fetch(s.url('/api/metrics/history'));
  assert.equal(history.status, 401);
});

test('/metrics: exposition 0.0.4 with the sources, the transports and the system sample', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'one\nERROR two\n' });
  t.after(() => s.close());
  const src = await s.source('app.log');
  await waitFor(() => s.tw.sources().find((x) => x.id === src.id)?.errors === 1, 'the error line to be counted');
  const { res, text } = await scrapeWithSample(s);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.ok(text.includes(`tailwatch_lines_ingested_total{source="${src.id}",path="${src.path}"} 2\n`), text);
  assert.ok(text.includes(`tailwatch_log_errors_total{source="${src.id}",path="${src.path}"} 1\n`), text);
  for (const name of ['tailwatch_clients_connected', 'tailwatch_events_sent_total', 'tailwatch_lines_dropped_total', 'tailwatch_bytes_sent_total']) {
    assert.match(text, new RegExp(`^# TYPE ${name} (gauge|counter)\\n${name} \\d+\\n`, 'm'), name);
  }
  assert.match(text, /^system_memory_total_bytes [1-9]\d*\n/m);
  assert.match(text, /^system_cpu_core_busy_ratio\{core="0"\} /m);
  assert.match(text, /^process_cpu_seconds_total [\d.e+-]+\n/m);
});

test('/metrics passes promtool check metrics', { skip: promtoolMissing() }, async (t) => {
  const s = await startTestServer({}, { 'odd "name".log': 'x\n' });
  t.after(() => s.close());
  await s.source('odd "name".log');
  const { text } = await scrapeWithSample(s);
  const { code, output } = await promtoolCheck(text);
  assert.equal(output, '', 'promtool finds no problem');
  assert.equal(code, 0);
});

test('/api/metrics/history: the samples sent as metrics events, oldest first, in columns', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const sse = await openSse(s.url('/api/events?topics=metrics'), s.authHeader);
  t.after(() => sse.close());
  const sent = await sse.waitFor((e) => {
    const samples = e.filter((x) => x.type === 'metrics') as unknown as MetricsData[];
    return samples.length >= 3 && samples;
  }, 'three metrics events');

  const fine = await history<FineHistory>(s, '');
  assert.equal(fine.step, 1);
  assert.ok(fine.ts.length >= 3, `${fine.ts.length} samples`);
  for (let i = 1; i < fine.ts.length; i++) assert.ok(fine.ts[i]! > fine.ts[i - 1]!, 'ts increase');
  for (const key of HISTORY_FIXED_SERIES) assert.equal(fine.series[key]?.length, fine.ts.length, key);
  for (const [key, values] of Object.entries(fine.series)) assert.equal(values.length, fine.ts.length, key);
  // Every sample a client got live is in the history, with its figures.
  for (const m of sent) {
    const i = fine.ts.indexOf(m.ts);
    assert.ok(i !== -1, `sample ${m.ts} in the history`);
    assert.ok(Math.abs(fine.series['cpu.total']![i]! - m.cpu.total) < 0.01, 'cpu.total');
    assert.ok(Math.abs(fine.series['mem.total']![i]! - m.mem.total) <= m.mem.total * 1e-7, 'mem.total');
    assert.ok(Math.abs(fine.series['load.1']![i]! - m.load[0]!) < 0.01, 'load.1');
  }
  const last2 = await history<FineHistory>(s, '?seconds=2');
  assert.ok(last2.ts.length >= 1 && last2.ts.length <= 3, `${last2.ts.length} samples in 2 s`);
  assert.equal(last2.ts.at(-1)! >= fine.ts.at(-1)!, true);

  const coarse = await history<CoarseHistory>(s, '?step=60&seconds=86400');
  assert.equal(coarse.step, 60);
  assert.ok(coarse.ts.length >= 1 && coarse.ts.length <= 2, `${coarse.ts.length} minutes`);
  for (const ts of coarse.ts) assert.equal(ts % 60_000, 0);
  assert.ok(coarse.samples.reduce((a, b) => a + b, 0) >= fine.ts.length);
  const cpu = coarse.series['cpu.total']!;
  // Within the rounding of float32 to 4 decimals.
  for (const [i, avg] of cpu.avg.entries()) assert.ok(cpu.min[i]! - 1e-3 <= avg! && avg! <= cpu.max[i]! + 1e-3, 'min ≤ avg ≤ max');
});

test('/api/metrics/history: a bad query is 400 with a JSON error naming the parameter', async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  for (const [query, code] of [
    ['?seconds=0', 'bad-seconds'],
    ['?seconds=3601', 'bad-seconds'],
    ['?seconds=1.5', 'bad-seconds'],
    ['?seconds=abc', 'bad-seconds'],
    ['?seconds=', 'bad-seconds'],
    ['?step=60&seconds=86401', 'bad-seconds'],
    ['?step=5', 'bad-step'],
    ['?step=', 'bad-step'],
  ] as const) {
    const res = await fetch(s.url(`/api/metrics/history${query}`), { headers: s.authHeader });
    assert.equal(res.status, 400, query);
    const body = (await res.json()) as { error: string; code: string };
    assert.equal(body.code, code, query);
    assert.match(body.error, code === 'bad-step' ? /^step must be 1 or 60/ : /^seconds must be a whole number from 1 to (3600|86400)/, query);
  }
  for (const query of ['?seconds=3600', '?step=1&seconds=1', '?step=60&seconds=86400', '?step=60']) {
    const res = await fetch(s.url(`/api/metrics/history${query}`), { headers: s.authHeader });
    assert.equal(res.status, 200, query);
    await res.body?.cancel();
  }
});
