// Figure 10, many hosts (issue 17 item 6): a real redis-server on 127.0.0.1 (its own port and temp dir, no
// persistence), 10 hosts publishing together, one `serve --redis` with two dashboards attached (SSE of every
// topic, every event parsed, each host's lines counted once each). The hosts are real `tailwatch agent`
// processes following a file each, or, to measure the server without ten agents on the same cores, this
// process writing entries straight to the streams in the agents' format (protocol/host-streams.ts).
// Figures: lines/s end to end, the server's CPU per line, Redis memory per million lines, and the time a
// restarted server takes to bring a resuming client the lines published while it was down.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULTS } from '../main/app/options';
import { PUBLISH_LIMITS } from '../main/hosts/agent/host-publisher';
import { ENTRY_LIMITS, LINE_OVERHEAD_BYTES } from '../main/hosts/agent/round-builder';
import type { LogLine, SourceEventData, SourceInfo } from '../protocol/events';
import { hostKeys, LOGS_KEY_PATTERN } from '../protocol/host-streams';
import { redisClient, type TestRedisClient } from '../test/helpers/agent-streams';
import { hostSourceInfo } from '../test/helpers/fake-host';
import { REDIS_SERVER, startRedis, type TestRedis } from '../test/helpers/redis-server';
import { openSseEvents, type LineCounts, type StreamClient } from './clients';
import { HostLinesCheck, hostLine } from './host-lines';
import { buildChunks, LINE_CHARS, openAppender } from './log-lines';
import { childPidsOf, CLI_PATH, cpuOf, startServer, type ServerProcess } from './server-process';
import { hrNow, makeTempDir, sleep, waitUntil } from './util';

export const HOST_COUNT = 10;
export const HOSTS_DEFAULTS = { rates: [25_000, 50_000, 100_000, 200_000, 400_000], stepSeconds: 5, catchUpLines: 1_000_000 };
/** How each host's lines reach Redis. */
export type Publisher = 'agents' | 'direct';

/** Lines per `log` entry written straight to a stream: as many as an agent puts in one in a burst. */
const DIRECT_ENTRY_LINES = Math.min(ENTRY_LIMITS.lines, Math.floor(ENTRY_LIMITS.bytes / (LINE_CHARS + LINE_OVERHEAD_BYTES)));
/** The writers write every host's lines due every this often. */
const TICK_MS = 50;
const TICKS_IN_FLIGHT = 4;
/** A rate is sustained when both dashboards have every line this soon after the last write. */
const KEPT_UP_MS = 2000;
/** How long a step's lines may take at most before it is given up (the step fails). */
const STEP_DRAIN_MS = 10_000;
/** How long the catch-up may take before it is given up: 30 s, plus 1 s per 10,000 lines. */
const deliveryTimeoutMs = (lines: number): number => 30_000 + lines / 10;
const HOSTS_FOUND_TIMEOUT_MS = 20_000;
/** The server's idle CPU is measured this long before the first step. */
const IDLE_MS = 2000;
/** Every topic, as a dashboard subscribes; no backfill (the streams are empty when they attach). */
const DASHBOARD_PATH = '/api/events?topics=logs,metrics,sources,processes&backfill=0';

export interface DashboardFigures extends LineCounts {
  resets: number;
  events: number;
  endedWhy: string | null;
}

/** One rate offered for `stepSeconds`: every host writes rate / 10 lines a second. */
export interface RateStep {
  /** Lines/s offered, all hosts together. */
  rate: number;
  lines: number;
  /** First write → last write (longer than the step when the writer could not keep the pace). */
  writeMs: number;
  /** Lines/s written: the rate offered, or less when the writer could not keep the pace. */
  writtenPerS: number;
  /** Last write → the last line at the slower dashboard. */
  lagMs: number;
  /** Every line at both dashboards within KEPT_UP_MS of the last write, once each, no gap. */
  ok: boolean;
  why: string | null;
  serverCpuS: number;
  /** The server's CPU less what it uses idle in as long (its own metrics, the XREAD loop): the lines' part. */
  serverLinesCpuS: number;
  /** The ten agents together (0 with direct writes). */
  agentsCpuS: number;
  redisCpuS: number;
  benchCpuS: number;
}

export interface HostsRun {
  publisher: Publisher;
  steps: RateStep[];
  /** Lines written in all steps. */
  lines: number;
  /** The server's CPU share idle (hosts attached, no line written), measured before the first step. */
  serverIdleShare: number;
  /** Both dashboards' counts over all steps. */
  dashboards: DashboardFigures[];
  /** INFO memory used_memory before the first line and after the last step. */
  redisUsedBefore: number;
  redisUsedAfter: number;
  /** MEMORY USAGE of the ten logs streams after the last step, and their entries (XLEN). */
  logsStreamsBytes: number;
  logsEntries: number;
  serverStderr: string;
}

/** The highest rate both dashboards kept up with, and its step. */
export function sustainedStep(run: HostsRun): RateStep | null {
  return run.steps.filter((step) => step.ok).at(-1) ?? null;
}

export interface HostsCatchUp {
  /** Lines published while the server was down. */
  lines: number;
  /** Lines the resuming client lacked: those, and any of the steps' it had not received yet. */
  linesToGet: number;
  /** Lines published (straight to the streams) while the server was stopped. */
  publishMs: number;
  /** Spawn → `listening on` (the server finds and backfills the hosts before it listens). */
  serverStartMs: number;
  /** The client connects with its last id → it has every line published meanwhile. */
  catchUpMs: number;
  /** Spawn → the client has them all. */
  totalMs: number;
  complete: boolean;
  dashboard: DashboardFigures;
  /** The restarted server's CPU from its spawn (its start reads the hosts' streams) to the last line sent. */
  serverCpuS: number;
  redisUsedBefore: number;
  redisUsedAfter: number;
  /** Hosts whose lines did not all arrive: `host: highest seq got/last seq`. */
  behind: string[];
  serverStderr: string;
}

export interface HostsResult {
  /** Why the figure was not measured (no redis-server here), or null. */
  skipped: string | null;
  runs: HostsRun[];
  catchUp: HostsCatchUp | null;
}

export interface HostsOptions {
  /** Lines/s offered, all hosts together, in steps of `stepSeconds`, up to the first one not kept up with. */
  rates?: number[];
  stepSeconds?: number;
  /** Lines published while the server is stopped; 0 leaves the catch-up out. */
  catchUpLines?: number;
  publishers?: Publisher[];
}

export async function runHosts(options: HostsOptions = {}): Promise<HostsResult> {
  if (spawnSync(REDIS_SERVER, ['--version']).error) {
    return { skipped: `skipped: no ${REDIS_SERVER} here (apt-get install redis-server, or TAILWATCH_REDIS_SERVER=PATH)`, runs: [], catchUp: null };
  }
  const rates = options.rates ?? HOSTS_DEFAULTS.rates;
  const stepSeconds = options.stepSeconds ?? HOSTS_DEFAULTS.stepSeconds;
  const catchUpLines = options.catchUpLines ?? HOSTS_DEFAULTS.catchUpLines;
  const runs: HostsRun[] = [];
  let catchUp: HostsCatchUp | null = null;
  for (const publisher of options.publishers ?? (['agents', 'direct'] as Publisher[])) {
    // The catch-up is measured once, after the direct steps: it times the server, not how lines reached Redis.
    const withCatchUp = publisher === 'direct' && catchUpLines > 0;
    const result = await runBed(publisher, rates, stepSeconds, withCatchUp ? catchUpLines : 0);
    runs.push(result.run);
    catchUp ??= result.catchUp;
  }
  return { skipped: null, runs, catchUp };
}

const hostNames = (): string[] => Array.from({ length: HOST_COUNT }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);

async function runBed(publisher: Publisher, rates: number[], stepSeconds: number, catchUpLines: number): Promise<{ run: HostsRun; catchUp: HostsCatchUp | null }> {
  const names = hostNames();
  const dir = await makeTempDir(`hosts-${publisher}`);
  const redis = await startRedis(null);
  let admin: TestRedisClient | null = null;
  const agents: ChildProcess[] = [];
  let server: ServerProcess | null = null;
  const dashboards: StreamClient[] = [];
  let files: FileHosts | null = null;
  try {
    admin = await redisClient(redis.url);
    const serverDir = join(dir.path, 'server');
    await mkdir(serverDir);
    const paths = names.map((name) => join(dir.path, `${name}.log`));
    const direct = publisher === 'direct' ? new DirectHosts(admin, names, paths) : null;
    if (direct) await direct.announce();
    else {
      files = await FileHosts.open(names, paths);
      // One after the other, each kept as soon as it runs: the finally below stops every one that started.
      for (const [i, name] of names.entries()) await startAgent(agents, ['--redis', redis.url, '--host-name', name, '--file', paths[i]!]);
    }
    const hosts: HostWriter = direct ?? files!;
    // Every host's stream exists before the server starts, so it finds them all before it listens.
    if (!(await waitForHosts(admin))) throw new Error(`the ${HOST_COUNT} hosts' streams did not appear within ${HOSTS_FOUND_TIMEOUT_MS} ms`);

    server = await startServer({ dir: serverDir, args: ['--redis', redis.url] });
    const checks = [new HostLinesCheck(), new HostLinesCheck()];
    for (const check of checks) dashboards.push(await openSseEvents(server.base, DASHBOARD_PATH, server.authHeader, (type, data, id) => check.event(type, data, id)));
    for (const d of dashboards) if (d.status !== 200) throw new Error(`a dashboard's stream answered ${d.status}`);
    await Promise.race([Promise.all(dashboards.map((d) => d.hello)), sleep(5000)]);

    const redisPid = redisPidOf(redis);
    const redisUsedBefore = await usedMemory(admin);
    const idle0 = { cpu: server.cpuSeconds(), at: hrNow() };
    await sleep(IDLE_MS);
    const serverIdleShare = (server.cpuSeconds() - idle0.cpu) / ((hrNow() - idle0.at) / 1000);
    const steps: RateStep[] = [];
    let perHost = 0;
    for (const rate of rates) {
      const step = await runStep(hosts, checks, names, perHost, rate, stepSeconds, { server: server.pid, agents: agents.map((a) => a.pid!), redis: redisPid }, serverIdleShare);
      perHost += step.lines / HOST_COUNT;
      steps.push(step);
      if (!step.ok) break;
    }
    // A moment more, so that a line sent twice after the last one would still be counted.
    await sleep(300);
    const run: HostsRun = {
      publisher,
      steps,
      lines: perHost * HOST_COUNT,
      serverIdleShare,
      dashboards: checks.map((c, i) => figuresOf(c, dashboards[i]!)),
      redisUsedBefore,
      redisUsedAfter: await usedMemory(admin),
      ...(await logsStreams(admin, names)),
      serverStderr: '',
    };

    let catchUp: HostsCatchUp | null = null;
    if (direct && catchUpLines > 0) {
      // Where the first dashboard stands (all of the steps' lines, unless the last step was not kept up with).
      const lastId = checks[0]!.lastId;
      const had = checks[0]!.highestSeqs();
      for (const d of dashboards.splice(0)) d.close();
      await server.stop();
      run.serverStderr = server.stderr();
      server = null;
      const more = Math.ceil(catchUpLines / HOST_COUNT);
      const redisUsedBefore = await usedMemory(admin);
      const p0 = hrNow();
      for (let from = perHost + 1; from <= perHost + more; from += DIRECT_ENTRY_LINES) await direct.write(from, Math.min(DIRECT_ENTRY_LINES, perHost + more + 1 - from));
      const publishMs = hrNow() - p0;

      const s0 = hrNow();
      server = await startServer({ dir: serverDir, args: ['--redis', redis.url] });
      const serverStartMs = hrNow() - s0;
      const check = new HostLinesCheck((host) => (had.get(host) ?? 0) + 1);
      const c0 = hrNow();
      const client = await openSseEvents(server.base, DASHBOARD_PATH, server.authHeader, (type, data, id) => check.event(type, data, id), lastId);
      dashboards.push(client);
      const all = new Map(names.map((name) => [name, perHost + more]));
      const done = await waitUntil(() => check.hasAll(all), deliveryTimeoutMs(more * HOST_COUNT), 5);
      const end = check.lastAt || hrNow();
      const serverCpuS = server.cpuSeconds();
      await sleep(300);
      catchUp = {
        lines: more * HOST_COUNT,
        linesToGet: names.reduce((sum, name) => sum + perHost + more - (had.get(name) ?? 0), 0),
        publishMs,
        serverStartMs,
        catchUpMs: end - c0,
        totalMs: end - s0,
        complete: done,
        dashboard: figuresOf(check, client),
        serverCpuS,
        redisUsedBefore,
        redisUsedAfter: await usedMemory(admin),
        behind: behindOf(check, all),
        serverStderr: server.stderr(),
      };
    }
    if (server) run.serverStderr ||= server.stderr();
    return { run, catchUp };
  } finally {
    await files?.close();
    for (const d of dashboards) d.close();
    if (server) await server.stop();
    await Promise.all(agents.map((a) => stopAgent(a)));
    admin?.destroy();
    await redis.stop();
    await dir.remove();
  }

  async function waitForHosts(client: TestRedisClient): Promise<boolean> {
    const deadline = performance.now() + HOSTS_FOUND_TIMEOUT_MS;
    while (performance.now() < deadline) {
      const keys = await client.keys(LOGS_KEY_PATTERN);
      if (keys.length >= HOST_COUNT) return true;
      await sleep(50);
    }
    return false;
  }
}

interface Pids {
  server: number;
  agents: number[];
  redis: number;
}

/**
 * Offers `rate` lines/s for `seconds`: every TICK_MS each host writes the lines due, seqs going on after
 * `perHost`. Then waits for both dashboards to have them all (or a gap, or STEP_DRAIN_MS).
 */
async function runStep(hosts: HostWriter, checks: HostLinesCheck[], names: string[], perHost: number, rate: number, seconds: number, pids: Pids, serverIdleShare: number): Promise<RateStep> {
  const perTick = Math.max(1, Math.round(((rate / HOST_COUNT) * TICK_MS) / 1000));
  const ticks = Math.max(1, Math.round((seconds * 1000) / TICK_MS));
  const before = checks.map((c) => ({ missing: c.missing, repeated: c.repeated, badText: c.badText, gapMissed: c.gapMissed }));
  const cpu0 = { server: cpuOf(pids.server), agents: sumCpu(pids.agents), redis: cpuOf(pids.redis), bench: process.cpuUsage() };
  const t0 = hrNow();
  let seq = perHost + 1;
  // A few ticks' writes may wait for Redis's replies at once, so a slow reply does not hold the pace.
  const writing: Promise<void>[] = [];
  for (let k = 0; k < ticks; k++) {
    const wait = t0 + k * TICK_MS - hrNow();
    if (wait > 1) await sleep(wait);
    writing.push(hosts.write(seq, perTick));
    if (writing.length > TICKS_IN_FLIGHT) await writing.shift();
    seq += perTick;
  }
  await Promise.all(writing);
  const writeEnd = hrNow();
  const want = new Map(names.map((name) => [name, seq - 1]));
  const broken = () => checks.some((c, i) => c.gapMissed + c.missing + c.repeated + c.badText > before[i]!.gapMissed + before[i]!.missing + before[i]!.repeated + before[i]!.badText);
  await waitUntil(() => broken() || checks.every((c) => c.hasAll(want)), STEP_DRAIN_MS, 5);
  const complete = checks.every((c) => c.hasAll(want));
  const lagMs = complete ? Math.max(...checks.map((c) => c.lastAt)) - writeEnd : NaN;
  const bench = process.cpuUsage(cpu0.bench);
  const serverCpuS = cpuOf(pids.server) - cpu0.server;
  const stepS = (hrNow() - t0) / 1000;
  const writeMs = writeEnd - t0;
  const why = broken()
    ? `a dashboard lost, repeated or garbled lines (${checks
        .map((c, i) => `gap ${c.gapMissed - before[i]!.gapMissed}, missing ${c.missing - before[i]!.missing}, repeated ${c.repeated - before[i]!.repeated}, bad text ${c.badText - before[i]!.badText}`)
        .join('; ')})`
    : !complete
      ? `not every line within ${STEP_DRAIN_MS / 1000} s`
      : lagMs > KEPT_UP_MS
        ? `the last line ${fmtSeconds(lagMs)} after the last write`
        : null;
  return {
    rate,
    lines: (seq - 1 - perHost) * HOST_COUNT,
    writeMs,
    writtenPerS: ((seq - 1 - perHost) * HOST_COUNT) / (writeMs / 1000),
    lagMs,
    ok: why === null,
    why,
    serverCpuS,
    serverLinesCpuS: serverCpuS - serverIdleShare * stepS,
    agentsCpuS: sumCpu(pids.agents) - cpu0.agents,
    redisCpuS: cpuOf(pids.redis) - cpu0.redis,
    benchCpuS: (bench.user + bench.system) / 1e6,
  };
}

const fmtSeconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Writes every host's lines `from`..`from+count-1`. */
interface HostWriter {
  write(from: number, count: number): Promise<void>;
}

/** The agents' files: each host's lines appended to its file (one write(2) per host and tick). */
class FileHosts implements HostWriter {
  private constructor(
    private readonly names: string[],
    private readonly outs: Awaited<ReturnType<typeof openAppender>>[],
  ) {}

  static async open(names: string[], paths: string[]): Promise<FileHosts> {
    await Promise.all(paths.map((path) => writeFile(path, '')));
    return new FileHosts(names, await Promise.all(paths.map((path) => openAppender(path))));
  }

  /** The writes so far, chained: ticks in flight at once must still land in their order. */
  private written: Promise<unknown> = Promise.resolve();

  write(from: number, count: number): Promise<void> {
    const chunks = this.names.map((name) => buildChunks(from, count, count, (seq) => hostLine(name, seq))[0]!);
    const next = this.written.then(() => Promise.all(chunks.map((chunk, h) => this.outs[h]!.write(chunk))));
    this.written = next;
    return next.then(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all(this.outs.map((out) => out.close()));
  }
}

/**
 * The hosts as this process plays them: what `tailwatch agent` writes to each host's logs stream (a `source`
 * `add`, then `log` entries of at most DIRECT_ENTRY_LINES lines and a `source` `update` at most every
 * PUBLISH_LIMITS.updateEveryMs, `XADD … MAXLEN ~` as the agent bounds it), without its positions hash and
 * metrics samples. (The updates matter: a starting server walks a host's stream back to its newest one.)
 */
class DirectHosts implements HostWriter {
  private readonly sources: SourceInfo[];
  private lastUpdateAt = 0;
  private readonly trim = { TRIM: { strategy: 'MAXLEN' as const, strategyModifier: '~' as const, threshold: DEFAULTS.redisMaxEntries } };

  constructor(
    private readonly client: TestRedisClient,
    private readonly names: string[],
    paths: string[],
  ) {
    this.sources = names.map((host, i) => hostSourceInfo(host, paths[i]!, `${host}.log`));
  }

  async announce(): Promise<void> {
    for (const [i, source] of this.sources.entries()) {
      await this.client.xAdd(hostKeys(this.names[i]!).logs, '*', { t: 'source', d: JSON.stringify({ op: 'add', source } satisfies SourceEventData) });
    }
  }

  async write(from: number, count: number): Promise<void> {
    const sent: Promise<unknown>[] = [];
    const ts = Date.now();
    if (ts - this.lastUpdateAt >= PUBLISH_LIMITS.updateEveryMs) {
      this.lastUpdateAt = ts;
      for (const [h, name] of this.names.entries()) {
        const source: SourceInfo = { ...this.sources[h]!, lines: from - 1 };
        sent.push(this.client.xAdd(hostKeys(name).logs, '*', { t: 'source', d: JSON.stringify({ op: 'update', source } satisfies SourceEventData) }, this.trim));
      }
    }
    for (let start = from; start < from + count; start += DIRECT_ENTRY_LINES) {
      const end = Math.min(from + count, start + DIRECT_ENTRY_LINES);
      for (const [h, name] of this.names.entries()) {
        const lines: LogLine[] = [];
        for (let seq = start; seq < end; seq++) lines.push({ seq, ts, text: hostLine(name, seq) });
        const d = JSON.stringify({ source: this.sources[h]!.id, lines });
        sent.push(this.client.xAdd(hostKeys(name).logs, '*', { t: 'log', d }, this.trim));
      }
    }
    await Promise.all(sent);
  }
}

function behindOf(check: HostLinesCheck, want: ReadonlyMap<string, number>): string[] {
  const got = check.highestSeqs();
  return [...want].filter(([host, last]) => (got.get(host) ?? 0) < last).map(([host, last]) => `${host}: ${got.get(host) ?? 'none'}/${last}`);
}

function figuresOf(check: HostLinesCheck, client: StreamClient): DashboardFigures {
  return {
    received: check.received,
    missing: check.missing,
    repeated: check.repeated,
    badText: check.badText,
    firstBadText: check.firstBadText,
    gapMissed: check.gapMissed,
    resets: check.resets,
    events: check.events,
    endedWhy: client.endedWhy(),
  };
}

async function usedMemory(client: TestRedisClient): Promise<number> {
  const info = await client.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? NaN);
}

async function logsStreams(client: TestRedisClient, names: string[]): Promise<{ logsStreamsBytes: number; logsEntries: number }> {
  let bytes = 0;
  let entries = 0;
  for (const name of names) {
    const key = hostKeys(name).logs;
    // SAMPLES 0: every entry counted, not an estimate from a few.
    bytes += (await client.memoryUsage(key, { SAMPLES: 0 })) ?? 0;
    entries += await client.xLen(key);
  }
  return { logsStreamsBytes: bytes, logsEntries: entries };
}

/** The redis-server child of this process listening on the test Redis's port. */
function redisPidOf(redis: TestRedis): number {
  for (const pid of childPidsOf(process.pid)) {
    try {
      // redis-server rewrites its title to `redis-server 127.0.0.1:PORT`; before that, `--port PORT` is there.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes('redis-server') && (cmdline.includes(`:${redis.port}`) || cmdline.includes(` ${redis.port} `))) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return NaN;
}

function sumCpu(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + cpuOf(pid), 0);
}

const AGENT_START_TIMEOUT_MS = 30_000;

/** Starts `tailwatch agent ARGS` (the bin, as a user runs it), adds it to `agents` at once, and waits for its start line. */
async function startAgent(agents: ChildProcess[], args: string[]): Promise<void> {
  const child = spawn(CLI_PATH, ['agent', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  agents.push(child);
  let out = '';
  child.stderr!.resume();
  child.stdout!.setEncoding('utf8');
  const started = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), AGENT_START_TIMEOUT_MS);
    const onData = (text: string) => {
      if (out.length < 4096) out += text;
      if (/^(no log sources|following \d+ files?)/m.test(out)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  child.stdout!.resume();
  if (!started) throw new Error(`tailwatch agent ${args.join(' ')} did not start within ${AGENT_START_TIMEOUT_MS} ms (exit ${child.exitCode}); stdout: ${out.trim()}`);
}

async function stopAgent(agent: ChildProcess): Promise<void> {
  if (agent.exitCode !== null || agent.signalCode !== null) return;
  const exited = new Promise((resolve) => agent.once('exit', resolve));
  agent.kill('SIGTERM');
  const timer = setTimeout(() => agent.kill('SIGKILL'), 4000);
  await exited;
  clearTimeout(timer);
}
