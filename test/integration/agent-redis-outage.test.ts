// Redis taken away (SIGKILL, `appendonly yes`) and brought back while an agent runs and a writer appends:
// the agent keeps following its file, holds at most its byte bound, reads the rest back from the file when
// Redis is back, and every line is in the stream once, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAgent } from '../../main/app/start-agent';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { startRedis } from '../helpers/redis-server';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';
import { exactlyOnce, readPositions, redisClient, waitForLines } from '../helpers/agent-streams';
import { startWriter } from '../helpers/line-writer';

for (const held of [{ name: 'held in memory', bytes: undefined }, { name: 'past the held bound, read back from the file', bytes: 4096 }]) {
  test(`redis-server killed and restarted while lines are written (${held.name}): every line once`, async (t) => {
    const redis = await startRedis(t, { appendonly: true });
    const dir = await testDir(t, 'tailwatch-agent-');
    const path = join(dir, 'app.log');
    writeFileSync(path, 'line 1\n');
    const warnings: string[] = [];
    const agent = await startAgent(
      { redis: redis.url, hostName: 'web1', file: [path] },
      { logger: { warn: (m) => warnings.push(m) }, ...(held.bytes === undefined ? {} : { heldBytes: held.bytes }) },
    );
    t.after(() => agent.close());
    const id = sourceIdOf(path, 'web1');
    const writer = startWriter(path, { firstLine: 2 });
    t.after(() => writer.stop());

    let client = await redisClient(redis.url);
    await waitForLines(client, 'web1', id, 300);
    client.destroy();
    for (let round = 0; round < 2; round++) {
      await redis.kill();
      await writer.reach(writer.written() + 1500);
      // The agent read them all while Redis was away, and held no more than its bound.
      await waitFor(() => (agent.sources()[0]?.lines ?? 0) >= writer.written() - 50, 'the agent to read what was written');
      if (held.bytes !== undefined) assert.ok(agent.stats.heldBytes <= held.bytes, `held ${agent.stats.heldBytes} bytes`);
      await redis.restart();
      client = await redisClient(redis.url);
      await waitForLines(client, 'web1', id, writer.written() - 200);
      client.destroy();
    }
    const texts = ['line 1', ...(await writer.stop())];
    client = await redisClient(redis.url);
    t.after(() => client.destroy());
    const published = await waitForLines(client, 'web1', id, texts.length);
    assert.equal(exactlyOnce(published.lines.get(id), texts), null);
    assert.equal((await readPositions(client, 'web1')).get(id)?.seq, texts.length);
    assert.equal(agent.stats.linesLost, 0);
    if (held.bytes === undefined) assert.equal(agent.stats.linesReadBack, 0);
    else assert.ok(agent.stats.linesReadBack > 1000, `${agent.stats.linesReadBack} lines read back from the file`);
    assert.ok(warnings.some((w) => w.startsWith('lost Redis')), warnings.join('\n'));
  });
}
