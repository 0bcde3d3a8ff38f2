// Reading what agents published, back from Redis as a server would (XRANGE), and checking it line by line;
// and `tailwatch agent` as a user runs it (the built dist/cli.js in a child process).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@redis/client';
import type { LogLine, SourceEventData } from '../../protocol/events';
import { hostKeys, type LogsStreamEntry, type SourcePosition } from '../../protocol/host-streams';
import { waitFor } from './wait';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(root, 'dist', 'cli.js');

export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet']);
}

function makeClient(url: string) {
  return createClient({ url });
}
export type TestRedisClient = ReturnType<typeof makeClient>;

export async function redisClient(url: string): Promise<TestRedisClient> {
  const client = makeClient(url);
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export interface PublishedLogs {
  /** Every log line of each source, in stream order. */
  lines: Map<string, LogLine[]>;
  sourceEvents: SourceEventData[];
  /** Lines per `log` entry, in stream order. */
  entrySizes: number[];
}

/** The whole logs stream of a host. */
export async function readLogs(client: TestRedisClient, host: string): Promise<PublishedLogs> {
  const entries = await client.xRange(hostKeys(host).logs, '-', '+');
  const result: PublishedLogs = { lines: new Map(), sourceEvents: [], entrySizes: [] };
  for (const { message } of entries ?? []) {
    const entry = { t: message.t, d: JSON.parse(message.d!) } as LogsStreamEntry;
    if (entry.t === 'source') result.sourceEvents.push(entry.d);
    else {
      const list = result.lines.get(entry.d.source) ?? [];
      list.push(...entry.d.lines);
      result.lines.set(entry.d.source, list);
      result.entrySizes.push(entry.d.lines.length);
    }
  }
  return result;
}

export async function readPositions(client: TestRedisClient, host: string): Promise<Map<string, SourcePosition>> {
  const all = await client.hGetAll(hostKeys(host).positions);
  return new Map(Object.entries(all).map(([id, text]) => [id, JSON.parse(text) as SourcePosition]));
}

/**
 * What is wrong with a source's published lines against the texts written, in words, or null: seqs must be
 * first, first+1, … in order, each once, and line i must be texts[i].
 */
export function exactlyOnce(lines: LogLine[] | undefined, texts: string[], firstSeq = 1): string | null {
  const got = lines ?? [];
  if (got.length !== texts.length) {
    const seqs = got.map((l) => l.seq);
    const repeated = seqs.filter((s, i) => seqs.indexOf(s) !== i).slice(0, 5);
    return `${got.length} lines published, ${texts.length} written (repeated seqs: ${repeated.join(',') || 'none'})`;
  }
  for (let i = 0; i < got.length; i++) {
    if (got[i]!.seq !== firstSeq + i) return `line ${i} has seq ${got[i]!.seq}, ${firstSeq + i} expected`;
    if (got[i]!.text !== texts[i]) return `seq ${got[i]!.seq} is ${JSON.stringify(got[i]!.text)}, ${JSON.stringify(texts[i])} expected`;
  }
  return null;
}

/** Waits until a host's stream holds `count` lines of `source` (or more), and returns them all. */
export async function waitForLines(client: TestRedisClient, host: string, source: string, count: number, timeoutMs = 20_000): Promise<PublishedLogs> {
  let last: PublishedLogs | null = null;
  return waitFor(
    async () => {
      last = await readLogs(client, host);
      return (last.lines.get(source)?.length ?? 0) >= count ? last : null;
    },
    `${count} lines of ${source} in the stream of ${host}`,
    timeoutMs,
    () => last?.lines.get(source)?.length ?? 0,
  );
}

export interface AgentProcess {
  child: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<number | null>;
  /** SIGKILL, and resolves once it is gone. */
  kill(): Promise<void>;
}

/** Starts `tailwatch agent …` and waits for its `publishing to` line and the line saying what it follows. */
export async function startAgentProcess(args: string[]): Promise<AgentProcess> {
  const child = spawn(process.execPath, [CLI, 'agent', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitFor(() => child.exitCode !== null || /^(no log sources|following \d+ files?)/m.test(out), `the agent's start (stdout: ${out} stderr: ${err})`, 15_000);
  } catch (error) {
    // An agent that did not start in time is not left running behind the failed test.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw error;
  }
  if (child.exitCode !== null) throw new Error(`the agent exited ${child.exitCode}: ${err}`);
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
