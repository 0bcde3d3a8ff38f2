// The macOS/Windows sampler's extras come from systeminformation, which also runs on Linux: checked here
// against this machine's own /proc figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { LowRateExtras } from '../../main/sources/metrics/low-rate-extras';
import { PortableSampler } from '../../main/sources/metrics/portable-sampler';

const procValue = (file: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(file, 'utf8'))?.[1]);

test('off Linux, systeminformation fills in network and disk rates, swap and every file system', { skip: process.platform !== 'linux' && 'checked against /proc' }, async (t) => {
  const problems: string[] = [];
  const extras = new LowRateExtras((_key, message) => problems.push(message), 60_000);
  const sampler = new PortableSampler({ extras });
  t.after(() => sampler.close());
  await extras.refresh();
  await delay(1100); // rates need two readings
  await extras.refresh();
  const sample = await sampler.sample();

  assert.deepEqual(problems, []);
  assert.equal(sample.mem.swapTotal, procValue('/proc/meminfo', 'SwapTotal') * 1024);
  assert.equal(sample.mem.used, sample.mem.total - sample.mem.available);
  assert.ok(sample.fs.some((f) => f.mount === '/' && f.size > 0 && f.used > 0), JSON.stringify(sample.fs));
  // Interfaces that are up (systeminformation leaves out those that are down): the busiest one at least.
  const interfaces = readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2).filter((l) => l.includes(':'))
    .map((l) => ({ name: l.split(':')[0]!.trim(), rx: Number(l.split(':')[1]!.trim().split(/\s+/)[0]) }))
    .filter((i) => i.name !== 'lo')
    .sort((a, b) => b.rx - a.rx);
  const names = sample.net.map((n) => n.name);
  assert.ok(names.every((name) => interfaces.some((i) => i.name === name)), `${names} ⊆ ${interfaces.map((i) => i.name)}`);
  if (interfaces.length > 0) assert.ok(names.includes(interfaces[0]!.name), `${interfaces[0]!.name} in ${names}`);
  for (const n of sample.net) assert.ok(n.rxBytesPerSec >= 0 && n.txBytesPerSec >= 0, JSON.stringify(n));
  assert.deepEqual(sample.disk.map((d) => d.name), ['all']);
});
