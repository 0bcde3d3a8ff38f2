// What the server families fuzz: a tailwatch started in this process (startTailwatch, so an exception in
// it is recorded with its stack) or the real CLI in a child process (so a crash is seen as an exit).
// Both follow a fresh temp directory and answer the same questions: clients, memory, still alive.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startTailwatch, type RunningTailwatch } from '../../main/app/start-tailwatch';
import type { TailwatchConfig } from '../../main/app/options';
import type { WireEvent } from '../../protocol/events';
import { tempDir } from '../helpers/temp-dir';
import { collectGarbage, eventually, MiB, Violation, withTimeout, type MemoryReading } from './harness';

export const FUZZ_TOKEN = 'fuzz-token-0123456789abcdef';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Heap of this process (after a full GC) may grow this much over a family with an in-process server. */
const IN_PROCESS_HEAP_GROWTH_BOUND = 128 * MiB;
/** The CLI child's resident memory after a family. */
const CLI_RSS_BOUND = 400 * MiB;
/** How long a good client may take to get its hello and a fresh line. */
const GOOD_CLIENT_MS = 15_000;

export interface Target {
  readonly kind: 'in-process' | 'cli';
  readonly port: number;
  readonly token: string;
  /** The --dir it follows. */
  readonly dir: string;
  /** `127.0.0.1:PORT`, its own Host. */
  readonly host: string;
  /** Its epoch (from /api/health). */
  readonly epoch: string;
  /** The in-process server, for what only it can tell. */
  readonly tw: RunningTailwatch | null;
  append(file: string, data: string | Uint8Array): Promise<void>;
  /** Open SSE and WebSocket streams. */
  clientsConnected(): Promise<number>;
  /** Null while it runs; how it ended otherwise. */
  exited(): string | null;
  memory(): Promise<MemoryReading[]>;
  close(): Promise<void>;
}

/** Throws a Violation when the target has exited. */
export function expectAlive(target: Target): void {
  const how = target.exited();
  if (how !== null) throw new Violation('process exit', how);
}

/** A server following a new temp folder, or the `dir` given (its first one: the caller's to remove). */
export async function startInProcess(options: Partial<TailwatchConfig> = {}): Promise<Target> {
  const dir = options.dir?.[0] !== undefined ? { path: options.dir[0], remove: async () => undefined } : await tempDir('tailwatch-fuzz-');
  collectGarbage();
  const heapAtStart = process.memoryUsage().heapUsed;
  const tw = await startTailwatch({ port: 0, token: FUZZ_TOKEN, dir: [dir.path], ...options }, { logger: { warn: () => undefined } });
  const epoch = await healthEpoch(tw.port);
  return {
    kind: 'in-process',
    port: tw.port,
    token: FUZZ_TOKEN,
    dir: dir.path,
    host: `127.0.0.1:${tw.port}`,
    epoch,
    tw,
    append: (file, data) => appendFile(join(dir.path, file), data),
    // The counter and the list must agree; the larger one is the truth for a leak (long-polls stay listed a while).
    clientsConnected: async () => Math.max(tw.stats.clientsConnected, tw.clients().filter((c) => c.kind !== 'poll').length),
    exited: () => null,
    async memory() {
      collectGarbage();
      const heapGrowth = process.memoryUsage().heapUsed - heapAtStart;
      return [{ what: 'heap growth of the process running the server (after GC)', bytes: heapGrowth, bound: IN_PROCESS_HEAP_GROWTH_BOUND }];
    },
    async close() {
      await tw.close();
      await dir.remove();
    },
  };
}

/** `node dist/cli.js serve --port 0 --token … --dir …` (dist/ must be built: the runners build it). */
export async function startCli(extraArgs: string[] = []): Promise<Target> {
  const dir = await tempDir('tailwatch-fuzz-cli-');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--max-semi-space-size=4', join(ROOT, 'dist', 'cli.js'), 'serve', '--port', '0', '--token', FUZZ_TOKEN, '--dir', dir.path, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let exit: string | null = null;
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout = (stdout + c).slice(-8192)));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-65536)));
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = `the CLI exited (code ${code}, signal ${signal}); stderr: ${stderrGist(stderr)}`;
      resolve();
    }),
  );
  const port = await withTimeout(
    (async () => {
      for (;;) {
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout);
        if (m) return Number(m[1]);
        if (exit) throw new Error(exit);
        await new Promise((r) => setTimeout(r, 20));
      }
    })(),
    20_000,
    'the CLI to print its URL',
  );
  const epoch = await healthEpoch(port);
  const metric = async (name: string): Promise<number> => {
    let text: string;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${FUZZ_TOKEN}` } });
      text = await res.text();
    } catch (err) {
      // Refused: the process may be dying. Its exit, with its stderr, is the finding then.
      await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
      if (exit !== null) throw new Violation('process exit', exit);
      throw err;
    }
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    if (!m) throw new Error(`no ${name} in /metrics`);
    return Number(m[1]);
  };
  return {
    kind: 'cli',
    port,
    token: FUZZ_TOKEN,
    dir: dir.path,
    host: `127.0.0.1:${port}`,
    epoch,
    tw: null,
    append: (file, data) => appendFile(join(dir.path, file), data),
    clientsConnected: () => metric('tailwatch_clients_connected'),
    exited: () => exit,
    async memory() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      return [{ what: 'resident memory of the CLI process', bytes: kb * 1024, bound: CLI_RSS_BOUND }];
    },
    async close() {
      if (exit === null) {
        child.kill('SIGTERM');
        // The contract: SIGTERM stops it cleanly within 2 s, exit code 0.
        const inTime = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
        if (!inTime) child.kill('SIGKILL');
        await exited;
        await dir.remove();
        if (!inTime) throw new Violation('shutdown', 'the CLI did not stop within 3 s of SIGTERM');
        if (child.exitCode !== 0) throw new Violation('shutdown', `the CLI exited with ${child.exitCode} on SIGTERM: ${exit}`);
        return;
      }
      await dir.remove();
    },
  };
}

/** The error line of a crash's stderr (a stack overflow's trace is thousands of lines) and where it came from. */
function stderrGist(stderr: string): string {
  const lines = stderr.trim().split('\n');
  const at = lines.findIndex((l) => /\b\w*Error\b|tailwatch:/.test(l));
  const gist = at < 0 ? lines.slice(-6) : lines.slice(at, at + 6);
  return [...new Set(gist)].join('\n    ');
}

async function healthEpoch(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/health`);
  const body = (await res.json()) as { epoch: string };
  return body.epoch;
}

let healthLine = 0;

/**
 * The oracle after each round: a real WebSocket client gets its hello and a line appended now, and once it
 * has closed the target holds no stream but the `kept` ones the family keeps open.
 */
export async function checkServesGoodClient(target: Target, kept = 0): Promise<void> {
  expectAlive(target);
  const text = `health ${process.pid} ${++healthLine} ${Date.now()}`;
  const ws = new WebSocket(`ws://${target.host}/api/ws`, { headers: { Authorization: `Bearer ${target.token}` } });
  ws.on('error', () => undefined);
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        let hello = false;
        ws.on('open', () => {
          ws.send(JSON.stringify({ type: 'subscribe', topics: ['logs'], backfill: 0 }));
        });
        ws.on('message', (data) => {
          const event = JSON.parse(data.toString()) as WireEvent;
          if (event.type === 'hello' && !hello) {
            hello = true;
            void target.append('health.log', `${text}\n`);
          }
          if (event.type === 'log' && event.lines.some((l) => l.text === text)) resolve();
        });
        ws.on('close', (code) => reject(new Violation('good client', `closed with ${code} before its line arrived`)));
        ws.on('unexpected-response', (_req, res) => reject(new Violation('good client', `upgrade refused with ${res.statusCode}`)));
      }),
      GOOD_CLIENT_MS,
      'a good WebSocket client to get hello and a fresh log line',
    );
  } catch (err) {
    expectAlive(target);
    throw err;
  } finally {
    ws.terminate();
  }
  await expectNoClients(target, kept);
}

/**
 * Every stream the fuzz opened is gone from the server's count (closing is asynchronous: wait a little),
 * but the `kept` ones a family holds open on purpose.
 */
export async function expectNoClients(target: Target, kept = 0, ms = 5000): Promise<void> {
  let last = -1;
  await eventually(
    async () => (last = await target.clientsConnected()) === kept,
    ms,
    'client leak',
    () => `the server counts ${last} open streams, ${kept} should be left once the fuzz's clients closed`,
  );
}
