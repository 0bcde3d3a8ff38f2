// copytruncate copies a log, then truncates it. Lines written after our last read and before the
// truncation are then only in the copy: this finds the copy by its first bytes and reads them from it.
import { open, readdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readFingerprint, sameContent } from './fingerprint';
import { isRotationName } from './file-registry';
import { ROTATED_COPY_CANDIDATES } from './limits';
import { isCompressed } from './path-filter';
import type { ReadBufferPool } from './read-buffer-pool';

export interface RotatedCopy {
  path: string;
  handle: FileHandle;
  size: number;
}

/**
 * A file beside `path`, named as a rotation of it, whose first bytes are `fingerprint` and which is longer
 * than `readTo` (so it holds bytes we did not read). The newest such file first. The caller closes it.
 */
export async function findRotatedCopy(
  path: string,
  fingerprint: Buffer,
  readTo: number,
  skip: (dev: bigint, ino: bigint) => boolean,
): Promise<RotatedCopy | null> {
  const dir = dirname(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  const candidates = names
    .map((name) => join(dir, name))
    .filter((candidate) => isRotationName(path, candidate) && !isCompressed(candidate))
    // `app.log.1` before `app.log.2`: the most recent rotation is the likely copy.
    .sort((a, b) => basename(a).length - basename(b).length || a.localeCompare(b))
    .slice(0, ROTATED_COPY_CANDIDATES);
  for (const candidate of candidates) {
    let handle: FileHandle | null = null;
    try {
      handle = await open(candidate, 'r');
      const stats = await handle.stat({ bigint: true });
      const size = Number(stats.size);
      if (size > readTo && !skip(stats.dev, stats.ino) && sameContent(await readFingerprint(handle, size), fingerprint)) {
        return { path: candidate, handle, size };
      }
    } catch {
      // unreadable or gone: not the copy
    }
    await handle?.close().catch(() => undefined);
  }
  return null;
}

/** Reads bytes [from, to) of a file in pool-sized chunks, handing each on. */
export async function readRange(
  handle: FileHandle,
  from: number,
  to: number,
  pool: ReadBufferPool,
  onBytes: (chunk: Buffer) => void,
): Promise<void> {
  const buffer = pool.acquire();
  try {
    for (let at = from; at < to; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, to - at), at);
      if (bytesRead === 0) break;
      at += bytesRead;
      onBytes(buffer.subarray(0, bytesRead));
    }
  } finally {
    pool.release(buffer);
  }
}
