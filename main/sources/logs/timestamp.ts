// The time a log line says it was written, read from the start of its text: ISO 8601 / RFC 3339, syslog
// (RFC 3164 and 5424), Apache/nginx access and error logs, glog/klog, logfmt and JSON time fields.
// Every line read goes through here, so it is char-by-char checks that give up at the first mismatch.

import { findJsonFieldValue } from './json-field';

/** A timestamp (for an access log, the bracketed time) must start within this many chars of the line start. */
const TIMESTAMP_SCAN_CHARS = 128;

/** A JSON line's time field is looked for this far in: bunyan and docker write it after the message. */
const JSON_SCAN_CHARS = 512;

/** A year-less time (syslog, glog) gets the latest year that puts it no further than this after `now`. */
const YEARLESS_FUTURE_SLACK_MS = 24 * 3600_000;

/** How many years back a year-less date may go to exist: Feb 29 (leap years skip 2100). */
const YEARLESS_MAX_YEARS_BACK = 8;

/** Earlier years are not plausible for a log line. */
const MIN_YEAR = 1970;

/** Fraction digits read after the seconds (nanoseconds); the time keeps milliseconds. */
const MAX_FRACTION_DIGITS = 9;

/** An epoch number has at most this many integer digits (nanoseconds until the year 5138). */
const MAX_EPOCH_DIGITS = 20;

/** Access log: host, ident and user come before `[time]`; a leading vhost (`%v %h %l %u %t`) makes four. */
const ACCESS_LOG_FIELDS_BEFORE_TIME = 4;

/** logfmt: the time is among the first pairs (`time=` for logrus and slog, `logger=… t=…` for Grafana). */
const LOGFMT_PAIRS_CHECKED = 4;

/** A level tag before a timestamp (`INFO 2024-…`, `[WARN] 2024-…`) is at most this many capitals. */
const MAX_LEVEL_TAG_CHARS = 8;

const JSON_TIME_KEYS: readonly string[] = ['time', 'timestamp', 'ts', '@timestamp'];

const MONTH_CODES: readonly number[] = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
  (name) => threeCharCode(name, 0),
);

const MINUTE_MS = 60_000;
const HOUR_MS = 3600_000;
const DAY_MS = 86_400_000;

/** Zone result: the time has no zone and is local time. */
const LOCAL = Number.POSITIVE_INFINITY;

const ESC = 27;
const SPACE = 32;
const QUOTE = 34;
const PLUS = 43;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const SEMICOLON = 59;
const LT = 60;
const EQUALS = 61;
const GT = 62;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const DIGIT_ONE = 0x31;
const UPPER_E = 0x45;
const UPPER_F = 0x46;
const UPPER_I = 0x49;
const UPPER_T = 0x54;
const UPPER_W = 0x57;
const UPPER_Z = 0x5a;
const UNDERSCORE = 0x5f;
const LOWER_E = 0x65;
const LOWER_M = 0x6d;
const LOWER_T = 0x74;
const LOWER_Z = 0x7a;

/**
 * Milliseconds since the Unix epoch of the timestamp at the start of `text`, or undefined when none is
 * recognised or it is not a valid date. `now` is the time read: it gives year-less formats their year.
 */
export function parseLineTimestamp(text: string, now: number): number | undefined {
  const first = text.charCodeAt(0);
  let ms = Number.NaN;
  if (first === ESC) {
    // A coloured line (`\e[2m2026-…\e[0m INFO …`): the time is right after its colour codes.
    const after = afterLeadingSgr(text);
    return after > 0 ? parseLineTimestamp(text.slice(after), now) : undefined;
  }
  if (isDigit(first)) {
    ms = parseIso(text, 0);
    if (Number.isNaN(ms)) ms = parseAccessLogTime(text);
  } else if (first === LBRACE) {
    ms = parseJsonTime(text);
  } else if (first === LT) {
    ms = parseAfterSyslogPri(text, now);
  } else if (first === LBRACKET) {
    ms = parseBracketed(text);
  } else if (isLetter(first) || first === COLON) {
    ms = parseAfterLetter(text, now);
  }
  return Number.isNaN(ms) ? undefined : ms;
}

/** The index after the SGR sequences (`ESC [ digits ; … m`) the text starts with; 0 when it starts with none. */
function afterLeadingSgr(text: string): number {
  let at = 0;
  while (text.charCodeAt(at) === ESC && text.charCodeAt(at + 1) === LBRACKET) {
    let end = at + 2;
    for (let c = text.charCodeAt(end); isDigit(c) || c === SEMICOLON; c = text.charCodeAt(++end));
    if (text.charCodeAt(end) !== LOWER_M) break;
    at = end + 1;
  }
  return at;
}

/** Lines that start with a letter: syslog, glog, logfmt, a level tag then ISO, an access log by host name or IPv6. */
function parseAfterLetter(text: string, now: number): number {
  let ms = parseSyslog(text, 0, now);
  if (Number.isNaN(ms)) ms = parseGlog(text, now);
  if (Number.isNaN(ms)) ms = parseLogfmtTime(text);
  if (Number.isNaN(ms)) {
    const at = skipLevelTag(text);
    if (at > 0) ms = parseIso(text, at);
  }
  if (Number.isNaN(ms)) ms = parseAccessLogTime(text);
  if (Number.isNaN(ms)) ms = parseAfterServicePrefix(text);
  return ms;
}

/** `[2024-01-31 10:00:00,123]` (log4j, Kafka), `[31/Jan/2024:10:00:00 +0100]`, Apache's error log, `[INFO] 2024-…`. */
function parseBracketed(text: string): number {
  if (isDigit(text.charCodeAt(1))) {
    const ms = parseIso(text, 1);
    return Number.isNaN(ms) ? parseAccessTime(text, 1) : ms;
  }
  const ms = parseCtime(text, 1);
  if (!Number.isNaN(ms)) return ms;
  const at = skipLevelTag(text);
  return at > 0 ? parseIso(text, at) : Number.NaN;
}

/** RFC 5424 `<34>1 2024-01-31T10:00:00Z …`, RFC 3164 `<34>Jan 31 10:00:00 …`. */
function parseAfterSyslogPri(text: string, now: number): number {
  let at = 1;
  while (at <= 3 && isDigit(text.charCodeAt(at))) at++;
  if (at === 1 || text.charCodeAt(at) !== GT) return Number.NaN;
  at++;
  const isVersion1 = text.charCodeAt(at) === DIGIT_ONE && text.charCodeAt(at + 1) === SPACE; // RFC 5424 VERSION
  if (isVersion1) return parseIso(text, at + 2);
  return isDigit(text.charCodeAt(at)) ? parseIso(text, at) : parseSyslog(text, at, now);
}

/**
 * ISO 8601 / RFC 3339 `yyyy-mm-ddThh:mm:ss[.fff][zone]` at `at`, also with a space for `T`, a comma before the
 * fraction (log4j, Python), and `yyyy/mm/dd` (Go's log package, nginx's error log). Without a zone it is local.
 */
function parseIso(text: string, at: number): number {
  const year = fourDigits(text, at);
  const separator = text.charCodeAt(at + 4);
  if (year < MIN_YEAR || (separator !== DASH && separator !== SLASH) || text.charCodeAt(at + 7) !== separator) {
    return Number.NaN;
  }
  const month = twoDigits(text, at + 5);
  const day = twoDigits(text, at + 8);
  const t = text.charCodeAt(at + 10);
  if (!isValidDate(year, month, day) || (t !== UPPER_T && t !== LOWER_T && t !== SPACE)) return Number.NaN;
  const msOfDay = parseClock(text, at + 11);
  if (msOfDay < 0) return Number.NaN;
  return toEpochMs(year, month, day, msOfDay, zoneMinutes(text, clockEnd));
}

/** Common/combined log format: `host ident user [dd/Mon/yyyy:hh:mm:ss ±hhmm]`, the time among the first fields. */
function parseAccessLogTime(text: string): number {
  // A native indexOf is several times faster than a charCodeAt loop; what it finds past the prefix is not taken.
  const end = Math.min(text.length, TIMESTAMP_SCAN_CHARS);
  // The time is in brackets: a line with none in the prefix is spared the walk over its fields.
  const bracket = text.indexOf('[');
  if (bracket < 0 || bracket >= end) return Number.NaN;
  let at = 0;
  for (let field = 0; field < ACCESS_LOG_FIELDS_BEFORE_TIME; field++) {
    at = text.indexOf(' ', at) + 1;
    if (at === 0 || at >= end) return Number.NaN;
    // `[31/Jan/2024:10:00:00 +0100]` as Apache and nginx write it, or an ISO time in its place (Caddy, Envoy).
    if (text.charCodeAt(at) === LBRACKET) return at + 3 < end && isDigit(text.charCodeAt(at + 3)) ? parseIso(text, at + 1) : parseAccessTime(text, at + 1);
  }
  return Number.NaN;
}

/** `web-1  | 2024-01-31T10:00:00Z …`: the service prefix of `docker compose logs`, then ISO. */
function parseAfterServicePrefix(text: string): number {
  const end = Math.min(text.length, TIMESTAMP_SCAN_CHARS);
  const bar = text.indexOf('| ');
  if (bar < 1 || bar + 2 > end) return Number.NaN;
  let at = bar + 2;
  while (at < end && text.charCodeAt(at) === SPACE) at++;
  return at < end && isDigit(text.charCodeAt(at)) ? parseIso(text, at) : Number.NaN;
}

/** `dd/Mon/yyyy:hh:mm:ss ±hhmm` (Apache `%t`, nginx `$time_local`). */
function parseAccessTime(text: string, at: number): number {
  const day = twoDigits(text, at);
  const month = monthAt(text, at + 3);
  const year = fourDigits(text, at + 7);
  const separatorsOk =
    text.charCodeAt(at + 2) === SLASH && text.charCodeAt(at + 6) === SLASH && text.charCodeAt(at + 11) === COLON;
  if (!separatorsOk || year < MIN_YEAR || !isValidDate(year, month, day)) return Number.NaN;
  const msOfDay = parseClock(text, at + 12);
  if (msOfDay < 0) return Number.NaN;
  return toEpochMs(year, month, day, msOfDay, zoneMinutes(text, clockEnd));
}

/** RFC 3164 `Mmm dd hh:mm:ss` (day padded with a space or not): local time of the year inferred from `now`. */
function parseSyslog(text: string, at: number, now: number): number {
  const month = monthAt(text, at);
  if (month === 0 || text.charCodeAt(at + 3) !== SPACE) return Number.NaN;
  let i = at + 4;
  if (text.charCodeAt(i) === SPACE) i++;
  let day = digit(text, i++);
  if (day < 0) return Number.NaN;
  const second = digit(text, i);
  if (second >= 0) {
    day = day * 10 + second;
    i++;
  }
  if (text.charCodeAt(i) !== SPACE) return Number.NaN;
  const msOfDay = parseClock(text, i + 1);
  return msOfDay < 0 ? Number.NaN : yearlessToEpochMs(month, day, msOfDay, now);
}

/** glog/klog `Lmmdd hh:mm:ss.uuuuuu …` (L one of I W E F): local time of the year inferred from `now`. */
function parseGlog(text: string, now: number): number {
  const level = text.charCodeAt(0);
  const isLevel = level === UPPER_I || level === UPPER_W || level === UPPER_E || level === UPPER_F;
  if (!isLevel || text.charCodeAt(5) !== SPACE) return Number.NaN;
  const month = twoDigits(text, 1);
  const day = twoDigits(text, 3);
  if (month < 0 || day < 0) return Number.NaN;
  const msOfDay = parseClock(text, 6);
  return msOfDay < 0 ? Number.NaN : yearlessToEpochMs(month, day, msOfDay, now);
}

/** Apache's error log `Www Mmm dd hh:mm:ss[.uuuuuu] yyyy` (ctime): local time. */
function parseCtime(text: string, at: number): number {
  if (!isLetter(text.charCodeAt(at)) || text.charCodeAt(at + 3) !== SPACE) return Number.NaN;
  const month = monthAt(text, at + 4);
  const day = text.charCodeAt(at + 8) === SPACE ? digit(text, at + 9) : twoDigits(text, at + 8); // "Jan  1" too
  if (month === 0 || text.charCodeAt(at + 7) !== SPACE || text.charCodeAt(at + 10) !== SPACE) return Number.NaN;
  const msOfDay = parseClock(text, at + 11);
  if (msOfDay < 0 || text.charCodeAt(clockEnd) !== SPACE) return Number.NaN;
  const year = fourDigits(text, clockEnd + 1);
  if (year < MIN_YEAR || isDigit(text.charCodeAt(clockEnd + 5)) || !isValidDate(year, month, day)) return Number.NaN;
  return toEpochMs(year, month, day, msOfDay, LOCAL);
}

/** logfmt whose first pairs include `time=`, `ts=`, `t=` or `timestamp=`, quoted or not: ISO or epoch. */
function parseLogfmtTime(text: string): number {
  const end = Math.min(text.length, TIMESTAMP_SCAN_CHARS);
  // Every pair has its `=`: a line with none in the prefix (most that start with a letter) is not logfmt.
  const equals = text.indexOf('=');
  if (equals < 0 || equals >= end) return Number.NaN;
  let i = 0;
  for (let pair = 0; pair < LOGFMT_PAIRS_CHECKED; pair++) {
    const keyStart = i;
    while (i < end && isKeyChar(text.charCodeAt(i))) i++;
    if (i === keyStart || i >= end || text.charCodeAt(i) !== EQUALS) return Number.NaN;
    const keyEnd = i++;
    const quoted = text.charCodeAt(i) === QUOTE;
    if (isLogfmtTimeKey(text, keyStart, keyEnd)) {
      const value = quoted ? i + 1 : i;
      return isDigit(text.charCodeAt(value + 4)) ? parseEpoch(text, value) : parseIso(text, value);
    }
    if (quoted) {
      for (i++; i < end && text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
      i++;
    } else {
      while (i < end && text.charCodeAt(i) !== SPACE) i++;
    }
    while (i < end && text.charCodeAt(i) === SPACE) i++;
  }
  return Number.NaN;
}

function isLogfmtTimeKey(text: string, start: number, end: number): boolean {
  switch (end - start) {
    case 1: return text.charCodeAt(start) === LOWER_T;
    case 2: return text.startsWith('ts', start);
    case 4: return text.startsWith('time', start);
    case 9: return text.startsWith('timestamp', start);
    default: return false;
  }
}

/** A JSON `time`/`timestamp`/`ts`/`@timestamp` field: an ISO (or access-log) string, or epoch s, ms, µs or ns. */
function parseJsonTime(text: string): number {
  const at = findJsonFieldValue(text, JSON_TIME_KEYS, JSON_SCAN_CHARS);
  if (at < 0) return Number.NaN;
  if (text.charCodeAt(at) !== QUOTE) return parseEpoch(text, at);
  const ms = parseIso(text, at + 1);
  return Number.isNaN(ms) ? parseAccessTime(text, at + 1) : ms;
}

/**
 * An epoch number, its unit told by magnitude: seconds (zap, Python's time.time(): `1706695200.123`) below 1e11
 * (year 5138), milliseconds (pino) below 1e14, then µs, then ns. Below 1e9 (2001 in seconds) it is more
 * likely a duration or a counter than a time.
 */
function parseEpoch(text: string, at: number): number {
  let n = 0;
  let i = at;
  for (let d = digit(text, i); d >= 0 && i < at + MAX_EPOCH_DIGITS; d = digit(text, ++i)) n = n * 10 + d;
  if (i === at || n < 1e9) return Number.NaN;
  let fractionMs = 0;
  if (text.charCodeAt(i) === DOT) {
    const fractionStart = i + 1;
    let scale = 100;
    for (let d = digit(text, ++i); d >= 0 && i - fractionStart < MAX_FRACTION_DIGITS; d = digit(text, ++i)) {
      fractionMs += d * scale;
      scale = scale === 1 ? 0 : scale / 10;
    }
  }
  const next = text.charCodeAt(i);
  if (isDigit(next) || next === LOWER_E || next === UPPER_E) return Number.NaN; // no exponent forms
  if (n < 1e11) return n * 1000 + fractionMs;
  if (n < 1e14) return n;
  if (n < 1e17) return Math.floor(n / 1e3);
  if (n < 1e20) return Math.floor(n / 1e6);
  return Number.NaN;
}

/** Where the time starts after a level tag (`INFO `, `[WARN] `, `E: `, then maybe `[`), or -1. */
function skipLevelTag(text: string): number {
  let i = text.charCodeAt(0) === LBRACKET ? 1 : 0;
  const start = i;
  while (i - start < MAX_LEVEL_TAG_CHARS && isUpper(text.charCodeAt(i))) i++;
  if (i === start || isLetter(text.charCodeAt(i))) return -1;
  if (start === 1) {
    if (text.charCodeAt(i) !== RBRACKET) return -1;
    i++;
  }
  if (text.charCodeAt(i) === COLON) i++;
  if (text.charCodeAt(i) !== SPACE) return -1;
  while (text.charCodeAt(i) === SPACE && i < TIMESTAMP_SCAN_CHARS) i++;
  return text.charCodeAt(i) === LBRACKET ? i + 1 : i;
}

/** Where the last successful parseClock stopped: a second result without allocating on the hot path. */
let clockEnd = 0;

/** `hh:mm:ss[.fff…]` (or `,fff`) at `at`: milliseconds into the day, or -1. Sets clockEnd. */
function parseClock(text: string, at: number): number {
  const hours = twoDigits(text, at);
  const minutes = twoDigits(text, at + 3);
  const seconds = twoDigits(text, at + 6); // 60: a leap second, carried into the next minute
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 60) return -1;
  if (text.charCodeAt(at + 2) !== COLON || text.charCodeAt(at + 5) !== COLON) return -1;
  let i = at + 8;
  let ms = 0;
  const separator = text.charCodeAt(i);
  if ((separator === DOT || separator === COMMA) && isDigit(text.charCodeAt(i + 1))) {
    let digits = 0;
    for (let d = digit(text, ++i); d >= 0 && digits < MAX_FRACTION_DIGITS; d = digit(text, ++i)) {
      if (digits < 3) ms = ms * 10 + d;
      digits++;
    }
    if (digits === 1) ms *= 100;
    else if (digits === 2) ms *= 10;
  }
  if (isDigit(text.charCodeAt(i))) return -1;
  clockEnd = i;
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
}

/**
 * The zone at `at`, right after the time, in minutes east of UTC: `Z`, `±hh`, `±hhmm`, `±hh:mm`, or after a
 * space `UTC`, `GMT`, `±hhmm`, `±hh:mm` (access logs, PostgreSQL, Ruby). LOCAL when there is none, NaN when
 * it is out of range.
 */
function zoneMinutes(text: string, at: number): number {
  let i = at;
  let c = text.charCodeAt(i);
  const spaced = c === SPACE;
  if (spaced) {
    c = text.charCodeAt(++i);
    if (text.startsWith('UTC', i) || text.startsWith('GMT', i)) {
      return isLetter(text.charCodeAt(i + 3)) ? LOCAL : 0;
    }
  } else if (c === UPPER_Z || c === LOWER_Z) {
    return 0;
  }
  if (c !== PLUS && c !== DASH) return LOCAL;
  const hours = twoDigits(text, i + 1);
  if (hours < 0) return LOCAL;
  i += 3;
  if (text.charCodeAt(i) === COLON) i++;
  const minutes = twoDigits(text, i);
  if (minutes < 0 && spaced) return LOCAL; // `10:00:00 -1 retries` is not a zone
  if (hours > 23 || minutes > 59) return Number.NaN;
  const offset = hours * 60 + Math.max(minutes, 0);
  return c === DASH ? -offset : offset;
}

function toEpochMs(year: number, month: number, day: number, msOfDay: number, zone: number): number {
  if (zone === LOCAL) return localEpochMs(year, month, day, msOfDay);
  return daysFromCivil(year, month, day) * DAY_MS + msOfDay - zone * MINUTE_MS;
}

/** The latest year in which month/day exists and the time is at most YEARLESS_FUTURE_SLACK_MS after `now`. */
function yearlessToEpochMs(month: number, day: number, msOfDay: number, now: number): number {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2000, month)) return Number.NaN;
  let year = localYear(now);
  for (let back = 0; back <= YEARLESS_MAX_YEARS_BACK; back++, year--) {
    if (day > daysInMonth(year, month)) continue;
    const ms = localEpochMs(year, month, day, msOfDay);
    if (ms <= now + YEARLESS_FUTURE_SLACK_MS) return ms;
  }
  return Number.NaN;
}

// `new Date(y, m, d, h)` costs ~130 ns in a zone with DST, more than all the parsing, and consecutive lines
// share the hour. Zone offsets change on the hour, so the hour's start plus minutes, seconds and ms is what
// Date gives, also in the skipped and repeated hours of a DST change. The process zone is taken as fixed.
let cachedHourKey = -1;
let cachedHourStart = 0;

function localEpochMs(year: number, month: number, day: number, msOfDay: number): number {
  const hour = Math.floor(msOfDay / HOUR_MS);
  const key = ((year * 16 + month) * 32 + day) * 32 + hour;
  if (key !== cachedHourKey) {
    cachedHourStart = new Date(year, month - 1, day, hour).getTime();
    cachedHourKey = key;
  }
  return cachedHourStart + (msOfDay - hour * HOUR_MS);
}

let cachedYear = 0;
let cachedYearStart = 0;
let cachedYearEnd = -1;

/** The local calendar year of `time`, without a Date per line. */
function localYear(time: number): number {
  if (time >= cachedYearStart && time < cachedYearEnd) return cachedYear;
  cachedYear = new Date(time).getFullYear();
  cachedYearStart = new Date(cachedYear, 0, 1).getTime();
  cachedYearEnd = new Date(cachedYear + 1, 0, 1).getTime();
  return cachedYear;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  // Lines come in time order: most are of the day the line before was.
  const key = (year * 16 + month) * 32 + day;
  if (key === cachedDayKey) return cachedDays;
  cachedDayKey = key;
  return (cachedDays = civilDays(year, month, day));
}

let cachedDayKey = -1;
let cachedDays = 0;

function civilDays(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function isValidDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 1-12 for a capitalised English month abbreviation at `at`, else 0. */
function monthAt(text: string, at: number): number {
  const code = threeCharCode(text, at);
  for (let m = 0; m < 12; m++) if (MONTH_CODES[m] === code) return m + 1;
  return 0;
}

function threeCharCode(text: string, at: number): number {
  return (text.charCodeAt(at) << 16) | (text.charCodeAt(at + 1) << 8) | text.charCodeAt(at + 2);
}

function fourDigits(text: string, at: number): number {
  const high = twoDigits(text, at);
  const low = twoDigits(text, at + 2);
  return high < 0 || low < 0 ? -1 : high * 100 + low;
}

function twoDigits(text: string, at: number): number {
  const tens = digit(text, at);
  const ones = digit(text, at + 1);
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
}

function digit(text: string, at: number): number {
  const d = text.charCodeAt(at) - 48;
  return d >= 0 && d <= 9 ? d : -1; // NaN past the end fails both tests
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isKeyChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === UNDERSCORE || c === DOT || c === DASH;
}
