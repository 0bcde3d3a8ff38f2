// Finds where the last N lines of a file begin, reading backwards from the end in small chunks, so a
// 1 GB file costs what its last N lines cost. The follower then reads forward from there as usual, which
// gives the backfill the same line rules (cap, CRLF, partial last line) as everything read later.
import type { FileHandle } from 'node:fs/promises';
import { BACKFILL_CHUNK_BYTES, BACKFILL_MAX_SCAN_BYTES } from './limits';

const NEWLINE = 0x0a;

export interface BackfillStart {
  /** Where to start reading forward. */
  offset: number;
  /** The offset is inside a line (the scan hit its byte bound): the reader drops bytes up to the next newline. */
  midLine: boolean;
  /** Bytes read to find the offset. */
  bytesScanned: number;
}

export interface BackfillScanOptions {
  chunkBytes?: number;
  maxScanBytes?: number;
}

/**
 * Where the last `lines` lines of the first `size` bytes of the file begin. An unterminated last line counts
 * as one of them (the follower holds it until its newline comes, or shows it once the file goes quiet).
 */
export async function findBackfillStart(
  file: Pick<FileHandle, 'read'>,
  size: number,
  lines: number,
  { chunkBytes = BACKFILL_CHUNK_BYTES, maxScanBytes = BACKFILL_MAX_SCAN_BYTES }: BackfillScanOptions = {},
): Promise<BackfillStart> {
  if (size === 0) return { offset: 0, midLine: false, bytesScanned: 0 };
  const buffer = Buffer.allocUnsafe(Math.min(chunkBytes, size));
  const endsWithNewline = async () => {
    const { bytesRead } = await file.read(buffer, 0, 1, size - 1);
    return bytesRead === 1 && buffer[0] === NEWLINE;
  };
  if (lines === 0) return { offset: size, midLine: !(await endsWithNewline()), bytesScanned: 1 };

  // The newline that ends the last byte of the file terminates the last line; it does not separate two lines.
  let end = size - 1;
  let scanned = 0;
  let found = 0;
  let earliest = -1;
  while (end > 0 && scanned < maxScanBytes) {
    const length = Math.min(buffer.length, end, maxScanBytes - scanned);
    const start = end - length;
    const { bytesRead } = await file.read(buffer, 0, length, start);
    if (bytesRead < length) break; // truncated while we read: the follower notices and starts over
    scanned += bytesRead;
    const chunk = buffer.subarray(0, bytesRead);
    for (let i = chunk.lastIndexOf(NEWLINE); i !== -1; i = i > 0 ? chunk.lastIndexOf(NEWLINE, i - 1) : -1) {
      earliest = start + i;
      if (++found === lines) return { offset: earliest + 1, midLine: false, bytesScanned: scanned };
    }
    end = start;
  }
  if (end === 0) return { offset: 0, midLine: false, bytesScanned: scanned };
  // Out of scan budget: start at the oldest line boundary seen, or (one huge line) at the end of the file.
  if (earliest !== -1) return { offset: earliest + 1, midLine: false, bytesScanned: scanned };
  return { offset: size, midLine: !(await endsWithNewline()), bytesScanned: scanned + 1 };
}
