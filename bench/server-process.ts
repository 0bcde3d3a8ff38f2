// The server under test as a separate child process (the bundled `dist/cli.js`), so that its memory can
// be read from /proc/<pid>/status and its CPU time is not mixed with the clients' in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI_PATH = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 4_000;
/** USER_HZ: /proc/<pid>/stat counts CPU time in clock ticks, 100 per second on Linux. */
const CLOCK_TICKS_PER_S = 100;
/**
 * More Node options for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it under a figure
 * (NODE_OPTIONS refuses --cpu-prof). With them the server runs as `node <the shebang's flags> <these> cli.js`.
 */
const SERVER_NODE_ARGS_ENV = 'TAILWATCH_BENCH_SERVER_NODE_ARGS';

export interface ServerOptions {
  dir: string;
  /** More `serve` options, e.g. ['--gzip', 'on']. */
  args?: string[];
}

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly token: string;
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly base: string;
  readonly authHeader: Record<string, string>;
  /** Everything the server wrote to stderr (warnings), for the report. */
  readonly stderr: () => string;
  /** Resident set size now, in bytes (VmRSS); NaN once the process is gone. */
  rss(): number;
  /** Peak resident set size of the process so far, in bytes (VmHWM, kept by the kernel). */
  peakRss(): number;
  /** User + system CPU seconds the server has used so far. */
  cpuSeconds(): number;
  /** SIGTERM, then SIGKILL if it has not exited in time. Resolves with the exit code (or signal). */
  stop(): Promise<string>;
}

export class ServerStartError extends Error {}

/** A `/proc/<pid>/status` field in bytes (VmRSS, VmHWM), or NaN once the process is gone. */
export function statusField(pid: number, field: string): number {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** User + system CPU seconds of one process so far; NaN once it is gone. */
export function cpuOf(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after the closing paren are fixed.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return (utime + stime) / CLOCK_TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/** The direct children of a process (Linux: /proc/<pid>/task/<tid>/children). */
export function childPidsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function exited(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null) return Promise.resolve(String(child.exitCode));
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code !== null ? String(code) : String(signal))));
}

/** The Node flags of the bin's `#!/usr/bin/env -S node …` line. */
function shebangNodeArgs(): string[] {
  const first = readFileSync(CLI_PATH, 'utf8').slice(0, 200).split('\n')[0]!;
  return first.split(' ').filter((word) => word.startsWith('--'));
}

/** Starts `dist/cli.js serve --port 0 --dir DIR --token T --backfill 0 …` and waits for its `listening on` line. */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  // The bin itself, as `tailwatch serve` runs it: its shebang carries the Node flags the product ships with.
  const args = [
    'serve',
    '--port', '0',
    '--host', '127.0.0.1',
    '--dir', options.dir,
    '--token', BENCH_TOKEN,
    '--backfill', '0',
    ...(options.args ?? []),
  ];
  const nodeArgs = process.env[SERVER_NODE_ARGS_ENV]?.split(' ').filter(Boolean) ?? [];
  const child = nodeArgs.length
    ? spawn(process.execPath, [...shebangNodeArgs(), ...nodeArgs, CLI_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(CLI_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    // Bounded: a server that floods stderr must not grow this process.
    if (stderr.length < 64 * 1024) stderr += s;
  });
  child.stdout!.setEncoding('utf8');

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ServerStartError(`no "listening on" line within ${START_TIMEOUT_MS} ms; stdout: ${stdout.trim()} stderr: ${stderr.trim()}`));
    }, START_TIMEOUT_MS);
    const onData = (s: string) => {
      if (stdout.length < 64 * 1024) stdout += s;
      const m = /listening on http:\/\/[^/\s]+:(\d+)\//.exec(stdout);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        // Keep draining stdout so the server never blocks on a full pipe.
        child.stdout!.resume();
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new ServerStartError(`cannot start ${CLI_PATH}: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new ServerStartError(`server exited before listening (code ${code}, signal ${signal}); stderr: ${stderr.trim()}`));
    });
  });

  const pid = child.pid!;
  let stopping: Promise<string> | null = null;
  return {
    pid,
    port,
    token: BENCH_TOKEN,
    base: `http://127.0.0.1:${port}`,
    authHeader: { Authorization: `Bearer ${BENCH_TOKEN}` },
    stderr: () => stderr,
    rss: () => statusField(pid, 'VmRSS'),
    peakRss: () => statusField(pid, 'VmHWM'),
    cpuSeconds: () => cpuOf(pid),
    stop: () =>
      (stopping ??= (async () => {
        const done = exited(child);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const how = await done;
        clearTimeout(timer);
        return how;
      })()),
  };
}
