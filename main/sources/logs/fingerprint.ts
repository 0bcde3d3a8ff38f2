// The first bytes of a file, as its identity besides device+inode. An inode is reused as soon as a file is
// deleted, and a file truncated then rewritten past our offset looks, by size, like one that only grew:
// its first bytes tell them apart. A copy (logrotate's copytruncate) has the same first bytes as its original.
import type { FileHandle } from 'node:fs/promises';
import { FINGERPRINT_BYTES } from './limits';

/** Reads up to FINGERPRINT_BYTES from the start of the file (fewer while the file is shorter). */
export async function readFingerprint(handle: FileHandle, size: number): Promise<Buffer> {
  const length = Math.min(size, FINGERPRINT_BYTES);
  if (length === 0) return Buffer.alloc(0);
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buffer, 0, length, 0);
  return buffer.subarray(0, bytesRead);
}

/** True when one fingerprint is a prefix of the other: the same file, read at two sizes. */
export function sameStart(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  return Buffer.compare(a.subarray(0, n), b.subarray(0, n)) === 0;
}

/**
 * Like `sameStart`, with at least one byte in common. Only files named as rotations of one another are ever
 * compared, so even a short print tells a copy from another file; a long one tells two rotations that open
 * with the same banner apart.
 */
export function sameContent(a: Uint8Array, b: Uint8Array): boolean {
  return Math.min(a.length, b.length) > 0 && sameStart(a, b);
}
