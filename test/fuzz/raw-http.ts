// HTTP over a bare TCP socket, so the fuzz can send what no HTTP client would (any bytes in the request
// line and headers, requests split anywhere) and read the answer as it comes.
import { connect } from 'node:net';

export interface RawAnswer {
  /** Null when the socket closed (or the time ran out) before a status line. */
  status: number | null;
  /** Header names lower-cased, in order, repeats kept. */
  headers: [string, string][];
  body: Buffer;
  /** The server closed (or reset) the socket. */
  closed: boolean;
  /** Nothing more came within the time allowed. */
  timedOut: boolean;
}

export interface ExchangeOptions {
  /** Whole time allowed for the answer. */
  timeoutMs: number;
  /** Pause between the chunks written. */
  gapMs?: number;
  /** A HEAD request: the answer has no body whatever its headers say. */
  head?: boolean;
  /** For a stream (no end): done once this holds of the body so far. */
  until?: (body: Buffer, answer: RawAnswer) => boolean;
  /** Stop reading a body past this many bytes. */
  maxBodyBytes?: number;
}

export function header(answer: RawAnswer, name: string): string[] {
  return answer.headers.filter(([k]) => k === name).map(([, v]) => v);
}

/** An answer that streams (SSE): it has no end to wait for. */
export function isStream(answer: RawAnswer): boolean {
  return header(answer, 'content-type').some((v) => v.startsWith('text/event-stream'));
}

/** Writes `chunks` to 127.0.0.1:port and reads one answer: its head, and its body when it has an end. */
export function exchange(port: number, chunks: Uint8Array[], options: ExchangeOptions): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let data = Buffer.alloc(0);
    const answer: RawAnswer = { status: null, headers: [], body: Buffer.alloc(0), closed: false, timedOut: false };
    let headEnd = -1;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (headEnd >= 0) answer.body = data.subarray(headEnd);
      resolve(answer);
    };
    const timer = setTimeout(() => {
      answer.timedOut = true;
      finish();
    }, options.timeoutMs);
    socket.on('error', () => {
      answer.closed = true;
      finish();
    });
    socket.on('close', () => {
      answer.closed = true;
      finish();
    });
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (headEnd < 0) {
        const at = data.indexOf('\r\n\r\n');
        if (at < 0) return;
        headEnd = at + 4;
        parseHead(data.subarray(0, at).toString('latin1'), answer);
        // An interim answer (100 Continue) is not the answer.
        if (answer.status === 100) {
          data = data.subarray(headEnd);
          headEnd = -1;
          answer.headers = [];
          answer.status = null;
          return;
        }
      }
      if (bodyComplete(data.subarray(headEnd), answer, options)) finish();
    });
    void (async () => {
      for (const chunk of chunks) {
        if (settled || socket.destroyed) return;
        socket.write(chunk);
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      }
    })();
  });
}

function parseHead(head: string, answer: RawAnswer): void {
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  answer.status = m ? Number(m[1]) : -1;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) answer.headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
}

function bodyComplete(body: Buffer, answer: RawAnswer, options: ExchangeOptions): boolean {
  if (options.head || answer.status === 204 || answer.status === 304 || answer.status === 101) return true;
  if (options.until?.(body, answer)) return true;
  if (options.maxBodyBytes !== undefined && body.length >= options.maxBodyBytes) return true;
  const length = header(answer, 'content-length')[0];
  if (length !== undefined) return body.length >= Number(length);
  if (header(answer, 'transfer-encoding').some((v) => /chunked/i.test(v))) return body.includes('\r\n0\r\n\r\n') || body.subarray(0, 5).toString() === '0\r\n\r\n';
  return false;
}

/** A request's bytes: request line, headers, blank line, body. */
export function requestBytes(method: string, target: string, headers: [string, string][], body: Uint8Array = new Uint8Array(), version = 'HTTP/1.1'): Buffer {
  const head = `${method} ${target} ${version}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** `bytes` cut at the given offsets (sorted, deduplicated, within range). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  if (from < bytes.length) out.push(bytes.subarray(from));
  return out;
}
