// What the views hold: log lines, each stored once and shared by every view that shows its source, and
// markers (lines that were lost or cleared), which belong to one view each.
import type { LogLevel, LogLine } from '../../protocol/events';
import { stripAnsi } from './ansi';
import type { MarkerKind } from '../worker-channel/worker-protocol';

export class HeldLine {
  /** The filter's verdict on this line, valid while `verdictEpoch` is that filter's epoch (see LineFilter). */
  verdict = 0;
  verdictEpoch = 0;

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
  ) {}

  static of(source: string, line: LogLine): HeldLine {
    const text = stripAnsi(line.text);
    return new HeldLine(source, line.seq, line.ts, text, text === line.text ? null : line.text, line.level, line.cut === true);
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

export type HeldRow = HeldLine | Marker;
