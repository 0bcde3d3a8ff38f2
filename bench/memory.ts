// Figure 3: the server's RSS while 1,000,000 lines pass by one stalled client (connected, never reads)
// and one healthy SSE client (which shows the lines do pass). The stalled client is not disconnected
// (--client-stall-ms 600000): this measures what the server keeps for it, not how fast it gives up.
import { LineTracker, openStalledSse } from './clients';
import { openStalledFrontail, type FrontailProcess } from './frontail';
import { openClient, peerOf, type Transport } from './throughput';
import { buildChunks, FIXED_LINES, fixedLine, openAppender } from './log-lines';
import { withBed } from './run-context';
import { hrNow, sleep, waitUntil } from './util';

export interface MemoryOptions {
  lines?: number;
  /** Without the stalled client: the control run, to tell its cost from the burst's own. */
  stalled?: boolean;
  /** More server options (diagnostics, e.g. a smaller ring). */
  serverArgs?: string[];
  /** The healthy client's transport (default SSE); `frontail` measures frontail with its own clients. */
  healthy?: Transport;
}

export interface MemoryResult {
  label: string;
  lines: number;
  stalled: boolean;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  /** The kernel's high-water mark (VmHWM) at the end: a peak no 100 ms sampler can miss. */
  hwmAfter: number;
  hwmBefore: number;
  growth: number;
  samples: number;
  healthyReceived: number;
  healthyMissing: number;
  healthyGapMissed: number;
  healthyRepeated: number;
  healthyBadText: number;
  healthyComplete: boolean;
  /** Writes paused because the healthy client was too far behind, and how long in all. */
  flowWaits: number;
  elapsedS: number;
  linesPerSec: number;
  serverCpuS: number;
  stalledStillOpen: boolean;
  /** What the stalled client found when it finally read (after the measurement). */
  stalledDrainBytes: number;
  /** The `gap` events it got (their data), in order. */
  stalledGaps: string[];
  stalledClosedByServer: boolean;
}

const WARMUP_LINES = 20_000;
const LINES_PER_WRITE = 10_000;
/** The writer stays at most this many lines ahead of the healthy client (it is a log, not a flood test). */
const MAX_AHEAD = 200_000;
const SAMPLE_MS = 100;

export async function runMemory(label: string, options: MemoryOptions = {}): Promise<MemoryResult> {
  const lines = options.lines ?? 1_000_000;
  const withStalled = options.stalled ?? true;
  const transport = options.healthy ?? 'SSE';
  const peer = peerOf(transport);
  return withBed('memory', { peer, args: ['--client-stall-ms', '600000', ...(options.serverArgs ?? [])] }, async ({ server, file }) => {
    const tracker = new LineTracker(FIXED_LINES);
    const healthy = await openClient(transport, server, tracker);
    const stalled = !withStalled
      ? null
      : peer === 'frontail'
        ? await openStalledFrontail(server as FrontailProcess)
        : await openStalledSse(server.port, server.token, '/api/events?topics=logs');
    const out = await openAppender(file);
    let sampler: NodeJS.Timeout | null = null;
    try {
      await Promise.race([healthy.hello, sleep(5000)]);
      // Warm-up: code paths hot, read buffers and ring allocated, the stalled socket's buffers full.
      for (const chunk of buildChunks(1, WARMUP_LINES, LINES_PER_WRITE, fixedLine)) await out.write(chunk);
      await waitUntil(() => tracker.highestSeq >= WARMUP_LINES, 20_000);
      await sleep(1000);
      const rssBefore = server.rss();
      const hwmBefore = server.peakRss();

      let rssPeak = rssBefore;
      let samples = 0;
      sampler = setInterval(() => {
        const rss = server.rss();
        samples++;
        if (rss > rssPeak) rssPeak = rss;
      }, SAMPLE_MS);

      const total = WARMUP_LINES + lines;
      const cpu0 = server.cpuSeconds();
      const t0 = hrNow();
      let flowWaits = 0;
      for (let first = WARMUP_LINES + 1; first <= total; first += LINES_PER_WRITE) {
        const count = Math.min(LINES_PER_WRITE, total - first + 1);
        if (first - 1 - tracker.highestSeq > MAX_AHEAD) {
          flowWaits++;
          // Bounded: a client that stops receiving must not stop the run.
          await waitUntil(() => first - 1 - tracker.highestSeq <= MAX_AHEAD / 2, 10_000);
        }
        // Built chunk by chunk: 100 MB of lines need not sit in this process at once.
        await out.write(buildChunks(first, count, count, fixedLine)[0]!);
      }
      const healthyComplete = await waitUntil(() => tracker.highestSeq >= total, 60_000);
      const elapsedS = ((tracker.lastAt || hrNow()) - t0) / 1000;
      const serverCpuS = server.cpuSeconds() - cpu0;
      // Let the server settle (timers, GC) before "after".
      await sleep(1500);
      clearInterval(sampler);
      sampler = null;
      const rssAfter = server.rss();
      rssPeak = Math.max(rssPeak, rssAfter);
      const hwmAfter = server.peakRss();

      const stalledStillOpen = stalled?.open() ?? false;
      // Now let the stalled client read: what the server held for it, and whether it is told what it missed.
      const drained = stalled ? await stalled.drain(2000) : { bytes: 0, gaps: [], serverClosed: false };
      return {
        label,
        lines,
        stalled: withStalled,
        rssBefore,
        rssPeak,
        rssAfter,
        hwmBefore,
        hwmAfter,
        growth: rssPeak - rssBefore,
        samples,
        healthyReceived: tracker.received - WARMUP_LINES,
        healthyMissing: tracker.missing + Math.max(0, total - tracker.highestSeq),
        healthyGapMissed: tracker.gapMissed,
        healthyRepeated: tracker.repeated,
        healthyBadText: tracker.badText,
        healthyComplete,
        flowWaits,
        elapsedS,
        linesPerSec: (tracker.highestSeq - WARMUP_LINES) / elapsedS,
        serverCpuS,
        stalledStillOpen,
        stalledDrainBytes: drained.bytes,
        stalledGaps: drained.gaps,
        stalledClosedByServer: drained.serverClosed,
      };
    } finally {
      if (sampler) clearInterval(sampler);
      await out.close();
      healthy.close();
      stalled?.close();
    }
  });
}
