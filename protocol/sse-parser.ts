// An incremental parser for text/event-stream (WHATWG HTML §9.2.6), for clients that cannot use
// EventSource (Node scripts, tests, streaming fetch). Feed it either decoded text (`push`) or the stream's
// bytes (`pushBytes`), in chunks of any size; one parser takes one of the two.

export interface SseMessage {
  event: string;
  data: string;
  id: string;
}

export interface SseParserOptions {
  /**
   * UTF-8 decoding of a field's value bytes for `pushBytes` (default: TextDecoder). Node callers may pass a
   * faster one (Buffer's `toString('utf8')`); it must replace invalid sequences with U+FFFD, as TextDecoder does,
   * and keep a leading U+FEFF.
   */
  decode?: (bytes: Uint8Array) => string;
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
/** The stream's UTF-8 decoding drops one byte order mark at its start (WHATWG Encoding "UTF-8 decode"). */
const BOM = [0xef, 0xbb, 0xbf] as const;

export class SseParser {
  /** `push`: the text of an unfinished line. */
  private tail = '';
  /** `pushBytes`: the pieces of an unfinished line (kept, not copied: chunks must not change after push). */
  private pieces: Uint8Array[] = [];
  /** The last chunk ended with CR: an LF starting the next one is the second half of that CRLF. */
  private afterCr = false;
  /** `pushBytes`: bytes of a leading BOM matched so far, or -1 once past the stream's start. */
  private bomMatched = 0;
  private data: string[] = [];
  private event = '';
  private readonly decode: (bytes: Uint8Array) => string;
  /** The last event id, as EventSource keeps it: it survives across messages. */
  lastEventId = '';
  /** The last `retry:` value in ms, if any. */
  retry: number | null = null;
  /** Comment lines seen (heartbeats). */
  comments = 0;

  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    options: SseParserOptions = {},
  ) {
    if (options.decode) this.decode = options.decode;
    else {
      // A value may begin with U+FEFF: it is text (only the stream's first BOM is not, see skipBom).
      const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
      this.decode = (bytes) => decoder.decode(bytes);
    }
  }

  /** Decoded text. A line may end in one chunk and its CRLF's LF start the next. */
  push(chunk: string): void {
    let lineStart = 0;
    if (this.afterCr) {
      this.afterCr = false;
      if (chunk.charCodeAt(0) === LF) lineStart = 1;
    }
    let text = chunk;
    let scanFrom = lineStart;
    if (this.tail !== '') {
      // The held text has no line end in it: the scan starts where the new text does.
      text = this.tail + chunk;
      scanFrom = this.tail.length;
      this.tail = '';
    }
    // Where the next CR and LF are, each looked for again only once passed: a chunk of many short lines
    // is scanned once, not once per line.
    let lf = text.indexOf('\n', scanFrom);
    let cr = text.indexOf('\r', scanFrom);
    for (;;) {
      let end: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) end = cr;
      else if (lf !== -1) end = lf;
      else break;
      this.line(text.slice(lineStart, end));
      lineStart = end + 1;
      if (end === cr) {
        if (lineStart === text.length) {
          this.afterCr = true;
          return;
        }
        if (lf === lineStart) lineStart++;
        cr = text.indexOf('\r', lineStart);
      }
      if (lf !== -1 && lf < lineStart) lf = text.indexOf('\n', lineStart);
    }
    this.tail = lineStart === 0 ? text : text.slice(lineStart);
  }

  /**
   * The stream's bytes, undecoded: lines are split on CR and LF bytes (never part of a UTF-8 sequence) and
   * only the values of known fields are decoded. The chunk is kept while its last line is unfinished.
   */
  pushBytes(chunk: Uint8Array): void {
    let start = 0;
    if (this.bomMatched !== -1) {
      start = this.skipBom(chunk);
      if (start === chunk.length) return;
    }
    if (this.afterCr) {
      this.afterCr = false;
      if (chunk[start] === LF) start++;
    }
    // `chunk.indexOf` is Buffer's (memchr) when a Node caller passes Buffers.
    let lf = chunk.indexOf(LF, start);
    let cr = chunk.indexOf(CR, start);
    for (;;) {
      let end: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) end = cr;
      else if (lf !== -1) end = lf;
      else break;
      this.lineOfBytes(chunk, start, end);
      start = end + 1;
      if (end === cr) {
        if (start === chunk.length) {
          this.afterCr = true;
          return;
        }
        if (lf === start) start++;
        cr = chunk.indexOf(CR, start);
      }
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.pieces.push(start === 0 ? chunk : chunk.subarray(start));
  }

  /** Matches a leading BOM, across chunks if need be; returns where the stream's text starts in `chunk`. */
  private skipBom(chunk: Uint8Array): number {
    let i = 0;
    while (i < chunk.length && this.bomMatched < BOM.length) {
      if (chunk[i] !== BOM[this.bomMatched]) {
        // Not a BOM: the bytes taken for one are the stream's first bytes after all.
        if (this.bomMatched > 0) this.pieces.push(Uint8Array.from(BOM.slice(0, this.bomMatched)));
        this.bomMatched = -1;
        return i;
      }
      this.bomMatched++;
      i++;
    }
    if (this.bomMatched === BOM.length) this.bomMatched = -1;
    return i;
  }

  /** The line `chunk[start, end)`, after any pieces held from earlier chunks. */
  private lineOfBytes(chunk: Uint8Array, start: number, end: number): void {
    let bytes = chunk;
    if (this.pieces.length > 0) {
      let length = end - start;
      for (const p of this.pieces) length += p.length;
      bytes = new Uint8Array(length);
      let at = 0;
      for (const p of this.pieces) {
        bytes.set(p, at);
        at += p.length;
      }
      bytes.set(chunk.subarray(start, end), at);
      this.pieces = [];
      start = 0;
      end = length;
    }
    if (start === end) return this.dispatch();
    if (bytes[start] === COLON) {
      this.comments++;
      return;
    }
    let colon = start;
    while (colon < end && bytes[colon] !== COLON) colon++;
    let valueStart = colon < end ? colon + 1 : end;
    if (valueStart < end && bytes[valueStart] === SPACE) valueStart++;
    const field = fieldOf(bytes, start, colon);
    if (field === null) return;
    this.field(field, valueStart === end ? '' : this.decode(bytes.subarray(valueStart, end)));
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.charCodeAt(0) === COLON) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === SPACE) value = value.slice(1);
    this.field(field, value);
  }

  private field(field: string, value: string): void {
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
    }
  }

  private dispatch(): void {
    if (this.data.length === 0) {
      this.event = '';
      return;
    }
    const data = this.data.length === 1 ? this.data[0]! : this.data.join('\n');
    const message = { event: this.event || 'message', data, id: this.lastEventId };
    this.data = [];
    this.event = '';
    this.onMessage(message);
  }
}

const FIELDS = ['data', 'event', 'id', 'retry'] as const;

/** The known field named by `bytes[start, end)`, or null (unknown fields are ignored, so never decoded). */
function fieldOf(bytes: Uint8Array, start: number, end: number): (typeof FIELDS)[number] | null {
  for (const name of FIELDS) {
    if (end - start !== name.length) continue;
    let i = 0;
    while (i < name.length && bytes[start + i] === name.charCodeAt(i)) i++;
    if (i === name.length) return name;
  }
  return null;
}
