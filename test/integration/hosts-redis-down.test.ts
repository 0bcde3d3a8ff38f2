// A server that loses Redis shows the hosts disconnected and, when Redis is back, reads on from where it stood:
// redis-server SIGKILLed and restarted (appendonly yes) while a host keeps writing, every line once after. A host
// that stops writing shows disconnected after 3 sample periods, and live again with its next entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceInfo, WireEvent } from '../../protocol/events';
import { startRedis } from '../helpers/redis-server';
import { HOST_TIMINGS, startFakeHost } from '../helpers/fake-host';
import { startTestServer } from '../helpers/server';
import { linesOf, openSse } from '../helpers/sse-reader';

const seqsOf = (events: WireEvent[], source: string) => linesOf(events, source).map((l) => l.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const statesOf = (events: WireEvent[], source: string) =>
  events.filter((e): e is Extract<WireEvent, { type: 'source' }> => e.type === 'source' && e.source.id === source).map((e) => e.source.state);

test('redis-server killed and restarted while a host writes: disconnected meanwhile, every line once after', async (t) => {
  const redis = await startRedis(t, { appendonly: true });
  const host = await startFakeHost(redis.url, 'app1');
  t.after(() => host.close());
  const log = await host.addSource('/var/log/app.log');
  await host.log(log, 1, 5);
  const s = await startTestServer({ redis: redis.url }, {}, HOST_TIMINGS);
  t.after(() => s.close());
  const sse = await openSse(s.url('/api/events?topics=logs,sources'), s.authHeader);
  t.after(() => sse.close());
  await sse.waitFor((e) => seqsOf(e, log.id).length >= 5, 'the backfill');

  // The host writes 5-line entries all along; an entry Redis did not take is retried (same id: never twice).
  let next = 6;
  let writing = true;
  const writer = (async () => {
    while (writing) {
      await host.logUntilWritten(log, next, 5);
      next += 5;
    }
  })();
  await sse.waitFor((e) => seqsOf(e, log.id).length >= 50, 'lines before the kill');
  await redis.kill();
  await sse.waitFor((e) => statesOf(e, log.id).includes('disconnected'), 'the host shown disconnected');
  const listed = (await (await fetch(s.url('/api/sources'), { headers: s.authHeader })).json()) as SourceInfo[];
  assert.equal(listed.find((x) => x.id === log.id)?.state, 'disconnected');
  await redis.restart();
  const atRestart = next;
  await sse.waitFor((e) => seqsOf(e, log.id).length >= atRestart + 50, 'lines after the restart', 20_000);
  writing = false;
  await writer;
  const last = next - 1;
  await sse.waitFor((e) => seqsOf(e, log.id).length >= last, 'every line written');
  assert.deepEqual(seqsOf(sse.events, log.id), range(1, last));
  // Live again once its entries came back (it may be disconnected again by now: the writer has stopped).
  const states = statesOf(sse.events, log.id);
  assert.ok(states.indexOf('live', states.indexOf('disconnected')) > 0, `back to live after ${states.join(',')}`);
});

test('a host silent for 3 sample periods shows disconnected, and live with its next entry', async (t) => {
  const redis = await startRedis(t);
  const host = await startFakeHost(redis.url, 'quiet');
  t.after(() => host.close());
  const log = await host.addSource('/var/log/quiet.log');
  await host.log(log, 1, 1);
  // Samples every 100 ms: silent for 300 ms is disconnected.
  const s = await startTestServer({ redis: redis.url }, {}, { ...HOST_TIMINGS, metrics: { intervalMs: 100 } });
  t.after(() => s.close());
  const sse = await openSse(s.url('/api/events?topics=logs,sources'), s.authHeader);
  t.after(() => sse.close());
  await sse.waitFor((e) => statesOf(e, log.id).includes('disconnected'), 'disconnected after silence');
  await host.metrics();
  // Live again (and disconnected again 300 ms later, as it says nothing more).
  await sse.waitFor((e) => {
    const states = statesOf(e, log.id);
    return states.indexOf('live', states.indexOf('disconnected')) > 0;
  }, 'live again');
  await host.log(log, 2, 1);
  await sse.waitFor((e) => seqsOf(e, log.id).length >= 2, 'its next line');
  assert.deepEqual(seqsOf(sse.events, log.id), [1, 2]);
});
