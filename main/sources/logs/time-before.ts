// The time of the last line before a point in a file that has one of its own: a backfill or a page of older
// lines may begin with lines that have none (a stack trace's frames), and those were written then.
import type { FileHandle } from 'node:fs/promises';
import { parseLineTimestamp } from './timestamp';

/** Looked back at most this far: a trace longer than that keeps the time of the next line that has one. */
export const TIME_LOOKBACK_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

/** The own time of the last line that ends before `offset` and has one, within TIME_LOOKBACK_BYTES; else null. */
export async function lastTimeBefore(file: Pick<FileHandle, 'read'>, offset: number, now: number): Promise<number | null> {
  const from = Math.max(0, offset - TIME_LOOKBACK_BYTES);
  if (offset <= from) return null;
  const buffer = Buffer.allocUnsafe(offset - from);
  const { bytesRead } = await file.read(buffer, 0, buffer.length, from);
  const bytes = buffer.subarray(0, bytesRead);
  // Whole lines only: from the first newline on, unless the look reached the file's start.
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === NEWLINE) end--;
  while (end > 0) {
    const start = bytes.lastIndexOf(NEWLINE, end - 1) + 1;
    if (start === 0 && from > 0) return null;
    const ts = parseLineTimestamp(bytes.toString('utf8', start, Math.min(end, start + 256)), now);
    if (ts !== undefined) return ts;
    end = start - 1;
  }
  return null;
}
