// Reading small kernel files (/proc, /sys) cheaply. A file read every second is kept open and read again
// from offset 0 with pread: the kernel makes its text afresh on each read from 0, and this costs about
// half of what an open + read + close does (see bench/metrics.ts). Reads are synchronous: /proc text is
// made in memory, never waits on a disk, and a thread-pool round trip would cost more than the read.
import { closeSync, openSync, readSync } from 'node:fs';

/** One buffer for every read, grown (doubled) when a file does not fit; texts are copied out as strings. */
let shared = Buffer.allocUnsafe(64 * 1024);

/** Reads the whole file behind `fd` from offset 0. */
function readAll(fd: number, encoding: 'latin1' | 'utf8'): string {
  let length = 0;
  for (;;) {
    const n = readSync(fd, shared, length, shared.length - length, length);
    if (n === 0) break;
    length += n;
    if (length === shared.length) {
      const bigger = Buffer.allocUnsafe(shared.length * 2);
      shared.copy(bigger, 0, 0, length);
      shared = bigger;
    }
  }
  return shared.toString(encoding, 0, length);
}

/** A file read once: open, read, close (for the many /proc/[pid]/stat files of the process list). */
export function readSmallFile(path: string, encoding: 'latin1' | 'utf8' = 'latin1'): string {
  const fd = openSync(path, 'r');
  try {
    return readAll(fd, encoding);
  } finally {
    closeSync(fd);
  }
}

/** A file read again and again through one open fd. */
export class KeptFile {
  private fd = -1;

  constructor(
    readonly path: string,
    private readonly encoding: 'latin1' | 'utf8' = 'latin1',
  ) {}

  /** The file's current text; throws (with the path in the error) when it cannot be opened or read. */
  read(): string {
    if (this.fd === -1) this.fd = openSync(this.path, 'r');
    try {
      return readAll(this.fd, this.encoding);
    } catch (err) {
      // Opened again next time: the fd may be what went wrong.
      this.close();
      throw err;
    }
  }

  close(): void {
    if (this.fd === -1) return;
    try {
      closeSync(this.fd);
    } catch {
      // Already gone: nothing to release.
    }
    this.fd = -1;
  }
}
