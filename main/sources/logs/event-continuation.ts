// Tells, line by line, whether a line continues the event an earlier line began: a stack trace under a log
// line (Java, Python, Go, Node, .NET as those runtimes print them), a wrapped or pretty-printed message.
// Every line read is asked about: a line with its own time is answered at once, the others by their first chars.

/** Only the start of a line is looked at: what makes a continuation is in its first words. */
const SCAN_CHARS = 200;

/**
 * An event takes at most this many continuation lines, then the next line heads a new event: a file of
 * indented lines (a dumped document, a runaway printer) must not become one endless event.
 */
export const MAX_CONTINUATION_LINES = 10_000;

/**
 * What the open event is, where that changes which lines continue it. `plain`: indented lines, trace
 * headers, closing brackets. `python` and `go` also take blank lines (Python puts them around a chained
 * traceback, Go between a panic and each goroutine). `node-*`: Node's uncaught-exception banner, in the order
 * Node prints it after `file:line`: the source line, the caret under the throw, the thrown value, then frames,
 * blank lines and `Node.js vX`.
 */
type EventKind = 'plain' | 'python' | 'go' | 'node-source' | 'node-caret' | 'node-value-start' | 'node-value' | 'node-tail';

const TAB = 9;
const SPACE = 32;
const DOLLAR = 36;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const CARET = 94;
const UNDERSCORE = 95;
const LOWER_E = 101;
const LOWER_N = 110;
const LOWER_R = 114;
const LBRACE = 123;
const RBRACE = 125;
const TILDE = 126;

/** Lines that continue an exception whatever came before: Java's causes (logback's root-cause-first order too), .NET's async seams. */
const TRACE_PREFIXES: readonly string[] = ['Caused by: ', 'Suppressed: ', 'Wrapped by: ', '--- End of '];

/** Python's first line of a traceback, and of the stack `logging` adds for `stack_info=True`. */
const PYTHON_TRACE_HEADS: readonly string[] = ['Traceback (most recent call last):', 'Stack (most recent call last):'];

/** Python's lines between the tracebacks of a chained exception (PEP 3134). */
const PYTHON_CHAIN_MARKERS: readonly string[] = [
  'During handling of the above exception, another exception occurred:',
  'The above exception was the direct cause of the following exception:',
];

/** How a Go program's crash starts, on stderr without a time. */
const GO_PANIC_HEADS: readonly string[] = ['panic: ', 'fatal error: '];

/** The unindented lines of a Go panic or goroutine dump, besides function lines and goroutine heads. */
const GO_DUMP_PREFIXES: readonly string[] = ['created by ', '[signal ', 'exit status ', '...additional frames elided...'];

/** `goroutine 1 [running]:`, the head of each goroutine in a Go panic or dump (a digit follows). */
const GOROUTINE = 'goroutine ';

/** The last line of Node's uncaught-exception banner, `Node.js v20.20.2` (a digit follows). */
const NODE_VERSION = 'Node.js v';

/** Every line start above: a line that starts with none is told apart by its first word (and the line kernel takes only those). */
export const ALL_PREFIXES: readonly string[] = [
  ...TRACE_PREFIXES,
  ...PYTHON_TRACE_HEADS,
  ...PYTHON_CHAIN_MARKERS,
  ...GO_PANIC_HEADS,
  ...GO_DUMP_PREFIXES,
  GOROUTINE,
  NODE_VERSION,
];

// Tables by char code (ASCII), as a lookup costs less than a chain of tests on every line.
/** The first chars of all the prefixes above: a line that starts otherwise, as most do, skips their checks. */
const STARTS_A_PREFIX = asciiTable((c) => ALL_PREFIXES.some((prefix) => prefix.charCodeAt(0) === c));
/** The chars of a dotted name: `java.lang.Error`, `Outer$InnerException` (Java's nested classes), `KeyError`. */
const DOTTED_NAME_CHARS = asciiTable((c) => isNameStart(c) || isDigit(c) || c === DOLLAR || c === DOT);

/**
 * A copy of the start of `text` that the rules ever look at, sharing no memory with the string it was sliced
 * from (V8 keeps a slice's whole parent; joining makes a new string, and slicing that keeps only it).
 */
function ownCopyOfStart(text: string): string {
  return (' ' + text.slice(0, SCAN_CHARS + 8)).slice(1);
}

/** Per file (per content): decides, line by line in file order, whether a line continues the event before it. */
export class EventContinuation {
  /** A line was seen since the start or the last reset. */
  private open = false;
  /** Continuation lines the open event has taken. */
  private taken = 0;
  private kind: EventKind = 'plain';
  /** The line before, kept (not copied, see `keepOwnCopy`) for the rules that look one line back. */
  private previous = '';

  /**
   * `text`: the line; `hasOwnTime`: it carries a timestamp of its own (then it is never a continuation, it heads an event).
   * Returns true when the line continues the event begun by an earlier line.
   */
  continues(text: string, hasOwnTime: boolean): boolean {
    if (hasOwnTime) {
      this.begin(text, 'plain');
      return false;
    }
    const kind = this.open && this.taken < MAX_CONTINUATION_LINES ? this.continuedKind(text) : undefined;
    if (kind === undefined) {
      this.begin(text, kindOfHead(text));
      return false;
    }
    this.taken++;
    this.kind = kind;
    this.previous = text;
    return true;
  }

  /**
   * No event is open, or the open one is plain: a line that starts with a plain word and has no time of its own
   * neither continues it nor heads anything but a plain event (what the line kernel needs to know to take one).
   */
  get inPlainEvent(): boolean {
    return !this.open || this.kind === 'plain';
  }

  /**
   * The same state, to read on from here later (a history checkpoint). It keeps only the start of the previous
   * line, the part ever looked at, so a checkpoint never holds a whole long line.
   */
  copy(): EventContinuation {
    const copy = new EventContinuation();
    copy.open = this.open;
    copy.taken = this.taken;
    copy.kind = this.kind;
    copy.previous = ownCopyOfStart(this.previous);
    return copy;
  }

  /**
   * Keeps its own copy of the start of the line before (the part ever looked at), called when a read's lines
   * are done: a line is a slice of the string of ~32 KiB of lines it was read with, which it keeps whole.
   */
  keepOwnCopy(): void {
    this.previous = ownCopyOfStart(this.previous);
  }

  /** The file starts over (truncated, rewritten) or the next line follows a gap (a backfill start): no event is open. */
  reset(): void {
    this.open = false;
    this.taken = 0;
    this.kind = 'plain';
    this.previous = '';
  }

  private begin(text: string, kind: EventKind): void {
    this.open = true;
    this.taken = 0;
    this.kind = kind;
    this.previous = text;
  }

  /** The event's kind after `text` when `text` continues it, else undefined. */
  private continuedKind(text: string): EventKind | undefined {
    const kind = this.kind;
    const indent = indentEnd(text);
    if (indent === text.length) {
      // A blank line: only a traceback, a panic or Node's banner holds one.
      if (kind === 'node-value') return 'node-tail';
      return kind === 'plain' || kind === 'node-source' || kind === 'node-caret' ? undefined : kind;
    }
    // Node prints the source line of the throw as it is in the file, unindented too.
    if (kind === 'node-source') return 'node-caret';
    if (kind === 'node-caret') {
      if (text.charCodeAt(indent) === CARET && indent + 1 === text.length) return 'node-value-start';
    } else if (kind === 'node-value-start' || kind === 'node-value') {
      // The thrown value as util.inspect shows it (a message of several lines, `Require stack:`, a string,
      // an object) is unindented; it ends at its first stack frame or at the blank line after it.
      return indent > 0 && text.startsWith('at ', indent) ? 'node-tail' : 'node-value';
    }
    const base = kind === 'node-caret' ? 'plain' : kind;
    return indent > 0 ? base : this.unindentedKind(text, base);
  }

  /** continuedKind for a line that starts with neither a space nor a tab. */
  private unindentedKind(text: string, kind: EventKind): EventKind | undefined {
    const first = text.charCodeAt(0);
    // util.inspect and pretty-printed JSON close at column 0, and open there when printed on a line of their own.
    if (first === RBRACE || first === RBRACKET || first === RPAREN) return kind;
    if ((first === LBRACE || first === LBRACKET) && text.length === 1) return kind;
    if (STARTS_A_PREFIX[first] === 1) {
      const marked = kindAfterMarker(text, kind, this.previous);
      if (marked !== undefined) return marked;
    }
    if (!isNameStart(first)) return undefined;
    // Most lines are told apart here, by their first word: what follows it, and how it ends.
    const word = nameEnd(text);
    // Python's exception line closes the frames, and Python's names need not end in Error (KeyboardInterrupt).
    const anyName = kind === 'python' && isIndented(this.previous);
    if (isExceptionHead(text, word, anyName)) return kind;
    if (text.charCodeAt(word) === SPACE) return undefined; // a sentence: no Go function line has a space
    if (kind === 'go') return isGoCallLine(text, word) || isGoSymbolLine(text, word) ? kind : undefined;
    // A Go stack under a log line (pkg/errors `%+v`, zap): a function line, then its indented file:line. The
    // first function line has no file line before it: it is taken when it is in main or has an import path.
    // (isGoSymbolLine bounds the line, so includes() stays within the scan bound.)
    if (!isGoSymbolLine(text, word)) return undefined;
    return text.startsWith('main.') || text.includes('/') || isGoLocation(this.previous) ? kind : undefined;
  }
}

/** The event's kind after a line that starts with one of the known prefixes, when it continues the event. */
function kindAfterMarker(text: string, kind: EventKind, previous: string): EventKind | undefined {
  if (startsWithAny(text, TRACE_PREFIXES)) return kind;
  if (startsWithAny(text, PYTHON_TRACE_HEADS)) {
    // Within a traceback a new one is chained only after a blank line; right after an exception line it is
    // the next uncaught exception.
    return kind !== 'python' || previous.length === 0 ? 'python' : undefined;
  }
  if (startsWithAny(text, PYTHON_CHAIN_MARKERS)) return 'python';
  if (isGoroutineHead(text) || (kind === 'go' && startsWithAny(text, GO_DUMP_PREFIXES))) return 'go';
  if (text.startsWith(NODE_VERSION) && isDigit(text.charCodeAt(NODE_VERSION.length))) return 'plain';
  return undefined;
}

/** The kind of the event a line without its own time heads: a trace printed alone sets which lines follow it. */
function kindOfHead(text: string): EventKind {
  if (STARTS_A_PREFIX[text.charCodeAt(0)] === 1) {
    if (startsWithAny(text, PYTHON_TRACE_HEADS)) return 'python';
    // A Go crash has no time of its own: it heads its event, right after a log line too.
    if (startsWithAny(text, GO_PANIC_HEADS) || isGoroutineHead(text)) return 'go';
  }
  return isNodeBannerHead(text) ? 'node-source' : 'plain';
}

/** The index of the first char that is not a space or tab, looked for within the scan bound. */
function indentEnd(text: string): number {
  const end = Math.min(text.length, SCAN_CHARS);
  let i = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

function isIndented(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === SPACE || c === TAB;
}

function startsWithAny(text: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (text.startsWith(prefix)) return true;
  return false;
}

/**
 * The first line of a printed exception: `java.lang.IllegalStateException: msg`, `TypeError: msg`,
 * `Error [ERR_HTTP_HEADERS_SENT]: msg` (Node), `Npgsql.PostgresException (0x80004005): msg` (.NET), or without
 * a message a qualified name, `java.util.ConcurrentModificationException`. The name ends in Error, Exception or
 * Throwable, unless `anyName` (a Python traceback's last line: `KeyError: 'x'`, `KeyboardInterrupt`).
 */
function isExceptionHead(text: string, word: number, anyName: boolean): boolean {
  if (!anyName && !endsWithThrowableWord(text, word)) return false;
  const end = Math.min(text.length, SCAN_CHARS);
  let i = word;
  const bracket = text.charCodeAt(i + 1);
  if (text.charCodeAt(i) === SPACE && (bracket === LBRACKET || bracket === LPAREN)) {
    const close = bracket === LBRACKET ? RBRACKET : RPAREN;
    i += 2;
    while (i < end && text.charCodeAt(i) !== close) i++;
    if (i === end) return false;
    i++;
  }
  if (i === text.length) return anyName || text.lastIndexOf('.', word) > 0;
  return text.charCodeAt(i) === COLON && (i + 1 === text.length || text.charCodeAt(i + 1) === SPACE);
}

function endsWithThrowableWord(text: string, end: number): boolean {
  const last = text.charCodeAt(end - 1);
  if (last !== LOWER_R && last !== LOWER_N && last !== LOWER_E) return false; // Error, Exception, Throwable
  return (
    (end >= 5 && text.startsWith('Error', end - 5)) ||
    (end >= 9 && (text.startsWith('Exception', end - 9) || text.startsWith('Throwable', end - 9)))
  );
}

function isGoroutineHead(text: string): boolean {
  return text.startsWith(GOROUTINE) && isDigit(text.charCodeAt(GOROUTINE.length));
}

/**
 * A function line of a Go panic: `main.main()`, `net/http.(*conn).serve(0xc0000b2000, ...)`,
 * `panic({0x4a2d60?, 0xc000012018?})`. `word`: where the first name ends.
 */
function isGoCallLine(text: string, word: number): boolean {
  if (text.charCodeAt(text.length - 1) !== RPAREN) return false;
  const end = Math.min(text.length, SCAN_CHARS);
  for (let i = word; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === LPAREN) return true;
    if (c === SPACE || c === TAB) return false;
  }
  return false;
}

/**
 * A function line of a Go stack without arguments (pkg/errors, zap): `main.main`, `github.com/x/y.(*T).f`,
 * `main.Map[...]`: an import path, a dot, a name, no other chars (a URL or `file:line` has a colon).
 */
function isGoSymbolLine(text: string, word: number): boolean {
  if (text.length > SCAN_CHARS) return false;
  let dotted = text.lastIndexOf('.', word) > 0;
  for (let i = word; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) dotted = true;
    else if (DOTTED_NAME_CHARS[c] !== 1 && !isGoSymbolPunctuation(c)) return false;
  }
  return dotted;
}

/** `\t/go/src/app/f.go:12`, the file line under a Go function line. */
function isGoLocation(text: string): boolean {
  return text.charCodeAt(0) === TAB && text.lastIndexOf('.go:', SCAN_CHARS) > 0;
}

/**
 * The first line of Node's uncaught-exception banner, where the throw is: `/app/index.js:10`, `node:fs:573`,
 * `file:///app/x.mjs:3`, `[eval]:1`, `C:\app\index.js:10`. A bare `host:8080` is not one.
 */
function isNodeBannerHead(text: string): boolean {
  let i = text.length - 1;
  if (i >= SCAN_CHARS || !isDigit(text.charCodeAt(i))) return false;
  while (i > 0 && isDigit(text.charCodeAt(i))) i--;
  if (i === 0 || text.charCodeAt(i) !== COLON) return false;
  let path = false;
  for (let j = 0; j < i; j++) {
    const c = text.charCodeAt(j);
    if (c <= SPACE) return false;
    if (c === SLASH || c === BACKSLASH) path = true;
  }
  if (text.includes('://')) return text.startsWith('file://'); // a URL with a port is not where a throw is
  return path || text.startsWith('node:') || text.startsWith('[eval');
}

/** Besides name chars and dots, in a Go function name: path `/ - ~`, method `(*T)`, generics `[a,b]`. */
function isGoSymbolPunctuation(c: number): boolean {
  switch (c) {
    case SLASH: case DASH: case TILDE: case STAR: case LPAREN: case RPAREN: case LBRACKET: case RBRACKET: case COMMA:
      return true;
    default:
      return false;
  }
}

/** 1 for the ASCII char codes that pass `test`; a code past the table reads undefined, as a miss. */
function asciiTable(test: (c: number) => boolean): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = test(c) ? 1 : 0;
  return table;
}

/** Where the dotted name at the line start ends, within the scan bound. */
function nameEnd(text: string): number {
  const end = Math.min(text.length, SCAN_CHARS);
  let i = 1;
  while (i < end && DOTTED_NAME_CHARS[text.charCodeAt(i)] === 1) i++;
  return i;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === UNDERSCORE;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
