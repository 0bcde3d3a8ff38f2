// The connection breaks after Redis applied a round but before its reply reached the agent (a proxy in
// between swallows the reply to an EXEC and cuts the connection): the agent must not send the round again.
// It reads back the position the round wrote, finds it stored, and goes on: every line once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { startAgent } from '../../main/app/start-agent';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { startRedis } from '../helpers/redis-server';
import { testDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';
import { exactlyOnce, redisClient, waitForLines } from '../helpers/agent-streams';
import { startWriter } from '../helpers/line-writer';

/** A TCP proxy to Redis that, when armed, lets the next EXEC through and swallows what comes back, then cuts. */
async function startReplyEater(port: number) {
  let armed = false;
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    let eating = false;
    client.on('data', (chunk) => {
      upstream.write(chunk);
      if (armed && chunk.includes('\r\nEXEC\r\n')) {
        armed = false;
        eating = true;
        // Long enough for Redis to have applied it; then the agent's connection breaks, reply unseen.
        setTimeout(() => {
          cuts++;
          client.destroy();
          upstream.destroy();
        }, 200);
      }
    });
    upstream.on('data', (chunk) => {
      if (!eating) client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    arm: () => (armed = true),
    cuts: () => cuts,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

test('a round applied whose reply was lost is not sent again: every line once', async (t) => {
  const redis = await startRedis(t);
  const proxy = await startReplyEater(redis.port);
  t.after(() => proxy.close());
  const dir = await testDir(t, 'tailwatch-agent-');
  const path = join(dir, 'app.log');
  writeFileSync(path, 'line 1\n');
  const agent = await startAgent({ redis: `redis://127.0.0.1:${proxy.port}`, hostName: 'web1', file: [path] }, { logger: { warn: () => undefined } });
  t.after(() => agent.close());
  const id = sourceIdOf(path, 'web1');
  const client = await redisClient(redis.url);
  t.after(() => client.destroy());
  await waitForLines(client, 'web1', id, 1);

  const writer = startWriter(path, { firstLine: 2 });
  t.after(() => writer.stop());
  for (let cut = 1; cut <= 3; cut++) {
    proxy.arm();
    await waitFor(() => proxy.cuts() >= cut, `cut ${cut}`);
    await writer.reach(writer.written() + 100);
  }
  const texts = ['line 1', ...(await writer.stop())];
  const published = await waitForLines(client, 'web1', id, texts.length);
  assert.equal(exactlyOnce(published.lines.get(id), texts), null);
});
