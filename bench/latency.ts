// Figure 2: append → receive latency at a steady 20 lines/s. Each line carries its write time (stamped by the
// writer thread, latency-writer.ts); the client (same process, same clock) subtracts it from the time the line's
// event was parsed.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LineTracker } from './clients';
import { writePaced, writeSpaced, type WriterRequest } from './latency-writer';
import { openAppender, timedLine, timeOfLine } from './log-lines';
import { withBed } from './run-context';
import { openClient, peerOf, type Transport } from './throughput';
import { hrNow, percentile, sleep, waitUntil } from './util';

/**
 * `steady`: one line every 1/rate s (the figure). `pairs`: two lines 10 ms apart, then quiet until the
 * next pair: how a log often really looks (a request line and its response line), and what a file
 * watcher that merges or drops close events does to the second line.
 */
export type Pattern = 'steady' | 'pairs';

export interface LatencyResult {
  transport: Transport;
  pattern: Pattern;
  writer: LatencyWriterKind;
  /** The lines written second in their pair (`pairs` only): their own p50/max. */
  second?: { p50: number; p99: number; max: number; over100ms: number };
  sent: number;
  received: number;
  missing: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Which paced line (1 = first) had the max: the last one waiting for a later wake-up says why. */
  maxAt: number;
  min: number;
  mean: number;
  /** Every latency, in ms, in arrival order. */
  samples: number[];
  /** Wall time of the paced phase. */
  durationS: number;
}

/** Lines written (and awaited) before measuring: JIT, file handle, watcher and socket all warm. */
const WARMUP_LINES = 20;

/** In `pairs`: the second line follows the first after this long. */
const PAIR_GAP_MS = 10;

/**
 * Who writes the lines: `thread`, a worker thread with synchronous writes (see latency-writer.ts, the default);
 * `loop`, async writes from the bench's own event loop, which the client shares (how it was measured before).
 */
export type LatencyWriterKind = 'thread' | 'loop';

interface LatencyWriter {
  /** Lines `first`.. one after another, `gapMs` apart. */
  spaced(first: number, count: number, gapMs: number): Promise<void>;
  /** Lines `first`.. each at its target (ms from now); resolves with the seconds it took. */
  paced(first: number, targets: number[]): Promise<number>;
  close(): Promise<void>;
}

async function threadWriter(path: string): Promise<LatencyWriter> {
  // A worker does not get the bench's TypeScript loader (`--import tsx`) on Node 20: it registers tsx's own.
  const entry = fileURLToPath(new URL('./latency-writer.ts', import.meta.url));
  const worker = new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { eval: true, workerData: { latencyWriterPath: path } });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', resolve);
    worker.once('error', reject);
  });
  const ask = (request: WriterRequest) =>
    new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(request);
    });
  return {
    spaced: async (first, count, gapMs) => void (await ask({ kind: 'spaced', first, count, gapMs })),
    paced: (first, targets) => ask({ kind: 'paced', first, targets }),
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

async function loopWriter(path: string): Promise<LatencyWriter> {
  const out = await openAppender(path);
  return {
    spaced: (first, count, gapMs) => writeSpaced(count, gapMs, (i) => out.write(timedLine(first + i, hrNow()) + '\n')),
    paced: (first, targets) => writePaced(targets, (i) => out.write(timedLine(first + i, hrNow()) + '\n')),
    close: () => out.close(),
  };
}

export async function runLatency(transport: Transport, pattern: Pattern = 'steady', count = 200, ratePerS = 20, writerKind: LatencyWriterKind = 'thread'): Promise<LatencyResult> {
  return withBed(`latency-${transport.toLowerCase()}`, { peer: peerOf(transport) }, async ({ server, file }) => {
    const samples: number[] = [];
    const seconds: number[] = [];
    let maxAt = 0;
    let maxSeen = -Infinity;
    const tracker = new LineTracker(null, (seq, text, at) => {
      if (seq <= WARMUP_LINES) return;
      const written = timeOfLine(text);
      if (!Number.isFinite(written)) return;
      samples.push(at - written);
      if (at - written > maxSeen) {
        maxSeen = at - written;
        maxAt = seq - WARMUP_LINES;
      }
      // Seqs after the warm-up alternate first, second within a pair.
      if (pattern === 'pairs' && (seq - WARMUP_LINES) % 2 === 0) seconds.push(at - written);
    });
    const client = await openClient(transport, server, tracker);
    const out = writerKind === 'thread' ? await threadWriter(file) : await loopWriter(file);
    try {
      await Promise.race([client.hello, sleep(5000)]);
      await out.spaced(1, WARMUP_LINES, 10);
      await waitUntil(() => tracker.highestSeq >= WARMUP_LINES, 5000);
      await sleep(200);

      // In `pairs`, the same number of lines per second, in pairs.
      const interval = pattern === 'steady' ? 1000 / ratePerS : 2000 / ratePerS;
      const targets = Array.from({ length: count }, (_, i) => (pattern === 'steady' ? i * interval : Math.floor(i / 2) * interval + (i % 2) * PAIR_GAP_MS));
      const durationS = await out.paced(WARMUP_LINES + 1, targets);
      await waitUntil(() => tracker.highestSeq >= WARMUP_LINES + count, 3000);
      const sorted = [...samples].sort((a, b) => a - b);
      const sortedSeconds = [...seconds].sort((a, b) => a - b);
      return {
        transport,
        pattern,
        writer: writerKind,
        ...(pattern === 'pairs'
          ? {
              second: {
                p50: percentile(sortedSeconds, 50),
                p99: percentile(sortedSeconds, 99),
                max: sortedSeconds.length ? sortedSeconds[sortedSeconds.length - 1]! : NaN,
                over100ms: seconds.filter((ms) => ms > 100).length,
              },
            }
          : {}),
        sent: count,
        samples,
        received: samples.length,
        missing: count - samples.length,
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        max: sorted.length ? sorted[sorted.length - 1]! : NaN,
        maxAt,
        min: sorted.length ? sorted[0]! : NaN,
        mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN,
        durationS,
      };
    } finally {
      await out.close();
      client.close();
    }
  });
}
