// The latency figure's writer, in a worker thread: as a logging process is another process, its writes and their
// pacing do not take turns with the client's parsing on the bench's event loop. A line is stamped and written in
// one synchronous write(2), as a logger writes it. (The bench wrote before with an async write from the client's
// own loop: a thread-pool trip between stamp and write, and a completion run on the loop the client reads on.
// That added 0.6–0.9 ms to tailwatch's p50 and 0.2–0.3 ms to frontail's; `--latency-writer loop` still measures so.)
import { closeSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { timedLine } from './log-lines';
import { hrNow, sleep } from './util';

/** What the writer is asked to do: lines `first`.. written at `targets` (ms after it starts on them), or a batch now. */
export type WriterRequest = { kind: 'paced'; first: number; targets: number[] } | { kind: 'spaced'; first: number; count: number; gapMs: number };

/** Calls `write(i)` for i = 0..count-1, `gapMs` apart. */
export async function writeSpaced(count: number, gapMs: number, write: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < count; i++) {
    await write(i);
    await sleep(gapMs);
  }
}

/** Calls `write(i)` at each target (ms from now), on absolute targets so a slow write does not shift every later one; resolves with the seconds it took. */
export async function writePaced(targets: readonly number[], write: (i: number) => unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < targets.length; i++) {
    const wait = start + targets[i]! - performance.now();
    if (wait > 0) await sleep(wait);
    await write(i);
  }
  return (performance.now() - start) / 1000;
}

function writeLine(fd: number, seq: number): void {
  const line = Buffer.from(timedLine(seq, hrNow()) + '\n');
  for (let off = 0; off < line.length; ) off += writeSync(fd, line, off, line.length - off);
}

function serve(path: string): void {
  const fd = openSync(path, 'a');
  parentPort!.on('message', (request: WriterRequest | 'close') => {
    if (request === 'close') {
      closeSync(fd);
      parentPort!.close();
      return;
    }
    const done =
      request.kind === 'spaced'
        ? writeSpaced(request.count, request.gapMs, (i) => writeLine(fd, request.first + i)).then(() => 0)
        : writePaced(request.targets, (i) => writeLine(fd, request.first + i));
    void done.then((seconds) => parentPort!.postMessage(seconds));
  });
}

if (parentPort && workerData?.latencyWriterPath) serve(workerData.latencyWriterPath as string);
