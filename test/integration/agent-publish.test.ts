// `tailwatch agent` in process against a real redis-server and real files: lines become `log` entries of at
// most 1,000 lines, each source's position is written with them, sources carry the host, samples go to the
// metrics stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { startAgent } from '../../main/app/start-agent';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { hostKeys } from '../../protocol/host-streams';
import type { MetricsData } from '../../protocol/events';
import { startRedis } from '../helpers/redis-server';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';
import { exactlyOnce, readPositions, redisClient, waitForLines } from '../helpers/agent-streams';

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);
const text = (lines: string[]) => lines.map((l) => l + '\n').join('');

test('lines appended become log entries (1,000 lines at most each) with their positions; sources and samples carry the host', async (t) => {
  const redis = await startRedis(t);
  const dir = await testDir(t, 'tailwatch-agent-');
  const path = join(dir, 'app.log');
  writeFileSync(path, text(numbered(1, 50)));
  const agent = await startAgent({ redis: redis.url, hostName: 'web1', file: [path] }, { logger: { warn: () => undefined }, timings: { metrics: { intervalMs: 100 } } });
  t.after(() => agent.close());
  assert.equal(agent.publishingTo, redis.url);
  const client = await redisClient(redis.url);
  t.after(() => client.destroy());
  const id = sourceIdOf(path, 'web1');

  let published = await waitForLines(client, 'web1', id, 50);
  assert.equal(exactlyOnce(published.lines.get(id), numbered(1, 50)), null);
  // One write of 2,500 lines: cut into entries of at most 1,000.
  appendFileSync(path, text(numbered(51, 2550)));
  published = await waitForLines(client, 'web1', id, 2550);
  assert.equal(exactlyOnce(published.lines.get(id), numbered(1, 2550)), null);
  assert.ok(Math.max(...published.entrySizes) <= 1000, `entries of ${published.entrySizes.join(', ')} lines`);
  assert.ok(published.entrySizes.length >= 3);

  // The source was announced before its lines, with its host; the position is where its last line ends.
  assert.equal(published.sourceEvents[0]?.op, 'add');
  assert.equal(published.sourceEvents[0]?.source.host, 'web1');
  assert.equal(published.sourceEvents[0]?.source.id, id);
  const position = (await readPositions(client, 'web1')).get(id);
  const { dev, ino, size } = statSync(path);
  const first = readFileSync(path).subarray(0, 1024);
  assert.deepEqual(position, { path, dev, ino, print: createHash('sha256').update(first).digest('hex'), printBytes: first.length, offset: size, seq: 2550 });

  const sample = await waitFor(async () => {
    const entries = await client.xRange(hostKeys('web1').metrics, '-', '+');
    const metrics = entries?.find((e) => e.message.t === 'metrics');
    return metrics && (JSON.parse(metrics.message.d!) as MetricsData);
  }, 'a metrics sample in the metrics stream');
  assert.equal(sample.host, 'web1');
});
