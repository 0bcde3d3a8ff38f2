// A real redis-server for a test: on 127.0.0.1 at a free port, in its own temp directory (removed after), with
// no persistence unless asked (`appendonly`), stopped when the test ends. `kill()` and `restart()` let a test
// take Redis away (SIGKILL) and bring it back on the same port with what its append-only file kept.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { tempDir } from './temp-dir';
import { freePort } from './free-port';

export const REDIS_SERVER = process.env.TAILWATCH_REDIS_SERVER ?? 'redis-server';
const READY_TIMEOUT_MS = 10_000;

export interface RedisServerOptions {
  /** `appendonly yes` with `appendfsync always`: what Redis acknowledged survives a SIGKILL. */
  appendonly?: boolean;
  /** `requirepass` for the default user. */
  password?: string;
  /** Extra `--name value` arguments. */
  args?: string[];
}

export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:PORT` (with `:password@` when one is set). */
  readonly url: string;
  /** The directory Redis runs in (its append-only file is there). */
  readonly dir: string;
  /** SIGKILL: nothing is flushed beyond what `appendfsync` already wrote. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (after kill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function launch(port: number, dir: string, options: RedisServerOptions): Promise<ChildProcess> {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', options.appendonly ? 'yes' : 'no',
    ...(options.appendonly ? ['--appendfsync', 'always'] : []),
    ...(options.password === undefined ? [] : ['--requirepass', options.password]),
    '--daemonize', 'no',
    '--loglevel', 'warning',
    ...(options.args ?? []),
  ];
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start in ${READY_TIMEOUT_MS} ms: ${output}`)), READY_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    // With --loglevel warning nothing is printed on a good start: ready is when the port answers PING.
    const poll = async () => {
      while (child.exitCode === null) {
        if (await answersPing(port)) {
          clearTimeout(timer);
          return resolve(child);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited (${code}) before it was ready: ${output}`)));
    void poll();
  });
}

async function answersPing(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      // +PONG, or -NOAUTH when a password is set: either way it is up.
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('close', () => resolve(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH')));
    socket.on('error', () => resolve(false));
  });
}

/** Starts redis-server for this test; it is stopped and its directory removed when the test ends. */
export async function startRedis(t: TestContext | null, options: RedisServerOptions = {}): Promise<TestRedis> {
  const dir = await tempDir('tailwatch-redis-');
  const port = await freePort();
  let child: ChildProcess | null = await launch(port, dir.path, options);
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  const stopChild = async (signal: NodeJS.Signals) => {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill(signal);
    await exited;
  };
  const redis: TestRedis = {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    dir: dir.path,
    kill: () => stopChild('SIGKILL'),
    async restart() {
      await stopChild('SIGKILL');
      child = await launch(port, dir.path, options);
    },
    async stop() {
      await stopChild('SIGTERM');
      await dir.remove();
    },
  };
  t?.after(() => redis.stop());
  return redis;
}
