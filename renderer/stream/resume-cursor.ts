// Where the stream goes on after a reconnect, and which events are new: the id of the last event delivered
// (the `since` of the next connection), the server run (epoch) it belongs to, and the last line number
// delivered per source, so that a reconnect that has to backfill never shows a line twice. Plain state over
// wire events: no timers, no transport, no DOM.
import { parseEventId } from '../../protocol/event-id';
import type { LogData, WireEvent } from '../../protocol/events';

type ResetEvent = Extract<WireEvent, { type: 'reset' }>;
type LogEvent = Extract<WireEvent, { type: 'log' }>;

export class ResumeCursor {
  /** Resume point: the id of the last stream event delivered. */
  private lastEventId: string | null = null;
  private epoch: string | null = null;
  /** Set when a `hello` from a new epoch already made us reset, so the server's own `reset` is not doubled. */
  private resetAtHello = false;
  /** Last line number delivered per source, oldest entry first. */
  private readonly lastSeq = new Map<string, number>();

  /** `maxTrackedSources`: sources whose last line number is remembered; the least recently seen is forgotten first. */
  constructor(private readonly maxTrackedSources: number) {}

  /** The id the next connection resumes after; null: start afresh, with a backfill. */
  get since(): string | null {
    return this.lastEventId;
  }

  /**
   * Takes the next event of the connection and hands `deliver` what is new, in order: `hello` first on
   * each connection (after a `reset` when it comes from a new server run); a `log` event with only the
   * lines not delivered before, or nothing when none is new; transport answers (`pong`, `error`) never.
   */
  receive(event: WireEvent, deliver: (event: WireEvent) => void): void {
    switch (event.type) {
      case 'hello':
        // A server that restarted while we were away may greet us before (or instead of) saying `reset`.
        this.resetAtHello = this.epoch !== null && event.epoch !== this.epoch;
        if (this.resetAtHello) this.reset({ type: 'reset', id: event.id, epoch: event.epoch, reason: 'unknown-epoch' }, deliver);
        this.epoch = event.epoch;
        // Not a resume point: `hello` greets a connection, it is not a position in the stream.
        deliver(event);
        return;
      case 'reset':
        if (this.resetAtHello && event.epoch === this.epoch) {
          this.resetAtHello = false;
          this.lastEventId = resumableId(event.id, event.epoch);
          return;
        }
        this.reset(event, deliver);
        return;
      case 'log': {
        const fresh = this.freshLines(event);
        this.lastEventId = event.id;
        if (fresh !== null) deliver(fresh);
        return;
      }
      case 'source':
        if (event.op === 'remove') this.lastSeq.delete(event.source.id);
        break;
      case 'pong':
      case 'error':
        // Transport-level answers; the WebSocket transport consumes them.
        return;
    }
    this.lastEventId = event.id;
    deliver(event);
  }

  private reset(event: ResetEvent, deliver: (event: WireEvent) => void): void {
    this.epoch = event.epoch;
    this.lastSeq.clear();
    this.lastEventId = resumableId(event.id, event.epoch);
    deliver(event);
  }

  /** The event without lines already delivered, or null when none is new. */
  private freshLines(event: LogEvent): (LogData & { type: 'log'; id: string }) | null {
    const lines = event.lines;
    if (lines.length === 0) return null;
    const last = this.lastSeq.get(event.source) ?? 0;
    this.rememberSeq(event.source, Math.max(last, lines[lines.length - 1]!.seq));
    if (lines[0]!.seq > last) return event;
    const fresh = lines.filter((line) => line.seq > last);
    return fresh.length === 0 ? null : { ...event, lines: fresh };
  }

  private rememberSeq(source: string, seq: number): void {
    this.lastSeq.delete(source);
    this.lastSeq.set(source, seq);
    if (this.lastSeq.size > this.maxTrackedSources) this.lastSeq.delete(this.lastSeq.keys().next().value!);
  }
}

/** A reset's id is a resume point only if it belongs to the new run; else the next connect starts fresh. */
function resumableId(id: string, epoch: string): string | null {
  return parseEventId(id)?.epoch === epoch ? id : null;
}
