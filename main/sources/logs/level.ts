// A cheap guess at a line's severity from its start: a syslog <PRI>, a glog/klog letter, a JSON or logfmt level
// field, else a level word near the start (also inside ANSI colours); and from an access log's HTTP status.
// Every line read goes through here, so each check gives up early.
//
// Which wins: a stated level (<PRI>, glog letter, field or word) stands, except info, which gives way to a 4xx status
// (warn) or a 5xx (error): access loggers state info for every request (Traefik, uvicorn, nginx to syslog, lograge
// under Rails; Caddy below 500). With no stated level the status decides. Words in a request line are the URL's,
// not a level (`"GET /error HTTP/1.1" 200` is no error), and so are those of a JSON line with a status field.

import type { LogLevel } from '../../../protocol/events';
import { findJsonFieldValue } from './json-field';

/** Only the start of a line is looked at: a level word is in the prefix (after a timestamp, a host, a tag). */
const LEVEL_SCAN_CHARS = 96;

/** A JSON line's level field is looked for this far in (bunyan writes it after name, hostname and pid). */
const JSON_SCAN_CHARS = 512;

/**
 * An HTTP status is looked for this far in: a request line, or Caddy's request object before its status, can be
 * long; a status past this is not seen.
 */
const STATUS_SCAN_CHARS = 2048;

/** Longer JSON level strings are not level names; bounds the copy made to look one up. */
const MAX_LEVEL_NAME_CHARS = 16;

// The words as a trie (TRACE|DEBUG|INFO|WARN|WARNING|ERR|ERROR|FATAL|CRIT|CRITICAL|PANIC|DPANIC|EMERG): the same
// matches, found in half the time on a line without any (the engine tries one branch a letter, not thirteen).
const LEVEL_WORDS = 'T(?:RACE)|D(?:EBUG|PANIC)|I(?:NFO)|W(?:ARN(?:ING)?)|E(?:RR(?:OR)?|MERG)|F(?:ATAL)|C(?:RIT(?:ICAL)?)|P(?:ANIC)';
const WORD_LEVEL = new RegExp(`\\b(?:${LEVEL_WORDS})\\b`, 'i');
// A colour code before a word (`\x1b[31mERROR`) ends in `m`, a word char, so \b alone misses the word. Only for
// lines that hold an ESC: the one regex taking both costs an access or syslog line about 40 ns more.
const WORD_LEVEL_IN_COLOUR = new RegExp(`(?:\\x1b\\[[\\d;]*m|\\b)(?:${LEVEL_WORDS})\\b`, 'i');
const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity|log\.level)="?([A-Za-z]+)/;
const JSON_LEVEL_KEYS: readonly string[] = ['level', 'lvl', 'severity', 'log.level', 'levelname'];
/** Caddy's and most nginx JSON templates' `status`, Traefik's `DownstreamStatus` (what the client got). */
const JSON_STATUS_KEYS: readonly string[] = ['status', 'downstreamstatus'];

/** Free words: only those that rarely mean anything else in the first words of a message. */
const LEVEL_OF_WORD: ReadonlyMap<string, LogLevel> = new Map([
  ['trace', 'trace'],
  ['debug', 'debug'],
  ['info', 'info'],
  ['warn', 'warn'],
  ['warning', 'warn'],
  ['err', 'error'],
  ['error', 'error'],
  ['fatal', 'fatal'],
  ['crit', 'fatal'],
  ['critical', 'fatal'],
  ['panic', 'fatal'],
  ['dpanic', 'fatal'],
  ['emerg', 'fatal'],
]);

/**
 * Values of a level field: the words, plus names that would be false positives as free words — syslog's
 * (notice, alert), Google Cloud's (emergency), log15's (eror, dbug), Serilog's (verbose, information) and
 * java.util.logging's (severe). A Map, not an object, so "constructor" is not a level.
 */
const LEVEL_OF_VALUE: ReadonlyMap<string, LogLevel> = new Map([
  ...LEVEL_OF_WORD,
  ['verbose', 'trace'],
  ['dbug', 'debug'],
  ['information', 'info'],
  ['informational', 'info'],
  ['notice', 'info'],
  ['eror', 'error'],
  ['severe', 'error'],
  ['alert', 'fatal'],
  ['emergency', 'fatal'],
]);

/** RFC 5424 §6.2.1 severities 0 emergency … 7 debug. */
const LEVEL_OF_SYSLOG_SEVERITY: readonly LogLevel[] = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];

/** glog/klog line header letters, by char code. */
const LEVEL_OF_GLOG_LETTER: ReadonlyMap<number, LogLevel> = new Map([
  [0x49, 'info'], // I
  [0x57, 'warn'], // W
  [0x45, 'error'], // E
  [0x46, 'fatal'], // F
]);

/** RFC 5424 §6.2.1: PRI = facility * 8 + severity, facilities 0-23. */
const MAX_SYSLOG_PRI = 191;

const SPACE = 32;
const QUOTE = 34;
const DOT = 46;
const COLON = 58;
const LT = 60;
const GT = 62;
const LBRACE = 123;
const ESC = 27;
const LOWER_D = 0x64;
const LOWER_E = 0x65;
const LOWER_I = 0x69;
const LOWER_L = 0x6c;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_W = 0x77;
const LOWER_Y = 0x79;

export function detectLevel(text: string): LogLevel | undefined {
  // The status checks' bound; only lines longer than it are sliced (copy-free).
  const scan = text.length > STATUS_SCAN_CHARS ? text.slice(0, STATUS_SCAN_CHARS) : text;
  const first = text.charCodeAt(0);
  if (first === LBRACE) {
    // A level field, when there is one, is the stated level even if its value is not a known name.
    const at = findJsonFieldValue(text, JSON_LEVEL_KEYS, JSON_SCAN_CHARS);
    if (at >= 0) {
      const stated = levelOfJsonValue(text, at);
      return mayGiveWay(stated) ? (levelOfStatus(jsonStatus(scan, 400)) ?? stated) : stated;
    }
    const status = jsonStatus(scan, 100);
    if (status >= 0) return levelOfStatus(status);
  } else if (first === LT) {
    const severity = syslogSeverity(text);
    if (severity >= 0) return withStatus(LEVEL_OF_SYSLOG_SEVERITY[severity], scan, textStatus);
  } else {
    const level = glogLevel(text);
    if (level) return withStatus(level, scan, textStatus);
  }
  const head = text.length > LEVEL_SCAN_CHARS ? text.slice(0, LEVEL_SCAN_CHARS) : text;
  const status = requestLineStatus(scan);
  if (status >= 0) {
    // An access line: a level word counts only before the request line, which holds the URL.
    const word = findWord(head);
    const stated = word >= 0 && word < scan.indexOf('"') ? levelOfWordAt(head, word) : undefined;
    return mayGiveWay(stated) ? (levelOfStatus(status) ?? stated) : stated;
  }
  if (!head.includes('=')) return levelOfWordAt(head, findWord(head));
  // logfmt before words: in `msg="an error" level=info` the field, not the first word, is the level.
  const field = mayHaveLogfmtLevel(head) ? LOGFMT_LEVEL.exec(head) : null;
  const stated = field ? LEVEL_OF_VALUE.get(field[1]!.toLowerCase()) : levelOfWordAt(head, findWord(head));
  return withStatus(stated, scan, logfmtStatus);
}

/** Where the first level word's match starts in `head` (at its colour code, if any), or -1. */
function findWord(head: string): number {
  // search, not exec: no match array and captured string made for every line.
  return head.search(head.includes('\x1b') ? WORD_LEVEL_IN_COLOUR : WORD_LEVEL);
}

/**
 * The level of the word WORD_LEVEL matched at `at` (after a colour code there), told by its length and a letter
 * or two: no copy of it is made. undefined for -1.
 */
function levelOfWordAt(head: string, at: number): LogLevel | undefined {
  if (at < 0) return undefined;
  if (head.charCodeAt(at) === ESC) {
    // `\x1b[` digits and semicolons, then `m` (or `M`: the regex is case-blind).
    at += 2;
    for (let code = head.charCodeAt(at); (code >= 0x30 && code <= 0x39) || code === 0x3b; code = head.charCodeAt(++at));
    at++;
  }
  let end = at + 1;
  while (isLetter(head.charCodeAt(end))) end++;
  const first = head.charCodeAt(at) | 0x20;
  switch (end - at) {
    case 4: // info, warn, crit
      return first === LOWER_I ? 'info' : first === LOWER_W ? 'warn' : 'fatal';
    case 5: // trace, debug, error, emerg, fatal, panic
      if (first === LOWER_T) return 'trace';
      if (first === LOWER_D) return 'debug';
      if (first === LOWER_E) return (head.charCodeAt(at + 1) | 0x20) === LOWER_R ? 'error' : 'fatal';
      return 'fatal';
    case 3: // err
      return 'error';
    case 7: // warning
      return 'warn';
    default: // dpanic, critical
      return 'fatal';
  }
}

function isLetter(code: number): boolean {
  return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
}

/** Every key LOGFMT_LEVEL takes ends in `l=` or `y=`: a line with neither is spared the regex. */
function mayHaveLogfmtLevel(head: string): boolean {
  for (let at = head.indexOf('=', 1); at >= 0; at = head.indexOf('=', at + 1)) {
    const key = head.charCodeAt(at - 1);
    if (key === LOWER_L || key === LOWER_Y) return true;
  }
  return false;
}

/** `stated`, unless it may give way and the line's HTTP status, found by `statusOf`, says worse. */
function withStatus(stated: LogLevel | undefined, scan: string, statusOf: (scan: string) => number): LogLevel | undefined {
  return mayGiveWay(stated) ? (levelOfStatus(statusOf(scan)) ?? stated) : stated;
}

function mayGiveWay(stated: LogLevel | undefined): boolean {
  return stated === undefined || stated === 'info';
}

function levelOfStatus(status: number): LogLevel | undefined {
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : undefined;
}

function textStatus(scan: string): number {
  const status = requestLineStatus(scan);
  return status >= 0 ? status : logfmtStatus(scan);
}

/**
 * The status right after an HTTP request line, `"GET /x HTTP/1.1" 502`: the Common and Combined Log Formats
 * (nginx, Apache, Traefik, gunicorn), also behind a vhost, and uvicorn's. Else -1. A request that is not HTTP
 * (nginx's `"-"` or a TLS hello) has none.
 */
function requestLineStatus(scan: string): number {
  for (let at = scan.indexOf('HTTP/'); at >= 0; at = scan.indexOf('HTTP/', at + 5)) {
    // The version: HTTP/1.1, HTTP/2.0, HTTP/2, HTTP/3.
    let end = at + 5;
    if (digit(scan, end) < 0) continue;
    end++;
    if (scan.charCodeAt(end) === DOT && digit(scan, end + 1) >= 0) end += 2;
    if (scan.charCodeAt(end) !== QUOTE || scan.charCodeAt(end + 1) !== SPACE) continue;
    const status = httpStatusAt(scan, end + 2);
    if (status >= 0) return status;
  }
  return -1;
}

/**
 * The status in a top-level JSON status field, a number or a string (nginx's `"status": "$status"`), or -1; -1
 * also when no status field holds one of at least `min`. Native searches and a look at each value rule out most
 * lines (no such field, or a 200 when only a 4xx or 5xx would change the level) before a field scan.
 */
function jsonStatus(scan: string, min: number): number {
  for (let key = scan.indexOf('tatus"'); key >= 0; key = scan.indexOf('tatus"', key + 6)) {
    let i = key + 6;
    while (scan.charCodeAt(i) === SPACE) i++;
    if (scan.charCodeAt(i) !== COLON) continue;
    do i++;
    while (scan.charCodeAt(i) === SPACE);
    if (httpStatusAt(scan, scan.charCodeAt(i) === QUOTE ? i + 1 : i) < min) continue;
    const at = findJsonFieldValue(scan, JSON_STATUS_KEYS, STATUS_SCAN_CHARS);
    return at < 0 ? -1 : httpStatusAt(scan, scan.charCodeAt(at) === QUOTE ? at + 1 : at);
  }
  return -1;
}

/** The status in a logfmt `status=502` field (lograge, Grafana), or -1. */
function logfmtStatus(scan: string): number {
  let at = scan.indexOf('status=');
  while (at > 0 && scan.charCodeAt(at - 1) !== SPACE) at = scan.indexOf('status=', at + 1); // not upstream_status=
  if (at < 0) return -1;
  return httpStatusAt(scan, scan.charCodeAt(at + 7) === QUOTE ? at + 8 : at + 7);
}

/** An HTTP status, three digits at `at` (not more), or -1. */
function httpStatusAt(text: string, at: number): number {
  const hundreds = digit(text, at);
  const tens = digit(text, at + 1);
  const ones = digit(text, at + 2);
  if (hundreds < 1 || hundreds > 5 || tens < 0 || ones < 0 || digit(text, at + 3) >= 0) return -1;
  return hundreds * 100 + tens * 10 + ones;
}

/** pino/bunyan numbers (10 trace … 60 fatal, custom levels in between) or a level name. */
function levelOfJsonValue(text: string, at: number): LogLevel | undefined {
  if (text.charCodeAt(at) === QUOTE) {
    let close = at + 1;
    while (close <= at + MAX_LEVEL_NAME_CHARS && text.charCodeAt(close) !== QUOTE) close++;
    if (text.charCodeAt(close) !== QUOTE) return undefined;
    return LEVEL_OF_VALUE.get(text.slice(at + 1, close).toLowerCase());
  }
  let n = 0;
  let i = at;
  for (let d = digit(text, i); d >= 0 && i < at + 3; d = digit(text, ++i)) n = n * 10 + d;
  if (i === at || digit(text, i) >= 0 || n < 10 || n >= 70) return undefined;
  return n < 20 ? 'trace' : n < 30 ? 'debug' : n < 40 ? 'info' : n < 50 ? 'warn' : n < 60 ? 'error' : 'fatal';
}

/** The severity of a `<PRI>` line start (RFC 5424 §6.2.1, also RFC 3164 and sd-daemon(3)), or -1. */
function syslogSeverity(text: string): number {
  let pri = 0;
  let i = 1;
  for (let d = digit(text, i); d >= 0 && i <= 3; d = digit(text, ++i)) pri = pri * 10 + d;
  if (i === 1 || text.charCodeAt(i) !== GT || pri > MAX_SYSLOG_PRI) return -1;
  return pri % 8;
}

/** glog/klog header `Lmmdd hh:mm:ss.uuuuuu …`, L one of I W E F. */
function glogLevel(text: string): LogLevel | undefined {
  const level = LEVEL_OF_GLOG_LETTER.get(text.charCodeAt(0));
  if (!level) return undefined;
  for (let i = 1; i <= 4; i++) if (digit(text, i) < 0) return undefined;
  const isHeader = text.charCodeAt(5) === SPACE && digit(text, 6) >= 0 && digit(text, 7) >= 0 && text.charCodeAt(8) === COLON;
  return isHeader ? level : undefined;
}

function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1; // NaN past the end fails both tests
}
