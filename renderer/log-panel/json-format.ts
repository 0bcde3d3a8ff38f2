// A JSON line re-indented for reading, laid out as JSON.stringify(value, null, 2) lays it out, and checked
// against RFC 8259 on the way. Hand-written because a parse and a stringify change what the line says:
// 12345678901234567890 becomes 12345678901234567000, 1e400 becomes null, -0 becomes 0, "\u00e9" becomes "é",
// a repeated key disappears; and stringify recurses, so a 20,000-deep array overflows the stack. No library
// both keeps every literal as written and handles any depth: this one copies each number and string from
// the text as it is, keeps the open brackets in an array (never on the call stack), and past `maxChars`
// only counts what it would have written.
// For reading (`readable`), two more things: a time field (`time`, `ts`, `@timestamp`, `timestamp`: epoch
// ms or s, or an ISO string) gets the time it stands for after it, as a `// …` note; and a string with `\n`
// escapes (a stack trace) is laid out as its lines, each under the value's indentation. The line itself, as
// copied, stays as it was.

/** Why a text is not JSON: a closed set, for tests to assert on. */
export type JsonErrorCode =
  | 'unexpected-end'
  | 'unexpected-character'
  | 'trailing-comma'
  | 'bad-number'
  | 'bad-escape'
  | 'control-character'
  | 'unterminated-string'
  | 'trailing-characters';

const WORDS: Readonly<Record<JsonErrorCode, string>> = {
  'unexpected-end': 'the text ends inside the value',
  'unexpected-character': 'unexpected character',
  'trailing-comma': 'a comma before a closing bracket',
  'bad-number': 'a number JSON does not allow',
  'bad-escape': 'an escape JSON does not know',
  'control-character': 'a control character not escaped in a string',
  'unterminated-string': 'a string without its closing quote',
  'trailing-characters': 'more text after the value',
};

export class JsonSyntaxError extends Error {
  /** `at`: where it went wrong, as an offset (UTF-16 code units) into the text. */
  constructor(
    readonly code: JsonErrorCode,
    readonly at: number,
  ) {
    super(`${WORDS[code]} at character ${(at + 1).toLocaleString('en-US')}`);
    this.name = 'JsonSyntaxError';
  }
}

export interface FormattedJson {
  /** The first `maxChars` characters of the layout. */
  text: string;
  /** Characters of the layout past `maxChars`, counted and not written. */
  omitted: number;
}

const INDENT = '  ';

export interface JsonLayoutOptions {
  /** Time fields get their time as a note; strings with `\n` are shown as lines. */
  readable?: boolean;
  /** How a time note reads (default: local date and time with its UTC offset). */
  formatTime?: (ms: number) => string;
}

/** Keys whose values are times, as pino, bunyan, winston, logstash and Go's slog write them. */
const TIME_KEYS: ReadonlySet<string> = new Set(['time', 'ts', '@timestamp', 'timestamp']);
/** Below this an epoch number is taken as seconds (1e11 s is in the year 5138; 1e11 ms is 1973). */
const EPOCH_MS_FROM = 1e11;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const OBJECT = 1;
const ARRAY = 2;

// What may come next.
/** A value (at the top, after `:`). */
const VALUE = 0;
/** A value after `,` in an array (`]` there is a trailing comma). */
const NEXT_ITEM = 1;
/** Just after `[`: an item or `]`. */
const FIRST_ITEM = 2;
/** Just after `{`: a key or `}`. */
const FIRST_KEY = 3;
/** A key, after `,` in an object. */
const KEY = 4;
/** The `:` after a key. */
const COLON = 5;
/** `,` or the closing bracket, or the end of the text when no bracket is open. */
const AFTER_VALUE = 6;

/**
 * `text` re-indented, its numbers and strings exactly as written. Throws JsonSyntaxError when `text` is not
 * one JSON value (RFC 8259 §2) with blanks around it; the whole text is checked whatever `maxChars` is.
 */
export function formatJson(text: string, maxChars: number, options: JsonLayoutOptions = {}): FormattedJson {
  if (!Number.isSafeInteger(maxChars) || maxChars < 0) throw new RangeError(`formatJson: maxChars must be a whole number ≥ 0, not ${maxChars}`);
  const out = new BoundedLayout(text, maxChars);
  const open: number[] = [];
  const readable = options.readable === true;
  const formatTime = options.formatTime ?? localTime;
  /** The key of the value about to be written (in an object), when readable. */
  let key: string | null = null;
  /** A time's note, written at the end of its line (after the comma that may follow the value). */
  let note = '';
  const flushNote = (): void => {
    if (note === '') return;
    out.write(note);
    note = '';
  };
  let state = VALUE;
  let i = 0;
  for (;;) {
    i = skipBlanks(text, i);
    if (i >= text.length) {
      if (state === AFTER_VALUE && open.length === 0) {
        flushNote();
        return { text: out.written(), omitted: out.length - out.writtenLength };
      }
      throw new JsonSyntaxError('unexpected-end', i);
    }
    const c = text.charCodeAt(i);
    switch (state) {
      case AFTER_VALUE: {
        const inside = open.length === 0 ? 0 : open[open.length - 1]!;
        if (inside === 0) throw new JsonSyntaxError('trailing-characters', i);
        if (c === 0x2c /* , */) {
          out.write(',');
          flushNote();
          out.newline(open.length);
          state = inside === OBJECT ? KEY : NEXT_ITEM;
        } else if ((c === 0x7d /* } */ && inside === OBJECT) || (c === 0x5d /* ] */ && inside === ARRAY)) {
          open.pop();
          flushNote();
          out.newline(open.length);
          out.write(c === 0x7d ? '}' : ']');
        } else {
          throw new JsonSyntaxError('unexpected-character', i);
        }
        i++;
        continue;
      }
      case COLON:
        if (c !== 0x3a /* : */) throw new JsonSyntaxError('unexpected-character', i);
        out.write(': ');
        state = VALUE;
        i++;
        continue;
      case FIRST_KEY:
      case FIRST_ITEM: {
        // An empty object or array stays on its line: `{}`, `[]`.
        const close = state === FIRST_KEY ? 0x7d : 0x5d;
        if (c === close) {
          open.pop();
          out.write(state === FIRST_KEY ? '}' : ']');
          state = AFTER_VALUE;
          i++;
          continue;
        }
        out.newline(open.length);
        state = state === FIRST_KEY ? KEY : VALUE;
        break;
      }
    }
    if (state === KEY) {
      if (c !== 0x22 /* " */) throw new JsonSyntaxError(c === 0x7d ? 'trailing-comma' : 'unexpected-character', i);
      const end = stringEnd(text, i);
      out.copy(i, end);
      if (readable) key = text.slice(i + 1, end - 1);
      i = end;
      state = COLON;
      continue;
    }
    // A value: VALUE or NEXT_ITEM.
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      out.write(c === 0x7b ? '{' : '[');
      open.push(c === 0x7b ? OBJECT : ARRAY);
      key = null;
      state = c === 0x7b ? FIRST_KEY : FIRST_ITEM;
      i++;
      continue;
    }
    let end: number;
    if (c === 0x22) end = stringEnd(text, i);
    else if (c === 0x2d /* - */ || isDigit(c)) end = numberEnd(text, i);
    else end = literalEnd(text, i, state === NEXT_ITEM);
    if (readable && c === 0x22 && hasLineBreak(text, i, end)) writeLines(out, text, i, end, open.length + 1);
    else out.copy(i, end);
    if (readable && key !== null && TIME_KEYS.has(key) && state === VALUE) {
      const ms = timeOf(text.slice(i, end));
      if (ms !== null) note = `  // ${formatTime(ms)}`;
    }
    key = null;
    i = end;
    state = AFTER_VALUE;
  }
}

/** Whether the string literal text[from, to) has a `\n` escape. */
function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from + 1; i < to - 1; i++) {
    if (text.charCodeAt(i) !== 0x5c) continue;
    if (text.charCodeAt(i + 1) === 0x6e /* n */) return true;
    i++;
  }
  return false;
}

/**
 * The string literal text[from, to) with each `\n` escape as a line break (a `\r` before it dropped), the next
 * line indented to `depth`; a `\t` as two spaces. Other escapes stay as written.
 */
function writeLines(out: BoundedLayout, text: string, from: number, to: number, depth: number): void {
  let start = from;
  for (let i = from + 1; i < to - 1; i++) {
    if (text.charCodeAt(i) !== 0x5c) continue;
    const next = text[i + 1];
    if (next === 'n') {
      const cut = text.startsWith('\\r', i - 2) ? i - 2 : i;
      out.copy(start, cut);
      out.newline(depth);
      start = i + 2;
    } else if (next === 't') {
      out.copy(start, i);
      out.write('  ');
      start = i + 2;
    }
    i++;
  }
  out.copy(start, to);
}

/** The time a JSON number or string stands for, ms since the epoch; null when it is no time. */
export function timeOf(literal: string): number | null {
  if (literal.startsWith('"')) {
    const value = literal.slice(1, -1);
    if (!ISO_TIME.test(value)) return null;
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : null;
  }
  const n = Number(literal);
  if (!Number.isFinite(n) || n <= 0) return null;
  const ms = n >= EPOCH_MS_FROM ? n : n * 1_000;
  // Past 9999-12-31 there is no date to show.
  return ms < 253_402_300_800_000 ? ms : null;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** "2026-12-07 04:15:00.316 +01:00": local date and time, with the offset that says which zone. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)} ${zone}`;
}

/** The layout's first `max` characters, and the length of all of it. */
class BoundedLayout {
  private readonly parts: string[] = [];
  /** Characters of the whole layout so far, written or not. */
  length = 0;

  constructor(
    private readonly source: string,
    private readonly max: number,
  ) {}

  get writtenLength(): number {
    return Math.min(this.length, this.max);
  }

  written(): string {
    return this.parts.join('');
  }

  write(piece: string): void {
    const room = this.max - this.length;
    if (room > 0) this.parts.push(piece.length <= room ? piece : piece.slice(0, room));
    this.length += piece.length;
  }

  /** source[from, to) as it is. */
  copy(from: number, to: number): void {
    const room = this.max - this.length;
    if (room > 0) this.parts.push(this.source.slice(from, Math.min(to, from + room)));
    this.length += to - from;
  }

  /** A line break and the indentation of `depth`; only as much of it as there is room for is made. */
  newline(depth: number): void {
    const width = 1 + INDENT.length * depth;
    const room = this.max - this.length;
    if (room > 0) this.parts.push(`\n${' '.repeat(Math.min(width, room) - 1)}`);
    this.length += width;
  }
}

/** JSON's blanks (RFC 8259 §2): space, tab, line feed, carriage return. */
function skipBlanks(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Where the string opening at `start` ends (after its closing quote). RFC 8259 §7. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) throw new JsonSyntaxError('control-character', i);
    if (c !== 0x5c /* \ */) continue;
    const escaped = text.charCodeAt(i + 1);
    if (Number.isNaN(escaped)) break;
    if (escaped === 0x75 /* u */) {
      for (let k = i + 2; k < i + 6; k++) if (!isHexDigit(text.charCodeAt(k))) throw new JsonSyntaxError('bad-escape', i);
      i += 5;
    } else if ('"\\/bfnrt'.includes(text[i + 1]!)) {
      i++;
    } else {
      throw new JsonSyntaxError('bad-escape', i);
    }
  }
  throw new JsonSyntaxError('unterminated-string', start);
}

/** Where the number starting at `start` ends: `-`? (`0` | [1-9][0-9]*) (`.` [0-9]+)? ([eE] [+-]? [0-9]+)? (RFC 8259 §6). */
function numberEnd(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) {
    i++;
    if (isDigit(text.charCodeAt(i))) throw new JsonSyntaxError('bad-number', start);
  } else {
    i = digitsEnd(text, i, start);
  }
  if (text.charCodeAt(i) === 0x2e /* . */) i = digitsEnd(text, i + 1, start);
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    i = digitsEnd(text, i, start);
  }
  return i;
}

/** The end of one digit or more from `i`. */
function digitsEnd(text: string, i: number, numberStart: number): number {
  if (!isDigit(text.charCodeAt(i))) throw new JsonSyntaxError('bad-number', numberStart);
  while (isDigit(text.charCodeAt(i))) i++;
  return i;
}

/** `true`, `false` or `null` (RFC 8259 §3); anything else starting a value is not JSON (NaN, 'quoted', undefined…). */
function literalEnd(text: string, start: number, afterComma: boolean): number {
  for (const word of ['true', 'false', 'null']) if (text.startsWith(word, start)) return start + word.length;
  const c = text.charCodeAt(start);
  throw new JsonSyntaxError(afterComma && c === 0x5d ? 'trailing-comma' : 'unexpected-character', start);
}
