// Figure 10, many hosts (issue 17 item 6): a real redis-server on 127.0.0.1 (its own port and temp dir, no
// persistence), 10 hosts publishing together, one `serve --redis` with two dashboards attached (SSE of every
// topic, every event parsed, each host's lines counted once each). The hosts are real `tailwatch agent`
// processes following a file each, or, to measure the server without ten agents on the same cores, this
// process writing entries straight to the streams in the agents' format (protocol/host-streams.ts).
// Figures: lines/s end to end, the server's CPU per line, Redis memory per million lines, and the time a
// restarted server takes to bring a resuming client the lines published while it was down.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULTS } from '../main/app/options';
import { ENTRY_LIMITS, LINE_OVERHEAD_BYTES } from '../main/hosts/agent/round-builder';
import { sourceIdOf } from '../main/sources/logs/source-id';
import type { LogLine, SourceEventData, SourceInfo } from '../protocol/events';
import { hostKeys, LOGS_KEY_PATTERN } from '../protocol/host-streams';
import { redisClient, startAgentProcess, type AgentProcess, type TestRedisClient } from '../test/helpers/agent-streams';
import { startRedis, type TestRedis } from '../test/helpers/redis-server';
import { openSseEvents, type StreamClient } from './clients';
import { HostLinesCheck, hostLine } from './host-lines';
import { buildChunks, LINE_CHARS, openAppender } from './log-lines';
import { childPidsOf, cpuOf, startServer, type ServerProcess } from './server-process';
import { hrNow, makeTempDir, sleep, waitUntil } from './util';

export const HOST_COUNT = 10;
export const HOSTS_DEFAULTS = { lines: 500_000, catchUpLines: 1_000_000 };
/** How each host's lines reach Redis. */
export type Publisher = 'agents' | 'direct';

/** Lines per `log` entry written straight to a stream: as many as an agent puts in one in a burst. */
const DIRECT_ENTRY_LINES = Math.min(ENTRY_LIMITS.lines, Math.floor(ENTRY_LIMITS.bytes / (LINE_CHARS + LINE_OVERHEAD_BYTES)));
/** Lines per write(2) to an agent's file (100 KB). */
const FILE_WRITE_LINES = 1000;
/** Entries written straight to Redis before waiting for their replies. */
const DIRECT_IN_FLIGHT = 32;
/** How long lines may take to reach a dashboard before the figure is given up: 30 s, plus 1 s per 10,000 lines. */
const deliveryTimeoutMs = (lines: number): number => 30_000 + lines / 10;
const HOSTS_FOUND_TIMEOUT_MS = 20_000;
/** Every topic, as a dashboard subscribes; no backfill (the streams are empty when they attach). */
const DASHBOARD_PATH = '/api/events?topics=logs,metrics,sources,processes&backfill=0';

export interface DashboardFigures {
  received: number;
  missing: number;
  repeated: number;
  badText: number;
  firstBadText: string | null;
  gapMissed: number;
  resets: number;
  events: number;
  endedWhy: string | null;
}

export interface HostsBurst {
  publisher: Publisher;
  lines: number;
  dashboards: DashboardFigures[];
  complete: boolean;
  /** First write → the last line at the slower dashboard. */
  elapsedMs: number;
  writeMs: number;
  linesPerSec: number;
  serverCpuS: number;
  /** The ten agents together (0 with direct writes). */
  agentsCpuS: number;
  redisCpuS: number;
  benchCpuS: number;
  /** INFO memory used_memory before the first line and after the last one reached the dashboards. */
  redisUsedBefore: number;
  redisUsedAfter: number;
  /** MEMORY USAGE of the ten logs streams after the burst, and their entries (XLEN). */
  logsStreamsBytes: number;
  logsEntries: number;
  serverStderr: string;
}

export interface HostsCatchUp {
  lines: number;
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
  bursts: HostsBurst[];
  catchUp: HostsCatchUp | null;
}

export interface HostsOptions {
  /** Lines of the burst, all hosts together (each host writes lines / 10). */
  lines?: number;
  /** Lines published while the server is stopped; 0 leaves the catch-up out. */
  catchUpLines?: number;
  publishers?: Publisher[];
}

export async function runHosts(options: HostsOptions = {}): Promise<HostsResult> {
  const lines = options.lines ?? HOSTS_DEFAULTS.lines;
  const catchUpLines = options.catchUpLines ?? HOSTS_DEFAULTS.catchUpLines;
  const bursts: HostsBurst[] = [];
  let catchUp: HostsCatchUp | null = null;
  for (const publisher of options.publishers ?? (['agents', 'direct'] as Publisher[])) {
    // The catch-up is measured once, after the direct burst: it times the server, not how lines reached Redis.
    const withCatchUp = publisher === 'direct' && catchUpLines > 0;
    const run = await runBed(publisher, lines, withCatchUp ? catchUpLines : 0);
    bursts.push(run.burst);
    catchUp ??= run.catchUp;
  }
  return { bursts, catchUp };
}

const hostNames = (): string[] => Array.from({ length: HOST_COUNT }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);

async function runBed(publisher: Publisher, lines: number, catchUpLines: number): Promise<{ burst: HostsBurst; catchUp: HostsCatchUp | null }> {
  const perHost = Math.ceil(lines / HOST_COUNT);
  const names = hostNames();
  const dir = await makeTempDir(`hosts-${publisher}`);
  const redis = await startRedis(null);
  let admin: TestRedisClient | null = null;
  const agents: AgentProcess[] = [];
  let server: ServerProcess | null = null;
  const dashboards: StreamClient[] = [];
  try {
    admin = await redisClient(redis.url);
    const serverDir = join(dir.path, 'server');
    await mkdir(serverDir);
    const files = names.map((name) => join(dir.path, `${name}.log`));
    const direct = publisher === 'direct' ? new DirectHosts(admin, names, files) : null;
    if (direct) await direct.announce();
    else {
      await Promise.all(files.map((file) => writeFile(file, '')));
      agents.push(...(await Promise.all(names.map((name, i) => startAgentProcess(['--redis', redis.url, '--host-name', name, '--file', files[i]!])))));
    }
    // Every host's stream exists before the server starts, so it finds them all before it listens.
    if (!(await waitForHosts(admin))) throw new Error(`the ${HOST_COUNT} hosts' streams did not appear within ${HOSTS_FOUND_TIMEOUT_MS} ms`);

    server = await startServer({ dir: serverDir, args: ['--redis', redis.url] });
    const checks = [new HostLinesCheck(), new HostLinesCheck()];
    for (const check of checks) dashboards.push(await openSseEvents(server.base, DASHBOARD_PATH, server.authHeader, (type, data, id) => check.event(type, data, id)));
    for (const d of dashboards) if (d.status !== 200) throw new Error(`a dashboard's stream answered ${d.status}`);
    await Promise.race([Promise.all(dashboards.map((d) => d.hello)), sleep(5000)]);

    const want = new Map(names.map((name) => [name, perHost]));
    const redisPid = redisPidOf(redis);
    const writeBurst = direct ? await direct.prepare(1, perHost) : await fileBurst(names, files, perHost);
    const usedBefore = await usedMemory(admin);
    const cpu0 = { server: server.cpuSeconds(), agents: sumCpu(agents), redis: cpuOf(redisPid), bench: process.cpuUsage() };
    const t0 = hrNow();
    await writeBurst();
    const writeMs = hrNow() - t0;
    const complete = await waitUntil(() => checks.every((c) => c.hasAll(want)), deliveryTimeoutMs(perHost * HOST_COUNT), 5);
    const elapsedMs = Math.max(...checks.map((c) => c.lastAt || hrNow())) - t0;
    const bench = process.cpuUsage(cpu0.bench);
    const burst: HostsBurst = {
      publisher,
      lines: perHost * HOST_COUNT,
      dashboards: [],
      complete,
      elapsedMs,
      writeMs,
      linesPerSec: (perHost * HOST_COUNT) / (elapsedMs / 1000),
      serverCpuS: server.cpuSeconds() - cpu0.server,
      agentsCpuS: sumCpu(agents) - cpu0.agents,
      redisCpuS: cpuOf(redisPid) - cpu0.redis,
      benchCpuS: (bench.user + bench.system) / 1e6,
      redisUsedBefore: usedBefore,
      redisUsedAfter: await usedMemory(admin),
      ...(await logsStreams(admin, names)),
      serverStderr: '',
    };
    // A moment more, so that a line sent twice after the last one would still be counted.
    await sleep(300);
    burst.dashboards = checks.map((c, i) => figuresOf(c, dashboards[i]!));

    let catchUp: HostsCatchUp | null = null;
    if (direct && catchUpLines > 0) {
      const lastId = checks[0]!.lastId;
      for (const d of dashboards.splice(0)) d.close();
      await server.stop();
      burst.serverStderr = server.stderr();
      server = null;
      const more = Math.ceil(catchUpLines / HOST_COUNT);
      const redisUsedBefore = await usedMemory(admin);
      const p0 = hrNow();
      await (await direct.prepare(perHost + 1, more, false))();
      const publishMs = hrNow() - p0;

      const s0 = hrNow();
      server = await startServer({ dir: serverDir, args: ['--redis', redis.url] });
      const serverStartMs = hrNow() - s0;
      const check = new HostLinesCheck(() => perHost + 1);
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
    return { burst, catchUp };
  } finally {
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

/** The ten files' lines, written round-robin (one 100 KB write per host in turn) by the returned function. */
async function fileBurst(names: string[], files: string[], perHost: number): Promise<() => Promise<void>> {
  const chunks = names.map((name) => buildChunks(1, perHost, FILE_WRITE_LINES, (seq) => hostLine(name, seq)));
  const outs = await Promise.all(files.map((file) => openAppender(file)));
  return async () => {
    for (let i = 0; i < chunks[0]!.length; i++) for (let h = 0; h < outs.length; h++) await outs[h]!.write(chunks[h]![i]!);
    await Promise.all(outs.map((o) => o.close()));
  };
}

/**
 * The hosts as this process plays them: what `tailwatch agent` writes to each host's logs stream (a `source`
 * `add`, then `log` entries of DIRECT_ENTRY_LINES lines, `XADD … MAXLEN ~` as the agent bounds it), without
 * its positions hash and metrics samples.
 */
class DirectHosts {
  private readonly sources: SourceInfo[];

  constructor(
    private readonly client: TestRedisClient,
    private readonly names: string[],
    files: string[],
  ) {
    this.sources = names.map((host, i) => ({
      id: sourceIdOf(files[i]!, host),
      path: files[i]!,
      name: `${host}.log`,
      state: 'live',
      size: 0,
      lines: 0,
      bytes: 0,
      errors: 0,
      linesPerSec: 0,
      errorsPerSec: 0,
      host,
    }));
  }

  async announce(): Promise<void> {
    for (const [i, source] of this.sources.entries()) {
      await this.client.xAdd(hostKeys(this.names[i]!).logs, '*', { t: 'source', d: JSON.stringify({ op: 'add', source } satisfies SourceEventData) });
    }
  }

  /**
   * Returns the function that writes each host's lines `first`..`first+count-1`, hosts in turn, one entry each.
   * `prebuilt`: the entries' JSON is made before (so a timed burst times the server, not this writer).
   */
  async prepare(first: number, count: number, prebuilt = true): Promise<() => Promise<void>> {
    const entryOf = (h: number, from: number): string => {
      const lines: LogLine[] = [];
      const ts = Date.now();
      for (let seq = from; seq < Math.min(first + count, from + DIRECT_ENTRY_LINES); seq++) lines.push({ seq, ts, text: hostLine(this.names[h]!, seq) });
      return JSON.stringify({ source: this.sources[h]!.id, lines });
    };
    const starts: number[] = [];
    for (let from = first; from < first + count; from += DIRECT_ENTRY_LINES) starts.push(from);
    const built = prebuilt ? this.names.map((_, h) => starts.map((from) => entryOf(h, from))) : null;
    const trim = { TRIM: { strategy: 'MAXLEN' as const, strategyModifier: '~' as const, threshold: DEFAULTS.redisMaxEntries } };
    return async () => {
      let inFlight: Promise<unknown>[] = [];
      for (let e = 0; e < starts.length; e++) {
        for (let h = 0; h < this.names.length; h++) {
          const d = built ? built[h]![e]! : entryOf(h, starts[e]!);
          inFlight.push(this.client.xAdd(hostKeys(this.names[h]!).logs, '*', { t: 'log', d }, trim));
          if (inFlight.length >= DIRECT_IN_FLIGHT) {
            await Promise.all(inFlight);
            inFlight = [];
          }
        }
      }
      await Promise.all(inFlight);
    };
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

function sumCpu(agents: AgentProcess[]): number {
  return agents.reduce((sum, a) => sum + cpuOf(a.child.pid!), 0);
}

async function stopAgent(agent: AgentProcess): Promise<void> {
  if (agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill('SIGTERM');
  const timer = setTimeout(() => agent.child.kill('SIGKILL'), 4000);
  await agent.exited;
  clearTimeout(timer);
}
