// frontail (the dev dependency, pinned) as a measured peer: the same files, loads and clients' checks as
// tailwatch's figures, in the same run (`npm run bench -- --peers`). frontail serves each line as one
// socket.io 2 `line` event; its client here is socket.io-client 2 over WebSocket, as a browser ends up, and
// feeds the same LineTracker (the seq is read back from the line's own text, which carries it).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import WebSocket from 'ws';
import io from 'socket.io-client';
import type { LineTracker, StalledClient, StreamClient } from './clients';
import { childPidsOf, cpuOf, statusField, type ServerProcess } from './server-process';
import { freePort } from '../test/helpers/free-port';

const FRONTAIL_MAIN = createRequire(import.meta.url).resolve('frontail/index.js');
export const FRONTAIL_VERSION = (createRequire(import.meta.url)('frontail/package.json') as { version: string }).version;
const START_TIMEOUT_MS = 15_000;

/** The socket.io namespace frontail serves its files on: md5 of the file arguments joined by spaces. */
function namespaceOf(files: readonly string[]): string {
  return '/' + createHash('md5').update(files.join(' ')).digest('hex');
}

export interface FrontailProcess extends ServerProcess {
  readonly namespace: string;
}

/** Starts `frontail -n 0 FILE` on 127.0.0.1 (usage statistics off) and waits until it answers. */
export async function startFrontail(file: string): Promise<FrontailProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [FRONTAIL_MAIN, '--host', '127.0.0.1', '--port', String(port), '--number', '0', '--disable-usage-stats', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    if (stderr.length < 64 * 1024) stderr += s;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`frontail exited (${child.exitCode}): ${stderr.trim()}`);
    const up = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`frontail did not answer within ${START_TIMEOUT_MS} ms: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid!;
  let stopping: Promise<string> | null = null;
  return {
    pid,
    port,
    token: '',
    base: `http://127.0.0.1:${port}`,
    authHeader: {},
    namespace: namespaceOf([file]),
    stderr: () => stderr,
    rss: () => statusField(pid, 'VmRSS'),
    peakRss: () => statusField(pid, 'VmHWM'),
    // Its `tail -F` child reads the file: its CPU is frontail's too.
    cpuSeconds: () => cpuOf(pid) + childPidsOf(pid).reduce((sum, child) => sum + cpuOf(child), 0),
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return String(child.exitCode ?? child.signalCode);
        // SIGKILL at once: frontail's own exit on SIGTERM first reports its usage statistics (off here, but it
        // still waits on them) and holds nothing worth flushing.
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
        return 'SIGKILL';
      })()),
  };
}

/** The seq a bench line carries: `L000000042 …` (fixedLine) or `T… #42 …` (timedLine). */
function seqOfLine(text: string): number {
  if (text.charCodeAt(0) === 76 /* L */) return Number(text.slice(1, 10));
  const hash = text.indexOf(' #');
  return hash === -1 ? NaN : Number(text.slice(hash + 2, text.indexOf(' ', hash + 2)));
}

/** A socket.io-client 2 connection to frontail's namespace; each `line` event goes to the tracker as a line. */
export function openFrontailClient(server: FrontailProcess, tracker: LineTracker): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const socket = io(server.base + server.namespace, { transports: ['websocket'], reconnection: false, forceNew: true });
    let endedWhy: string | null = null;
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('frontail: socket.io did not connect within 10 s'));
    }, 10_000);
    socket.on('line', (text: string) => {
      tracker.event('log', { source: 'frontail', lines: [{ seq: seqOfLine(text), ts: 0, text }] });
    });
    socket.on('disconnect', (why: string) => (endedWhy ??= `disconnected (${why})`));
    socket.on('connect_error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('connect', () => {
      clearTimeout(timer);
      // frontail sends its options when the namespace connects: the subscription exists now.
      resolve({ status: 101, hello: Promise.resolve(), endedWhy: () => endedWhy, close: () => socket.close() });
    });
  });
}

/**
 * A client that joins frontail's namespace over a raw socket.io WebSocket and then never reads: what frontail
 * sends piles up in the kernel buffers and then in frontail. (socket.io 2 pings every 25 s and drops a client
 * that does not answer within 5 s more: a stall longer than that ends on frontail's side.)
 */
export function openStalledFrontail(server: FrontailProcess): Promise<StalledClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=3&transport=websocket`, { perMessageDeflate: false });
    let serverClosed = false;
    ws.on('close', () => (serverClosed = true));
    ws.on('error', (err) => {
      serverClosed = true;
      reject(err);
    });
    ws.once('message', () => {
      // The engine.io open packet came: join the namespace (socket.io packet 0, CONNECT), then stop reading.
      ws.send(`40${server.namespace}`);
      const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
      setTimeout(() => {
        socket.pause();
        resolve({
          socket,
          open: () => !serverClosed,
          drain: (forMs) =>
            new Promise((done) => {
              let bytes = 0;
              socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
              socket.resume();
              setTimeout(() => done({ bytes, gaps: [], serverClosed }), forMs);
            }),
          close: () => ws.terminate(),
        });
      }, 200);
    });
  });
}
