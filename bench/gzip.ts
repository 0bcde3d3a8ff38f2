// Figure 4: what gzip saves on typical logs. A server with --gzip on; one SSE stream asks for gzip and one
// does not, both over raw http.request so the bytes on the wire are counted before decompression; both
// get the same 50,000 realistic lines. Then each kind alone on a fresh server, for its throughput.
import { LineTracker, openSseHttp, type HttpSseClient } from './clients';
import { openAppender, RealisticLogs } from './log-lines';
import { withBed } from './run-context';
import { hrNow, sleep, waitUntil } from './util';

export interface StreamBytes {
  contentEncoding: string;
  wireBytes: number;
  bodyBytes: number;
  decodedBytes: number;
  received: number;
  missing: number;
  badText: number;
  complete: boolean;
  elapsedMs: number;
  linesPerSec: number;
}

export interface GzipResult {
  lines: number;
  /** Bytes of the lines as written to the file. */
  fileBytes: number;
  /** Both streams at once on one server (same events, so the byte comparison is exact). */
  plain: StreamBytes;
  gzip: StreamBytes;
  savedPct: number;
  /** Each stream alone on a fresh server. */
  gzipAlone: StreamBytes & { serverCpuS: number };
  plainAlone: StreamBytes & { serverCpuS: number };
}

const LINES_PER_WRITE = 5_000;

function makeLines(count: number): string[] {
  const gen = new RealisticLogs(20251121);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(gen.next());
  return lines;
}

function chunksOf(lines: string[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_WRITE) chunks.push(Buffer.from(lines.slice(i, i + LINES_PER_WRITE).join('\n') + '\n'));
  return chunks;
}

function summary(client: HttpSseClient, tracker: LineTracker, lines: number, complete: boolean, t0: number): StreamBytes {
  const elapsedMs = (tracker.lastAt || hrNow()) - t0;
  return {
    contentEncoding: client.contentEncoding,
    wireBytes: client.wireBytes(),
    bodyBytes: client.bodyBytes(),
    decodedBytes: client.decodedBytes(),
    received: tracker.received,
    missing: tracker.missing + Math.max(0, lines - tracker.highestSeq),
    badText: tracker.badText,
    complete,
    elapsedMs,
    linesPerSec: tracker.received / (elapsedMs / 1000),
  };
}

const PATH = '/api/events?topics=logs&backfill=0';

/** Writes all `chunks` and waits for every tracker to have `lines` lines; returns the first-write time. */
async function pushAndWait(file: string, chunks: Buffer[], lines: number, trackers: LineTracker[]): Promise<{ t0: number; complete: boolean[] }> {
  const out = await openAppender(file);
  const t0 = hrNow();
  for (const c of chunks) await out.write(c);
  await out.close();
  await waitUntil(() => trackers.every((t) => t.highestSeq >= lines), 60_000, 2);
  return { t0, complete: trackers.map((t) => t.highestSeq >= lines) };
}

async function alone(gzip: boolean, lines: string[], chunks: Buffer[]): Promise<StreamBytes & { serverCpuS: number }> {
  return withBed(gzip ? 'gzip-alone' : 'plain-alone', ['--gzip', 'on'], async ({ server, file }) => {
    const tracker = new LineTracker((seq) => lines[seq - 1] ?? null);
    const client = await openSseHttp(server.base, PATH, server.authHeader, gzip, tracker);
    try {
      await Promise.race([client.hello, sleep(5000)]);
      const cpu0 = server.cpuSeconds();
      const { t0, complete } = await pushAndWait(file, chunks, lines.length, [tracker]);
      const serverCpuS = server.cpuSeconds() - cpu0;
      return { ...summary(client, tracker, lines.length, complete[0]!, t0), serverCpuS };
    } finally {
      client.close();
    }
  });
}

export async function runGzip(count = 50_000): Promise<GzipResult> {
  const lines = makeLines(count);
  const chunks = chunksOf(lines);
  const fileBytes = chunks.reduce((n, c) => n + c.length, 0);
  const expected = (seq: number) => lines[seq - 1] ?? null;

  const both = await withBed('gzip', ['--gzip', 'on'], async ({ server, file }) => {
    const tPlain = new LineTracker(expected);
    const tGzip = new LineTracker(expected);
    const plain = await openSseHttp(server.base, PATH, server.authHeader, false, tPlain);
    const gz = await openSseHttp(server.base, PATH, server.authHeader, true, tGzip);
    try {
      await Promise.race([Promise.all([plain.hello, gz.hello]), sleep(5000)]);
      const { t0, complete } = await pushAndWait(file, chunks, count, [tPlain, tGzip]);
      // Let the last flushed bytes (and any heartbeat-free tail) land before counting.
      await sleep(200);
      return { plain: summary(plain, tPlain, count, complete[0]!, t0), gzip: summary(gz, tGzip, count, complete[1]!, t0) };
    } finally {
      plain.close();
      gz.close();
    }
  });
  const gzipAlone = await alone(true, lines, chunks);
  const plainAlone = await alone(false, lines, chunks);
  return {
    lines: count,
    fileBytes,
    plain: both.plain,
    gzip: both.gzip,
    savedPct: 100 * (1 - both.gzip.wireBytes / both.plain.wireBytes),
    gzipAlone,
    plainAlone,
  };
}
