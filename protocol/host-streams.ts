// What agents and servers write and read in Redis (contract: "Many hosts"). An agent owns every key under
// `tailwatch:host:<NAME>:`, so a Redis ACL can let it write only those (docs/many-hosts.md); servers only read.
//
//   tailwatch:host:<NAME>:logs       stream: `log` batches and `source` changes of the host, in the order they happened
//   tailwatch:host:<NAME>:metrics    stream: `metrics` and `processes` samples (a stream of its own, so a burst of
//                                    lines never evicts the metrics history, nor metrics the lines)
//   tailwatch:host:<NAME>:positions  hash: source id → SourcePosition, written in the same MULTI/EXEC as the
//                                    entry that carries the lines up to it, so a crash can neither repeat nor skip
//
// Every stream entry has two fields: `t` (the event type) and `d` (its data as JSON, the same objects as on the
// client wire). Sources carry `host`; an agent's source ids hash its host name with the path, so they are
// unique across hosts.
import type { LogData, MetricsData, ProcessesData, SourceEventData } from './events';

export const KEY_PREFIX = 'tailwatch:host:';

/** A host name as agents may give it: a DNS-like label, so keys, ids and ACL patterns stay simple. */
export const HOST_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isHostName(name: string): boolean {
  return HOST_NAME_PATTERN.test(name);
}

export interface HostKeys {
  logs: string;
  metrics: string;
  positions: string;
}

export function hostKeys(host: string): HostKeys {
  const base = `${KEY_PREFIX}${host}:`;
  return { logs: `${base}logs`, metrics: `${base}metrics`, positions: `${base}positions` };
}

/** The host a key names, or null for a key that is not a host's stream of logs (what servers scan for). */
export function hostOfLogsKey(key: string): string | null {
  if (!key.startsWith(KEY_PREFIX) || !key.endsWith(':logs')) return null;
  const host = key.slice(KEY_PREFIX.length, -':logs'.length);
  return isHostName(host) ? host : null;
}

/** The pattern servers SCAN for to find hosts. */
export const LOGS_KEY_PATTERN = `${KEY_PREFIX}*:logs`;

export type LogsStreamEntry = { t: 'log'; d: LogData } | { t: 'source'; d: SourceEventData };
export type MetricsStreamEntry = { t: 'metrics'; d: MetricsData } | { t: 'processes'; d: ProcessesData };

/**
 * Where an agent stands in one source: the file (identity and first bytes) and the byte after the last line it
 * published, with that line's seq. An agent that starts again goes on from here.
 */
export interface SourcePosition {
  path: string;
  dev: number;
  ino: number;
  /** Hex SHA-256 of the file's first bytes (up to 1 KiB) as read when the position was written. */
  print: string;
  /** Bytes of the file the print covers (a file shorter than 1 KiB when first read). */
  printBytes: number;
  offset: number;
  seq: number;
}

/**
 * An entry of a host's streams as a server's hub takes it (read by main/sources/hosts/, put in by
 * main/core/event-hub.ts): the agent's source ids and seqs as they are. `entryId` and `cursor` are set for the
 * entries of the host's logs stream: the hub's cursor moves to `cursor` with this event, so every event's id says
 * which entries it comes after.
 */
export interface HostEntry {
  type: 'log' | 'source' | 'metrics';
  host: string;
  /** The event's data as a JSON object (the entry's `d`). */
  json: string;
  /** The source id (log, source). */
  source: string | undefined;
  /** Lines of a log entry (0 otherwise). */
  lines: number;
  /** A source entry's data, for the removed-sources list. */
  sourceEvent?: SourceEventData;
  entryId?: string;
  cursor?: string;
}

/**
 * Where a source goes on from in a new run (an agent's stored SourcePosition, as the tailer takes it): when the
 * file at its path is the same file (`dev`, `ino`) and still begins with the same bytes (`hasPrint` says), it is
 * read on from `offset`; seq goes on from `seq` whatever file is there. A source that had one and finds another
 * file there reads all of it.
 */
export interface ResumePoint {
  dev: number;
  ino: number;
  offset: number;
  seq: number;
  /** Do these first bytes of the file (read up to `printBytes`) match the ones the position was written with? */
  printBytes: number;
  hasPrint(firstBytes: Uint8Array): boolean;
}
