// The bounded history of events that clients resume from and are backfilled from.
// Bounded by count (a fixed circular array) and by bytes (oldest evicted first). It also counts the log
// lines it holds of each source, so "does any line of this source remain?" is one map read.
import type { EventType, Topic } from '../../protocol/events';

export interface HubEvent {
  /** Position in this run: 1, 2, 3… The wire id is `<epoch>-<n>`. */
  readonly n: number;
  readonly id: string;
  readonly type: EventType;
  readonly topic: Topic;
  /** The source id, for `log` and `source` events. */
  readonly source: string | undefined;
  /**
   * The event object `{"type","id",...data}` as UTF-8 JSON: encoded once, written as it is by every
   * transport to every client, and kept off the JS heap so the ring's byte bound is what it costs.
   */
  readonly wire: Buffer;
  /** Log lines carried (0 for other events). */
  readonly lines: number;
  /** Bytes this event accounts for in the ring and in client queues. */
  readonly bytes: number;
  /** Running total of `bytes` up to and including this event: lag = head.cum - cursor.cum. */
  readonly cum: number;
  /**
   * On a hub reading hosts' Redis streams: every host stream's position as of this event (the id's cursor,
   * one string shared by the events between two entries). Undefined on a hub without cursors.
   */
  readonly cursor?: string;
  /** The host of an event read from its Redis stream (log, source, metrics); undefined for this server's own. */
  readonly host?: string;
  /** The Redis stream entry id of an event that is one (log and source entries of a host's logs stream). */
  readonly entryId?: string;
}

/** Per-event bookkeeping counted on top of the wire bytes (the event object, its id, the Buffer header). */
export const EVENT_OVERHEAD_BYTES = 200;

export class EventRing {
  private readonly slots: (HubEvent | undefined)[];
  private first = 1; // n of the oldest event kept
  private next = 1; // n the next event gets
  private bytes = 0;
  private cumulative = 0;
  /** The cursor of the newest event evicted: what the id `oldestN - 1` (a gap's) stands for. */
  private evictedCursor: string | undefined = undefined;
  /** Log lines held per source; a source with none has no entry, so its size is at most `maxEvents`. */
  private readonly linesBySource = new Map<string, number>();

  /** `onLinesGone` is called when the last line held of a source leaves the ring. */
  constructor(
    readonly maxEvents: number,
    readonly maxBytes: number,
    private readonly onLinesGone: (source: string) => void = () => {},
  ) {
    this.slots = new Array(maxEvents);
  }

  /** n of the oldest event kept (== headN + 1 when empty). */
  get oldestN(): number {
    return this.first;
  }
  /** n of the newest event (0 before the first). */
  get headN(): number {
    return this.next - 1;
  }
  get size(): number {
    return this.next - this.first;
  }
  get sizeBytes(): number {
    return this.bytes;
  }
  /** Running byte total at the head: what a client at `n` still has to receive is `headCum - cumAt(n)`. */
  get headCum(): number {
    return this.cumulative;
  }

  /** Log lines of `source` held now (0 when none). */
  linesOf(source: string): number {
    return this.linesBySource.get(source) ?? 0;
  }

  /** Sources with at least one line held. */
  get sourcesHeld(): number {
    return this.linesBySource.size;
  }

  append(make: (n: number, cum: (bytes: number) => number) => HubEvent): HubEvent {
    const n = this.next;
    const event = make(n, (bytes) => this.cumulative + bytes);
    this.cumulative = event.cum;
    // Counted before anything is evicted: a source whose older events make room is never seen as gone.
    if (event.lines > 0 && event.source !== undefined) this.linesBySource.set(event.source, this.linesOf(event.source) + event.lines);
    if (this.size === this.maxEvents) this.evictOldest();
    this.slots[n % this.maxEvents] = event;
    this.next++;
    this.bytes += event.bytes;
    while (this.bytes > this.maxBytes && this.size > 1) this.evictOldest();
    return event;
  }

  /** The cursor of event n, of the one just evicted (n = oldestN - 1), or undefined. */
  cursorOf(n: number): string | undefined {
    return n === this.first - 1 ? this.evictedCursor : this.get(n)?.cursor;
  }

  get(n: number): HubEvent | undefined {
    return n >= this.first && n < this.next ? this.slots[n % this.maxEvents] : undefined;
  }

  /** The running byte total just before event n (n may be one past the head). */
  cumBefore(n: number): number {
    if (n >= this.next) return this.cumulative;
    const e = this.get(n);
    return e ? e.cum - e.bytes : 0;
  }

  private evictOldest(): void {
    const i = this.first % this.maxEvents;
    const event = this.slots[i]!;
    this.bytes -= event.bytes;
    this.evictedCursor = event.cursor;
    this.slots[i] = undefined;
    this.first++;
    if (event.lines > 0 && event.source !== undefined) {
      const left = this.linesOf(event.source) - event.lines;
      if (left > 0) {
        this.linesBySource.set(event.source, left);
      } else {
        this.linesBySource.delete(event.source);
        this.onLinesGone(event.source);
      }
    }
  }
}
