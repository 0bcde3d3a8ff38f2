// Files beside a log that rotation made of it, for the lines that are only there:
// - copytruncate copies a log, then truncates it. Lines written after our last read and before the
//   truncation are only in the copy, which is found by its first bytes.
// - A writer that rotates faster than we look creates files at the path that are renamed away before we
//   see them there. They are found by name and birth time.
import { lstat, readdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { dirname, join } from 'node:path';
import { readFingerprint, sameContent } from './fingerprint';
import { isRotationName } from './rotation-name';
import { ROTATED_SIBLINGS_LOOKED_AT } from './limits';
import { openLogFile } from './open-log-file';
import { isCompressed, isGzip } from './path-filter';
import type { ReadBufferPool } from './read-buffer-pool';

export interface RotatedCopy {
  path: string;
  handle: FileHandle;
  size: number;
}

/** A regular file beside a log, named as one of its rotations. */
export interface Sibling {
  path: string;
  stats: BigIntStats;
}

/** Same write time (a coarse clock, or one logrotate run): app.log.1 is newer than app.log.2, and app.log.2 than app.log.10. */
const NAME_ORDER = new Intl.Collator('en', { numeric: true });

/**
 * Regular files beside `path` named as its rotations, most recently written first (the copy or file just
 * rotated is the newest, whatever the naming scheme), at most `max`. Compressed ones are left out, but for
 * `.gz` with `gzip` (history and search read those). A rotation is never a symlink (nor a FIFO or a device):
 * those are not looked at, so a name like `app.log.1 -> /etc/shadow` beside a log cannot make us read its target.
 */
export async function rotationsOf(path: string, { gzip = false, max = ROTATED_SIBLINGS_LOOKED_AT } = {}): Promise<Sibling[]> {
  const dir = dirname(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const siblings: Sibling[] = [];
  for (const name of names) {
    const candidate = join(dir, name);
    if (!isRotationName(path, candidate) || (isCompressed(candidate) && !(gzip && isGzip(candidate)))) continue;
    try {
      const stats = await lstat(candidate, { bigint: true });
      if (stats.isFile()) siblings.push({ path: candidate, stats });
    } catch {
      // gone again
    }
  }
  const newestFirst = (a: Sibling, b: Sibling) =>
    a.stats.mtimeNs !== b.stats.mtimeNs ? (b.stats.mtimeNs > a.stats.mtimeNs ? 1 : -1) : NAME_ORDER.compare(a.path, b.path);
  return siblings.sort(newestFirst).slice(0, max);
}

export interface SkippedFile {
  path: string;
  dev: bigint;
  ino: bigint;
}

/**
 * Rotations of `path` born after `afterNs` and before `beforeNs` (birth times in ns): files that were at the
 * path between the one we held and the one there now. Oldest first. Empty where birth times are unknown.
 */
export async function findSkippedRotations(path: string, afterNs: bigint, beforeNs: bigint): Promise<SkippedFile[]> {
  if (afterNs === 0n || beforeNs === 0n) return [];
  return (await rotationsOf(path))
    .filter(({ stats }) => stats.birthtimeNs > afterNs && stats.birthtimeNs < beforeNs)
    .sort((a, b) => (a.stats.birthtimeNs < b.stats.birthtimeNs ? -1 : 1))
    .map(({ path: p, stats }) => ({ path: p, dev: stats.dev, ino: stats.ino }));
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
  for (const { path: candidate } of await rotationsOf(path)) {
    let handle: FileHandle | null = null;
    try {
      let stats: BigIntStats;
      // No symlink either when it was swapped in since it was listed.
      ({ handle, stats } = await openLogFile(candidate, { noFollow: true }));
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
  onBytes: (chunk: Buffer, at: number) => void,
): Promise<void> {
  const buffer = pool.acquire();
  try {
    for (let at = from; at < to; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, to - at), at);
      if (bytesRead === 0) break;
      onBytes(buffer.subarray(0, bytesRead), at);
      at += bytesRead;
    }
  } finally {
    pool.release(buffer);
  }
}
