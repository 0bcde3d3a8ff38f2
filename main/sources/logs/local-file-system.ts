// Whether a file is on a local disk (or in memory), where a read of what was just written is a copy from the
// page cache: only there is a file read synchronously, on the event loop (see FileReader.readInline). A
// network or FUSE file system may take any time to answer, so anything not known to be local is not.
import { statfs } from 'node:fs/promises';

/** Linux `f_type` magic numbers (linux/magic.h) of local file systems. */
const LOCAL_TYPES = new Set([
  0xef53, // ext2, ext3, ext4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0x01021994, // tmpfs
  0x858458f6, // ramfs
  0x794c7630, // overlayfs (containers)
  0xf2f52010, // f2fs
  0x2fc12fc1, // zfs
]);

/** Is `type` (statfs's f_type) that of a local file system? Linux numbers only. */
export function isLocalFileSystemType(type: number): boolean {
  return LOCAL_TYPES.has(type >>> 0);
}

/** Is the file at `path` on a local file system? False off Linux, and when it cannot tell. */
export async function isOnLocalDisk(path: string): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  try {
    return isLocalFileSystemType((await statfs(path)).type);
  } catch {
    return false;
  }
}
