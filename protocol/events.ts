// Every message the server sends, on SSE, WebSocket and long-poll alike. The server, the dashboard
// and the tests import these types; nothing on the wire is typed anywhere else.

/** Topics a client can subscribe to. `processes` is opt-in (a dashboard asks for it only when shown). */
export const TOPICS = ['logs', 'metrics', 'sources', 'processes'] as const;
export type Topic = (typeof TOPICS)[number];
/** What a client gets when it names no topics. */
export const DEFAULT_TOPICS: readonly Topic[] = ['logs', 'metrics', 'sources'];

/**
 * `live`: being read. `waiting`: not there yet (never seen in this run). `deleted`: it was there and is gone
 * (deleted, or renamed away and not replaced); a --file waits for it to come back, a file under a --dir is
 * `removed` after a while. `error`: cannot be read (see `error`). `removed`: no longer followed; still listed
 * while lines of it are held, so they keep their name. `disconnected`: a source of another host (`host`) whose
 * agent this server has not heard from for 3 sample periods, or while the server cannot reach Redis; it goes
 * back to its own state when the host's entries come again.
 */
export type SourceState = 'live' | 'waiting' | 'deleted' | 'error' | 'removed' | 'disconnected';

export interface SourceInfo {
  /** Opaque, stable for one path across runs. Clients never send paths, only ids. */
  id: string;
  path: string;
  /** Short display name (the path relative to its --dir, or the file name). */
  name: string;
  state: SourceState;
  /** Present when state is `error`: what went wrong, in words a user can act on. */
  error?: string;
  size: number;
  /** Lines read so far (the last `seq` given out). */
  lines: number;
  /** Bytes read so far in this run. */
  bytes: number;
  /** Lines so far in this run whose level is `error` or `fatal`. */
  errors: number;
  /** Lines per second over the last second or so. */
  linesPerSec: number;
  /** Error and fatal lines per second over the last second or so. */
  errorsPerSec: number;
  /** When its last line was read (ms since the Unix epoch); absent before its first line. */
  lastLineAt?: number;
  /** The machine the source is on (its agent's --host-name, or this server's host name on a server with --redis). */
  host?: string;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogLine {
  /** Per-source line number: one by one, no gap, no repeat. */
  seq: number;
  /** Milliseconds since the Unix epoch: the line's own timestamp when recognised, else the time read. */
  ts: number;
  /** The line without its terminator; invalid UTF-8 is U+FFFD. */
  text: string;
  level?: LogLevel;
  /** Set when the line was longer than the line cap and was cut. */
  cut?: true;
  /**
   * Set when the line continues the event begun by the line before it (a stack frame, `Caused by:`, a
   * traceback's lines): it then carries that event's `ts` and `level`.
   */
  cont?: true;
}

export interface HelloData {
  epoch: string;
  serverTime: number;
  version: string;
  sources: SourceInfo[];
  /** This server's own host name, on a server with --redis (its own sources and metrics carry it); absent without. */
  host?: string;
}
export interface LogData {
  source: string;
  lines: LogLine[];
}
/** Percentages of all CPU time (0–100), since the previous sample. */
export interface CpuMetrics {
  total: number;
  /** Busy % per core, in core order. */
  cores: number[];
  user: number;
  system: number;
  /** Waiting for I/O (Linux only; 0 elsewhere). */
  iowait: number;
  /** Taken by the hypervisor (Linux only; 0 elsewhere). */
  steal: number;
}
/** Bytes. `used` = total − available. */
export interface MemMetrics {
  total: number;
  used: number;
  available: number;
  cached: number;
  swapTotal: number;
  swapUsed: number;
}
/** A network interface, bytes per second since the previous sample. */
export interface NetMetrics {
  name: string;
  rxBytesPerSec: number;
  txBytesPerSec: number;
}
/** A whole block device (no partitions, loop or ram devices), bytes per second since the previous sample. */
export interface DiskMetrics {
  name: string;
  readBytesPerSec: number;
  writeBytesPerSec: number;
}
/** A mounted real file system, bytes. */
export interface FsMetrics {
  mount: string;
  device: string;
  type: string;
  size: number;
  used: number;
  /** used / (used + available to unprivileged users), 0–100, as `df` shows it. */
  usedPercent: number;
}
/** tailwatch's own process. */
export interface SelfMetrics {
  /** CPU % of one core since the previous sample. */
  cpu: number;
  rss: number;
  eventLoopLagMs: number;
  /** Open file descriptors; null where the platform does not tell. */
  openFds: number | null;
  clients: number;
  eventsSent: number;
  eventsDropped: number;
  bytesSent: number;
}
/** One log source's rates at this sample, so log and system charts share a time axis. */
export interface LogRateMetrics {
  source: string;
  linesPerSec: number;
  errorsPerSec: number;
  /** Lines so far (the source's last seq). */
  lines: number;
}
export interface MetricsData {
  /** When the sample was taken, ms since the Unix epoch. */
  ts: number;
  cpu: CpuMetrics;
  mem: MemMetrics;
  /** 1, 5 and 15 minute load averages (zeros on Windows). */
  load: number[];
  net: NetMetrics[];
  disk: DiskMetrics[];
  fs: FsMetrics[];
  /** Seconds since the machine booted. */
  uptime: number;
  self: SelfMetrics;
  logs: LogRateMetrics[];
  /** The machine sampled (an agent's --host-name, or this server's host name on a server with --redis). */
  host?: string;
}
export interface SourceEventData {
  op: 'add' | 'update' | 'remove';
  source: SourceInfo;
}
export type GapReason = 'slow-client' | 'expired';
export interface GapData {
  /** Present when the missed events are log lines of one source; `missed` then counts lines. */
  source?: string;
  /** Without `source`: events missed (of any selected topic). With `source`: lines of it missed. */
  missed: number;
  reason: GapReason;
}
export interface ResetData {
  epoch: string;
  reason: 'unknown-epoch' | 'bad-id' | 'future-id';
  /**
   * `local`: only the sources without a Redis host (the server's own) start over; lines of other hosts go on
   * exactly after the resume id, each once. Absent: everything starts over.
   */
  scope?: 'local';
}
export interface ProcessInfo {
  pid: number;
  name: string;
  /** CPU % of one core since the previous process sample (can exceed 100 on several cores). */
  cpu: number;
  rss: number;
}
/** The top processes, every few seconds, for clients that subscribe to `processes`. */
export interface ProcessesData {
  ts: number;
  byCpu: ProcessInfo[];
  byMem: ProcessInfo[];
  /** Processes seen in all. */
  count: number;
}
export interface PongData {
  serverTime: number;
}
export interface ErrorData {
  code: ErrorCode;
  message: string;
}
export type ErrorCode =
  | 'bad-json'
  | 'bad-message'
  | 'unknown-type'
  | 'bad-topic'
  | 'bad-source'
  | 'bad-since'
  | 'bad-backfill'
  /** A GET /api/lines query that names no source, or neither `before` nor `from`..`to`, or too many lines. */
  | 'bad-lines-query'
  /** A GET /api/search query that is empty, too long, an invalid regex, or one that could run for ever ((a+)+). */
  | 'bad-search'
  /** The client's subscription would name more sources than CLIENT_LIMITS.maxSourcesPerClient. */
  | 'too-many-sources'
  /** The server failed on this message; the connection stays open. */
  | 'internal';

/** Type name → data, for every event on the wire. */
export interface EventDataMap {
  hello: HelloData;
  log: LogData;
  metrics: MetricsData;
  processes: ProcessesData;
  source: SourceEventData;
  gap: GapData;
  reset: ResetData;
  pong: PongData;
  error: ErrorData;
}
export type EventType = keyof EventDataMap;

/** An event as a client sees it (the WebSocket and long-poll object; on SSE, `type` and `id` are fields). */
export type WireEvent = { [T in EventType]: { type: T; id: string } & EventDataMap[T] }[EventType];
