// A source's lines read again from its files: a gap's lines (`from`..`to`) and older lines (`before`), found
// through the source's LineIndex. The cost follows the lines asked for: reading starts at the nearest
// checkpoint (at most LINES_PER_CHECKPOINT lines early) or, before the first line read in this run, at the
// start of the lines asked for, found by reading backwards. Nothing here touches what the live tail holds:
// history has its own fds and buffers, so a page of history never waits for a look at a file, nor the reverse.
import type { FileHandle } from 'node:fs/promises';
import type { LogLine } from '../../../protocol/events';
import { findBackfillStart } from './backfill-start';
import { EventContinuation } from './event-continuation';
import { lineOf, type LineContext } from './line-of';
import type { Checkpoint, HistoryFile, LineIndex, RotatedFile } from './line-index';
import type { EventHead } from './content';
import { LineSplitter } from './line-splitter';
import { parseLineTimestamp } from './timestamp';
import { lastTimeBefore } from './time-before';

/** Bytes read for one answer at most (besides the lines, a page may read a checkpoint's worth before them). */
export const HISTORY_MAX_BYTES = 64 * 1024 * 1024;

/** Time one answer may take to read; it then holds what was read (the client asks again for the rest). */
export const HISTORY_MAX_MS = 5_000;

/** Lines before the first one read are looked for at most this far back from it in one answer. */
export const HISTORY_MAX_LINES_BACK = 100_000;

const CHUNK_BYTES = 64 * 1024;

/** What history reads bytes through: a file, or a rotation's gunzipped bytes. */
export type ReadableAt = Pick<FileHandle, 'read'>;

/** A history file open for reading; `release` when done. */
export interface OpenHistoryFile {
  handle: ReadableAt;
  /** Its length in bytes (uncompressed). */
  size: number;
  release(): Promise<void>;
}

export interface HistoryFiles {
  maxLineBytes: number;
  /** Reading stops here (Date.now() ms): an answer holds what was read by then. */
  deadline: number;
  /** The file, if it still holds those bytes (a content's file held by a source or found again, a rotation), or null: gone. */
  open(file: HistoryFile): Promise<OpenHistoryFile | null>;
  /** The rotated file that was at the path before `file` (older lines go on there), or null. */
  older(file: HistoryFile): Promise<RotatedFile | null>;
}

export interface OlderLines {
  lines: LogLine[];
  /** The first of them is the first line of the file (nothing older is reachable). */
  start: boolean;
}

/** Lines `from`..`to` (both included) of the source; 'gone' when none of them can be read any more. */
export async function linesBetween(index: LineIndex, from: number, to: number, files: HistoryFiles): Promise<LogLine[] | 'gone'> {
  const first = index.first;
  if (!first) return 'gone';
  const lines: LogLine[] = [];
  let budget = HISTORY_MAX_BYTES;
  if (from < first.seq) {
    const older = await linesBefore(index, Math.min(to + 1, first.seq), Math.min(to + 1, first.seq) - from, files);
    if (older !== 'gone') lines.push(...older.lines.filter((line) => line.seq >= from));
    from = first.seq;
  }
  let found = index.around(from);
  while (found && from <= to && budget > 0) {
    const { at, next } = found;
    // Lines of this checkpoint up to the next one (which may be of another content, or re-syncs this one).
    const until = Math.min(to, next ? next.seq - 1 : to);
    const read = await readForward(at, from, until, files, budget);
    if (read === 'gone') break;
    lines.push(...read.lines);
    budget -= read.bytes;
    if (!next) break;
    from = next.seq;
    found = index.around(from);
  }
  return lines.length > 0 ? lines : 'gone';
}

/**
 * The `limit` lines just before `before`. Before the first line read in this run they are read backwards from
 * it (seq 0, -1, …), and the index learns where they start, so the next page goes on from there.
 */
export async function linesBefore(index: LineIndex, before: number, limit: number, files: HistoryFiles): Promise<OlderLines | 'gone'> {
  const first = index.first;
  if (!first) return { lines: [], start: true };
  if (before - limit >= first.seq) {
    const lines = await linesBetween(index, before - limit, before - 1, files);
    return lines === 'gone' ? 'gone' : { lines, start: false };
  }
  const newer = before > first.seq ? await linesBetween(index, first.seq, before - 1, files) : [];
  if (newer === 'gone') return 'gone';
  if (first.seq - before > HISTORY_MAX_LINES_BACK) return 'gone';
  // Lines older than the oldest known: backwards from its start, then into the rotation before it, and so on.
  let wanted = Math.min(first.seq - (before - limit), HISTORY_MAX_LINES_BACK);
  let at: { file: HistoryFile; end: number | null; seq: number } | null = { file: first.file, end: first.offset, seq: first.seq };
  const older: LogLine[] = [];
  let start = false;
  while (at && wanted > 0) {
    const page = await readBackwards(at.file, at.end, at.seq, wanted, files);
    if (page === null) {
      start = true;
      break;
    }
    older.unshift(...page.lines);
    wanted -= page.lines.length;
    if (page.lines.length > 0) index.noteEarlier(at.seq - page.lines.length, at.file, page.offset);
    if (page.offset > 0) break;
    const rotated = await files.older(at.file);
    if (!rotated) {
      start = true;
      break;
    }
    at = { file: { rotated }, end: null, seq: at.seq - page.lines.length };
  }
  if (older.length === 0 && newer.length === 0 && !start) return 'gone';
  return { lines: [...older.filter((line) => line.seq < before), ...newer], start };
}

/** Up to `wanted` lines ending at `end` (null: the file's end) in `file`, numbered down to `seq - 1`. */
async function readBackwards(file: HistoryFile, end: number | null, seq: number, wanted: number, files: HistoryFiles): Promise<{ lines: LogLine[]; offset: number } | null> {
  const open = await files.open(file);
  if (!open) return null;
  try {
    let stop = end ?? open.size;
    // A rotation's unterminated last line (the writer had not finished it) is one of its lines all the same.
    const { offset, midLine } = await findBackfillStart(open.handle, stop, wanted);
    const lastOwnTs = await lastTimeBefore(open.handle, offset, Date.now());
    const read = await readLines(open.handle, files, { offset, end: stop, seq, number: 'end', midLine, lastOwnTs, finished: end === null });
    stop = offset;
    return { lines: read.lines, offset: stop };
  } finally {
    await open.release();
  }
}

/** Lines `from`..`to` of the lines that start at checkpoint `at`, read forward from it. */
async function readForward(at: Checkpoint, from: number, to: number, files: HistoryFiles, budget: number): Promise<{ lines: LogLine[]; bytes: number } | 'gone'> {
  const file = await files.open(at.file);
  if (!file) return 'gone';
  try {
    const finished = 'rotated' in at.file;
    const read = await readLines(file.handle, files, {
      offset: at.offset,
      end: finished ? file.size : Infinity,
      seq: at.seq,
      number: 'start',
      lastOwnTs: at.lastOwnTs,
      ...(at.events ? { events: at.events, head: at.head ?? null } : {}),
      count: to - at.seq + 1,
      budget,
      finished,
    });
    return { lines: read.lines.filter((line) => line.seq >= from && line.seq <= to), bytes: read.bytes };
  } finally {
    await file.release();
  }
}

/** Where and how to read: see readLines. */
interface ReadSpan {
  /** Where to start (at a line start unless `midLine`) and stop. */
  offset: number;
  end: number;
  /** Numbered up from `seq` (`'start'`), or down so that the last one is `seq - 1` (`'end'`). */
  seq: number;
  number: 'start' | 'end';
  midLine?: boolean;
  /** The time of the last line before `offset` that had one, and the event open there, when known. */
  lastOwnTs?: number | null;
  events?: EventContinuation;
  head?: EventHead | null;
  /** Lines wanted at most, and bytes to read at most. */
  count?: number;
  budget?: number;
  /** The file is done (a rotation): its unterminated last line is a line. */
  finished?: boolean;
}

/**
 * Lines read forward through a span, with the same line rules as the tailer. A line without a time of its own
 * gets the last one before it (looked for before the span too), else the next one after it, else now.
 */
async function readLines(handle: ReadableAt, files: HistoryFiles, span: ReadSpan): Promise<{ lines: LogLine[]; bytes: number }> {
  const { offset, end, seq, number, midLine = false, count = Infinity, budget = HISTORY_MAX_BYTES, finished = false } = span;
  const lastOwnTs = span.lastOwnTs ?? null;
  const maxLineBytes = files.maxLineBytes;
  const splitter = new LineSplitter(maxLineBytes, offset === 0);
  if (midLine) splitter.discardUntilNewline();
  const now = Date.now();
  const texts: { text: string; cut: boolean }[] = [];
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let at = offset;
  let bytes = 0;
  while (at < end && texts.length < count && bytes < budget && Date.now() < files.deadline) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at);
    if (bytesRead === 0) break;
    at += bytesRead;
    bytes += bytesRead;
    splitter.push(buffer.subarray(0, bytesRead), (text, cut) => texts.push({ text, cut }));
  }
  // An unterminated last line is left out of a file still followed: the live tail shows it (once the file
  // goes quiet), not history.
  if (finished && at >= end) splitter.flushPartial((text, cut) => texts.push({ text, cut }));
  // Numbered back from `end`, a span cut short (time, bytes) cannot be numbered: nothing of it is given.
  const kept = number === 'end' && at < end ? [] : texts.slice(0, count);
  const firstSeq = number === 'start' ? seq : seq - kept.length;
  // Continuation goes on from the event open at a checkpoint; a page read backwards starts with none open, so
  // a trace cut by its start shows its first frames as lines of their own.
  const context: LineContext = { lastOwnTs, events: span.events?.copy() ?? new EventContinuation(), head: span.head ? { ...span.head } : null };
  const lines: LogLine[] = kept.map(({ text, cut }, i) => lineOf(text, cut, firstSeq + i, context, parseLineTimestamp(text, now), Number.NaN));
  let next = now;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (Number.isNaN(lines[i]!.ts)) lines[i]!.ts = next;
    else next = lines[i]!.ts;
  }
  return { lines, bytes };
}
