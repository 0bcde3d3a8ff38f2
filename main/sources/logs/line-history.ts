// A source's lines read again from its files: a gap's lines (`from`..`to`) and older lines (`before`), found
// through the source's LineIndex. The cost follows the lines asked for: reading starts at the nearest
// checkpoint (at most LINES_PER_CHECKPOINT lines early) or, before the first line read in this run, at the
// start of the lines asked for, found by reading backwards. Nothing here touches what the live tail holds:
// history has its own fds and buffers, so a page of history never waits for a look at a file, nor the reverse.
import type { FileHandle } from 'node:fs/promises';
import type { LogLine } from '../../../protocol/events';
import { findBackfillStart } from './backfill-start';
import type { Content } from './content';
import { detectLevel } from './level';
import type { Checkpoint, LineIndex } from './line-index';
import { LineSplitter } from './line-splitter';
import { parseLineTimestamp } from './timestamp';

/** Bytes read for one answer at most (besides the lines, a page may read a checkpoint's worth before them). */
export const HISTORY_MAX_BYTES = 64 * 1024 * 1024;

/** Lines before the first one read are looked for at most this far back from it in one answer. */
export const HISTORY_MAX_LINES_BACK = 100_000;

const CHUNK_BYTES = 64 * 1024;

/** A file carrying a content, open for reading; `release` when done. */
export interface OpenContent {
  handle: FileHandle;
  release(): Promise<void>;
}

export interface HistoryFiles {
  maxLineBytes: number;
  /** A file still carrying `content` (held by a source, or found again by its identity), or null: gone. */
  open(content: Content): Promise<OpenContent | null>;
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
  const wanted = Math.min(first.seq - (before - limit), HISTORY_MAX_LINES_BACK);
  if (first.seq - before > HISTORY_MAX_LINES_BACK) return 'gone';
  const file = await files.open(first.content);
  if (!file) return newer.length > 0 ? { lines: newer, start: true } : 'gone';
  try {
    const { offset, midLine } = await findBackfillStart(file.handle, first.offset, wanted);
    const read = await readLines(file.handle, offset, first.offset, first.seq, files.maxLineBytes, midLine, null, 'end');
    index.noteEarlier(first.seq - read.lines.length, offset);
    const older = read.lines.filter((line) => line.seq < before);
    return { lines: [...older, ...newer], start: offset === 0 };
  } finally {
    await file.release();
  }
}

/** Lines `from`..`to` of the lines that start at checkpoint `at`, read forward from it. */
async function readForward(at: Checkpoint, from: number, to: number, files: HistoryFiles, budget: number): Promise<{ lines: LogLine[]; bytes: number } | 'gone'> {
  const file = await files.open(at.content);
  if (!file) return 'gone';
  try {
    const read = await readLines(file.handle, at.offset, Infinity, at.seq, files.maxLineBytes, false, at.lastOwnTs, 'start', to - at.seq + 1, budget);
    return { lines: read.lines.filter((line) => line.seq >= from && line.seq <= to), bytes: read.bytes };
  } finally {
    await file.release();
  }
}

/**
 * Lines read forward from `offset` (at a line start unless `midLine`) up to `end` or `count` lines, with the
 * same line rules as the tailer. Numbered up from `seq` (`number: 'start'`), or down so that the last one is
 * `seq - 1` (`'end'`). A line without a time of its own gets the last one before it, else the next one after
 * it in what was read (the one before it is in an older page), else now.
 */
async function readLines(
  handle: FileHandle,
  offset: number,
  end: number,
  seq: number,
  maxLineBytes: number,
  midLine: boolean,
  lastOwnTs: number | null,
  number: 'start' | 'end',
  count = Infinity,
  budget = HISTORY_MAX_BYTES,
): Promise<{ lines: LogLine[]; bytes: number }> {
  const splitter = new LineSplitter(maxLineBytes, offset === 0);
  if (midLine) splitter.discardUntilNewline();
  const now = Date.now();
  const texts: { text: string; cut: boolean }[] = [];
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let at = offset;
  let bytes = 0;
  while (at < end && texts.length < count && bytes < budget) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at);
    if (bytesRead === 0) break;
    at += bytesRead;
    bytes += bytesRead;
    splitter.push(buffer.subarray(0, bytesRead), (text, cut) => texts.push({ text, cut }));
  }
  // An unterminated last line is left out: the live tail shows it (once the file goes quiet), not history.
  const kept = texts.slice(0, count);
  const firstSeq = number === 'start' ? seq : seq - kept.length;
  const lines: LogLine[] = kept.map(({ text, cut }, i) => {
    const own = parseLineTimestamp(text, now);
    if (own !== undefined) lastOwnTs = own;
    const line: LogLine = { seq: firstSeq + i, ts: own ?? lastOwnTs ?? Number.NaN, text };
    const level = detectLevel(text);
    if (level) line.level = level;
    if (cut) line.cut = true;
    return line;
  });
  let next = now;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (Number.isNaN(lines[i]!.ts)) lines[i]!.ts = next;
    else next = lines[i]!.ts;
  }
  return { lines, bytes };
}
