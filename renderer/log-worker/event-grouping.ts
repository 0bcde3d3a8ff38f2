// Lines into events, as they arrive: a line the server marks `cont` that comes right after its source's last
// line (the next seq) joins the event that line belongs to; any other line begins an event, a row of the
// views. A line joining an event the views hold already waits, with the others joining it, for the next flush,
// so the views learn of it in one step. One map read per batch of a source, a few comparisons per line.
import type { LogLine } from '../../protocol/events';
import { HeldLine } from './held-rows';

export const EVENT_LIMITS = {
  /**
   * Lines of one event; the next line begins an event of its own (drawn as continuing). A view holds an event
   * until its last line goes, so this bounds the lines an event cut at the buffer's start keeps in memory.
   * A line and 10,000 continuation lines: the most the server gives one event, so its events are never split.
   */
  maxEventLines: 10_001,
  /** Sources whose last event is remembered; past it the one seen first is forgotten (names under a --dir come and go). */
  maxSources: 10_000,
} as const;

/** Lines that joined `event` after it was placed in the views, for them to take in at the flush. */
export interface Growth {
  readonly event: HeldLine;
  readonly lines: HeldLine[];
  /** The flush it waits for. */
  readonly flush: number;
}

interface OpenEvent {
  event: HeldLine;
  /** Its lines so far, those waiting for the flush included. */
  lines: number;
  /** The seq a line must have to continue it. */
  nextSeq: number;
  /** The flush that places it in the views: it is placed once `EventGrouping.flushes` has passed it. */
  flush: number;
  /** Lines waiting to join it, when it was placed already (for the flush the growth names). */
  growth: Growth | null;
}

export class EventGrouping {
  private readonly open = new Map<string, OpenEvent>();
  private growths: Growth[] = [];
  private flushes = 0;

  /**
   * Groups one batch of `source`'s lines (in seq order): the lines that begin an event go to `heads`, the rest
   * join their events. Returns how many lines it took (all of them).
   */
  group(source: string, lines: readonly LogLine[], heads: HeldLine[]): number {
    let open = this.open.get(source);
    for (const line of lines) {
      const held = HeldLine.of(source, line);
      if (line.cont === true && open !== undefined && line.seq === open.nextSeq && open.lines < EVENT_LIMITS.maxEventLines) {
        open.lines++;
        open.nextSeq++;
        if (open.flush === this.flushes) {
          open.event.addLine(held);
        } else {
          if (open.growth === null || open.growth.flush !== this.flushes) this.growths.push((open.growth = { event: open.event, lines: [], flush: this.flushes }));
          open.growth.lines.push(held);
        }
        continue;
      }
      heads.push(held);
      if (open === undefined) {
        open = { event: held, lines: 1, nextSeq: line.seq + 1, flush: this.flushes, growth: null };
        this.open.set(source, open);
        if (this.open.size > EVENT_LIMITS.maxSources) this.open.delete(this.open.keys().next().value!);
      } else {
        open.event = held;
        open.lines = 1;
        open.nextSeq = line.seq + 1;
        open.flush = this.flushes;
        open.growth = null;
      }
    }
    return lines.length;
  }

  /** The heads handed out so far are being placed: returns the lines that joined events placed before them. */
  flush(): readonly Growth[] {
    const growths = this.growths;
    this.growths = [];
    this.flushes++;
    return growths;
  }

  /** Forgets every event (a new connection, a server restart): lines after it begin events of their own. */
  clear(): void {
    this.open.clear();
    this.growths = [];
  }
}

/**
 * A page of `source`'s lines read from disk (in seq order) as events: a `cont` line joins the line before it
 * in the page; one at the page's start joins nothing (its event began before the page) and is drawn as continuing.
 */
export function groupPage(source: string, lines: readonly LogLine[]): HeldLine[] {
  const events: HeldLine[] = [];
  let open: HeldLine | null = null;
  let nextSeq = 0;
  for (const line of lines) {
    const held = HeldLine.of(source, line);
    if (line.cont === true && open !== null && line.seq === nextSeq && open.lineCount < EVENT_LIMITS.maxEventLines) open.addLine(held);
    else events.push((open = held));
    nextSeq = line.seq + 1;
  }
  return events;
}
