// The metrics sampler against this machine: memory agrees with /proc/meminfo, CPU rises while a child spins
// one core, and real servers send `metrics` to every client and `processes` only to clients that asked.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { MetricsData, ProcessesData, WireEvent } from '../../protocol/events';
import { LinuxSampler } from '../../main/sources/metrics/linux-sampler';
import { startTestServer } from '../helpers/server';
import { openSse } from '../helpers/sse-reader';
import { openWs } from '../helpers/ws-client';
import { waitFor } from '../helpers/wait';

const linux = process.platform === 'linux';
const MiB = 1024 * 1024;

/** A child that keeps one core busy, for at most 60 s whatever happens to this process; killed after the test. */
async function spinOneCore(t: TestContext): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 60000; while (Date.now() < end) {}'], { stdio: 'ignore' });
  t.after(() => {
    child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  // Until it has started spinning: CPU ticks of its own in /proc/[pid]/stat.
  await waitFor(() => {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]) > 10;
  }, 'the spinning child to use CPU');
  return child.pid!;
}

function meminfoKiB(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync('/proc/meminfo', 'latin1'));
  assert.ok(m, field);
  return Number(m[1]) * 1024;
}

test('memory total and available agree with /proc/meminfo', { skip: !linux && 'Linux only' }, async (t) => {
  const sampler = new LinuxSampler();
  t.after(() => sampler.close());
  const before = meminfoKiB('MemAvailable');
  const { mem } = await sampler.sample();
  const after = meminfoKiB('MemAvailable');
  assert.equal(mem.total, meminfoKiB('MemTotal'));
  // Available memory moves between the reads: it must lie within what the test saw around the sample, give or take 16 MiB.
  assert.ok(mem.available >= Math.min(before, after) - 16 * MiB && mem.available <= Math.max(before, after) + 16 * MiB, `${mem.available} vs ${before}..${after}`);
  assert.equal(mem.used, mem.total - mem.available);
  assert.equal(mem.swapTotal, meminfoKiB('SwapTotal'));
});

test('CPU total rises while a child spins one core', { skip: !linux && 'Linux only' }, async (t) => {
  const sampler = new LinuxSampler();
  t.after(() => sampler.close());
  const oneCore = 100 / cpus().length;
  await sampler.sample();
  await new Promise((r) => setTimeout(r, 1000));
  const idle = (await sampler.sample()).cpu;
  await spinOneCore(t);
  await sampler.sample();
  await new Promise((r) => setTimeout(r, 1000));
  const busy = (await sampler.sample()).cpu;
  // The spinning core is counted whatever else the machine does (other test files run beside this one, so a
  // rise over the idle figure is not a given): at least most of one core's share, in user time.
  assert.ok(busy.total >= oneCore * 0.8, `idle ${idle.total.toFixed(1)}%, busy ${busy.total.toFixed(1)}%, one core = ${oneCore}%`);
  assert.ok(busy.user >= oneCore * 0.7, `a busy loop is user time: ${busy.user.toFixed(1)}%`);
  assert.equal(busy.cores.length, cpus().length);
  assert.ok(Math.max(...busy.cores) >= 50, `cores ${busy.cores.map((c) => c.toFixed(0)).join(', ')}`);
});

function assertNumbers(what: string, obj: object, keys: string[]): void {
  assert.deepEqual(Object.keys(obj).sort(), [...keys].sort(), what);
  for (const k of keys) {
    const v = (obj as Record<string, unknown>)[k];
    assert.ok(typeof v === 'number' && Number.isFinite(v) && v >= 0, `${what}.${k} = ${String(v)}`);
  }
}

test('a metrics event over SSE carries every field of the wire type', async (t) => {
  const s = await startTestServer({}, { 'app.log': 'one\n' });
  t.after(() => s.close());
  const sse = await openSse(s.url('/api/events?topics=metrics,logs'), s.authHeader);
  t.after(() => sse.close());
  const m = await sse.waitFor((events) => events.find((e): e is Extract<WireEvent, { type: 'metrics' }> => e.type === 'metrics'), 'a metrics event');
  const { type, id, ...data } = m;
  assert.equal(type, 'metrics');
  assert.ok(id);
  const sample = data as MetricsData;
  assert.deepEqual(Object.keys(sample), ['ts', 'cpu', 'mem', 'load', 'net', 'disk', 'fs', 'uptime', 'self', 'logs']);
  assert.ok(Math.abs(sample.ts - Date.now()) < 60_000);
  assertNumbers('cpu', { ...sample.cpu, cores: 0 }, ['total', 'cores', 'user', 'system', 'iowait', 'steal']);
  assert.ok(sample.cpu.total <= 100.0001 && sample.cpu.cores.every((c) => c >= 0 && c <= 100.0001));
  assert.equal(sample.cpu.cores.length, cpus().length);
  assertNumbers('mem', sample.mem, ['total', 'used', 'available', 'cached', 'swapTotal', 'swapUsed']);
  assert.ok(sample.mem.total > 0);
  assert.equal(sample.load.length, 3);
  for (const n of sample.net) assertNumbers('net', { ...n, name: 0 }, ['name', 'rxBytesPerSec', 'txBytesPerSec']);
  for (const d of sample.disk) assertNumbers('disk', { ...d, name: 0 }, ['name', 'readBytesPerSec', 'writeBytesPerSec']);
  assert.ok(sample.fs.length > 0, 'at least the root file system');
  for (const f of sample.fs) {
    assertNumbers('fs', { ...f, mount: 0, device: 0, type: 0 }, ['mount', 'device', 'type', 'size', 'used', 'usedPercent']);
    assert.ok(f.usedPercent <= 100);
  }
  assert.ok(sample.uptime > 0);
  assertNumbers('self', { ...sample.self, openFds: sample.self.openFds ?? 0 }, [
    'cpu', 'rss', 'eventLoopLagMs', 'openFds', 'clients', 'eventsSent', 'eventsDropped', 'bytesSent',
  ]);
  if (linux) assert.ok(sample.self.openFds! > 0);
  assert.ok(sample.self.clients >= 1 && sample.self.rss > 0);
  const source = await s.source('app.log');
  await sse.waitFor(
    (events) => events.some((e) => e.type === 'metrics' && e.logs.some((l) => l.source === source.id && l.lines === 1)),
    'a sample with the log source',
  );
});

test('processes go only to clients that subscribe to them, and list a spinning child by CPU', { skip: !linux && 'Linux only' }, async (t) => {
  const pid = await spinOneCore(t);
  const s = await startTestServer();
  t.after(() => s.close());
  const plain = await openSse(s.url('/api/events?topics=metrics'), s.authHeader);
  t.after(() => plain.close());
  const withProcesses = await openSse(s.url('/api/events?topics=metrics,processes'), s.authHeader);
  t.after(() => withProcesses.close());
  const p = await withProcesses.waitFor(
    (events) => events.find((e): e is Extract<WireEvent, { type: 'processes' }> => e.type === 'processes'),
    'a processes event',
    15_000,
  );
  const data = p as unknown as ProcessesData;
  assert.ok(data.count > 1);
  assert.ok(data.byCpu.length > 0 && data.byCpu.length <= 10 && data.byMem.length <= 10);
  assert.ok(data.byCpu.some((x) => x.pid === pid), `the child ${pid} among ${JSON.stringify(data.byCpu.map((x) => [x.pid, x.name, x.cpu.toFixed(0)]))}`);
  const child = data.byCpu.find((x) => x.pid === pid)!;
  // It spins one core; on a loaded 2-core machine it gets less than all of one, but far more than an idle one.
  assert.ok(child.cpu > 20, `child at ${child.cpu}%`);
  assert.equal(child.name, 'node');
  for (let i = 1; i < data.byMem.length; i++) assert.ok(data.byMem[i - 1]!.rss >= data.byMem[i]!.rss);
  // The other client goes on getting metrics, never processes.
  const seen = plain.events.length;
  await plain.waitFor((events) => events.slice(seen).some((e) => e.type === 'metrics'), 'a later metrics event');
  assert.equal(plain.events.filter((e) => e.type === 'processes').length, 0);
});

test('a WebSocket client that adds the processes topic later starts the process list', { skip: !linux && 'Linux only' }, async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const ws = await openWs(s.url('/api/ws', true).replace('http:', 'ws:'));
  t.after(() => ws.ws.close());
  ws.send({ type: 'subscribe', topics: ['metrics'] });
  await ws.waitFor((events) => events.filter((e) => e.type === 'metrics').length >= 2, 'two metrics events');
  assert.equal(ws.events.filter((e) => e.type === 'processes').length, 0);
  ws.send({ type: 'subscribe', topics: ['processes'] });
  await ws.waitFor((events) => events.find((e) => e.type === 'processes'), 'a processes event', 15_000);
});

test('a long-poll client asking for processes starts the process list too', { skip: !linux && 'Linux only' }, async (t) => {
  const s = await startTestServer();
  t.after(() => s.close());
  const poll = async (query: string) => {
    const res = await fetch(s.url(`/api/poll?${query}`), { headers: s.authHeader });
    return { events: (await res.json()) as WireEvent[], next: res.headers.get('x-tailwatch-next') };
  };
  let { next } = await poll('topics=processes');
  // It holds no subscription between requests: each one answers what came since the previous one.
  const got = await waitFor(async () => {
    const answer = await poll(`topics=processes&since=${next}&wait=10`);
    next = answer.next;
    return answer.events.find((e) => e.type === 'processes');
  }, 'a processes event by long-poll', 30_000);
  assert.ok((got as unknown as ProcessesData).count > 0);
});
