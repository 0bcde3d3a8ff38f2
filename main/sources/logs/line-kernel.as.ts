// The line kernel (AssemblyScript, compiled to WebAssembly by scripts/build-kernel.mjs): a `log` event's lines
// written as JSON straight from the bytes read, for the lines most logs are made of, with no string or object
// made per line. It takes a line only when it is sure to give what the JS way gives (line-of.ts, timestamp.ts,
// level.ts, event-continuation.ts, protocol/encode.ts plainLogDataJson): printable ASCII, at most
// MAX_LINE_BYTES, no `HTTP/` (an access line), and either opening with an ISO 8601 time with a zone and no
// logfmt level field, or with no time at all of a kind no reader of times or of stack traces could take (see
// noTimeLine). It stops at the first other line, which the JS way then takes: test/unit/logs-line-kernel.test.ts
// checks the two agree on every line it takes.

/** detectLevel's STATUS_SCAN_CHARS: longer lines have their status looked for in a prefix; the JS way takes them. */
const MAX_LINE_BYTES: usize = 2048;
/** detectLevel's LEVEL_SCAN_CHARS: a level word is looked for this far in. */
const LEVEL_SCAN_BYTES: usize = 96;
/** timestamp.ts MAX_FRACTION_DIGITS. */
const MAX_FRACTION_DIGITS: i32 = 9;
/** The most a line's JSON adds to its text (escapes aside): `,{"seq":…,"ts":…,"text":"` and the longest tail. */
const LINE_JSON_OVERHEAD: usize = 96;

// What the last encode did, read by the caller through the getters below.
let linesOut: i32 = 0;
let bytesOut: usize = 0;
/** The time of the last line it took that had its own, or -1. */
let ownTimeOut: f64 = -1;

export function encodedLines(): i32 {
  return linesOut;
}
export function encodedBytes(): i32 {
  return <i32>bytesOut;
}
export function lastOwnTime(): f64 {
  return ownTimeOut;
}

@inline function isDigit(c: u32): bool {
  return c - 48 < 10;
}
@inline function isLetter(c: u32): bool {
  return (c | 0x20) - 0x61 < 26;
}
/** A char of a regex word (`\b`): [A-Za-z0-9_]. */
@inline function isWordChar(c: u32): bool {
  return isLetter(c) || isDigit(c) || c == 95;
}
@inline function twoDigits(p: usize): i32 {
  const a = <u32>load<u8>(p) - 48;
  const b = <u32>load<u8>(p + 1) - 48;
  return a < 10 && b < 10 ? <i32>(a * 10 + b) : -1;
}

function isLeapYear(y: i32): bool {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
function daysInMonth(y: i32, m: i32): i32 {
  if (m == 2) return isLeapYear(y) ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}
/** Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysFromCivil(y: i32, m: i32, d: i32): i64 {
  const yy = m <= 2 ? y - 1 : y;
  const era = (yy >= 0 ? yy : yy - 399) / 400;
  const yoe = yy - era * 400;
  const doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return <i64>era * 146097 + <i64>doe - 719468;
}

/**
 * The time at the line start, `yyyy-mm-dd[Tt ]hh:mm:ss[.,]fraction?` then `Z`, `z`, `±hh`, `±hh:mm` or `±hhmm`,
 * in ms since the epoch, as timestamp.ts parseIso gives it; -1 for any other start (the JS way then decides).
 */
function isoTimeAt(p: usize, end: usize): i64 {
  if (end - p < 20) return -1;
  const y = twoDigits(p) * 100 + twoDigits(p + 2);
  if (twoDigits(p) < 0 || twoDigits(p + 2) < 0 || y < 1970) return -1;
  if (load<u8>(p + 4) != 45 || load<u8>(p + 7) != 45) return -1;
  const mo = twoDigits(p + 5);
  const d = twoDigits(p + 8);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return -1;
  const t = load<u8>(p + 10);
  if (t != 84 && t != 116 && t != 32) return -1;
  const h = twoDigits(p + 11);
  const mi = twoDigits(p + 14);
  const s = twoDigits(p + 17);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return -1;
  if (load<u8>(p + 13) != 58 || load<u8>(p + 16) != 58) return -1;
  let q = p + 19;
  let ms: i32 = 0;
  const sep = q < end ? load<u8>(q) : 0;
  if ((sep == 46 || sep == 44) && q + 1 < end && isDigit(load<u8>(q + 1))) {
    q++;
    let digits = 0;
    while (q < end && isDigit(load<u8>(q)) && digits < MAX_FRACTION_DIGITS) {
      if (digits < 3) ms = ms * 10 + (<i32>load<u8>(q) - 48);
      digits++;
      q++;
    }
    if (digits == 1) ms *= 100;
    else if (digits == 2) ms *= 10;
  }
  if (q >= end) return -1; // no zone: local time, the JS way's
  const z = load<u8>(q);
  if (isDigit(z)) return -1;
  let zone: i32 = 0;
  if (z == 43 || z == 45) {
    const zh = q + 3 <= end ? twoDigits(q + 1) : -1;
    if (zh < 0) return -1;
    let r = q + 3;
    if (r < end && load<u8>(r) == 58) r++;
    const zm = r + 2 <= end ? twoDigits(r) : -1;
    if (zh > 23 || zm > 59) return -1;
    zone = zh * 60 + (zm > 0 ? zm : 0);
    if (z == 45) zone = -zone;
  } else if (z != 90 && z != 122) {
    return -1;
  }
  const msOfDay = <i64>(((h * 60 + mi) * 60 + s) * 1000 + ms);
  return daysFromCivil(y, mo, d) * 86400000 + msOfDay - <i64>zone * 60000;
}

@inline function lower(p: usize): u32 {
  return load<u8>(p) | 0x20;
}

/** 1 trace … 6 fatal for a level word of `len` letters at `q` (level.ts LEVEL_OF_WORD, any case), else 0. */
function levelOfWord(q: usize, len: usize): i32 {
  const a = lower(q);
  if (len == 4) {
    const b = lower(q + 1), c = lower(q + 2), d = lower(q + 3);
    if (a == 0x69 && b == 0x6e && c == 0x66 && d == 0x6f) return 3; // info
    if (a == 0x77 && b == 0x61 && c == 0x72 && d == 0x6e) return 4; // warn
    if (a == 0x63 && b == 0x72 && c == 0x69 && d == 0x74) return 6; // crit
    return 0;
  }
  if (len == 5) {
    const b = lower(q + 1), c = lower(q + 2), d = lower(q + 3), e = lower(q + 4);
    if (a == 0x65 && b == 0x72 && c == 0x72 && d == 0x6f && e == 0x72) return 5; // error
    if (a == 0x64 && b == 0x65 && c == 0x62 && d == 0x75 && e == 0x67) return 2; // debug
    if (a == 0x74 && b == 0x72 && c == 0x61 && d == 0x63 && e == 0x65) return 1; // trace
    if (a == 0x66 && b == 0x61 && c == 0x74 && d == 0x61 && e == 0x6c) return 6; // fatal
    if (a == 0x70 && b == 0x61 && c == 0x6e && d == 0x69 && e == 0x63) return 6; // panic
    if (a == 0x65 && b == 0x6d && c == 0x65 && d == 0x72 && e == 0x67) return 6; // emerg
    return 0;
  }
  if (len == 3) return a == 0x65 && lower(q + 1) == 0x72 && lower(q + 2) == 0x72 ? 5 : 0; // err
  if (len == 6) {
    // dpanic
    return a == 0x64 && lower(q + 1) == 0x70 && lower(q + 2) == 0x61 && lower(q + 3) == 0x6e && lower(q + 4) == 0x69 && lower(q + 5) == 0x63 ? 6 : 0;
  }
  if (len == 7) {
    // warning
    return a == 0x77 && lower(q + 1) == 0x61 && lower(q + 2) == 0x72 && lower(q + 3) == 0x6e && lower(q + 4) == 0x69 && lower(q + 5) == 0x6e && lower(q + 6) == 0x67 ? 4 : 0;
  }
  if (len == 8) {
    // critical
    return a == 0x63 && lower(q + 1) == 0x72 && lower(q + 2) == 0x69 && lower(q + 3) == 0x74 && lower(q + 4) == 0x69 && lower(q + 5) == 0x63 && lower(q + 6) == 0x61 && lower(q + 7) == 0x6c ? 6 : 0;
  }
  return 0;
}

/**
 * The level of the first level word in `[p, head)`, as level.ts findWord (`\b(?:words)\b`, case-blind, on the
 * line's first LEVEL_SCAN_BYTES): a run of word chars that starts after a non-word char and is one of the words.
 */
function wordLevel(p: usize, head: usize): i32 {
  let q = p;
  while (q < head) {
    const c = <u32>load<u8>(q);
    if (!isWordChar(c)) {
      q++;
      continue;
    }
    let e = q + 1;
    while (e < head && isWordChar(load<u8>(e))) e++;
    if (isLetter(c) && e - q >= 3 && e - q <= 8) {
      const level = levelOfWord(q, e - q);
      if (level != 0) return level;
    }
    q = e;
  }
  return 0;
}

/** `key=` ends at `eq` and starts the line or follows a space (level.ts LOGFMT_LEVEL's `(?:^|\s)key=`). */
function keyBefore(p: usize, eq: usize, key: string): bool {
  const n = <usize>key.length;
  if (eq - p < n) return false;
  const k = eq - n;
  for (let i: usize = 0; i < n; i++) if (load<u8>(k + i) != <u8>key.charCodeAt(<i32>i)) return false;
  return k == p || load<u8>(k - 1) == 32;
}

/** An `=` in the head that could start a logfmt level field (LOGFMT_LEVEL): 1, else 0; -1 when the head has no `=`. */
function logfmtLevelField(p: usize, head: usize): i32 {
  let any = -1;
  for (let q = p + 1; q < head; q++) {
    if (load<u8>(q) != 61) continue;
    any = 0;
    const k = load<u8>(q - 1);
    if ((k == 0x6c || k == 0x79) && (keyBefore(p, q, 'level') || keyBefore(p, q, 'lvl') || keyBefore(p, q, 'severity') || keyBefore(p, q, 'log.level'))) return 1;
  }
  return any;
}

/** The status of the line's first ` status=` field (or one at its start), or -1: level.ts logfmtStatus. */
function logfmtStatus(p: usize, end: usize): i32 {
  for (let q = p; q + 7 <= end; q++) {
    if (load<u8>(q) != 115 || load<u8>(q + 6) != 61) continue;
    if (load<u8>(q + 1) != 116 || load<u8>(q + 2) != 97 || load<u8>(q + 3) != 116 || load<u8>(q + 4) != 117 || load<u8>(q + 5) != 115) continue;
    if (q > p && load<u8>(q - 1) != 32) continue;
    let d = q + 7;
    if (d < end && load<u8>(d) == 34) d++;
    if (d + 3 > end) return -1;
    const hundreds = <i32>load<u8>(d) - 48;
    if (hundreds < 1 || hundreds > 5 || !isDigit(load<u8>(d + 1)) || !isDigit(load<u8>(d + 2))) return -1;
    if (d + 3 < end && isDigit(load<u8>(d + 3))) return -1;
    return hundreds * 100 + (<i32>load<u8>(d + 1) - 48) * 10 + (<i32>load<u8>(d + 2) - 48);
  }
  return -1;
}

/** `HTTP/` in the line: it may be an access line, whose level the JS way tells. */
function hasHttp(p: usize, end: usize): bool {
  for (let q = p; q + 5 <= end; q++) {
    if (load<u8>(q) == 72 && load<u8>(q + 1) == 84 && load<u8>(q + 2) == 84 && load<u8>(q + 3) == 80 && load<u8>(q + 4) == 47) return true;
  }
  return false;
}

/**
 * event-continuation.ts ALL_PREFIXES, the line starts that mark a stack trace's lines (a cause, a traceback, a Go
 * crash or dump, Node's banner): a line that starts with one is the JS way's. test/unit/logs-line-kernel.test.ts
 * checks this list against that one.
 */
const TRACE_MARKS: string[] = [
  'Caused by: ', 'Suppressed: ', 'Wrapped by: ', '--- End of ',
  'Traceback (most recent call last):', 'Stack (most recent call last):',
  'During handling of the above exception, another exception occurred:',
  'The above exception was the direct cause of the following exception:',
  'panic: ', 'fatal error: ',
  'created by ', '[signal ', 'exit status ', '...additional frames elided...',
  'goroutine ', 'Node.js v',
];

function startsWithTraceMark(p: usize, end: usize): bool {
  for (let m = 0; m < TRACE_MARKS.length; m++) {
    const mark = unchecked(TRACE_MARKS[m]);
    const n = <usize>mark.length;
    if (end - p < n) continue;
    let i: usize = 0;
    while (i < n && load<u8>(p + i) == <u8>mark.charCodeAt(<i32>i)) i++;
    if (i == n) return true;
  }
  return false;
}

/** `word` (at p, n chars) ends in Error, Exception or Throwable (event-continuation.ts endsWithThrowableWord). */
function endsWithThrowableWord(p: usize, n: usize): bool {
  return endsWith(p, n, 'Error') || endsWith(p, n, 'Exception') || endsWith(p, n, 'Throwable');
}
function endsWith(p: usize, n: usize, tail: string): bool {
  const t = <usize>tail.length;
  if (n < t) return false;
  for (let i: usize = 0; i < t; i++) if (load<u8>(p + n - t + i) != <u8>tail.charCodeAt(<i32>i)) return false;
  return true;
}

/**
 * A line with no time of its own that the JS way would make a plain line heading a plain event, read at its
 * first word (a run of [A-Za-z0-9_$.] that a space ends): a letter starts it, and no stack-trace mark; no syslog month (a 3-char capitalised word), glog header (I/W/E/F and 4 chars), level tag (capitals
 * only, which an ISO time may follow) or exception name starts it; and it holds no `=` (logfmt's time), `[` (an
 * access log's) or `|` (a compose prefix's). Then timestamp.ts finds no time in it and event-continuation.ts
 * finds it continues no plain event and heads a plain one.
 */
function noTimeLine(p: usize, end: usize, equals: bool, bracket: bool, bar: bool): bool {
  if (equals || bracket || bar) return false;
  const c = <u32>load<u8>(p);
  if (!isLetter(c) || startsWithTraceMark(p, end)) return false;
  let w = p + 1;
  let upperOnly = c - 65 < 26;
  while (w < end) {
    const d = <u32>load<u8>(w);
    if (!(isWordChar(d) || d == 36 || d == 46)) break;
    if (d - 65 >= 26) upperOnly = false;
    w++;
  }
  if (w >= end || load<u8>(w) != 32 || w - p > 190) return false;
  const n = w - p;
  if (upperOnly || (n == 3 && c - 65 < 26)) return false;
  if (n == 5 && (c == 73 || c == 87 || c == 69 || c == 70)) return false;
  return !endsWithThrowableWord(p, n);
}

// The constant pieces of a line's JSON (protocol/encode.ts plainLogDataJson), as bytes.
const FIRST_OPEN = memory.data<u8>([123, 34, 115, 101, 113, 34, 58]); // {"seq":
const NEXT_OPEN = memory.data<u8>([44, 123, 34, 115, 101, 113, 34, 58]); // ,{"seq":
const TS_KEY = memory.data<u8>([44, 34, 116, 115, 34, 58]); // ,"ts":
const TEXT_KEY = memory.data<u8>([44, 34, 116, 101, 120, 116, 34, 58, 34]); // ,"text":"
const LEVEL_KEY = memory.data<u8>([34, 44, 34, 108, 101, 118, 101, 108, 34, 58, 34]); // ","level":"
// The level names by index 1..6, 5 bytes apart (padded), with their lengths.
const LEVEL_NAMES = memory.data<u8>([
  116, 114, 97, 99, 101, // trace
  100, 101, 98, 117, 103, // debug
  105, 110, 102, 111, 0, // info
  119, 97, 114, 110, 0, // warn
  101, 114, 114, 111, 114, // error
  102, 97, 116, 97, 108, // fatal
]);
const LEVEL_NAME_LENGTHS = memory.data<u8>([0, 5, 5, 4, 4, 5, 5]);

@inline function put(o: usize, from: usize, n: usize): usize {
  memory.copy(o, from, n);
  return o + n;
}

/** The decimal digits of n ≥ 0 (as JSON prints a whole number below 2^53). */
function putDecimal(o: usize, n: i64): usize {
  if (n < 1000000000) return putSmall(o, <u32>n, 1);
  const high = n / 1000000000;
  return putSmall(putDecimal(o, high), <u32>(n - high * 1000000000), 9);
}
/** n < 1e9, zero-padded to at least `min` digits. */
function putSmall(o: usize, n: u32, min: i32): usize {
  let digits = 1;
  for (let t = n; t >= 10; t /= 10) digits++;
  if (digits < min) digits = min;
  const e = o + <usize>digits;
  for (let q = e - 1; q >= o; q--) {
    store<u8>(q, <u8>(48 + n % 10));
    n /= 10;
  }
  return e;
}

const NEWLINE = i8x16.splat(10);
const SPACE = i8x16.splat(32);
const DEL = i8x16.splat(127);
const QUOTE = i8x16.splat(34);
const BACKSLASH = i8x16.splat(92);
const EQUALS = i8x16.splat(61);
const UPPER_H = i8x16.splat(72);
const LBRACKET = i8x16.splat(91);
const BAR = i8x16.splat(124);

/**
 * Writes the JSON of the whole lines in `[p, end)` from `o` (comma-separated `{"seq":…}` objects, seqs from
 * `seq + 1`), each line's time at `times` (f64) and level at `levels` (u8), until a line it does not take,
 * `maxLines` lines, or the output would pass `outEnd`. Lines longer than `maxLineBytes` are the JS way's (cut).
 * Returns where it stopped; encodedLines() and encodedBytes() tell what it wrote.
 */
export function encode(
  p: usize,
  end: usize,
  o: usize,
  outEnd: usize,
  seq: i32,
  maxLineBytes: usize,
  times: usize,
  levels: usize,
  maxLines: i32,
  inheritedTime: f64,
  plainEvent: bool,
): usize {
  const o0 = o;
  let n: i32 = 0;
  // What a line with no time of its own gets: the last own time before it (else the time it was read); a
  // negative one (1970 in a zone east of UTC) the JS way prints, not the kernel.
  let inherited = <i64>inheritedTime;
  ownTimeOut = -1;
  const longest = maxLineBytes < MAX_LINE_BYTES ? maxLineBytes : MAX_LINE_BYTES;
  while (p < end && n < maxLines) {
    // One pass, 16 bytes at a time: the newline, and what the line holds that matters below.
    let q = p;
    let nl: usize = end;
    let bad = false;
    let escapes = false;
    let equals = false;
    let upperH = false;
    let bracket = false;
    let bar = false;
    while (q + 16 <= end) {
      const v = v128.load(q);
      const newlines = i8x16.bitmask(i8x16.eq(v, NEWLINE));
      const before = newlines != 0 ? (1 << ctz(newlines)) - 1 : 0xffff;
      bad = bad || (i8x16.bitmask(v128.or(i8x16.lt_u(v, SPACE), i8x16.gt_u(v, DEL))) & ~newlines & before) != 0;
      escapes = escapes || (i8x16.bitmask(v128.or(i8x16.eq(v, QUOTE), i8x16.eq(v, BACKSLASH))) & before) != 0;
      equals = equals || (i8x16.bitmask(i8x16.eq(v, EQUALS)) & before) != 0;
      upperH = upperH || (i8x16.bitmask(i8x16.eq(v, UPPER_H)) & before) != 0;
      bracket = bracket || (i8x16.bitmask(i8x16.eq(v, LBRACKET)) & before) != 0;
      bar = bar || (i8x16.bitmask(i8x16.eq(v, BAR)) & before) != 0;
      if (newlines != 0) {
        nl = q + ctz(newlines);
        break;
      }
      q += 16;
    }
    if (nl == end) {
      for (; q < end; q++) {
        const c = load<u8>(q);
        if (c == 10) {
          nl = q;
          break;
        }
        if (c < 32 || c > 127) bad = true;
        else if (c == 34 || c == 92) escapes = true;
        else if (c == 61) equals = true;
        else if (c == 72) upperH = true;
        else if (c == 91) bracket = true;
        else if (c == 124) bar = true;
      }
      if (nl == end) break; // no whole line left
    }
    const length = nl - p;
    if (bad || length > longest) break;
    if (o + (escapes ? 2 * length : length) + LINE_JSON_OVERHEAD > outEnd) break;
    if (upperH && hasHttp(p, nl)) break;
    let ts = isoTimeAt(p, nl);
    const own = ts >= 0;
    // A line without its own time: only one that heads a plain event, and only after one (not inside a
    // traceback or a Go dump, whose lines the JS way tells apart).
    if (!own && !(plainEvent && inherited >= 0 && length > 0 && noTimeLine(p, nl, equals, bracket, bar))) break;
    const head = length > LEVEL_SCAN_BYTES ? p + LEVEL_SCAN_BYTES : nl;
    const field = equals ? logfmtLevelField(p, head) : -1;
    if (field > 0) break;
    if (own) {
      inherited = ts;
      ownTimeOut = <f64>ts;
    } else {
      ts = inherited;
    }
    plainEvent = true;
    let level = wordLevel(p, head);
    if (field == 0 && (level == 0 || level == 3)) {
      const status = logfmtStatus(p, nl);
      if (status >= 500) level = 5;
      else if (status >= 400) level = 4;
    }

    seq++;
    o = n == 0 ? put(o, FIRST_OPEN, 7) : put(o, NEXT_OPEN, 8);
    o = putDecimal(o, <i64>seq);
    o = put(o, TS_KEY, 6);
    o = putDecimal(o, ts);
    o = put(o, TEXT_KEY, 9);
    if (!escapes) {
      o = put(o, p, length);
    } else {
      for (let i = p; i < nl; i++) {
        const c = load<u8>(i);
        if (c == 34 || c == 92) store<u8>(o++, 92);
        store<u8>(o++, c);
      }
    }
    if (level == 0) {
      store<u8>(o++, 34);
    } else {
      o = put(o, LEVEL_KEY, 11);
      o = put(o, LEVEL_NAMES + <usize>(level - 1) * 5, <usize>load<u8>(LEVEL_NAME_LENGTHS + <usize>level));
      store<u8>(o++, 34);
    }
    store<u8>(o++, 125);
    store<f64>(times + (<usize>n << 3), <f64>ts);
    store<u8>(levels + <usize>n, <u8>level);
    n++;
    p = nl + 1;
  }
  linesOut = n;
  bytesOut = o - o0;
  return p;
}
