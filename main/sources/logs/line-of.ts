// A line as sent, made from its text in the context of the lines before it in its file: its time, its level,
// and whether it continues an event. The tailer and history (a line read again) both make lines here.
import type { LogLevel, LogLine } from '../../../protocol/events';
import type { Content } from './content';
import { detectLevel } from './level';

/**
 * A line as sent, in the context of the lines before it in its content: its own time when it has one, so a
 * merged view and the charts put it where it happened, else the time of the last line before it that had
 * one (it was written then, not when read); a line that continues an event (a stack frame) carries the
 * event's time and level, and `cont`. Shared with history (line-history.ts), so a line read again is the same.
 */
export function lineOf(text: string, cut: boolean, seq: number, content: LineContext, own: number | undefined, fallbackTs: number): LogLine {
  if (own !== undefined) content.lastOwnTs = own;
  const head = content.head;
  if (content.events.continues(text, own !== undefined) && head) {
    const line: LogLine = { seq, ts: head.ts, text, cont: true };
    if (head.level) line.level = head.level;
    if (cut) line.cut = true;
    return line;
  }
  const line: LogLine = { seq, ts: own ?? content.lastOwnTs ?? fallbackTs, text };
  const level = detectLevel(text);
  if (level) line.level = level;
  if (cut) line.cut = true;
  setEventHead(content, line.ts, level);
  return line;
}

/** The event a line just began: its time and level, which the lines that continue it carry. */
export function setEventHead(content: LineContext, ts: number, level: LogLevel | undefined): void {
  // One head object per content, reused: this runs for nearly every line read.
  if (content.head) {
    content.head.ts = ts;
    content.head.level = level;
  } else content.head = { ts, level };
}

/** What `lineOf` needs to know of the lines before: a content, or a span read again. */
export type LineContext = Pick<Content, 'lastOwnTs' | 'events' | 'head'>;

