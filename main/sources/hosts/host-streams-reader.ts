// `serve --redis URL`: every host's streams read into this server's hub, beside its own sources
// (docs/many-hosts.md, "Server"). Hosts are found by SCAN; each is backfilled from its logs stream (XREVRANGE:
// the last `backfill` lines of each source) and then followed, all hosts together, with XREAD BLOCK on a
// connection of its own. Entries go to the hub as they are, and each logs entry moves the hub's cursor (every
// host's stream position, in host name order), which event ids carry so that any server resumes them exactly.
// A host silent for `silenceMs`, or every host while Redis is away, shows its sources `disconnected`; when Redis
// is back the reader goes on from its last ids: nothing lost, nothing twice.
import type { SourceEventData, SourceInfo } from '../../../protocol/events';
import { compareStreamIds, formatCursor } from '../../../protocol/event-id';
import { hostKeys, hostOfLogsKey, LOGS_KEY_PATTERN, type HostEntry, type HostKeys } from '../../../protocol/host-streams';
import { connectRedis, RedisStartError, type RedisClient } from '../../hosts/redis/redis-connection';
import { redisErrorText, withoutPassword } from '../../hosts/redis/redis-url';
import { disconnectedInfo, parseEntry } from './stream-entries';
import { RedisHostReplay } from './host-replay';

export interface HostStreamsSink {
  publishEntry(entry: HostEntry): void;
  moveCursor(cursor: string): void;
}

export interface HostStreamsOptions {
  url: string;
  /** CA file for rediss://. */
  ca?: string;
  /** Lines per source a new host is backfilled with. */
  backfill: number;
  sink: HostStreamsSink;
  warn(message: string): void;
  /** How often new hosts are looked for (default 3 s). */
  scanIntervalMs?: number;
  /** A host with no entry (metrics included) this long shows disconnected: 3 sample periods (default 3 s). */
  silenceMs?: number;
  /** How long one XREAD waits for entries before it is sent again with new hosts (default 1 s). */
  blockMs?: number;
}

export const HOST_STREAMS_LIMITS = {
  /** Entries one XREAD takes per stream: one turn's work is bounded (entries hold at most 1,000 lines). */
  readCount: 1_000,
  /** Entries walked back at most to backfill a new host (pages of 500). */
  backfillEntries: 20_000,
  backfillPage: 500,
  /** Hosts followed at most (a cursor names at most CURSOR_LIMITS.maxHosts). */
  maxHosts: 1_024,
} as const;

interface HostState {
  readonly name: string;
  readonly keys: HostKeys;
  logsPosition: string;
  metricsPosition: string;
  lastSeen: number;
  disconnected: boolean;
  /** The host's sources as its agent last said (removed ones dropped). */
  readonly sources: Map<string, SourceInfo>;
}

export class HostStreamsReader {
  private client: RedisClient | null = null;
  private blocking: RedisClient | null = null;
  private readonly hosts = new Map<string, HostState>();
  /** Host names in order: the cursor's order. */
  private order: string[] = [];
  private readonly keyOwner = new Map<string, { host: HostState; kind: 'logs' | 'metrics' }>();
  private closed = false;
  private redisUp = true;
  private scanning: Promise<void> | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private loop: Promise<void> | null = null;
  private readonly scanIntervalMs: number;
  private readonly silenceMs: number;
  private readonly blockMs: number;
  private warnedHosts = new Set<string>();
  readonly replay: RedisHostReplay;

  constructor(private readonly options: HostStreamsOptions) {
    this.scanIntervalMs = options.scanIntervalMs ?? 3000;
    this.silenceMs = options.silenceMs ?? 3000;
    this.blockMs = options.blockMs ?? 1000;
    this.replay = new RedisHostReplay(() => this.client, (host) => this.hosts.has(host));
  }

  /** Connects (throws RedisStartError), finds the hosts there now and backfills them, then follows them all. */
  async start(): Promise<void> {
    const onError = () => this.redisAway();
    this.client = await connectRedis({ url: this.options.url, ...(this.options.ca !== undefined ? { caFile: this.options.ca } : {}), onError });
    try {
      this.blocking = this.client.duplicate() as RedisClient;
      this.blocking.on('error', onError);
      await this.blocking.connect();
      await this.scan();
    } catch (err) {
      this.client.destroy();
      this.blocking?.destroy();
      // Most often an ACL that does not let this user read (NOPERM): said as a start error, exit code 2.
      throw new RedisStartError(`--redis ${withoutPassword(this.options.url)}: cannot read the hosts: ${redisErrorText(err, this.options.url)}`);
    }
    this.timers.push(setInterval(() => void this.scan().catch(() => {}), this.scanIntervalMs));
    this.timers.push(setInterval(() => this.checkSilence(), Math.max(50, Math.floor(this.silenceMs / 3))));
    for (const t of this.timers) t.unref();
    this.loop = this.follow();
  }

  /** The hosts' sources as shown now (a host away: `disconnected`). */
  sources(): SourceInfo[] {
    const out: SourceInfo[] = [];
    for (const name of this.order) {
      const host = this.hosts.get(name)!;
      for (const info of host.sources.values()) out.push(host.disconnected ? disconnectedInfo(info) : info);
    }
    return out;
  }

  /** Every host's logs stream position, as event ids carry it. */
  cursor(): string {
    return formatCursor(this.order.map((name) => [name, this.hosts.get(name)!.logsPosition] as const));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    // The blocked XREAD ends with its connection.
    this.blocking?.destroy();
    await this.loop?.catch(() => {});
    await this.scanning?.catch(() => {});
    this.client?.destroy();
  }

  /** Finds hosts not followed yet and backfills each (one scan at a time). */
  private scan(): Promise<void> {
    this.scanning ??= (async () => {
      try {
        const found: string[] = [];
        for await (const keys of this.client!.scanIterator({ MATCH: LOGS_KEY_PATTERN, COUNT: 1000 })) {
          for (const key of Array.isArray(keys) ? keys : [keys]) {
            const host = hostOfLogsKey(String(key));
            if (host !== null && !this.hosts.has(host)) found.push(host);
          }
        }
        for (const host of found.sort()) {
          if (this.closed) return;
          if (this.hosts.size >= HOST_STREAMS_LIMITS.maxHosts) {
            this.warnOnce('max-hosts', `more than ${HOST_STREAMS_LIMITS.maxHosts} hosts in Redis: ${host} and later ones are not shown`);
            return;
          }
          await this.addHost(host);
        }
      } finally {
        this.scanning = null;
      }
    })();
    return this.scanning;
  }

  /** Reads a new host's recent entries, then publishes them at once (so its position and its events agree). */
  private async addHost(name: string): Promise<void> {
    const client = this.client!;
    const keys = hostKeys(name);
    const { backfill } = this.options;
    // Walk back until every source seen has its window and its info, or the stream's start, or the bound.
    const walked: { id: string; message: Record<string, string> }[] = [];
    const linesOf = new Map<string, number>();
    const infoOf = new Map<string, SourceEventData>();
    let end = '+';
    for (;;) {
      const page = (await client.xRevRange(keys.logs, end, '-', { COUNT: HOST_STREAMS_LIMITS.backfillPage })) ?? [];
      for (const entry of page) {
        walked.push(entry as { id: string; message: Record<string, string> });
        const parsed = parseEntry(name, entry.message as Record<string, string>);
        if (parsed?.type === 'log') linesOf.set(parsed.data.source, (linesOf.get(parsed.data.source) ?? 0) + parsed.data.lines.length);
        else if (parsed?.type === 'source' && !infoOf.has(parsed.data.source.id)) infoOf.set(parsed.data.source.id, parsed.data);
      }
      if (page.length < HOST_STREAMS_LIMITS.backfillPage || walked.length >= HOST_STREAMS_LIMITS.backfillEntries) break;
      const satisfied = [...linesOf].every(([source, lines]) => lines >= backfill && infoOf.has(source));
      if (satisfied) break;
      end = `(${page[page.length - 1]!.id}`;
    }
    const newestMetrics = (await client.xRevRange(keys.metrics, '+', '-', { COUNT: 10 })) ?? [];
    if (this.closed || this.hosts.has(name)) return;

    const host: HostState = {
      name,
      keys,
      logsPosition: '0-0',
      metricsPosition: newestMetrics[0]?.id ?? '0-0',
      lastSeen: Date.now(),
      disconnected: false,
      sources: new Map(),
    };
    this.hosts.set(name, host);
    this.order = [...this.hosts.keys()].sort();
    this.keyOwner.set(keys.logs, { host, kind: 'logs' });
    this.keyOwner.set(keys.metrics, { host, kind: 'metrics' });

    // Its sources first, as they are now (a removed one's lines are not backfilled).
    for (const event of infoOf.values()) {
      if (event.op === 'remove') continue;
      host.sources.set(event.source.id, event.source);
      const data: SourceEventData = { op: 'add', source: event.source };
      this.options.sink.publishEntry({ type: 'source', host: name, json: JSON.stringify(data), source: event.source.id, lines: 0, sourceEvent: data });
    }
    for (const source of linesOf.keys()) {
      if (!infoOf.has(source)) {
        // Its lines are older than the entries walked hold any word of it: shown under its id.
        const info: SourceInfo = { id: source, path: source, name: source, state: 'live', size: 0, lines: 0, bytes: 0, errors: 0, linesPerSec: 0, errorsPerSec: 0, host: name };
        host.sources.set(source, info);
        const data: SourceEventData = { op: 'add', source: info };
        this.options.sink.publishEntry({ type: 'source', host: name, json: JSON.stringify(data), source, lines: 0, sourceEvent: data });
      }
    }
    // Then the last `backfill` lines of each source, oldest first, each entry moving the cursor.
    const skip = new Map<string, number>();
    for (const [source, lines] of linesOf) skip.set(source, Math.max(0, lines - backfill));
    for (let i = walked.length - 1; i >= 0; i--) {
      const entry = walked[i]!;
      host.logsPosition = entry.id;
      const parsed = parseEntry(name, entry.message);
      if (parsed?.type !== 'log' || !host.sources.has(parsed.data.source)) continue;
      const { source, lines } = parsed.data;
      const left = skip.get(source)!;
      if (left >= lines.length) {
        skip.set(source, left - lines.length);
        continue;
      }
      skip.set(source, 0);
      const kept = left === 0 ? parsed.json : JSON.stringify({ source, lines: lines.slice(left) });
      this.options.sink.publishEntry({ type: 'log', host: name, json: kept, source, lines: lines.length - left, entryId: entry.id, cursor: this.cursor() });
    }
    this.options.sink.moveCursor(this.cursor());
    // The newest metrics sample, so the host's charts have a point at once.
    for (const entry of newestMetrics) {
      const parsed = parseEntry(name, entry.message as Record<string, string>);
      if (parsed?.type !== 'metrics') continue;
      this.options.sink.publishEntry({ type: 'metrics', host: name, json: parsed.json, source: undefined, lines: 0 });
      break;
    }
  }

  /** XREAD BLOCK over every host's streams, from where each stands, until closed. */
  private async follow(): Promise<void> {
    while (!this.closed) {
      const streams: { key: string; id: string }[] = [];
      for (const name of this.order) {
        const host = this.hosts.get(name)!;
        streams.push({ key: host.keys.logs, id: host.logsPosition }, { key: host.keys.metrics, id: host.metricsPosition });
      }
      if (streams.length === 0) {
        await sleep(Math.min(this.blockMs, this.scanIntervalMs));
        continue;
      }
      let reply;
      try {
        reply = await this.blocking!.xRead(streams, { BLOCK: this.blockMs, COUNT: HOST_STREAMS_LIMITS.readCount });
      } catch {
        if (this.closed) return;
        this.redisAway();
        await sleep(100);
        continue;
      }
      this.redisUp = true;
      if (!reply || this.closed) continue;
      for (const stream of reply as { name: string; messages: { id: string; message: Record<string, string> }[] }[]) {
        const owner = this.keyOwner.get(String(stream.name));
        if (!owner) continue;
        this.consume(owner.host, owner.kind, stream.messages);
      }
    }
  }

  private consume(host: HostState, kind: 'logs' | 'metrics', messages: { id: string; message: Record<string, string> }[]): void {
    if (messages.length === 0) return;
    this.heard(host);
    const { sink } = this.options;
    // Only this host's position changes in this batch: the others' part of the cursor is joined once.
    let before = '';
    let after = '';
    if (kind === 'logs') {
      const at = this.order.indexOf(host.name);
      before = formatCursor(this.order.slice(0, at).map((name) => [name, this.hosts.get(name)!.logsPosition] as const));
      after = formatCursor(this.order.slice(at + 1).map((name) => [name, this.hosts.get(name)!.logsPosition] as const));
    }
    const cursorWith = (id: string) => `${before}${before === '' ? '' : ','}${host.name}=${id}${after === '' ? '' : ','}${after}`;
    for (const { id, message } of messages) {
      if (kind === 'metrics') {
        if (compareStreamIds(id, host.metricsPosition) <= 0) continue;
        host.metricsPosition = id;
        const parsed = parseEntry(host.name, message);
        if (parsed?.type === 'metrics') sink.publishEntry({ type: 'metrics', host: host.name, json: parsed.json, source: undefined, lines: 0 });
        continue;
      }
      // Never an entry twice, whatever a reconnect gives again.
      if (compareStreamIds(id, host.logsPosition) <= 0) continue;
      host.logsPosition = id;
      const parsed = parseEntry(host.name, message);
      if (parsed?.type === 'log') {
        sink.publishEntry({ type: 'log', host: host.name, json: parsed.json, source: parsed.data.source, lines: parsed.data.lines.length, entryId: id, cursor: cursorWith(id) });
      } else if (parsed?.type === 'source') {
        const { op, source } = parsed.data;
        if (op === 'remove') host.sources.delete(source.id);
        else host.sources.set(source.id, source);
        sink.publishEntry({ type: 'source', host: host.name, json: parsed.json, source: source.id, lines: 0, sourceEvent: parsed.data, entryId: id, cursor: cursorWith(id) });
      } else {
        this.warnOnce(host.name, `host ${host.name}: an entry of its logs stream tailwatch cannot read was skipped (${id})`);
        sink.moveCursor(cursorWith(id));
      }
    }
  }

  /** Entries came from `host`: it is connected (its sources shown as its agent last said again). */
  private heard(host: HostState): void {
    host.lastSeen = Date.now();
    if (!host.disconnected) return;
    host.disconnected = false;
    for (const info of host.sources.values()) this.publishState(host, info);
  }

  private checkSilence(): void {
    const now = Date.now();
    for (const host of this.hosts.values()) {
      if (!host.disconnected && now - host.lastSeen > this.silenceMs) this.disconnect(host);
    }
  }

  /** Redis is away: every host shows disconnected until its entries come again. */
  private redisAway(): void {
    if (this.closed) return;
    this.redisUp = false;
    for (const host of this.hosts.values()) if (!host.disconnected) this.disconnect(host);
  }

  private disconnect(host: HostState): void {
    host.disconnected = true;
    for (const info of host.sources.values()) this.publishState(host, disconnectedInfo(info));
  }

  /** A `source` update made by this server (not an entry: the cursor does not move). */
  private publishState(host: HostState, info: SourceInfo): void {
    const data: SourceEventData = { op: 'update', source: info };
    this.options.sink.publishEntry({ type: 'source', host: host.name, json: JSON.stringify(data), source: info.id, lines: 0, sourceEvent: data });
  }

  private warnOnce(key: string, message: string): void {
    if (this.warnedHosts.has(key)) return;
    this.warnedHosts.add(key);
    this.options.warn(message);
  }

  /** Whether Redis answered the last read (false while it is away). */
  get connected(): boolean {
    return this.redisUp;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
