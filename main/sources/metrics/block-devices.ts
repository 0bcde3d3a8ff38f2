// Which /proc/diskstats entries are whole disks worth a rate: no partitions (their I/O is inside their
// disk's), no loop devices (file images, counted again on the disk holding the file), no ram or zram
// devices (memory; zram is compressed swap in RAM). Device-mapper and md devices are kept: they are what
// LVM, LUKS and RAID users know their volumes by (their I/O is also inside the disks beneath them).
import { existsSync } from 'node:fs';

/** Devices never shown, by name prefix. */
const SKIPPED_PREFIXES = ['loop', 'ram', 'zram'];

export function isSkippedDevice(name: string): boolean {
  for (const prefix of SKIPPED_PREFIXES) if (name.startsWith(prefix)) return true;
  return false;
}

/** sda1, vdb2, xvda1, hdc3; nvme0n1p1, mmcblk0p2, nbd0p1, md0p1. */
const PARTITION_NAME = /^(?:(?:[shv]|xv)d[a-z]+\d+|(?:nvme\d+n\d+|mmcblk\d+|nbd\d+|md\d+)p\d+)$/;

/** Is this a partition, judging by its name only (where there is no sysfs to ask)? */
export function isPartitionName(name: string): boolean {
  return PARTITION_NAME.test(name);
}

/**
 * Tells whole disks from partitions, asking sysfs when there is one: /sys/class/block/NAME/partition
 * exists for partitions only. A name sysfs does not know falls back to the name rule. Answers are kept
 * per name (asked once per device, not per sample); `forget` drops the names no longer listed.
 */
export class WholeDiskCheck {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly sysRoot: string | null) {}

  /** Names answered and kept. */
  get size(): number {
    return this.known.size;
  }

  isWholeDisk(name: string): boolean {
    let whole = this.known.get(name);
    if (whole === undefined) {
      whole = !isSkippedDevice(name) && !this.isPartition(name);
      this.known.set(name, whole);
    }
    return whole;
  }

  /** Drops what is kept about devices not in `present` (hot-unplugged). */
  forget(present: ReadonlySet<string>): void {
    for (const name of this.known.keys()) if (!present.has(name)) this.known.delete(name);
  }

  private isPartition(name: string): boolean {
    if (this.sysRoot !== null) {
      // sysfs spells the '/' of names such as cciss/c0d0 as '!'.
      const dir = `${this.sysRoot}/class/block/${name.replaceAll('/', '!')}`;
      if (existsSync(dir)) return existsSync(`${dir}/partition`);
    }
    return isPartitionName(name);
  }
}
