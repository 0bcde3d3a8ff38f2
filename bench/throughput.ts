// Figure 1: a burst of 300,000 lines of 100 bytes appended as fast as possible, to one SSE or one
// WebSocket client. Timed from the first write until the client has the last line; every line is
// checked (seq one by one, text as written).
import { LineTracker, openSseHttp, openWsClient, type LineCounts, type StreamClient } from './clients';
import { openFrontailClient, type FrontailProcess } from './frontail';
import { buildChunks, FIXED_LINES, fixedLine, openAppender } from './log-lines';
import { withBed, type Peer } from './run-context';
import type { ServerProcess } from './server-process';
import { hrNow, sleep, waitUntil } from './util';

/** tailwatch's two streams, or frontail's socket.io (`--peers`). */
export type Transport = 'SSE' | 'WebSocket' | 'frontail';

export interface ThroughputResult extends LineCounts {
  transport: Transport;
  lines: number;
  logEvents: number;
  complete: boolean;
  /** First write → last line received (or the last line reached, on timeout). */
  elapsedMs: number;
  /** First write → last write returned. */
  writeMs: number;
  linesPerSec: number;
  serverCpuS: number;
  benchCpuS: number;
  serverPeakRss: number;
  endedWhy: string | null;
}

/** 10,000 lines per write: 1 MB, as large as the server's own read chunk. */
const LINES_PER_WRITE = 10_000;
const DELIVERY_TIMEOUT_MS = 60_000;

export async function openClient(transport: Transport, server: ServerProcess, tracker: LineTracker): Promise<StreamClient> {
  if (transport === 'frontail') return openFrontailClient(server as FrontailProcess, tracker);
  // SSE over Node's own http client, not streaming fetch: fetch's web-stream body costs the client about as
  // much CPU again as parsing the events (docs/benchmarks.md), CPU the server's half of the machine then lacks.
  return transport === 'SSE'
    ? openSseHttp(server.base, '/api/events?topics=logs&backfill=0', server.authHeader, false, tracker)
    : openWsClient(server.base, server.authHeader, tracker);
}

export const peerOf = (transport: Transport): Peer => (transport === 'frontail' ? 'frontail' : 'tailwatch');

export async function runThroughput(transport: Transport, lines = 300_000): Promise<ThroughputResult> {
  return withBed(`burst-${transport.toLowerCase()}`, { peer: peerOf(transport) }, async ({ server, file }) => {
    const tracker = new LineTracker(FIXED_LINES);
    const client = await openClient(transport, server, tracker);
    try {
      if (client.status !== 101 && client.status !== 200) throw new Error(`${transport} stream answered ${client.status}`);
      // The subscription exists once hello is here: lines written after it cannot be missed.
      await Promise.race([client.hello, sleep(5000)]);
      const chunks = buildChunks(1, lines, LINES_PER_WRITE, fixedLine);
      const out = await openAppender(file);
      const cpu0 = server.cpuSeconds();
      const bench0 = process.cpuUsage();
      const t0 = hrNow();
      for (const chunk of chunks) await out.write(chunk);
      const writeMs = hrNow() - t0;
      await out.close();
      const complete = await waitUntil(() => tracker.highestSeq >= lines, DELIVERY_TIMEOUT_MS, 2);
      const elapsedMs = (tracker.lastAt || hrNow()) - t0;
      const serverCpuS = server.cpuSeconds() - cpu0;
      const b = process.cpuUsage(bench0);
      // A moment more, so that a line sent twice after the last one would still be counted.
      await sleep(200);
      return {
        transport,
        lines,
        received: tracker.received,
        missing: tracker.missing + Math.max(0, lines - tracker.highestSeq),
        repeated: tracker.repeated,
        badText: tracker.badText,
        firstBadText: tracker.firstBadText,
        gapMissed: tracker.gapMissed,
        logEvents: tracker.logEvents,
        complete,
        elapsedMs,
        writeMs,
        linesPerSec: tracker.received / (elapsedMs / 1000),
        serverCpuS,
        benchCpuS: (b.user + b.system) / 1e6,
        serverPeakRss: server.peakRss(),
        endedWhy: client.endedWhy(),
      };
    } finally {
      client.close();
    }
  });
}
