// The benchmark's clients alone: a real burst's SSE bytes and WebSocket messages, captured once from a real
// `serve`, replayed into the same client code with no server. SSE: the bytes in the chunks they arrived in →
// SseParser.pushBytes → JSON.parse → LineTracker; WebSocket: each message → the client's message handler.
// Left out: sockets, HTTP chunked decoding and ws's frame parsing. Says how far the burst figure is from the
// clients' own ceiling (docs/benchmarks.md).
//   node --import tsx bench/client-replay.ts [runs]     (after `npm run build`)
import { request } from 'node:http';
import WebSocket from 'ws';
import { LineTracker, sseTrackerParser, wsTrackerHandler } from './clients';
import { buildChunks, FIXED_LINES, fixedLine, openAppender } from './log-lines';
import { withBed } from './run-context';
import { fmtInt, hrNow, sleep, waitUntil } from './util';

const LINES = 300_000;
const LINES_PER_WRITE = 10_000;

interface Capture {
  /** The SSE response body, in the chunks it arrived in. */
  sse: Buffer[];
  /** The WebSocket messages, hello first. */
  ws: Buffer[];
}

/** One burst of LINES fixed lines to one SSE and one WebSocket client of a fresh server, kept as received. */
async function capture(): Promise<Capture> {
  return withBed('client-replay', [], async ({ server, file }) => {
    const sse: Buffer[] = [];
    const ws: Buffer[] = [];
    const req = request(server.base + '/api/events?topics=logs&backfill=0', { agent: false, headers: { ...server.authHeader, 'Accept-Encoding': 'identity' } });
    await new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        res.on('data', (chunk: Buffer) => sse.push(chunk));
        resolve();
      });
      req.on('error', reject);
      req.end();
    });
    const socket = new WebSocket(server.base.replace(/^http/, 'ws') + '/api/ws', { headers: server.authHeader, perMessageDeflate: false });
    socket.on('message', (raw: Buffer) => ws.push(raw));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'subscribe', topics: ['logs'], backfill: 0 }));
    // Both subscriptions exist once each has its hello.
    await waitUntil(() => sse.some((c) => c.includes('event: hello')) && ws.length > 0, 5000);
    const out = await openAppender(file);
    for (const chunk of buildChunks(1, LINES, LINES_PER_WRITE, fixedLine)) await out.write(chunk);
    await out.close();
    const last = `"seq":${LINES},`;
    const ends = (chunks: Buffer[]) => chunks.length > 0 && Buffer.concat(chunks.slice(-2)).includes(last);
    const complete = await waitUntil(() => ends(sse) && ends(ws), 60_000, 10);
    await sleep(100);
    req.destroy();
    socket.terminate();
    if (!complete) throw new Error('the burst did not reach both clients within 60 s');
    return { sse, ws };
  });
}

/** Feeds the capture to one client's code; ms taken, and the tracker's verdict. */
function replay(kind: 'SSE' | 'WebSocket', cap: Capture): { ms: number; tracker: LineTracker } {
  const tracker = new LineTracker(FIXED_LINES);
  const t0 = hrNow();
  if (kind === 'SSE') {
    const parser = sseTrackerParser(tracker, () => undefined);
    for (const chunk of cap.sse) parser.pushBytes(chunk);
  } else {
    const onMessage = wsTrackerHandler(tracker, () => undefined);
    for (const message of cap.ws) onMessage(message);
  }
  return { ms: hrNow() - t0, tracker };
}

const runs = Math.max(2, Number(process.argv[2] ?? 6));
const cap = await capture();
console.log(`captured: SSE ${fmtInt(cap.sse.reduce((n, c) => n + c.length, 0))} bytes in ${cap.sse.length} chunks, WebSocket ${cap.ws.length} messages`);
for (const kind of ['SSE', 'WebSocket'] as const) {
  const perS: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { ms, tracker } = replay(kind, cap);
    if (tracker.received !== LINES || tracker.missing || tracker.repeated || tracker.badText) {
      throw new Error(`${kind} replay: ${tracker.received} lines, ${tracker.missing} missing, ${tracker.repeated} repeated, ${tracker.badText} bad (${tracker.firstBadText})`);
    }
    perS.push(LINES / (ms / 1000));
  }
  const warm = perS.slice(1).sort((a, b) => a - b);
  console.log(`${kind.padEnd(9)} first (cold) ${fmtInt(perS[0]!)} lines/s; then median ${fmtInt(warm[warm.length >> 1]!)} (${warm.map(fmtInt).join(', ')})`);
}
