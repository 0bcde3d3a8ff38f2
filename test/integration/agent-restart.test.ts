// `tailwatch agent` (the built CLI) killed with SIGKILL and started again while a writer keeps appending:
// every line is in the host's stream exactly once, seqs 1..N in order, because each entry was written in one
// MULTI/EXEC with the position it ends at, and a restart goes on from the stored position.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { startRedis } from '../helpers/redis-server';
import { testDir } from '../helpers/temp-dir';
import { ensureBuilt, exactlyOnce, readLogs, readPositions, redisClient, startAgentProcess, waitForLines } from '../helpers/agent-streams';
import { startWriter } from '../helpers/line-writer';

before(ensureBuilt);

test('an agent killed with SIGKILL and restarted, twice, while two files are written: every line once', async (t) => {
  const redis = await startRedis(t);
  const dir = await testDir(t, 'tailwatch-agent-');
  const paths = [join(dir, 'app.log'), join(dir, 'other.log')];
  const initial = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
  for (const path of paths) writeFileSync(path, initial.map((l) => l + '\n').join(''));
  const args = ['--redis', redis.url, '--host-name', 'web1', '--dir', dir];
  const client = await redisClient(redis.url);
  t.after(() => client.destroy());
  const ids = paths.map((path) => sourceIdOf(path, 'web1'));

  let agent = await startAgentProcess(args);
  t.after(() => agent.kill());
  assert.match(agent.out(), new RegExp(`publishing to redis://127\\.0\\.0\\.1:${redis.port}`));
  const writers = paths.map((path, i) => startWriter(path, { firstLine: 11, perBatch: 3 + 4 * i }));
  t.after(() => Promise.all(writers.map((w) => w.stop())));
  for (let round = 1; round <= 2; round++) {
    await waitForLines(client, 'web1', ids[0]!, round * 400);
    await agent.kill();
    // Lines written while no agent runs: read from the files by the next one.
    await writers[0]!.reach(writers[0]!.written() + 300);
    agent = await startAgentProcess(args);
  }
  await writers[0]!.reach(writers[0]!.written() + 300);
  const positions = await readPositions(client, 'web1');
  for (const [i, writer] of writers.entries()) {
    const texts = [...initial, ...(await writer.stop())];
    const published = await waitForLines(client, 'web1', ids[i]!, texts.length);
    assert.equal(exactlyOnce(published.lines.get(ids[i]!), texts), null, paths[i]);
  }
  const final = await readPositions(client, 'web1');
  assert.ok(positions.size === 2 && final.size === 2);
  for (const id of ids) assert.equal(final.get(id)?.path, paths[ids.indexOf(id)]);
  // Each start announced the sources again; nothing else repeats.
  const published = await readLogs(client, 'web1');
  assert.equal(published.sourceEvents.filter((e) => e.op === 'add').length, 6);
});

for (const mode of ['--file', '--dir'] as const) {
  test(`the file rotated (renamed) while the agent (${mode}) was killed: its rest, then the new file, every line once`, async (t) => {
  const redis = await startRedis(t);
  const dir = await testDir(t, 'tailwatch-agent-');
  const path = join(dir, 'app.log');
  writeFileSync(path, 'line 1\n');
  const args = ['--redis', redis.url, '--host-name', 'web1', mode, mode === '--dir' ? dir : path];
  const client = await redisClient(redis.url);
  t.after(() => client.destroy());
  const id = sourceIdOf(path, 'web1');

  let agent = await startAgentProcess(args);
  t.after(() => agent.kill());
  const writer = startWriter(path, { firstLine: 2 });
  t.after(() => writer.stop());
  await waitForLines(client, 'web1', id, 300);
  await agent.kill();
  await writer.reach(writer.written() + 200);
  // A rename rotation: the writer's next line starts a new app.log.
  renameSync(path, `${path}.1`);
  await writer.reach(writer.written() + 200);
  agent = await startAgentProcess(args);
  await writer.reach(writer.written() + 200);
  const texts = ['line 1', ...(await writer.stop())];
  const published = await waitForLines(client, 'web1', id, texts.length);
  assert.equal(exactlyOnce(published.lines.get(id), texts), null);
  // Under a --dir the rotation is a source too: its lines were shown under app.log, none twice.
  for (const [other, lines] of published.lines) if (other !== id) assert.deepEqual(lines, [], `lines under ${other}`);
});
}
