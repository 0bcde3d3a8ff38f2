// A cheap guess at a line's severity: a level word near the start, or a JSON "level" field.

import type { LogLevel } from '../../../protocol/events';

/** Only the start of a line is looked at: a level word is in the prefix (after a timestamp, a host, a tag). */
const LEVEL_SCAN_CHARS = 96;

const WORD_LEVEL = /\b(TRACE|DEBUG|INFO|WARN|WARNING|ERR|ERROR|FATAL|CRIT|CRITICAL|PANIC)\b/i;
const JSON_LEVEL = /"(?:level|severity)"\s*:\s*"([A-Za-z]+)"/i;

const LEVEL_OF_WORD: Readonly<Record<string, LogLevel>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  err: 'error',
  error: 'error',
  fatal: 'fatal',
  crit: 'fatal',
  critical: 'fatal',
  panic: 'fatal',
};

export function detectLevel(text: string): LogLevel | undefined {
  const head = text.length > LEVEL_SCAN_CHARS ? text.slice(0, LEVEL_SCAN_CHARS) : text;
  // JSON lines first: their prefix holds field names and timestamps, not a level word.
  const match = (head.startsWith('{') ? JSON_LEVEL.exec(text) : null) ?? WORD_LEVEL.exec(head);
  return match ? LEVEL_OF_WORD[match[1]!.toLowerCase()] : undefined;
}
