// Turns the bytes of a file, read in chunks of any size, into lines of text.
//
// Lines are split on the byte 0x0A before decoding, so a UTF-8 character split across two reads decodes
// whole. Memory is bounded: a line still waiting for its newline is held in one buffer of `maxLineBytes`.
// Most logs are ASCII: whole ASCII lines are made one string per ~32 KiB and cut into lines as slices of it
// (no decoder call or Buffer view per line, which was most of a read's cost); others are decoded one by one.
import { isAscii } from 'node:buffer';
import { PLAIN_TEXT } from '../../../protocol/encode';

/** A char that makes a line of an ASCII chunk not plain (protocol/encode.ts): a CR only when not before LF. */
const NOT_PLAIN_IN_LINES = /[\x00-\x09\x0b\x0c\x0e-\x1f]|\r(?!\n)/;

/** The ASCII way makes strings of about this many bytes of whole lines (V8 keeps objects of 128 KiB or more apart). */
const ASCII_PIECE_BYTES = 32 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Receives each line: its text without terminator, whether it was cut at the line cap, and where the next
 * line starts as an index into the chunk pushed (-1 when that is not known yet: a cut line whose rest is still
 * to come, a line given out by flushPartial). A caller can hand lines on there, mid-chunk.
 */
export type LineHandler = (text: string, cut: boolean, next: number) => void;

/**
 * How many of `bytes` to keep so that they do not end inside a UTF-8 sequence (for a line cut at the cap).
 * Bytes that are not well-formed UTF-8 are kept as they are: the decoder shows them as U+FFFD anyway.
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const length = bytes.length;
  // A UTF-8 sequence is at most 4 bytes: only a lead byte among the last 3 can start one that does not fit.
  for (let i = length - 1; i >= 0 && i >= length - 3; i--) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    const sequence = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return i + sequence > length ? i : length;
  }
  return length;
}

export class LineSplitter {
  readonly maxLineBytes: number;
  /** Keeps U+FEFF: inside a file it is a character of a line (a file's leading BOM is dropped, see atFileStart). */
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The next line is the file's first: a UTF-8 byte order mark before it is not text. */
  private atFileStart: boolean;
  /** Bytes of the line still waiting for its newline; allocated on first need. */
  private partial: Buffer | null = null;
  private partialLength = 0;
  /** Inside the rest of a line already given out cut (or one started before we began): drop bytes up to its newline. */
  private discarding = false;
  /** The held bytes were just given out by `flushPartial`; an empty remainder of that line is not a line of its own. */
  private afterFlush = false;
  /** Where the piece the ASCII way last refused (not ASCII) ends: the general way takes its lines. */
  private refusedTo = 0;
  /**
   * Every line the last `push` or `flushPartial` gave out is plain (PLAIN_TEXT: printable ASCII), so its
   * batch's JSON is cheaper to write. Found for a chunk's ASCII lines at once, with one regex.
   */
  plain = true;

  /** `fileStart`: the first bytes pushed are the file's first (not a read from the middle). */
  constructor(maxLineBytes: number, fileStart = false) {
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes: expected a positive whole number, got ${maxLineBytes}`);
    }
    this.maxLineBytes = maxLineBytes;
    this.atFileStart = fileStart;
  }

  /**
   * Where the next line given out starts, for bytes pushed next that start at `at` in the file; null while
   * the rest of a line is being dropped (that line's start is not the next line's).
   */
  nextLineStart(at: number): number | null {
    return this.discarding ? null : at - this.partialLength;
  }

  /** True while bytes of an unfinished line are held. */
  get hasPartial(): boolean {
    return this.partialLength > 0;
  }

  /** The next byte pushed starts a line: none is held, and none is being dropped. */
  get atLineStart(): boolean {
    return this.partialLength === 0 && !this.discarding;
  }

  /**
   * Whole lines, none of them empty, were taken elsewhere (the line kernel) where the next `push` would have
   * started: what the splitter keeps about the line before (the file's first, one just flushed) is spent.
   */
  linesTakenElsewhere(): void {
    this.atFileStart = false;
    this.afterFlush = false;
  }

  /** Splits `chunk`, calling `onLine` for every line it completes; the unfinished tail is held for the next call. */
  push(chunk: Uint8Array, onLine: LineHandler): void {
    const max = this.maxLineBytes;
    let start = 0;
    /** The ASCII way is tried at a line start from here on: past the piece it last refused. */
    let asciiFrom = 0;
    this.plain = true;
    while (start < chunk.length) {
      if (start >= asciiFrom && this.partialLength === 0 && !this.discarding) {
        // As soon as no line is held (a chunk usually starts inside a line).
        const stop = this.pushAsciiLines(chunk, start, onLine);
        asciiFrom = stop === start ? Math.max(this.refusedTo, start + 1) : stop;
        start = stop;
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.discarding) {
        if (newline === -1) return;
        this.discarding = false;
        start = newline + 1;
        continue;
      }
      const length = end - start;
      if (this.partialLength + length > max) {
        // Overlong: give out the first `max` bytes now, so the held buffer never grows past the cap.
        const room = max - this.partialLength;
        if (this.partialLength === 0) {
          this.emitCut(chunk.subarray(start, start + max), onLine, newline === -1 ? -1 : newline + 1);
        } else {
          const held = this.hold(chunk.subarray(start, start + room));
          this.partialLength = 0;
          this.emitCut(held, onLine, newline === -1 ? -1 : newline + 1);
        }
        this.afterFlush = false;
        if (newline === -1) {
          this.discarding = true;
          return;
        }
      } else if (newline === -1) {
        this.hold(chunk.subarray(start, end));
        return;
      } else if (this.partialLength === 0) {
        this.emitWhole(chunk.subarray(start, end), onLine, newline + 1);
      } else {
        const held = this.hold(chunk.subarray(start, end));
        this.partialLength = 0;
        this.emitWhole(held, onLine, newline + 1);
      }
      start = newline + 1;
    }
  }

  /**
   * Gives out the held unfinished line as a line (the file went quiet, or it ended). It is never given out
   * twice: bytes of the same line that come later start a new line.
   */
  flushPartial(onLine: LineHandler): void {
    this.plain = true;
    if (this.partialLength === 0) return;
    const held = this.partial!.subarray(0, this.partialLength);
    this.partialLength = 0;
    this.emitWhole(held, onLine, -1);
    this.afterFlush = true;
  }

  /** The next bytes continue a line we do not have the start of: drop them up to and including its newline. */
  discardUntilNewline(): void {
    this.atFileStart = false;
    this.partialLength = 0;
    this.afterFlush = false;
    this.discarding = true;
  }

  /** Forgets held bytes and state, for a file that starts over (truncated, or replaced). */
  reset(): void {
    this.partialLength = 0;
    this.afterFlush = false;
    this.discarding = false;
  }

  /**
   * Gives out the whole lines of `chunk` from `from` on when they are all ASCII (a byte is then a char, and
   * no line can start with a BOM), as slices of one string. Returns where the bytes it did not take start:
   * `from` when it took none, else after the last newline (the unfinished rest goes the general way).
   */
  private pushAsciiLines(chunk: Uint8Array, from: number, onLine: LineHandler): number {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < from) {
      this.refusedTo = chunk.length;
      return from;
    }
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // In pieces of whole lines (~ASCII_PIECE_BYTES): each piece's string is small enough to be made in V8's
    // young generation and die there with its lines; a 1 MiB one would sit in the large-object space until
    // a full collection, holding the RSS up by every chunk read meanwhile.
    let at = from;
    while (at <= last) {
      const end = at + ASCII_PIECE_BYTES > last ? last : Math.max(bytes.lastIndexOf(NEWLINE, at + ASCII_PIECE_BYTES), bytes.indexOf(NEWLINE, at));
      if (!isAscii(bytes.subarray(at, end))) {
        this.refusedTo = end + 1;
        return at;
      }
      this.asciiLines(bytes.toString('latin1', at, end + 1), at, onLine);
      at = end + 1;
    }
    this.refusedTo = last + 1;
    return at;
  }

  /** Gives out the lines of `text`, whole ASCII lines that start at `from` in the chunk. */
  private asciiLines(text: string, from: number, onLine: LineHandler): void {
    if (this.plain && NOT_PLAIN_IN_LINES.test(text)) this.plain = false;
    const max = this.maxLineBytes;
    this.atFileStart = false;
    for (let start = 0; start < text.length; ) {
      const newline = text.indexOf('\n', start);
      if (newline - start > max) {
        // Overlong: its first `max` bytes, cut; the rest of it, up to its newline, is dropped.
        onLine(text.slice(start, start + max), true, from + newline + 1);
        this.afterFlush = false;
      } else {
        const end = newline > start && text.charCodeAt(newline - 1) === CARRIAGE_RETURN ? newline - 1 : newline;
        const skip = this.afterFlush && end === start;
        this.afterFlush = false;
        if (!skip) onLine(text.slice(start, end), false, from + newline + 1);
      }
      start = newline + 1;
    }
  }

  /** Appends bytes to the held line and returns all of it. The caller keeps the total within `maxLineBytes`. */
  private hold(bytes: Uint8Array): Buffer {
    this.partial ??= Buffer.allocUnsafe(this.maxLineBytes);
    this.partial.set(bytes, this.partialLength);
    this.partialLength += bytes.length;
    return this.partial.subarray(0, this.partialLength);
  }

  private emitWhole(bytes: Uint8Array, onLine: LineHandler, next: number): void {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
    const skip = this.afterFlush && end === 0;
    this.afterFlush = false;
    if (!skip) this.emitDecoded(bytes.subarray(this.bomLength(bytes), end), false, onLine, next);
  }

  private emitCut(bytes: Uint8Array, onLine: LineHandler, next: number): void {
    this.emitDecoded(bytes.subarray(this.bomLength(bytes), completeUtf8Length(bytes)), true, onLine, next);
  }

  private emitDecoded(bytes: Uint8Array, cut: boolean, onLine: LineHandler, next: number): void {
    const text = this.decoder.decode(bytes);
    if (this.plain && !PLAIN_TEXT.test(text)) this.plain = false;
    onLine(text, cut, next);
  }

  /** 3 when `bytes` are the file's first line and open with a UTF-8 BOM, else 0. */
  private bomLength(bytes: Uint8Array): number {
    if (!this.atFileStart) return 0;
    this.atFileStart = false;
    return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  }
}
