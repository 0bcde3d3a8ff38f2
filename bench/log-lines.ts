// What the benchmark writes: fixed 100-byte lines whose text says their own seq (so a client can check
// order and content line by line), timestamped lines for latency, and realistic mixed logs (nginx access,
// JSON app logs, syslog) for the gzip figure, from a seeded generator so every run writes the same bytes.
import { open } from 'node:fs/promises';

/** 99 characters + '\n' = 100 bytes per line. */
export const LINE_CHARS = 99;

const FILLER_SOURCE = 'the quick brown fox jumps over the lazy dog while tailwatch streams every line to each client ';
/** After the 11-character `L#########-` prefix. */
const FILLER = FILLER_SOURCE.repeat(2).slice(0, LINE_CHARS - 11);

/** Line `seq` (1-based) of a throughput run: `L000000042 ` + filler, 99 characters. */
export function fixedLine(seq: number): string {
  return 'L' + String(seq).padStart(9, '0') + ' ' + FILLER;
}

/**
 * Is `text` exactly `fixedLine(seq)`? Checked in place (length, the seq's digits, the filler), so that a client
 * checking 1,000,000 lines does not build 1,000,000 strings to compare them with.
 */
export function isFixedLine(seq: number, text: string): boolean {
  if (text.length !== LINE_CHARS || text.charCodeAt(0) !== 76 /* L */ || text.charCodeAt(10) !== 32) return false;
  let n = 0;
  for (let i = 1; i <= 9; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    n = n * 10 + d;
  }
  return n === seq && text.endsWith(FILLER);
}

/** The lines of a throughput run, for a LineTracker. */
export const FIXED_LINES = { matches: isFixedLine, line: fixedLine } as const;

/** A line that carries its write time (ms, µs precision), padded to 99 characters. */
export function timedLine(seq: number, writtenAt: number): string {
  const head = `T${writtenAt.toFixed(3)} #${seq} `;
  return (head + FILLER_SOURCE.repeat(2)).slice(0, LINE_CHARS);
}

/** The write time carried by a `timedLine`, or NaN. */
export function timeOfLine(text: string): number {
  if (text.charCodeAt(0) !== 84 /* T */) return NaN;
  return Number(text.slice(1, text.indexOf(' ')));
}

/**
 * Lines `first`..`first+count-1` as one buffer per `linesPerChunk` lines: built before the clock starts,
 * so the throughput figure times the server and the clients, not the line generator.
 */
export function buildChunks(first: number, count: number, linesPerChunk: number, lineOf: (seq: number) => string): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = first; start < first + count; start += linesPerChunk) {
    const end = Math.min(first + count, start + linesPerChunk);
    const parts: string[] = [];
    for (let seq = start; seq < end; seq++) parts.push(lineOf(seq));
    parts.push('');
    chunks.push(Buffer.from(parts.join('\n'), 'utf8'));
  }
  return chunks;
}

/** An append-mode file kept open, so each write is one write(2) at the end of the file. */
export async function openAppender(path: string): Promise<{ write(data: Buffer | string): Promise<void>; close(): Promise<void> }> {
  const handle = await open(path, 'a');
  return {
    write: async (data) => {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += (await handle.write(buf, off, buf.length - off)).bytesWritten;
    },
    close: () => handle.close(),
  };
}

/** mulberry32: a tiny seeded PRNG, so "realistic" lines are the same on every run and machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  '/', '/index.html', '/login', '/logout', '/api/v1/users/{id}', '/api/v1/users/{id}/orders', '/api/v1/orders/{id}',
  '/api/v1/search?q={word}&page={n}', '/static/js/app.{hex}.js', '/static/css/main.{hex}.css', '/images/products/{id}.jpg',
  '/api/v1/cart', '/api/v1/checkout', '/healthz', '/metrics', '/favicon.ico', '/robots.txt', '/api/v2/inventory/{id}/stock',
];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD'];
const STATUS = [200, 200, 200, 200, 200, 200, 200, 304, 301, 204, 201, 400, 401, 403, 404, 404, 429, 500, 502, 503];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'curl/8.5.0',
  'Go-http-client/1.1',
  'Prometheus/2.53.0',
  'kube-probe/1.30',
];
const REFERERS = ['-', '-', 'https://shop.example.com/', 'https://shop.example.com/cart', 'https://www.google.com/'];
const WORDS = ['shoes', 'laptop', 'coffee', 'desk', 'lamp', 'phone', 'cable', 'chair', 'book', 'watch'];
const LEVELS = ['info', 'info', 'info', 'info', 'debug', 'debug', 'warn', 'error'];
const MESSAGES = [
  'request completed', 'request completed', 'cache miss', 'cache hit', 'db query', 'user authenticated',
  'payment authorised', 'retrying upstream call', 'upstream timeout', 'validation failed', 'job enqueued', 'job finished',
];
const SERVICES = ['api', 'checkout', 'inventory', 'auth', 'worker'];
const HOSTS = ['web-01', 'web-02', 'web-03', 'db-01', 'worker-01'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Realistic log lines: 45% nginx combined access log, 35% JSON app log, 20% syslog; deterministic. */
export class RealisticLogs {
  private readonly r: () => number;
  /** Log time: starts at a fixed instant and moves on 0–40 ms per line. */
  private t = Date.UTC(2025, 10, 21, 4, 18, 33, 0);

  constructor(seed = 42) {
    this.r = rng(seed);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.r() * list.length)]!;
  }
  private int(min: number, max: number): number {
    return min + Math.floor(this.r() * (max - min + 1));
  }
  private hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.r() * 16).toString(16);
    return s;
  }
  private ip(): string {
    return `${this.pick([10, 172, 192, 203, 198])}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }
  private path(): string {
    return this.pick(PATHS)
      .replace('{id}', String(this.int(1, 99_999)))
      .replace('{word}', this.pick(WORDS))
      .replace('{n}', String(this.int(1, 20)))
      .replace('{hex}', this.hex(8));
  }

  next(): string {
    this.t += this.int(0, 40);
    const d = new Date(this.t);
    const x = this.r();
    if (x < 0.45) return this.nginx(d);
    if (x < 0.8) return this.json(d);
    return this.syslog(d);
  }

  private nginx(d: Date): string {
    const day = String(d.getUTCDate()).padStart(2, '0');
    const time = d.toISOString().slice(11, 19);
    const status = this.pick(STATUS);
    const bytes = status === 304 || status === 204 ? 0 : this.int(120, 250_000);
    return (
      `${this.ip()} - ${this.r() < 0.2 ? 'user' + this.int(1, 500) : '-'} [${day}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${time} +0000] ` +
      `"${this.pick(METHODS)} ${this.path()} HTTP/1.1" ${status} ${bytes} "${this.pick(REFERERS)}" "${this.pick(AGENTS)}" ` +
      `${(this.r() * (status >= 500 ? 5 : 0.3)).toFixed(3)}`
    );
  }

  private json(d: Date): string {
    const level = this.pick(LEVELS);
    const msg = this.pick(MESSAGES);
    const entry: Record<string, unknown> = {
      ts: d.toISOString(),
      level,
      service: this.pick(SERVICES),
      msg,
      reqId: `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.hex(4)}-${this.hex(12)}`,
    };
    if (msg.startsWith('request')) {
      entry.method = this.pick(METHODS);
      entry.path = this.path();
      entry.status = this.pick(STATUS);
      entry.durationMs = Number((this.r() * 250).toFixed(2));
    } else if (msg === 'db query') {
      entry.table = this.pick(['users', 'orders', 'items', 'sessions']);
      entry.rows = this.int(0, 500);
      entry.durationMs = Number((this.r() * 40).toFixed(2));
    } else if (level === 'error' || msg.includes('timeout') || msg.includes('failed')) {
      entry.err = this.pick(['ECONNRESET', 'ETIMEDOUT', 'invalid email', 'insufficient stock', 'card declined']);
      entry.attempt = this.int(1, 5);
    }
    if (this.r() < 0.5) entry.userId = this.int(1, 50_000);
    return JSON.stringify(entry);
  }

  private syslog(d: Date): string {
    const stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
    const host = this.pick(HOSTS);
    const y = this.r();
    if (y < 0.3) {
      return `${stamp} ${host} sshd[${this.int(1000, 65000)}]: ${this.r() < 0.7 ? 'Accepted publickey' : 'Failed password'} for ${this.pick(['deploy', 'root', 'admin', 'git'])} from ${this.ip()} port ${this.int(1024, 65535)} ssh2`;
    }
    if (y < 0.5) return `${stamp} ${host} CRON[${this.int(1000, 65000)}]: (root) CMD (/usr/local/bin/backup.sh --incremental >/dev/null 2>&1)`;
    if (y < 0.75) {
      return `${stamp} ${host} systemd[1]: ${this.pick(['Started', 'Stopped', 'Reloading'])} ${this.pick(['nginx.service', 'app-worker@' + this.int(1, 8) + '.service', 'logrotate.service', 'certbot.timer'])} - ${this.pick(['A high performance web server', 'Application worker', 'Rotate log files', 'Renew certificates'])}.`;
    }
    return `${stamp} ${host} kernel: [${this.int(1000, 999_999)}.${String(this.int(0, 999_999)).padStart(6, '0')}] ${this.pick([
      `TCP: request_sock_TCP: Possible SYN flooding on port ${this.int(80, 8443)}. Sending cookies.`,
      `EXT4-fs (sda${this.int(1, 4)}): mounted filesystem with ordered data mode. Quota mode: none.`,
      `eth0: renamed from veth${this.hex(7)}`,
      `[UFW BLOCK] IN=eth0 OUT= SRC=${this.ip()} DST=10.0.0.${this.int(2, 254)} PROTO=TCP SPT=${this.int(1024, 65535)} DPT=${this.pick([22, 23, 3389, 5432])}`,
    ])}`;
  }
}

const STAMPED_LEVELS = ['INFO', 'INFO', 'INFO', 'INFO', 'DEBUG', 'DEBUG', 'WARN', 'ERROR'];
const STAMPED_MESSAGES = [
  'request completed method=GET path=/api/v1/orders status=200 in 12.4 ms',
  'cache miss key=user:profile:48213 loading from db',
  'db query table=orders rows=37 took 3.8 ms',
  'user authenticated user=4821 method=publickey',
  'retrying upstream call attempt=2 after ECONNRESET',
  'job finished queue=emails id=9f3a2c took 210 ms',
  'payment authorised order=77120 amount=49.90 EUR',
  'validation failed field=email reason="invalid address"',
];
/** The words stamped lines are made of, for writers that build them elsewhere (a worker thread). */
export const STAMPED_VOCABULARY = { levels: STAMPED_LEVELS, services: SERVICES, messages: STAMPED_MESSAGES } as const;
/** `2025-11-21T04:18:33.123Z INFO  checkout  #` is 42 characters: the seq's 9 digits follow it. */
export const STAMPED_SEQ_AT = 42;
const STAMPED_T0 = Date.UTC(2025, 10, 21, 4, 18, 33, 0);

/**
 * Line `seq` of the tailer's ingest figure: a timestamped application log line with a level, a service and
 * its own seq at a fixed place (`STAMPED_SEQ_AT`), so a reader checks it in O(1). 94–123 bytes with its '\n'.
 */
export function stampedLine(seq: number): string {
  const h = Math.imul(seq, 0x9e3779b1) >>> 0;
  return (
    `${new Date(stampedTime(seq)).toISOString()} ${STAMPED_LEVELS[h >>> 29]!.padEnd(5)} ` +
    `${SERVICES[(h >>> 16) % SERVICES.length]!.padEnd(9)} #${String(seq).padStart(9, '0')} ${STAMPED_MESSAGES[(h >>> 8) & 7]!}`
  );
}

/** The time (ms since the epoch) written at the start of `stampedLine(seq)`: 3 ms apart. */
export function stampedTime(seq: number): number {
  return STAMPED_T0 + seq * 3;
}

/** The seq a `stampedLine` carries, or NaN. */
export function seqOfStampedLine(text: string): number {
  if (text.charCodeAt(STAMPED_SEQ_AT - 1) !== 35 /* # */) return NaN;
  // Digit by digit: the check runs for every line inside the timed window, so it allocates nothing.
  let seq = 0;
  for (let i = STAMPED_SEQ_AT; i < STAMPED_SEQ_AT + 9; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return NaN;
    seq = seq * 10 + digit;
  }
  return seq;
}
