// What precedes a point in a file where reading starts (a backfill, a page of older lines): the time of the
// last line before it that has one of its own (lines without one were written then), and, when reading would
// start inside an event (a stack trace's frames), where that event begins, so it is read whole.
import type { FileHandle } from 'node:fs/promises';
import { EventContinuation } from './event-continuation';
import { parseLineTimestamp } from './timestamp';

/** Looked back at most this far: a trace longer than that keeps the time of the next line that has one. */
export const LOOKBACK_BYTES = 64 * 1024;

const NEWLINE = 0x0a;
/** The start of a line is enough to tell its time and whether it continues an event. */
const LINE_START_CHARS = 256;

export interface Before {
  /** The own time of the last line before `offset` that has one, or null. */
  lastOwnTs: number | null;
  /** Where the event that the line at `offset` belongs to begins (`offset` when that line heads one). */
  eventStart: number;
}

/** Looks at the whole lines within LOOKBACK_BYTES before `offset` (which is at a line start), and at the line there. */
export async function lookBefore(file: Pick<FileHandle, 'read'>, offset: number, now: number): Promise<Before> {
  const from = Math.max(0, offset - LOOKBACK_BYTES);
  const buffer = Buffer.allocUnsafe(offset - from + LINE_START_CHARS);
  const { bytesRead } = await file.read(buffer, 0, buffer.length, from);
  const bytes = buffer.subarray(0, bytesRead);
  const at = offset - from;
  // Whole lines only: from the first newline on, unless the look reached the file's start.
  let start = from === 0 ? 0 : bytes.subarray(0, at).indexOf(NEWLINE) + 1;
  if (start === 0 && from > 0) return { lastOwnTs: null, eventStart: offset };
  const events = new EventContinuation();
  let lastOwnTs: number | null = null;
  let head = offset;
  while (start <= at && start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    const lineEnd = end === -1 ? bytes.length : end;
    const text = bytes.toString('utf8', start, Math.min(lineEnd, start + LINE_START_CHARS));
    const own = parseLineTimestamp(text, now);
    const continues = events.continues(text, own !== undefined);
    // The line at `offset`: read from there, does it continue the event before it?
    if (start === at) return { lastOwnTs, eventStart: continues ? head : offset };
    if (own !== undefined) lastOwnTs = own;
    if (!continues) head = from + start;
    start = lineEnd + 1;
  }
  return { lastOwnTs, eventStart: offset };
}

/**
 * Only the time: the own time of the last line before `offset` that has one, looked for from `offset` back
 * (usually the line just before): what a page of older lines needs, without judging events.
 */
export async function lastTimeBefore(file: Pick<FileHandle, 'read'>, offset: number, now: number): Promise<number | null> {
  const from = Math.max(0, offset - LOOKBACK_BYTES);
  if (offset <= from) return null;
  const buffer = Buffer.allocUnsafe(offset - from);
  const { bytesRead } = await file.read(buffer, 0, buffer.length, from);
  const bytes = buffer.subarray(0, bytesRead);
  let end = bytes.length > 0 && bytes[bytes.length - 1] === NEWLINE ? bytes.length - 1 : bytes.length;
  while (end > 0) {
    const start = bytes.lastIndexOf(NEWLINE, end - 1) + 1;
    if (start === 0 && from > 0) return null; // the first bytes may be the end of a longer line
    const ts = parseLineTimestamp(bytes.toString('utf8', start, Math.min(end, start + LINE_START_CHARS)), now);
    if (ts !== undefined) return ts;
    end = start - 1;
  }
  return null;
}
