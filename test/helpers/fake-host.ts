// A simulated agent for the server's tests: it writes to a real Redis exactly what `tailwatch agent` publishes
// (protocol/host-streams.ts: `log` batches and `source` changes in the host's logs stream, `metrics` samples in
// its metrics stream), so `serve --redis` is tested against real streams without the agent itself.
//
// Entries get explicit ids (`<base ms>-<n>`, n counting the host's entries), so a write retried after Redis went
// away mid-command is never written twice: Redis refuses an id at or below the stream's last one.
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { createClient, type RedisClientType } from '@redis/client';
import type { LogLine, MetricsData, SourceEventData, SourceInfo } from '../../protocol/events';
import { hostKeys } from '../../protocol/host-streams';

export interface FakeHost {
  readonly name: string;
  /** A source of this host (an `add` in its logs stream); ids are `<host>:<path>`-like and unique across hosts. */
  addSource(path: string): Promise<SourceInfo>;
  /**
   * A source and its first `log` entries (each `[from, count]`) in one MULTI/EXEC: a server that scans for hosts
   * finds the host with all of them or not at all (written one by one, a scan can land between two).
   */
  addSourceWithLines(path: string, entries: [from: number, count: number][]): Promise<SourceInfo>;
  removeSource(source: SourceInfo): Promise<void>;
  /** One `log` entry: lines `from`..`from+count-1` of `source`, text `<prefix> <seq>`. Returns the entry id. */
  log(source: SourceInfo, from: number, count: number, prefix?: string): Promise<string>;
  /** Like `log`, but retried (same entry id) until Redis takes it: for writes while Redis is killed and restarted. */
  logUntilWritten(source: SourceInfo, from: number, count: number, prefix?: string): Promise<string>;
  /** One `metrics` sample (a minimal one: cpu only), with `sample`'s fields over it (a whole one for a page to draw). */
  metrics(sample?: Partial<MetricsData>): Promise<void>;
  /** Trims the logs stream to its newest `keep` entries (as an agent's MAXLEN would). */
  trim(keep: number): Promise<void>;
  close(): Promise<void>;
}

/** Server timings for tests that read hosts: new hosts found within 100 ms, an XREAD sent again every 200 ms. */
export const HOST_TIMINGS = { hosts: { scanIntervalMs: 100, blockMs: 200 } };

/** A source as an agent announces it, before its first line: the id the agent gives it (host and path). */
export function hostSourceInfo(host: string, path: string, name = path.split('/').pop()!): SourceInfo {
  return { id: sourceIdOf(path, host), path, name, state: 'live', size: 0, lines: 0, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0, host };
}

export async function startFakeHost(url: string, name: string): Promise<FakeHost> {
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 500) } }) as RedisClientType;
  client.on('error', () => {});
  await client.connect();
  const keys = hostKeys(name);
  const base = Date.now();
  let n = 0;
  let metricsN = 0;

  const info = (path: string): SourceInfo => hostSourceInfo(name, path);
  const add = (stream: string, id: string, t: string, d: object) => client.xAdd(stream, id, { t, d: JSON.stringify(d) });
  const lines = (from: number, count: number, prefix: string): LogLine[] =>
    Array.from({ length: count }, (_, i) => ({ seq: from + i, ts: Date.now(), text: `${prefix} ${from + i}` }));

  return {
    name,
    async addSource(path) {
      const source = info(path);
      await add(keys.logs, `${base}-${++n}`, 'source', { op: 'add', source } satisfies SourceEventData);
      return source;
    },
    async addSourceWithLines(path, entries) {
      const source = info(path);
      const multi = client.multi().xAdd(keys.logs, `${base}-${++n}`, { t: 'source', d: JSON.stringify({ op: 'add', source } satisfies SourceEventData) });
      for (const [from, count] of entries) multi.xAdd(keys.logs, `${base}-${++n}`, { t: 'log', d: JSON.stringify({ source: source.id, lines: lines(from, count, 'line') }) });
      await multi.exec();
      return source;
    },
    async removeSource(source) {
      await add(keys.logs, `${base}-${++n}`, 'source', { op: 'remove', source } satisfies SourceEventData);
    },
    async log(source, from, count, prefix = 'line') {
      const id = `${base}-${++n}`;
      await add(keys.logs, id, 'log', { source: source.id, lines: lines(from, count, prefix) });
      return id;
    },
    async logUntilWritten(source, from, count, prefix = 'line') {
      const id = `${base}-${++n}`;
      const d = { source: source.id, lines: lines(from, count, prefix) };
      for (;;) {
        try {
          await add(keys.logs, id, 'log', d);
          return id;
        } catch (err) {
          // Written before the connection dropped: Redis now refuses the same id.
          if (/equal or smaller/.test((err as Error).message)) return id;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
    async metrics(extra = {}) {
      const sample = { ts: Date.now(), host: name, cpu: { total: 1, cores: [1], user: 1, system: 0, iowait: 0, steal: 0 }, ...extra } as unknown as MetricsData;
      await add(keys.metrics, `${base}-${++metricsN}`, 'metrics', sample);
    },
    async trim(keep) {
      await client.xTrim(keys.logs, 'MAXLEN', keep);
    },
    async close() {
      client.destroy();
    },
  };
}
