// Every message the server sends, on SSE, WebSocket and long-poll alike. The server, the dashboard
// and the tests import these types; nothing on the wire is typed anywhere else.

/** Topics a client can subscribe to. `processes` is opt-in (a dashboard asks for it only when shown). */
export const TOPICS = ['logs', 'metrics', 'sources', 'processes'] as const;
export type Topic = (typeof TOPICS)[number];
/** What a client gets when it names no topics. */
export const DEFAULT_TOPICS: readonly Topic[] = ['logs', 'metrics', 'sources'];

export type SourceState = 'live' | 'waiting' | 'error' | 'removed';

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
}

export interface HelloData {
  epoch: string;
  serverTime: number;
  version: string;
  sources: SourceInfo[];
}
export interface LogData {
  source: string;
  lines: LogLine[];
}
export interface MetricsData {
  ts: number;
  cpu: { total: number; cores: number[] } & Record<string, unknown>;
  mem: { total: number; used: number; available: number } & Record<string, unknown>;
  load: number[];
  net: unknown[];
  disk: unknown[];
  fs: unknown[];
  [field: string]: unknown;
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
}
export interface ProcessesData {
  ts: number;
  [field: string]: unknown;
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
  | 'bad-backfill';

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

/** Which topic an event type belongs to; the others are control events every client gets. */
export const TOPIC_OF_TYPE: Partial<Record<EventType, Topic>> = {
  log: 'logs',
  metrics: 'metrics',
  processes: 'processes',
  source: 'sources',
};
