// Tells binary files (wtmp, databases, core dumps) from text logs before they are followed.
import type { FileHandle } from 'node:fs/promises';
import { BINARY_SNIFF_BYTES } from './limits';
import { openLogFile } from './open-log-file';

/**
 * True when the first bytes of the file hold a NUL byte. Unreadable files are not binary: following them
 * reports why. Opened as any log file is (never blocking, regular files only): the caller has looked at what
 * the path is, but it may have been replaced since.
 */
export async function looksBinary(path: string): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    ({ handle } = await openLogFile(path));
    const buffer = Buffer.alloc(BINARY_SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, BINARY_SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } catch {
    return false;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
