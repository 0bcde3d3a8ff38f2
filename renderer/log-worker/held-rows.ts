// What the views hold: events (a log line and the lines that continue it), each stored once and shared by
// every view that shows its source; markers (lines that were lost or cleared), which belong to one view each;
// and the place an event left when a later line of it moved it (see LogView.grew).
import type { LogLevel, LogLine } from '../../protocol/events';
import { stripAnsi } from '../services/ansi';
import type { MarkerKind } from '../worker-channel/worker-protocol';

/**
 * One line. A line that begins an event is also the event, a view's row: the lines that continue it (a stack
 * trace's frames, `Caused by:`, a traceback's lines) are in `more`, in seq order, and are never rows themselves.
 */
export class HeldLine {
  /** The filter's verdict on the event this line begins, valid while `verdictEpoch` is that filter's epoch (see LineFilter). */
  verdict = 0;
  verdictEpoch = 0;
  /** What the query and the highlight rules found in the event's lines, under the same epoch (see LineFilter). */
  found = 0;
  /** The lines that continue this one's event; null while there are none (most lines). */
  more: HeldLine[] | null = null;
  /** The store let go of the event (its bound, a clear, a new connection): views drop it when it reaches their top. */
  gone = false;

  constructor(
    readonly source: string,
    readonly seq: number,
    readonly ts: number,
    /** Without escape sequences: what filters match and what is drawn. */
    readonly text: string,
    /** The line as received, kept only when it had escape sequences (their styles are read for drawn rows). */
    readonly raw: string | null,
    readonly level: LogLevel | undefined,
    readonly cut: boolean,
    /** The server marked it as continuing the event begun by the line before it. */
    readonly cont: boolean,
  ) {}

  static of(source: string, line: LogLine): HeldLine {
    const text = stripAnsi(line.text);
    return new HeldLine(source, line.seq, line.ts, text, text === line.text ? null : line.text, line.level, line.cut === true, line.cont === true);
  }

  /** Lines of the event this line begins: itself and those that continue it. */
  get lineCount(): number {
    return this.more === null ? 1 : 1 + this.more.length;
  }

  /** Line `at` of the event (0 is this one), `at` < lineCount. */
  lineAt(at: number): HeldLine {
    return at === 0 ? this : this.more![at - 1]!;
  }

  addLine(line: HeldLine): void {
    if (this.more === null) this.more = [line];
    else this.more.push(line);
  }
}

export class Marker {
  constructor(
    readonly kind: MarkerKind,
    /** Where it sits in time: the time of the row before it, so it never breaks a view's time order. */
    readonly ts: number,
    /** In words, ready to show. */
    readonly text: string,
  ) {}
}

/** The place an event left for the end of a view: holds no line, never shown. */
export class Vacated {}
export const VACATED = new Vacated();

export type HeldRow = HeldLine | Marker | Vacated;
