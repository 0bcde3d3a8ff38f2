// The benchmark's clients, all in this process and all on 127.0.0.1: a raw `http.request` SSE reader (which
// also counts compressed bytes on the wire), a streaming-fetch SSE reader of every topic, a `ws` client, and
// a stalled TCP client that asks for the SSE stream and never reads. They do not keep events: each one feeds a
// LineTracker, which checks order and content as lines arrive, so 1,000,000 lines cost no client memory.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createGunzip } from 'node:zlib';
import WebSocket from 'ws';
import { SseParser } from '../protocol/sse-parser';
import type { GapData, LogData } from '../protocol/events';
import { hrNow } from './util';

/**
 * What each line should say: the text written as line `seq` (1-based), or null to skip that line's check; or a
 * check that does not build the text (`line` gives it for the report of a mismatch).
 */
export type ExpectedLines = ((seq: number) => string | null) | { matches(seq: number, text: string): boolean; line(seq: number): string };

/**
 * Follows the lines of one source as they arrive: counts them, checks that seq goes up one by one
 * (missing, repeated and out-of-order lines are counted, not fatal) and, when asked, that each text
 * is the one written for that seq.
 */
export class LineTracker {
  /** Lines received with the next expected seq or later (each seq counted once). */
  received = 0;
  /** Lines whose seq was skipped over (never seen). */
  missing = 0;
  /** Lines with a seq already passed (a repeat or a line out of order). */
  repeated = 0;
  /** Lines whose text is not what was written for their seq. */
  badText = 0;
  gapEvents = 0;
  /** Lines the server said, in `gap` events, this client missed. */
  gapMissed = 0;
  /** Log events (batches) received. */
  logEvents = 0;
  /** hrNow() of the last line received. */
  lastAt = 0;
  firstBadText: string | null = null;
  private nextSeq = 1;
  private source: string | null = null;
  otherSources = 0;

  constructor(
    /** What each line should say, or null to skip the content check. */
    private readonly expected: ExpectedLines | null = null,
    /** Called for every line in order, with the time its event was parsed. */
    private readonly onLine: ((seq: number, text: string, at: number) => void) | null = null,
  ) {}

  /** The highest seq received so far. */
  get highestSeq(): number {
    return this.nextSeq - 1;
  }

  event(type: string, data: unknown): void {
    if (type === 'log') this.log(data as LogData);
    else if (type === 'gap') {
      this.gapEvents++;
      this.gapMissed += (data as GapData).missed;
    }
  }

  private log(data: LogData): void {
    // Each run watches one file: pin the first source seen and count any other as an anomaly.
    this.source ??= data.source;
    if (data.source !== this.source) {
      this.otherSources += data.lines.length;
      return;
    }
    this.logEvents++;
    const at = hrNow();
    for (const line of data.lines) {
      if (line.seq < this.nextSeq) {
        this.repeated++;
        continue;
      }
      if (line.seq > this.nextSeq) this.missing += line.seq - this.nextSeq;
      this.nextSeq = line.seq + 1;
      this.received++;
      if (this.expected) this.check(this.expected, line.seq, line.text);
      this.onLine?.(line.seq, line.text, at);
    }
    this.lastAt = at;
  }

  private check(expected: ExpectedLines, seq: number, text: string): void {
    let want: string | null;
    if (typeof expected === 'function') {
      want = expected(seq);
      if (want === null || want === text) return;
    } else {
      if (expected.matches(seq, text)) return;
      want = expected.line(seq);
    }
    this.badText++;
    this.firstBadText ??= `seq ${seq}: got ${JSON.stringify(text.slice(0, 60))}, want ${JSON.stringify(want.slice(0, 60))}`;
  }
}

/** What a client's line check counts, as a figure reports it (LineTracker's and HostLinesCheck's counts). */
export interface LineCounts {
  received: number;
  missing: number;
  repeated: number;
  badText: number;
  firstBadText: string | null;
  /** Lines the server said, in `gap` events, this client missed. */
  gapMissed: number;
}

export interface StreamClient {
  /** HTTP status (SSE) or 101 (WebSocket). */
  readonly status: number;
  /** Resolves when the first `hello` has arrived (the subscription exists on the server). */
  readonly hello: Promise<void>;
  /** Set when the stream ended or failed, with why. */
  readonly endedWhy: () => string | null;
  close(): void;
}

/**
 * UTF-8 as Buffer decodes it: as TextDecoder does (U+FFFD for bad bytes, a leading U+FEFF kept; the protocol
 * test checks it), several times faster on Node 20.
 */
export function nodeUtf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** A Buffer over a fetch chunk's bytes (no copy): the SSE parser's line scan is then Buffer's memchr. */
function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * The stream is split into lines as bytes and only field values are decoded (SseParser.pushBytes); every
 * `log` and `gap` event's data still goes through JSON.parse.
 */
export function sseTrackerParser(tracker: LineTracker, onHello: () => void): SseParser {
  return new SseParser(
    (m) => {
      if (m.event === 'hello') onHello();
      if (m.event === 'log' || m.event === 'gap') tracker.event(m.event, JSON.parse(m.data));
    },
    { decode: nodeUtf8 },
  );
}

export interface HttpSseClient extends StreamClient {
  readonly contentEncoding: string;
  /** Bytes read from the TCP socket: status line, headers, chunked framing and the (compressed) body. */
  wireBytes(): number;
  /** Body bytes as sent (compressed when gzip), after HTTP chunked decoding. */
  bodyBytes(): number;
  /** Bytes of event-stream text after decompression. */
  decodedBytes(): number;
}

/** SSE over a raw `http.request`, so that the bytes on the wire can be counted before decompression. */
export function openSseHttp(base: string, path: string, headers: Record<string, string>, gzip: boolean, tracker: LineTracker): Promise<HttpSseClient> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, {
      // A dedicated socket: its byte counter is this stream's alone.
      agent: false,
      headers: { ...headers, 'Accept-Encoding': gzip ? 'gzip' : 'identity' },
    });
    const timer = setTimeout(() => {
      req.destroy(new Error('no response within 10 s'));
    }, 10_000);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on('response', (res) => {
      clearTimeout(timer);
      let onHello!: () => void;
      const hello = new Promise<void>((r) => (onHello = r));
      const parser = sseTrackerParser(tracker, onHello);
      const socket = res.socket;
      let body = 0;
      let decoded = 0;
      let endedWhy: string | null = null;
      let closed = false;
      const encoding = String(res.headers['content-encoding'] ?? 'identity');
      res.on('data', (chunk: Buffer) => (body += chunk.length));
      const text = encoding === 'gzip' ? res.pipe(createGunzip()) : res;
      text.on('error', (err: Error) => (endedWhy ??= `error: ${err.message}`));
      res.on('error', (err: Error) => (endedWhy ??= `error: ${err.message}`));
      res.on('close', () => (endedWhy ??= closed ? 'closed' : 'stream ended'));
      text.on('data', (chunk: Buffer) => {
        decoded += chunk.length;
        parser.pushBytes(chunk);
      });
      resolve({
        status: res.statusCode ?? 0,
        contentEncoding: encoding,
        hello,
        // net.Socket keeps its byte count after it is destroyed.
        wireBytes: () => socket?.bytesRead ?? 0,
        bodyBytes: () => body,
        decodedBytes: () => decoded,
        endedWhy: () => endedWhy,
        close: () => {
          closed = true;
          req.destroy();
        },
      });
    });
    req.end();
  });
}

/** What the WebSocket client does with each message: every one through JSON.parse, its lines to the tracker. */
export function wsTrackerHandler(tracker: LineTracker, onHello: () => void): (raw: WebSocket.RawData) => void {
  return (raw) => {
    const msg = JSON.parse(raw.toString()) as { type: string };
    if (msg.type === 'hello') onHello();
    else tracker.event(msg.type, msg);
  };
}

/** A `ws` client subscribed to `logs` only, without backfill. */
export function openWsClient(base: string, headers: Record<string, string>, tracker: LineTracker): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base.replace(/^http/, 'ws') + '/api/ws', { headers, perMessageDeflate: false });
    let onHello!: () => void;
    const hello = new Promise<void>((r) => (onHello = r));
    let endedWhy: string | null = null;
    let opened = false;
    const timer = setTimeout(() => {
      if (!opened) {
        ws.terminate();
        reject(new Error('WebSocket did not open within 10 s'));
      }
    }, 10_000);
    ws.on('message', wsTrackerHandler(tracker, onHello));
    ws.on('close', (code) => (endedWhy ??= `closed (${code})`));
    ws.on('error', (err) => {
      endedWhy ??= `error: ${err.message}`;
      if (!opened) {
        clearTimeout(timer);
        reject(err);
      }
    });
    ws.on('open', () => {
      opened = true;
      clearTimeout(timer);
      ws.send(JSON.stringify({ type: 'subscribe', topics: ['logs'], backfill: 0 }));
      resolve({ status: 101, hello, endedWhy: () => endedWhy, close: () => ws.terminate() });
    });
  });
}

export interface StalledClient {
  readonly socket: Socket;
  /** True while the server has not closed the connection. */
  open(): boolean;
  /** Starts reading what was left in the socket; resolves after `forMs` with what was read. */
  drain(forMs: number): Promise<{ bytes: number; gaps: string[]; serverClosed: boolean }>;
  close(): void;
}

/**
 * A client that asks for the SSE stream and never reads it: everything the server sends piles up in
 * the kernel socket buffers and then in whatever the server keeps for it. That is what memory measures.
 */
export function openStalledSse(port: number, token: string, path: string): Promise<StalledClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let serverClosed = false;
    socket.on('end', () => (serverClosed = true));
    socket.on('close', () => (serverClosed = true));
    socket.on('error', () => (serverClosed = true));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('stalled client: no connection within 10 s'));
    }, 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`,
      );
      // Never read: no 'data' listener and paused, so nothing is taken from the kernel's receive buffer
      // beyond what it holds on its own.
      socket.pause();
      resolve({
        socket,
        open: () => !serverClosed,
        drain: (forMs) =>
          new Promise((done) => {
            let bytes = 0;
            // Only the `gap` events are kept: a carry-over of the last bytes finds one split across chunks.
            const gaps: string[] = [];
            let carry = '';
            const GAP = /event: gap\ndata: (\{[^\n]*\})\n/g;
            socket.setEncoding('utf8');
            const onData = (s: string) => {
              bytes += Buffer.byteLength(s);
              const text = carry + s;
              let end = 0;
              for (const m of text.matchAll(GAP)) {
                gaps.push(m[1]!);
                end = m.index + m[0].length;
              }
              carry = text.slice(Math.max(end, text.length - 512));
            };
            socket.on('data', onData);
            socket.resume();
            setTimeout(() => {
              socket.off('data', onData);
              done({ bytes, gaps, serverClosed });
            }, forMs);
          }),
        close: () => socket.destroy(),
      });
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * SSE over streaming fetch for a dashboard of every topic: each event's data is parsed and handed on with its
 * type and id. `lastEventId` resumes (the `Last-Event-ID` header, as EventSource sends it).
 */
export async function openSseEvents(
  base: string,
  path: string,
  headers: Record<string, string>,
  onEvent: (type: string, data: unknown, id: string) => void,
  lastEventId?: string,
): Promise<StreamClient> {
  const controller = new AbortController();
  const resume: Record<string, string> = lastEventId ? { 'Last-Event-ID': lastEventId } : {};
  const res = await fetch(base + path, { headers: { 'Accept-Encoding': 'identity', ...headers, ...resume }, signal: controller.signal });
  let onHello!: () => void;
  const hello = new Promise<void>((resolve) => (onHello = resolve));
  const parser = new SseParser(
    (m) => {
      if (m.event === 'hello') onHello();
      onEvent(m.event, JSON.parse(m.data), m.id);
    },
    { decode: nodeUtf8 },
  );
  let endedWhy: string | null = null;
  void (async () => {
    if (!res.body) return void (endedWhy = 'no body');
    try {
      for await (const chunk of res.body) parser.pushBytes(asBuffer(chunk as Uint8Array));
      endedWhy = 'stream ended';
    } catch (err) {
      endedWhy = controller.signal.aborted ? 'closed' : `error: ${(err as Error).message}`;
    }
  })();
  return { status: res.status, hello, endedWhy: () => endedWhy, close: () => controller.abort() };
}
