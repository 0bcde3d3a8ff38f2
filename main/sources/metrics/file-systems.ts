// Which mounts are real file systems, and their space as `df` computes it.
// Left out: kernel and memory file systems (proc, sysfs, tmpfs, cgroup, …), read-only images (squashfs,
// erofs: snaps and the like, always full), and overlay mounts except one at `/` (a container's root is an
// overlay; on a Docker host the overlays under /var/lib/docker only repeat the host disk). A device mounted
// at several places (bind mounts, btrfs subvolumes) is shown once, at its shortest mount point. Network
// file systems are kept (df shows them); the sampler guards against a hung one.
import type { FsMetrics } from '../../../protocol/events';
import type { MountEntry } from './proc-parsers';

export const SKIPPED_FS_TYPES: ReadonlySet<string> = new Set([
  'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devpts', 'devtmpfs', 'efivarfs',
  'erofs', 'fusectl', 'fuse.gvfsd-fuse', 'fuse.lxcfs', 'fuse.portal', 'fuse.snapfuse', 'hugetlbfs', 'mqueue',
  'nsfs', 'nfsd', 'proc', 'pstore', 'ramfs', 'rpc_pipefs', 'securityfs', 'selinuxfs', 'squashfs', 'sysfs',
  'tmpfs', 'tracefs',
]);

export function isRealFileSystem(m: MountEntry): boolean {
  if (m.type === 'overlay') return m.mount === '/';
  return !SKIPPED_FS_TYPES.has(m.type);
}

/** The real file systems of a mount table, one per device (its shortest mount point), in mount order. */
export function realMounts(mounts: readonly MountEntry[]): MountEntry[] {
  const byDevice = new Map<string, MountEntry>();
  for (const m of mounts) {
    if (!isRealFileSystem(m)) continue;
    const seen = byDevice.get(m.device);
    if (!seen || m.mount.length < seen.mount.length) byDevice.set(m.device, m);
  }
  return mounts.filter((m) => byDevice.get(m.device) === m);
}

/** What `fs.statfs` answers (block counts in units of `bsize`). */
export interface FsSpace {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

/**
 * Size, used and used % of one file system, as df shows them: used = blocks − free; the % is of what
 * unprivileged users can have (used + available), so the blocks reserved for root are left out of it.
 * (df rounds the % up to a whole number; this is the exact figure.) Null for a file system of no size.
 */
export function fsMetrics(m: MountEntry, s: FsSpace): FsMetrics | null {
  if (!(s.blocks > 0)) return null;
  const used = (s.blocks - s.bfree) * s.bsize;
  const avail = s.bavail * s.bsize;
  return {
    mount: m.mount,
    device: m.device,
    type: m.type,
    size: s.blocks * s.bsize,
    used,
    usedPercent: used + avail > 0 ? (used * 100) / (used + avail) : 0,
  };
}
