// Tells binary files (wtmp, databases, core dumps) from text logs before they are followed.
import { open } from 'node:fs/promises';
import { BINARY_SNIFF_BYTES } from './limits';

/** True when the first bytes of the file hold a NUL byte. Unreadable files are not binary: following them reports why. */
export async function looksBinary(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(BINARY_SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, BINARY_SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } catch {
    return false;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
