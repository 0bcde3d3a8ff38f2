// Reading one entry of a host's streams (protocol/host-streams.ts: fields `t` and `d`) into what the hub takes:
// the data as the agent wrote it, checked enough that a bad entry is skipped rather than breaking a client.
import type { LogData, MetricsData, SourceEventData, SourceInfo } from '../../../protocol/events';

export type ParsedEntry =
  | { type: 'log'; data: LogData; json: string }
  | { type: 'source'; data: SourceEventData; json: string }
  | { type: 'metrics'; data: MetricsData; json: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Null for an entry that is not one tailwatch reads (unknown type, bad JSON, missing fields): it is skipped. */
export function parseEntry(host: string, fields: Record<string, string | Buffer>): ParsedEntry | null {
  const t = String(fields.t ?? '');
  const d = String(fields.d ?? '');
  let data: unknown;
  try {
    data = JSON.parse(d);
  } catch {
    return null;
  }
  if (!isObject(data)) return null;
  // The wire object is spliced from `d` (protocol/encode.ts): only a compact object is used as it is.
  const asIs = d.startsWith('{') && d.endsWith('}');
  switch (t) {
    case 'log': {
      if (typeof data.source !== 'string' || !Array.isArray(data.lines) || data.lines.length === 0) return null;
      return { type: 'log', data: data as unknown as LogData, json: asIs ? d : JSON.stringify(data) };
    }
    case 'source': {
      const op = data.op;
      if ((op !== 'add' && op !== 'update' && op !== 'remove') || !isObject(data.source) || typeof data.source.id !== 'string') return null;
      const event = data as unknown as SourceEventData;
      if (event.source.host === host) return { type: 'source', data: event, json: asIs ? d : JSON.stringify(event) };
      const withHost: SourceEventData = { op: event.op, source: { ...event.source, host } };
      return { type: 'source', data: withHost, json: JSON.stringify(withHost) };
    }
    case 'metrics': {
      if (typeof data.ts !== 'number') return null;
      const sample = data as unknown as MetricsData;
      if (sample.host === host) return { type: 'metrics', data: sample, json: asIs ? d : JSON.stringify(sample) };
      const withHost = { ...sample, host };
      return { type: 'metrics', data: withHost, json: JSON.stringify(withHost) };
    }
    default:
      // `processes` samples of other hosts are not forwarded: the process list is this server's own.
      return null;
  }
}

/** A host's source as the server shows it while the host is away. */
export function disconnectedInfo(info: SourceInfo): SourceInfo {
  return { ...info, state: 'disconnected', linesPerSec: 0, errorsPerSec: 0 };
}
