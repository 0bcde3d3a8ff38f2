// Opens a followed file (or a sibling or a file to sniff) so that the open never blocks: a plain open() of a
// FIFO waits for a writer, holding a libuv worker for good, and a device may do anything on open. Every open
// of a log file goes through here, and only regular files come out.
import { constants } from 'node:fs';
import type { BigIntStats, Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

// O_NONBLOCK: a FIFO opens at once instead of waiting for a writer (reads of a regular file never block
// anyway). O_NOCTTY: a terminal device never becomes our controlling terminal. Windows has neither (nor
// O_NOFOLLOW): undefined there, which `|` takes as 0.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
const NO_FOLLOW = constants.O_NOFOLLOW;

/** What refuses to be followed, with its path and kind in the message. */
export class NotRegularFileError extends Error {
  readonly code = 'ERR_TAILWATCH_NOT_REGULAR_FILE';
}

/** What a file that is not a regular file is, in words; null for a directory (or a regular file). */
function specialKind(stats: Stats | BigIntStats): string | null {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return null;
}

/**
 * `/x/p.log is a FIFO (named pipe), not a regular file`, for stats (of the path followed through symlinks,
 * or of an fd) that are not of a regular file. A directory is `/x/d is not a regular file`, as it always was.
 */
export function notRegularMessage(path: string, stats: Stats | BigIntStats): string {
  const kind = specialKind(stats);
  return kind ? `${path} is ${kind}, not a regular file` : `${path} is not a regular file`;
}

export interface OpenedLogFile {
  handle: FileHandle;
  /** Of the opened fd: the identity of what was opened, not of what the path named a moment before. */
  stats: BigIntStats;
}

/**
 * Opens `path` read-only without blocking and makes sure it is a regular file: anything else is closed again
 * and NotRegularFileError names it. `noFollow`: a symlink at `path` itself is refused (ELOOP), for paths
 * that were just resolved or that are never symlinks. Other fs errors are thrown as they come (ENOENT, EACCES).
 */
export async function openLogFile(path: string, options: { noFollow?: boolean } = {}): Promise<OpenedLogFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_FLAGS | (options.noFollow ? NO_FOLLOW : 0));
  } catch (err) {
    // A unix socket cannot be opened at all (ENXIO): say what it is rather than "no such device".
    if ((err as NodeJS.ErrnoException).code === 'ENXIO') {
      const stats = await stat(path).catch(() => null);
      if (stats && !stats.isFile()) throw new NotRegularFileError(notRegularMessage(path, stats));
    }
    throw err;
  }
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) throw new NotRegularFileError(notRegularMessage(path, stats));
    return { handle, stats };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}
