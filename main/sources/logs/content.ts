// What a log file holds from its first byte, apart from the file that holds it: a file truncated or rewritten
// in place begins a new content, and a copy (logrotate's copytruncate) carries the content it was copied
// from. Every file that carries a content reads it from one shared position, with one line splitter, so a
// byte read from the original is never read again from a copy, whichever is read first, and a line cut
// between the two is joined.
import { FINGERPRINT_BYTES } from './limits';
import { EventContinuation } from './event-continuation';
import type { LogLevel } from '../../../protocol/events';
import { LineSplitter } from './line-splitter';

/** The line that began an event: its continuation lines carry its time and level. */
export interface EventHead {
  ts: number;
  level: LogLevel | undefined;
}

/** The source a content's lines show under: one per content, whichever file they are read from. */
export interface ContentOwner {
  readonly path: string;
  /** Does this source still hold a file that carries `content`? Once not, another holder takes it on. */
  holdsContent(content: Content): boolean;
}

export class Content {
  /** The first bytes (up to FINGERPRINT_BYTES); grows with what is read while it is shorter. */
  fingerprint: Buffer;
  /** Bytes of it read (and shown) so far, from whichever file carries it. */
  readTo: number;
  /** The file it is read from first (its dev:ino key) while that file still holds it; null once it ended there. */
  origin: string | null;
  /** Where it was first seen: a copy must be found at a rotation name of this path. */
  readonly homePath: string;
  /** The dev:ino key of the file it was first read from (kept after it ended there: old lines are looked for in it). */
  readonly firstFile: string;
  owner: ContentOwner;
  /** When bytes of it were last read (or it changed hands): its unfinished line waits from here. */
  lastDataAt = Date.now();
  /** Its first file was truncated or rewritten in place: its bytes are only in copies now. */
  rewritten = false;
  /** The time of the last line read from it that had one of its own: lines without one were written then. */
  lastOwnTs: number | null = null;
  /** Which lines continue the event a line before them began (a stack trace), and that event's head. */
  readonly events = new EventContinuation();
  head: EventHead | null = null;
  /** Reading started at its last lines rather than its start (they are history, not activity). */
  backfilled = false;
  readonly splitter: LineSplitter;

  /** When its first file was born (ms; 0 where the file system keeps no birth time): older rotations were last written before. */
  readonly firstFileBornMs: number;

  constructor(options: { fingerprint: Buffer; readTo: number; origin: string; bornMs: number; owner: ContentOwner; maxLineBytes: number }) {
    this.fingerprint = options.fingerprint;
    this.readTo = options.readTo;
    this.origin = options.origin;
    this.owner = options.owner;
    this.homePath = options.owner.path;
    this.firstFile = options.origin;
    this.firstFileBornMs = options.bornMs;
    this.splitter = new LineSplitter(options.maxLineBytes, options.readTo === 0);
  }

  /** Grows the print with bytes just read at `at`, while it is shorter than FINGERPRINT_BYTES. */
  extendFingerprint(bytes: Buffer, at: number): void {
    const print = this.fingerprint;
    if (at > print.length || print.length >= FINGERPRINT_BYTES) return;
    const more = bytes.subarray(print.length - at, FINGERPRINT_BYTES - at);
    if (more.length > 0) this.fingerprint = Buffer.concat([print, more]);
  }
}
