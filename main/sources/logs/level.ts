// A cheap guess at a line's severity from its start: a syslog <PRI>, a glog/klog letter, a JSON or logfmt level
// field, else a level word near the start (also inside ANSI colours). Every line read goes through here, so each
// check gives up early.

import type { LogLevel } from '../../../protocol/events';
import { findJsonFieldValue } from './json-field';

/** Only the start of a line is looked at: a level word is in the prefix (after a timestamp, a host, a tag). */
const LEVEL_SCAN_CHARS = 96;

/** A JSON line's level field is looked for this far in (bunyan writes it after name, hostname and pid). */
const JSON_SCAN_CHARS = 512;

/** Longer JSON level strings are not level names; bounds the copy made to look one up. */
const MAX_LEVEL_NAME_CHARS = 16;

const WORD_LEVEL = /\b(TRACE|DEBUG|INFO|WARN|WARNING|ERR|ERROR|FATAL|CRIT|CRITICAL|PANIC|DPANIC|EMERG)\b/i;
// A colour code before a word (`\x1b[31mERROR`) ends in `m`, a word char, so \b alone misses the word. Only for
// lines that hold an ESC: the one regex taking both costs an access or syslog line about 40 ns more.
const WORD_LEVEL_IN_COLOUR = /(?:\x1b\[[\d;]*m|\b)(TRACE|DEBUG|INFO|WARN|WARNING|ERR|ERROR|FATAL|CRIT|CRITICAL|PANIC|DPANIC|EMERG)\b/i;
const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity|log\.level)="?([A-Za-z]+)/;
const JSON_LEVEL_KEYS: readonly string[] = ['level', 'lvl', 'severity', 'log.level', 'levelname'];

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
const COLON = 58;
const LT = 60;
const GT = 62;
const LBRACE = 123;

export function detectLevel(text: string): LogLevel | undefined {
  const first = text.charCodeAt(0);
  if (first === LBRACE) {
    // A level field, when there is one, is the answer even if its value is not a known name.
    const at = findJsonFieldValue(text, JSON_LEVEL_KEYS, JSON_SCAN_CHARS);
    if (at >= 0) return levelOfJsonValue(text, at);
  } else if (first === LT) {
    const severity = syslogSeverity(text);
    if (severity >= 0) return LEVEL_OF_SYSLOG_SEVERITY[severity];
  } else {
    const level = glogLevel(text);
    if (level) return level;
  }
  const head = text.length > LEVEL_SCAN_CHARS ? text.slice(0, LEVEL_SCAN_CHARS) : text;
  // logfmt before words: in `msg="an error" level=info` the field, not the first word, is the level.
  if (head.includes('=')) {
    const field = LOGFMT_LEVEL.exec(head);
    if (field) return LEVEL_OF_VALUE.get(field[1]!.toLowerCase());
  }
  const word = (head.includes('\x1b') ? WORD_LEVEL_IN_COLOUR : WORD_LEVEL).exec(head);
  return word ? LEVEL_OF_WORD.get(word[1]!.toLowerCase()) : undefined;
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
