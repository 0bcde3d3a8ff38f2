// The in-process publish/subscribe core between sources and transports. It batches log lines into
// one `log` event per source per flush, gives every event its id, keeps the bounded ring, and wakes
// the transports, which then pull what each of their clients can take (see subscription.ts). It also keeps
// the removed sources whose lines the ring still holds, so those lines keep their name (removed-sources.ts).
import type { EventDataMap, LogLine, SourceEventData, Topic } from '../../protocol/events';
import { formatEventId, newEpoch } from '../../protocol/event-id';
import type { HostEntry } from '../../protocol/host-streams';
import { plainLogDataJson, wireHead, wireJson } from '../../protocol/encode';
import { EVENT_OVERHEAD_BYTES, EventRing, type HubEvent } from './event-ring';
import { RemovedSources } from './removed-sources';

export interface EventHubOptions {
  ringEvents: number;
  ringBytes: number;
  /** A source's pending lines are flushed at once when they reach this size (bytes of text). */
  batchBytes?: number;
  /** …or this many lines. */
  batchLines?: number;
  /** Removed sources listed while the ring holds lines of them (default REMOVED_SOURCE_LIMITS.maxSources). */
  maxRemovedSources?: number;
  epoch?: string;
  /**
   * Ids carry the Redis cursor (`<epoch>-<n>.<cursor>`, protocol/event-id.ts): on for a server that reads
   * hosts' streams. Off, ids are `<epoch>-<n>` and nothing else changes.
   */
  cursors?: boolean;
}

/** A batch this big goes out without waiting for the event loop to turn: bursts become large, bounded events. */
export const DEFAULT_BATCH_BYTES = 64 * 1024;
export const DEFAULT_BATCH_LINES = 8192;
/** JSON framing of one line besides its text ({"seq":…,"ts":…,"text":"",…}). */
const LINE_OVERHEAD_BYTES = 48;

type PublishedType = 'metrics' | 'processes' | 'source';
const TOPIC: Record<PublishedType | 'log', Topic> = { log: 'logs', metrics: 'metrics', processes: 'processes', source: 'sources' };

interface PendingBatch {
  lines: LogLine[];
  /** Or: lines already written as JSON (appendEncoded), `encodedLines` of them. A batch holds one kind. */
  encoded: Uint8Array[];
  encodedLines: number;
  bytes: number;
  /** Every text is known plain (see appendLines). */
  plain: boolean;
}

export class EventHub {
  readonly epoch: string;
  readonly ring: EventRing;
  /** Sources removed (`source` event with op `remove`) whose lines the ring still holds. */
  readonly removedSources: RemovedSources;
  private readonly batchBytes: number;
  private readonly batchLines: number;
  private readonly pending = new Map<string, PendingBatch>();
  private flushScheduled = false;
  /** A batch went out at the end of a callback in this turn of the loop (see scheduleFlush). */
  private flushedThisTurn = false;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private dirty = false;
  private notifying = false;
  /** Lines published per source since start (for statistics). */
  readonly linesPublished = new Map<string, number>();
  readonly cursors: boolean;
  /** The cursor of the next event (cursors on): moved by each host entry. */
  private cursorText: string | undefined;

  constructor(options: EventHubOptions) {
    this.epoch = options.epoch ?? newEpoch();
    this.ring = new EventRing(options.ringEvents, options.ringBytes, (source) => this.removedSources.linesGone(source));
    this.removedSources = new RemovedSources((source) => this.ring.linesOf(source), options.maxRemovedSources);
    this.batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
    this.batchLines = options.batchLines ?? DEFAULT_BATCH_LINES;
    this.cursors = options.cursors ?? false;
    this.cursorText = this.cursors ? '' : undefined;
  }

  /**
   * The id of position n. With cursors, one the ring let go of has lost its cursor: its id has none (another
   * server then resets it whole rather than replay the hosts from a position it cannot know).
   */
  idOf(n: number): string {
    return formatEventId(this.epoch, n, this.cursorAt(n));
  }

  /** The cursor now: where every host's stream stands as of the head (undefined without cursors). */
  get cursor(): string | undefined {
    return this.cursorText;
  }

  /** The cursor as of event n (past the head: now; 0: before any); undefined for an event the ring let go. */
  cursorAt(n: number): string | undefined {
    if (!this.cursors) return undefined;
    if (n > this.ring.headN) return this.cursorText;
    return this.ring.cursorOf(n) ?? (n === 0 ? '' : undefined);
  }

  /** Moves the cursor without an event (entries read that become none, such as a host's backfill beyond its window). */
  moveCursor(cursor: string): void {
    if (this.cursors) this.cursorText = cursor;
  }

  /** Puts an event read from a host's Redis stream into the ring as it is. */
  publishEntry(entry: HostEntry): void {
    if (this.closed) return;
    if (entry.cursor !== undefined && this.cursors) this.cursorText = entry.cursor;
    const topic = TOPIC[entry.type];
    this.push(entry.type, topic, entry.source, entry.json, entry.lines, entry.host, entry.entryId);
    if (entry.type === 'log' && entry.source !== undefined) {
      this.linesPublished.set(entry.source, (this.linesPublished.get(entry.source) ?? 0) + entry.lines);
    }
    if (entry.sourceEvent) this.removedSources.noteEvent(entry.sourceEvent);
    this.notify();
  }

  /** Wakes the transports without a new event (a client's replay from Redis has its next page). */
  wake(): void {
    this.notify();
  }

  /**
   * Queues lines of one source. The first in a turn of the event loop go out when the callback that gave
   * them returns, later ones in that turn when the loop is next free; at once past the batch cap.
   * `plain`: the caller knows every text is plain (protocol/encode.ts PLAIN_TEXT): its JSON is written by hand.
   */
  appendLines(source: string, lines: readonly LogLine[], plain = false): void {
    if (this.closed || lines.length === 0) return;
    let batch = this.pendingOf(source, 'lines', plain);
    let emitted = false;
    for (const line of lines) {
      batch.lines.push(line);
      batch.bytes += line.text.length + LINE_OVERHEAD_BYTES;
      if (batch.bytes >= this.batchBytes || batch.lines.length >= this.batchLines) {
        this.emitBatch(source, batch);
        emitted = true;
        batch = newBatch(plain);
        this.pending.set(source, batch);
      }
    }
    if (batch.lines.length === 0) this.pending.delete(source);
    else this.scheduleFlush();
    if (emitted) this.notify();
  }

  /**
   * Queues lines of one source already written as JSON: `json` is their `{"seq":...}` objects, comma-separated,
   * as plainLogDataJson writes them (the line kernel's), `count` of them. Batched and ordered as appendLines.
   */
  appendEncoded(source: string, json: Uint8Array, count: number): void {
    if (this.closed || count === 0) return;
    const batch = this.pendingOf(source, 'encoded', true);
    batch.encoded.push(json);
    batch.encodedLines += count;
    batch.bytes += json.length;
    if (batch.bytes >= this.batchBytes || batch.encodedLines >= this.batchLines) {
      this.emitBatch(source, batch);
      this.pending.delete(source);
      this.notify();
    } else {
      this.scheduleFlush();
    }
  }

  /** Publishes a non-log event. Pending log lines go first, so a `source` remove never overtakes its lines. */
  publish<T extends PublishedType>(type: T, data: EventDataMap[T], source?: string): HubEvent | undefined {
    if (this.closed) return undefined;
    this.flushPending();
    const event = this.push(type, TOPIC[type], source, JSON.stringify(data), 0);
    if (type === 'source') this.removedSources.noteEvent(data as SourceEventData);
    this.notify();
    return event;
  }

  /** Sends every pending batch now. */
  flush(): void {
    this.flushPending();
    this.notify();
  }

  /** Calls `listener` after new events are in the ring. Returns the unsubscribe function. */
  onEvents(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.flush();
    this.closed = true;
    this.listeners.clear();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const flush = () => {
      this.flushScheduled = false;
      this.flush();
    };
    // By setImmediate alone a line read at low rate waits for every other I/O callback of its turn (the file
    // watchers', 0.3 ms and more). The rest of a busy turn still goes out together, at most two batches a turn.
    if (this.flushedThisTurn) return void setImmediate(flush);
    this.flushedThisTurn = true;
    setImmediate(() => (this.flushedThisTurn = false));
    process.nextTick(flush);
  }

  /** The source's pending batch, for lines of this kind: one of the other kind goes out first, to keep the order. */
  private pendingOf(source: string, kind: 'lines' | 'encoded', plain: boolean): PendingBatch {
    let batch = this.pending.get(source);
    if (batch && (kind === 'lines' ? batch.encoded.length > 0 : batch.lines.length > 0)) {
      this.emitBatch(source, batch);
      this.notify();
      batch = undefined;
    }
    if (!batch) this.pending.set(source, (batch = newBatch(plain)));
    else if (!plain) batch.plain = false;
    return batch;
  }

  private flushPending(): void {
    for (const [source, batch] of this.pending) this.emitBatch(source, batch);
    this.pending.clear();
  }

  private emitBatch(source: string, batch: PendingBatch): void {
    const { lines, encoded } = batch;
    const count = encoded.length > 0 ? batch.encodedLines : lines.length;
    if (count === 0) return;
    let data: string | ((id: string) => string | Buffer);
    if (encoded.length > 0) {
      data = (id) => encodedLogWire(wireHead('log', id) + ',"source":' + JSON.stringify(source) + ',"lines":[', encoded);
    } else if (batch.plain) {
      // Plain texts: the event is written whole, in ASCII, once its id is known (see plainLogDataJson).
      data = (id) => plainLogDataJson(source, lines, wireHead('log', id) + ',');
    } else {
      data = JSON.stringify({ source, lines });
    }
    this.push('log', 'logs', source, data, count);
    this.linesPublished.set(source, (this.linesPublished.get(source) ?? 0) + count);
  }

  private push(
    type: HubEvent['type'],
    topic: Topic,
    source: string | undefined,
    /**
     * The data's JSON, or the whole event's given its id: in ASCII (then encoded as Latin-1: a copy, no UTF-8
     * pass), or already bytes.
     */
    data: string | ((id: string) => string | Buffer),
    lines: number,
    host?: string,
    entryId?: string,
  ): HubEvent {
    const cursor = this.cursorText;
    return this.ring.append((n, cum) => {
      const id = formatEventId(this.epoch, n, cursor);
      const made = typeof data === 'string' ? Buffer.from(wireJson(type, id, data), 'utf8') : data(id);
      const wire = typeof made === 'string' ? Buffer.from(made, 'latin1') : made;
      const bytes = wire.length + EVENT_OVERHEAD_BYTES;
      return { n, id, type, topic, source, wire, lines, bytes, cum: cum(bytes), cursor, host, entryId };
    });
  }

  /** Wakes listeners; re-entrant calls (a listener that publishes) are folded into one more round. */
  private notify(): void {
    this.dirty = true;
    if (this.notifying) return;
    this.notifying = true;
    try {
      while (this.dirty) {
        this.dirty = false;
        for (const listener of this.listeners) listener();
      }
    } finally {
      this.notifying = false;
    }
  }
}

function newBatch(plain: boolean): PendingBatch {
  return { lines: [], encoded: [], encodedLines: 0, bytes: 0, plain };
}

/** A `log` event's bytes: `head` (up to `"lines":[`), the lines' JSON parts joined by commas, then `]}`. */
function encodedLogWire(head: string, parts: readonly Uint8Array[]): Buffer {
  const headBytes = Buffer.byteLength(head);
  let size = headBytes + parts.length - 1 + 2;
  for (const part of parts) size += part.length;
  const wire = Buffer.allocUnsafe(size);
  let at = wire.write(head);
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) wire[at++] = 0x2c;
    wire.set(parts[i]!, at);
    at += parts[i]!.length;
  }
  wire[at++] = 0x5d;
  wire[at] = 0x7d;
  return wire;
}
