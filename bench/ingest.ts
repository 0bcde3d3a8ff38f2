// Tailer figure 1: one --file, followed from empty; 1,000,000 timestamped ~100-byte lines appended in 1 MB
// writes after start, timed until the event hub has published the last one. Every line is checked between
// the sources and the hub (seq one by one, and the seq written in its text).
// The writer is a worker thread, as a logging process would be another process: it does not take turns with
// the tailer on the event loop. Its CPU still counts in process.cpuUsage(), so the same writes to a file
// nobody follows are timed too, to tell that part.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildChunks, seqOfStampedLine, stampedLine, stampedTime } from './log-lines';
import { createTailer, SinkCheck } from './tailer-bed';
import { gcWindow, hrNow, makeTempDir, profileWindow, sleep, waitUntil } from './util';

export interface IngestResult {
  lines: number;
  bytes: number;
  complete: boolean;
  /** Lines in the hub's log events (hub.linesPublished). */
  published: number;
  /** The same, counted from the events in the ring as they came (hub.onEvents). */
  ringLines: number;
  logEvents: number;
  /** What the sink got, checked line by line. */
  sinkLines: number;
  missing: number;
  repeated: number;
  badText: number;
  firstBadText: string | null;
  /** Lines whose `ts` is the time written in them (the tailer parsed it) rather than the time they were read. */
  tsFromText: number;
  /** First write → the hub has the last line (or the last line reached, on timeout). */
  elapsedMs: number;
  /** First write → last write returned. */
  writeMs: number;
  linesPerSec: number;
  mbPerSec: number;
  /** Process user+sys CPU over `elapsedMs`. */
  cpuS: number;
  /** Garbage-collection pauses in the same window (this process: they stop the tailer), ms and count. */
  gcMs: number;
  gcCount: number;
  /** The same writes to a file nobody follows: time and process CPU. */
  writeAloneMs: number;
  writeAloneCpuS: number;
  warnings: string[];
}

/** About 1 MB per write, like a busy logger's buffered output. */
const LINES_PER_WRITE = 10_000;
const DELIVERY_TIMEOUT_MS = 40_000;

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

/** Appends `chunks` to `path` with one write(2) each (O_APPEND), then reports how long that took. */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, writeSync } = require('node:fs');
parentPort.once('message', () => {
  const t0 = performance.now();
  const fd = openSync(workerData.path, 'a');
  try {
    for (const chunk of workerData.chunks) {
      for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
    }
  } finally {
    closeSync(fd);
  }
  parentPort.postMessage(performance.now() - t0);
});
`;

interface Writer {
  /** Starts the writes; resolves with their duration in ms. */
  go(): Promise<number>;
}

/** A writer thread, ready before any clock starts (its copy of the chunks made, its code compiled). */
async function startWriter(path: string, chunks: readonly Buffer[]): Promise<Writer> {
  const worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { path, chunks } });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', resolve);
    worker.once('error', reject);
  });
  return {
    go: () =>
      new Promise<number>((resolve, reject) => {
        worker.once('message', (ms: number) => void worker.terminate().then(() => resolve(ms), reject));
        worker.once('error', reject);
        worker.postMessage('go');
      }),
  };
}

export async function runIngest(lines = 1_000_000): Promise<IngestResult> {
  // Built before any clock starts: the figure times the tailer, not the line generator.
  const chunks = buildChunks(1, lines, LINES_PER_WRITE, stampedLine);
  const bytes = chunks.reduce((n, c) => n + c.length, 0);
  const dir = await makeTempDir('ingest');
  try {
    const aloneWriter = await startWriter(join(dir.path, 'unfollowed.log'), chunks);
    const aloneCpu = process.cpuUsage();
    const writeAloneMs = await aloneWriter.go();
    const writeAloneCpuS = cpuSecondsSince(aloneCpu);

    const file = join(dir.path, 'app.log');
    // There before start and empty: followed from byte 0, so line n of the file gets seq n.
    await writeFile(file, '');
    const check = new SinkCheck({ seqOfText: seqOfStampedLine, timeOfSeq: stampedTime });
    // The lines as JSON, ~1.6 bytes a byte read (keys, seq, time, level), kept until checked after the window.
    check.reserveEncoded(2 * bytes);
    const tailer = createTailer({ file: [file] }, check);
    let ringLines = 0;
    let logEvents = 0;
    let seenN = 0;
    let doneAt = 0;
    let doneCpuS = 0;
    let doneGc = { ms: 0, count: 0 };
    let stopGc: (() => { ms: number; count: number }) | null = null;
    let t0 = 0;
    let cpu0: NodeJS.CpuUsage | null = null;
    const unsubscribe = tailer.hub.onEvents(() => {
      const ring = tailer.hub.ring;
      for (let n = Math.max(seenN + 1, ring.oldestN); n <= ring.headN; n++) {
        const event = ring.get(n)!;
        if (event.type !== 'log') continue;
        logEvents++;
        ringLines += event.lines;
      }
      seenN = ring.headN;
      if (!doneAt && cpu0 && tailer.published() >= lines) {
        doneAt = hrNow();
        doneCpuS = cpuSecondsSince(cpu0);
        doneGc = stopGc?.() ?? doneGc;
      }
    });
    try {
      await tailer.sources.start();
      const writer = await startWriter(file, chunks);
      const stopProfile = await profileWindow();
      stopGc = await gcWindow();
      cpu0 = process.cpuUsage();
      t0 = hrNow();
      const writeMs = await writer.go();
      const complete = await waitUntil(() => doneAt !== 0, DELIVERY_TIMEOUT_MS, 2);
      const elapsedMs = (doneAt || hrNow()) - t0;
      const cpuS = complete ? doneCpuS : cpuSecondsSince(cpu0);
      await stopProfile();
      // A moment more, so that a line handed on twice after the last one would still be counted.
      await sleep(300);
      return {
        lines,
        bytes,
        complete,
        published: tailer.published(),
        ringLines,
        logEvents,
        sinkLines: check.lines,
        missing: check.sum('missing') + Math.max(0, lines - check.lines - check.sum('missing')),
        repeated: check.sum('repeated'),
        badText: check.sum('badText'),
        firstBadText: check.firstBadText(),
        tsFromText: check.sum('tsFromText'),
        elapsedMs,
        writeMs,
        linesPerSec: Math.min(lines, tailer.published()) / (elapsedMs / 1000),
        mbPerSec: (bytes * Math.min(1, tailer.published() / lines)) / 1e6 / (elapsedMs / 1000),
        cpuS,
        writeAloneMs,
        writeAloneCpuS,
        gcMs: doneGc.ms,
        gcCount: doneGc.count,
        warnings: check.warnings,
      };
    } finally {
      unsubscribe();
      await tailer.close();
    }
  } finally {
    await dir.remove();
  }
}
