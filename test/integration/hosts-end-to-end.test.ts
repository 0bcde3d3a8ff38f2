// The whole chain with real parts only: `tailwatch agent` processes following files that writers keep appending
// numbered lines to → a real redis-server (append-only) → two servers reading it (`serve --redis` children where
// one is killed, in-process ones otherwise) → SSE clients that keep every line per source and their last id.
// Each test proves with exact counts that every line of every agent's file reached each client once (seqs 1..N,
// no gap, no repeat, no `reset` for agent sources, no `gap` event) through one failure of issue 17's list.
//
// Wrong password for `serve --redis` and `agent --redis` (one line naming the URL without the password, exit
// code 2) is covered by test/integration/hosts-cli.test.ts and test/integration/agent-cli.test.ts.
import { test, before, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WireEvent } from '../../protocol/events';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { HOST_TIMINGS } from '../helpers/fake-host';
import { startTestServer } from '../helpers/server';
import { openSse, type SseReader } from '../helpers/sse-reader';
import { CLI, ensureBuilt, startAgentProcess, type AgentProcess } from '../helpers/agent-streams';
import { startWriter, type LineWriter } from '../helpers/line-writer';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

before(ensureBuilt);

const TOKEN = 'end-to-end-token-0123456789';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
/** Larger than any file here: a server that finds a host late still backfills it from its first line. */
const BACKFILL = 100_000;
const INITIAL_LINES = 5;
/** Generous: a 2-core machine shared with other tests runs 3 agents, 2 servers and Redis here. */
const LONG_WAIT_MS = 25_000;

// ---------------------------------------------------------------------------------------------------------
// Agents: a child `tailwatch agent` per host, following one file a writer appends `<host> N` lines to.

interface Agent {
  readonly host: string;
  readonly path: string;
  readonly id: string;
  readonly initial: string[];
  writer: LineWriter | null;
  proc: AgentProcess;
  restart(): Promise<void>;
}

async function startAgents(t: TestContext, redis: TestRedis, hosts: string[]): Promise<Agent[]> {
  return Promise.all(
    hosts.map(async (host) => {
      const dir = await tempDir(`tailwatch-e2e-${host}-`);
      const path = join(dir.path, 'app.log');
      const initial = Array.from({ length: INITIAL_LINES }, (_, i) => `${host} ${i + 1}`);
      writeFileSync(path, initial.map((l) => l + '\n').join(''));
      const args = ['--redis', redis.url, '--host-name', host, '--file', path];
      const agent: Agent = {
        host,
        path,
        id: sourceIdOf(path, host),
        initial,
        writer: null,
        proc: await startAgentProcess(args),
        async restart() {
          await agent.proc.kill();
          agent.proc = await startAgentProcess(args);
        },
      };
      // One hook, in this order: a writer still running (a test that failed) would recreate its file while the
      // directory is removed, and a hook that throws leaves the later ones (the other children) unrun.
      t.after(async () => {
        await agent.writer?.stop();
        await agent.proc.kill();
        await dir.remove();
      });
      return agent;
    }),
  );
}

function startWriters(agents: Agent[]): void {
  for (const [i, a] of agents.entries()) a.writer = startWriter(a.path, { firstLine: INITIAL_LINES + 1, prefix: a.host, perBatch: 3 + 2 * i, pauseMs: 5 });
}

/** Every writer has written `more` lines past where it stands now. */
async function writeMore(agents: Agent[], more: number): Promise<void> {
  await Promise.all(agents.map((a) => a.writer!.reach(a.writer!.written() + more)));
}

/** Stops the writers; each agent's file, line by line. */
async function stopWriters(agents: Agent[]): Promise<Map<string, string[]>> {
  const files = new Map<string, string[]>();
  for (const a of agents) files.set(a.id, [...a.initial, ...(await a.writer!.stop())]);
  return files;
}

// ---------------------------------------------------------------------------------------------------------
// Servers: in-process ones, or `tailwatch serve --redis` children that can be SIGKILLed and started again.

interface Server {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
}

async function inProcessServer(t: TestContext, redis: TestRedis): Promise<Server> {
  const s = await startTestServer({ redis: redis.url, token: TOKEN, backfill: BACKFILL }, { 'own.log': 'own 1\n' }, HOST_TIMINGS);
  t.after(() => s.close());
  return { base: s.url('') };
}

interface ServeChild extends Server {
  kill(): Promise<void>;
}

async function serveChild(t: TestContext, redis: TestRedis, port = 0): Promise<ServeChild> {
  const dir = await tempDir('tailwatch-e2e-serve-');
  writeFileSync(join(dir.path, 'own.log'), 'own 1\n');
  const args = ['serve', '--port', String(port), '--token', TOKEN, '--dir', dir.path, '--redis', redis.url, '--backfill', String(BACKFILL)];
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TAILWATCH_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  t.after(async () => {
    await kill();
    await dir.remove();
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const url = await waitFor(
    () => /listening on (http:\/\/\S+?)\/?$/m.exec(out)?.[1] ?? (child.exitCode !== null && `exited ${child.exitCode}`),
    `serve --redis to listen (stdout: ${out} stderr: ${err})`,
    LONG_WAIT_MS,
  );
  if (!url.startsWith('http')) throw new Error(`serve --redis ${url}: ${err}`);
  return { base: url, kill };
}

function portOf(server: Server): number {
  return Number(new URL(server.base).port);
}

// ---------------------------------------------------------------------------------------------------------
// Clients: an SSE stream that keeps every event across reconnections, as a dashboard does.

class Client {
  private readonly streams: SseReader[] = [];
  constructor(private readonly name: string) {}

  /** Opens the stream on `server`, resuming from the last id received (a header or `?lastEventId=`). */
  async connect(server: Server, resumeWith: 'header' | 'query' = 'header'): Promise<void> {
    this.current()?.close();
    const last = this.lastId();
    let path = `${server.base}/api/events`;
    const headers: Record<string, string> = { ...AUTH };
    if (last !== null && resumeWith === 'header') headers['Last-Event-ID'] = last;
    if (last !== null && resumeWith === 'query') path += `?lastEventId=${encodeURIComponent(last)}`;
    const reader = await openSse(path, headers);
    assert.equal(reader.status, 200, `${this.name}: the stream opens`);
    this.streams.push(reader);
  }

  close(): void {
    this.current()?.close();
  }

  /** The events of the stream opened last. */
  latest(): WireEvent[] {
    return this.current()?.events ?? [];
  }

  /** Waits until every agent source has been shown `disconnected` (the server saw Redis go away). */
  async waitForDisconnected(agents: Agent[]): Promise<void> {
    const shown = (a: Agent) => this.events().some((e) => e.type === 'source' && e.source.id === a.id && e.source.state === 'disconnected');
    await waitFor(() => agents.every(shown), `${this.name} to show every host disconnected`, LONG_WAIT_MS, () => agents.filter((a) => !shown(a)).map((a) => a.host));
  }

  private current(): SseReader | undefined {
    return this.streams.at(-1);
  }

  events(): WireEvent[] {
    return this.streams.flatMap((s) => s.events);
  }

  /** The id a browser's EventSource would send back: the last event that carried one. */
  lastId(): string | null {
    const events = this.events();
    for (let i = events.length - 1; i >= 0; i--) if (events[i]!.id) return events[i]!.id;
    return null;
  }

  lines(source: string): { seq: number; text: string }[] {
    const out: { seq: number; text: string }[] = [];
    for (const e of this.events()) if (e.type === 'log' && e.source === source) out.push(...e.lines);
    return out;
  }

  /** Waits until every agent's source has reached `count` lines (its newest seq), naming the ones short of it. */
  async waitForLines(agents: Agent[], count: (a: Agent) => number, what: string): Promise<void> {
    const short = () => agents.filter((a) => (this.lines(a.id).at(-1)?.seq ?? 0) < count(a)).map((a) => `${a.host}: ${this.lines(a.id).at(-1)?.seq ?? 0} of ${count(a)}`);
    await waitFor(() => short().length === 0, `${this.name} to receive ${what}`, LONG_WAIT_MS, short);
  }

  /** Every line of every file once, in order, seqs 1..N; no gap; a `reset` only for the server's own sources. */
  async assertExactlyOnce(files: Map<string, string[]>, agents: Agent[]): Promise<void> {
    await this.waitForLines(agents, (a) => files.get(a.id)!.length, 'the last line of every file');
    for (const a of agents) {
      const expected = files.get(a.id)!;
      const got = this.lines(a.id);
      const seqs = got.map((l) => l.seq);
      const repeated = [...new Set(seqs.filter((s, i) => seqs.indexOf(s) !== i))].slice(0, 10);
      const missing = expected.map((_, i) => i + 1).filter((s) => !seqs.includes(s)).slice(0, 10);
      assert.equal(got.length, expected.length, `${this.name}, ${a.host}: ${got.length} lines received, ${expected.length} written (repeated seqs: ${repeated.join(',') || 'none'}; missing: ${missing.join(',') || 'none'})`);
      for (let i = 0; i < got.length; i++) {
        assert.equal(got[i]!.seq, i + 1, `${this.name}, ${a.host}: line ${i} has seq ${got[i]!.seq}`);
        assert.equal(got[i]!.text, expected[i], `${this.name}, ${a.host}: seq ${i + 1}`);
      }
    }
    const events = this.events();
    assert.deepEqual(events.filter((e) => e.type === 'gap'), [], `${this.name}: no gap`);
    const resets = events.filter((e): e is Extract<WireEvent, { type: 'reset' }> => e.type === 'reset');
    assert.deepEqual(resets.filter((r) => r.scope !== 'local'), [], `${this.name}: no reset for agent sources`);
  }
}

async function client(t: TestContext, name: string, server: Server): Promise<Client> {
  const c = new Client(name);
  await c.connect(server);
  t.after(() => c.close());
  return c;
}

const HOSTS = ['web-a', 'web-b', 'web-c'];

// ---------------------------------------------------------------------------------------------------------

test('3 agents and 2 servers: every line of every file once on a client of each server', async (t) => {
  const redis = await startRedis(t, { appendonly: true });
  const agents = await startAgents(t, redis, HOSTS);
  const [one, two] = await Promise.all([serveChild(t, redis), inProcessServer(t, redis)]);
  const c1 = await client(t, 'client of server 1', one);
  const c2 = await client(t, 'client of server 2', two);
  startWriters(agents);
  await writeMore(agents, 600);
  const files = await stopWriters(agents);
  await c1.assertExactlyOnce(files, agents);
  await c2.assertExactlyOnce(files, agents);
});

test('a server SIGKILLed and started again on its port: its client resumes with its last id, no gap, no repeat', async (t) => {
  const redis = await startRedis(t, { appendonly: true });
  const agents = await startAgents(t, redis, HOSTS);
  let one = await serveChild(t, redis);
  const two = await inProcessServer(t, redis);
  const c1 = await client(t, 'client of the killed server', one);
  const c2 = await client(t, 'client of the other server', two);
  startWriters(agents);
  await c1.waitForLines(agents, () => 200, '200 lines of each host before the kill');
  await one.kill();
  // Lines written while the server is down, and while it starts again.
  await writeMore(agents, 200);
  one = await serveChild(t, redis, portOf(one));
  await c1.connect(one, 'header');
  await writeMore(agents, 300);
  const files = await stopWriters(agents);
  await c1.assertExactlyOnce(files, agents);
  await c2.assertExactlyOnce(files, agents);
  // The restarted server is a new epoch: it resumed from the id's Redis cursor (a reset of its own sources only).
  assert.deepEqual(c1.latest().filter((e) => e.type === 'reset').map((e) => e.type === 'reset' && e.scope), ['local']);
});

test('a client moved to the other server with its last id: no gap, no repeat', async (t) => {
  const redis = await startRedis(t, { appendonly: true });
  const agents = await startAgents(t, redis, HOSTS);
  const [one, two] = await Promise.all([serveChild(t, redis), inProcessServer(t, redis)]);
  const c = await client(t, 'the moving client', one);
  startWriters(agents);
  await c.waitForLines(agents, () => 200, '200 lines of each host on server 1');
  c.close();
  await writeMore(agents, 200);
  await c.connect(two, 'query');
  await writeMore(agents, 200);
  const writtenSoFar = new Map(agents.map((a) => [a, a.writer!.written() + INITIAL_LINES]));
  await c.waitForLines(agents, (a) => writtenSoFar.get(a)!, 'what was written before, on server 2');
  const onTwo = c.latest();
  // And back, while the writers write.
  await c.connect(one, 'header');
  await writeMore(agents, 200);
  const files = await stopWriters(agents);
  await c.assertExactlyOnce(files, agents);
  // Each server carried part of every host's lines.
  for (const a of agents) {
    assert.ok(onTwo.some((e) => e.type === 'log' && e.source === a.id), `${a.host}: lines on server 2`);
    assert.ok(c.latest().some((e) => e.type === 'log' && e.source === a.id), `${a.host}: lines back on server 1`);
  }
});

test('redis-server SIGKILLed and restarted (appendonly) while agents write: every line once on both servers', async (t) => {
  const redis = await startRedis(t, { appendonly: true });
  const agents = await startAgents(t, redis, HOSTS);
  const [one, two] = await Promise.all([inProcessServer(t, redis), inProcessServer(t, redis)]);
  const c1 = await client(t, 'client of server 1', one);
  const c2 = await client(t, 'client of server 2', two);
  startWriters(agents);
  await c1.waitForLines(agents, () => 200, '200 lines of each host before Redis is killed');
  await redis.kill();
  await writeMore(agents, 300);
  await Promise.all([c1.waitForDisconnected(agents), c2.waitForDisconnected(agents)]);
  await redis.restart();
  await writeMore(agents, 300);
  const files = await stopWriters(agents);
  await c1.assertExactlyOnce(files, agents);
  await c2.assertExactlyOnce(files, agents);
});

test('an agent SIGKILLed and restarted while its writer writes: every line once on both servers', async (t) => {
  const redis = await startRedis(t, { appendonly: true });
  const agents = await startAgents(t, redis, HOSTS);
  const [one, two] = await Promise.all([inProcessServer(t, redis), inProcessServer(t, redis)]);
  const c1 = await client(t, 'client of server 1', one);
  const c2 = await client(t, 'client of server 2', two);
  startWriters(agents);
  await c1.waitForLines(agents, () => 200, '200 lines of each host before the agent is killed');
  const killed = agents[1]!;
  await killed.proc.kill();
  await writeMore([killed], 300);
  await killed.restart();
  await writeMore(agents, 300);
  const files = await stopWriters(agents);
  await c1.assertExactlyOnce(files, agents);
  await c2.assertExactlyOnce(files, agents);
});
