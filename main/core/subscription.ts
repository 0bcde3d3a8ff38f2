// One client's view of the hub: its filter, its cursor in the ring, its backfill, and the lag policy.
// Clients pull: events are shared in the ring and a client holds only a cursor, so a slow client costs
// no memory; when it falls more than `maxLagBytes` behind, its log backlog is dropped for `gap` events.
import type { EventType, GapData, HelloData, LogLine, ResetData, Topic } from '../../protocol/events';
import { compareStreamIds, formatCursorMap, formatEventId, parseCursor, parseEventId, type StreamCursor } from '../../protocol/event-id';
import { wireJson } from '../../protocol/encode';
import type { EventHub } from './event-hub';
import type { HubEvent } from './event-ring';

/** One event on its way to a client: a ring event as it is, or one made for this client. */
export interface Outgoing {
  readonly type: EventType;
  readonly id: string;
  /** The event object `{"type","id",...data}` as UTF-8 JSON. */
  readonly wire: Buffer;
}

function made(type: EventType, id: string, data: object): Outgoing {
  return { type, id, wire: Buffer.from(wireJson(type, id, JSON.stringify(data)), 'utf8') };
}

/** The same event under another id (the id is at the head of the wire object; the data after it is kept). */
function withId(o: Outgoing, id: string): Outgoing {
  const head = Buffer.byteLength(`{"type":"${o.type}","id":"${o.id}"`);
  return { type: o.type, id, wire: Buffer.concat([Buffer.from(`{"type":"${o.type}","id":"${id}"`), o.wire.subarray(head)]) };
}

/** One event of a replay of hosts' entries from Redis (what main/sources/hosts/ reads for a resuming client). */
export interface ReplayEvent {
  type: 'log' | 'source' | 'gap';
  /** The event's data as a JSON object. */
  json: string;
  host: string;
  /** The stream entry id (absent for a gap). */
  entryId?: string;
}

export interface ReplayReader {
  /** The next events, in order; an empty array once the replay is over. Rejects while Redis fails (asked again). */
  next(): Promise<ReplayEvent[]>;
  close(): void;
}

/** Reads hosts' entries after `from` up to `to` (host → entry id; a host `from` does not name: from its start). */
export interface HostReplay {
  open(from: StreamCursor, to: StreamCursor): ReplayReader;
}

/** A replay that failed (Redis away) is asked again after this long. */
export const REPLAY_RETRY_MS = 500;

interface Replay {
  reader: ReplayReader;
  /** Ring events up to this n come before the replay (a local backfill), those after it once it is over. */
  afterN: number;
  to: StreamCursor;
  /** One page read ahead at most: what a replaying client holds. */
  buffer: ReplayEvent[];
  inFlight: boolean;
  done: boolean;
  retry: ReturnType<typeof setTimeout> | undefined;
}
export interface SubscriptionOptions {
  topics: Iterable<Topic>;
  /** null: every source. */
  sources: Iterable<string> | null;
  /** Bytes of live events this client may be behind before its log backlog is dropped. */
  maxLagBytes: number;
  /** Source ids the subscription may name at once, chosen or left out (default: no bound). */
  maxSources?: number;
  /** Replays hosts' entries from Redis for a resume whose id carries a cursor (a server reading Redis). */
  replay?: HostReplay;
}

export interface StartOptions {
  /** Resume after this id; without it, the client is new and gets a backfill. */
  since?: string;
  /** Lines per selected source sent to a new client. */
  backfill: number;
}

interface BackfillWindow {
  /** The first ring event of this source that is sent, and how many of its lines to leave out. */
  firstN: number;
  skip: number;
}

export class Subscription {
  private readonly topics: Set<Topic>;
  private sources: Set<string> | null;
  private readonly excluded = new Set<string>();
  private readonly maxLagBytes: number;
  private readonly maxSources: number;
  /** n of the next ring event to look at. */
  private cursor: number;
  /** Events made for this client (hello, reset, gap), sent before the cursor moves on. */
  private readonly queue: Outgoing[] = [];
  /** Until the cursor passes backfillEnd, only the backfill window of each source is sent. */
  private backfillEnd = 0;
  private readonly windows = new Map<string, BackfillWindow>();
  /** The newest metrics sample of each host (this server's too) kept in a backfill. */
  private readonly keepMetrics = new Set<number>();
  private keepProcessesN = 0;
  private readonly replaySource: HostReplay | undefined;
  private replay: Replay | null = null;
  /**
   * After a resume with a cursor: the stream positions this client holds where the ring's cursor may not say so
   * (its own, then advanced by the replay). Events of host entries at or below it are not sent again, and the
   * ids sent carry it, until the ring's cursor covers it.
   */
  private floor: Map<string, string> | null = null;
  private closed = false;
  /** Log lines this client did not get because it was too slow. */
  linesDropped = 0;

  constructor(
    private readonly hub: EventHub,
    options: SubscriptionOptions,
  ) {
    this.topics = new Set(options.topics);
    this.sources = options.sources === null ? null : new Set(options.sources);
    this.maxLagBytes = options.maxLagBytes;
    this.maxSources = options.maxSources ?? Infinity;
    this.replaySource = options.replay;
    this.cursor = hub.ring.headN + 1;
  }

  /** The client is gone: a replay in progress stops (its floor stays, so `positionId` is still right). */
  close(): void {
    this.closed = true;
    const replay = this.replay;
    if (!replay) return;
    if (replay.retry !== undefined) clearTimeout(replay.retry);
    replay.reader.close();
  }

  /** Positions the stream: `hello` first, then either the events after `since` or a backfill. */
  start(options: StartOptions, hello: Omit<HelloData, 'epoch'>): void {
    const helloAt = this.position(options);
    this.queue.unshift(made('hello', helloAt, { epoch: this.hub.epoch, ...hello } satisfies HelloData));
  }

  /** Moves the stream to a new position (a later `subscribe` with `since`); sends `reset` if it cannot. */
  reposition(options: StartOptions): void {
    this.queue.length = 0;
    this.position(options);
  }

  /**
   * Adds topics and sources from the current position on. `sources: null` means every source. False (and
   * nothing changed) when the sources named would pass `maxSources`.
   */
  add(topics: Iterable<Topic>, sources: Iterable<string> | null): boolean {
    if (sources !== null && this.sources !== null && !this.fits(this.sources, sources)) return false;
    for (const t of topics) this.topics.add(t);
    if (sources === null) {
      this.sources = null;
      this.excluded.clear();
    } else if (this.sources === null) {
      for (const s of sources) this.excluded.delete(s);
    } else {
      for (const s of sources) this.sources.add(s);
    }
    return true;
  }

  /** False (and nothing changed) when the sources left out of "every source" would pass `maxSources`. */
  remove(topics: Iterable<Topic> | null, sources: Iterable<string> | null): boolean {
    if (sources && this.sources === null && !this.fits(this.excluded, sources)) return false;
    if (topics) for (const t of topics) this.topics.delete(t);
    if (sources) {
      for (const s of sources) {
        if (this.sources) this.sources.delete(s);
        else this.excluded.add(s);
      }
    }
    return true;
  }

  /** Would `set` with `more` added stay within maxSources? */
  private fits(set: ReadonlySet<string>, more: Iterable<string>): boolean {
    let size = set.size;
    for (const s of more) if (!set.has(s) && ++size > this.maxSources) return false;
    return true;
  }

  /** Does this client take events of `topic` now? */
  wants(topic: Topic): boolean {
    return this.topics.has(topic);
  }

  /** Is there anything to send right now? */
  get ready(): boolean {
    if (this.queue.length > 0) return true;
    const replay = this.replay;
    if (replay && this.cursor > replay.afterN) return replay.buffer.length > 0 || replay.done;
    return this.cursor <= this.hub.ring.headN;
  }

  /** The id a client at this point would resume from: the last event looked at. */
  get positionId(): string {
    return this.idAt(this.cursor - 1);
  }

  /** The id of position n for this client: the ring's, or with the cursor this client holds (see `floor`). */
  private idAt(n: number): string {
    if (!this.floor) return this.hub.idOf(n);
    if (this.replay) return formatEventId(this.hub.epoch, n, formatCursorMap(this.floor));
    const merged = parseCursor(this.hub.cursorAt(n) ?? '') ?? new Map<string, string>();
    for (const [host, position] of this.floor) {
      const ring = merged.get(host);
      if (ring === undefined || compareStreamIds(position, ring) > 0) merged.set(host, position);
    }
    return formatEventId(this.hub.epoch, n, formatCursorMap(merged));
  }

  /** Once the ring's cursor at event n has every host at or past the floor, ids are the ring's again. */
  private dropFloorIfCovered(e: HubEvent): void {
    const ring = parseCursor(e.cursor ?? '');
    if (!ring) return;
    for (const [host, position] of this.floor!) {
      const at = ring.get(host);
      if (at === undefined || compareStreamIds(at, position) < 0) return;
    }
    this.floor = null;
  }

  /**
   * Takes the next events for this client: every event made for it (few), then about `maxBytes` of
   * ring events (at least one, if any), so that `positionId` afterwards is exactly what was taken.
   * Applies the lag bound first: past it, log backlog is dropped and replaced by `gap` events.
   */
  take(maxBytes: number): Outgoing[] {
    const ring = this.hub.ring;
    const out: Outgoing[] = [];
    let bytes = 0;
    // A replay is paced by this client's reads; the ring's own bound still holds (an `expired` gap).
    if (!this.replay && this.lagBytes() > this.maxLagBytes) this.skipToHead();
    for (;;) {
      const queued = this.queue.shift();
      if (queued) {
        out.push(queued);
        bytes += queued.wire.length;
        continue;
      }
      if (bytes >= maxBytes) break;
      if (this.cursor < ring.oldestN) {
        // The ring let go of events this client had not received yet.
        this.gap(ring.oldestN - 1, { missed: ring.oldestN - this.cursor, reason: 'expired' });
        this.cursor = ring.oldestN;
        continue;
      }
      const replay = this.replay;
      if (replay && this.cursor > replay.afterN) {
        const next = replay.buffer.shift();
        if (next) {
          // Its id: the position this client holds with this entry (a resume from it goes on after it).
          if (next.entryId !== undefined) this.floor!.set(next.host, next.entryId);
          const id = formatEventId(this.hub.epoch, replay.afterN, formatCursorMap(this.floor!));
          const o: Outgoing = { type: next.type, id, wire: Buffer.from(wireJson(next.type, id, next.json), 'utf8') };
          out.push(o);
          bytes += o.wire.length;
          continue;
        }
        if (!replay.done) {
          this.fill();
          break;
        }
        this.endReplay();
        for (const [host, position] of replay.to) {
          const held = this.floor!.get(host);
          if (held === undefined || compareStreamIds(position, held) > 0) this.floor!.set(host, position);
        }
        continue;
      }
      if (this.cursor > ring.headN) break;
      const event = ring.get(this.cursor++)!;
      let o = this.select(event);
      if (this.floor) {
        if (o) o = withId(o, this.idAt(event.n));
        // After the event: its own entry is in its cursor, and was judged against the floor above.
        if (!this.replay) this.dropFloorIfCovered(event);
      }
      if (o) {
        out.push(o);
        bytes += o.wire.length;
      }
    }
    // A take that ended at maxBytes with the page all taken: the next page is read now, or nothing would ask.
    if (this.replay?.buffer.length === 0) this.fill();
    return out;
  }

  /** Starts replaying hosts' entries after `from` up to `to`, to go out once the ring is past `afterN`. */
  private beginReplay(from: StreamCursor, to: StreamCursor, afterN: number): void {
    this.floor = new Map(from);
    let behind = false;
    for (const [host, position] of to) {
      const held = from.get(host);
      if (held === undefined || compareStreamIds(held, position) < 0) behind = true;
    }
    if (!behind || !this.replaySource) return;
    this.replay = { reader: this.replaySource.open(from, to), afterN, to, buffer: [], inFlight: false, done: false, retry: undefined };
    this.fill();
  }

  /** Reads the replay's next page (one at a time, only when the last one is sent). */
  private fill(): void {
    const replay = this.replay;
    if (!replay || replay.inFlight || replay.done || replay.retry !== undefined || this.closed) return;
    replay.inFlight = true;
    replay.reader.next().then(
      (events) => {
        replay.inFlight = false;
        if (this.replay !== replay) return;
        if (events.length === 0) replay.done = true;
        replay.buffer.push(...events);
        this.hub.wake();
      },
      () => {
        replay.inFlight = false;
        if (this.replay !== replay) return;
        replay.retry = setTimeout(() => {
          replay.retry = undefined;
          this.fill();
          this.hub.wake();
        }, REPLAY_RETRY_MS);
        replay.retry.unref?.();
      },
    );
  }

  private endReplay(): void {
    const replay = this.replay;
    if (!replay) return;
    this.replay = null;
    if (replay.retry !== undefined) clearTimeout(replay.retry);
    replay.reader.close();
  }

  /** Bytes of live events (after the backfill) between this client and the head. */
  lagBytes(): number {
    const ring = this.hub.ring;
    const from = Math.max(this.cursor, this.backfillEnd + 1, ring.oldestN);
    return ring.headCum - ring.cumBefore(from);
  }

  private position(options: StartOptions): string {
    const ring = this.hub.ring;
    this.endReplay();
    this.floor = null;
    if (options.since !== undefined) {
      const parsed = parseEventId(options.since);
      let reason: ResetData['reason'] | null = null;
      if (!parsed) reason = 'bad-id';
      else if (parsed.epoch !== this.hub.epoch) reason = 'unknown-epoch';
      else if (parsed.n > ring.headN) reason = 'future-id';
      const withCursor = parsed?.cursor !== undefined && this.replaySource !== undefined && this.hub.cursors;
      if (!reason) {
        this.cursor = parsed!.n + 1;
        this.backfillEnd = 0;
        // The id's hosts may stand before the ring's cursor at n (an id sent during a replay): replay the rest.
        const at = withCursor ? this.hub.cursorAt(parsed!.n) : undefined;
        if (at !== undefined) this.beginReplay(parsed!.cursor!, parseCursor(at)!, parsed!.n);
        return options.since;
      }
      if (reason === 'unknown-epoch' && withCursor) {
        // Another server run, or another server: this server's own sources start over (a local backfill);
        // every host's entries after the id's cursor are replayed from Redis, then live from the ring.
        this.beginReplay(parsed!.cursor!, parseCursor(this.hub.cursor ?? '')!, ring.headN);
        const at = this.startBackfill(options.backfill, true);
        this.queue.push(made('reset', at, { epoch: this.hub.epoch, reason, scope: 'local' } satisfies ResetData));
        return at;
      }
      // Start over as a new client, after telling the client why.
      const at = this.startBackfill(options.backfill);
      this.queue.push(made('reset', at, { epoch: this.hub.epoch, reason } satisfies ResetData));
      return at;
    }
    return this.startBackfill(options.backfill);
  }

  /**
   * Finds, walking back from the head, where each source's last `backfill` lines begin. `localOnly`: of this
   * server's own sources only (hosts' lines are replayed from Redis instead).
   */
  private startBackfill(backfill: number, localOnly = false): string {
    const ring = this.hub.ring;
    this.windows.clear();
    this.keepMetrics.clear();
    this.keepProcessesN = 0;
    const counted = new Map<string, number>();
    const metricsHosts = new Set<string>();
    let start = ring.headN + 1;
    for (let n = ring.headN; n >= ring.oldestN; n--) {
      const e = ring.get(n)!;
      if (!this.matches(e)) continue;
      if (e.type === 'metrics') {
        if (!metricsHosts.has(e.host ?? '')) {
          metricsHosts.add(e.host ?? '');
          this.keepMetrics.add((start = n));
        }
      } else if (localOnly && e.host !== undefined) {
        continue;
      } else if (e.type === 'log') {
        const have = counted.get(e.source!) ?? 0;
        if (have >= backfill) continue;
        counted.set(e.source!, have + e.lines);
        this.windows.set(e.source!, { firstN: n, skip: Math.max(0, have + e.lines - backfill) });
        start = n;
      } else if (e.type === 'processes' && this.keepProcessesN === 0) {
        this.keepProcessesN = start = n;
      }
    }
    this.backfillEnd = ring.headN;
    this.cursor = start;
    return this.idAt(start - 1);
  }

  private matches(e: HubEvent): boolean {
    if (!this.topics.has(e.topic)) return false;
    if (e.source === undefined) return true;
    return this.sources ? this.sources.has(e.source) : !this.excluded.has(e.source);
  }

  /** What this client gets of one ring event, if anything. */
  private select(e: HubEvent): Outgoing | null {
    if (!this.matches(e)) return null;
    if (this.floor && e.entryId !== undefined) {
      // A host entry this client already has (replayed, or it came from a server further along).
      const held = this.floor.get(e.host!);
      if (held !== undefined && compareStreamIds(e.entryId, held) <= 0) return null;
    }
    if (e.n <= this.backfillEnd) {
      // Backfill: the window of lines of each source, the newest metrics and process samples; no
      // `source` events (hello carries the current list).
      if (e.type === 'metrics') return this.keepMetrics.has(e.n) ? e : null;
      if (e.type === 'processes') return e.n === this.keepProcessesN ? e : null;
      if (e.type !== 'log') return null;
      const w = this.windows.get(e.source!);
      if (!w || e.n < w.firstN) return null;
      if (e.n === w.firstN && w.skip > 0) {
        const data = JSON.parse(e.wire.toString('utf8')) as { source: string; lines: LogLine[] };
        return made('log', e.id, { source: data.source, lines: data.lines.slice(w.skip) });
      }
    }
    return e;
  }

  /**
   * The client is too far behind: drop every log event up to the head, keep `source` events and the
   * newest metrics and process samples, and put one `gap` per source where its last dropped event was,
   * so that ids stay increasing and a resume from any id sent is exact.
   */
  private skipToHead(): void {
    const ring = this.hub.ring;
    const from = Math.max(this.cursor, ring.oldestN);
    if (from > this.cursor) {
      this.gap(from - 1, { missed: from - this.cursor, reason: 'expired' });
    }
    const lastDropped = new Map<string, { n: number; lines: number }>();
    const newestMetrics = new Map<string, number>();
    let newestProcesses = 0;
    for (let n = from; n <= ring.headN; n++) {
      const e = ring.get(n)!;
      if (!this.matches(e)) continue;
      if (e.type === 'log') {
        const d = lastDropped.get(e.source!) ?? { n: 0, lines: 0 };
        lastDropped.set(e.source!, { n, lines: d.lines + e.lines });
      } else if (e.type === 'metrics') newestMetrics.set(e.host ?? '', n);
      else if (e.type === 'processes') newestProcesses = n;
    }
    const gapAt = new Map<number, GapData>();
    for (const [source, d] of lastDropped) {
      gapAt.set(d.n, { source, missed: d.lines, reason: 'slow-client' });
      this.linesDropped += d.lines;
    }
    for (let n = from; n <= ring.headN; n++) {
      const e = ring.get(n)!;
      const gap = gapAt.get(n);
      if (gap) this.gap(n, gap);
      else if (!this.matches(e) || e.type === 'log') continue;
      else if (e.type === 'metrics' && newestMetrics.get(e.host ?? '') !== n) continue;
      else if (e.type === 'processes' && n !== newestProcesses) continue;
      else this.queue.push(this.floor ? withId(e, this.idAt(n)) : e);
    }
    this.cursor = ring.headN + 1;
    this.backfillEnd = 0;
  }

  private gap(n: number, data: GapData): void {
    this.queue.push(made('gap', this.idAt(n), data));
  }
}
