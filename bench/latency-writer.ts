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

function write(fd: number, seq: number): void {
  const line = Buffer.from(timedLine(seq, hrNow()) + '\n');
  for (let off = 0; off < line.length; ) off += writeSync(fd, line, off, line.length - off);
}

async function serve(path: string): Promise<void> {
  const fd = openSync(path, 'a');
  parentPort!.on('message', (request: WriterRequest | 'close') => {
    void (async () => {
      if (request === 'close') {
        closeSync(fd);
        parentPort!.close();
        return;
      }
      const start = performance.now();
      if (request.kind === 'spaced') {
        for (let i = 0; i < request.count; i++) {
          write(fd, request.first + i);
          await sleep(request.gapMs);
        }
      } else {
        // On absolute targets, so a slow write does not shift every later one.
        for (let i = 0; i < request.targets.length; i++) {
          const wait = start + request.targets[i]! - performance.now();
          if (wait > 0) await sleep(wait);
          write(fd, request.first + i);
        }
      }
      parentPort!.postMessage((performance.now() - start) / 1000);
    })();
  });
}

if (parentPort && workerData?.latencyWriterPath) void serve(workerData.latencyWriterPath as string);
